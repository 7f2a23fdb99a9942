//! `depth`: activation statistics of a deep, untrained MLP, layer by layer,
//! forward and then backward, for a chosen init scale. Shows why 0.01 makes
//! signals vanish, why 1.0 saturates tanh, and why Xavier/Kaiming do not.
//!
//! The stack: x ~ N(0, 1) of shape (samples, width), then `layers` times
//! h_l = f(h_{l−1}·W_l), W_l: (width, width), no biases (they start at 0).
//! The backward pass backpropagates the fixed objective L = Σ_n u·h_L[n],
//! u a random unit vector (seeded), so the signal entering the top layer has
//! norm exactly 1 per sample and every `grad_norm` entry reads as the gain of
//! the backward signal from the top down to that layer. The backward pass
//! follows the first [`BACKWARD_SAMPLES`] inputs only (see there).
//!
//! The matrix products run in f32 on rows scaled by powers of two (see
//! [`rows`]); activations and every statistic are computed in f64.

mod rows;
mod stats;

use ndarray::Array2;
use ndarray::linalg::general_mat_mul;
use rand::Rng as _;
use rand_distr::{Distribution, Normal, StandardNormal};

use crate::i18n::Msg;
use crate::msg;

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, KNOBS, KindSpec, MetricSpec, PanelSpec, SEED, choice, float, int, panel_names,
    panels_key,
};
use super::snapshot::{Axis, Metric, Panel, PanelBody, Series, Snapshot};
use super::{ParamError, Params};
use crate::nn::{Activation, Rng, calculate_gain, seeded};
use rows::{Rows, SplitRows};
use stats::{LayerStats, Partial};

const INITS: &[&str] = &[
    "normal",
    "xavier-uniform",
    "xavier-normal",
    "kaiming-normal",
    "kaiming-uniform",
];
/// Inputs the backward pass follows: its matrix products cost as much as
/// the forward ones, and 256 samples already pin the RMS signal norm down
/// to ≈ 2 % (it averages 256 units per sample as well).
pub const BACKWARD_SAMPLES: usize = 256;
/// Most values (weights + stored activations, f32 each) one run may hold:
/// 32 MB, and at most as much again for the slopes the backward pass keeps.
/// Every layer's output is kept (the histograms show three), so memory grows
/// as samples × width × layers; past this the student is told which key to
/// lower.
pub const MAX_VALUES: usize = 8_000_000;

/// The panels, declared once: the `panels` key's choices come from here.
const PANELS: [PanelSpec; 3] = [
    PanelSpec {
        name: "std",
        doc: "activation std per layer, on a log scale",
    },
    PanelSpec {
        name: "histograms",
        doc: "activation distribution of the first, middle and last layers",
    },
    PanelSpec {
        name: "grads",
        doc: "backward signal ‖∂L/∂h_l‖ and weight gradient ‖∂L/∂W_l‖ per layer, on a log scale",
    },
];
const PANEL_NAMES: [&str; 3] = panel_names(&PANELS);

