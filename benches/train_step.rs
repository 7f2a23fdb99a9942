//! Median time of one training step of the `train` kind:
//! (a) 1→64→64→1 tanh, MSE, 256 samples, full batch, plain SGD, and the same
//! with Adam (`a_adam`: the optimizer path with its state); (b) 2→8→8→2
//! softmax-CE, 200 spiral points; (c) 20→100→100→1 tanh with dropout
//! (keep_prob 0.5, inverted), MSE, 128 samples of the sparse data set with
//! 20 features; (d) 2→16→16→3 ReLU on 3 spiral classes, Adam, batches of 32.
//! Then the cost of a 2-D snapshot's decision map: the spiral net of (d)
//! evaluated on a 64×64 grid of the plane (`grid_64x64`).
//!
//! Two figures per case: wall time (criterion's default) and the CPU time of
//! the benchmarking thread (`cpu/…`), which stays meaningful when other jobs
//! share the machine's two cores and the wall clock includes their turns.
//!
//! Each iteration is `Demo::advance(1)` on a run long enough never to finish,
//! so the figure includes what the kind does per step besides the math
//! (divergence checks, the parameter backup, amortized history records).

mod common;

use std::hint::black_box;

use common::{Clock, build, ints, wall_and_cpu};
use criterion::{Criterion, criterion_group, criterion_main};
use nntutor::demo::{Demo, Status, Value};

/// Benchmarks `advance(1)` under both clocks. Each run's `steps` stays under
/// the kind's total-work limit yet outlasts criterion's iterations.
fn both(c: &mut Criterion, name: &str, demo: &mut dyn Demo) {
    wall_and_cpu(c, &format!("train_step/{name}"), Clock::Thread, || {
        black_box(demo.advance(1))
    });
    assert!(
        demo.status() == Status::Running,
        "{name} must not finish or diverge"
    );
}

fn bench(c: &mut Criterion) {
    let mut a = build(
        "train",
        &[
            ("dataset", Value::Str("sine".into())),
            ("samples", Value::Int(256)),
            ("layers", ints(&[1, 64, 64, 1])),
            ("activation", Value::Str("tanh".into())),
            ("lr", Value::Float(0.01)),
            ("steps", Value::Int(150_000)),
        ],
    );
    both(c, "a_1-64-64-1_tanh_mse_256", a.as_mut());

    let mut b_demo = build(
        "train",
        &[
            ("dataset", Value::Str("spirals".into())),
            ("samples", Value::Int(200)),
            ("layers", ints(&[2, 8, 8, 2])),
            ("activation", Value::Str("tanh".into())),
            ("lr", Value::Float(0.1)),
            ("steps", Value::Int(1_000_000)),
        ],
    );
    both(c, "b_2-8-8-2_softmax_ce_200_spirals", b_demo.as_mut());

    let mut dropout = build(
        "train",
        &[
            ("dataset", Value::Str("sparse".into())),
            ("features", Value::Int(20)),
            ("samples", Value::Int(128)),
            ("layers", ints(&[20, 100, 100, 1])),
            ("activation", Value::Str("tanh".into())),
            ("keep_prob", Value::Float(0.5)),
            ("dropout_mode", Value::Str("inverted".into())),
            ("lr", Value::Float(0.01)),
            ("steps", Value::Int(150_000)),
        ],
    );
    both(c, "c_dropout_20-100-100-1_keep0.5_128", dropout.as_mut());

    let mut adam = build(
        "train",
        &[
            ("dataset", Value::Str("sine".into())),
            ("samples", Value::Int(256)),
            ("layers", ints(&[1, 64, 64, 1])),
            ("activation", Value::Str("tanh".into())),
            ("optimizer", Value::Str("adam".into())),
            ("lr", Value::Float(0.001)),
            ("steps", Value::Int(150_000)),
        ],
    );
    both(c, "a_adam_1-64-64-1_tanh_mse_256", adam.as_mut());

    let mut spiral = build(
        "train",
        &[
            ("dataset", Value::Str("spirals".into())),
            ("classes", Value::Int(3)),
            ("samples", Value::Int(300)),
            ("layers", ints(&[2, 16, 16, 3])),
            ("activation", Value::Str("relu".into())),
            ("optimizer", Value::Str("adam".into())),
            ("lr", Value::Float(0.01)),
            ("batch_size", Value::Int(32)),
            ("steps", Value::Int(1_000_000)),
        ],
    );
    both(c, "d_spiral_2-16-16-3_adam_batch32", spiral.as_mut());

    // The decision map: every cell of a 64×64 grid through the net.
    let mut rng = nntutor::nn::seeded(1);
    let net = nntutor::nn::Mlp::new(
        &[2, 16, 16, 3],
        nntutor::nn::Activation::Relu,
        nntutor::nn::Init::from_name("kaiming-uniform", 1.0, nntutor::nn::Activation::Relu)
            .expect("init"),
        &mut rng,
    );
    let grid = ndarray::Array2::from_shape_fn((64 * 64, 2), |(i, k)| {
        let cell = if k == 0 { i % 64 } else { i / 64 };
        -1.2 + 2.4 * (cell as f64 + 0.5) / 64.0
    });
    wall_and_cpu(c, "snapshot/grid_64x64_2-16-16-3", Clock::Thread, || {
        black_box(net.predict(grid.view(), nntutor::nn::Hidden::Plain))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
