//! Recompute costs of the focused kinds: what a student waits for after
//! turning a knob.

use criterion::{Criterion, criterion_group, criterion_main};
use nntutor::demo::{self, Demo, Value};

fn run(kind: &str, raw: &[(&str, Value)]) -> Box<dyn Demo> {
    let raw: Vec<(String, Value)> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let params = demo::kind(kind)
        .expect("kind registered")
        .validate(&raw)
        .expect("valid params");
    let mut d = demo::build(&params).expect("builds");
    while d.advance(usize::MAX) > 0 {}
    d
}

/// One full recompute of the default stack (10 tanh layers × 256 on 1,000
/// inputs): sampling, forward, backward and every statistic.
fn depth(c: &mut Criterion) {
    c.bench_function("depth recompute 10x256 tanh, 1000 inputs", |b| {
        b.iter(|| run("depth", &[("steps", Value::Int(1))]).snapshot())
    });
}

/// A full sweep: degrees 0–15 (the task asks for 1–15; degree 0 comes free
/// from the same QR) over 200 training sets of 30 points.
fn bias_variance(c: &mut Criterion) {
    c.bench_function("bias-variance sweep degrees 0-15, 200 sets of 30", |b| {
        b.iter(|| {
            run(
                "bias-variance",
                &[
                    ("max_degree", Value::Int(15)),
                    ("datasets", Value::Int(200)),
                ],
            )
            .snapshot()
        })
    });
}

criterion_group!(benches, depth, bias_variance);
criterion_main!(benches);
