//! Cost of one optimizer step: (a) the update alone on flat buffers of 4,096
//! parameters (a 64×64 layer, in L1/L2) and 2²⁰ (8 MB per array, past L2);
//! (b) a whole training step (forward, backward, update) of a 1→64→64→1 tanh
//! net on 256 samples, the `train_step/a` network, with SGD and with Adam.
//!
//! Adam reads and writes m and v besides θ and reads g: 7 streams of memory
//! against plain SGD's 3, plus a square root and a division per parameter,
//! so its update alone cannot cost as little as SGD's; (b) shows what that
//! costs a training step.
//!
//! CPU medians, 2026-12-04, AMD EPYC build machine (AVX-512 path), load ≈ 4:
//! update of 4,096: sgd 0.90 µs, momentum 1.55 µs, adam 6.3 µs, adamw 6.3 µs
//! (the zmm square roots and divisions bound it; 5.4× SGD on the SSE2 path
//! before the dispatch); update of 2²⁰: sgd 0.61 ms, momentum 0.94 ms, adam
//! 1.75 ms (2.9×, near the 7:3 memory floor); training step: sgd 243.5 µs,
//! adam 244.3 µs (1.00×).

mod common;

use std::hint::black_box;

use common::{Clock, wall_and_cpu};
use criterion::{Criterion, criterion_group, criterion_main};
use ndarray::Array2;
use nntutor::nn::{
    Activation, Hidden, Hyperparams, Init, Loss, Mlp, Optimizer, OptimizerKind, seeded,
};

fn flat(c: &mut Criterion) {
    for len in [4096usize, 1 << 20] {
        let grads: Vec<f64> = (0..len).map(|i| ((i % 17) as f64 - 8.0) * 1e-3).collect();
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Momentum,
            OptimizerKind::Adam,
            OptimizerKind::AdamW,
        ] {
            let mut hyper = Hyperparams::defaults(kind);
            hyper.lr = 1e-6;
            let mut opt = Optimizer::new(kind, hyper, &[len]).expect("valid");
            let mut params: Vec<f64> = (0..len).map(|i| (i % 13) as f64 * 0.1).collect();
            wall_and_cpu(
                c,
                &format!("optimizer/update/{}/{len}", kind.name()),
                Clock::Thread,
                || black_box(opt.step([(&mut params[..], &grads[..])])),
            );
        }
    }
}

fn train_step(c: &mut Criterion) {
    let n = 256;
    let x = Array2::from_shape_fn((n, 1), |(i, _)| -3.0 + 6.0 * i as f64 / n as f64);
    let y = x.mapv(f64::sin);
    for kind in [OptimizerKind::Sgd, OptimizerKind::Adam] {
        let mut rng = seeded(1);
        let mut net = Mlp::new(
            &[1, 64, 64, 1],
            Activation::Tanh,
            Init::XavierNormal { gain: 1.0 },
            &mut rng,
        );
        let mut hyper = Hyperparams::defaults(kind);
        hyper.lr = 1e-4;
        let mut opt = Optimizer::for_mlp(kind, hyper, &net).expect("valid");
        let mut ws = net.workspace(n);
        wall_and_cpu(
            c,
            &format!("optimizer/train_step_1-64-64-1/{}", kind.name()),
            Clock::Thread,
            || {
                net.forward(x.view(), &mut ws, Hidden::Plain);
                let loss = net.backward(x.view(), y.view(), Loss::Mse, &mut ws);
                black_box((loss, opt.step_mlp(&mut net, &ws)))
            },
        );
    }
}

criterion_group!(benches, flat, train_step);
criterion_main!(benches);