pub static KIND: KindSpec = KindSpec {
    name: "depth",
    summary: "Push N(0,1) inputs through a deep untrained MLP and watch activation std, \
              saturation and the backward signal layer by layer.",
    keys: &[
        int(
            "layers",
            (1, 50),
            10,
            "number of hidden layers, each width × width",
        ),
        int(
            "width",
            (1, 1024),
            256,
            "units per layer (also the input size): fan_in = fan_out = width",
        ),
        choice(
            "activation",
            &["tanh", "relu", "sigmoid"],
            "tanh",
            Apply::Restart,
            "nonlinearity of every layer",
        ),
        choice(
            "init",
            INITS,
            "normal",
            Apply::Restart,
            "weight init: normal N(0, s²); xavier-* std = s·√(2/(fan_in+fan_out)); \
                  kaiming-* std = gain/√fan_in with the activation's gain (5/3 tanh, √2 relu, 1 sigmoid)",
        ),
        float(
            "init_scale",
            (0.0, 100.0, true),
            0.01,
            Apply::Restart,
            "s: the std for normal, the gain for xavier-*; kaiming-* ignores it",
        ),
        int(
            "samples",
            (1, 10_000),
            1000,
            "inputs drawn from N(0, 1) and pushed through the stack",
        ),
        int(
            "steps",
            (1, 10_000),
            20,
            "iterations over which the 2 × layers passes (forward up, backward down) are spread",
        ),
        SEED,
        panels_key(&PANEL_NAMES, &PANEL_NAMES),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "iterations run so far",
        },
        MetricSpec {
            name: "layer_std",
            doc: "std of each layer's activations over all samples and units (layer 1 first; grows as the forward pass proceeds)",
        },
        MetricSpec {
            name: "saturated_fraction",
            doc: "share of each layer's units saturated: |tanh| > 0.99, sigmoid < 0.01 or > 0.99, relu exactly 0",
        },
        MetricSpec {
            name: "grad_norm",
            doc: "backward signal ‖∂L/∂h_l‖ per sample (RMS over the first 256 samples) for L = Σ u·h_top, \
                  u a random unit vector; lowest layer first, ending at the top layer (1.0); while the \
                  backward pass runs it holds only the layers reached so far",
        },
        MetricSpec {
            name: "weight_grad_norm",
            doc: "weight gradient ‖∂L_n/∂W_l‖ = ‖h_{l−1}‖·‖∂L/∂z_l‖ per sample (RMS over the first \
                  256 samples) for the same L: what an SGD step would change W_l by, per unit \
                  learning rate; lowest layer first, filled in as the backward pass runs",
        },
        MetricSpec {
            name: "weight_std",
            doc: "sample std of each layer's weights (compare weight_std_formula)",
        },
        MetricSpec {
            name: "weight_std_formula",
            doc: "the std the init scheme prescribes for these fans",
        },
    ],
    panels: &PANELS,
    build: Runner::<DeepStack>::build,
    check: Runner::<DeepStack>::check,
    check_step: Runner::<DeepStack>::check_step,
};

/// The weight std an init scheme prescribes for a width × width layer.
pub fn weight_std(init: &str, scale: f64, activation: Activation, width: usize) -> f64 {
    let w = width as f64;
    match init {
        "normal" => scale,
        "xavier-uniform" | "xavier-normal" => scale * (2.0 / (w + w)).sqrt(),
        _ => calculate_gain(activation) / w.sqrt(),
    }
}

/// The keys of a stack, typed.
#[derive(Clone, Debug)]
pub struct Config {
    layers: usize,
    width: usize,
    samples: usize,
    activation: Activation,
    init: String,
    init_scale: f64,
    steps: usize,
    seed: u64,
}

/// One deep stack and everything measured on it so far.
pub struct DeepStack {
    /// Init scheme and scale, for the titles.
    init: String,
    init_scale: f64,
    activation: Activation,
    steps: usize,
    iteration: usize,
    /// Passes done: 0..layers forward, then layers..2·layers backward.
    passes: usize,
    /// weights[l]: (width, width), (fan_in, fan_out), so z = h·W; drawn in
    /// f64, kept as f32 mantissas with one exponent (see [`rows`]).
    weights: Vec<Weights>,
    /// acts[0] is the input, acts[l] the output of layer l: (samples, width).
    acts: Vec<Rows>,
    /// slopes[l−1]: f'(z_l) of layer l for the first [`BACKWARD_SAMPLES`]
    /// inputs, from the f64 outputs (see [`Partial::activate`]).
    slopes: Vec<Rows>,
    /// The objective's direction: ∂L/∂h of the top layer, for every sample.
    u: Vec<f64>,
    /// ∂L/∂h of the layer the backward pass has reached below the top, for
    /// the first [`BACKWARD_SAMPLES`] inputs: (backward rows, width).
    grad: Rows,
    /// Scratch for g ⊙ f'(z): (backward rows, width).
    delta: Rows,
    /// Row blocks computed in parallel (1 for small layers).
    threads: usize,
    forward: Vec<LayerStats>,
    /// Backward signal norms, top layer first.
    grad_norms: Vec<f64>,
    /// Per-sample weight-gradient norms ‖∂L_n/∂W_l‖, top layer first.
    weight_grad_norms: Vec<f64>,
    weight_std: Vec<f64>,
    weight_std_formula: f64,
    diverged_at: Option<usize>,
}

