//! Engine checks: gradients against central finite differences, init
//! statistics against their formulas, determinism, the symmetry collapse of
//! zero/constant init, and divergence handling of the `train` kind.

use ndarray::{Array2, ArrayView2};
use rand_distr::{Distribution, StandardNormal};

use nntutor::demo::{self, Demo, Metric, PanelBody, Params, Snapshot, Status, Value};
use nntutor::nn::data::{self, DataSpec};
use nntutor::nn::{
    Activation, Dropout, DropoutMode, Hidden, Init, L1Mode, L2Mode, Loss, Mlp, Penalty, Sgd, seeded,
};

const LOSSES: [Loss; 4] = [
    Loss::Mse,
    Loss::SoftmaxCrossEntropy,
    Loss::BinaryCrossEntropy,
    Loss::SigmoidMse,
];

fn params(kind: &str, raw: &[(&str, Value)]) -> Params {
    let raw: Vec<(String, Value)> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    demo::kind(kind).unwrap().validate(&raw).unwrap()
}

fn build(kind: &str, raw: &[(&str, Value)]) -> Box<dyn Demo> {
    demo::build(&params(kind, raw)).unwrap()
}

fn ints(v: &[i64]) -> Value {
    Value::List(v.iter().map(|&i| Value::Int(i)).collect())
}

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

fn num(snap: &Snapshot, name: &str) -> f64 {
    snap.num(name)
        .unwrap_or_else(|| panic!("metric {name} missing"))
}

// ---------------------------------------------------------------- gradients

/// Objective J = loss(net(x), y) + penalty(weights), with a fixed hidden treatment.
fn objective(
    net: &Mlp,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    loss: Loss,
    pen: &Penalty,
    masks: &[Array2<f64>],
) -> f64 {
    let mut ws = net.workspace(x.nrows());
    let hidden = if masks.is_empty() {
        Hidden::Plain
    } else {
        ws.masks.clone_from_slice(masks);
        Hidden::Masked
    };
    let out = net.forward(x, &mut ws, hidden).clone();
    loss.value(out.view(), y) + pen.value(net.layers.iter().map(|l| &l.w))
}

/// ‖a − b‖ / max(‖a‖, ‖b‖): the usual gradient-check statistic per parameter array.
fn rel_err(a: &[f64], b: &[f64]) -> f64 {
    let diff = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt();
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    if na.max(nb) == 0.0 {
        0.0
    } else {
        diff / na.max(nb)
    }
}

