//! The curriculum's depth numbers, checked against a mean-field reference.
//!
//! Mean field: for a wide layer, z = h·W is ≈ N(0, σ_w²·width·q) with q the
//! previous layer's E[h²], so q_l = E[f(σ_w·√(width·q_{l−1})·Z)²], Z ~ N(0,1),
//! and the backward gain per layer is √(width·σ_w²·E[f'(z)²]). The tests
//! integrate these by quadrature and compare the simulated 256-wide stack.
//! Finite-width scatter: each unit's variance depends on its column of W,
//! ‖W_j‖² having relative std √(2/256) ≈ 9 %; averaged over 256 units that is
//! ≈ 0.6 % per layer, ≈ 2 % compounded over 10 layers. Tolerances are a few
//! of those.

use super::*;
use crate::demo::{Demo, Status, Value};

fn build(p: &Params) -> Result<Box<dyn Demo>, ParamError> {
    (KIND.build)(p)
}

fn run(raw: &[(&str, Value)]) -> Snapshot {
    let mut d = build(&KIND.params(raw).unwrap()).unwrap();
    while d.advance(7) > 0 {}
    assert_eq!(d.status(), Status::Done);
    d.snapshot()
}

fn f(x: f64) -> Value {
    Value::Float(x)
}

fn s(x: &str) -> Value {
    Value::Str(x.into())
}

/// E[g(Z)] for Z ~ N(0, 1), midpoint rule on [−12, 12] (error ≪ 1e-9 for
/// the bounded integrands used here).
fn gauss(g: impl Fn(f64) -> f64) -> f64 {
    let n = 200_000;
    let dz = 24.0 / n as f64;
    (0..n)
        .map(|i| {
            let z = -12.0 + (i as f64 + 0.5) * dz;
            g(z) * (-z * z / 2.0).exp()
        })
        .sum::<f64>()
        * dz
        / (2.0 * std::f64::consts::PI).sqrt()
}

/// Mean-field activation std of each of `layers` tanh layers whose
/// pre-activation variance is `gain²·q` (input q = 1).
fn mean_field_tanh(gain: f64, layers: usize) -> Vec<f64> {
    let mut q = 1.0;
    (0..layers)
        .map(|_| {
            let s = gain * f64::sqrt(q);
            q = gauss(|z| (s * z).tanh().powi(2));
            q.sqrt()
        })
        .collect()
}

/// Geometric mean of consecutive ratios, lower layer over upper layer.
fn gain_per_layer(v: &[f64]) -> f64 {
    let n = v.len() - 1;
    (v[0] / v[n]).powf(1.0 / n as f64)
}

#[test]
fn small_init_vanishes_forward_and_backward() {
    let snap = run(&[]);
    let std = snap.nums("layer_std").unwrap();
    let grad = snap.nums("grad_norm").unwrap();
    assert_eq!((std.len(), grad.len()), (10, 10));
    // Linear regime: each layer multiplies the scale by 0.01·√256 = 0.16,
    // so layer 10 sits near 0.16¹⁰ ≈ 1.1e-8.
    assert!(std[9] < 1e-6, "deepest std {}", std[9]);
    let fwd = (std[9] / std[0]).powf(1.0 / 9.0);
    // Backward: at the top every sample has the same signal u, so each ratio
    // is one χ with 256 dof: ±4.4 %, ±1.5 % for the mean of 9; 6 % = 4 SE.
    let back = gain_per_layer(grad);
    assert!((fwd / 0.16 - 1.0).abs() < 0.06, "forward ×{fwd}");
    assert!((back / 0.16 - 1.0).abs() < 0.06, "backward ×{back}");
    assert!((grad[9] - 1.0).abs() < 1e-12, "top signal is u, norm 1");
}

#[test]
fn unit_init_saturates_tanh_but_the_backward_signal_explodes() {
    let snap = run(&[("init_scale", f(1.0))]);
    let sat = snap.nums("saturated_fraction").unwrap();
    // Mean field: 0.869 at layer 1 (z ~ N(0, 16²)), 0.865 after. Scatter is
    // ≈ 0.3 % (the unsaturated share ∝ 1/‖W_j‖, averaged over 256 units).
    for (l, &s) in sat.iter().enumerate() {
        assert!((s - 0.866).abs() < 0.015, "layer {}: {s}", l + 1);
    }
    // Backward gain √(256·E[tanh'(z)⁴-ish]) = 2.95 from mean field; only
    // the ≈ 13 % unsaturated units carry signal, so each ratio scatters
    // ≈ 5 % and their 9-layer mean ≈ 2 %; 8 % = 4 SE.
    let back = gain_per_layer(snap.nums("grad_norm").unwrap());
    assert!((back / 2.95 - 1.0).abs() < 0.08, "backward ×{back}");
}

