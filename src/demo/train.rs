//! `train`: full-batch SGD of an MLP on a generated data set, with the
//! initialization, penalties and dropout the lessons compare.
//!
//! Losses are measured with the network in test mode (all units, the dropout
//! mode's test-time scaling) on the whole training and test sets; the penalty
//! is not part of the reported loss.

mod config;
pub(crate) mod panels;
pub(crate) mod run;

use super::schema::{
    Apply, DefaultValue as D, KNOBS, KeySpec, KindSpec, MetricSpec, PanelSpec, Ty, choice, float,
    int, panels_key, seed,
};
use super::snapshot::{Panel, Snapshot};
use super::{Demo, ParamError, Params};
pub(crate) use config::{Config, config};
pub use run::Run;

pub(crate) const PANELS: &[&str] = &["loss", "fit", "hidden-units", "weights", "zeros"];

pub(crate) const DATASET: KeySpec = choice(
    "dataset",
    crate::nn::data::DATASET_NAMES,
    "sine",
    Apply::Restart,
    "generated data: sine (y = sin πx + noise, x in [0,1]), sine-poly (the same as polynomial features), sparse (y = X·w_true, few non-zeros), or a 2-D two-class set",
);
pub(crate) const SAMPLES: KeySpec = int("samples", (4, 5000), 32, "training set size");
pub(crate) const TEST_SAMPLES: KeySpec = int("test_samples", (4, 10000), 200, "test set size");
pub(crate) const NOISE: KeySpec = float(
    "noise",
    (0.0, 5.0, false),
    0.1,
    Apply::Restart,
    "std of the label noise (regression) or of the input jitter (2-D sets)",
);
pub(crate) const FEATURES: KeySpec = int(
    "features",
    (1, 200),
    20,
    "sparse: number of inputs; sine-poly: polynomial degree (inputs x..x^features)",
);
pub(crate) const RELEVANT: KeySpec = int(
    "relevant",
    (1, 200),
    3,
    "sparse: inputs with a non-zero true weight (at most `features`)",
);
pub(crate) const LAYERS: KeySpec = KeySpec {
    name: "layers",
    ty: Ty::IntList {
        min: 1,
        max: 1024,
        min_len: 2,
        max_len: 8,
    },
    default: D::Ints(&[1, 5, 1]),
    apply: Apply::Restart,
    doc: "layer widths, inputs first: the first must match the data set's inputs, the last is 1 (regression) or 2 (classes)",
};
pub(crate) const ACTIVATION: KeySpec = choice(
    "activation",
    &["identity", "sigmoid", "tanh", "relu"],
    "tanh",
    Apply::Restart,
    "non-linearity of the hidden layers (the output is linear, or softmax for classes)",
);
pub(crate) const INIT: KeySpec = choice(
    "init",
    crate::nn::init::INIT_NAMES,
    "xavier-uniform",
    Apply::Restart,
    "how every weight matrix starts; biases start at 0 (at the constant for `constant`)",
);
pub(crate) const INIT_SCALE: KeySpec = float(
    "init_scale",
    (0.0, 100.0, false),
    1.0,
    Apply::Restart,
    "std (normal), bound a (uniform), value (constant) or gain (xavier-*); kaiming uses the activation's gain",
);
pub(crate) const LR: KeySpec = float(
    "lr",
    (0.0, 100.0, true),
    0.1,
    Apply::Live,
    "learning rate η of SGD",
);
pub(crate) const L2: KeySpec = float(
    "l2",
    (0.0, 10.0, false),
    0.0,
    Apply::Live,
    "λ₂ of the penalty (λ₂/2)·Σw² (weights only)",
);
pub(crate) const STEPS: KeySpec = int(
    "steps",
    (1, 1_000_000),
    500,
    "full-batch SGD iterations in the run",
);
pub(crate) const SEED: KeySpec =
    seed("seed of the random generator (data, weights, dropout masks)");

