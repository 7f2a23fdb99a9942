//! Validated parameters of a `train` run, checked across keys.

use crate::demo::{ParamError, Params};
use crate::msg;
use crate::nn::data::{self, DataSpec, Input};
use crate::nn::{
    Activation, Dropout, DropoutMode, Hyperparams, Init, L1Mode, L2Mode, Loss, NormKind,
    OptimizerKind, Penalty,
};

/// Largest buffer footprint a run may allocate: activations, deltas and masks
/// for both sets plus three copies of the parameters.
const MAX_BYTES: f64 = 256.0 * 1024.0 * 1024.0;
/// Largest work per SGD step (multiply-adds × 3 for forward and backward),
/// so one step stays well under a frame's budget of the UI.
const MAX_FLOPS_PER_STEP: f64 = 2e9;

/// Largest total work of a run (FLOPs per step × steps, counted as below):
/// about two minutes of one core, so no lesson can start a run that a
/// student would mistake for a hang.
pub(crate) const MAX_TOTAL_FLOPS: f64 = 2e12;

/// How the learning rate changes over a run, as a factor on `lr`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    Constant,
    /// PyTorch's `StepLR(step_size, gamma)`: × γ^⌊t / step_size⌋.
    Step {
        size: usize,
        gamma: f64,
    },
    /// PyTorch's `CosineAnnealingLR(T_max = steps, eta_min = 0)`:
    /// × (1 + cos(π·t / steps)) / 2.
    Cosine {
        steps: usize,
    },
    /// Linear warm-up, PyTorch's `LinearLR(start_factor = 1/w, total_iters = w − 1)`:
    /// × min(1, (t + 1) / w), then constant.
    Warmup {
        steps: usize,
    },
}

impl Schedule {
    /// The factor on `lr` of the update that follows `t` completed steps.
    pub fn factor(self, t: usize) -> f64 {
        match self {
            Schedule::Constant => 1.0,
            Schedule::Step { size, gamma } => libm::pow(gamma, (t / size.max(1)) as f64),
            Schedule::Cosine { steps } => {
                let phase = t.min(steps) as f64 / steps.max(1) as f64;
                (1.0 + (std::f64::consts::PI * phase).cos()) / 2.0
            }
            Schedule::Warmup { steps } => ((t + 1) as f64 / steps.max(1) as f64).min(1.0),
        }
    }
}

/// Everything a run needs, read from a kind's parameters.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub dataset: String,
    pub samples: usize,
    pub test_samples: usize,
    pub noise: f64,
    pub features: usize,
    pub relevant: usize,
    pub classes: usize,
    pub label_noise: f64,
    pub inputs: Vec<Input>,
    pub layers: Vec<usize>,
    pub activation: Activation,
    pub init: Init,
    /// norms[l]: the normalization of hidden layer l.
    pub norms: Vec<Option<NormKind>>,
    pub loss: Loss,
    pub optimizer: OptimizerKind,
    /// lr and the optimizer's other hyper-parameters (lr before the schedule).
    pub hyper: Hyperparams,
    pub schedule: Schedule,
    /// Samples per update; the whole training set when it is at least that.
    pub batch_size: usize,
    /// Training samples held out as the validation set.
    pub validation: usize,
    /// Steps without a new best validation loss that end the run (0: never).
    pub patience: usize,
    pub penalty: Penalty,
    pub dropout: Dropout,
    /// `Some(eval_batch)` under `eval_mode = "train"` (see `Run`).
    pub eval_in_train_mode: Option<usize>,
    pub steps: usize,
    pub seed: u64,
    /// Panels drawn with a logarithmic y axis.
    pub log_y: Vec<String>,
    /// The panels shown: records keep only what they draw.
    pub panels: Vec<String>,
    /// Bytes of buffers and FLOPs of the whole run, as the guards count them.
    pub cost: [f64; 2],
}

