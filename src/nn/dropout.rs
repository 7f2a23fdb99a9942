//! Dropout with an explicit *keep* probability (the lecture's p and the
//! original paper's, Srivastava et al. 2014; PyTorch's `nn.Dropout(p)` takes
//! the *drop* probability 1 − keep_prob instead).
//!
//! During training each hidden unit is kept with probability keep_prob and
//! zeroed otherwise, with a fresh mask every forward pass. The modes differ
//! only in where the 1/keep_prob correction goes:
//! - classic: no scaling in training; test-time outputs × keep_prob.
//! - inverted: kept units × 1/keep_prob in training; nothing at test time
//!   (what PyTorch and Keras do).
//! - unscaled: no scaling anywhere. Training sees sums ≈ keep·N, the test
//!   sees N: the mistake the lesson demonstrates.

use ndarray::Array2;
use rand::Rng as _;

use super::Rng;

/// Where dropout's expectation correction is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropoutMode {
    Classic,
    Inverted,
    Unscaled,
}

impl DropoutMode {
    pub fn from_name(name: &str) -> Option<DropoutMode> {
        match name {
            "classic" => Some(DropoutMode::Classic),
            "inverted" => Some(DropoutMode::Inverted),
            "unscaled" => Some(DropoutMode::Unscaled),
            _ => None,
        }
    }
}

/// Dropout on hidden layers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dropout {
    /// Probability of keeping a unit, in (0, 1]; 1 disables dropout.
    pub keep_prob: f64,
    pub mode: DropoutMode,
}

impl Dropout {
    /// No dropout.
    pub fn off() -> Self {
        Dropout {
            keep_prob: 1.0,
            mode: DropoutMode::Inverted,
        }
    }

    /// Whether training draws masks at all.
    pub fn active(&self) -> bool {
        self.keep_prob < 1.0
    }

    /// The factor on a kept unit during training.
    pub fn train_scale(&self) -> f64 {
        match self.mode {
            DropoutMode::Inverted => 1.0 / self.keep_prob,
            DropoutMode::Classic | DropoutMode::Unscaled => 1.0,
        }
    }

    /// The factor on every unit at test time.
    pub fn test_scale(&self) -> f64 {
        match self.mode {
            DropoutMode::Classic => self.keep_prob,
            DropoutMode::Inverted | DropoutMode::Unscaled => 1.0,
        }
    }

    /// Fills a mask with train_scale (kept) or 0 (dropped), one uniform draw
    /// per unit. mask: (n_samples, width).
    pub fn sample_mask(&self, mask: &mut Array2<f64>, rng: &mut Rng) {
        let (keep, scale) = (self.keep_prob, self.train_scale());
        // A select on the comparison, not an if/else: a 50 % branch mispredicts
        // half the time. A slice, when the mask is one (always, in a
        // Workspace), iterates without ndarray's per-element index bookkeeping.
        let draw = |m: &mut f64| *m = f64::from(u8::from(rng.random::<f64>() < keep)) * scale;
        match mask.as_slice_mut() {
            Some(slice) => slice.iter_mut().for_each(draw),
            None => mask.iter_mut().for_each(draw),
        }
    }
}
