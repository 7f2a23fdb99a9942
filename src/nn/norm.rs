//! Normalization layers over a batch x: (n_samples, features): batch norm
//! (statistics of each feature over the batch) and layer norm (statistics of
//! each sample over its features), each followed by a learned affine map
//! y = γ·x̂ + β.
//!
//! A forward pass fills a [`NormCache`] (x̂ and 1/√(σ² + ε)) that the backward
//! pass reads. Variances are computed in two passes (mean first, then the
//! mean of squared deviations), which stays accurate when the mean is large
//! against the spread. Nothing panics on NaN or ∞: they propagate to the
//! outputs of their column (batch norm) or row (layer norm).

use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};
use thiserror::Error;

/// PyTorch's default ε for both layers.
pub const NORM_EPS: f64 = 1e-5;

/// PyTorch's default momentum of batch norm's running statistics.
pub const BATCH_NORM_MOMENTUM: f64 = 0.1;

/// Which statistics batch norm normalizes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NormMode {
    /// The batch's own mean and biased variance; the running statistics are updated.
    Train,
    /// The running statistics, left unchanged.
    Eval,
}

/// A batch that a normalization layer cannot take.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum NormError {
    /// Train-mode batch norm on fewer than 2 samples: the unbiased variance
    /// (and, for 1 sample, anything to normalize) is undefined. PyTorch
    /// raises "Expected more than 1 value per channel when training".
    #[error("batch norm in train mode needs at least 2 samples, got {0}")]
    TooFewSamples(usize),
    /// x has a different number of features than the layer.
    #[error("x has {got} features, the layer normalizes {expected}")]
    Features { got: usize, expected: usize },
}

/// What a forward pass keeps for the backward pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NormCache {
    /// x̂: (n_samples, features), the normalized input.
    x_hat: Array2<f64>,
    /// 1/√(σ² + ε): (features) for batch norm, (n_samples) for layer norm.
    inv_std: Array1<f64>,
    /// Whether the statistics were computed from x (train-mode batch norm,
    /// layer norm), so that gradients flow through them too.
    batch_stats: bool,
    /// Train-mode batch norm: the batch size, mean and biased variance, for
    /// [`BatchNorm1d::update_running`].
    batch: Option<(usize, Array1<f64>, Array1<f64>)>,
}

/// Gradients of a loss with respect to a normalization layer's input and parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct NormGrads {
    /// dL/dx: (n_samples, features)
    pub x: Array2<f64>,
    /// dL/dγ: (features)
    pub gamma: Array1<f64>,
    /// dL/dβ: (features)
    pub beta: Array1<f64>,
}

/// Batch normalization of each feature over the batch (Ioffe & Szegedy 2015,
/// PyTorch's `nn.BatchNorm1d(features)` with momentum 0.1, ε = 1e-5, affine
/// and running statistics on).
///
/// Train mode, per feature j over the n samples:
///
/// ```text
/// μ_j = (1/n) Σᵢ x_ij,   σ²_j = (1/n) Σᵢ (x_ij − μ_j)²          (biased)
/// x̂_ij = (x_ij − μ_j) / √(σ²_j + ε),   y_ij = γ_j·x̂_ij + β_j
/// running_mean ← (1 − m)·running_mean + m·μ
/// running_var  ← (1 − m)·running_var  + m·σ²·n/(n − 1)          (unbiased)
/// ```
///
/// Eval mode normalizes with running_mean and running_var instead. The
/// biased variance normalizes and the unbiased one is remembered, as
/// PyTorch does; the running averages start at 0 and 1.
///
/// Backward (train mode), with the sums over the batch:
/// dβ_j = Σᵢ dy_ij, dγ_j = Σᵢ dy_ij·x̂_ij,
/// dx_ij = (γ_j / (n·√(σ²_j + ε)))·(n·dy_ij − dβ_j − x̂_ij·dγ_j);
/// in eval mode the statistics are constants and dx_ij = γ_j·dy_ij / √(running_var_j + ε).
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNorm1d {
    /// γ: (features), starts at 1.
    pub gamma: Array1<f64>,
    /// β: (features), starts at 0.
    pub beta: Array1<f64>,
    /// (features), starts at 0.
    pub running_mean: Array1<f64>,
    /// (features), starts at 1.
    pub running_var: Array1<f64>,
    /// m, the weight of each new batch in the running statistics.
    pub momentum: f64,
    pub eps: f64,
}

