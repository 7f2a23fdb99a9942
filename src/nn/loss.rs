//! Losses and their gradients with respect to the network's output.
//!
//! MSE for regression (identity output), softmax + cross-entropy for
//! classification (the network outputs logits; softmax is folded into the
//! loss so its gradient is the simple, stable `softmax − one_hot`).

use ndarray::{Array2, ArrayView2};

use super::activation::exp;

/// A data term of the objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// (1/(n·k)) Σ (ŷ − y)², PyTorch's `MSELoss()` (reduction 'mean').
    Mse,
    /// (1/n) Σ −log softmax(z)_y over one-hot targets, PyTorch's `CrossEntropyLoss()`.
    SoftmaxCrossEntropy,
}

impl Loss {
    /// The loss of outputs `pred` against `target`, both (n_samples, n_outputs);
    /// `pred` are logits for cross-entropy, `target` one-hot rows.
    pub fn value(self, pred: ArrayView2<f64>, target: ArrayView2<f64>) -> f64 {
        self.eval(pred, target, None)
    }

    /// The loss, with dLoss/dpred written into `grad` (same shape as `pred`).
    pub fn value_and_grad(
        self,
        pred: ArrayView2<f64>,
        target: ArrayView2<f64>,
        grad: &mut Array2<f64>,
    ) -> f64 {
        self.eval(pred, target, Some(grad))
    }

    fn eval(
        self,
        pred: ArrayView2<f64>,
        target: ArrayView2<f64>,
        grad: Option<&mut Array2<f64>>,
    ) -> f64 {
        let (n, k) = pred.dim();
        if n == 0 || k == 0 {
            return 0.0;
        }
        // Views from callers may be strided; the engine's own are already standard (no copy).
        let (pred, target) = (pred.as_standard_layout(), target.as_standard_layout());
        match self {
            Loss::Mse => {
                let scale = 1.0 / (n * k) as f64;
                let (p, t) = (
                    pred.as_slice().expect("row-major output"),
                    target.as_slice().expect("row-major targets"),
                );
                let sum = match grad {
                    Some(g) => {
                        let g = g.as_slice_mut().expect("row-major buffer");
                        p.iter().zip(t).zip(g).fold(0.0, |sum, ((&p, &t), g)| {
                            let e = p - t;
                            *g = 2.0 * scale * e;
                            sum + e * e
                        })
                    }
                    None => p.iter().zip(t).map(|(&p, &t)| (p - t) * (p - t)).sum(),
                };
                sum * scale
            }
            Loss::SoftmaxCrossEntropy => {
                let scale = 1.0 / n as f64;
                let mut sum = 0.0;
                let (p, t) = (
                    pred.as_slice().expect("row-major output"),
                    target.as_slice().expect("row-major targets"),
                );
                let mut g = grad.map(|g| g.as_slice_mut().expect("row-major buffer"));
                // Σ log(total) is taken as log Π total in batches: each total
                // lies in [1, k], and one `ln` per batch instead of per row
                // was a tenth of a small network's step.
                let mut product = 1.0;
                let (mut stack, mut heap) = ([0.0; 16], Vec::new());
                let e: &mut [f64] = if k <= 16 {
                    &mut stack[..k]
                } else {
                    heap.resize(k, 0.0);
                    &mut heap
                };
                for (i, (z, t)) in p.chunks_exact(k).zip(t.chunks_exact(k)).enumerate() {
                    // Exponentials around the largest logit, so none overflows.
                    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    e.iter_mut().zip(z).for_each(|(e, &v)| *e = exp(v - m));
                    let total: f64 = e.iter().sum();
                    // −log softmax_j = log(total) + m − z_j; log(total) is added below.
                    for (&zj, &tj) in z.iter().zip(t) {
                        sum += tj * (m - zj);
                    }
                    let t_sum: f64 = t.iter().sum();
                    if t_sum == 1.0 {
                        product *= total;
                    } else {
                        sum += t_sum * total.ln();
                    }
                    if product > 1e250 {
                        sum += product.ln();
                        product = 1.0;
                    }
                    if let Some(g) = g.as_deref_mut() {
                        let row = &mut g[i * k..(i + 1) * k];
                        for ((gj, &ej), &tj) in row.iter_mut().zip(e.iter()).zip(t) {
                            *gj = scale * (ej / total - tj);
                        }
                    }
                }
                sum += product.ln();
                // A NaN logit is hidden by `max` above; keep it visible.
                if pred.iter().any(|v| v.is_nan()) {
                    return f64::NAN;
                }
                sum * scale
            }
        }
    }
}

/// Row-wise softmax of logits. z: (n_samples, n_classes).
pub fn softmax(z: ArrayView2<f64>) -> Array2<f64> {
    let mut out = z.to_owned();
    for mut row in out.rows_mut() {
        let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        row.mapv_inplace(|v| exp(v - m));
        let s = row.sum();
        row.mapv_inplace(|v| v / s);
    }
    out
}

/// Fraction of rows whose largest logit is the target's class.
/// logits, one_hot: (n_samples, n_classes).
pub fn accuracy(logits: ArrayView2<f64>, one_hot: ArrayView2<f64>) -> f64 {
    let argmax = |row: ndarray::ArrayView1<f64>| {
        row.iter()
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |best, (j, &v)| {
                if v > best.1 { (j, v) } else { best }
            })
            .0
    };
    let n = logits.nrows();
    if n == 0 {
        return 0.0;
    }
    let right = logits
        .rows()
        .into_iter()
        .zip(one_hot.rows())
        .filter(|(z, t)| argmax(*z) == argmax(*t))
        .count();
    right as f64 / n as f64
}