#[test]
fn xavier_decays_slowly_and_gain_five_thirds_holds() {
    for (gain, expect_first, expect_last) in [(1.0, 0.63, 0.23), (5.0 / 3.0, 0.76, 0.65)] {
        let snap = run(&[("init", s("xavier-normal")), ("init_scale", f(gain))]);
        let std = snap.nums("layer_std").unwrap();
        let mf = mean_field_tanh(gain, 10);
        assert!((mf[0] - expect_first).abs() < 0.005 && (mf[9] - expect_last).abs() < 0.005);
        for (l, (&got, &want)) in std.iter().zip(&mf).enumerate() {
            assert!(
                (got / want - 1.0).abs() < 0.05,
                "gain {gain} layer {}: {got} vs {want}",
                l + 1
            );
        }
    }
}

#[test]
fn kaiming_relu_keeps_the_std_at_every_depth() {
    // relu(N(0, 2)) has E[h²] = 1 and E[h] = 1/√π: std √(1 − 1/π) = 0.826.
    let want = (1.0 - std::f64::consts::FRAC_1_PI).sqrt();
    // relu outputs have a non-zero mean, so Σ_i E[h_i]·W_ij gives every unit
    // of the next layer a fixed offset: one network's E[h²] random-walks by
    // ≈ 4.5 % per layer (measured: ±15 % by layer 10 across seeds). The claim
    // is about the expectation, so average the per-layer log gain over 8
    // seeds: SE ≈ 4.5 %/√9/√8 = 0.5 %; 2.5 % is 5 SE (the Jensen bias of a
    // mean of logs is ≈ −0.2 %). Small init and unit init, by contrast,
    // multiply the std by 0.11 and 11 per layer.
    let mut log_gain = 0.0;
    for seed in 0..8 {
        let snap = run(&[
            ("seed", Value::Int(seed)),
            ("samples", Value::Int(200)),
            ("init", s("kaiming-normal")),
            ("activation", s("relu")),
        ]);
        let std = snap.nums("layer_std").unwrap();
        // Layer 1 sees zero-mean inputs: only ‖W_j‖ scatters (0.3 %).
        assert!((std[0] / want - 1.0).abs() < 0.015, "layer 1: {}", std[0]);
        log_gain += (std[9] / std[0]).ln() / 9.0 / 8.0;
        for &sat in snap.nums("saturated_fraction").unwrap() {
            // Units with negative offsets are dead more often: a few % either way.
            assert!(
                (sat - 0.5).abs() < 0.1,
                "about half the relu units are exact zeros: {sat}"
            );
        }
    }
    assert!(log_gain.abs() < 0.025, "mean log gain per layer {log_gain}");
}

#[test]
fn sampled_weight_std_matches_the_formula_within_one_percent() {
    // 65 536 weights per layer: the sample std's relative SE is 1/√(2n) =
    // 0.28 % (normal) and 0.17 % (uniform), so 1 % is ≥ 3.6 SE per layer.
    for (init, act, formula) in [
        ("xavier-normal", "tanh", 1.0 / 16.0),
        ("xavier-uniform", "tanh", 1.0 / 16.0),
        ("kaiming-normal", "relu", std::f64::consts::SQRT_2 / 16.0),
        ("kaiming-uniform", "tanh", 5.0 / 3.0 / 16.0),
    ] {
        let snap = run(&[
            ("init", s(init)),
            ("activation", s(act)),
            ("init_scale", f(1.0)),
        ]);
        assert!((snap.num("weight_std_formula").unwrap() - formula).abs() < 1e-15);
        for &w in snap.nums("weight_std").unwrap() {
            assert!((w / formula - 1.0).abs() < 0.01, "{init}: {w} vs {formula}");
        }
    }
}

#[test]
fn pacing_does_not_change_the_numbers() {
    let one = run(&[("steps", Value::Int(1))]);
    let slow = run(&[("steps", Value::Int(97))]);
    for m in ["layer_std", "saturated_fraction", "grad_norm"] {
        assert_eq!(one.nums(m), slow.nums(m), "{m}");
    }
    let mut d = build(&KIND.params(&[("steps", Value::Int(100))]).unwrap()).unwrap();
    d.advance(1);
    assert_eq!(d.snapshot().nums("layer_std").unwrap().len(), 1);
}

#[test]
fn huge_scales_stay_finite_and_panels_are_clean() {
    let snap = run(&[
        ("activation", s("relu")),
        ("init_scale", f(100.0)),
        ("layers", Value::Int(50)),
        ("width", Value::Int(64)),
        ("samples", Value::Int(50)),
    ]);
    let std = snap.nums("layer_std").unwrap();
    assert!(std[49] > 1e100 && std.iter().all(|v| v.is_finite()));
    for p in &snap.panels {
        if let PanelBody::Series { series } = &p.body {
            assert!(series.iter().all(|s| !s.points.is_empty()), "{}", p.id);
        }
    }
}

