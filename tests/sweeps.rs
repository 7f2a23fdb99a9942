//! Steps that run several runs side by side (`sweep.KEY = [...]`, `[[run]]`
//! tables): parse errors at the offending line, per-run metrics in JSON and
//! in claims, overlaid charts, knobs and `--set` that leave the swept key
//! alone.

use nntutor::demo::{self, Demo, PanelBody, Value};
use nntutor::lesson::{Catalog, Severity};
use serde_json::Value as Json;

mod common;
use common::{fixture, nntutor};

fn sweep() -> String {
    fixture("sweep/en/lr-sweep.md").display().to_string()
}

/// stdout of a successful run; asserts exit 0 and no panic.
fn stdout_of(args: &[&str]) -> String {
    let out = nntutor().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_bad_sweep_is_one_error_at_its_own_line() {
    let cases = [
        ("sweep_unknown_key.md", 13, 7, "unknown key `learning_rate`"),
        ("sweep_bad_value.md", 13, 18, "`lr` = -1 is out of range"),
        ("sweep_too_many.md", 13, 12, "at most 8 runs side by side"),
        (
            "sweep_and_runs.md",
            15,
            3,
            "a `sweep` or `[[run]]` tables, not both",
        ),
        ("sweep_two_keys.md", 14, 7, "a sweep varies one key"),
        ("sweep_not_list.md", 13, 12, "must be a list of values"),
        ("sweep_duplicate.md", 13, 22, "`sweep.std` lists 1 twice"),
        (
            "sweep_shared_key.md",
            13,
            7,
            "`panels` is shared by every run",
        ),
        ("run_bad_value.md", 18, 6, "`lr` must be a number"),
        (
            "run_duplicate_label.md",
            18,
            1,
            "two runs are labelled \"slow\"",
        ),
        (
            "run_cross_key.md",
            18,
            1,
            "run dataset=spirals: `layers` starts with 1",
        ),
        ("run_too_many.md", 29, 1, "this is run 9"),
        (
            "run_not_table.md",
            13,
            7,
            "write each run as a `[[run]]` table",
        ),
        ("expect_no_such_run.md", 18, 1, "`std@3` reads run 3"),
        (
            "diff_one_run.md",
            13,
            10,
            "the `diff` panel compares runs, and this step runs one",
        ),
        (
            "runs_over_budget.md",
            15,
            9,
            "these 2 runs together need 87 MB and 3.2 TFLOP",
        ),
        (
            "retired_weight_decay.md",
            12,
            8,
            "kind \"weight-decay\" is now a \"train\" step with two runs",
        ),
    ];
    for (file, line, col, words) in cases {
        let catalog = Catalog::load_only(&[fixture(&format!("bad_sweeps/{file}"))]);
        assert_eq!(catalog.entries.len(), 1, "{file}");
        let errs = catalog.entries[0].lesson.as_ref().expect_err(file);
        assert_eq!(errs.len(), 1, "{file}: {errs:#?}");
        let d = &errs[0];
        assert_eq!((d.line, d.col), (line, col), "{file}: {d}");
        assert!(d.message.to_string().contains(words), "{file}: {d}");
        assert_eq!(d.severity, Severity::Error);
    }
    let help = |file: &str| {
        let c = Catalog::load_only(&[fixture(&format!("bad_sweeps/{file}"))]);
        let d = &c.entries[0].lesson.as_ref().unwrap_err()[0];
        d.help.as_ref().map(ToString::to_string).unwrap_or_default()
    };
    let migrate = help("retired_weight_decay.md");
    assert!(
        migrate.contains("l2_mode = \"decoupled\"") && migrate.contains("max_abs_diff@2"),
        "{migrate}"
    );
    let keys = help("sweep_unknown_key.md");
    assert!(
        keys.contains("lr, l1") && keys.contains("did you mean `lr`?"),
        "{keys}"
    );
    assert!(!keys.contains("panels"), "{keys}");
}

#[test]
fn the_check_command_prints_the_error_line_and_proves_the_fixture() {
    let path = fixture("bad_sweeps/sweep_bad_value.md");
    let out = nntutor()
        .args(["check", &path.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines().next().unwrap(),
        format!(
            "{}:13:18: error: `lr` = -1 is out of range (0, 100]",
            path.display()
        )
    );
    let out = nntutor()
        .args(["check", "--run", &sweep()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("claims: 8 held, 0 failed"), "{err}");
}

#[test]
fn a_swept_knob_is_dropped_with_a_warning() {
    let text = std::fs::read_to_string(sweep())
        .unwrap()
        .replace("knobs = [\"l2\"]", "knobs = [\"lr\", \"l2\"]");
    let dir = common::TempDir::new("swept-knob");
    let path = dir.0.join("lr.md");
    std::fs::write(&path, text).unwrap();
    let c = Catalog::load_only(&[path]);
    let lesson = c.entries[0].lesson.as_ref().unwrap();
    assert_eq!(lesson.steps[0].demo.as_ref().unwrap().knobs, ["l2"]);
    let w = &c.entries[0].warnings;
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].message
            .to_string()
            .contains("knob \"lr\" differs between this step's runs")
    );
}

#[test]
fn run_json_names_each_run_and_suffixes_its_metrics() {
    let out = stdout_of(&["run", &sweep(), "--json", "--every", "100"]);
    let lines: Vec<Json> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    let last = lines.last().unwrap();
    assert_eq!(last["status"], "done");
    assert_eq!(last["iteration"], 300);
    let runs = last["runs"].as_array().unwrap();
    let labels: Vec<&str> = runs.iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["lr=0.01", "lr=0.3", "lr=3"]);
    let suffixes: Vec<&str> = runs.iter().map(|r| r["suffix"].as_str().unwrap()).collect();
    assert_eq!(suffixes, ["", "@2", "@3"]);
    assert_eq!(runs[2]["params"]["lr"], 3.0);
    // The swept key is in the runs, not among the shared values.
    assert!(last["params"].get("lr").is_none() && last["params"]["steps"] == 300);
    let m = &last["metrics"];
    assert_eq!(m["diverged"], false);
    assert_eq!(m["diverged@3"], true);
    assert!(m["train_loss@2"].as_f64().unwrap() < m["train_loss"].as_f64().unwrap());
    assert!(m["iteration@3"].as_f64().unwrap() < 300.0);
    // The loss chart: one line per run, named by its label, in run order.
    let loss = &last["panels"][0];
    assert_eq!(loss["id"], "loss");
    let names: Vec<&str> = loss["body"]["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[..2], ["lr=0.01", "lr=0.3"]);
    assert!(names[2].starts_with("lr=3 (diverged at "), "{names:?}");
    // The fit chart: three model curves, then the first run's data and truth.
    let fit: Vec<&str> = last["panels"][1]["body"]["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(fit.len(), 6, "{fit:?}");
    // A step without runs prints no `runs`.
    let one = stdout_of(&["run", &sweep(), "--metrics-only", "--set", "steps=5"]);
    assert!(one.contains("\"runs\""));
    let plain = fixture("good/en/three-sigma.md").display().to_string();
    let one = stdout_of(&["run", &plain, "--metrics-only"]);
    assert!(!one.contains("\"runs\"") && !one.contains('@'), "{one}");
}

#[test]
fn set_refuses_the_swept_key_and_applies_others_to_every_run() {
    let out = nntutor()
        .args(["run", &sweep(), "--metrics-only", "--set", "lr=0.5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`lr` differs between this step's runs (0.01, 0.3, 3)"),
        "{err}"
    );
    let out = stdout_of(&["run", &sweep(), "--metrics-only", "--set", "steps=20"]);
    let v: Json = serde_json::from_str(&out).unwrap();
    for k in ["iteration", "iteration@2", "iteration@3"] {
        assert_eq!(v["metrics"][k], 20.0, "{k}");
    }
}

/// The sweep's parameters, straight from the fixture.
fn params() -> demo::Params {
    let c = Catalog::load_only(&[fixture("sweep/en/lr-sweep.md")]);
    let lesson = c.entries[0].lesson.as_ref().unwrap();
    lesson.steps[0].demo.as_ref().unwrap().params.clone()
}

#[test]
fn each_run_reports_what_it_would_report_alone() {
    let p = params();
    let mut d = demo::build(&p).unwrap();
    demo::run_to_end(d.as_mut(), 1000, |_: &dyn Demo| {});
    let s = d.snapshot();
    for (k, (label, alone)) in p.run_params().into_iter().enumerate() {
        let mut one = demo::build(&alone).unwrap();
        demo::run_to_end(one.as_mut(), 1000, |_: &dyn Demo| {});
        let one = one.snapshot();
        for (name, m) in &one.metrics {
            assert_eq!(
                s.metric(&demo::run_metric(name, k)),
                Some(m),
                "{label} {name}"
            );
        }
    }
}

#[test]
fn a_live_knob_reaches_every_run() {
    let p = params();
    let mut d = demo::build(&p).unwrap();
    d.advance(10);
    let live = p.with("l2", Value::Float(0.5)).unwrap();
    assert_eq!(live.runs(), p.runs());
    assert!(d.apply_live(&live));
    d.advance(290);
    let s = d.snapshot();
    // Each run from there on as if built with l2 = 0.5 and stepped alike.
    for (k, (_, alone)) in live.run_params().into_iter().enumerate() {
        let mut one = demo::build(&alone.with("l2", Value::Float(0.0)).unwrap()).unwrap();
        one.advance(10);
        assert!(one.apply_live(&alone));
        one.advance(290);
        let name = demo::run_metric("weight_norm", k);
        assert_eq!(s.num(&name), one.snapshot().num("weight_norm"), "{name}");
    }
    // A restart key is not live; a changed set of runs is not either.
    assert!(!d.apply_live(&p.with("init", Value::Str("zeros".into())).unwrap()));
    let plain = demo::kind("train").unwrap().params(&[]).unwrap();
    assert!(!d.apply_live(&plain));
}

#[test]
fn panels_that_cannot_overlay_show_the_first_run() {
    let kind = demo::kind("gaussian").unwrap();
    let p = kind
        .params(&[("steps", Value::Int(20))])
        .unwrap()
        .with_runs(vec![
            ("narrow".into(), vec![("std".into(), Value::Float(0.01))]),
            ("wide".into(), vec![("std".into(), Value::Float(1.0))]),
        ])
        .unwrap();
    let mut d = demo::build(&p).unwrap();
    demo::run_to_end(d.as_mut(), 7, |_: &dyn Demo| {});
    let s = d.snapshot();
    let hist = &s.panels[0];
    assert!(matches!(hist.body, PanelBody::Histogram { .. }));
    assert!(
        hist.title.to_string().starts_with("narrow: "),
        "{}",
        hist.title
    );
    // The coverage chart: each run's first line (within 1σ), then the
    // first run's reference lines.
    let PanelBody::Series { series } = &s.panels[1].body else {
        panic!("coverage is a line chart");
    };
    let names: Vec<String> = series.iter().map(|s| s.name.to_string()).collect();
    assert_eq!(names[..2], ["narrow", "wide"]);
    assert!(
        names[2..].iter().all(|n| n.starts_with("exact")),
        "{names:?}"
    );
    assert_eq!(s.num("std"), Some(s.num("std").unwrap()));
    assert!(s.num("std@2").unwrap() > 50.0 * s.num("std").unwrap());
}

/// A heat map keeps the first run's grid and draws every run's first
/// overlay line on it, named by the run; the first run's other overlays
/// (the minimum) follow once.
#[test]
fn a_heat_map_draws_the_path_of_every_run() {
    let kind = demo::kind("descent").unwrap();
    let p = kind
        .params(&[("steps", Value::Int(30)), ("condition", Value::Float(50.0))])
        .unwrap()
        .with_runs(vec![
            ("sgd".into(), vec![("lr".into(), Value::Float(0.03))]),
            ("fast".into(), vec![("lr".into(), Value::Float(0.01))]),
            ("too far".into(), vec![("lr".into(), Value::Float(0.05))]),
        ])
        .unwrap();
    let mut d = demo::build(&p).unwrap();
    demo::run_to_end(d.as_mut(), 7, |_: &dyn Demo| {});
    let s = d.snapshot();
    let surface = s.panels.iter().find(|p| p.id == "surface").unwrap();
    let PanelBody::Heat {
        overlay, values, ..
    } = &surface.body
    else {
        panic!("surface is a heat map");
    };
    let alone = {
        let mut one = demo::build(&p.run_params()[0].1).unwrap();
        demo::run_to_end(one.as_mut(), 7, |_: &dyn Demo| {});
        one.snapshot()
    };
    let PanelBody::Heat {
        overlay: first,
        values: first_values,
        ..
    } = &alone
        .panels
        .iter()
        .find(|p| p.id == "surface")
        .unwrap()
        .body
    else {
        panic!("surface is a heat map");
    };
    assert_eq!(values, first_values, "the grid is the first run's");
    let names: Vec<String> = overlay.iter().map(|s| s.name.to_string()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(names[..2], ["sgd", "fast"]);
    assert!(names[2].starts_with("too far (diverged at "), "{names:?}");
    assert!(names[3].starts_with("minimum"), "{names:?}");
    assert_eq!(overlay[0].points, first[0].points, "the first run's path");
    assert_ne!(overlay[1].points, overlay[0].points);
    assert!(
        surface.title.to_string().starts_with("sgd: "),
        "{}",
        surface.title
    );
}

#[test]
fn runs_are_limited_validated_and_distinct() {
    let kind = demo::kind("train").unwrap();
    let p = kind.params(&[]).unwrap();
    let run = |lr: f64| {
        (
            format!("lr={lr}"),
            vec![("lr".to_string(), Value::Float(lr))],
        )
    };
    let nine: Vec<_> = (1..=9).map(|i| run(i as f64 / 10.0)).collect();
    let e = p.with_runs(nine).unwrap_err();
    assert!(e.message.to_string().contains("at most 8 runs"), "{e}");
    let e = p.with_runs(vec![run(0.1), run(0.1)]).unwrap_err();
    assert!(
        e.message.to_string().contains("two runs are labelled"),
        "{e}"
    );
    let e = p
        .with_runs(vec![("x".into(), vec![("lr".into(), Value::Float(-1.0))])])
        .unwrap_err();
    assert!(e.message.to_string().contains("out of range"), "{e}");
    let e = p
        .with_runs(vec![(
            "x".into(),
            vec![("knobs".into(), Value::List(vec![]))],
        )])
        .unwrap_err();
    assert!(e.message.to_string().contains("shared by every run"), "{e}");
    // A cross-key problem of one run is its kind's check failing, naming the run.
    let bad = p
        .with_runs(vec![
            run(0.1),
            (
                "spirals".into(),
                vec![("dataset".into(), Value::Str("spirals".into()))],
            ),
        ])
        .unwrap();
    let e = demo::check(&bad).unwrap_err();
    assert_eq!(e.key, "layers");
    assert!(e.message.to_string().starts_with("run spirals: "), "{e}");
    assert!(demo::build(&bad).is_err());
}

#[test]
fn run_numbers_split_from_metric_names() {
    assert_eq!(demo::split_run("test_loss"), Some(("test_loss", 0)));
    assert_eq!(demo::split_run("test_loss@1"), Some(("test_loss", 0)));
    assert_eq!(demo::split_run("test_loss@3"), Some(("test_loss", 2)));
    for bad in ["x@0", "x@", "x@02", "x@+2", "x@a"] {
        assert_eq!(demo::split_run(bad), None, "{bad}");
    }
    assert_eq!(demo::run_metric("gap", 0), "gap");
    assert_eq!(demo::run_metric("gap", 1), "gap@2");
}