/// Layer normalization of each sample over its features (Ba, Kiros & Hinton
/// 2016, PyTorch's `nn.LayerNorm(features)` with ε = 1e-5 and an elementwise
/// affine map). The same in training and evaluation.
///
/// Per sample i over the F features:
///
/// ```text
/// μ_i = (1/F) Σⱼ x_ij,   σ²_i = (1/F) Σⱼ (x_ij − μ_i)²          (biased)
/// x̂_ij = (x_ij − μ_i) / √(σ²_i + ε),   y_ij = γ_j·x̂_ij + β_j
/// ```
///
/// Backward, with g_ij = γ_j·dy_ij: dβ_j = Σᵢ dy_ij, dγ_j = Σᵢ dy_ij·x̂_ij,
/// dx_ij = (1/(F·√(σ²_i + ε)))·(F·g_ij − Σⱼ g_ij − x̂_ij·Σⱼ g_ij·x̂_ij).
#[derive(Clone, Debug, PartialEq)]
pub struct LayerNorm {
    /// γ: (features), starts at 1.
    pub gamma: Array1<f64>,
    /// β: (features), starts at 0.
    pub beta: Array1<f64>,
    pub eps: f64,
}

/// Mean and biased variance of a sequence, in two passes.
pub fn mean_and_variance(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count() as f64;
    let mean = values.clone().sum::<f64>() / n;
    let var = values.map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var)
}

/// Checks x's width against the layer's.
fn check_features(x: &ArrayView2<f64>, expected: usize) -> Result<(), NormError> {
    if x.ncols() == expected {
        Ok(())
    } else {
        Err(NormError::Features {
            got: x.ncols(),
            expected,
        })
    }
}

impl BatchNorm1d {
    /// A layer for `features` features with PyTorch's initial values.
    pub fn new(features: usize) -> BatchNorm1d {
        BatchNorm1d {
            gamma: Array1::ones(features),
            beta: Array1::zeros(features),
            running_mean: Array1::zeros(features),
            running_var: Array1::ones(features),
            momentum: BATCH_NORM_MOMENTUM,
            eps: NORM_EPS,
        }
    }

    pub fn features(&self) -> usize {
        self.gamma.len()
    }

    /// y = γ·x̂ + β for x: (n_samples, features), filling `cache` for
    /// [`BatchNorm1d::backward`]; in train mode also updates the running
    /// statistics.
    pub fn forward(
        &mut self,
        x: ArrayView2<f64>,
        mode: NormMode,
        cache: &mut NormCache,
    ) -> Result<Array2<f64>, NormError> {
        let y = self.normalize(x, mode, cache)?;
        if mode == NormMode::Train {
            self.update_running(cache);
        }
        Ok(y)
    }

    /// [`BatchNorm1d::forward`] without touching the running statistics: an
    /// MLP normalizes every layer through `&self` and folds each train-mode
    /// batch's statistics in afterwards with [`BatchNorm1d::update_running`].
    pub fn normalize(
        &self,
        x: ArrayView2<f64>,
        mode: NormMode,
        cache: &mut NormCache,
    ) -> Result<Array2<f64>, NormError> {
        check_features(&x, self.features())?;
        let n = x.nrows();
        let eps = self.eps;
        let (mean, var) = match mode {
            NormMode::Train => {
                if n < 2 {
                    return Err(NormError::TooFewSamples(n));
                }
                let (mut mean, mut var) = (Array1::zeros(x.ncols()), Array1::zeros(x.ncols()));
                for (j, column) in x.columns().into_iter().enumerate() {
                    (mean[j], var[j]) = mean_and_variance(column.iter().copied());
                }
                (mean, var)
            }
            NormMode::Eval => (self.running_mean.clone(), self.running_var.clone()),
        };
        let inv_std = var.mapv(|v| 1.0 / (v + eps).sqrt());
        let mut x_hat = x.to_owned();
        for mut row in x_hat.rows_mut() {
            Zip::from(&mut row)
                .and(&mean)
                .and(&inv_std)
                .for_each(|v, &mu, &s| *v = (*v - mu) * s);
        }
        let y = affine(&x_hat, &self.gamma, &self.beta);
        let batch_stats = mode == NormMode::Train;
        *cache = NormCache {
            x_hat,
            inv_std,
            batch_stats,
            batch: batch_stats.then_some((n, mean, var)),
        };
        Ok(y)
    }