impl Config {
    /// Whether the update is the shipped lessons' plain SGD: no optimizer
    /// state, nothing but weights and biases to move, so the original
    /// swap-buffer update (and its exact numbers) applies.
    pub fn plain_sgd(&self) -> bool {
        self.optimizer == OptimizerKind::Sgd
            && self.hyper.weight_decay == 0.0
            && self.norms.iter().all(Option::is_none)
    }
}

/// A key's value if the kind has it (`descent` reads the optimizer keys
/// here but has no `weight_decay`).
fn opt<'a>(p: &'a Params, key: &str) -> Option<&'a crate::demo::Value> {
    p.kind().key(key).map(|_| p.get(key))
}

fn name_of(p: &Params, key: &str, default: &str) -> String {
    match opt(p, key) {
        Some(crate::demo::Value::Str(s)) => s.clone(),
        _ => default.to_string(),
    }
}

fn num_of(p: &Params, key: &str, default: f64) -> f64 {
    opt(p, key).and_then(|v| v.as_f64()).unwrap_or(default)
}

fn count_of(p: &Params, key: &str, default: usize) -> usize {
    opt(p, key)
        .and_then(|v| v.as_f64())
        .map_or(default, |v| v as usize)
}

/// The optimizer and its hyper-parameters from the keys `optimizer`, `lr`,
/// `momentum`, `beta1`, `beta2` (`alpha` for rmsprop), `eps` and, where the
/// kind has it, `weight_decay` (else 0): shared by every kind that takes the
/// optimizer keys, so they read them alike.
pub(crate) fn optimizer_of(p: &Params) -> Result<(OptimizerKind, Hyperparams), ParamError> {
    let optimizer =
        OptimizerKind::from_name(&name_of(p, "optimizer", "sgd")).expect("schema choice");
    let hyper = Hyperparams {
        lr: p.f64("lr"),
        momentum: num_of(p, "momentum", 0.9),
        beta1: num_of(p, "beta1", 0.9),
        beta2: if optimizer == OptimizerKind::RmsProp {
            num_of(p, "alpha", 0.99)
        } else {
            num_of(p, "beta2", 0.999)
        },
        eps: num_of(p, "eps", 1e-8),
        weight_decay: num_of(p, "weight_decay", 0.0),
    };
    if optimizer == OptimizerKind::Nesterov && hyper.momentum == 0.0 {
        return Err(ParamError::new(
            "momentum",
            msg!(
                "nesterov needs `momentum` > 0 (PyTorch refuses it too); use \"sgd\" for no momentum"
            ),
        ));
    }
    Ok((optimizer, hyper))
}

