//! Numbers at the edges of every kind's ranges: divergence is reported at
//! the iteration it happens, and no panel ever carries NaN or ∞.

use nntutor::demo::{self, KINDS, KindSpec, Params, Snapshot, Status, Ty, Value};
use nntutor::nn::{Rng, seeded};
use rand::Rng as _;
use serde_json::Value as Json;

/// Paths inside `snap.panels` holding a non-finite number. serde_json
/// writes NaN and ∞ as `null`; the only legitimate nulls are unset axis
/// bounds.
fn non_finite_panels(snap: &Snapshot) -> Vec<String> {
    fn walk(v: &Json, path: &str, out: &mut Vec<String>) {
        match v {
            Json::Null if !path.ends_with(".bounds") => out.push(path.to_string()),
            Json::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{path}[{i}]"), out);
                }
            }
            Json::Object(o) => {
                for (k, x) in o {
                    walk(x, &format!("{path}.{k}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(
        &serde_json::to_value(&snap.panels).unwrap(),
        "panels",
        &mut out,
    );
    out
}

/// Every panel of the kind, so each drawing path is exercised.
fn all_panels(kind: &KindSpec) -> Value {
    let ids = kind.panels.iter().map(|p| Value::Str(p.name.to_string()));
    Value::List(ids.collect())
}

/// A value for `ty`: an edge (min or max) a third of the time, else
/// log-uniform in the range (so small sizes are common and runs stay
/// short), or the default when `None`.
fn sample(ty: Ty, rng: &mut Rng) -> Option<Value> {
    let int = |rng: &mut Rng, min: i64, max: i64| -> i64 {
        match rng.random_range(0..6) {
            0 => min,
            1 => max,
            _ => {
                let (lo, hi) = ((min.max(0) as f64 + 1.0).ln(), (max as f64 + 1.0).ln());
                ((rng.random_range(lo..=hi).exp() - 1.0).round() as i64).clamp(min, max)
            }
        }
    };
    Some(match ty {
        Ty::Bool => Value::Bool(rng.random()),
        // Seeds only pick streams; sizes are what can blow up.
        Ty::Int { min, max } if max > 1 << 40 => Value::Int(rng.random_range(min..=1000)),
        Ty::Int { min, max } => Value::Int(int(rng, min, max)),
        Ty::Float {
            min,
            max,
            min_exclusive,
        } => {
            let lo = if min_exclusive {
                // The smallest positive values stress divisions.
                min + f64::EPSILON.max(min.abs() * 1e-12)
            } else {
                min
            };
            Value::Float(match rng.random_range(0..6) {
                0 => lo,
                1 => max,
                _ => rng.random_range(lo..=max),
            })
        }
        Ty::Choice(c) => Value::Str(c[rng.random_range(0..c.len())].to_string()),
        Ty::IntList {
            min,
            max,
            min_len,
            max_len,
        } => {
            let n = rng.random_range(min_len..=max_len);
            Value::List((0..n).map(|_| Value::Int(int(rng, min, max))).collect())
        }
        Ty::ChoiceList(_) | Ty::KeyList => return None,
    })
}

/// Random in-range parameters: each key randomized with probability ½,
/// else its default (defaults are consistent across keys, so many draws
/// also pass the kinds' cross-key checks). A `layers` list keeps its
/// default ends, which must match the data set.
fn random_params(kind: &'static KindSpec, rng: &mut Rng) -> Params {
    let mut raw = vec![("panels".to_string(), all_panels(kind))];
    // About four keys per draw on a kind with many: more rarely pass the
    // cross-key checks together (a plane input on a 1-D set, a loss that
    // does not fit the data) than they build something worth running.
    let p = (4.0 / kind.keys.len() as f64).clamp(0.1, 0.5);
    for key in kind.keys {
        if !rng.random_bool(p) {
            continue;
        }
        let Some(mut v) = sample(key.ty, rng) else {
            continue;
        };
        if let (Value::List(list), Value::List(default)) = (&mut v, key.default.value())
            && key.name == "layers"
            && list.len() >= 2
            && rng.random_bool(0.8)
        {
            list[0] = default[0].clone();
            let last = list.len() - 1;
            list[last] = default[default.len() - 1].clone();
        }
        raw.push((key.name.to_string(), v));
    }
    kind.validate(&raw).expect("sampled values are in range")
}

fn cases() -> usize {
    std::env::var("NNTUTOR_EDGE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}

/// For every kind, random in-range parameters (edges included) build or are
/// refused with a `ParamError`, run a few iterations, and snapshot with only
/// finite panel values, while running, done or diverged.
#[test]
fn every_kind_gives_finite_panels_at_its_edges() {
    let mut rng = seeded(2024);
    let mut problems = Vec::new();
    for kind in KINDS {
        let (mut built, mut refused) = (0, 0);
        for case in 0..cases() {
            let params = random_params(kind, &mut rng);
            let Ok(mut d) = demo::build(&params) else {
                refused += 1;
                continue;
            };
            built += 1;
            for _ in 0..3 {
                let snap = d.snapshot();
                let bad = non_finite_panels(&snap);
                if !bad.is_empty() {
                    problems.push(format!(
                        "{} case {case} at iteration {}: non-finite {bad:?}\nparams: {:?}",
                        kind.name,
                        snap.iteration,
                        params.iter().collect::<Vec<_>>()
                    ));
                }
                if d.status() != Status::Running {
                    break;
                }
                d.advance(2);
            }
        }
        eprintln!("{}: {built} built, {refused} refused", kind.name);
        assert!(built > 0, "{}: every draw was refused", kind.name);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `train` kind driven over its edges by the library: the iteration
/// at which each run first reports divergence, found by single steps.
fn diverges_at(sets: &[(&str, Value)], steps: usize) -> Option<usize> {
    let kind = demo::kind("train").unwrap();
    let mut raw = vec![("steps".to_string(), Value::Int(steps as i64))];
    raw.extend(sets.iter().map(|(k, v)| (k.to_string(), v.clone())));
    let mut d = demo::build(&kind.validate(&raw).unwrap()).unwrap();
    while d.status() == Status::Running {
        let before = d.iteration();
        d.advance(1);
        if let Status::Diverged { at } = d.status() {
            // Reported at the step that broke, with the last finite state.
            assert_eq!(at, before + 1);
            assert_eq!(d.iteration(), before);
            return Some(at);
        }
    }
    None
}

mod cli {
    use super::*;
    use assert_cmd::Command;

    const LESSON: &str = "+++\nid = \"edge\"\ntitle = \"Edges\"\norder = 1\n+++\n\n## Train\n\nWatch it.\n\n```demo\nkind = \"train\"\npanels = [\"loss\", \"fit\", \"hidden-units\", \"weights\", \"zeros\"]\n```\n";

    fn run(path: &str, sets: &[&str], steps: usize, json: bool) -> (String, String) {
        let mut c = Command::cargo_bin("nntutor").unwrap();
        c.env("NO_COLOR", "1")
            .timeout(std::time::Duration::from_secs(120))
            .args(["run", path, "--steps", &steps.to_string()]);
        for s in sets {
            c.args(["--set", s]);
        }
        if json {
            c.arg("--json");
        }
        let out = c.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{sets:?}: {err}");
        (String::from_utf8(out.stdout).unwrap(), err)
    }

    /// Edges of `train`: (--set arguments, the same as values, whether
    /// the run must diverge).
    #[allow(clippy::type_complexity)]
    fn edge_cases() -> Vec<(Vec<&'static str>, Vec<(&'static str, Value)>, Option<bool>)> {
        let f = Value::Float;
        let s = |x: &str| Value::Str(x.into());
        let ints = |v: &[i64]| Value::List(v.iter().map(|&i| Value::Int(i)).collect());
        vec![
            (vec!["lr=100"], vec![("lr", f(100.0))], Some(true)),
            (
                vec!["init=normal", "init_scale=100"],
                vec![("init", s("normal")), ("init_scale", f(100.0))],
                None,
            ),
            (
                vec!["init=normal", "init_scale=100", "lr=100"],
                vec![
                    ("init", s("normal")),
                    ("init_scale", f(100.0)),
                    ("lr", f(100.0)),
                ],
                Some(true),
            ),
            (
                vec!["layers=[1, 512, 1]", "lr=5"],
                vec![("layers", ints(&[1, 512, 1])), ("lr", f(5.0))],
                None,
            ),
            // Coupled L2 with ηλ > 2 flips and grows the weights each step.
            (
                vec!["l2=10", "lr=1"],
                vec![("l2", f(10.0)), ("lr", f(1.0))],
                Some(true),
            ),
            (
                vec!["l1=10", "lr=1"],
                vec![("l1", f(10.0)), ("lr", f(1.0))],
                None,
            ),
            (
                vec!["keep_prob=0.001", "dropout_mode=inverted"],
                vec![("keep_prob", f(0.001)), ("dropout_mode", s("inverted"))],
                None,
            ),
        ]
    }

    const STEPS: usize = 150;

    /// Runs every edge case through `nntutor run --json`; yields the
    /// arguments, the iteration the library finds by single steps, and the
    /// last JSON line.
    fn edge_runs() -> Vec<(Vec<&'static str>, Option<usize>, Json)> {
        // One folder per call: the two tests below run in parallel.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("nntutor-edges-{}-{call}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("edge.md");
        std::fs::write(&path, LESSON).unwrap();
        let path = path.display().to_string();
        let mut runs = Vec::new();
        for (sets, values, must) in edge_cases() {
            let at = diverges_at(&values, STEPS);
            if let Some(must) = must {
                assert_eq!(at.is_some(), must, "{sets:?}");
            }
            let (out, _) = run(&path, &sets, STEPS, true);
            let last: Json = serde_json::from_str(out.lines().last().unwrap()).unwrap();
            if let Some(n) = at {
                let (text, _) = run(&path, &sets, STEPS, false);
                assert!(
                    text.contains(&format!("diverged at iteration {n}")),
                    "{sets:?}:\n{text}"
                );
            }
            runs.push((sets, at, last));
        }
        let _ = std::fs::remove_dir_all(&dir);
        runs
    }

    /// Each edge of `train` through `nntutor run`: the JSON names the
    /// iteration the library finds by single steps and shows the state
    /// before it, and text mode says "diverged at iteration N".
    #[test]
    fn train_edges_report_divergence_where_it_happens() {
        for (sets, at, last) in edge_runs() {
            match at {
                Some(n) => {
                    assert_eq!(last["status"], "diverged", "{sets:?}");
                    assert_eq!(last["diverged_at"], n, "{sets:?}");
                    assert_eq!(last["iteration"], n - 1, "last finite state: {sets:?}");
                }
                None => assert_eq!(last["status"], "done", "{sets:?}"),
            }
        }
    }

    /// Every panel value and metric of those runs is finite.
    ///
    /// Weights near 1e160 (finite) must not overflow `weight_norm` or the
    /// σ band of the `weights` panel when squared.
    #[test]
    fn train_edges_keep_every_value_finite() {
        let mut problems = Vec::new();
        for (sets, _, last) in edge_runs() {
            let mut bad = Vec::new();
            find_nulls(&last["panels"], "panels", &mut bad);
            find_nulls(&last["metrics"], "metrics", &mut bad);
            if !bad.is_empty() {
                problems.push(format!("{sets:?}: non-finite {bad:?}"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    fn find_nulls(v: &Json, path: &str, out: &mut Vec<String>) {
        match v {
            Json::Null if !path.ends_with(".bounds") => out.push(path.to_string()),
            Json::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    find_nulls(x, &format!("{path}[{i}]"), out);
                }
            }
            Json::Object(o) => {
                for (k, x) in o {
                    find_nulls(x, &format!("{path}.{k}"), out);
                }
            }
            _ => {}
        }
    }
}