impl DeepStack {
    /// Samples the weights, the inputs and the objective's direction u.
    fn sample(c: &Config) -> DeepStack {
        let (layers, width, samples) = (c.layers, c.width, c.samples);
        let activation = c.activation;
        let init = c.init.as_str();
        let std = weight_std(init, c.init_scale, activation, width);
        let mut rng = seeded(c.seed);
        // Each layer and the input draw from their own streams, seeded from
        // the main one, so the sampling (≈ 4 ms of normals at the defaults)
        // splits over two threads with the same numbers either way. The
        // calling thread takes the input and the first `split` layers, about
        // half the draws.
        let seeds: Vec<u64> = (0..=layers).map(|_| rng.random()).collect();
        let sample = |seeds: &[u64]| -> Vec<(Weights, f64)> {
            seeds
                .iter()
                .map(|&s| {
                    let w = sample_weights(&mut seeded(s), init, std, width);
                    let sample_std = stats::std_of(w.as_slice().unwrap_or(&[]));
                    (Weights::from_f64(&w), sample_std)
                })
                .collect()
        };
        let total = layers * width * width + samples * width;
        let split = ((total / 2).saturating_sub(samples * width) / (width * width)).min(layers);
        let (low, high) = seeds[1..].split_at(split);
        let (weights, input) = std::thread::scope(|scope| {
            let upper = scope.spawn(|| sample(high));
            let mut input_rng = seeded(seeds[0]);
            let input = Array2::from_shape_simple_fn((samples, width), || {
                StandardNormal.sample(&mut input_rng)
            });
            let input = Rows::from_f64(&input);
            let mut weights = sample(low);
            weights.extend(upper.join().expect("weight sampler panicked"));
            (weights, input)
        });
        let mut u: Vec<f64> = (0..width)
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        let norm = u
            .iter()
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt()
            .max(f64::MIN_POSITIVE);
        u.iter_mut().for_each(|v| *v /= norm);
        let back = samples.min(BACKWARD_SAMPLES);
        // Two row blocks (threads) once a layer is a sizeable product. A
        // fixed count, not the machine's cores: how rows are split changes
        // the statistics' rounding, and a seed must give the same numbers on
        // every machine.
        let threads = if samples * width * width < 1 << 22 {
            1
        } else {
            2
        };
        let mut acts = Vec::with_capacity(layers + 1);
        acts.push(input);
        acts.extend((0..layers).map(|_| Rows::zeros(samples, width)));
        let slopes = (0..layers).map(|_| Rows::zeros(back, width)).collect();
        let (weights, weight_std) = weights.into_iter().unzip();
        DeepStack {
            init: c.init.clone(),
            init_scale: c.init_scale,
            activation,
            steps: c.steps,
            iteration: 0,
            passes: 0,
            weight_std,
            weight_std_formula: std,
            weights,
            acts,
            slopes,
            u,
            grad: Rows::zeros(back, width),
            delta: Rows::zeros(back, width),
            threads,
            forward: Vec::with_capacity(layers),
            grad_norms: Vec::with_capacity(layers),
            weight_grad_norms: Vec::with_capacity(layers),
            diverged_at: None,
        }
    }

    fn layers(&self) -> usize {
        self.weights.len()
    }

