//! Plain stochastic gradient descent (full batch here), with the penalties of
//! [`Penalty`] applied in the update.

use ndarray::Zip;

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
        let lr = self.lr;
        let s = penalty.l1_in_gradient();
        let c = penalty.l2_in_gradient();
        let decay = if c == 0.0 && penalty.l2 != 0.0 {
            1.0 - lr * penalty.l2
        } else {
            1.0
        };
        let threshold = if s == 0.0 { lr * penalty.l1 } else { 0.0 };
        let mut finite = true;
        for (layer, (gw, gb)) in mlp.layers.iter_mut().zip(&ws.grads) {
            // One pass per branch-free variant, so the common loops vectorize.
            if s == 0.0 && c == 0.0 && decay == 1.0 && threshold == 0.0 {
                Zip::from(&mut layer.w)
                    .and(gw)
                    .for_each(|w, &g| *w -= lr * g);
            } else {
                Zip::from(&mut layer.w).and(gw).for_each(|w, &g| {
                    let x = *w;
                    let next = decay * x - lr * (g + s * sign(x) + c * x);
                    *w = if threshold > 0.0 {
                        soft_threshold(next, threshold)
                    } else {
                        next
                    };
                });
            }
            Zip::from(&mut layer.b)
                .and(gb)
                .for_each(|b, &g| *b -= lr * g);
            finite &= layer.w.iter().fold(true, |ok, w| ok & w.is_finite());
            finite &= layer.b.iter().fold(true, |ok, b| ok & b.is_finite());
        }
        finite
    }
}
