//! Median time of one full-batch training step of the `train` kind:
//! (a) 1→64→64→1 tanh, MSE, 256 samples; (b) 2→8→8→2 softmax-CE, 200 spiral points.
//!
//! Two figures per case: wall time (criterion's default) and the CPU time of
//! the benchmarking thread (`cpu/…`), which stays meaningful when other jobs
//! share the machine's two cores and the wall clock includes their turns.
//!
//! Each iteration is `Demo::advance(1)` on a run long enough never to finish,
//! so the figure includes what the kind does per step besides the math
//! (divergence checks, the parameter backup, amortized history records).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use nntutor::demo::{self, Demo, Value};

fn train(raw: &[(&str, Value)]) -> Box<dyn Demo> {
    let raw: Vec<(String, Value)> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let params = demo::kind("train")
        .expect("train kind")
        .validate(&raw)
        .expect("valid parameters");
    demo::build(&params).expect("buildable")
}

fn ints(v: &[i64]) -> Value {
    Value::List(v.iter().map(|&i| Value::Int(i)).collect())
}

/// CPU time consumed so far by the calling thread.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux provides.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Benchmarks `advance(1)` under both clocks.
fn both(c: &mut Criterion, name: &str, demo: &mut dyn Demo) {
    c.bench_function(&format!("train_step/{name}"), |b| {
        b.iter(|| black_box(demo.advance(1)))
    });
    c.bench_function(&format!("cpu/train_step/{name}"), |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu_time();
            for _ in 0..iters {
                black_box(demo.advance(1));
            }
            thread_cpu_time() - start
        })
    });
    assert!(
        demo.status() == demo::Status::Running,
        "{name} must not finish or diverge"
    );
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
    both(c, "a_1-64-64-1_tanh_mse_256", a.as_mut());

    let mut b_demo = train(&[
        ("dataset", Value::Str("spirals".into())),
        ("samples", Value::Int(200)),
        ("layers", ints(&[2, 8, 8, 2])),
        ("activation", Value::Str("tanh".into())),
        ("lr", Value::Float(0.1)),
        ("steps", Value::Int(1_000_000)),
    ]);
    both(c, "b_2-8-8-2_softmax_ce_200_spirals", b_demo.as_mut());
}

criterion_group!(benches, bench);
criterion_main!(benches);
