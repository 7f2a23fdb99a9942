//! Dense layers and an MLP with a cached forward pass and backpropagation.
//!
//! Conventions: a batch is a row-major matrix x: (n_samples, n_inputs); a
//! layer computes z = x·W + b with W: (fan_in, fan_out), b: (fan_out). Hidden
//! layers may normalize z (batch or layer norm, PyTorch's Linear → Norm →
//! activation order), then apply the activation (and dropout while
//! training); the last layer is linear (regression output or logits).
//!
//! Every buffer of a step lives in a [`Workspace`] allocated once per batch
//! size, and products are written with `general_mat_mul` into those row-major
//! buffers: `dot` would allocate, and can return column-major results that
//! make every later element-wise loop strided.

use ndarray::{Array1, Array2, ArrayView2, Axis};

use crate::nn::Rng;
use crate::nn::activation::Activation;
use crate::nn::dropout::Dropout;
use crate::nn::init::Init;
use crate::nn::loss::Loss;
use crate::nn::norm::{BatchNorm1d, LayerNorm, NormCache, NormMode};

use super::matmul;

/// One fully connected layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    /// w: (fan_in, fan_out)
    pub w: Array2<f64>,
    /// b: (fan_out)
    pub b: Array1<f64>,
}

/// A multilayer perceptron: `sizes[0]` inputs, hidden layers, `sizes.last()` outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    pub layers: Vec<Dense>,
    /// The non-linearity of every hidden layer.
    pub activation: Activation,
    /// norms[l]: the normalization of hidden layer l's z, if any; empty
    /// when no layer has one.
    pub norms: Vec<Option<Norm>>,
}

/// A normalization layer between a hidden layer's affine map and its activation.
#[derive(Clone, Debug, PartialEq)]
pub enum Norm {
    Batch(BatchNorm1d),
    Layer(LayerNorm),
}

impl Norm {
    /// (γ, β), the learned affine map, for the optimizer.
    pub fn params_mut(&mut self) -> [&mut ndarray::Array1<f64>; 2] {
        match self {
            Norm::Batch(b) => [&mut b.gamma, &mut b.beta],
            Norm::Layer(l) => [&mut l.gamma, &mut l.beta],
        }
    }

    /// (γ, β), read-only.
    pub fn params(&self) -> [&ndarray::Array1<f64>; 2] {
        match self {
            Norm::Batch(b) => [&b.gamma, &b.beta],
            Norm::Layer(l) => [&l.gamma, &l.beta],
        }
    }

    /// Number of features normalized.
    pub fn features(&self) -> usize {
        match self {
            Norm::Batch(b) => b.features(),
            Norm::Layer(l) => l.features(),
        }
    }
}

/// How hidden outputs are treated in a forward pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hidden {
    /// As computed (no dropout, or a test pass of inverted/unscaled dropout).
    Plain,
    /// Multiplied by the masks already in the workspace (a training pass).
    Masked,
    /// Multiplied by a constant (a test pass of classic dropout: × keep_prob).
    Scaled(f64),
}

impl Hidden {
    /// The test-time treatment for a dropout setting.
    pub fn test(dropout: &Dropout) -> Hidden {
        let s = dropout.test_scale();
        if s == 1.0 {
            Hidden::Plain
        } else {
            Hidden::Scaled(s)
        }
    }
}

/// Buffers of one forward/backward pass for a fixed batch size.
#[derive(Clone, Debug)]
pub struct Workspace {
    n: usize,
    /// outs[l]: (n, sizes[l+1]), what layer l passes on (after activation and
    /// mask); the last one is the network's output.
    pub outs: Vec<Array2<f64>>,
    /// acts[l]: (n, sizes[l+1]), the activation before the dropout mask; only
    /// written in `Hidden::Masked` passes (f' needs the unmasked value).
    acts: Vec<Array2<f64>>,
    /// pre[l]: (n, sizes[l+1]), the pre-activation z of hidden layer l, kept
    /// only for activations whose slope needs z (ELU, GELU, softplus); empty
    /// otherwise.
    pre: Vec<Array2<f64>>,
    /// masks[l]: (n, sizes[l+1]), 0 or the training scale, for hidden layers.
    pub masks: Vec<Array2<f64>>,
    /// deltas[l]: (n, sizes[l+1]), dLoss/dz of layer l.
    deltas: Vec<Array2<f64>>,
    /// grads[l] = (dLoss/dW: (fan_in, fan_out), dLoss/db: (fan_out)).
    pub grads: Vec<(Array2<f64>, Array1<f64>)>,
    /// norm_caches[l]: what hidden layer l's normalization kept for backward.
    norm_caches: Vec<NormCache>,
    /// norm_grads[l] = (dLoss/dγ, dLoss/dβ) of hidden layer l's normalization
    /// (empty vectors for a layer without one).
    pub norm_grads: Vec<(Array1<f64>, Array1<f64>)>,
    /// Whether the last forward pass used the masks.
    masked: bool,
}