    /// Runs pass `k`: forward through layer k+1, or one backward step.
    /// Returns false if a value became NaN/∞.
    fn pass(&mut self) -> bool {
        let layers = self.layers();
        let k = self.passes;
        self.passes += 1;
        let act = self.activation;
        if k < layers {
            let (done, rest) = self.acts.split_at_mut(k + 1);
            let w = &self.weights[k];
            let views = (
                done[k].view(),
                (rest[0].view_mut(), self.slopes[k].view_mut()),
            );
            let parts = par_rows(self.threads, views, |(x, (mut z, slope))| {
                general_mat_mul(1.0, &x.m, &w.m, 0.0, &mut z.m);
                Partial::activate(z, slope, x.exps, w.exp, act)
            });
            let stats = LayerStats::combine(&parts);
            self.forward.push(stats);
            return stats.finite;
        }
        // Backward at layer l (1-based): record ‖∂L/∂h_l‖, then step to l − 1.
        let l = 2 * layers - k;
        let top = l == layers;
        let norm = if top {
            stats::rms_row_norm(&self.u, self.u.len())
        } else {
            stats::rms_row_norm_scaled(self.grad.view())
        };
        self.grad_norms.push(norm);
        if !norm.is_finite() {
            return false;
        }
        self.backprop_delta(l, top);
        // ∂L/∂W_l = Σ_n h_{l−1,n} δ_{l,n}ᵀ: each sample's term has norm ‖h‖·‖δ‖.
        let back = self.delta.m.nrows();
        let inputs = self.acts[l - 1].view().split_rows(back).0;
        let weight_grad = match (
            stats::row_norms_scaled(inputs),
            stats::row_norms_scaled(self.delta.view()),
        ) {
            (Some(h), Some(d)) => stats::rms_outer_norm(&h, &d),
            _ => f64::INFINITY,
        };
        self.weight_grad_norms.push(weight_grad);
        if l > 1 {
            let w = &self.weights[l - 1];
            let wt = w.m.t();
            let views = (self.delta.view(), self.grad.view_mut());
            par_rows(self.threads, views, |(d, mut g)| {
                general_mat_mul(1.0, &d.m, &wt, 0.0, &mut g.m);
                for (e, &e_d) in g.exps.iter_mut().zip(d.exps) {
                    *e = e_d.saturating_add(w.exp);
                }
            });
        }
        true
    }

    /// delta = ∂L/∂h_l ⊙ f'(z_l) in f64, from u at the top, stored scaled.
    fn backprop_delta(&mut self, l: usize, top: bool) {
        let width = self.u.len().max(1);
        let (mut g, mut slope) = (vec![0.0; width], vec![0.0; width]);
        let slopes = &self.slopes[l - 1];
        let s_m = slopes.m.as_slice().expect("row-major slopes");
        let grad = self.grad.m.as_slice().expect("row-major gradient");
        let delta = self.delta.m.as_slice_mut().expect("row-major delta");
        let per_row = delta
            .chunks_mut(width)
            .zip(&mut self.delta.exps)
            .zip(grad.chunks(width).zip(&self.grad.exps))
            .zip(s_m.chunks(width).zip(&slopes.exps));
        for (((d, e_d), (g_m, &e_g)), (s_row, &e_s)) in per_row {
            if top {
                g.copy_from_slice(&self.u);
            } else {
                rows::load(g_m, e_g, &mut g);
            }
            rows::load(s_row, e_s, &mut slope);
            g.iter_mut().zip(&slope).for_each(|(g, s)| *g *= s);
            *e_d = rows::store(&g, d);
        }
    }

    fn total_passes(&self) -> usize {
        2 * self.layers()
    }
}

/// Runs `work` on matching row blocks of `views`, one block per thread, the
/// first on the calling thread; results in block order. Blocks of a
/// row-major array stay contiguous.
fn par_rows<V: SplitRows + Send, R: Send>(
    threads: usize,
    views: V,
    work: impl Fn(V) -> R + Sync,
) -> Vec<R> {
    let rows = views.nrows();
    let chunk = rows.div_ceil(threads.max(1)).max(1);
    if threads <= 1 || rows <= chunk {
        return vec![work(views)];
    }
    let mut blocks = Vec::with_capacity(threads);
    let mut rest = views;
    while rest.nrows() > chunk {
        let (block, tail) = rest.split_rows(chunk);
        blocks.push(block);
        rest = tail;
    }
    blocks.push(rest);
    let work = &work;
    std::thread::scope(|scope| {
        let mut blocks = blocks.into_iter();
        let first = blocks.next();
        let handles: Vec<_> = blocks.map(|b| scope.spawn(move || work(b))).collect();
        let mut results: Vec<R> = first.map(work).into_iter().collect();
        results.extend(
            handles
                .into_iter()
                .map(|h| h.join().expect("depth worker panicked")),
        );
        results
    })
}

/// One layer's weights as f32 mantissas m, standing for m·2^exp (one
/// exponent for the matrix: every row of h meets every column).
struct Weights {
    m: Array2<f32>,
    exp: i32,
}

