//! Validated parameters of a `train` run, checked across keys.

use crate::demo::{ParamError, Params};
use crate::msg;
use crate::nn::data::{self, DataSpec};
use crate::nn::{Activation, Dropout, DropoutMode, Init, L1Mode, L2Mode, Loss, Penalty, Sgd};

/// Largest buffer footprint a run may allocate: activations, deltas and masks
/// for both sets plus three copies of the parameters.
const MAX_BYTES: f64 = 256.0 * 1024.0 * 1024.0;
/// Largest work per SGD step (multiply-adds × 3 for forward and backward),
/// so one step stays well under a frame's budget of the UI.
const MAX_FLOPS_PER_STEP: f64 = 2e9;

/// Everything a run needs, read from a kind's parameters.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub dataset: String,
    pub samples: usize,
    pub test_samples: usize,
    pub noise: f64,
    pub features: usize,
    pub relevant: usize,
    pub layers: Vec<usize>,
    pub activation: Activation,
    pub init: Init,
    pub loss: Loss,
    pub sgd: Sgd,
    pub penalty: Penalty,
    pub dropout: Dropout,
    pub steps: usize,
    pub seed: u64,
}

/// A key's value if the kind has it (weight-decay lacks l1*, dropout keys).
fn opt<'a>(p: &'a Params, key: &str) -> Option<&'a crate::demo::Value> {
    p.kind().key(key).map(|_| p.get(key))
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
    let layers = p.usizes("layers");
    let (n_in, n_out) = (
        data::input_size(&dataset, features),
        data::output_size(&dataset),
    );
    if layers[0] != n_in {
        let why = match dataset.as_str() {
            "sine" => msg!("1 input"),
            "sine-poly" | "sparse" => {
                msg!("{n} inputs (`features` = {features})", n = n_in, features)
            }
            _ => msg!("2 inputs (a point in the plane)"),
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
        let why = if n_out == 1 {
            msg!("1 output (regression)")
        } else {
            msg!("2 outputs (one per class)")
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
    let activation = Activation::from_name(p.str("activation")).expect("schema choice");
    let init =
        Init::from_name(p.str("init"), p.f64("init_scale"), activation).expect("schema choice");
    let name = |key: &str, default: &'static str| -> String {
        match opt(p, key) {
            Some(crate::demo::Value::Str(s)) => s.clone(),
            _ => default.to_string(),
        }
    };
    let num = |key: &str, default: f64| opt(p, key).and_then(|v| v.as_f64()).unwrap_or(default);
    let penalty = Penalty {
        l1: num("l1", 0.0),
        l1_mode: L1Mode::from_name(&name("l1_mode", "proximal")).expect("schema choice"),
        l2: p.f64("l2"),
        l2_mode: L2Mode::from_name(&name("l2_mode", "coupled")).expect("schema choice"),
    };
    let dropout = Dropout {
        keep_prob: num("keep_prob", 1.0),
        mode: DropoutMode::from_name(&name("dropout_mode", "inverted")).expect("schema choice"),
    };
    Ok(Config {
        loss: if n_out == 1 {
            Loss::Mse
        } else {
            Loss::SoftmaxCrossEntropy
        },
        dataset,
        samples,
        test_samples,
        noise: p.f64("noise"),
        features,
        relevant,
        layers,
        activation,
        init,
        sgd: Sgd { lr: p.f64("lr") },
        penalty,
        dropout,
        steps: p.usize("steps"),
        seed: p.u64("seed"),
    })
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
        }
    }
}
