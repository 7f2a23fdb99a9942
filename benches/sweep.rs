//! What a sweep costs against one run: the default `train` step (sine,
//! 1→5→1 tanh, 32 samples, 500 iterations) once with `lr = 0.1`, and as a
//! 4-run sweep `lr = [0.01, 0.03, 0.1, 0.3]` (none diverges, so every run
//! goes the whole way). Target: the sweep ≤ 4.2× the single run, i.e. the
//! runner's bookkeeping and the overlaid panels cost at most 5 % on top of
//! the four runs' own work.
//!
//! Each iteration builds the demo and plays it as the TUI does: advance to
//! the next history point (every 5th iteration, about 120 over the run) and
//! take a snapshot there (metrics and the `loss` and `fit` panels).

mod common;

use std::hint::black_box;

use common::{Clock, wall_and_cpu};
use criterion::{Criterion, criterion_group, criterion_main};
use nntutor::demo::{self, Params, Value};

/// The default `train` parameters with `panels = ["loss", "fit"]`.
fn base() -> Params {
    let panels = Value::List(vec![Value::Str("loss".into()), Value::Str("fit".into())]);
    demo::kind("train")
        .expect("train")
        .params(&[("panels", panels)])
        .expect("valid")
}

/// Builds the demo and plays it to its end with the TUI's snapshots.
fn play(p: &Params) -> usize {
    let mut d = demo::build(p).expect("buildable");
    let mut snaps = 0;
    while d.advance(5) > 0 {
        black_box(d.snapshot());
        snaps += 1;
    }
    snaps
}

fn bench(c: &mut Criterion) {
    let one = base().with("lr", Value::Float(0.1)).expect("lr");
    let sweep = base()
        .with_runs(
            [0.01, 0.03, 0.1, 0.3]
                .iter()
                .map(|&lr| {
                    (
                        format!("lr={lr}"),
                        vec![("lr".to_string(), Value::Float(lr))],
                    )
                })
                .collect(),
        )
        .expect("four runs");
    wall_and_cpu(c, "sweep/one run", Clock::Thread, || play(&one));
    wall_and_cpu(c, "sweep/4-run lr sweep", Clock::Thread, || play(&sweep));
}

criterion_group!(benches, bench);
criterion_main!(benches);
