//! The 2-D penalized optima: L2 in closed form, L1 by coordinate descent
//! with the soft-threshold step (where exact zeros come from), and an
//! exact active-set enumeration the tests hold coordinate descent to.

/// A symmetric positive-definite 2 × 2 matrix [[a11, a12], [a12, a22]].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quad {
    pub a11: f64,
    pub a12: f64,
    pub a22: f64,
}

impl Quad {
    /// A = R(θ)·diag(1, stretch²)·R(θ)ᵀ: contours are ellipses whose long
    /// axis points at `angle_deg` and whose axis ratio is `stretch`.
    pub fn new(stretch: f64, angle_deg: f64) -> Quad {
        let (s, c) = angle_deg.to_radians().sin_cos();
        let (l1, l2) = (1.0, stretch * stretch);
        Quad {
            a11: l1 * c * c + l2 * s * s,
            a12: (l1 - l2) * c * s,
            a22: l1 * s * s + l2 * c * c,
        }
    }

    pub fn apply(&self, d: [f64; 2]) -> [f64; 2] {
        [
            self.a11 * d[0] + self.a12 * d[1],
            self.a12 * d[0] + self.a22 * d[1],
        ]
    }

    /// ½ (w − w*)ᵀ A (w − w*).
    pub fn loss(&self, w: [f64; 2], star: [f64; 2]) -> f64 {
        let d = [w[0] - star[0], w[1] - star[1]];
        let ad = self.apply(d);
        0.5 * (d[0] * ad[0] + d[1] * ad[1])
    }

    /// Points of the contour ½ dᵀAd = level around `star`, `n` + 1 of them
    /// (closed): d = √(2·level)·(cos φ·e₁/√λ₁ + sin φ·e₂/√λ₂) in A's eigenbasis.
    pub fn contour(
        &self,
        star: [f64; 2],
        level: f64,
        stretch: f64,
        angle_deg: f64,
        n: usize,
    ) -> Vec<[f64; 2]> {
        let (s, c) = angle_deg.to_radians().sin_cos();
        let r = (2.0 * level.max(0.0)).sqrt();
        (0..=n)
            .map(|i| {
                let phi = std::f64::consts::TAU * i as f64 / n as f64;
                let (u, v) = (r * phi.cos(), r * phi.sin() / stretch);
                [star[0] + u * c - v * s, star[1] + u * s + v * c]
            })
            .collect()
    }
}

/// argmin ½(w−w*)ᵀA(w−w*) + (λ/2)‖w‖² = (A + λI)⁻¹ A w*.
pub fn l2_optimum(a: &Quad, star: [f64; 2], lambda: f64) -> [f64; 2] {
    let rhs = a.apply(star);
    let (m11, m12, m22) = (a.a11 + lambda, a.a12, a.a22 + lambda);
    let det = m11 * m22 - m12 * m12;
    [
        (m22 * rhs[0] - m12 * rhs[1]) / det,
        (m11 * rhs[1] - m12 * rhs[0]) / det,
    ]
}

/// S(z, t) = sign(z)·max(|z| − t, 0): exactly 0 whenever |z| ≤ t.
pub fn soft_threshold(z: f64, t: f64) -> f64 {
    if z > t {
        z - t
    } else if z < -t {
        z + t
    } else {
        0.0
    }
}

/// argmin ½(w−w*)ᵀA(w−w*) + λ‖w‖₁ by cyclic coordinate descent from `start`.
///
/// Each update minimizes exactly over one coordinate:
/// w_i = S(w*_i − A_ij(w_j − w*_j)/A_ii, λ/A_ii). Stops when a full sweep
/// moves no coordinate by more than 1e-15·(1 + ‖w*‖∞); on this strongly
/// convex problem the error then is below 1e-12 (the rate per sweep is
/// ρ² with ρ = A12/√(A11A22) < 1). Returns the optimum and the sweeps used.
pub fn l1_optimum(a: &Quad, star: [f64; 2], lambda: f64, start: [f64; 2]) -> ([f64; 2], usize) {
    let tol = 1e-15 * (1.0 + star[0].abs().max(star[1].abs()));
    let mut w = start;
    for sweep in 1..=200_000 {
        let old = w;
        w[0] = soft_threshold(star[0] - a.a12 * (w[1] - star[1]) / a.a11, lambda / a.a11);
        w[1] = soft_threshold(star[1] - a.a12 * (w[0] - star[0]) / a.a22, lambda / a.a22);
        if (w[0] - old[0]).abs().max((w[1] - old[1]).abs()) <= tol {
            return (w, sweep);
        }
    }
    (w, 200_000)
}

/// The L1 optimum by enumerating supports: both zero, one zero (a 1-D
/// soft-threshold), or both non-zero with signs s (w = w* − λA⁻¹s, kept
/// only if its signs are s). The objective is convex, so the best valid
/// candidate is the optimum.
pub fn l1_exact(a: &Quad, star: [f64; 2], lambda: f64) -> [f64; 2] {
    let obj = |w: [f64; 2]| a.loss(w, star) + lambda * (w[0].abs() + w[1].abs());
    let mut cands = vec![[0.0, 0.0]];
    // w2 = 0: minimize ½A11(w1 − w*1)² − A12 w*2 (w1 − w*1)… + λ|w1|.
    let z1 = star[0] + a.a12 * star[1] / a.a11;
    cands.push([soft_threshold(z1, lambda / a.a11), 0.0]);
    let z2 = star[1] + a.a12 * star[0] / a.a22;
    cands.push([0.0, soft_threshold(z2, lambda / a.a22)]);
    let det = a.a11 * a.a22 - a.a12 * a.a12;
    for s in [[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]] {
        let inv_s = [
            (a.a22 * s[0] - a.a12 * s[1]) / det,
            (a.a11 * s[1] - a.a12 * s[0]) / det,
        ];
        let w = [star[0] - lambda * inv_s[0], star[1] - lambda * inv_s[1]];
        if w[0] * s[0] > 0.0 && w[1] * s[1] > 0.0 {
            cands.push(w);
        }
    }
    cands
        .into_iter()
        .min_by(|p, q| obj(*p).total_cmp(&obj(*q)))
        .unwrap_or([0.0, 0.0])
}
