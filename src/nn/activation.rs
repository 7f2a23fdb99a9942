//! Hidden-layer activations and their derivatives, plus a fast, accurate `exp`
//! and `tanh` that the compiler can vectorize.
//!
//! Derivatives are written in terms of the activation's *output* y = f(z), so
//! the backward pass needs only the cached outputs: sigmoid' = y(1−y),
//! tanh' = 1−y², relu' = [y > 0], identity' = 1.
//!
//! Why not `f64::tanh`: it calls libm (≈ 15 ns per element, never
//! vectorized), which made tanh the largest cost of a training step. The
//! versions here are branch-free (selects, not jumps), accurate to a few ulp,
//! and keep NaN as NaN so divergence is still detected.

use std::f64::consts::LOG2_E;

/// A hidden layer's non-linearity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// f(z) = z: stacking such layers is still one linear map.
    Identity,
    /// f(z) = 1 / (1 + e^(−z)), outputs in (0, 1); f(0) = 0.5.
    Sigmoid,
    /// f(z) = tanh z, outputs in (−1, 1); f(0) = 0.
    Tanh,
    /// f(z) = max(0, z) (Nair & Hinton 2010); derivative 0 at z = 0, as in PyTorch.
    Relu,
}

impl Activation {
    /// The activation named as in lesson files (`identity`, `sigmoid`, `tanh`, `relu`).
    pub fn from_name(name: &str) -> Option<Activation> {
        Some(match name {
            "identity" => Activation::Identity,
            "sigmoid" => Activation::Sigmoid,
            "tanh" => Activation::Tanh,
            "relu" => Activation::Relu,
            _ => return None,
        })
    }

    /// The name used in lesson files.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
        }
    }

    /// f(z) for one value.
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Identity => z,
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => tanh(z),
            // `z < 0` is false for NaN, so NaN passes through (f64::max would hide it).
            Activation::Relu => {
                if z < 0.0 {
                    0.0
                } else {
                    z
                }
            }
        }
    }

    /// Applies f in place to a contiguous buffer (the hot loop: one match, then
    /// a branch-free body the compiler vectorizes).
    pub fn apply_slice(self, zs: &mut [f64]) {
        apply_slice_dispatch(self, zs);
    }

    /// f'(z) expressed through y = f(z).
    pub fn derivative_from_output(self, y: f64) -> f64 {
        match self {
            Activation::Identity => 1.0,
            Activation::Sigmoid => y * (1.0 - y),
            Activation::Tanh => 1.0 - y * y,
            Activation::Relu => {
                if y > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// Multiplies each `grad` by f'(z) given the outputs `ys`, in place.
    /// grad, ys: same length (a layer's (n_samples × width) buffer, flattened).
    pub fn backprop_slice(self, grad: &mut [f64], ys: &[f64]) {
        match self {
            Activation::Identity => {}
            Activation::Sigmoid => grad
                .iter_mut()
                .zip(ys)
                .for_each(|(g, &y)| *g *= y * (1.0 - y)),
            Activation::Tanh => grad
                .iter_mut()
                .zip(ys)
                .for_each(|(g, &y)| *g *= 1.0 - y * y),
            Activation::Relu => grad
                .iter_mut()
                .zip(ys)
                .for_each(|(g, &y)| *g = if y > 0.0 { *g } else { 0.0 }),
        }
    }
}

/// Splits e^t = 2^k · (q + p)/(q − p) with |t − k·ln2| ≤ ln2/2, returning (2^k, p, q).
///
/// Cephes' `exp` rational approximation (Moshier): on the reduced range
/// e^r = (Q(r²) + rP(r²)) / (Q(r²) − rP(r²)), good to about 1 ulp. The caller
/// keeps t within [−708, 709] so 2^k is a normal number. k is rounded with
/// the 1.5·2⁵² trick and 2^k built from its bits: no branch, no libm call.
// Cephes' coefficients verbatim, so they can be checked against the source.
#[allow(clippy::excessive_precision)]
#[inline(always)]
fn exp_split(t: f64) -> (f64, f64, f64) {
    const MAGIC: f64 = 6_755_399_441_055_744.0; // 1.5 · 2^52
    const LN2_HI: f64 = 6.931_457_519_531_25e-1;
    const LN2_LO: f64 = 1.428_606_820_309_417_232_12e-6;
    const P: [f64; 3] = [
        1.261_771_930_748_105_908_78e-4,
        3.029_944_077_074_419_613_00e-2,
        9.999_999_999_999_999_999_10e-1,
    ];
    const Q: [f64; 4] = [
        3.001_985_051_386_644_550_42e-6,
        2.524_483_403_496_841_041_92e-3,
        2.272_655_482_081_550_287_66e-1,
        2.000_000_000_000_000_000_09,
    ];
    let shifted = t * LOG2_E + MAGIC;
    let k = shifted - MAGIC;
    let r = (t - k * LN2_HI) - k * LN2_LO;
    let rr = r * r;
    let p = r * ((P[0] * rr + P[1]) * rr + P[2]);
    let q = ((Q[0] * rr + Q[1]) * rr + Q[2]) * rr + Q[3];
    let k_bits = shifted.to_bits().wrapping_sub(MAGIC.to_bits());
    let scale = f64::from_bits(k_bits.wrapping_add(1023) << 52);
    (scale, p, q)
}

/// e^x, branch-free, within a few ulp of `f64::exp`; NaN stays NaN, and
/// arguments beyond [−708, 709] are clamped (e^709 ≈ 8e307 still fits an f64).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // Comparisons are false for NaN, so NaN is never clamped away.
    let t = if x > 709.0 { 709.0 } else { x };
    let t = if t < -708.0 { -708.0 } else { t };
    let (scale, p, q) = exp_split(t);
    scale * (q + p) / (q - p)
}

/// The logistic sigmoid 1 / (1 + e^(−x)) = (q − p) / ((q − p) + 2^k(q + p)),
/// one division.
#[inline(always)]
pub fn sigmoid(x: f64) -> f64 {
    let t = if -x > 709.0 { 709.0 } else { -x };
    let t = if t < -708.0 { -708.0 } else { t };
    let (scale, p, q) = exp_split(t);
    (q - p) / ((q - p) + scale * (q + p))
}

/// tanh x = (e^(2|x|) − 1) / (e^(2|x|) + 1), with the sign of x.
///
/// With e^a = 2^k(q+p)/(q−p) this is N / (N + 2(q−p)), N = (2^k−1)(q−p) + 2^k·2p:
/// one division, and for k = 0 it is p/q, so small arguments keep full
/// relative precision (tanh 0 = 0 exactly). |x| > 20 gives ±1, as tanh rounds there.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let a = 2.0 * x.abs();
    let a = if a > 40.0 { 40.0 } else { a };
    let (scale, p, q) = exp_split(a);
    let n = (scale - 1.0) * (q - p) + scale * (2.0 * p);
    (n / (n + 2.0 * (q - p))).copysign(x)
}

