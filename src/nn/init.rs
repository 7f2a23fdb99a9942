//! Weight initialization schemes, matching PyTorch's `torch.nn.init`
//! (including `calculate_gain`).
//!
//! Weights are stored as (fan_in, fan_out) here, PyTorch stores (out, in);
//! the formulas use fan_in and fan_out, so the distributions are the same.

use ndarray::Array2;
use rand::Rng as _;
use rand_distr::{Distribution, StandardNormal};

use super::Rng;
use super::activation::Activation;

/// The recommended gain for a non-linearity, as `torch.nn.init.calculate_gain`:
/// 1 for identity ("linear") and sigmoid, 5/3 for tanh, √2 for ReLU,
/// √(2/(1 + 0.01²)) for leaky ReLU with its default slope.
///
/// PyTorch has no gain for ELU, GELU or softplus (it raises); they get
/// ReLU's √2 here, as each approaches ReLU away from 0. That choice is the
/// engine's, not PyTorch's.
pub fn calculate_gain(activation: Activation) -> f64 {
    match activation {
        Activation::Identity | Activation::Sigmoid => 1.0,
        Activation::Tanh => 5.0 / 3.0,
        Activation::Relu | Activation::Elu | Activation::Gelu | Activation::Softplus => {
            std::f64::consts::SQRT_2
        }
        Activation::LeakyRelu => {
            let slope = super::activation::LEAKY_RELU_SLOPE;
            (2.0 / (1.0 + slope * slope)).sqrt()
        }
    }
}

/// How a weight matrix is filled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// w = 0 (`nn.init.zeros_`): every unit of a layer starts identical.
    Zeros,
    /// w = c (`nn.init.constant_`): also symmetric, so also collapses.
    Constant(f64),
    /// w ~ N(0, std²) (`nn.init.normal_(mean=0, std)`).
    Normal { std: f64 },
    /// w ~ U(−a, a) (`nn.init.uniform_(-a, a)`), std a/√3.
    Uniform { a: f64 },
    /// w ~ U(−a, a), a = gain·√(6/(fan_in+fan_out)) (Glorot & Bengio 2010,
    /// `nn.init.xavier_uniform_`): variance gain²·2/(fan_in+fan_out).
    XavierUniform { gain: f64 },
    /// w ~ N(0, std²), std = gain·√(2/(fan_in+fan_out)) (Glorot & Bengio 2010,
    /// `nn.init.xavier_normal_`).
    XavierNormal { gain: f64 },
    /// w ~ N(0, std²), std = gain/√fan_in (He et al. 2015, "Delving deep into
    /// rectifiers", `nn.init.kaiming_normal_(mode='fan_in')`); gain √2 for ReLU.
    KaimingNormal { gain: f64 },
    /// w ~ U(−b, b), b = gain·√(3/fan_in) (He et al. 2015,
    /// `nn.init.kaiming_uniform_(mode='fan_in')`): same variance gain²/fan_in.
    KaimingUniform { gain: f64 },
}

/// Names of the schemes as lesson files write them.
pub const INIT_NAMES: &[&str] = &[
    "zeros",
    "constant",
    "normal",
    "uniform",
    "xavier-uniform",
    "xavier-normal",
    "kaiming-normal",
    "kaiming-uniform",
];

impl Init {
    /// The scheme called `name`, with `scale` as its parameter: the constant
    /// (constant), std (normal), bound a (uniform) or gain (xavier-*); kaiming
    /// takes the activation's gain and ignores `scale`, as PyTorch users pass
    /// `nonlinearity=` rather than a number.
    pub fn from_name(name: &str, scale: f64, activation: Activation) -> Option<Init> {
        let gain = calculate_gain(activation);
        Some(match name {
            "zeros" => Init::Zeros,
            "constant" => Init::Constant(scale),
            "normal" => Init::Normal { std: scale },
            "uniform" => Init::Uniform { a: scale },
            "xavier-uniform" => Init::XavierUniform { gain: scale },
            "xavier-normal" => Init::XavierNormal { gain: scale },
            "kaiming-normal" => Init::KaimingNormal { gain },
            "kaiming-uniform" => Init::KaimingUniform { gain },
            _ => return None,
        })
    }

    /// The standard deviation the scheme gives a weight of a layer with these fans.
    pub fn std(&self, fan_in: usize, fan_out: usize) -> f64 {
        let (fi, fo) = (fan_in as f64, fan_out as f64);
        match *self {
            Init::Zeros | Init::Constant(_) => 0.0,
            Init::Normal { std } => std,
            Init::Uniform { a } => a / 3f64.sqrt(),
            Init::XavierUniform { gain } | Init::XavierNormal { gain } => {
                gain * (2.0 / (fi + fo)).sqrt()
            }
            Init::KaimingNormal { gain } | Init::KaimingUniform { gain } => gain / fi.sqrt(),
        }
    }

    /// The mean the scheme gives every weight (the constant, or 0).
    pub fn mean(&self) -> f64 {
        match *self {
            Init::Constant(c) => c,
            _ => 0.0,
        }
    }

    /// Fills a layer's weights. w: (fan_in, fan_out).
    pub fn fill(&self, w: &mut Array2<f64>, rng: &mut Rng) {
        let (fan_in, fan_out) = w.dim();
        let std = self.std(fan_in, fan_out);
        match *self {
            Init::Zeros => w.fill(0.0),
            Init::Constant(c) => w.fill(c),
            Init::Normal { .. } | Init::XavierNormal { .. } | Init::KaimingNormal { .. } => {
                w.iter_mut().for_each(|x| {
                    let z: f64 = StandardNormal.sample(rng);
                    *x = std * z;
                });
            }
            Init::Uniform { .. } | Init::XavierUniform { .. } | Init::KaimingUniform { .. } => {
                // A uniform on (−a, a) has std a/√3, so a = √3·std.
                let a = 3f64.sqrt() * std;
                // a·(2u − 1) rather than `random_range`, which panics on an
                // empty range when a = 0.
                w.iter_mut()
                    .for_each(|x| *x = a * (2.0 * rng.random::<f64>() - 1.0));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_match_pytorch_formulas() {
        // xavier_uniform_ on a 100 -> 50 layer: a = sqrt(6/150) = 0.2.
        let a = Init::XavierUniform { gain: 1.0 }.std(100, 50) * 3f64.sqrt();
        assert!((a - 0.2).abs() < 1e-15);
        // kaiming_uniform_(nonlinearity='relu') on fan_in 6: b = sqrt(2)*sqrt(3/6) = 1.
        let b = Init::KaimingUniform {
            gain: calculate_gain(Activation::Relu),
        }
        .std(6, 3)
            * 3f64.sqrt();
        assert!((b - 1.0).abs() < 1e-15);
        assert_eq!(calculate_gain(Activation::Tanh), 5.0 / 3.0);
        // calculate_gain('leaky_relu') = sqrt(2 / (1 + 0.01**2)) = 1.4141428569978354.
        assert!((calculate_gain(Activation::LeakyRelu) - 1.414_142_856_997_835_4).abs() < 1e-15);
    }

    #[test]
    fn zero_scale_gives_zeros_without_panicking() {
        let mut rng = super::super::seeded(1);
        let mut w = Array2::from_elem((3, 4), 1.0);
        Init::Uniform { a: 0.0 }.fill(&mut w, &mut rng);
        assert!(w.iter().all(|&x| x == 0.0));
    }
}