/// Reads and cross-checks the parameters of `train` (or a kind sharing its keys).
pub(crate) fn config(p: &Params) -> Result<Config, ParamError> {
    let dataset = p.str("dataset").to_string();
    let features = p.usize("features");
    let relevant = p.usize("relevant");
    if dataset == "sparse" && relevant > features {
        return Err(ParamError::new(
            "relevant",
            msg!(
                "`relevant` = {relevant} exceeds `features` = {features}: at most every input can matter",
                relevant,
                features
            ),
        ));
    }
    let plane = data::PLANE_SETS.contains(&dataset.as_str());
    let regression = data::is_regression(&dataset);
    let classes = count_of(p, "classes", 2);
    if classes != 2 && !data::MULTICLASS_SETS.contains(&dataset.as_str()) {
        return Err(ParamError::new(
            "classes",
            msg!(
                "data set \"{dataset}\" has 2 classes; `classes` = {classes} needs one of: {sets}",
                dataset = &dataset,
                classes,
                sets = data::MULTICLASS_SETS.join(", ")
            ),
        ));
    }
    let label_noise = num_of(p, "label_noise", 0.0);
    if label_noise > 0.0 && regression {
        return Err(ParamError::new(
            "label_noise",
            msg!(
                "data set \"{dataset}\" is regression: it has no labels to flip (use `noise`)",
                dataset = &dataset
            ),
        ));
    }
    let input_names: Vec<String> = match opt(p, "inputs") {
        Some(_) => p.strs("inputs").into_iter().map(String::from).collect(),
        None => vec!["x1".into(), "x2".into()],
    };
    if !plane && input_names != ["x1", "x2"] {
        return Err(ParamError::new(
            "inputs",
            msg!(
                "`inputs` are features of a point in the plane; data set \"{dataset}\" has none (plane sets: {sets})",
                dataset = &dataset,
                sets = data::PLANE_SETS.join(", ")
            ),
        ));
    }
    if input_names.is_empty() {
        return Err(ParamError::new(
            "inputs",
            msg!(
                "`inputs` is empty: the net needs at least one of {names}",
                names = data::INPUT_NAMES.join(", ")
            ),
        ));
    }
    let inputs: Vec<Input> = input_names
        .iter()
        .map(|n| Input::from_name(n).expect("schema choice"))
        .collect();
    let loss_name = name_of(p, "loss", "auto");
    let loss = match loss_name.as_str() {
        "mse" => Loss::Mse,
        "cross_entropy" => Loss::SoftmaxCrossEntropy,
        "binary_cross_entropy" => Loss::BinaryCrossEntropy,
        "sigmoid_mse" => Loss::SigmoidMse,
        _ if regression => Loss::Mse,
        _ => Loss::SoftmaxCrossEntropy,
    };
    if regression && loss != Loss::Mse {
        return Err(ParamError::new(
            "loss",
            msg!(
                "`loss` = \"{loss}\" needs classes, but data set \"{dataset}\" is regression; use \"mse\"",
                loss = &loss_name,
                dataset = &dataset
            ),
        ));
    }
    if loss.sigmoid_output() && classes != 2 {
        return Err(ParamError::new(
            "loss",
            msg!(
                "`loss` = \"{loss}\" answers one yes/no question, but there are {classes} classes; use \"cross_entropy\"",
                loss = &loss_name,
                classes
            ),
        ));
    }
    let spec = DataSpec {
        name: &dataset,
        n_train: 0,
        n_test: 0,
        noise: 0.0,
        features,
        relevant,
        classes,
        label_noise,
        inputs: &inputs,
    };
    let layers = p.usizes("layers");
    let n_in = data::input_size(&spec);
    let n_out = if loss.sigmoid_output() {
        1
    } else {
        data::output_size(&spec)
    };
    if layers[0] != n_in {
        let why = match dataset.as_str() {
            "sine" => msg!("1 input"),
            "sine-poly" | "sparse" => {
                msg!("{n} inputs (`features` = {features})", n = n_in, features)
            }
            _ if n_in == 2 => msg!("2 inputs (a point in the plane)"),
            _ => msg!("{n} inputs (the features in `inputs`)", n = n_in),
        };
        return Err(ParamError::new(
            "layers",
            msg!(
                "`layers` starts with {first} but data set \"{dataset}\" has {why}; use {n}",
                first = layers[0],
                dataset = &dataset,
                why,
                n = n_in
            ),
        ));
    }
    let last = *layers.last().expect("at least 2 entries");
    if last != n_out {
        let why = if regression {
            msg!("1 output (regression)")
        } else if loss.sigmoid_output() {
            msg!("1 output (the logit of class 1, read through a sigmoid)")
        } else {
            msg!("{n} outputs (one per class)", n = n_out)
        };
        return Err(ParamError::new(
            "layers",
            msg!(
                "`layers` ends with {last} but data set \"{dataset}\" needs {why}",
                last,
                dataset = &dataset,
                why
            ),
        ));
    }
    let samples = p.usize("samples");
    let test_samples = p.usize("test_samples");
    let params: f64 = layers.windows(2).map(|w| ((w[0] + 1) * w[1]) as f64).sum();
    let units: f64 = layers[1..].iter().map(|&w| w as f64).sum();
    let bytes = 8.0 * (4.0 * units * (samples + test_samples) as f64 + 3.0 * params);
    let flops = 6.0 * samples as f64 * params;
    if bytes > MAX_BYTES || flops > MAX_FLOPS_PER_STEP {
        return Err(ParamError::new(
            "layers",
            msg!(
                "this network on {samples} samples needs {mb} MB and {gflop} GFLOP per step (limits {max_mb} MB, {max_gflop} GFLOP); use narrower layers or fewer samples",
                samples,
                mb = format!("{:.0}", bytes / 1048576.0),
                gflop = format!("{:.1}", flops / 1e9),
                max_mb = format!("{:.0}", MAX_BYTES / 1048576.0),
                max_gflop = format!("{:.1}", MAX_FLOPS_PER_STEP / 1e9)
            ),
        ));
    }
    let validation_fraction = num_of(p, "validation", 0.0);
    let validation = (validation_fraction * samples as f64).round() as usize;
    if validation_fraction > 0.0 && (validation == 0 || validation >= samples) {
        return Err(ParamError::new(
            "validation",
            msg!(
                "`validation` = {fraction} of {samples} samples leaves {val} for validation and {train} for training; both need at least 1",
                fraction = validation_fraction,
                samples,
                val = validation,
                train = samples.saturating_sub(validation)
            ),
        ));
    }
    let train_samples = samples - validation;
    let batch_size = match count_of(p, "batch_size", 0) {
        0 => train_samples,
        b => b.min(train_samples),
    };
    let steps = p.usize("steps");
    // Work per step scales with the batch, plus one forward pass over the
    // validation set per step.
    let step_flops = 6.0 * batch_size as f64 * params + 2.0 * validation as f64 * params;
    let total = step_flops * steps as f64;
    if total > MAX_TOTAL_FLOPS {
        return Err(ParamError::new(
            "steps",
            msg!(
                "{steps} steps of this network on batches of {batch} samples are {tflop} TFLOP in all (limit {max} TFLOP, about two minutes of one core); use fewer steps, a smaller batch or narrower layers",
                steps,
                batch = batch_size,
                tflop = format!("{:.1}", total / 1e12),
                max = format!("{:.0}", MAX_TOTAL_FLOPS / 1e12)
            ),
        ));
    }
    let norm_name = name_of(p, "norm", "none");
    let hidden = layers.len() - 2;
    let norm_layers: Vec<usize> = match opt(p, "norm_layers") {
        Some(_) => p.usizes("norm_layers"),
        None => Vec::new(),
    };
    if let Some(&bad) = norm_layers.iter().find(|&&l| l == 0 || l > hidden) {
        return Err(ParamError::new(
            "norm_layers",
            msg!(
                "`norm_layers` names hidden layer {bad}, but `layers` has {hidden} hidden layers (numbered from 1)",
                bad,
                hidden
            ),
        ));
    }
    let norm_kind = NormKind::from_name(&norm_name);
    let norms: Vec<Option<NormKind>> = (1..=hidden)
        .map(|l| norm_kind.filter(|_| norm_layers.is_empty() || norm_layers.contains(&l)))
        .collect();
    if norm_kind == Some(NormKind::Batch) && batch_size < 2 {
        return Err(ParamError::new(
            if count_of(p, "batch_size", 0) > 0 {
                "batch_size"
            } else {
                "norm"
            },
            msg!(
                "batch norm normalizes over a batch and needs at least 2 samples in one; this run has batches of {batch}",
                batch = batch_size
            ),
        ));
    }
    let patience = count_of(p, "patience", 0);
    if patience > 0 && validation == 0 {
        return Err(ParamError::new(
            "patience",
            msg!(
                "`patience` stops on the validation loss; set `validation` (e.g. 0.2) to hold out a validation set"
            ),
        ));
    }
    let eval_in_train_mode =
        (name_of(p, "eval_mode", "eval") == "train").then(|| count_of(p, "eval_batch", 0));
    if eval_in_train_mode.is_some() && norm_kind != Some(NormKind::Batch) {
        return Err(ParamError::new(
            "eval_mode",
            msg!(
                "`eval_mode` = \"train\" changes only how batch norm normalizes; set `norm` = \"batch_norm\""
            ),
        ));
    }
    if eval_in_train_mode == Some(1) {
        return Err(ParamError::new(
            "eval_batch",
            msg!(
                "batch norm in training mode needs at least 2 rows per batch to have a variance (PyTorch raises an error for 1); use 2 or more, or 0 for the whole set"
            ),
        ));
    }
    if eval_in_train_mode.is_none() && count_of(p, "eval_batch", 0) > 0 {
        return Err(ParamError::new(
            "eval_batch",
            msg!(
                "`eval_batch` only matters with `eval_mode` = \"train\": in evaluation mode a row's output does not depend on the rows evaluated with it"
            ),
        ));
    }
    let (optimizer, hyper) = optimizer_of(p)?;
    let schedule = match name_of(p, "lr_schedule", "constant").as_str() {
        "step" => Schedule::Step {
            size: count_of(p, "lr_step_size", 100),
            gamma: num_of(p, "lr_gamma", 0.5),
        },
        "cosine" => Schedule::Cosine { steps },
        "warmup" => Schedule::Warmup {
            steps: count_of(p, "warmup_steps", 100),
        },
        _ => Schedule::Constant,
    };
    let activation = Activation::from_name(p.str("activation")).expect("schema choice");
    let init =
        Init::from_name(p.str("init"), p.f64("init_scale"), activation).expect("schema choice");
    let penalty = Penalty {
        l1: num_of(p, "l1", 0.0),
        l1_mode: L1Mode::from_name(&name_of(p, "l1_mode", "proximal")).expect("schema choice"),
        l2: p.f64("l2"),
        l2_mode: L2Mode::from_name(&name_of(p, "l2_mode", "coupled")).expect("schema choice"),
    };
    let dropout = Dropout {
        keep_prob: num_of(p, "keep_prob", 1.0),
        mode: DropoutMode::from_name(&name_of(p, "dropout_mode", "inverted"))
            .expect("schema choice"),
    };
    Ok(Config {
        loss,
        dataset,
        samples,
        test_samples,
        noise: p.f64("noise"),
        features,
        relevant,
        classes,
        label_noise,
        inputs,
        layers,
        activation,
        init,
        norms,
        optimizer,
        hyper,
        schedule,
        batch_size,
        validation,
        patience,
        penalty,
        dropout,
        eval_in_train_mode,
        steps,
        seed: p.u64("seed"),
        panels: match opt(p, "panels") {
            Some(_) => p.strs("panels").into_iter().map(String::from).collect(),
            None => Vec::new(),
        },
        log_y: match opt(p, "log_y") {
            Some(_) => p.strs("log_y").into_iter().map(String::from).collect(),
            None => Vec::new(),
        },
        cost: [bytes, total],
    })
}