    /// Folds the batch statistics of a train-mode `cache` into the running
    /// ones (PyTorch's momentum rule above); an eval-mode cache changes nothing.
    pub fn update_running(&mut self, cache: &NormCache) {
        let Some((n, mean, var)) = &cache.batch else {
            return;
        };
        let m = self.momentum;
        let unbiased = *n as f64 / (*n - 1) as f64;
        Zip::from(&mut self.running_mean)
            .and(mean)
            .for_each(|r, &mu| *r = (1.0 - m) * *r + m * mu);
        Zip::from(&mut self.running_var)
            .and(var)
            .for_each(|r, &v| *r = (1.0 - m) * *r + m * (v * unbiased));
    }

    /// dL/dx, dL/dγ, dL/dβ from dL/dy: (n_samples, features) and the cache
    /// of the forward pass that produced y.
    pub fn backward(&self, dy: ArrayView2<f64>, cache: &NormCache) -> NormGrads {
        let (dgamma, dbeta) = affine_grads(dy, &cache.x_hat);
        let n = dy.nrows() as f64;
        let mut dx = dy.to_owned();
        for (mut row, x_hat) in dx.rows_mut().into_iter().zip(cache.x_hat.rows()) {
            Zip::from(&mut row)
                .and(&x_hat)
                .and(&self.gamma)
                .and(&cache.inv_std)
                .and(&dgamma)
                .and(&dbeta)
                .for_each(|d, &xh, &g, &s, &dg, &db| {
                    *d = if cache.batch_stats {
                        g * s / n * (n * *d - db - xh * dg)
                    } else {
                        g * s * *d
                    };
                });
        }
        NormGrads {
            x: dx,
            gamma: dgamma,
            beta: dbeta,
        }
    }
}

impl LayerNorm {
    /// A layer for `features` features with PyTorch's initial values.
    pub fn new(features: usize) -> LayerNorm {
        LayerNorm {
            gamma: Array1::ones(features),
            beta: Array1::zeros(features),
            eps: NORM_EPS,
        }
    }

    pub fn features(&self) -> usize {
        self.gamma.len()
    }

    /// y = γ·x̂ + β for x: (n_samples, features), filling `cache` for
    /// [`LayerNorm::backward`].
    pub fn forward(
        &self,
        x: ArrayView2<f64>,
        cache: &mut NormCache,
    ) -> Result<Array2<f64>, NormError> {
        check_features(&x, self.features())?;
        let mut x_hat = x.to_owned();
        let mut inv_std = Array1::zeros(x.nrows());
        for (mut row, s) in x_hat.rows_mut().into_iter().zip(&mut inv_std) {
            let (mean, var) = mean_and_variance(row.iter().copied());
            *s = 1.0 / (var + self.eps).sqrt();
            let s = *s;
            row.mapv_inplace(|v| (v - mean) * s);
        }
        let y = affine(&x_hat, &self.gamma, &self.beta);
        *cache = NormCache {
            x_hat,
            inv_std,
            batch_stats: true,
            batch: None,
        };
        Ok(y)
    }

    /// dL/dx, dL/dγ, dL/dβ from dL/dy: (n_samples, features) and the cache
    /// of the forward pass that produced y.
    pub fn backward(&self, dy: ArrayView2<f64>, cache: &NormCache) -> NormGrads {
        let (dgamma, dbeta) = affine_grads(dy, &cache.x_hat);
        let f = dy.ncols() as f64;
        let mut dx = dy.to_owned();
        for ((mut row, x_hat), &s) in dx
            .rows_mut()
            .into_iter()
            .zip(cache.x_hat.rows())
            .zip(&cache.inv_std)
        {
            Zip::from(&mut row)
                .and(&self.gamma)
                .for_each(|d, &g| *d *= g);
            let sum: f64 = row.sum();
            let dot: f64 = row.iter().zip(&x_hat).map(|(d, xh)| d * xh).sum();
            Zip::from(&mut row)
                .and(&x_hat)
                .for_each(|d, &xh| *d = s / f * (f * *d - sum - xh * dot));
        }
        NormGrads {
            x: dx,
            gamma: dgamma,
            beta: dbeta,
        }
    }
}

