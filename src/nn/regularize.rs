//! Penalties on the weights (biases are never penalized): L1 and L2, each in
//! the two forms the lessons compare.
//!
//! Objective = Loss + λ₁ Σ|w| + (λ₂/2) Σ w². How a term enters the update:
//! - L1 subgradient: λ₁·sign(w) added to the gradient (sign 0 = 0). Weights
//!   overshoot zero and hover around it; they are almost never exactly 0.
//! - L1 proximal: after the gradient step, w ← sign(w)·max(|w| − ηλ₁, 0)
//!   (soft-threshold, ISTA). This is what produces exact zeros.
//! - L2 coupled: λ₂·w added to the gradient.
//! - L2 decoupled ("weight decay"): w ← w(1 − ηλ₂) − η ∂Loss/∂w. For plain SGD
//!   this is the same update as coupled (not so with momentum or Adam: AdamW).

use ndarray::Array2;

/// How the L1 term is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum L1Mode {
    Subgradient,
    Proximal,
}

/// How the L2 term is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum L2Mode {
    Coupled,
    Decoupled,
}

impl L1Mode {
    pub fn from_name(name: &str) -> Option<L1Mode> {
        match name {
            "subgradient" => Some(L1Mode::Subgradient),
            "proximal" => Some(L1Mode::Proximal),
            _ => None,
        }
    }
}

impl L2Mode {
    pub fn from_name(name: &str) -> Option<L2Mode> {
        match name {
            "coupled" => Some(L2Mode::Coupled),
            "decoupled" => Some(L2Mode::Decoupled),
            _ => None,
        }
    }
}

/// The regularization of one run; λ = 0 switches a term off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Penalty {
    pub l1: f64,
    pub l1_mode: L1Mode,
    pub l2: f64,
    pub l2_mode: L2Mode,
}

impl Default for Penalty {
    fn default() -> Self {
        Penalty {
            l1: 0.0,
            l1_mode: L1Mode::Proximal,
            l2: 0.0,
            l2_mode: L2Mode::Coupled,
        }
    }
}

/// sign(w) with sign(0) = 0: the subgradient of |w| that leaves a zero alone.
#[inline(always)]
pub fn sign(w: f64) -> f64 {
    if w > 0.0 {
        1.0
    } else if w < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// The proximal operator of t|w|: sign(w)·max(|w| − t, 0). NaN stays NaN.
#[inline(always)]
pub fn soft_threshold(w: f64, t: f64) -> f64 {
    if w.abs() <= t { 0.0 } else { w - t * sign(w) }
}

impl Penalty {
    /// λ₁ Σ|w| + (λ₂/2) Σ w² over the given weight matrices.
    pub fn value<'a>(&self, weights: impl IntoIterator<Item = &'a Array2<f64>>) -> f64 {
        weights
            .into_iter()
            .map(|w| {
                w.iter()
                    .map(|&x| self.l1 * x.abs() + 0.5 * self.l2 * x * x)
                    .sum::<f64>()
            })
            .sum()
    }

    /// λ₁ in the gradient (subgradient mode), else 0.
    pub fn l1_in_gradient(&self) -> f64 {
        if self.l1_mode == L1Mode::Subgradient {
            self.l1
        } else {
            0.0
        }
    }

    /// λ₂ in the gradient (coupled mode), else 0.
    pub fn l2_in_gradient(&self) -> f64 {
        if self.l2_mode == L2Mode::Coupled {
            self.l2
        } else {
            0.0
        }
    }

    /// Adds the gradient of the full penalty to `grad`: the (sub)gradient
    /// λ₁·sign(w) + λ₂·w, whatever the modes (the modes change the update,
    /// not the objective). w, grad: (fan_in, fan_out).
    pub fn add_gradient(&self, w: &Array2<f64>, grad: &mut Array2<f64>) {
        grad.zip_mut_with(w, |g, &x| *g += self.l1 * sign(x) + self.l2 * x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_threshold_zeroes_small_weights_and_shrinks_large_ones() {
        assert_eq!(soft_threshold(0.05, 0.1), 0.0);
        assert_eq!(soft_threshold(-0.1, 0.1), 0.0);
        assert_eq!(soft_threshold(0.5, 0.1), 0.4);
        assert_eq!(soft_threshold(-0.5, 0.1), -0.4);
        assert!(soft_threshold(f64::NAN, 0.1).is_nan());
    }
}
