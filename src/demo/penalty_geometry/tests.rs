//! L1 lands on an axis, L2 does not; the solver is exact.

use super::*;
use crate::demo::{Demo, Value};

fn build(p: &Params) -> Result<Box<dyn Demo>, ParamError> {
    (KIND.build)(p)
}

fn params(raw: &[(&str, Value)]) -> Params {
    KIND.params(raw).unwrap()
}

#[test]
fn coordinate_descent_matches_the_exact_enumeration() {
    // A grid of shapes, optima and λ, including near-degenerate stretch 20:
    // every CD answer within 1e-12 of the active-set solution, and zero
    // exactly where the exact solution is zero. (Stretch 3 at 135° with
    // w* = (−1, 3), λ = 1 lands exactly on a kink: a useful edge case.)
    for stretch in [1.0, 3.0, 20.0] {
        for angle in [-70.0, 0.0, 20.0, 45.0, 135.0] {
            let a = Quad::new(stretch, angle);
            for star in [[2.0, 0.6], [-1.0, 3.0], [0.2, -0.1], [5.0, 5.0]] {
                for lambda in [0.0, 0.05, 0.5, 1.0, 3.0, 30.0] {
                    let (cd, sweeps) = l1_optimum(&a, star, lambda, star);
                    let ex = l1_exact(&a, star, lambda);
                    assert!(sweeps < 200_000, "not converged");
                    for i in 0..2 {
                        assert!(
                            (cd[i] - ex[i]).abs() < 1e-12,
                            "{stretch} {angle} {star:?} {lambda}: {cd:?} vs {ex:?}"
                        );
                        // Exact zeros must come out exactly, unless the
                        // optimum sits on the kink itself (|∂Loss/∂w_i| = λ
                        // to rounding), where ±1e-16 is as right as 0.
                        let g = a.apply([ex[0] - star[0], ex[1] - star[1]]);
                        if ex[i] == 0.0 && lambda - g[i].abs() > 1e-9 {
                            assert_eq!(cd[i], 0.0, "{stretch} {angle} {star:?} {lambda}");
                        }
                        if ex[i] != 0.0 {
                            assert_ne!(cd[i], 0.0, "{stretch} {angle} {star:?} {lambda}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn optima_satisfy_their_optimality_conditions() {
    let a = Quad::new(3.0, 20.0);
    let star = [2.0, 0.6];
    for lambda in [0.3, 1.0, 2.5] {
        let w = l2_optimum(&a, star, lambda);
        let g = a.apply([w[0] - star[0], w[1] - star[1]]);
        assert!((g[0] + lambda * w[0]).abs() < 1e-12 && (g[1] + lambda * w[1]).abs() < 1e-12);
        // L1 (KKT): gradient = −λ·sign(w_i) where w_i ≠ 0, |gradient| ≤ λ where 0.
        let (w, _) = l1_optimum(&a, star, lambda, star);
        let g = a.apply([w[0] - star[0], w[1] - star[1]]);
        for i in 0..2 {
            if w[i] == 0.0 {
                assert!(g[i].abs() <= lambda + 1e-12);
            } else {
                assert!(
                    (g[i] + lambda * w[i].signum()).abs() < 1e-11,
                    "{lambda} {i} {g:?}"
                );
            }
        }
    }
}

#[test]
fn large_lambda_zeroes_an_l1_weight_and_no_l2_weight() {
    let p = params(&[]);
    let mut d = build(&p).unwrap();
    while d.advance(17) > 0 {}
    let s = d.snapshot();
    let (l1, l2) = (s.nums("w_l1").unwrap(), s.nums("w_l2").unwrap());
    assert_eq!(s.num("lambda"), Some(2.0));
    assert_eq!(l1[1], 0.0, "w2 lands on the axis exactly: {l1:?}");
    assert!(l1[0] > 0.0);
    assert!(l2.iter().all(|v| *v != 0.0 && v.abs() > 1e-3), "{l2:?}");
    assert_eq!(
        (s.num("zeros_l1"), s.num("zeros_l2")),
        (Some(1.0), Some(0.0))
    );
    // Along the sweep the L1 zero appears at some λ and stays (monotone
    // here: w*2 is small and A's coupling pushes it down).
    let first_zero = s.panels[1].body.clone();
    if let PanelBody::Series { series } = first_zero {
        let w2 = &series[1].points;
        let k = w2.iter().position(|p| p[1] == 0.0).expect("reaches zero");
        assert!(k > 0 && w2[k..].iter().all(|p| p[1] == 0.0));
    } else {
        panic!("path panel is a series panel");
    }
}

#[test]
fn pinning_lambda_live_moves_the_optimum() {
    let p = params(&[]);
    let mut d = build(&p).unwrap();
    d.advance(10);
    assert!(d.apply_live(&p.with("lambda", Value::Float(0.1)).unwrap()));
    let s = d.snapshot();
    assert_eq!(s.num("lambda"), Some(0.1));
    assert_eq!(s.num("zeros_l1"), Some(0.0), "small λ: no zero yet");
    assert!(d.apply_live(&p.with("lambda", Value::Float(0.0)).unwrap()));
    assert!((d.snapshot().num("lambda").unwrap() - 2.0 * 10.0 / 200.0).abs() < 1e-15);
}

#[test]
fn panels_hold_only_finite_values() {
    let p = params(&[
        ("stretch", Value::Float(20.0)),
        ("w1_star", Value::Float(0.0)),
        ("w2_star", Value::Float(0.0)),
    ]);
    let mut d = build(&p).unwrap();
    d.advance(200);
    for panel in d.snapshot().panels {
        match panel.body {
            PanelBody::Heat {
                values, overlay, ..
            } => {
                assert!(values.iter().all(|v| v.is_finite()));
                assert!(overlay.iter().all(|s| !s.points.is_empty()));
            }
            PanelBody::Series { series } => assert!(series.iter().all(|s| !s.points.is_empty())),
            _ => panic!("unexpected body"),
        }
    }
}