impl Dense {
    /// A layer with weights from `init` and biases `bias`.
    pub fn new(fan_in: usize, fan_out: usize, init: Init, bias: f64, rng: &mut Rng) -> Self {
        let mut w = Array2::zeros((fan_in, fan_out));
        init.fill(&mut w, rng);
        Dense {
            w,
            b: Array1::from_elem(fan_out, bias),
        }
    }
}

impl Mlp {
    /// An MLP with layer widths `sizes` (inputs first, outputs last), every
    /// weight matrix drawn from `init` in layer order from one generator.
    /// Biases are 0, except for `Init::Constant(c)`, which sets them to c too.
    pub fn new(sizes: &[usize], activation: Activation, init: Init, rng: &mut Rng) -> Self {
        let bias = match init {
            Init::Constant(c) => c,
            _ => 0.0,
        };
        let layers = sizes
            .windows(2)
            .map(|p| Dense::new(p[0], p[1], init, bias, rng))
            .collect();
        Mlp {
            layers,
            activation,
            norms: Vec::new(),
        }
    }

    /// The same net with a fresh normalization (PyTorch's initial values)
    /// on hidden layer l when `kinds[l]` is a kind; missing entries mean none.
    pub fn with_norms(mut self, kinds: &[Option<NormKind>]) -> Self {
        let widths: Vec<usize> = self.layers.iter().map(|l| l.w.ncols()).collect();
        let hidden = self.layers.len() - 1;
        self.norms = (0..hidden)
            .map(|l| match kinds.get(l).copied().flatten() {
                Some(NormKind::Batch) => Some(Norm::Batch(BatchNorm1d::new(widths[l]))),
                Some(NormKind::Layer) => Some(Norm::Layer(LayerNorm::new(widths[l]))),
                None => None,
            })
            .collect();
        if self.norms.iter().all(Option::is_none) {
            self.norms.clear();
        }
        self
    }

    /// Hidden layer l's normalization, if any.
    pub fn norm(&self, l: usize) -> Option<&Norm> {
        self.norms.get(l).and_then(Option::as_ref)
    }

    /// Whether some hidden layer is batch-normalized (training then differs
    /// from evaluation, and a batch needs 2 samples).
    pub fn has_batch_norm(&self) -> bool {
        self.norms.iter().any(|n| matches!(n, Some(Norm::Batch(_))))
    }

    /// Folds the batch statistics of the last train-mode forward pass on
    /// `ws` into every batch norm's running statistics.
    pub fn update_running_stats(&mut self, ws: &Workspace) {
        for (norm, cache) in self.norms.iter_mut().zip(&ws.norm_caches) {
            if let Some(Norm::Batch(b)) = norm {
                b.update_running(cache);
            }
        }
    }

    /// Layer widths, inputs first.
    pub fn sizes(&self) -> Vec<usize> {
        let mut s: Vec<usize> = self.layers.iter().map(|l| l.w.nrows()).collect();
        s.extend(self.layers.last().map(|l| l.w.ncols()));
        s
    }

