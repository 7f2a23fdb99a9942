//! What every bench shares: building a demo from `&str` pairs, and CPU clocks.
//!
//! Wall time on this shared 2-core machine includes other jobs' turns, so
//! each bench also reports CPU time (`cpu/…`): the calling thread's for
//! single-threaded work, the whole process's for work that spawns threads
//! (then it is the sum over threads, an upper bound on one core's wall time).

#![allow(dead_code)]

use std::time::Duration;

use criterion::Criterion;
use nntutor::demo::{self, Demo, Value};

/// Builds a demo of `kind` from key/values, panicking on bad input (benches
/// only use valid parameters).
pub fn build(kind: &str, pairs: &[(&str, Value)]) -> Box<dyn Demo> {
    let params = demo::kind(kind)
        .expect("kind registered")
        .params(pairs)
        .expect("valid parameters");
    demo::build(&params).expect("buildable")
}

pub fn ints(v: &[i64]) -> Value {
    Value::List(v.iter().map(|&i| Value::Int(i)).collect())
}

/// Which CPU clock a `cpu/…` figure reads.
#[derive(Clone, Copy)]
pub enum Clock {
    /// The benchmarking thread only.
    Thread,
    /// Every thread of the process (for code that spawns workers).
    Process,
}

/// CPU time consumed so far on `clock`.
pub fn cpu_time(clock: Clock) -> Duration {
    let id = match clock {
        Clock::Thread => libc::CLOCK_THREAD_CPUTIME_ID,
        Clock::Process => libc::CLOCK_PROCESS_CPUTIME_ID,
    };
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock ids are constants Linux provides.
    let rc = unsafe { libc::clock_gettime(id, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Benchmarks `routine` twice: `name` on the wall clock and `cpu/name` on `clock`.
pub fn wall_and_cpu<O>(
    c: &mut Criterion,
    name: &str,
    clock: Clock,
    mut routine: impl FnMut() -> O,
) {
    c.bench_function(name, |b| b.iter(&mut routine));
    c.bench_function(&format!("cpu/{name}"), |b| {
        b.iter_custom(|iters| {
            let start = cpu_time(clock);
            for _ in 0..iters {
                std::hint::black_box(routine());
            }
            cpu_time(clock) - start
        })
    });
}
