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
use rand::RngCore as _;

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
    ///
    /// Each unit consumes one `u32` of the stream and is kept iff it is below
    /// ⌈keep·2³²⌉: probability keep_prob to within 2⁻³², from half the
    /// keystream a `random::<f64>()` per unit would use (the generator is
    /// the larger part of a dropout step's non-product time). The words come
    /// from `fill_bytes` in blocks, in the generator's word order, without
    /// `next_u32`'s per-call bookkeeping.
    pub fn sample_mask(&self, mask: &mut Array2<f64>, rng: &mut Rng) {
        const BLOCK: usize = 256;
        let scale = self.train_scale();
        let threshold = (self.keep_prob * (1u64 << 32) as f64).ceil() as u64;
        // Branch-free (a 50 % branch mispredicts half the time, and the
        // compiler turns a select on `<` into one): both sides are at most
        // 2³², so the difference's sign bit is the comparison, widened to an
        // all-ones or zero bit mask over scale's bits.
        let bits = scale.to_bits();
        let keep = |u: u32| {
            let kept = u64::from(u).wrapping_sub(threshold) >> 63;
            f64::from_bits(bits & kept.wrapping_neg())
        };
        let Some(slice) = mask.as_slice_mut() else {
            mask.iter_mut().for_each(|m| *m = keep(rng.next_u32()));
            return;
        };
        let mut bytes = [0u8; 4 * BLOCK];
        for chunk in slice.chunks_mut(BLOCK) {
            let bytes = &mut bytes[..4 * chunk.len()];
            rng.fill_bytes(bytes);
            for (m, word) in chunk.iter_mut().zip(bytes.chunks_exact(4)) {
                *m = keep(u32::from_le_bytes(word.try_into().expect("4 bytes")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::seeded;

    /// The block draw keeps exactly the units whose `next_u32` draw is below
    /// ⌈keep·2³²⌉, from any position in the stream (an odd number of words
    /// already used straddles ChaCha's blocks differently), and leaves the
    /// generator where those draws would.
    #[test]
    fn block_draw_matches_word_draws() {
        for (keep, skip) in [(0.5, 0), (0.8, 1), (0.3, 7), (1.0 / 3.0, 3), (1.0, 2)] {
            let d = Dropout {
                keep_prob: keep,
                mode: DropoutMode::Inverted,
            };
            let (mut a, mut b) = (seeded(9), seeded(9));
            for _ in 0..skip {
                a.next_u32();
                b.next_u32();
            }
            let mut mask = Array2::zeros((37, 29));
            d.sample_mask(&mut mask, &mut a);
            let t = (keep * 4294967296.0).ceil() as u64;
            let expected = Array2::from_shape_fn((37, 29), |_| {
                if u64::from(b.next_u32()) < t {
                    1.0 / keep
                } else {
                    0.0
                }
            });
            assert_eq!(mask, expected);
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }
}
