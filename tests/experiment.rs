//! The general `train` experiment: the instructor lessons written on its
//! keys alone (tests/fixtures/course) prove their claims, and each key does
//! what its documentation says, measured on a headless run.

use std::path::PathBuf;

use nntutor::demo::{self, Demo, Metric, Params, Snapshot, Status, Value};
use nntutor::lesson::Catalog;
use nntutor::lesson::expect;

fn params(raw: &[(&str, Value)]) -> Result<Params, Vec<demo::ParamError>> {
    let raw: Vec<(String, Value)> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let p = demo::kind("train").unwrap().validate(&raw)?;
    (p.kind().check)(&p).map_err(|e| vec![e])?;
    Ok(p)
}

fn run(raw: &[(&str, Value)]) -> Box<dyn Demo> {
    let mut d = demo::build(&params(raw).unwrap()).unwrap();
    demo::run_to_end(d.as_mut(), 50, |_| {});
    d
}

fn num(s: &Snapshot, name: &str) -> f64 {
    match s.metrics.iter().find(|(k, _)| k == name).map(|(_, m)| m) {
        Some(Metric::Num(v)) => *v,
        Some(Metric::Bool(b)) => f64::from(u8::from(*b)),
        other => panic!("{name}: {other:?}"),
    }
}

fn has(s: &Snapshot, name: &str) -> bool {
    s.metrics.iter().any(|(k, _)| k == name)
}

fn i(v: i64) -> Value {
    Value::Int(v)
}
fn f(v: f64) -> Value {
    Value::Float(v)
}
fn s(v: &str) -> Value {
    Value::Str(v.into())
}
fn ints(v: &[i64]) -> Value {
    Value::List(v.iter().map(|&x| Value::Int(x)).collect())
}
fn strs(v: &[&str]) -> Value {
    Value::List(v.iter().map(|&x| Value::Str(x.into())).collect())
}

/// The error key of a refused configuration.
fn refused_at(raw: &[(&str, Value)]) -> String {
    match params(raw) {
        Ok(_) => panic!("{raw:?} was accepted"),
        Err(e) => e[0].key.clone(),
    }
}

