//! The decomposition's identities and the lesson's shape claims.

use super::*;
use crate::demo::{Demo, Value};

fn build(p: &Params) -> Result<Box<dyn Demo>, ParamError> {
    (KIND.build)(p)
}

fn run(raw: &[(&str, Value)]) -> Snapshot {
    let mut d = build(&KIND.params(raw).unwrap()).unwrap();
    while d.advance(13) > 0 {}
    d.snapshot()
}

#[test]
fn bias_variance_noise_add_up_to_the_measured_test_error() {
    for noise in [0.3, 1.0] {
        let snap = run(&[
            ("noise", Value::Float(noise)),
            ("datasets", Value::Int(400)),
        ]);
        let [b, v, n, t, se] = ["bias2", "variance", "noise", "test_mse", "mc_se"]
            .map(|m| snap.nums(m).unwrap().to_vec());
        for d in 0..b.len() {
            let gap = t[d] - (b[d] + v[d] + n[d]);
            assert!(
                se[d] > 0.0 && gap.abs() < 4.0 * se[d],
                "noise {noise} degree {d}: gap {gap}, se {}",
                se[d]
            );
        }
    }
}

#[test]
fn degree_zero_matches_its_closed_form() {
    // Degree 0 fits the sample mean of y: its mean over sets is E[f] = 0, so
    // bias² = mean_t f(x_t)² = ½ on the midpoint grid (the estimator
    // subtracts the variance/S that estimating the mean fit adds); its
    // variance is (Var f(x) + σ²)/n = (0.5 + 0.09)/30. With S = 1000 sets the
    // variance estimate's relative SE is √(2/S) ≈ 4.5 %; 20 % is > 4 SE.
    let snap = run(&[("datasets", Value::Int(1000))]);
    let (b, v) = (
        snap.nums("bias2").unwrap()[0],
        snap.nums("variance").unwrap()[0],
    );
    let want_v = 0.59 / 30.0;
    assert!((b - 0.5).abs() < 0.01, "bias² {b}");
    assert!((v / want_v - 1.0).abs() < 0.2, "variance {v} vs {want_v}");
}

#[test]
fn the_error_is_u_shaped_and_variance_is_not_monotone() {
    let snap = run(&[("datasets", Value::Int(1000))]);
    let [b, v, t] = ["bias2", "variance", "test_mse"].map(|m| snap.nums(m).unwrap().to_vec());
    let best = (0..t.len()).min_by(|&i, &j| t[i].total_cmp(&t[j])).unwrap();
    assert!((3..=7).contains(&best), "best degree {best}: {t:?}");
    assert!(t[0] > 2.0 * t[best] && t[12] > 1.5 * t[best], "{t:?}");
    assert!(b[0] > b[3] && b[3] > b[6], "bias falls with degree: {b:?}");
    assert!(v[12] > 5.0 * v[3], "variance grows at high degree: {v:?}");
    // With random x an underfit curve moves with where the points land:
    // degrees 1 and 2 vary more than degree 3 (measured 1.4× and 3×; each
    // variance has ≈ 4.5 % relative SE at 1000 sets, a ratio ≈ 6.5 %).
    assert!(v[1] > v[3] && v[2] > 2.0 * v[3], "degrees 1, 2 vs 3: {v:?}");
}

#[test]
fn blow_up_fits_are_clipped_and_counted() {
    // Degree 15 through 20 random points: some fits swing wildly.
    let snap = run(&[("samples", Value::Int(20)), ("max_degree", Value::Int(15))]);
    let clipped = snap.nums("clipped_fraction").unwrap();
    assert_eq!(clipped[1], 0.0);
    assert!(clipped[15] > 0.0, "{clipped:?}");
    for m in ["bias2", "variance", "test_mse"] {
        // Bounded by the clip range: (3.2 + 3.2)² + label noise.
        assert!(
            snap.nums(m)
                .unwrap()
                .iter()
                .all(|v| v.is_finite() && *v < 50.0),
            "{m}"
        );
    }
}

#[test]
fn degree_knob_is_live_and_capped() {
    let params = KIND.params(&[("max_degree", Value::Int(4))]).unwrap();
    let mut d = build(&params).unwrap();
    d.advance(20);
    assert!(d.apply_live(&params.with("degree", Value::Int(9)).unwrap()));
    let fits = &d.snapshot().panels[0];
    assert!(
        fits.title.to_string().starts_with("degree-4 fits (capped"),
        "{}",
        fits.title
    );
    assert_eq!(d.iteration(), 20);
}

#[test]
fn too_few_samples_for_the_degree_is_a_param_error() {
    let err = build(&KIND.params(&[("samples", Value::Int(10))]).unwrap())
        .err()
        .unwrap();
    assert_eq!(err.key, "max_degree");
}

#[test]
fn without_noise_the_decomposition_is_exact() {
    // Labels are the truth itself, so test_mse = mean (ŷ − f)² = bias² +
    // variance to rounding, and the noise term and its SE are 0.
    let snap = run(&[("noise", Value::Float(0.0)), ("datasets", Value::Int(50))]);
    let [b, v, n, t, se] =
        ["bias2", "variance", "noise", "test_mse", "mc_se"].map(|m| snap.nums(m).unwrap().to_vec());
    for d in 0..b.len() {
        assert_eq!((n[d], se[d]), (0.0, 0.0));
        assert!(
            (t[d] - b[d] - v[d]).abs() < 1e-12 * t[d].max(1e-300),
            "degree {d}"
        );
    }
}

#[test]
fn bias2_is_unbiased_even_from_few_sets() {
    // Degree 0 fits the sample mean, so with S sets the plain (ȳ − f)² is
    // ½ + c² for the sets' mean offset c, E[c²] = Var ŷ / S ≈ 0.002 at
    // S = 10: the correction must remove it. Over 200 runs of 10 sets, the
    // estimates' mean has an SE of about √2·0.002/√200 = 2e-4 (c² is a
    // scaled χ²₁), so 4 SE is 8e-4: the plain estimator's 0.002 fails it.
    let runs = 200;
    let (mut corrected, mut plain) = (0.0, 0.0);
    for seed in 0..runs {
        let snap = run(&[
            ("datasets", Value::Int(10)),
            ("max_degree", Value::Int(1)),
            ("seed", Value::Int(seed)),
        ]);
        let (b, v) = (
            snap.nums("bias2").unwrap()[0],
            snap.nums("variance").unwrap()[0],
        );
        corrected += b / runs as f64;
        plain += (b + v / 10.0) / runs as f64;
    }
    assert!((corrected - 0.5).abs() < 8e-4, "corrected {corrected}");
    assert!((plain - 0.5).abs() > 8e-4, "plain {plain}");
}
