//! Median time of one full-batch training step of the `train` kind:
//! (a) 1→64→64→1 tanh, MSE, 256 samples; (b) 2→8→8→2 softmax-CE, 200 spiral points.
//!
//! Each iteration is `Demo::advance(1)` on a run long enough never to finish,
//! so the figure includes what the kind does per step besides the math
//! (divergence checks, the parameter backup, amortized history records).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use nntutor::demo::{self, Demo, Value};

fn train(raw: &[(&str, Value)]) -> Box<dyn Demo> {
    let raw: Vec<(String, Value)> = raw.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let params = demo::kind("train")
        .expect("train kind")
        .validate(&raw)
        .expect("valid parameters");
    demo::build(&params).expect("buildable")
}

fn ints(v: &[i64]) -> Value {
    Value::List(v.iter().map(|&i| Value::Int(i)).collect())
}

fn bench(c: &mut Criterion) {
    let mut a = train(&[
        ("dataset", Value::Str("sine".into())),
        ("samples", Value::Int(256)),
        ("layers", ints(&[1, 64, 64, 1])),
        ("activation", Value::Str("tanh".into())),
        ("lr", Value::Float(0.01)),
        ("steps", Value::Int(1_000_000)),
    ]);
    c.bench_function("train_step/a_1-64-64-1_tanh_mse_256", |b| {
        b.iter(|| black_box(a.advance(1)))
    });
    assert!(a.status() == demo::Status::Running, "(a) must not finish or diverge");

    let mut b_demo = train(&[
        ("dataset", Value::Str("spirals".into())),
        ("samples", Value::Int(200)),
        ("layers", ints(&[2, 8, 8, 2])),
        ("activation", Value::Str("tanh".into())),
        ("lr", Value::Float(0.1)),
        ("steps", Value::Int(1_000_000)),
    ]);
    c.bench_function("train_step/b_2-8-8-2_softmax_ce_200_spirals", |b| {
        b.iter(|| black_box(b_demo.advance(1)))
    });
    assert!(b_demo.status() == demo::Status::Running, "(b) must not finish or diverge");
}

criterion_group!(benches, bench);
criterion_main!(benches);