impl Weights {
    fn from_f64(w: &Array2<f64>) -> Weights {
        let mut m = Array2::zeros(w.raw_dim());
        let exp = rows::store(
            w.as_slice().expect("row-major weights"),
            m.as_slice_mut().expect("fresh array"),
        );
        Weights { m, exp }
    }
}

/// One layer's weights: (fan_in, fan_out) = (width, width).
fn sample_weights(rng: &mut Rng, init: &str, std: f64, width: usize) -> Array2<f64> {
    if init.ends_with("uniform") {
        // U(−a, a) has std a/√3.
        let a = std * 3f64.sqrt();
        Array2::from_shape_simple_fn((width, width), || rng.random_range(-a..=a))
    } else {
        let normal = Normal::new(0.0, std).unwrap_or(Normal::new(0.0, 1.0).expect("unit normal"));
        Array2::from_shape_simple_fn((width, width), || normal.sample(rng))
    }
}

impl Experiment for DeepStack {
    type Config = Config;
    type View = ();

    /// Reads the keys, with the memory guard: every layer's weights and
    /// activations are kept.
    fn config(p: &Params) -> Result<Config, ParamError> {
        let (layers, width, samples) = (p.usize("layers"), p.usize("width"), p.usize("samples"));
        let values = layers * width * width + (layers + 3) * samples * width;
        if values > MAX_VALUES {
            return Err(ParamError::new(
                "samples",
                msg!(
                    "depth would hold {values} numbers (layers × width² weights plus samples × width per layer), more than {max}; lower `samples`, `width` or `layers`",
                    values,
                    max = MAX_VALUES
                ),
            ));
        }
        Ok(Config {
            layers,
            width,
            samples,
            // The schema admits only tanh, relu and sigmoid.
            activation: Activation::from_name(p.str("activation")).unwrap_or(Activation::Tanh),
            init: p.str("init").to_string(),
            init_scale: p.f64("init_scale"),
            steps: p.usize("steps"),
            seed: p.u64("seed"),
        })
    }

    fn new(c: &Config) -> Self {
        DeepStack::sample(c)
    }

    fn step(&mut self) -> bool {
        self.iteration += 1;
        // Spread the passes evenly: after iteration i, ⌈i·P/steps⌉ are done.
        let target = (self.iteration * self.total_passes()).div_ceil(self.steps);
        while self.passes < target.min(self.total_passes()) {
            if !self.pass() {
                self.diverged_at = Some(self.iteration);
                return false;
            }
        }
        true
    }

    fn iteration(&self) -> usize {
        self.iteration
    }

    fn total(&self) -> usize {
        self.steps
    }

    fn diverged_at(&self) -> Option<usize> {
        self.diverged_at
    }

    fn view(&self) {}

    fn metrics(&self, _: &(), s: &mut Snapshot) {
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        s.push(
            "layer_std",
            Metric::Nums(self.forward.iter().map(|f| finite(f.std)).collect()),
        );
        s.push(
            "saturated_fraction",
            Metric::Nums(self.forward.iter().map(|f| f.saturated).collect()),
        );
        s.push(
            "grad_norm",
            Metric::Nums(self.grad_norms.iter().rev().map(|&g| finite(g)).collect()),
        );
        s.push(
            "weight_grad_norm",
            Metric::Nums(
                self.weight_grad_norms
                    .iter()
                    .rev()
                    .map(|&g| finite(g))
                    .collect(),
            ),
        );
        s.push("weight_std", Metric::Nums(self.weight_std.clone()));
        s.push("weight_std_formula", Metric::Num(self.weight_std_formula));
    }

    fn panel(&self, _: &(), id: &str) -> Panel {
        match id {
            "std" => self.std_panel(),
            "histograms" => self.histogram_panel(),
            _ => self.grads_panel(),
        }
    }
}

impl DeepStack {
    fn describe(&self) -> Msg {
        let init = self.init.as_str();
        let scale = self.init_scale;
        let scheme = match init {
            "normal" => Msg::verbatim(format!("N(0, {scale}²)")),
            "xavier-uniform" | "xavier-normal" => {
                msg!("{init}, gain {gain}", init, gain = format!("{scale:.3}"))
            }
            _ => Msg::verbatim(init),
        };
        let shape = format!(
            "{} × {} {}",
            self.layers(),
            self.acts[0].m.ncols(),
            self.activation.name()
        );
        msg!("{shape}, {scheme}", shape, scheme)
    }

