//! Plain stochastic gradient descent (full batch here), with the penalties of
//! [`Penalty`] applied in the update.

use ndarray::{Array, Array1, Array2, Dimension, Zip};

use super::layer::{Mlp, Workspace};
use super::regularize::{Penalty, sign, soft_threshold};

/// SGD with learning rate η.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd {
    pub lr: f64,
}

impl Sgd {
    /// One update of every layer from the gradients in `ws.grads`:
    ///
    /// w ← d·w − η(∂Loss/∂w + s·sign(w) + c·w), then w ← soft(w, ηλ₁) if proximal,
    /// b ← b − η ∂Loss/∂b,
    ///
    /// where s = λ₁ (subgradient L1) or 0, c = λ₂ (coupled L2) or 0, and
    /// d = 1 − ηλ₂ (decoupled L2) or 1. Returns false if any new parameter is
    /// NaN or ∞ (the caller decides what divergence means).
    pub fn step(&self, mlp: &mut Mlp, ws: &Workspace, penalty: &Penalty) -> bool {
        let mut finite = true;
        for (layer, (gw, gb)) in mlp.layers.iter_mut().zip(&ws.grads) {
            finite &= self.update(&mut layer.w, None, gw, &mut layer.b, None, gb, penalty);
        }
        finite
    }

    /// The update of [`Sgd::step`] computed from `from`'s parameters and
    /// written into `to` (same sizes), leaving `from` as it was: a caller
    /// that keeps the previous parameters for a rollback then swaps the two
    /// instead of copying every parameter before each step. Same bits as
    /// `step`.
    pub fn step_into(&self, from: &Mlp, to: &mut Mlp, ws: &Workspace, penalty: &Penalty) -> bool {
        let mut finite = true;
        for ((old, new), (gw, gb)) in from.layers.iter().zip(&mut to.layers).zip(&ws.grads) {
            let (w, b) = (Some(&old.w), Some(&old.b));
            finite &= self.update(&mut new.w, w, gw, &mut new.b, b, gb, penalty);
        }
        finite
    }

    /// One layer's update into (w, b), from (w0, b0) or from (w, b) itself
    /// when those are None; whether every new parameter is finite.
    #[allow(clippy::too_many_arguments)]
    fn update(
        &self,
        w: &mut Array2<f64>,
        w0: Option<&Array2<f64>>,
        gw: &Array2<f64>,
        b: &mut Array1<f64>,
        b0: Option<&Array1<f64>>,
        gb: &Array1<f64>,
        penalty: &Penalty,
    ) -> bool {
        let lr = self.lr;
        let s = penalty.l1_in_gradient();
        let c = penalty.l2_in_gradient();
        let decay = if c == 0.0 && penalty.l2 != 0.0 {
            1.0 - lr * penalty.l2
        } else {
            1.0
        };
        let threshold = if s == 0.0 { lr * penalty.l1 } else { 0.0 };
        // One pass per branch-free variant, so the common loops vectorize.
        if s == 0.0 && c == 0.0 && decay == 1.0 && threshold == 0.0 {
            apply(w, w0, gw, |x, g| x - lr * g);
        } else {
            apply(w, w0, gw, |x, g| {
                let next = decay * x - lr * (g + s * sign(x) + c * x);
                if threshold > 0.0 {
                    soft_threshold(next, threshold)
                } else {
                    next
                }
            });
        }
        apply(b, b0, gb, |x, g| x - lr * g);
        w.iter().fold(true, |ok, w| ok & w.is_finite())
            & b.iter().fold(true, |ok, b| ok & b.is_finite())
    }
}

/// p ← f(p₀, g) elementwise, with p₀ = `from` or p itself.
fn apply<D: Dimension>(
    p: &mut Array<f64, D>,
    from: Option<&Array<f64, D>>,
    g: &Array<f64, D>,
    f: impl Fn(f64, f64) -> f64,
) {
    match from {
        None => Zip::from(p).and(g).for_each(|p, &g| *p = f(*p, g)),
        Some(p0) => Zip::from(p)
            .and(p0)
            .and(g)
            .for_each(|p, &x, &g| *p = f(x, g)),
    }
}