pub static KIND: KindSpec = KindSpec {
    name: "train",
    summary: "Train an MLP with full-batch SGD and watch its loss, fit and weights.",
    keys: &[
        DATASET,
        SAMPLES,
        TEST_SAMPLES,
        NOISE,
        FEATURES,
        RELEVANT,
        LAYERS,
        ACTIVATION,
        INIT,
        INIT_SCALE,
        LR,
        float(
            "l1",
            (0.0, 10.0, false),
            0.0,
            Apply::Live,
            "λ₁ of the penalty λ₁·Σ|w| (weights only)",
        ),
        choice(
            "l1_mode",
            &["subgradient", "proximal"],
            "proximal",
            Apply::Live,
            "subgradient: λ₁·sign(w) in the gradient (hovers near 0); proximal: soft-threshold after the step (exact zeros)",
        ),
        L2,
        choice(
            "l2_mode",
            &["coupled", "decoupled"],
            "coupled",
            Apply::Live,
            "coupled: λ₂·w added to the gradient; decoupled: w ← w(1−ηλ₂) (weight decay)",
        ),
        float(
            "keep_prob",
            (0.0, 1.0, true),
            1.0,
            Apply::Live,
            "probability of keeping a hidden unit in training (1 = no dropout; PyTorch's p is 1 − keep_prob)",
        ),
        choice(
            "dropout_mode",
            &["classic", "inverted", "unscaled"],
            "inverted",
            Apply::Live,
            "classic: × keep_prob at test; inverted: × 1/keep_prob in training; unscaled: neither (the mistake)",
        ),
        STEPS,
        SEED,
        panels_key(PANELS, &["fit", "loss"]),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "SGD steps taken",
        },
        MetricSpec {
            name: "train_loss",
            doc: "loss on the training set (MSE or cross-entropy), test-mode network",
        },
        MetricSpec {
            name: "test_loss",
            doc: "loss on the test set",
        },
        MetricSpec {
            name: "gap",
            doc: "test_loss − train_loss (the variance the lessons talk about)",
        },
        MetricSpec {
            name: "weight_norm",
            doc: "L2 norm of all weights (biases excluded)",
        },
        MetricSpec {
            name: "zero_weights",
            doc: "weights exactly equal to 0",
        },
        MetricSpec {
            name: "distinct_hidden_units",
            doc: "units of the first hidden layer whose incoming weights and bias differ by more than 1e-9 (0 without a hidden layer)",
        },
        MetricSpec {
            name: "diverged",
            doc: "true once a loss or weight became NaN/∞",
        },
        MetricSpec {
            name: "train_accuracy",
            doc: "classification only: fraction of training points classified right",
        },
        MetricSpec {
            name: "test_accuracy",
            doc: "classification only: fraction of test points classified right",
        },
    ],
    panels: &[
        PanelSpec {
            name: "loss",
            doc: "train and test loss against iteration",
        },
        PanelSpec {
            name: "fit",
            doc: "1-D: data, truth and model curve; 2-D: class-1 probability over the plane with the points; sparse: true vs learned weights",
        },
        PanelSpec {
            name: "hidden-units",
            doc: "first incoming weight of each first-layer hidden unit against iteration (identical units overlap)",
        },
        PanelSpec {
            name: "weights",
            doc: "histogram of all weights (biases excluded) with the ±1σ band",
        },
        PanelSpec {
            name: "zeros",
            doc: "number of weights exactly 0 against iteration",
        },
    ],
    build,
    check: |p| config(p).map(drop),
};

fn build(p: &Params) -> Result<Box<dyn Demo>, ParamError> {
    super::runner::Runner::<Train>::build(p)
}

/// The `train` experiment: one [`Run`].
struct Train {
    run: Run,
}

impl super::runner::Experiment for Train {
    type Config = Config;
    type View = run::Eval;

    fn config(p: &Params) -> Result<Config, ParamError> {
        config(p)
    }

    fn new(c: &Config) -> Self {
        Train { run: Run::new(c) }
    }

    fn step(&mut self) -> bool {
        self.run.step()
    }

    fn iteration(&self) -> usize {
        self.run.iteration
    }

    fn total(&self) -> usize {
        self.run.steps
    }

    fn diverged_at(&self) -> Option<usize> {
        self.run.diverged_at
    }

    fn view(&self) -> run::Eval {
        self.run.evaluate()
    }

    fn metrics(&self, eval: &run::Eval, out: &mut Snapshot) {
        self.run.push_metrics(out, eval);
    }

    fn panel(&self, eval: &run::Eval, id: &str) -> Panel {
        panels::panel(&self.run, eval, id)
    }

    fn set_live(&mut self, c: &Config) -> bool {
        self.run.set_live(c);
        true
    }
}
