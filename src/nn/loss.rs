//! Losses and their gradients with respect to the network's output.
//!
//! MSE for regression (identity output), softmax + cross-entropy for
//! classification (the network outputs logits; softmax is folded into the
//! loss so its gradient is the simple, stable `softmax − one_hot`), and
//! sigmoid + binary cross-entropy for independent yes/no outputs (folded the
//! same way: gradient `σ(z) − y`).

use ndarray::{Array2, ArrayView2};

use super::activation::{exp, sigmoid};

/// A data term of the objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// (1/(n·k)) Σ (ŷ − y)², PyTorch's `MSELoss()` (reduction 'mean').
    Mse,
    /// (1/n) Σ −log softmax(z)_y over one-hot targets, PyTorch's `CrossEntropyLoss()`.
    SoftmaxCrossEntropy,
    /// (1/(n·k)) Σ max(z, 0) − z·y + log(1 + e^(−|z|)) over logits z and
    /// targets y ∈ [0, 1], PyTorch's `BCEWithLogitsLoss()` (reduction 'mean');
    /// gradient (σ(z) − y)/(n·k).
    ///
    /// The same value as −[y·log σ(z) + (1 − y)·log(1 − σ(z))], rearranged so
    /// that no exponential overflows and no log sees 0: a logit of ±40 gives
    /// a loss of ≈ 40 instead of ∞. Each of the k outputs is its own yes/no
    /// question (k = 1 for binary classification). An infinite logit gives
    /// NaN (∞ − ∞), as in PyTorch, so divergence stays visible.
    BinaryCrossEntropy,
    /// (1/(n·k)) Σ (σ(z) − y)² over logits z and targets y ∈ [0, 1]: squared
    /// error on a sigmoid output, the pairing the lecture warns against;
    /// gradient (2/(n·k))·(σ(z) − y)·σ(z)·(1 − σ(z)).
    ///
    /// The factor σ'(z) = σ(z)(1 − σ(z)) is what binary cross-entropy's
    /// gradient σ(z) − y cancels: on a confidently wrong output (|z| large,
    /// σ near the wrong end) it is near 0, so the unit barely learns just
    /// when it is most wrong (Nielsen, *Neural Networks and Deep Learning*,
    /// ch. 3, "The cross-entropy cost function").
    SigmoidMse,
}

impl Loss {
    /// Whether each output is one logit read through a sigmoid (a yes/no
    /// question per output) rather than a value or a softmax's share.
    pub fn sigmoid_output(self) -> bool {
        matches!(self, Loss::BinaryCrossEntropy | Loss::SigmoidMse)
    }