/// The runs of one step together within the limits of one run: a sweep
/// shares the machine its runs step on, so eight runs may not do eight
/// runs' worth of work.
pub(crate) fn check_runs(runs: &[Config]) -> Result<(), ParamError> {
    let [bytes, flops] = runs
        .iter()
        .fold([0.0, 0.0], |[b, f], c| [b + c.cost[0], f + c.cost[1]]);
    if runs.len() > 1 && (bytes > MAX_BYTES || flops > MAX_TOTAL_FLOPS) {
        return Err(ParamError::new(
            "steps",
            msg!(
                "these {n} runs together need {mb} MB and {tflop} TFLOP (limits for a whole step {max_mb} MB, {max} TFLOP); use fewer runs, fewer steps or narrower layers",
                n = runs.len(),
                mb = format!("{:.0}", bytes / 1048576.0),
                tflop = format!("{:.1}", flops / 1e12),
                max_mb = format!("{:.0}", MAX_BYTES / 1048576.0),
                max = format!("{:.0}", MAX_TOTAL_FLOPS / 1e12)
            ),
        ));
    }
    Ok(())
}

impl Config {
    /// The data set's generation parameters.
    pub fn data_spec(&self) -> DataSpec<'_> {
        DataSpec {
            name: &self.dataset,
            n_train: self.samples,
            n_test: self.test_samples,
            noise: self.noise,
            features: self.features,
            relevant: self.relevant,
            classes: self.classes,
            label_noise: self.label_noise,
            inputs: &self.inputs,
        }
    }
}
