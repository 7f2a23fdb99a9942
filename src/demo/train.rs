//! `train`: the general experiment. An MLP (any activation, optional batch or
//! layer norm) trained on a generated data set by SGD or one of the
//! torch.optim family, full-batch or in mini-batches, with a learning-rate
//! schedule, a validation split with early stopping, and the initialization,
//! penalties and dropout the lessons compare.
//!
//! Losses are measured with the network in test mode (all units, the dropout
//! mode's test-time scaling) on the whole training and test sets; the penalty
//! is not part of the reported loss.

mod config;
pub(crate) mod panels;
pub(crate) mod run;

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, DefaultValue as D, KNOBS, KeySpec, KindSpec, MetricSpec, PanelSpec, Ty, choice, float,
    int, panel_names, panels_key, seed,
};
use super::snapshot::{Panel, Snapshot};
use super::{ParamError, Params};
use config::check_runs;
pub(crate) use config::{Config, config, optimizer_of};
pub use run::Run;

/// The kind's panels, declared once: the `panels` key's choices and the
/// docs come from this table.
const PANEL_TABLE: [PanelSpec; 11] = [
    PanelSpec {
        name: "loss",
        doc: "train and test (and validation) loss against iteration; a point marks the best validation loss",
    },
    PanelSpec {
        name: "fit",
        doc: "1-D: data, truth and model curve; 2-D classes: the decision map (class-1 probability, or the predicted class for more than 2) with the training points; plane: the predicted y; sparse: true vs learned weights",
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
    PanelSpec {
        name: "weight-norm",
        doc: "L2 norm of all weights (biases excluded) against iteration",
    },
    super::runner::DIFF_PANEL,
    PanelSpec {
        name: "layer-std",
        doc: "std of each hidden layer's outputs in the training pass, against iteration (log scale)",
    },
    PanelSpec {
        name: "layer-grads",
        doc: "norm of each layer's weight gradient, against iteration (log scale)",
    },
    PanelSpec {
        name: "weight-history",
        doc: "the weight histogram over training: a column per recorded iteration, shaded by the fraction of weights in each value bin",
    },
    PanelSpec {
        name: "neurons",
        doc: "2-D sets: what each of the first 8 units of the first hidden layer outputs over the plane (TF Playground's mini maps)",
    },
];
const PANEL_NAMES: [&str; 11] = panel_names(&PANEL_TABLE);
pub(crate) const PANELS: &[&str] = &PANEL_NAMES;

pub(crate) const DATASET: KeySpec = choice(
    "dataset",
    crate::nn::data::DATASET_NAMES,
    "sine",
    Apply::Restart,
    "generated data: sine (y = sin πx + noise, x in [0,1]), sine-poly (the same as polynomial features), sparse (y = X·w_true, few non-zeros), a 2-D classification set (spirals, circles, xor, moons, gauss) or 2-D regression (plane: y = (x1 + x2)/2 + noise)",
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
        max: 512,
        min_len: 2,
        max_len: 18,
    },
    default: D::Ints(&[1, 5, 1]),
    apply: Apply::Restart,
    doc: "layer widths, inputs first (up to 16 hidden layers): the first must match the data set's inputs, the last is 1 (regression, binary cross-entropy) or one per class",
};
pub(crate) const ACTIVATION: KeySpec = choice(
    "activation",
    crate::nn::activation::ACTIVATION_NAMES,
    "tanh",
    Apply::Restart,
    "non-linearity of the hidden layers (linear is identity; the output is linear, or softmax/sigmoid inside the loss)",
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
    "learning rate η of the optimizer (before `lr_schedule`)",
);
pub(crate) const L2: KeySpec = float(
    "l2",
    (0.0, 10.0, false),
    0.0,
    Apply::Live,
    "λ₂ of the penalty (λ₂/2)·Σw² (weights only)",
);
/// The optimizer keys, shared with `descent` (the same vocabulary and
/// defaults wherever an optimizer is chosen).
pub(crate) const OPTIMIZER: KeySpec = choice(
    "optimizer",
    crate::nn::optimizer::OPTIMIZER_NAMES,
    "sgd",
    Apply::Restart,
    "update rule, as torch.optim documents it: sgd, momentum (SGD with momentum), nesterov, rmsprop, adam, adamw",
);
pub(crate) const MOMENTUM: KeySpec = float(
    "momentum",
    (0.0, 0.999, false),
    0.9,
    Apply::Live,
    "μ of momentum and nesterov",
);
pub(crate) const BETA1: KeySpec = float(
    "beta1",
    (0.0, 0.999, false),
    0.9,
    Apply::Live,
    "β₁ of adam and adamw (decay of the gradient average)",
);
pub(crate) const BETA2: KeySpec = float(
    "beta2",
    (0.0, 0.9999, false),
    0.999,
    Apply::Live,
    "β₂ of adam and adamw (decay of the squared-gradient average)",
);
pub(crate) const ALPHA: KeySpec = float(
    "alpha",
    (0.0, 0.9999, false),
    0.99,
    Apply::Live,
    "α of rmsprop (PyTorch's smoothing constant of the squared-gradient average)",
);
pub(crate) const EPS: KeySpec = float(
    "eps",
    (0.0, 1.0, false),
    1e-8,
    Apply::Live,
    "ε added to the root in rmsprop, adam and adamw",
);
pub(crate) const STEPS: KeySpec = int(
    "steps",
    (1, 1_000_000),
    500,
    "updates in the run (one per batch)",
);
pub(crate) const SEED: KeySpec =
    seed("seed of the random generator (data, weights, dropout masks)");