    /// All weights (biases excluded), layer by layer.
    pub fn weights(&self) -> impl Iterator<Item = f64> + Clone + '_ {
        self.layers.iter().flat_map(|l| l.w.iter().copied())
    }

    /// ‖W‖₂ over all weights (biases excluded), scaled by the largest |w|
    /// first so weights near divergence (~1e160) give a finite norm instead
    /// of overflowing when squared.
    pub fn weight_norm(&self) -> f64 {
        l2_norm(self.weights())
    }

    /// The largest |p − q| over every learned parameter p of this network
    /// and the same parameter q of `other` (weights, biases, each norm's γ
    /// and β); `None` unless both have the same layer sizes and norm
    /// layout. NaN if either holds a NaN.
    pub fn max_abs_diff(&self, other: &Mlp) -> Option<f64> {
        let same_norms = self.norms.len() == other.norms.len()
            && self
                .norms
                .iter()
                .zip(&other.norms)
                .all(|(a, b)| std::mem::discriminant(a) == std::mem::discriminant(b));
        let same_layers = self.layers.len() == other.layers.len()
            && self
                .layers
                .iter()
                .zip(&other.layers)
                .all(|(a, b)| a.w.dim() == b.w.dim());
        if !same_layers || !same_norms {
            return None;
        }
        // Called after every iteration of a comparison: contiguous slices
        // where the arrays have them, and NaN kept (max would drop it).
        let mut m = 0.0f64;
        let mut nan = false;
        let mut fold = |pairs: &mut dyn Iterator<Item = (&f64, &f64)>| {
            for (p, q) in pairs {
                let d = (p - q).abs();
                nan |= d.is_nan();
                m = m.max(d);
            }
        };
        for (a, b) in self.layers.iter().zip(&other.layers) {
            match (a.w.as_slice(), b.w.as_slice()) {
                (Some(x), Some(y)) => fold(&mut x.iter().zip(y)),
                _ => fold(&mut a.w.iter().zip(b.w.iter())),
            }
            fold(&mut a.b.iter().zip(b.b.iter()));
        }
        for (a, b) in self.norms.iter().zip(&other.norms) {
            if let (Some(a), Some(b)) = (a, b) {
                for (x, y) in a.params().into_iter().zip(b.params()) {
                    fold(&mut x.iter().zip(y.iter()));
                }
            }
        }
        Some(if nan { f64::NAN } else { m })
    }

    /// A workspace for batches of `n` samples.
    pub fn workspace(&self, n: usize) -> Workspace {
        let sizes = self.sizes();
        let per_layer = || sizes[1..].iter().map(|&k| Array2::zeros((n, k))).collect();
        Workspace {
            n,
            outs: per_layer(),
            acts: per_layer(),
            pre: if self.activation.derivative_needs_input() {
                per_layer()
            } else {
                Vec::new()
            },
            masks: per_layer(),
            deltas: per_layer(),
            grads: self
                .layers
                .iter()
                .map(|l| (Array2::zeros(l.w.raw_dim()), Array1::zeros(l.b.len())))
                .collect(),
            norm_caches: vec![NormCache::default(); self.norms.len()],
            norm_grads: self
                .norms
                .iter()
                .map(|n| {
                    let k = n.as_ref().map_or(0, Norm::features);
                    (Array1::zeros(k), Array1::zeros(k))
                })
                .collect(),
            masked: false,
        }
    }

    /// The forward pass, caching every layer's output in `ws`; returns the
    /// output. x: (n, sizes[0]) with n the workspace's batch size. Batch
    /// norms use their running statistics (evaluation mode).
    pub fn forward<'w>(
        &self,
        x: ArrayView2<f64>,
        ws: &'w mut Workspace,
        hidden: Hidden,
    ) -> &'w Array2<f64> {
        self.forward_in(x, ws, hidden, NormMode::Eval)
    }

    /// [`Mlp::forward`] as training sees it: batch norms normalize with the
    /// batch's own statistics, which [`Mlp::update_running_stats`] then folds
    /// in. The same as `forward` for a net without batch norm.
    pub fn forward_train<'w>(
        &self,
        x: ArrayView2<f64>,
        ws: &'w mut Workspace,
        hidden: Hidden,
    ) -> &'w Array2<f64> {
        self.forward_in(x, ws, hidden, NormMode::Train)
    }

    fn forward_in<'w>(
        &self,
        x: ArrayView2<f64>,
        ws: &'w mut Workspace,
        hidden: Hidden,
        mode: NormMode,
    ) -> &'w Array2<f64> {
        assert_eq!(x.nrows(), ws.n, "batch size differs from the workspace's");
        let last = self.layers.len() - 1;
        ws.masked = hidden == Hidden::Masked;
        let keep_z = self.activation.derivative_needs_input();
        if keep_z && ws.pre.len() != ws.outs.len() {
            // The activation was changed after the workspace was made.
            ws.pre = ws.outs.iter().map(|o| Array2::zeros(o.raw_dim())).collect();
        }
        if ws.norm_caches.len() != self.norms.len() {
            *ws = self.workspace(ws.n);
        }
        for (l, layer) in self.layers.iter().enumerate() {
            let (done, rest) = ws.outs.split_at_mut(l);
            let out = &mut rest[0];
            let input = if l == 0 { x } else { done[l - 1].view() };
            matmul::affine(input, &layer.w, &layer.b, out);
            if l == last {
                break;
            }
            if let Some(norm) = self.norm(l) {
                let cache = &mut ws.norm_caches[l];
                let normalized = match norm {
                    Norm::Batch(b) => b.normalize(out.view(), mode, cache),
                    Norm::Layer(n) => n.forward(out.view(), cache),
                };
                // Only a 1-sample train batch fails, which configs refuse;
                // NaN then ends the run as diverged instead of panicking.
                match normalized {
                    Ok(y) => out.assign(&y),
                    Err(_) => out.fill(f64::NAN),
                }
            }
            if keep_z {
                ws.pre[l].assign(out);
            }
            let buf = out.as_slice_mut().expect("row-major buffer");
            self.activation.apply_slice(buf);
            match hidden {
                Hidden::Plain => {}
                Hidden::Scaled(s) => buf.iter_mut().for_each(|v| *v *= s),
                Hidden::Masked => {
                    // One pass keeps f(z) for the backward pass and masks it.
                    let acts = ws.acts[l].as_slice_mut().expect("row-major buffer");
                    let mask = ws.masks[l].as_slice().expect("row-major buffer");
                    for ((v, a), &m) in buf.iter_mut().zip(acts).zip(mask) {
                        *a = *v;
                        *v *= m;
                    }
                }
            }
        }
        &ws.outs[last]
    }

    /// Draws fresh dropout masks for every hidden layer.
    pub fn sample_masks(&self, ws: &mut Workspace, dropout: &Dropout, rng: &mut Rng) {
        let hidden = self.layers.len() - 1;
        for mask in &mut ws.masks[..hidden] {
            dropout.sample_mask(mask, rng);
        }
    }

    /// Backpropagates `loss` at `target` through the last forward pass (on the
    /// same x), leaving dLoss/dW and dLoss/db in `ws.grads`; returns the loss.
    /// x: (n, sizes[0]); target: (n, sizes.last()).
    pub fn backward(
        &self,
        x: ArrayView2<f64>,
        target: ArrayView2<f64>,
        loss: Loss,
        ws: &mut Workspace,
    ) -> f64 {
        let last = self.layers.len() - 1;
        let value = loss.value_and_grad(ws.outs[last].view(), target, &mut ws.deltas[last]);
        for l in (0..=last).rev() {
            let input = if l == 0 { x } else { ws.outs[l - 1].view() };
            let (gw, gb) = &mut ws.grads[l];
            let (below, rest) = ws.deltas.split_at_mut(l);
            let delta = &rest[0];
            matmul::weight_grad(input, delta, gw);
            let gb = gb.as_slice_mut().expect("bias gradient");
            gb.fill(0.0);
            for row in delta
                .as_slice()
                .expect("row-major buffer")
                .chunks_exact(gb.len())
            {
                gb.iter_mut().zip(row).for_each(|(g, &d)| *g += d);
            }
            if l == 0 {
                break;
            }
            let below = &mut below[l - 1];
            matmul::input_grad(delta, &self.layers[l].w, below);
            let d = below.as_slice_mut().expect("row-major buffer");
            let ys = if ws.masked {
                let mask = ws.masks[l - 1].as_slice().expect("row-major buffer");
                d.iter_mut().zip(mask).for_each(|(g, &m)| *g *= m);
                ws.acts[l - 1].as_slice().expect("row-major buffer")
            } else {
                // With Hidden::Scaled the outputs are s·f(z); training never
                // scales, so outs hold f(z) exactly here.
                ws.outs[l - 1].as_slice().expect("row-major buffer")
            };
            if self.activation.derivative_needs_input() {
                let zs = ws.pre[l - 1].as_slice().expect("row-major buffer");
                self.activation.backprop_slice_z(d, zs, ys);
            } else {
                self.activation.backprop_slice(d, ys);
            }
            if let Some(norm) = self.norm(l - 1) {
                let cache = &ws.norm_caches[l - 1];
                let g = match norm {
                    Norm::Batch(b) => b.backward(below.view(), cache),
                    Norm::Layer(n) => n.backward(below.view(), cache),
                };
                below.assign(&g.x);
                ws.norm_grads[l - 1] = (g.gamma, g.beta);
            }
        }
        value
    }

    /// The network's output for x (allocates: for charts and metrics, not
    /// the training loop). x: (n, sizes[0]) → (n, sizes.last()).
    pub fn predict(&self, x: ArrayView2<f64>, hidden: Hidden) -> Array2<f64> {
        let mut ws = self.workspace(x.nrows());
        self.forward(x, &mut ws, hidden).clone()
    }

    /// The output for x as a net left in training mode computes it: the
    /// rows in consecutive chunks of `batch` (all at once for 0), each
    /// chunk's batch norms normalizing with that chunk's own mean and
    /// variance instead of the running statistics; the running statistics
    /// are not touched.
    ///
    /// This is PyTorch's classic evaluation bug (forgetting `model.eval()`):
    /// a row's output then depends on which rows share its chunk. A single
    /// row has no variance (PyTorch raises an error for it), so a last
    /// chunk of one row joins the chunk before it. Without batch norm it
    /// equals [`Mlp::predict`].
    pub fn predict_in_train_mode(
        &self,
        x: ArrayView2<f64>,
        hidden: Hidden,
        batch: usize,
    ) -> Array2<f64> {
        let n = x.nrows();
        let batch = if batch == 0 { n.max(1) } else { batch };
        let mut out = Array2::zeros((n, self.sizes().last().copied().unwrap_or(0)));
        let mut start = 0;
        while start < n {
            let end = match (start + batch).min(n) {
                end if n - end == 1 => n,
                end => end,
            };
            let mut ws = self.workspace(end - start);
            let chunk = self.forward_train(x.slice(ndarray::s![start..end, ..]), &mut ws, hidden);
            out.slice_mut(ndarray::s![start..end, ..]).assign(chunk);
            start = end;
        }
        out
    }

    /// Mean over the rows of x of ∂(sum of outputs)/∂x: what a linear model's
    /// weight vector is, generalized to any net. x: (n, sizes[0]) → (sizes[0]).
    ///
    /// A net with normalization layers gets central differences (step 1e-5)
    /// of the evaluation-mode output instead of the chain rule below.
    pub fn mean_input_gradient(&self, x: ArrayView2<f64>, hidden: Hidden) -> Array1<f64> {
        if !self.norms.is_empty() {
            return self.mean_input_gradient_numeric(x, hidden);
        }
        let n = x.nrows();
        let mut ws = self.workspace(n);
        self.forward(x, &mut ws, hidden);
        let scale = match hidden {
            Hidden::Scaled(s) => s,
            _ => 1.0,
        };
        let mut delta = Array2::from_elem(ws.outs.last().expect("layers").raw_dim(), 1.0);
        for l in (0..self.layers.len()).rev() {
            let mut below = delta.dot(&self.layers[l].w.t());
            if l > 0 && self.activation.derivative_needs_input() {
                below.zip_mut_with(&ws.pre[l - 1], |g, &z| {
                    *g *= scale * self.activation.derivative(z, f64::NAN);
                });
            } else if l > 0 {
                below.zip_mut_with(&ws.outs[l - 1], |g, &y| {
                    *g *= scale * self.activation.derivative_from_output(y / scale);
                });
            }
            delta = below;
        }
        delta
            .mean_axis(Axis(0))
            .unwrap_or_else(|| Array1::zeros(x.ncols()))
    }

    fn mean_input_gradient_numeric(&self, x: ArrayView2<f64>, hidden: Hidden) -> Array1<f64> {
        const H: f64 = 1e-5;
        let n = x.nrows().max(1) as f64;
        Array1::from_shape_fn(x.ncols(), |j| {
            let shifted = |h: f64| {
                let mut xs = x.to_owned();
                xs.column_mut(j).mapv_inplace(|v| v + h);
                self.predict(xs.view(), hidden).sum()
            };
            (shifted(H) - shifted(-H)) / (2.0 * H * n)
        })
    }
}

/// ‖x‖₂ of a sequence, scaled by its largest |x| first so values near
/// divergence (~1e160) give a finite norm instead of overflowing when
/// squared; 0 for an empty or all-zero sequence, the non-finite maximum
/// itself if there is one.
pub fn l2_norm(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let m = values.clone().fold(0.0f64, |m, v| m.max(v.abs()));
    if m == 0.0 || !m.is_finite() {
        return m;
    }
    m * values.map(|v| (v / m) * (v / m)).sum::<f64>().sqrt()
}

/// Which normalization a hidden layer gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NormKind {
    /// [`BatchNorm1d`]: each feature over the batch.
    Batch,
    /// [`LayerNorm`]: each sample over its features.
    Layer,
}

impl NormKind {
    /// Names as lesson files write them: `batch_norm`, `layer_norm`
    /// (`none` is the absence of a kind).
    pub fn from_name(name: &str) -> Option<NormKind> {
        match name {
            "batch_norm" => Some(NormKind::Batch),
            "layer_norm" => Some(NormKind::Layer),
            _ => None,
        }
    }
}