    fn layer_axis(&self) -> Axis {
        Axis::bounded(
            msg!("layer (1 = next to the input)"),
            1.0,
            self.layers().max(2) as f64,
        )
        .integer()
    }

    fn std_panel(&self) -> Panel {
        let sat = self.forward.last().map_or(0.0, |f| f.saturated);
        self.per_layer_panel(
            "std",
            msg!(
                "activation std per layer, {net} (deepest so far: {percent}% saturated)",
                net = self.describe(),
                percent = format!("{:.0}", 100.0 * sat)
            ),
            self.forward.iter().enumerate().map(|(i, f)| (i + 1, f.std)),
            msg!("activation std"),
            msg!("std of h_l over samples × units"),
        )
    }

    fn grads_panel(&self) -> Panel {
        let top = self.layers();
        let by_layer = |v: &[f64]| -> Vec<(usize, f64)> {
            v.iter().enumerate().map(|(i, &g)| (top - i, g)).collect()
        };
        let lines = [
            (
                msg!("backward signal ‖∂L/∂h_l‖"),
                by_layer(&self.grad_norms),
            ),
            (
                msg!("weight gradient ‖∂L/∂W_l‖"),
                by_layer(&self.weight_grad_norms),
            ),
        ];
        Panel {
            id: "grads".into(),
            title: msg!(
                "gradients per layer (backward signal at the top = 1 by construction), {net}",
                net = self.describe()
            ),
            x: self.layer_axis(),
            // Log always: the lesson's stacks span orders of magnitude, and
            // an axis that switched scale with the data would mislead.
            y: Axis::new(msg!("gradient norm per sample")).log(),
            body: PanelBody::Series {
                series: lines
                    .into_iter()
                    .map(|(name, v)| Series::line(name, v.into_iter().map(|(l, g)| [l as f64, g])))
                    .collect(),
            },
        }
    }

    /// One line of a per-layer quantity against the layer, on a log axis:
    /// the lesson's stacks vanish or explode by orders of magnitude, and a
    /// healthy one is a flat line on any scale.
    fn per_layer_panel(
        &self,
        id: &str,
        title: Msg,
        values: impl Iterator<Item = (usize, f64)>,
        what: Msg,
        line: Msg,
    ) -> Panel {
        let pts: Vec<[f64; 2]> = values.map(|(l, v)| [l as f64, v]).collect();
        Panel {
            id: id.into(),
            title,
            x: self.layer_axis(),
            y: Axis::new(what).log(),
            body: PanelBody::Series {
                series: vec![Series::line(line, pts)],
            },
        }
    }

    fn histogram_panel(&self) -> Panel {
        let layers = self.layers();
        let mut shown = vec![1, layers.div_ceil(2), layers];
        shown.dedup();
        let (lo, hi) = match self.activation {
            Activation::Tanh | Activation::Identity => (-1.0, 1.0),
            Activation::Sigmoid => (0.0, 1.0),
            // Only tanh, relu and sigmoid are offered by this kind's schema.
            Activation::Relu
            | Activation::LeakyRelu
            | Activation::Elu
            | Activation::Gelu
            | Activation::Softplus => {
                let hi = shown
                    .iter()
                    .filter_map(|&l| self.forward.get(l - 1))
                    .map(|f| f.max_abs)
                    .fold(0.0, f64::max);
                (0.0, if hi > 0.0 && hi.is_finite() { hi } else { 1.0 })
            }
        };
        let series = shown
            .iter()
            .filter(|&&l| l <= self.forward.len())
            .map(|&l| {
                let h = &self.acts[l];
                Series::line(msg!("layer {l}", l), stats::density(h, lo, hi, 41))
            })
            .collect();
        Panel {
            id: "histograms".into(),
            title: msg!("activation distribution, {net}", net = self.describe()),
            x: Axis::bounded(msg!("activation value h"), lo, hi),
            y: Axis::new(msg!("% of units per bin (41 bins)")),
            body: PanelBody::Series { series },
        }
    }
}

#[cfg(test)]
mod tests;