#[test]
fn the_instructor_lessons_parse_and_every_claim_holds() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course");
    let catalog = Catalog::load_only(&[dir]);
    assert_eq!(catalog.broken(), 0);
    let mut held = 0;
    let mut failed = Vec::new();
    for e in &catalog.entries {
        let lesson = e.lesson.as_ref().unwrap();
        assert!(e.warnings.is_empty(), "{}: {:?}", lesson.id, e.warnings);
        for (ex, outcomes) in expect::prove(lesson) {
            let outcomes = outcomes.unwrap_or_else(|m| panic!("{}: {m:?}", lesson.id));
            for (c, o) in ex.claims.iter().zip(outcomes) {
                if o.passes(ex.hold) {
                    held += 1;
                } else {
                    failed.push(format!(
                        "{}:{}: {} measured {:?}",
                        lesson.id, c.line, c.text, o.measured
                    ));
                }
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(held >= 10, "{held}");
}

#[test]
fn every_optimizer_lowers_the_loss_and_the_plain_path_is_unchanged() {
    let base = [
        ("steps", i(300)),
        ("layers", ints(&[1, 16, 1])),
        ("samples", i(64)),
    ];
    let start = {
        let d = demo::build(&params(&base).unwrap()).unwrap();
        num(&d.snapshot(), "train_loss")
    };
    for (opt, lr) in [
        ("sgd", 0.1),
        ("momentum", 0.05),
        ("nesterov", 0.05),
        ("rmsprop", 0.003),
        ("adam", 0.01),
        ("adamw", 0.01),
    ] {
        let mut raw = base.to_vec();
        raw.push(("optimizer", s(opt)));
        raw.push(("lr", f(lr)));
        let d = run(&raw);
        let end = num(&d.snapshot(), "train_loss");
        assert!(d.status() == Status::Done, "{opt}");
        assert!(end < 0.5 * start, "{opt}: {start} → {end}");
    }
    // `optimizer = "sgd"` without weight decay is the shipped update, bit for bit.
    let plain = run(&base).snapshot();
    let mut raw = base.to_vec();
    raw.push(("optimizer", s("sgd")));
    assert_eq!(plain.metrics, run(&raw).snapshot().metrics);
    // With weight decay it goes through the optimizer, and the weights shrink.
    raw.push(("weight_decay", f(0.5)));
    let decayed = run(&raw).snapshot();
    assert!(num(&decayed, "weight_norm") < num(&plain, "weight_norm"));
}

#[test]
fn mini_batches_shuffle_per_epoch_and_still_learn() {
    let base = [
        ("steps", i(400)),
        ("layers", ints(&[1, 16, 1])),
        ("samples", i(64)),
        ("lr", f(0.1)),
    ];
    let full = run(&base).snapshot();
    let mut raw = base.to_vec();
    raw.push(("batch_size", i(8)));
    let a = run(&raw).snapshot();
    let b = run(&raw).snapshot();
    assert_eq!(a.metrics, b.metrics, "deterministic");
    assert_ne!(num(&a, "train_loss"), num(&full, "train_loss"));
    assert!(num(&a, "train_loss") < 0.1, "{}", num(&a, "train_loss"));
    // A batch at least the training set is full batch.
    let mut raw = base.to_vec();
    raw.push(("batch_size", i(64)));
    assert_eq!(run(&raw).snapshot().metrics, full.metrics);
}

#[test]
fn schedules_follow_their_formulas() {
    let at = |sched: &str, steps: i64, extra: &[(&str, Value)]| {
        let mut raw = vec![
            ("steps", i(steps)),
            ("lr", f(0.2)),
            ("lr_schedule", s(sched)),
        ];
        raw.extend_from_slice(extra);
        num(&run(&raw).snapshot(), "lr")
    };
    // StepLR: 0.2 · 0.5^⌊250/100⌋ = 0.05.
    assert!((at("step", 250, &[]) - 0.05).abs() < 1e-15);
    assert!(
        (at(
            "step",
            250,
            &[("lr_gamma", f(0.1)), ("lr_step_size", i(50))]
        ) - 0.2 * 1e-5)
            .abs()
            < 1e-18
    );
    // Cosine reaches 0 at the last step; warm-up reaches lr after warmup_steps.
    assert!(at("cosine", 200, &[]).abs() < 1e-15);
    assert!((at("warmup", 30, &[("warmup_steps", i(60))]) - 0.2 * 31.0 / 60.0).abs() < 1e-15);
    assert!((at("warmup", 200, &[]) - 0.2).abs() < 1e-15);
    let constant = run(&[("steps", i(10))]).snapshot();
    assert!(!has(&constant, "lr"), "no lr metric without a schedule");
}

#[test]
fn validation_holds_out_the_tail_and_patience_stops_at_the_best() {
    let raw = [
        ("dataset", s("circles")),
        ("layers", ints(&[2, 32, 2])),
        ("samples", i(50)),
        ("label_noise", f(0.3)),
        ("validation", f(0.2)),
        ("patience", i(50)),
        ("optimizer", s("adam")),
        ("lr", f(0.02)),
        ("steps", i(5000)),
    ];
    let d = run(&raw);
    let snap = d.snapshot();
    assert_eq!(d.status(), Status::Done);
    assert_eq!(num(&snap, "stopped_early"), 1.0);
    let best = num(&snap, "best_iteration");
    assert_eq!(
        d.iteration() as f64,
        best + 50.0,
        "stops 50 steps after the best"
    );
    assert!(num(&snap, "best_val_loss") <= num(&snap, "val_loss"));
    // The loss chart has the validation curve and the best point.
    let loss = snap.panels.iter().find(|p| p.id == "loss").unwrap();
    let nntutor::demo::PanelBody::Series { series } = &loss.body else {
        panic!("series")
    };
    assert_eq!(series.len(), 4);
    assert_eq!(series[3].points, vec![[best, num(&snap, "best_val_loss")]]);
}

#[test]
fn the_new_data_sets_have_their_shapes_and_features() {
    use nntutor::nn::data::{DataSpec, Input, generate};
    use nntutor::nn::seeded;
    let inputs = [Input::X1, Input::X2, Input::X1X2, Input::SinX1];
    let spec = DataSpec {
        classes: 4,
        label_noise: 0.0,
        inputs: &inputs,
        ..DataSpec::new("spirals", 400, 100, 0.0)
    };
    let d = generate(&spec, &mut seeded(1)).unwrap();
    assert_eq!(d.x_train.dim(), (400, 4));
    assert_eq!(d.y_train.dim(), (400, 4));
    for (x, p) in d.x_train.rows().into_iter().zip(d.points_train.rows()) {
        assert_eq!(x[2], p[0] * p[1]);
        assert_eq!(x[3], (std::f64::consts::PI * p[0]).sin());
    }
    // Balanced classes.
    for k in 0..4 {
        assert_eq!(d.y_train.column(k).sum(), 100.0);
    }
    // Label noise flips about that fraction of training labels, none of the test's.
    let clean = generate(&DataSpec::new("gauss", 2000, 10, 0.0), &mut seeded(2)).unwrap();
    let noisy_spec = DataSpec {
        label_noise: 0.25,
        ..DataSpec::new("gauss", 2000, 10, 0.0)
    };
    let noisy = generate(&noisy_spec, &mut seeded(2)).unwrap();
    let flipped = (0..2000)
        .filter(|&r| clean.y_train.row(r) != noisy.y_train.row(r))
        .count();
    assert!((400..600).contains(&flipped), "{flipped}");
    // The two gauss blobs sit at ±(0.42, 0.42).
    let c0: f64 = (0..2000)
        .step_by(2)
        .map(|r| clean.points_train[[r, 0]])
        .sum::<f64>()
        / 1000.0;
    assert!(
        (c0 - 0.6 * std::f64::consts::FRAC_1_SQRT_2).abs() < 0.03,
        "{c0}"
    );
    // plane: y = (x1 + x2)/2 exactly without noise.
    let p = generate(&DataSpec::new("plane", 50, 5, 0.0), &mut seeded(3)).unwrap();
    for (y, pt) in p.y_train.iter().zip(p.points_train.rows()) {
        assert!((y - (pt[0] + pt[1]) / 2.0).abs() < 1e-15);
    }
}

#[test]
fn binary_cross_entropy_uses_one_logit_and_classifies() {
    let d = run(&[
        ("dataset", s("moons")),
        ("layers", ints(&[2, 16, 1])),
        ("loss", s("binary_cross_entropy")),
        ("optimizer", s("adam")),
        ("lr", f(0.02)),
        ("steps", i(600)),
        ("samples", i(200)),
    ]);
    let snap = d.snapshot();
    assert!(
        num(&snap, "test_accuracy") > 0.95,
        "{}",
        num(&snap, "test_accuracy")
    );
    let fit = snap.panels.iter().find(|p| p.id == "fit").unwrap();
    let nntutor::demo::PanelBody::Heat { values, .. } = &fit.body else {
        panic!("heat")
    };
    assert!(values.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn layer_norm_and_batch_norm_train_a_deep_net() {
    for norm in ["batch_norm", "layer_norm"] {
        let d = run(&[
            ("layers", ints(&[1, 16, 16, 16, 16, 1])),
            ("activation", s("relu")),
            ("norm", s(norm)),
            ("optimizer", s("adam")),
            ("lr", f(0.01)),
            ("steps", i(400)),
            ("samples", i(64)),
        ]);
        let loss = num(&d.snapshot(), "train_loss");
        assert!(loss < 0.05, "{norm}: {loss}");
    }
}

#[test]
fn configurations_that_cannot_run_are_refused_at_the_right_key() {
    let cases: &[(&[(&str, Value)], &str)] = &[
        (&[("classes", i(3))], "classes"),
        (
            &[
                ("dataset", s("circles")),
                ("layers", ints(&[2, 5, 2])),
                ("classes", i(3)),
            ],
            "classes",
        ),
        (&[("label_noise", f(0.1))], "label_noise"),
        (&[("inputs", strs(&["x1", "x1^2"]))], "inputs"),
        (
            &[
                ("dataset", s("xor")),
                ("inputs", strs(&[])),
                ("layers", ints(&[2, 5, 2])),
            ],
            "inputs",
        ),
        (&[("loss", s("cross_entropy"))], "loss"),
        (
            &[
                ("dataset", s("spirals")),
                ("classes", i(3)),
                ("loss", s("binary_cross_entropy")),
                ("layers", ints(&[2, 5, 1])),
            ],
            "loss",
        ),
        (
            &[
                ("dataset", s("xor")),
                ("loss", s("binary_cross_entropy")),
                ("layers", ints(&[2, 5, 2])),
            ],
            "layers",
        ),
        (
            &[
                ("dataset", s("xor")),
                ("inputs", strs(&["x1", "x2", "x1*x2"])),
                ("layers", ints(&[2, 5, 2])),
            ],
            "layers",
        ),
        (&[("norm_layers", ints(&[2]))], "norm_layers"),
        (
            &[("norm", s("batch_norm")), ("batch_size", i(1))],
            "batch_size",
        ),
        (&[("patience", i(10))], "patience"),
        (&[("validation", f(0.01)), ("samples", i(10))], "validation"),
        (
            &[("optimizer", s("nesterov")), ("momentum", f(0.0))],
            "momentum",
        ),
        (
            &[
                ("layers", ints(&[1, 512, 512, 512, 1])),
                ("samples", i(200)),
                ("steps", i(100_000)),
            ],
            "steps",
        ),
        (&[("eval_mode", s("train"))], "eval_mode"),
        (&[("eval_batch", i(8))], "eval_batch"),
        (
            &[
                ("norm", s("batch_norm")),
                ("eval_mode", s("train")),
                ("eval_batch", i(1)),
            ],
            "eval_batch",
        ),
        (
            &[
                ("dataset", s("spirals")),
                ("classes", i(3)),
                ("layers", ints(&[2, 5, 1])),
                ("loss", s("sigmoid_mse")),
            ],
            "loss",
        ),
    ];
    for (raw, key) in cases {
        assert_eq!(refused_at(raw), *key, "{raw:?}");
    }
    // An unknown optimizer lists the choices.
    let e = params(&[("optimizer", s("adagrad"))]).unwrap_err();
    let text = e[0].text(nntutor::i18n::Lang::En);
    assert!(
        text.contains("sgd, momentum, nesterov, rmsprop, adam, adamw"),
        "{text}"
    );
}

#[test]
fn layer_charts_and_the_weight_history_are_measured_and_log_y_applies() {
    let d = run(&[
        ("layers", ints(&[1, 8, 8, 1])),
        ("steps", i(120)),
        (
            "panels",
            strs(&["loss", "layer-std", "layer-grads", "weight-history"]),
        ),
        ("log_y", strs(&["loss", "fit"])),
    ]);
    let snap = d.snapshot();
    let panel = |id: &str| snap.panels.iter().find(|p| p.id == id).unwrap();
    assert!(panel("loss").y.log, "log_y turns the loss axis logarithmic");
    for id in ["layer-std", "layer-grads"] {
        let nntutor::demo::PanelBody::Series { series } = &panel(id).body else {
            panic!("{id}")
        };
        assert_eq!(series.len(), if id == "layer-std" { 2 } else { 3 }, "{id}");
        assert!(panel(id).y.log);
        assert!(series.iter().all(|s| s.points.len() > 100), "{id}");
    }
    let Some(Metric::Nums(std)) = snap
        .metrics
        .iter()
        .find(|(k, _)| k == "layer_std")
        .map(|(_, m)| m.clone())
    else {
        panic!("layer_std")
    };
    assert_eq!(std.len(), 2);
    assert!(
        std.iter().all(|&v| v > 0.0 && v < 1.0),
        "tanh outputs: {std:?}"
    );
    // Each column of the weight history is a distribution over the bins.
    let nntutor::demo::PanelBody::Heat { nx, ny, values, .. } = &panel("weight-history").body
    else {
        panic!("heat")
    };
    assert!(*nx > 100);
    for c in 0..*nx {
        let total: f64 = (0..*ny).map(|r| values[r * nx + c]).sum();
        assert!((total - 1.0).abs() < 1e-9, "column {c}: {total}");
    }
}

#[test]
fn the_neuron_maps_tile_the_first_hidden_layer_over_the_plane() {
    let d = run(&[
        ("dataset", s("circles")),
        ("layers", ints(&[2, 6, 2])),
        ("steps", i(50)),
        ("panels", strs(&["neurons"])),
    ]);
    let snap = d.snapshot();
    let nntutor::demo::PanelBody::Heat { nx, ny, values, .. } = &snap.panels[0].body else {
        panic!("heat")
    };
    // Six units: four tiles in the top row, two in the bottom one.
    assert_eq!((*nx, *ny), (64, 32));
    let tile = |col: usize, row_from_top: usize| {
        let mut v = Vec::new();
        for y in 0..16 {
            for x in 0..16 {
                v.push(values[((1 - row_from_top) * 16 + y) * nx + col * 16 + x]);
            }
        }
        v
    };
    for j in 0..6 {
        let t = tile(j % 4, j / 4);
        let (lo, hi) = t
            .iter()
            .fold((1.0f64, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
        assert_eq!((lo, hi), (0.0, 1.0), "unit {} spans its own scale", j + 1);
    }
    // The two empty tiles stay at the middle of the scale.
    assert!(tile(2, 1).iter().chain(&tile(3, 1)).all(|&v| v == 0.5));
    // A 1-D set has nothing to map, and says so.
    let one_d = run(&[("steps", i(5)), ("panels", strs(&["neurons"]))]).snapshot();
    assert!(matches!(
        &one_d.panels[0].body,
        nntutor::demo::PanelBody::Series { series } if series.is_empty()
    ));
}

#[test]
fn a_live_weight_decay_on_a_plain_sgd_run_rebuilds_it_and_takes_effect() {
    let base = params(&[("steps", i(200)), ("layers", ints(&[1, 16, 1]))]).unwrap();
    let mut d = demo::build(&base).unwrap();
    d.advance(50);
    let raw: Vec<(String, Value)> = vec![
        ("steps".into(), i(200)),
        ("layers".into(), ints(&[1, 16, 1])),
        ("weight_decay".into(), f(0.5)),
    ];
    let decayed = demo::kind("train").unwrap().validate(&raw).unwrap();
    // The plain update cannot apply weight decay: the caller must rebuild.
    assert!(!d.apply_live(&decayed));
    // A live lr change stays live.
    let raw: Vec<(String, Value)> = vec![
        ("steps".into(), i(200)),
        ("layers".into(), ints(&[1, 16, 1])),
        ("lr".into(), f(0.05)),
    ];
    let slower = demo::kind("train").unwrap().validate(&raw).unwrap();
    assert!(d.apply_live(&slower));
    assert_eq!(d.iteration(), 50);
}

/// A stack of linear layers is one matrix: with the identity activation
/// the net's outputs and the product matrix's agree to rounding, and a net
/// with a non-linearity reports no such number.
#[test]
fn linear_layers_collapse_to_one_matrix() {
    let deep = [
        ("dataset", s("circles")),
        ("layers", ints(&[2, 8, 8, 8, 2])),
        ("activation", s("identity")),
        ("steps", i(200)),
    ];
    let mut d = run(&deep);
    d.advance(200);
    let s1 = d.snapshot();
    let e = num(&s1, "collapse_error");
    assert!(e < 1e-12, "{e:e}");
    let mut tanh = deep.to_vec();
    tanh[2] = ("activation", s("tanh"));
    let mut d = run(&tanh);
    d.advance(10);
    assert!(!has(&d.snapshot(), "collapse_error"));
}