    /// The loss of outputs `pred` against `target`, both (n_samples, n_outputs);
    /// `pred` are logits for the cross-entropies, `target` one-hot rows for
    /// softmax cross-entropy and values in [0, 1] for binary cross-entropy.
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
            Loss::BinaryCrossEntropy => {
                let scale = 1.0 / (n * k) as f64;
                let (p, t) = (
                    pred.as_slice().expect("row-major output"),
                    target.as_slice().expect("row-major targets"),
                );
                // `z > 0` rather than f64::max, which would turn a NaN logit into 0.
                let term = |z: f64, y: f64| {
                    let relu = if z > 0.0 { z } else { 0.0 };
                    relu - z * y + (-z.abs()).exp().ln_1p()
                };
                let sum: f64 = match grad {
                    Some(g) => {
                        let g = g.as_slice_mut().expect("row-major buffer");
                        p.iter().zip(t).zip(g).fold(0.0, |sum, ((&z, &y), g)| {
                            *g = scale * (sigmoid(z) - y);
                            sum + term(z, y)
                        })
                    }
                    None => p.iter().zip(t).map(|(&z, &y)| term(z, y)).sum(),
                };
                sum * scale
            }
            Loss::SigmoidMse => {
                let scale = 1.0 / (n * k) as f64;
                let (p, t) = (
                    pred.as_slice().expect("row-major output"),
                    target.as_slice().expect("row-major targets"),
                );
                let sum: f64 = match grad {
                    Some(g) => {
                        let g = g.as_slice_mut().expect("row-major buffer");
                        p.iter().zip(t).zip(g).fold(0.0, |sum, ((&z, &y), g)| {
                            let s = sigmoid(z);
                            *g = 2.0 * scale * (s - y) * s * (1.0 - s);
                            sum + (s - y) * (s - y)
                        })
                    }
                    None => p
                        .iter()
                        .zip(t)
                        .map(|(&z, &y)| (sigmoid(z) - y).powi(2))
                        .sum(),
                };
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

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// dLoss/dpred by central differences, one logit at a time.
    fn finite_difference(loss: Loss, pred: &Array2<f64>, target: &Array2<f64>) -> Array2<f64> {
        let h = 1e-6;
        Array2::from_shape_fn(pred.raw_dim(), |ij| {
            let (mut up, mut down) = (pred.clone(), pred.clone());
            up[ij] += h;
            down[ij] -= h;
            (loss.value(up.view(), target.view()) - loss.value(down.view(), target.view()))
                / (2.0 * h)
        })
    }

    /// ‖a − b‖ / max(‖a‖, ‖b‖).
    fn rel_err(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
        let norm = |v: &Array2<f64>| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        norm(&(a - b)) / norm(a).max(norm(b))
    }

    #[test]
    fn binary_cross_entropy_matches_its_definition() {
        // z: (3, 2) logits, y: soft and hard targets.
        let z: Array2<f64> = array![[0.5, -1.2], [2.0, 0.0], [-3.0, 4.5]];
        let y: Array2<f64> = array![[1.0, 0.0], [0.3, 1.0], [0.0, 0.8]];
        let mut want = 0.0;
        let mut want_grad = Array2::zeros((3, 2));
        for i in 0..3 {
            for j in 0..2 {
                let s = 1.0 / (1.0 + (-z[[i, j]]).exp());
                want -= y[[i, j]] * s.ln() + (1.0 - y[[i, j]]) * (1.0 - s).ln();
                want_grad[[i, j]] = (s - y[[i, j]]) / 6.0;
            }
        }
        want /= 6.0;
        let mut grad = Array2::zeros((3, 2));
        let got = Loss::BinaryCrossEntropy.value_and_grad(z.view(), y.view(), &mut grad);
        assert!((got - want).abs() < 1e-15 * want, "{got} vs {want}");
        assert_eq!(Loss::BinaryCrossEntropy.value(z.view(), y.view()), got);
        assert!(rel_err(&grad, &want_grad) < 4e-16, "{grad} vs {want_grad}");
        // Where 1 − σ(z) rounds to 0: −log(1 − σ(40)) = 40 + log(1 + e^−40).
        let big = array![[40.0]];
        let v = Loss::BinaryCrossEntropy.value(big.view(), array![[0.0]].view());
        assert_eq!(v, 40.0 + (-40.0f64).exp());
        assert!(
            Loss::BinaryCrossEntropy
                .value(array![[f64::NAN]].view(), array![[0.0]].view())
                .is_nan()
        );
    }

    /// (σ(z) − y)² against its definition, and its gradient's σ'(z) factor
    /// against binary cross-entropy's σ(z) − y on a confidently wrong logit.
    #[test]
    fn squared_error_on_a_sigmoid_matches_its_definition() {
        let z: Array2<f64> = array![[0.5, -1.2], [2.0, 0.0], [-6.0, 4.5]];
        let y: Array2<f64> = array![[1.0, 0.0], [0.3, 1.0], [1.0, 0.8]];
        let (mut want, mut want_grad) = (0.0, Array2::zeros((3, 2)));
        for i in 0..3 {
            for j in 0..2 {
                let s = 1.0 / (1.0 + (-z[[i, j]]).exp());
                want += (s - y[[i, j]]).powi(2) / 6.0;
                want_grad[[i, j]] = 2.0 * (s - y[[i, j]]) * s * (1.0 - s) / 6.0;
            }
        }
        let mut grad = Array2::zeros((3, 2));
        let got = Loss::SigmoidMse.value_and_grad(z.view(), y.view(), &mut grad);
        assert!((got - want).abs() < 1e-15, "{got} vs {want}");
        assert!(rel_err(&grad, &want_grad) < 1e-15, "{grad} vs {want_grad}");
        // z = −6 with target 1: σ = 0.00247, wrong by almost 1. Binary
        // cross-entropy's gradient is σ − 1 ≈ −0.998; squared error's is
        // 2(σ − 1)σ(1 − σ) ≈ −0.0049, two hundred times smaller.
        let (wrong, one) = (array![[-6.0]], array![[1.0]]);
        let (mut g_mse, mut g_bce) = (Array2::zeros((1, 1)), Array2::zeros((1, 1)));
        Loss::SigmoidMse.value_and_grad(wrong.view(), one.view(), &mut g_mse);
        Loss::BinaryCrossEntropy.value_and_grad(wrong.view(), one.view(), &mut g_bce);
        assert!((g_bce[[0, 0]] + 0.997_527).abs() < 1e-6, "{g_bce}");
        assert!((g_mse[[0, 0]] + 0.004_920_8).abs() < 1e-6, "{g_mse}");
    }

    #[test]
    fn cross_entropy_gradients_match_finite_differences_and_p_minus_y() {
        let z: Array2<f64> = array![
            [0.5, -1.2, 0.3],
            [2.0, 0.0, -0.7],
            [-3.0, 4.5, 1.1],
            [0.2, 0.1, 0.0]
        ];
        let one_hot = array![
            [1.0, 0.0, 0.0],
            [0.0, 0.0, 1.0],
            [0.0, 1.0, 0.0],
            [1.0, 0.0, 0.0]
        ];
        let soft = array![
            [1.0, 0.0, 0.2],
            [0.3, 1.0, 0.5],
            [0.0, 0.8, 1.0],
            [0.5, 0.5, 0.0]
        ];
        let mut worst = 0.0f64;
        for (loss, target) in [
            (Loss::SoftmaxCrossEntropy, &one_hot),
            (Loss::BinaryCrossEntropy, &soft),
            (Loss::Mse, &soft),
            (Loss::SigmoidMse, &soft),
        ] {
            let mut grad = Array2::zeros(z.raw_dim());
            loss.value_and_grad(z.view(), target.view(), &mut grad);
            let err = rel_err(&grad, &finite_difference(loss, &z, target));
            worst = worst.max(err);
            assert!(err < 1e-8, "{loss:?}: {err:e}");
        }
        eprintln!("largest finite-difference relative error of a loss gradient: {worst:.2e}");

        // Softmax cross-entropy: dLoss/dz = (p − y)/n, p = e^z / Σ e^z per row.
        let mut grad = Array2::zeros(z.raw_dim());
        Loss::SoftmaxCrossEntropy.value_and_grad(z.view(), one_hot.view(), &mut grad);
        for i in 0..4 {
            let total: f64 = (0..3).map(|j| z[[i, j]].exp()).sum();
            for j in 0..3 {
                let p = z[[i, j]].exp() / total;
                let want = (p - one_hot[[i, j]]) / 4.0;
                assert!((grad[[i, j]] - want).abs() < 1e-16, "({i}, {j})");
            }
        }
    }
}