#[test]
fn every_activation_loss_and_regularizer_gradient_matches_finite_differences() {
    let penalties = [
        ("none", Penalty::default(), None),
        (
            "l1",
            Penalty {
                l1: 0.03,
                l1_mode: L1Mode::Subgradient,
                ..Penalty::default()
            },
            None,
        ),
        (
            "l2",
            Penalty {
                l2: 0.05,
                ..Penalty::default()
            },
            None,
        ),
        (
            "l1+l2",
            Penalty {
                l1: 0.02,
                l2: 0.04,
                ..Penalty::default()
            },
            None,
        ),
        (
            "dropout-inverted",
            Penalty::default(),
            Some(DropoutMode::Inverted),
        ),
        (
            "dropout-classic",
            Penalty::default(),
            Some(DropoutMode::Classic),
        ),
    ];
    let mut checked = 0;
    let mut worst = 0.0f64;
    for act in Activation::ALL {
        for loss in LOSSES {
            for (name, pen, dropout) in &penalties {
                let mut rng = seeded(11);
                let (n, k) = (7, 3);
                let sizes = [4, 6, 5, k];
                let mut net = Mlp::new(&sizes, act, Init::XavierNormal { gain: 1.5 }, &mut rng);
                for l in &mut net.layers {
                    l.b.mapv_inplace(|_| {
                        0.3 * Distribution::<f64>::sample(&StandardNormal, &mut rng)
                    });
                }
                let x = Array2::from_shape_fn((n, 4), |_| StandardNormal.sample(&mut rng));
                let y = match loss {
                    Loss::Mse => Array2::from_shape_fn((n, k), |_| StandardNormal.sample(&mut rng)),
                    Loss::SoftmaxCrossEntropy => {
                        Array2::from_shape_fn((n, k), |(i, j)| f64::from(u8::from(i % k == j)))
                    }
                    Loss::BinaryCrossEntropy | Loss::SigmoidMse => {
                        Array2::from_shape_fn((n, k), |(i, j)| ((3 * i + j) % 5) as f64 / 4.0)
                    }
                };
                let mut ws = net.workspace(n);
                let masks: Vec<Array2<f64>> = match dropout {
                    Some(mode) => {
                        let d = Dropout {
                            keep_prob: 0.6,
                            mode: *mode,
                        };
                        net.sample_masks(&mut ws, &d, &mut rng);
                        ws.masks.clone()
                    }
                    None => Vec::new(),
                };
                let hidden = if masks.is_empty() {
                    Hidden::Plain
                } else {
                    Hidden::Masked
                };
                net.forward(x.view(), &mut ws, hidden);
                net.backward(x.view(), y.view(), loss, &mut ws);
                let h = 1e-5;
                for l in 0..net.layers.len() {
                    let mut gw = ws.grads[l].0.clone();
                    pen.add_gradient(&net.layers[l].w, &mut gw);
                    let mut numeric_w = Vec::new();
                    for idx in 0..gw.len() {
                        let (r, c) = (idx / gw.ncols(), idx % gw.ncols());
                        let mut plus = net.clone();
                        plus.layers[l].w[[r, c]] += h;
                        let mut minus = net.clone();
                        minus.layers[l].w[[r, c]] -= h;
                        numeric_w.push(
                            (objective(&plus, x.view(), y.view(), loss, pen, &masks)
                                - objective(&minus, x.view(), y.view(), loss, pen, &masks))
                                / (2.0 * h),
                        );
                    }
                    let mut numeric_b = Vec::new();
                    for j in 0..net.layers[l].b.len() {
                        let mut plus = net.clone();
                        plus.layers[l].b[j] += h;
                        let mut minus = net.clone();
                        minus.layers[l].b[j] -= h;
                        numeric_b.push(
                            (objective(&plus, x.view(), y.view(), loss, pen, &masks)
                                - objective(&minus, x.view(), y.view(), loss, pen, &masks))
                                / (2.0 * h),
                        );
                    }
                    let ew = rel_err(gw.as_slice().unwrap(), &numeric_w);
                    let eb = rel_err(ws.grads[l].1.as_slice().unwrap(), &numeric_b);
                    worst = worst.max(ew).max(eb);
                    assert!(
                        ew < 1e-6 && eb < 1e-6,
                        "{act:?} {loss:?} {name} layer {l}: weight error {ew:e}, bias error {eb:e}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 8 * LOSSES.len() * penalties.len() * 3);
    eprintln!("largest finite-difference relative error of an MLP gradient: {worst:.2e}");
}

#[test]
fn mean_input_gradient_matches_finite_differences_for_every_activation() {
    let mut worst = 0.0f64;
    for act in Activation::ALL {
        for hidden in [Hidden::Plain, Hidden::Scaled(0.6)] {
            let mut rng = seeded(5);
            let net = Mlp::new(
                &[3, 5, 4, 2],
                act,
                Init::XavierNormal { gain: 1.3 },
                &mut rng,
            );
            let x = Array2::from_shape_fn((6, 3), |_| StandardNormal.sample(&mut rng));
            let got = net.mean_input_gradient(x.view(), hidden);
            // Mean over rows of ∂(sum of outputs)/∂x, one input column at a time.
            let h = 1e-5;
            let mut numeric = Vec::new();
            for j in 0..3 {
                let shifted = |d: f64| {
                    let mut xs = x.clone();
                    xs.column_mut(j).mapv_inplace(|v| v + d);
                    net.predict(xs.view(), hidden).sum() / x.nrows() as f64
                };
                numeric.push((shifted(h) - shifted(-h)) / (2.0 * h));
            }
            let err = rel_err(got.as_slice().unwrap(), &numeric);
            worst = worst.max(err);
            assert!(err < 1e-7, "{act:?} {hidden:?}: {err:e}");
        }
    }
    eprintln!("largest finite-difference relative error of mean_input_gradient: {worst:.2e}");
}

#[test]
fn coupled_l2_equals_decoupled_decay_and_proximal_l1_is_a_soft_threshold() {
    let mut rng = seeded(5);
    let net = Mlp::new(
        &[3, 8, 1],
        Activation::Tanh,
        Init::XavierUniform { gain: 1.0 },
        &mut rng,
    );
    let x = Array2::from_shape_fn((10, 3), |_| StandardNormal.sample(&mut rng));
    let y = Array2::from_shape_fn((10, 1), |_| StandardNormal.sample(&mut rng));
    let mut ws = net.workspace(10);
    net.forward(x.view(), &mut ws, Hidden::Plain);
    net.backward(x.view(), y.view(), Loss::Mse, &mut ws);
    let sgd = Sgd { lr: 0.3 };
    let step = |pen: Penalty| {
        let mut n = net.clone();
        assert!(sgd.step(&mut n, &ws, &pen));
        n
    };
    let coupled = step(Penalty {
        l2: 0.2,
        l2_mode: L2Mode::Coupled,
        ..Penalty::default()
    });
    let decoupled = step(Penalty {
        l2: 0.2,
        l2_mode: L2Mode::Decoupled,
        ..Penalty::default()
    });
    for (l, (a, b)) in coupled.layers.iter().zip(&decoupled.layers).enumerate() {
        let (w0, g) = (&net.layers[l].w, &ws.grads[l].0);
        for (((p, q), w), g) in a.w.iter().zip(b.w.iter()).zip(w0.iter()).zip(g.iter()) {
            // Each form rounds three times, each error at most ε/2 of the
            // largest term it touches (|w|, η|g|): 4ε·(|w| + η|g|) bounds the gap.
            let bound = 4.0 * f64::EPSILON * (w.abs() + sgd.lr * g.abs());
            assert!((p - q).abs() <= bound, "{p} vs {q}");
        }
    }
    let plain = step(Penalty::default());
    let prox = step(Penalty {
        l1: 0.5,
        l1_mode: L1Mode::Proximal,
        ..Penalty::default()
    });
    let t = sgd.lr * 0.5;
    let mut zeros = 0;
    for (a, b) in plain.layers.iter().zip(&prox.layers) {
        for (&p, &q) in a.w.iter().zip(b.w.iter()) {
            let expected = if p.abs() <= t {
                0.0
            } else {
                p - t * p.signum()
            };
            assert_eq!(q, expected);
            zeros += usize::from(q == 0.0);
        }
        assert_eq!(a.b, b.b, "biases are never penalized");
    }
    assert!(
        zeros > 0,
        "a threshold of {t} zeroes some of 32 xavier weights"
    );
}

// ---------------------------------------------------------------- init

#[test]
fn sampled_init_statistics_match_the_formulas() {
    let (fan_in, fan_out) = (400, 300);
    let n = (fan_in * fan_out) as f64;
    let schemes = [
        (Init::Normal { std: 0.01 }, 0.01, 3.0),
        (Init::Uniform { a: 0.5 }, 0.5 / 3f64.sqrt(), 1.8),
        (
            Init::XavierUniform { gain: 1.0 },
            (2.0 / 700.0f64).sqrt(),
            1.8,
        ),
        (
            Init::XavierNormal { gain: 5.0 / 3.0 },
            5.0 / 3.0 * (2.0 / 700.0f64).sqrt(),
            3.0,
        ),
        (
            Init::from_name("kaiming-normal", 9.0, Activation::Relu).unwrap(),
            (2.0 / 400.0f64).sqrt(),
            3.0,
        ),
        (
            Init::from_name("kaiming-uniform", 9.0, Activation::Relu).unwrap(),
            (2.0 / 400.0f64).sqrt(),
            1.8,
        ),
    ];
    for (i, (init, std, kurtosis)) in schemes.into_iter().enumerate() {
        assert!(
            (init.std(fan_in, fan_out) - std).abs() < 1e-15 * std,
            "{init:?}"
        );
        let mut w = Array2::zeros((fan_in, fan_out));
        init.fill(&mut w, &mut seeded(100 + i as u64));
        let mean = w.sum() / n;
        let sd = (w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        // Standard errors of the sample mean and of the sample std (delta method:
        // se(s) ≈ σ·√((κ−1)/(4n)), κ = 3 for a normal, 1.8 for a uniform).
        let se_mean = std / n.sqrt();
        let se_std = std * ((kurtosis - 1.0) / (4.0 * n)).sqrt();
        assert!(mean.abs() < 5.0 * se_mean, "{init:?}: mean {mean}");
        assert!(
            (sd - std).abs() < 5.0 * se_std,
            "{init:?}: std {sd} vs {std}"
        );
        if kurtosis < 2.0 {
            let bound = 3f64.sqrt() * std;
            let max = w.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            // P(all n draws below (1−1e-3)·bound) = (1−1e-3)^n ≈ e^−120.
            assert!(
                max <= bound && max > (1.0 - 1e-3) * bound,
                "{init:?}: max {max} vs {bound}"
            );
        }
    }
    let mut w = Array2::zeros((3, 4));
    Init::Constant(0.5).fill(&mut w, &mut seeded(1));
    assert!(w.iter().all(|&x| x == 0.5));
    Init::Zeros.fill(&mut w, &mut seeded(1));
    assert!(w.iter().all(|&x| x == 0.0));
}

// ---------------------------------------------------------------- runs

#[test]
fn a_seeded_run_is_bit_identical_twice() {
    let raw = [
        ("dataset", s("spirals")),
        ("samples", Value::Int(100)),
        ("layers", ints(&[2, 16, 16, 2])),
        ("activation", s("relu")),
        ("init", s("kaiming-normal")),
        ("keep_prob", Value::Float(0.8)),
        ("l1", Value::Float(0.001)),
        ("l2", Value::Float(0.001)),
        ("steps", Value::Int(300)),
        (
            "panels",
            Value::List(
                ["loss", "fit", "hidden-units", "weights", "zeros"]
                    .map(s)
                    .to_vec(),
            ),
        ),
    ];
    let run = || {
        let mut d = build("train", &raw);
        let mut snaps = Vec::new();
        demo::run_to_end(d.as_mut(), 37, |d| snaps.push(d.snapshot()));
        serde_json::to_string(&snaps).unwrap()
    };
    let (a, b) = (run(), run());
    assert!(a.len() > 10_000);
    assert_eq!(a, b);
}

#[test]
fn symmetric_init_keeps_one_distinct_unit_and_random_init_keeps_all() {
    for act in ["sigmoid", "tanh", "relu"] {
        for (init, scale, expected) in [
            ("zeros", 1.0, 1.0),
            ("constant", 0.5, 1.0),
            ("xavier-uniform", 1.0, 5.0),
            ("normal", 0.5, 5.0),
        ] {
            let mut d = build(
                "train",
                &[
                    ("activation", s(act)),
                    ("init", s(init)),
                    ("init_scale", Value::Float(scale)),
                    ("lr", Value::Float(0.1)),
                    ("steps", Value::Int(400)),
                ],
            );
            assert_eq!(
                num(&d.snapshot(), "distinct_hidden_units"),
                expected,
                "{act} {init} at 0"
            );
            while d.advance(1) == 1 {
                let snap = d.snapshot();
                assert_eq!(
                    num(&snap, "distinct_hidden_units"),
                    expected,
                    "{act} {init} at {}",
                    snap.iteration
                );
            }
            assert_eq!(d.status(), Status::Done, "{act} {init}");
        }
    }
}

#[test]
fn tanh_zero_init_only_learns_the_output_bias_and_predicts_the_mean() {
    let mut rng = seeded(7);
    let spec = DataSpec {
        name: "sine",
        n_train: 32,
        n_test: 10,
        noise: 0.1,
        features: 1,
        relevant: 1,
        classes: 2,
        label_noise: 0.0,
        inputs: &[],
    };
    let d = data::generate(&spec, &mut rng).unwrap();
    for act in [Activation::Tanh, Activation::Relu] {
        let mut net = Mlp::new(&[1, 5, 1], act, Init::Zeros, &mut rng);
        let mut ws = net.workspace(32);
        for _ in 0..300 {
            net.forward(d.x_train.view(), &mut ws, Hidden::Plain);
            net.backward(d.x_train.view(), d.y_train.view(), Loss::Mse, &mut ws);
            let (g1, gb1) = &ws.grads[0];
            assert!(
                g1.iter()
                    .chain(gb1.iter())
                    .chain(ws.grads[1].0.iter())
                    .all(|&g| g == 0.0)
            );
            assert!(Sgd { lr: 0.1 }.step(&mut net, &ws, &Penalty::default()));
        }
        let mean_y = d.y_train.mean().unwrap();
        assert!(net.weights().all(|w| w == 0.0) && net.layers[0].b.iter().all(|&b| b == 0.0));
        // The bias error shrinks by (1 − 2η) = 0.8 per step: 0.8^300 ≈ 1e-29.
        let pred = net.predict(d.x_test.view(), Hidden::Plain);
        assert!(pred.iter().all(|&p| (p - mean_y).abs() < 1e-12), "{act:?}");
    }
    // Sigmoid: W1's first gradient is 0 (W2 = 0), then the units move together.
    let mut net = Mlp::new(&[1, 5, 1], Activation::Sigmoid, Init::Zeros, &mut rng);
    let mut ws = net.workspace(32);
    for step in 0..2 {
        net.forward(d.x_train.view(), &mut ws, Hidden::Plain);
        net.backward(d.x_train.view(), d.y_train.view(), Loss::Mse, &mut ws);
        let zero = ws.grads[0].0.iter().all(|&g| g == 0.0);
        assert_eq!(zero, step == 0, "step {step}");
        Sgd { lr: 0.5 }.step(&mut net, &ws, &Penalty::default());
    }
}

/// Every number a panel would draw is finite.
fn assert_panels_finite(snap: &Snapshot) {
    for p in &snap.panels {
        let ok = match &p.body {
            PanelBody::Series { series } => series
                .iter()
                .all(|s| s.points.iter().flatten().all(|v| v.is_finite())),
            PanelBody::Histogram {
                bins,
                bands,
                markers,
            } => {
                bins.iter()
                    .all(|b| b.lo.is_finite() && b.hi.is_finite() && b.count.is_finite())
                    && bands.iter().all(|b| b.lo.is_finite() && b.hi.is_finite())
                    && markers.iter().all(|m| m.x.is_finite())
            }
            PanelBody::Bars { groups, .. } => groups
                .iter()
                .all(|g| g.values.iter().all(|v| v.is_finite())),
            PanelBody::Heat {
                values, overlay, ..
            } => {
                values.iter().all(|v| v.is_finite())
                    && overlay
                        .iter()
                        .all(|s| s.points.iter().flatten().all(|v| v.is_finite()))
            }
            PanelBody::Table { .. } => true,
        };
        assert!(ok, "panel {} has a non-finite value", p.id);
        for b in [p.x.bounds, p.y.bounds].into_iter().flatten() {
            assert!(b.iter().all(|v| v.is_finite()), "panel {} bounds", p.id);
        }
    }
    for (name, m) in &snap.metrics {
        if let Metric::Num(v) = m {
            assert!(v.is_finite(), "metric {name} = {v}");
        }
    }
}

/// The first iteration at which the same run, replayed with the nn API,
/// produces a non-finite loss or parameter.
fn replay_divergence(act: Activation, layers: &[usize], lr: f64, seed: u64) -> usize {
    let mut rng = seeded(seed);
    let spec = DataSpec {
        name: "sine",
        n_train: 32,
        n_test: 200,
        noise: 0.1,
        features: 20,
        relevant: 3,
        classes: 2,
        label_noise: 0.0,
        inputs: &[],
    };
    let d = data::generate(&spec, &mut rng).unwrap();
    let mut net = Mlp::new(layers, act, Init::XavierUniform { gain: 1.0 }, &mut rng);
    let mut ws = net.workspace(32);
    for i in 1.. {
        net.forward(d.x_train.view(), &mut ws, Hidden::Plain);
        let loss = net.backward(d.x_train.view(), d.y_train.view(), Loss::Mse, &mut ws);
        Sgd { lr }.step(&mut net, &ws, &Penalty::default());
        let params_finite = net
            .layers
            .iter()
            .all(|l| l.w.iter().chain(l.b.iter()).all(|v| v.is_finite()));
        if !loss.is_finite() || !params_finite {
            return i;
        }
    }
    unreachable!()
}

#[test]
fn divergence_is_reported_at_the_right_iteration_with_finite_panels() {
    let all_panels = Value::List(
        ["loss", "fit", "hidden-units", "weights", "zeros"]
            .map(s)
            .to_vec(),
    );
    for (act, name) in [
        (Activation::Identity, "identity"),
        (Activation::Tanh, "tanh"),
        (Activation::Relu, "relu"),
        (Activation::Sigmoid, "sigmoid"),
    ] {
        let layers = [1, 16, 16, 1];
        let at = replay_divergence(act, &layers, 100.0, 7);
        let mut d = build(
            "train",
            &[
                ("activation", s(name)),
                ("layers", ints(&[1, 16, 16, 1])),
                ("lr", Value::Float(100.0)),
                ("steps", Value::Int(100_000)),
                ("panels", all_panels.clone()),
            ],
        );
        demo::run_to_end(d.as_mut(), 7, |_| {});
        assert_eq!(d.status(), Status::Diverged { at }, "{name}");
        assert_eq!(d.iteration(), at - 1, "{name}: the last finite iteration");
        assert_eq!(d.advance(10), 0, "{name}: a diverged run stays stopped");
        let snap = d.snapshot();
        assert_eq!(snap.metric("diverged"), Some(&Metric::Bool(true)));
        assert_eq!(num(&snap, "iteration"), (at - 1) as f64);
        assert_panels_finite(&snap);
        assert!(
            snap.panels[0]
                .title
                .to_string()
                .contains(&format!("diverged at iteration {at}")),
            "{}",
            snap.panels[0].title
        );
    }
}

#[test]
fn every_data_set_runs_with_finite_panels() {
    let all_panels = Value::List(
        ["loss", "fit", "hidden-units", "weights", "zeros"]
            .map(s)
            .to_vec(),
    );
    for (dataset, layers) in [
        ("sine", vec![1, 8, 1]),
        ("sine-poly", vec![20, 1]),
        ("sparse", vec![20, 8, 1]),
        ("spirals", vec![2, 8, 8, 2]),
        ("circles", vec![2, 8, 2]),
        ("xor", vec![2, 4, 2]),
        ("moons", vec![2, 8, 2]),
    ] {
        let mut d = build(
            "train",
            &[
                ("dataset", s(dataset)),
                ("layers", ints(&layers)),
                ("steps", Value::Int(50)),
                ("panels", all_panels.clone()),
            ],
        );
        demo::run_to_end(d.as_mut(), 10, |_| {});
        let snap = d.snapshot();
        assert_eq!(snap.status, Some(Status::Done), "{dataset}");
        assert_panels_finite(&snap);
        assert_eq!(snap.panels.len(), 5);
        assert_eq!(
            snap.num("train_accuracy").is_some(),
            layers.last() == Some(&2),
            "{dataset}"
        );
    }
}

#[test]
fn layers_must_match_the_data_set() {
    let p = params(
        "train",
        &[("dataset", s("spirals")), ("layers", ints(&[1, 5, 1]))],
    );
    let err = demo::build(&p).err().unwrap();
    assert_eq!(err.key, "layers");
    assert!(
        err.message.to_string().contains("2 inputs"),
        "{}",
        err.message
    );
    let p = params(
        "train",
        &[
            ("dataset", s("sparse")),
            ("features", Value::Int(5)),
            ("relevant", Value::Int(6)),
            ("layers", ints(&[5, 1])),
        ],
    );
    assert_eq!(demo::build(&p).err().unwrap().key, "relevant");
    let p = params(
        "train",
        &[
            ("samples", Value::Int(5000)),
            ("layers", ints(&[1, 512, 512, 512, 512, 1])),
        ],
    );
    assert_eq!(demo::build(&p).err().unwrap().key, "layers");
}

#[test]
fn live_keys_apply_mid_run_and_restart_keys_do_not() {
    let p = params("train", &[("steps", Value::Int(100))]);
    let mut d = demo::build(&p).unwrap();
    d.advance(10);
    assert!(d.apply_live(&p.with("lr", Value::Float(0.05)).unwrap()));
    assert!(d.apply_live(&p.with("keep_prob", Value::Float(0.5)).unwrap()));
    assert_eq!(d.iteration(), 10);
    assert!(!d.apply_live(&p.with("init", s("zeros")).unwrap()));
    d.advance(100);
    assert_eq!(d.status(), Status::Done);
}

/// Two `train` runs, L2 in the gradient and multiplicative decay, agree to
/// rounding (the runner's `max_abs_diff@2`), as do their norms; runs of
/// different shapes are not compared.
#[test]
fn weight_decay_runs_agree_to_rounding_and_l1_proximal_gives_exact_zeros() {
    let modes = |extra: Vec<(String, Value)>| {
        params(
            "train",
            &[
                ("layers", ints(&[1, 16, 16, 1])),
                ("l2", Value::Float(0.1)),
                ("steps", Value::Int(500)),
            ],
        )
        .with_runs(vec![
            ("coupled".into(), vec![("l2_mode".into(), s("coupled"))]),
            ("decoupled".into(), {
                let mut set = vec![("l2_mode".into(), s("decoupled"))];
                set.extend(extra);
                set
            }),
        ])
        .unwrap()
    };
    let mut d = demo::build(&modes(vec![])).unwrap();
    demo::run_to_end(d.as_mut(), 50, |_| {});
    let snap = d.snapshot();
    assert!(
        num(&snap, "max_abs_diff@2") < 1e-12,
        "{}",
        num(&snap, "max_abs_diff@2")
    );
    let (c, dn) = (num(&snap, "weight_norm"), num(&snap, "weight_norm@2"));
    assert!((c - dn).abs() < 1e-12 * c);
    assert_panels_finite(&snap);

    let wider = modes(vec![("layers".into(), ints(&[1, 16, 8, 1]))]);
    let d = demo::build(&wider).unwrap();
    assert_eq!(d.snapshot().num("max_abs_diff@2"), None);

    let zeros = |mode: &str| {
        let mut d = build(
            "train",
            &[
                ("dataset", s("sparse")),
                ("layers", ints(&[20, 1])),
                ("samples", Value::Int(100)),
                ("l1", Value::Float(0.1)),
                ("l1_mode", s(mode)),
                ("steps", Value::Int(300)),
            ],
        );
        demo::run_to_end(d.as_mut(), 100, |_| {});
        num(&d.snapshot(), "zero_weights")
    };
    assert!(zeros("proximal") >= 10.0, "17 of 20 true weights are 0");
    assert_eq!(zeros("subgradient"), 0.0);
}

/// The loss of a net whose batch norms use the batch's statistics, as one
/// training step sees it.
fn train_objective(net: &Mlp, x: ArrayView2<f64>, y: ArrayView2<f64>, loss: Loss) -> f64 {
    let mut ws = net.workspace(x.nrows());
    let out = net.forward_train(x, &mut ws, Hidden::Plain).clone();
    loss.value(out.view(), y)
}

#[test]
fn normalized_mlp_gradients_match_finite_differences() {
    use nntutor::nn::{Norm, NormKind};
    let layouts: [(&str, [Option<NormKind>; 2]); 3] = [
        ("batch", [Some(NormKind::Batch), Some(NormKind::Batch)]),
        ("layer", [Some(NormKind::Layer), Some(NormKind::Layer)]),
        ("mixed", [None, Some(NormKind::Batch)]),
    ];
    let h = 1e-5;
    let mut worst = 0.0f64;
    let mut checked = 0;
    for act in Activation::ALL {
        for loss in LOSSES {
            for (name, kinds) in &layouts {
                let mut rng = seeded(5);
                let (n, k) = (6, 3);
                let mut net = Mlp::new(
                    &[3, 5, 4, k],
                    act,
                    Init::XavierNormal { gain: 1.2 },
                    &mut rng,
                )
                .with_norms(kinds);
                // γ and β away from 1 and 0, so their gradients are not special.
                for norm in net.norms.iter_mut().flatten() {
                    let [g, b] = norm.params_mut();
                    g.mapv_inplace(|_| {
                        0.5 + Distribution::<f64>::sample(&StandardNormal, &mut rng).abs()
                    });
                    b.mapv_inplace(|_| {
                        0.2 * Distribution::<f64>::sample(&StandardNormal, &mut rng)
                    });
                }
                let x = Array2::from_shape_fn((n, 3), |_| StandardNormal.sample(&mut rng));
                let y = match loss {
                    Loss::SoftmaxCrossEntropy => {
                        Array2::from_shape_fn((n, k), |(i, j)| f64::from(u8::from(i % k == j)))
                    }
                    Loss::BinaryCrossEntropy | Loss::SigmoidMse => {
                        Array2::from_shape_fn((n, k), |(i, j)| ((i + 2 * j) % 3) as f64 / 2.0)
                    }
                    Loss::Mse => Array2::from_shape_fn((n, k), |_| StandardNormal.sample(&mut rng)),
                };
                let mut ws = net.workspace(n);
                net.forward_train(x.view(), &mut ws, Hidden::Plain);
                net.backward(x.view(), y.view(), loss, &mut ws);
                let numeric = |perturb: &dyn Fn(&mut Mlp, f64)| {
                    let (mut plus, mut minus) = (net.clone(), net.clone());
                    perturb(&mut plus, h);
                    perturb(&mut minus, -h);
                    (train_objective(&plus, x.view(), y.view(), loss)
                        - train_objective(&minus, x.view(), y.view(), loss))
                        / (2.0 * h)
                };
                let mut got = Vec::new();
                let mut want = Vec::new();
                for l in 0..net.layers.len() {
                    for idx in 0..net.layers[l].w.len() {
                        let c = net.layers[l].w.ncols();
                        got.push(ws.grads[l].0[[idx / c, idx % c]]);
                        want.push(numeric(&|m, d| m.layers[l].w[[idx / c, idx % c]] += d));
                    }
                    for j in 0..net.layers[l].b.len() {
                        got.push(ws.grads[l].1[j]);
                        want.push(numeric(&|m, d| m.layers[l].b[j] += d));
                    }
                }
                for l in 0..net.norms.len() {
                    if net.norm(l).is_none() {
                        continue;
                    }
                    for p in 0..2 {
                        let grads = if p == 0 {
                            &ws.norm_grads[l].0
                        } else {
                            &ws.norm_grads[l].1
                        };
                        for j in 0..grads.len() {
                            got.push(grads[j]);
                            want.push(numeric(&|m, d| {
                                m.norms[l].as_mut().unwrap().params_mut()[p][j] += d
                            }));
                        }
                    }
                }
                let e = rel_err(&got, &want);
                worst = worst.max(e);
                assert!(e < 1e-6, "{act:?} {loss:?} {name}: relative error {e:e}");
                checked += 1;
                // A layout with batch norm really normalizes with the batch:
                // train and eval outputs differ before any running update.
                if net.has_batch_norm() {
                    let eval = net.predict(x.view(), Hidden::Plain);
                    let train = ws.outs.last().unwrap().clone();
                    assert!((&eval - &train).iter().any(|d| d.abs() > 1e-6), "{name}");
                }
                assert!(matches!(
                    net.norms.iter().flatten().next(),
                    Some(Norm::Batch(_) | Norm::Layer(_))
                ));
            }
        }
    }
    assert_eq!(
        checked,
        Activation::ALL.len() * LOSSES.len() * layouts.len()
    );
    eprintln!("largest finite-difference relative error with normalization: {worst:.2e}");
}

#[test]
fn batch_norm_in_an_mlp_evaluates_with_the_running_statistics() {
    use nntutor::nn::{Norm, NormKind};
    let mut rng = seeded(2);
    let mut net = Mlp::new(
        &[2, 3, 1],
        Activation::Identity,
        Init::XavierNormal { gain: 1.0 },
        &mut rng,
    )
    .with_norms(&[Some(NormKind::Batch)]);
    let x = Array2::from_shape_fn((8, 2), |(i, j)| (i * (j + 2)) as f64 * 0.3 - 1.0);
    let mut ws = net.workspace(8);
    net.forward_train(x.view(), &mut ws, Hidden::Plain);
    net.update_running_stats(&ws);
    // PyTorch's rule after one batch: mean 0.1·μ, var 0.9 + 0.1·σ²·n/(n−1).
    let z = x.dot(&net.layers[0].w) + &net.layers[0].b;
    let Some(Norm::Batch(bn)) = &net.norms[0] else {
        panic!("batch norm on layer 0")
    };
    for j in 0..3 {
        let col = z.column(j);
        let mu = col.mean().unwrap();
        let var = col.mapv(|v| (v - mu).powi(2)).sum() / 8.0;
        assert!((bn.running_mean[j] - 0.1 * mu).abs() < 1e-12);
        assert!((bn.running_var[j] - (0.9 + 0.1 * var * 8.0 / 7.0)).abs() < 1e-12);
    }
    // Evaluation normalizes z with those statistics, then the linear output.
    let out = net.predict(x.view(), Hidden::Plain);
    for i in 0..8 {
        let mut want = net.layers[1].b[0];
        for j in 0..3 {
            let zh = (z[[i, j]] - bn.running_mean[j]) / (bn.running_var[j] + 1e-5).sqrt();
            let a = bn.gamma[j] * zh + bn.beta[j];
            want += a * net.layers[1].w[[j, 0]];
        }
        assert!((out[[i, 0]] - want).abs() < 1e-12, "row {i}");
    }
}

/// A net left in training mode at evaluation (`Mlp::predict_in_train_mode`)
/// normalizes each chunk of rows with the chunk's own statistics: checked
/// against batch norm's formula computed here, for chunks of 2 rows of a
/// 1 → 3 → 1 identity net, where each unit's ẑ is ±(d/2)/√((d/2)² + ε).
#[test]
fn a_net_left_in_training_mode_normalizes_each_chunk_by_itself() {
    use nntutor::nn::NormKind;
    let mut rng = seeded(3);
    let net = Mlp::new(
        &[1, 3, 1],
        Activation::Identity,
        Init::XavierNormal { gain: 1.0 },
        &mut rng,
    )
    .with_norms(&[Some(NormKind::Batch)]);
    let x = Array2::from_shape_vec((4, 1), vec![0.3, -1.1, 2.0, 0.7]).unwrap();
    let (w1, b1, w2, b2) = (
        &net.layers[0].w,
        &net.layers[0].b,
        &net.layers[1].w,
        &net.layers[1].b,
    );
    let eps = 1e-5;
    let mut want = [0.0; 4];
    for pair in [[0, 1], [2, 3]] {
        for j in 0..3 {
            let z = pair.map(|i| x[[i, 0]] * w1[[0, j]] + b1[j]);
            let mean = (z[0] + z[1]) / 2.0;
            let var = ((z[0] - z[1]) / 2.0).powi(2);
            for (r, &i) in pair.iter().enumerate() {
                want[i] += (z[r] - mean) / (var + eps).sqrt() * w2[[j, 0]];
            }
        }
    }
    let got = net.predict_in_train_mode(x.view(), Hidden::Plain, 2);
    for i in 0..4 {
        let want = want[i] + b2[0];
        assert!(
            (got[[i, 0]] - want).abs() < 1e-12,
            "row {i}: {} vs {want}",
            got[[i, 0]]
        );
    }
    // The whole set as one chunk is the training pass; evaluation mode
    // (running statistics, still 0 and 1 here) gives another answer.
    let mut ws = net.workspace(4);
    let whole = net.forward_train(x.view(), &mut ws, Hidden::Plain).clone();
    assert_eq!(net.predict_in_train_mode(x.view(), Hidden::Plain, 0), whole);
    let eval = net.predict(x.view(), Hidden::Plain);
    assert!((&eval - &whole).iter().any(|d| d.abs() > 1e-3));
    // Five rows in chunks of 2: the lone fifth row joins the third and
    // fourth, so no row is left without a variance.
    let x5 = Array2::from_shape_vec((5, 1), vec![0.3, -1.1, 2.0, 0.7, -0.4]).unwrap();
    let got = net.predict_in_train_mode(x5.view(), Hidden::Plain, 2);
    let mut ws = net.workspace(3);
    let tail = net
        .forward_train(x5.slice(ndarray::s![2..5, ..]), &mut ws, Hidden::Plain)
        .clone();
    assert!(got.iter().all(|v| v.is_finite()), "{got}");
    assert_eq!(got.slice(ndarray::s![2..5, ..]), tail);
}

/// `Mlp::max_abs_diff` is the largest |p − q| over weights, biases and norm
/// parameters, NaN if a parameter is NaN, and refuses other shapes or norm
/// layouts.
#[test]
fn max_abs_diff_reads_every_parameter() {
    use nntutor::nn::{Norm, NormKind};
    let net = |sizes: &[usize]| {
        Mlp::new(
            sizes,
            Activation::Tanh,
            Init::XavierNormal { gain: 1.0 },
            &mut seeded(3),
        )
        .with_norms(&[Some(NormKind::Batch), None])
    };
    let a = net(&[2, 4, 3, 1]);
    assert_eq!(a.max_abs_diff(&a.clone()), Some(0.0));
    let mut b = a.clone();
    b.layers[2].b[0] += 0.25;
    b.layers[0].w[[1, 3]] -= 0.125;
    assert_eq!(a.max_abs_diff(&b), Some(0.25));
    let mut c = a.clone();
    let Some(Norm::Batch(bn)) = &mut c.norms[0] else {
        panic!("layer 1 has batch norm");
    };
    bn.beta[2] += 0.5;
    assert_eq!(a.max_abs_diff(&c), Some(0.5));
    c.layers[1].w[[0, 0]] = f64::NAN;
    assert!(a.max_abs_diff(&c).unwrap().is_nan());
    assert_eq!(a.max_abs_diff(&net(&[2, 4, 4, 1])), None);
    let plain = Mlp::new(
        &[2, 4, 3, 1],
        Activation::Tanh,
        Init::XavierNormal { gain: 1.0 },
        &mut seeded(3),
    );
    assert_eq!(a.max_abs_diff(&plain), None);
}