/// y = γ·x̂ + β row by row. x_hat: (n, features); gamma, beta: (features).
fn affine(x_hat: &Array2<f64>, gamma: &Array1<f64>, beta: &Array1<f64>) -> Array2<f64> {
    let mut y = x_hat.clone();
    for mut row in y.rows_mut() {
        Zip::from(&mut row)
            .and(gamma)
            .and(beta)
            .for_each(|v, &g, &b| *v = g * *v + b);
    }
    y
}

/// (dγ, dβ) = (Σᵢ dy ⊙ x̂, Σᵢ dy) over the batch.
fn affine_grads(dy: ArrayView2<f64>, x_hat: &Array2<f64>) -> (Array1<f64>, Array1<f64>) {
    let dbeta = dy.sum_axis(Axis(0));
    let dgamma = (&dy * x_hat).sum_axis(Axis(0));
    (dgamma, dbeta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn assert_close(got: &Array2<f64>, want: &Array2<f64>, tol: f64) {
        assert_eq!(got.dim(), want.dim());
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= tol * w.abs().max(1.0), "{got} vs {want}");
        }
    }

    #[test]
    fn batch_norm_forward_matches_the_formula() {
        // Feature 0 is [1, 3, 5]: μ = 3, σ² = (4 + 0 + 4)/3 = 8/3.
        // Feature 1 is [2, 6, 10]: μ = 6, σ² = (16 + 0 + 16)/3 = 32/3.
        let x = array![[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]];
        let mut bn = BatchNorm1d::new(2);
        bn.gamma = array![2.0, 0.5];
        bn.beta = array![0.1, -1.0];
        let y = bn
            .forward(x.view(), NormMode::Train, &mut NormCache::default())
            .unwrap();
        let (s0, s1) = (
            1.0 / (8.0f64 / 3.0 + 1e-5).sqrt(),
            1.0 / (32.0f64 / 3.0 + 1e-5).sqrt(),
        );
        let want = array![
            [2.0 * -2.0 * s0 + 0.1, 0.5 * -4.0 * s1 - 1.0],
            [0.1, -1.0],
            [2.0 * 2.0 * s0 + 0.1, 0.5 * 4.0 * s1 - 1.0],
        ];
        assert_close(&y, &want, 1e-15);
    }

    #[test]
    fn running_statistics_follow_pytorch_over_two_steps_and_eval_uses_them() {
        let mut bn = BatchNorm1d::new(2);
        let mut cache = NormCache::default();
        // Batch A: means (3, 6), unbiased variances (8/2, 32/2) = (4, 16).
        let a = array![[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]];
        bn.forward(a.view(), NormMode::Train, &mut cache).unwrap();
        let (rm1, rv1) = (
            [0.9 * 0.0 + 0.1 * 3.0, 0.9 * 0.0 + 0.1 * 6.0],
            [0.9 + 0.1 * 4.0, 0.9 + 0.1 * 16.0],
        );
        for j in 0..2 {
            assert!((bn.running_mean[j] - rm1[j]).abs() < 1e-15);
            assert!((bn.running_var[j] - rv1[j]).abs() < 1e-15);
        }
        // Batch B: feature 0 [0, 2, 4, −2]: mean 1, squared deviations 1+1+9+9 = 20,
        // unbiased 20/3; feature 1 [1, −1, 3, 1]: mean 1, 0+4+4+0 = 8, unbiased 8/3.
        let b = array![[0.0, 1.0], [2.0, -1.0], [4.0, 3.0], [-2.0, 1.0]];
        let train = bn.forward(b.view(), NormMode::Train, &mut cache).unwrap();
        let rm2 = [0.9 * rm1[0] + 0.1 * 1.0, 0.9 * rm1[1] + 0.1 * 1.0];
        let rv2 = [
            0.9 * rv1[0] + 0.1 * 20.0 / 3.0,
            0.9 * rv1[1] + 0.1 * 8.0 / 3.0,
        ];
        for j in 0..2 {
            assert!((bn.running_mean[j] - rm2[j]).abs() < 1e-15, "mean {j}");
            assert!((bn.running_var[j] - rv2[j]).abs() < 1e-15, "var {j}");
        }
        // By hand: means (0.37, 0.64), variances (1.17 + 0.666…, 2.25 + 0.266…).
        assert!((bn.running_mean[0] - 0.37).abs() < 1e-15);
        assert!((bn.running_var[1] - 2.516_666_666_666_667).abs() < 1e-15);

        let before = bn.clone();
        let eval = bn.forward(b.view(), NormMode::Eval, &mut cache).unwrap();
        assert_eq!(bn, before, "eval mode leaves the running statistics alone");
        let want = Array2::from_shape_fn((4, 2), |(i, j)| {
            (b[[i, j]] - rm2[j]) / (rv2[j] + 1e-5).sqrt()
        });
        assert_close(&eval, &want, 1e-15);
        assert!(
            (&eval - &train).iter().any(|d| d.abs() > 0.1),
            "eval differs from train"
        );
    }

    #[test]
    fn layer_norm_forward_matches_the_formula() {
        // Row 0 [1, 2, 3, 4]: μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25.
        // Row 1 [−1, −1, 5, −3]: μ = 0, σ² = (1 + 1 + 25 + 9)/4 = 9.
        let x = array![[1.0, 2.0, 3.0, 4.0], [-1.0, -1.0, 5.0, -3.0]];
        let mut ln = LayerNorm::new(4);
        ln.gamma = array![1.0, 2.0, -1.0, 0.5];
        ln.beta = array![0.0, 0.1, 0.2, 0.3];
        let y = ln.forward(x.view(), &mut NormCache::default()).unwrap();
        let (s0, s1) = (1.0 / (1.25f64 + 1e-5).sqrt(), 1.0 / (9.0f64 + 1e-5).sqrt());
        let want = array![
            [
                -1.5 * s0,
                2.0 * -0.5 * s0 + 0.1,
                -0.5 * s0 + 0.2,
                0.5 * 1.5 * s0 + 0.3
            ],
            [-s1, 2.0 * -s1 + 0.1, -5.0 * s1 + 0.2, 0.5 * -3.0 * s1 + 0.3],
        ];
        assert_close(&y, &want, 1e-15);
    }

    /// A loss as a function of (x, γ, β).
    type Probe<'a> = &'a dyn Fn(&Array2<f64>, &Array1<f64>, &Array1<f64>) -> f64;

    /// L = Σ w ⊙ y for a fixed w, the usual probe for a layer's gradients.
    fn probe(y: &Array2<f64>, w: &Array2<f64>) -> f64 {
        (y * w).sum()
    }

    /// ‖a − b‖ / max(‖a‖, ‖b‖).
    fn rel_err<'a>(
        a: impl IntoIterator<Item = &'a f64>,
        b: impl IntoIterator<Item = &'a f64>,
    ) -> f64 {
        let (mut diff, mut na, mut nb) = (0.0, 0.0, 0.0);
        for (x, y) in a.into_iter().zip(b) {
            diff += (x - y) * (x - y);
            na += x * x;
            nb += y * y;
        }
        diff.sqrt() / f64::max(na, nb).sqrt()
    }

    /// Central differences of `loss` with respect to every entry of `v`.
    fn numeric<D: ndarray::Dimension>(
        v: &ndarray::Array<f64, D>,
        loss: impl Fn(&ndarray::Array<f64, D>) -> f64,
    ) -> ndarray::Array<f64, D> {
        let h = 1e-6;
        let mut out = v.clone();
        let out_flat = out.as_slice_mut().expect("standard layout");
        for (k, o) in out_flat.iter_mut().enumerate() {
            let (mut up, mut down) = (v.clone(), v.clone());
            up.as_slice_mut().expect("standard layout")[k] += h;
            down.as_slice_mut().expect("standard layout")[k] -= h;
            *o = (loss(&up) - loss(&down)) / (2.0 * h);
        }
        out
    }

    #[test]
    fn gradients_match_finite_differences() {
        let x = array![
            [0.3, -1.2, 2.0],
            [1.1, 0.4, -0.5],
            [-0.7, 0.9, 0.1],
            [2.2, -0.3, 1.4],
            [0.0, 1.6, -1.9]
        ];
        let w = array![
            [0.5, -1.0, 0.3],
            [1.2, 0.7, -0.4],
            [-0.9, 0.2, 1.1],
            [0.1, -0.6, 0.8],
            [0.4, 1.3, -0.2]
        ];
        let (gamma, beta) = (array![1.5, -0.7, 0.9], array![0.2, 0.0, -0.4]);
        let mut worst = 0.0f64;
        let mut check = |name: &str, got: &NormGrads, loss: Probe| {
            let dx = numeric(&x, |x| loss(x, &gamma, &beta));
            let dg = numeric(&gamma, |g| loss(&x, g, &beta));
            let db = numeric(&beta, |b| loss(&x, &gamma, b));
            for (what, e) in [
                ("x", rel_err(&got.x, &dx)),
                ("gamma", rel_err(&got.gamma, &dg)),
                ("beta", rel_err(&got.beta, &db)),
            ] {
                worst = worst.max(e);
                assert!(e < 1e-8, "{name} d{what}: {e:e}");
            }
        };

        // Batch norm, train mode (running statistics that differ from the batch's).
        let bn = |mode| {
            let mut bn = BatchNorm1d::new(3);
            bn.running_mean = array![0.5, -0.2, 0.1];
            bn.running_var = array![2.0, 0.5, 1.5];
            move |x: &Array2<f64>, g: &Array1<f64>, b: &Array1<f64>| {
                let mut bn = bn.clone();
                bn.gamma = g.clone();
                bn.beta = b.clone();
                let mut cache = NormCache::default();
                let y = bn.forward(x.view(), mode, &mut cache).unwrap();
                (y, bn, cache)
            }
        };
        for mode in [NormMode::Train, NormMode::Eval] {
            let f = bn(mode);
            let (y, layer, cache) = f(&x, &gamma, &beta);
            let grads = layer.backward(w.view(), &cache);
            assert!(probe(&y, &w).is_finite());
            check(&format!("batch norm {mode:?}"), &grads, &|x, g, b| {
                probe(&f(x, g, b).0, &w)
            });
        }

        let ln = |x: &Array2<f64>, g: &Array1<f64>, b: &Array1<f64>| {
            let layer = LayerNorm {
                gamma: g.clone(),
                beta: b.clone(),
                eps: NORM_EPS,
            };
            let mut cache = NormCache::default();
            let y = layer.forward(x.view(), &mut cache).unwrap();
            (y, layer, cache)
        };
        let (_, layer, cache) = ln(&x, &gamma, &beta);
        check(
            "layer norm",
            &layer.backward(w.view(), &cache),
            &|x, g, b| probe(&ln(x, g, b).0, &w),
        );
        eprintln!("largest finite-difference relative error of a norm-layer gradient: {worst:.2e}");
    }

    #[test]
    fn bad_batches_are_errors_and_nan_propagates() {
        let mut bn = BatchNorm1d::new(2);
        let mut cache = NormCache::default();
        let one = array![[1.0, 2.0]];
        assert_eq!(
            bn.forward(one.view(), NormMode::Train, &mut cache),
            Err(NormError::TooFewSamples(1))
        );
        assert!(bn.forward(one.view(), NormMode::Eval, &mut cache).is_ok());
        let wide = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        assert_eq!(
            bn.forward(wide.view(), NormMode::Train, &mut cache),
            Err(NormError::Features {
                got: 3,
                expected: 2
            })
        );
        assert!(LayerNorm::new(2).forward(wide.view(), &mut cache).is_err());

        let x = array![[1.0, f64::NAN], [2.0, 3.0], [0.5, 1.0]];
        let y = bn.forward(x.view(), NormMode::Train, &mut cache).unwrap();
        assert!(
            y.column(1).iter().all(|v| v.is_nan()) && y.column(0).iter().all(|v| v.is_finite())
        );
        assert!(
            bn.running_var[1].is_nan(),
            "the running statistics show it too"
        );
        let y = LayerNorm::new(2).forward(x.view(), &mut cache).unwrap();
        assert!(y.row(0).iter().all(|v| v.is_nan()) && y.row(1).iter().all(|v| v.is_finite()));
        // A constant feature has σ² = 0: x̂ = 0, not NaN, thanks to ε.
        let flat = array![[2.0, 1.0], [2.0, 3.0]];
        let y = BatchNorm1d::new(2)
            .forward(flat.view(), NormMode::Train, &mut cache)
            .unwrap();
        assert_eq!(y.column(0).to_vec(), vec![0.0, 0.0]);
    }
}