/// Applies f in place, dispatching to an AVX2 build of the same loop where
/// the CPU has it: identical IEEE operations in the same order (Rust never
/// fuses a multiply-add on its own), so results are the same bits, 8 or 4
/// lanes at a time instead of 2.
fn apply_slice_dispatch(act: Activation, zs: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU supports AVX-512F, checked just above.
        unsafe { apply_slice_avx512(act, zs) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        unsafe { apply_slice_avx2(act, zs) };
        return;
    }
    apply_slice_portable(act, zs);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn apply_slice_avx2(act: Activation, zs: &mut [f64]) {
    apply_slice_portable(act, zs);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn apply_slice_avx512(act: Activation, zs: &mut [f64]) {
    apply_slice_portable(act, zs);
}

#[inline(always)]
fn apply_slice_portable(act: Activation, zs: &mut [f64]) {
    match act {
        Activation::Identity => {}
        Activation::Sigmoid => zs.iter_mut().for_each(|z| *z = sigmoid(*z)),
        Activation::Tanh => zs.iter_mut().for_each(|z| *z = tanh(*z)),
        Activation::Relu => zs
            .iter_mut()
            .for_each(|z| *z = if *z < 0.0 { 0.0 } else { *z }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Largest error in units of the reference's magnitude over a dense grid.
    fn max_rel_err(f: fn(f64) -> f64, reference: fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
        (0..=200_000)
            .map(|i| lo + (hi - lo) * i as f64 / 200_000.0)
            .map(|x| {
                let (got, want) = (f(x), reference(x));
                if want == 0.0 {
                    got.abs()
                } else {
                    ((got - want) / want).abs()
                }
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn fast_exp_and_tanh_are_within_a_few_ulp_of_libm() {
        // 4 ulp of relative error: far below what a gradient check can see.
        let ulp4 = 4.0 * f64::EPSILON;
        assert!(max_rel_err(exp, f64::exp, -700.0, 700.0) < ulp4);
        assert!(max_rel_err(tanh, f64::tanh, -25.0, 25.0) < ulp4);
        assert!(max_rel_err(tanh, f64::tanh, -1e-6, 1e-6) < ulp4);
        assert!(max_rel_err(sigmoid, |x| 1.0 / (1.0 + (-x).exp()), -700.0, 700.0) < ulp4);
    }

    #[test]
    fn vector_paths_give_the_same_bits_as_the_scalar_functions() {
        let xs: Vec<f64> = (0..1003).map(|i| (i as f64 - 501.0) * 0.037).collect();
        for act in [Activation::Sigmoid, Activation::Tanh, Activation::Relu] {
            let mut v = xs.clone();
            act.apply_slice(&mut v);
            for (&x, &y) in xs.iter().zip(&v) {
                assert_eq!(y.to_bits(), act.apply(x).to_bits(), "{act:?}({x})");
            }
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(tanh(0.0), 0.0);
        assert_eq!(sigmoid(0.0), 0.5);
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(tanh(f64::INFINITY), 1.0);
        assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
        let tiny = sigmoid(f64::NEG_INFINITY);
        assert!(tiny > 0.0 && tiny < 1e-307);
        assert_eq!(sigmoid(f64::INFINITY), 1.0);
        assert!(tanh(f64::NAN).is_nan());
        assert!(sigmoid(f64::NAN).is_nan());
        assert!(Activation::Relu.apply(f64::NAN).is_nan());
    }
}