/// `layer_std`, `grad_norm` and `weight_grad_norm` of the stack `raw`
/// describes, computed in plain f64 from the same draws: the reference the
/// scaled f32 products (see [`rows`]) must match.
fn f64_reference(raw: &[(&str, Value)]) -> [Vec<f64>; 3] {
    let p = KIND.params(raw).unwrap();
    let (layers, width, samples) = (p.usize("layers"), p.usize("width"), p.usize("samples"));
    let act = Activation::from_name(p.str("activation")).unwrap();
    let std = weight_std(p.str("init"), p.f64("init_scale"), act, width);
    let mut rng = seeded(p.u64("seed"));
    let seeds: Vec<u64> = (0..=layers).map(|_| rng.random()).collect();
    let mut input_rng = seeded(seeds[0]);
    let mut h =
        Array2::from_shape_simple_fn((samples, width), || StandardNormal.sample(&mut input_rng));
    let input = h.clone();
    let weights: Vec<Array2<f64>> = seeds[1..]
        .iter()
        .map(|&s| sample_weights(&mut seeded(s), p.str("init"), std, width))
        .collect();
    let mut u: Vec<f64> = (0..width)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    let norm = u.iter().map(|v| v * v).sum::<f64>().sqrt();
    u.iter_mut().for_each(|v| *v /= norm);
    let (mut acts, mut layer_std) = (vec![], vec![]);
    for w in &weights {
        h = h.dot(w);
        act.apply_slice(h.as_slice_mut().unwrap());
        layer_std.push(stats::std_of(h.as_slice().unwrap()));
        acts.push(h.clone());
    }
    let back = samples.min(BACKWARD_SAMPLES);
    let mut g = Array2::from_shape_fn((back, width), |(_, j)| u[j]);
    let (mut grad_norm, mut weight_grad) = (vec![], vec![]);
    for l in (0..layers).rev() {
        grad_norm.push(stats::rms_row_norm(g.as_slice().unwrap(), width));
        let y = acts[l].slice(ndarray::s![..back, ..]).to_owned();
        act.backprop_slice(g.as_slice_mut().unwrap(), y.as_slice().unwrap());
        // Per sample ‖h_{l−1} ⊗ δ_l‖_F = ‖h_{l−1}‖·‖δ_l‖, RMS over samples.
        let below = if l == 0 { &input } else { &acts[l - 1] };
        let norm = |v: ndarray::ArrayView1<f64>| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let ms = (0..back)
            .map(|n| (norm(below.row(n)) * norm(g.row(n))).powi(2))
            .sum::<f64>()
            / back as f64;
        weight_grad.push(ms.sqrt());
        g = g.dot(&weights[l].t());
    }
    grad_norm.reverse();
    weight_grad.reverse();
    [layer_std, grad_norm, weight_grad]
}

/// Runs `raw` (300 samples) and compares it with [`f64_reference`]; returns
/// the deepest layer's std.
fn matches_f64(raw: &[(&str, Value)]) -> f64 {
    let raw = [raw, &[("samples", Value::Int(300))]].concat();
    let snap = run(&raw);
    let [std, grad, weight_grad] = f64_reference(&raw);
    let got_std = snap.nums("layer_std").unwrap();
    for (name, got, want) in [
        ("std", got_std, &std),
        ("grad", snap.nums("grad_norm").unwrap(), &grad),
        (
            "weight grad",
            snap.nums("weight_grad_norm").unwrap(),
            &weight_grad,
        ),
    ] {
        for (l, (&g, &w)) in got.iter().zip(want).enumerate() {
            // f32 rounding, ≈ 1e-7 per product, compounds over 50 layers.
            let close = if w == 0.0 {
                g == 0.0
            } else {
                (g / w - 1.0).abs() < 1e-4
            };
            assert!(close, "{raw:?} {name} layer {}: {g} vs {w}", l + 1);
        }
    }
    got_std[got_std.len() - 1]
}

#[test]
fn f32_products_match_f64_beyond_f32_range() {
    matches_f64(&[]);
    let tall = [("layers", Value::Int(50)), ("width", Value::Int(64))];
    // ×0.08 per layer: the deepest std is ≈ 1e-55, below f32's 1e-45.
    assert!(matches_f64(&tall) < 1e-50);
    // Below f64's range too: both flush to 0.
    let tiny = matches_f64(&[tall.as_slice(), &[("init_scale", f(1e-20))]].concat());
    assert_eq!(tiny, 0.0);
    // ×565 per layer: ≈ 1e137, beyond f32's 3.4e38.
    let relu = [("activation", s("relu")), ("init_scale", f(100.0))];
    assert!(matches_f64(&[tall.as_slice(), &relu].concat()) > 1e100);
}

#[test]
fn too_many_values_is_a_param_error_not_an_allocation() {
    let err = build(
        &KIND
            .params(&[("width", Value::Int(1024)), ("samples", Value::Int(10_000))])
            .unwrap(),
    )
    .err()
    .unwrap();
    assert_eq!(err.key, "samples");
}