pub static KIND: KindSpec = KindSpec {
    name: "train",
    summary: "Train an MLP (any activation, optional batch or layer norm) with SGD or the torch.optim family on a generated data set, and watch its loss, fit and weights.",
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
        int(
            "classes",
            (2, 10),
            2,
            "classes of the spirals and gauss sets (one arm or blob each); every other classification set has 2",
        ),
        float(
            "label_noise",
            (0.0, 1.0, false),
            0.0,
            Apply::Restart,
            "fraction of training labels replaced by another class at random (test labels stay clean)",
        ),
        KeySpec {
            name: "inputs",
            ty: Ty::ChoiceList(crate::nn::data::INPUT_NAMES),
            default: D::Strs(&["x1", "x2"]),
            apply: Apply::Restart,
            doc: "2-D sets: the features of the point (x1, x2) the net sees, as in TF Playground; `layers` starts with their count",
        },
        choice(
            "norm",
            &["none", "batch_norm", "layer_norm"],
            "none",
            Apply::Restart,
            "normalization of each hidden layer's z before its activation (PyTorch's BatchNorm1d/LayerNorm: momentum 0.1, eps 1e-5; batch norm evaluates with its running statistics)",
        ),
        KeySpec {
            name: "norm_layers",
            ty: Ty::IntList {
                min: 1,
                max: 16,
                min_len: 0,
                max_len: 16,
            },
            default: D::Ints(&[]),
            apply: Apply::Restart,
            doc: "hidden layers (numbered from 1) that get `norm`; empty: every hidden layer",
        },
        choice(
            "eval_mode",
            &["eval", "train"],
            "eval",
            Apply::Live,
            "how batch norm runs when the losses, accuracies and the fit map are measured: eval (its running statistics, PyTorch's model.eval()); train (each evaluated chunk of eval_batch rows normalized with its own statistics: the bug of forgetting model.eval())",
        ),
        KeySpec {
            apply: Apply::Live,
            ..int(
                "eval_batch",
                (0, 10_000),
                0,
                "eval_mode = \"train\": rows evaluated together, at least 2 (0: the whole set at once)",
            )
        },
        choice(
            "loss",
            &[
                "auto",
                "mse",
                "cross_entropy",
                "binary_cross_entropy",
                "sigmoid_mse",
            ],
            "auto",
            Apply::Restart,
            "auto: mse for regression, cross_entropy (softmax) for classes; binary_cross_entropy (sigmoid) takes 1 output for 2 classes; sigmoid_mse: squared error of that sigmoid output (learns slowly when confidently wrong); mse on classes fits the one-hot rows",
        ),
        OPTIMIZER,
        MOMENTUM,
        BETA1,
        BETA2,
        ALPHA,
        EPS,
        float(
            "weight_decay",
            (0.0, 10.0, false),
            0.0,
            Apply::Live,
            "λ of the optimizer's weight decay on every parameter, as torch.optim applies it: added to the gradient, or decoupled for adamw (PyTorch's AdamW defaults to 0.01; here every optimizer starts at 0)",
        ),
        choice(
            "lr_schedule",
            &["constant", "step", "cosine", "warmup"],
            "constant",
            Apply::Live,
            "lr over the run: constant; step (× lr_gamma every lr_step_size steps); cosine (to 0 at the last step); warmup (rising linearly over warmup_steps, then constant)",
        ),
        int(
            "lr_step_size",
            (1, 1_000_000),
            100,
            "steps between two lr cuts of the step schedule",
        ),
        float(
            "lr_gamma",
            (0.0, 1.0, true),
            0.5,
            Apply::Live,
            "factor of each lr cut of the step schedule",
        ),
        int(
            "warmup_steps",
            (1, 1_000_000),
            100,
            "steps of the linear warm-up",
        ),
        int(
            "batch_size",
            (0, 10_000),
            0,
            "samples per update, drawn without replacement from a reshuffle every epoch (a last partial batch is dropped); 0: the whole training set",
        ),
        float(
            "validation",
            (0.0, 0.9, false),
            0.0,
            Apply::Restart,
            "fraction of the `samples` held out (the last ones) as a validation set, measured every step",
        ),
        int(
            "patience",
            (0, 1_000_000),
            0,
            "early stopping: end the run after this many steps without a new best validation loss (0: never)",
        ),
        STEPS,
        SEED,
        panels_key(PANELS, &["fit", "loss"]),
        KeySpec {
            name: "log_y",
            ty: Ty::ChoiceList(PANELS),
            default: D::Strs(&[]),
            apply: Apply::Fixed,
            doc: "panels whose y axis is logarithmic (line charts: loss, hidden-units, zeros, weight-norm, diff; layer-std and layer-grads always are)",
        },
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
        MetricSpec {
            name: "layer_std",
            doc: "with the layer-std or layer-grads panel: per hidden layer, the std of its outputs in the latest recorded training pass",
        },
        MetricSpec {
            name: "layer_grad_norm",
            doc: "with the layer-std or layer-grads panel: per layer, the norm of its weight gradient in the latest recorded training pass",
        },
        MetricSpec {
            name: "lr",
            doc: "with an lr_schedule: the learning rate of the next update",
        },
        MetricSpec {
            name: "val_loss",
            doc: "with validation: loss on the validation set",
        },
        MetricSpec {
            name: "best_val_loss",
            doc: "with validation: the lowest validation loss so far",
        },
        MetricSpec {
            name: "best_iteration",
            doc: "with validation: the iteration of best_val_loss",
        },
        MetricSpec {
            name: "stopped_early",
            doc: "with validation: true once patience ended the run before `steps`",
        },
        MetricSpec {
            name: "collapse_error",
            doc: "identity activation, no norm or dropout: the largest |difference| on the test inputs between the net's outputs and those of the one matrix its layers multiply out to",
        },
        super::runner::DIFF_METRIC,
    ],
    panels: &PANEL_TABLE,
    build: Runner::<Train>::build,
    check: Runner::<Train>::check,
    check_step: Runner::<Train>::check_step,
};

/// The `train` experiment: one [`Run`].
struct Train {
    run: Run,
}

impl Experiment for Train {
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

    fn status(&self) -> crate::demo::Status {
        self.run.status()
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
        self.run.set_live(c)
    }

    fn check_runs(runs: &[Config]) -> Result<(), ParamError> {
        check_runs(runs)
    }

    fn max_abs_diff(&self, other: &Train) -> Option<f64> {
        self.run.net.max_abs_diff(&other.run.net)
    }
}
