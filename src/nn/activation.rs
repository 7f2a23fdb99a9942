//! Hidden-layer activations and their derivatives, plus a fast, accurate `exp`
//! and `tanh` that the compiler can vectorize.
//!
//! The first four (identity, sigmoid, tanh, relu) have derivatives written in
//! terms of the activation's *output* y = f(z), so a backward pass needs only
//! the cached outputs: sigmoid' = y(1−y), tanh' = 1−y², relu' = [y > 0],
//! identity' = 1. GELU is not monotone, so z cannot be recovered from y, and
//! ELU's and softplus' slopes lose precision when taken from y; for every
//! activation [`Activation::derivative`] takes z (and y, for the first four).
//!
//! Why not `f64::tanh`: it calls libm (≈ 15 ns per element, never
//! vectorized), which made tanh the largest cost of a training step. The
//! versions here are branch-free (selects, not jumps), accurate to a few ulp,
//! and keep NaN as NaN so divergence is still detected. The newer activations
//! call `exp_m1`, `ln_1p` and `erfc`, scalar but accurate to about an ulp.

use std::f64::consts::{FRAC_1_SQRT_2, LOG2_E};

/// Negative-side slope of leaky ReLU, PyTorch's `nn.LeakyReLU` default `negative_slope`.
pub const LEAKY_RELU_SLOPE: f64 = 0.01;

/// α of ELU, PyTorch's `nn.ELU` default: the value f approaches as z → −∞ is −α.
pub const ELU_ALPHA: f64 = 1.0;

/// Above this z softplus returns z itself, PyTorch's `nn.Softplus` default
/// `threshold` (β = 1): log(1 + e^z) − z < 2.1e-9 there.
pub const SOFTPLUS_THRESHOLD: f64 = 20.0;

/// 1/√(2π), the standard normal density at 0.
#[allow(clippy::excessive_precision)]
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_677_939_946_059_934_4;

/// A hidden layer's non-linearity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// f(z) = z: stacking such layers is still one linear map. Also named `linear`.
    Identity,
    /// f(z) = 1 / (1 + e^(−z)), outputs in (0, 1); f(0) = 0.5.
    Sigmoid,
    /// f(z) = tanh z, outputs in (−1, 1); f(0) = 0.
    Tanh,
    /// f(z) = max(0, z) (Nair & Hinton 2010); derivative 0 at z = 0, as in PyTorch.
    Relu,
    /// f(z) = z for z > 0, 0.01·z otherwise (Maas et al. 2013, PyTorch's
    /// `nn.LeakyReLU()`); f'(0) = 0.01, as in PyTorch's backward.
    ///
    /// A negative input keeps a small gradient, so a unit cannot die the way
    /// a ReLU unit whose inputs are all negative does.
    LeakyRelu,
    /// f(z) = z for z > 0, α(e^z − 1) otherwise, α = 1 (Clevert et al. 2016,
    /// "Fast and accurate deep network learning by exponential linear units",
    /// PyTorch's `nn.ELU()`); f'(z) = 1 for z > 0, α·e^z otherwise.
    ///
    /// Smooth at 0 (for α = 1) and saturating at −α, which pushes mean
    /// activations toward 0. `exp_m1` keeps full precision near z = 0.
    Elu,
    /// f(z) = z·Φ(z) = z·½(1 + erf(z/√2)), Φ the standard normal CDF
    /// (Hendrycks & Gimpel 2016, PyTorch's `nn.GELU()`, `approximate='none'`);
    /// f'(z) = Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π).
    ///
    /// Φ is computed as ½·erfc(−z/√2), equal to the erf form but without its
    /// cancellation for negative z. erfc is libm's (Sun's fdlibm algorithm,
    /// < 1 ulp). f(−∞) is its limit 0, not −∞·0.
    Gelu,
    /// f(z) = log(1 + e^z), and f(z) = z for z > 20 (PyTorch's `nn.Softplus()`,
    /// β = 1, threshold 20); f'(z) = σ(z), and 1 for z > 20.
    ///
    /// A smooth ReLU. The threshold is PyTorch's, kept so values match it;
    /// it makes f jump by 2.1e-9 at z = 20.
    Softplus,
}

/// The names lesson files may use for an activation (`linear` is `identity`).
pub const ACTIVATION_NAMES: &[&str] = &[
    "identity",
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "gelu",
    "softplus",
];

impl Activation {
    /// Every activation, in declaration order.
    pub const ALL: [Activation; 8] = [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Elu,
        Activation::Gelu,
        Activation::Softplus,
    ];

    /// The activation named as in lesson files (one of [`ACTIVATION_NAMES`]).
    pub fn from_name(name: &str) -> Option<Activation> {
        Some(match name {
            "identity" | "linear" => Activation::Identity,
            "sigmoid" => Activation::Sigmoid,
            "tanh" => Activation::Tanh,
            "relu" => Activation::Relu,
            "leaky_relu" => Activation::LeakyRelu,
            "elu" => Activation::Elu,
            "gelu" => Activation::Gelu,
            "softplus" => Activation::Softplus,
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
            Activation::LeakyRelu => "leaky_relu",
            Activation::Elu => "elu",
            Activation::Gelu => "gelu",
            Activation::Softplus => "softplus",
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
            Activation::LeakyRelu => leaky_relu(z),
            Activation::Elu => elu(z),
            Activation::Gelu => gelu(z),
            Activation::Softplus => softplus(z),
        }
    }

    /// Applies f in place to a contiguous buffer (the hot loop: one match, then
    /// a branch-free body the compiler vectorizes).
    pub fn apply_slice(self, zs: &mut [f64]) {
        apply_slice_dispatch(self, zs);
    }

    /// Whether f'(z) needs z itself: true for ELU, GELU and softplus, whose
    /// [`Activation::derivative_from_output`] is NaN.
    pub fn derivative_needs_input(self) -> bool {
        matches!(
            self,
            Activation::Elu | Activation::Gelu | Activation::Softplus
        )
    }

    /// f'(z) expressed through y = f(z), for the activations whose slope is a
    /// function of the output (all but ELU, GELU and softplus, which give NaN:
    /// use [`Activation::derivative`]).
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
            // y has the sign of z.
            Activation::LeakyRelu => leaky_relu_derivative(y),
            Activation::Elu | Activation::Gelu | Activation::Softplus => f64::NAN,
        }
    }

    /// f'(z) for the pre-activation z and the output y = f(z). The first four
    /// and leaky ReLU use y (the same bits as [`Activation::derivative_from_output`]),
    /// the others z.
    pub fn derivative(self, z: f64, y: f64) -> f64 {
        match self {
            Activation::Elu => elu_derivative(z),
            Activation::Gelu => gelu_derivative(z),
            Activation::Softplus => softplus_derivative(z),
            _ => self.derivative_from_output(y),
        }
    }

    /// Multiplies each `grad` by f'(z) given the outputs `ys`, in place; NaN
    /// for ELU, GELU and softplus (see [`Activation::backprop_slice_z`]).
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
            _ => grad
                .iter_mut()
                .zip(ys)
                .for_each(|(g, &y)| *g *= self.derivative_from_output(y)),
        }
    }

    /// Multiplies each `grad` by f'(z) given the pre-activations `zs` and the
    /// outputs `ys` = f(zs), in place; right for every activation, and for
    /// the first four the same bits as [`Activation::backprop_slice`].
    /// grad, zs, ys: same length (a layer's (n_samples × width) buffer, flattened).
    pub fn backprop_slice_z(self, grad: &mut [f64], zs: &[f64], ys: &[f64]) {
        if !self.derivative_needs_input() {
            return self.backprop_slice(grad, ys);
        }
        grad.iter_mut()
            .zip(zs)
            .for_each(|(g, &z)| *g *= self.derivative(z, f64::NAN));
    }
}

/// Leaky ReLU, PyTorch's `x > 0 ? x : x·slope` (NaN stays NaN).
#[inline(always)]
fn leaky_relu(z: f64) -> f64 {
    if z > 0.0 { z } else { LEAKY_RELU_SLOPE * z }
}

/// Leaky ReLU's slope at z (or at y, which has z's sign): the negative slope at 0.
#[inline(always)]
fn leaky_relu_derivative(z: f64) -> f64 {
    if z > 0.0 { 1.0 } else { LEAKY_RELU_SLOPE }
}

/// ELU with α = 1; e^z − 1 as `exp_m1`, exact to an ulp near 0.
#[inline(always)]
fn elu(z: f64) -> f64 {
    if z > 0.0 { z } else { ELU_ALPHA * z.exp_m1() }
}

/// ELU's slope α·e^z for z ≤ 0, else 1 (NaN stays NaN).
#[inline(always)]
fn elu_derivative(z: f64) -> f64 {
    if z > 0.0 { 1.0 } else { ELU_ALPHA * z.exp() }
}

/// Φ(z) = ½·erfc(−z/√2), the standard normal CDF.
#[inline(always)]
fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z * FRAC_1_SQRT_2)
}

/// GELU z·Φ(z); Φ underflows to 0 below z ≈ −38.5, and there f is −0
/// (z·0), which also gives f(−∞) its limit instead of −∞·0 = NaN.
#[inline(always)]
fn gelu(z: f64) -> f64 {
    let cdf = normal_cdf(z);
    if cdf == 0.0 { -0.0 } else { z * cdf }
}

/// GELU's slope Φ(z) + z·φ(z); where φ underflows (|z| > 38.6, and ±∞) the
/// second term is 0, not ±∞·0.
#[inline(always)]
fn gelu_derivative(z: f64) -> f64 {
    let pdf = FRAC_1_SQRT_2PI * (-0.5 * z * z).exp();
    let cdf = normal_cdf(z);
    if pdf == 0.0 { cdf } else { cdf + z * pdf }
}

/// Softplus log(1 + e^z) (as `ln_1p`, exact for tiny e^z), or z above the threshold.
#[inline(always)]
fn softplus(z: f64) -> f64 {
    if z > SOFTPLUS_THRESHOLD {
        z
    } else {
        z.exp().ln_1p()
    }
}

/// Softplus' slope σ(z), or 1 above the threshold (PyTorch's backward).
#[inline(always)]
fn softplus_derivative(z: f64) -> f64 {
    if z > SOFTPLUS_THRESHOLD {
        1.0
    } else {
        sigmoid(z)
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
        Activation::LeakyRelu => zs.iter_mut().for_each(|z| *z = leaky_relu(*z)),
        Activation::Elu => zs.iter_mut().for_each(|z| *z = elu(*z)),
        Activation::Gelu => zs.iter_mut().for_each(|z| *z = gelu(*z)),
        Activation::Softplus => zs.iter_mut().for_each(|z| *z = softplus(*z)),
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
        for act in Activation::ALL {
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

    /// erf(x) = (2/√π) Σₙ (−1)ⁿ x^(2n+1) / (n!(2n+1)), summed until the terms
    /// vanish: a reference independent of libm's rational approximations,
    /// good to ~1e-15 for |x| ≤ 2 (the largest term is < 3, so little cancels).
    fn erf_series(x: f64) -> f64 {
        let (mut term, mut sum, mut n) = (x, x, 0.0);
        while term.abs() > 1e-18 * sum.abs() {
            n += 1.0;
            term *= -x * x / n;
            sum += term / (2.0 * n + 1.0);
        }
        std::f64::consts::FRAC_2_SQRT_PI * sum
    }

    #[test]
    fn libm_erf_matches_its_series_and_published_values() {
        for i in -200..=200 {
            let x = f64::from(i) / 100.0;
            let want = erf_series(x);
            assert!(
                (libm::erf(x) - want).abs() <= 2e-15 * want.abs().max(1e-300),
                "erf({x})"
            );
            assert!((libm::erfc(x) - (1.0 - want)).abs() <= 2e-15, "erfc({x})");
        }
        // erfc in the tail, where 1 − erf has no digits left (published values,
        // rounded to the nearest f64).
        let tail = [
            (3.0, 2.209_049_699_858_544e-5),
            (5.0, 1.537_459_794_428_035e-12),
            (10.0, 2.088_487_583_762_545e-45),
        ];
        for (x, want) in tail {
            assert!((libm::erfc(x) - want).abs() <= 4e-16 * want, "erfc({x})");
        }
    }

    /// Φ(x) = ½(1 + erf(x/√2)) from the series, for |x| ≤ 2√2.
    fn normal_cdf_series(x: f64) -> f64 {
        0.5 * (1.0 + erf_series(x / std::f64::consts::SQRT_2))
    }

    fn close(got: f64, want: f64, rel: f64) -> bool {
        got == want || (got - want).abs() <= rel * want.abs()
    }

    #[test]
    fn new_activations_match_their_formulas() {
        let points = [-2.5, -1.0, -0.3, -1e-3, 1e-3, 0.3, 1.0, 2.5];
        for z in points {
            let leaky = if z > 0.0 { z } else { 0.01 * z };
            assert_eq!(Activation::LeakyRelu.apply(z), leaky);
            // e^z − 1 is exact enough away from 0 (|z| ≥ 1e-3 loses < 1e-13).
            let elu = if z > 0.0 { z } else { z.exp() - 1.0 };
            assert!(close(Activation::Elu.apply(z), elu, 1e-12), "elu({z})");
            // 1 + erf(z/√2) cancels for z < 0: the reference holds ~2e-15/Φ(z).
            let cdf = normal_cdf_series(z);
            assert!(
                close(Activation::Gelu.apply(z), z * cdf, 2e-15 / cdf),
                "gelu({z})"
            );
            let softplus = (1.0 + z.exp()).ln();
            assert!(
                close(Activation::Softplus.apply(z), softplus, 4e-15),
                "softplus({z})"
            );

            let pdf = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
            let slopes = [
                (Activation::LeakyRelu, if z > 0.0 { 1.0 } else { 0.01 }),
                (Activation::Elu, if z > 0.0 { 1.0 } else { z.exp() }),
                (Activation::Gelu, cdf + z * pdf),
                (Activation::Softplus, 1.0 / (1.0 + (-z).exp())),
            ];
            for (act, want) in slopes {
                let got = act.derivative(z, act.apply(z));
                // GELU's slope crosses 0 near z = −0.75, so there its terms cancel.
                let tol = if act == Activation::Gelu {
                    2e-15 / want.abs()
                } else {
                    1e-13
                };
                assert!(close(got, want, tol), "{act:?}'({z}) = {got}, want {want}");
            }
        }
        // Near 0, from the Taylor series: elu(z) = z + z²/2 + …, gelu(z) = z/2 + z²/√(2π) + …,
        // softplus(z) = ln 2 + z/2 + z²/8 + …
        let z = -1e-10;
        assert!(close(Activation::Elu.apply(z), z + z * z / 2.0, 1e-15));
        assert!(close(
            Activation::Gelu.apply(z),
            z / 2.0 + z * z * FRAC_1_SQRT_2PI,
            1e-15
        ));
        let ln2 = std::f64::consts::LN_2;
        assert!(close(Activation::Softplus.apply(z), ln2 + z / 2.0, 1e-15));
        // Published Φ values: Φ(1) = 0.841344746068542948…, Φ(−3) = 0.001349898031630094…,
        // Φ(−10) = 7.619853024160526e-24 (where 1 + erf(−10/√2) is 0). Rounding z/√2
        // costs up to 2x²·ε relative in erfc(x), so the bounds widen with |z|.
        assert!(close(
            Activation::Gelu.apply(1.0),
            0.841_344_746_068_542_9,
            1e-15
        ));
        assert!(close(
            Activation::Gelu.apply(-3.0),
            -3.0 * 0.001_349_898_031_630_094_5,
            3e-15
        ));
        assert!(close(
            Activation::Gelu.apply(-10.0),
            -7.619_853_024_160_526e-23,
            3e-14
        ));
        // Softplus' threshold: log(1 + e^z) at and below 20, z above it.
        let at_20 = 20.0 + (-20.0f64).exp() - (-40.0f64).exp() / 2.0;
        assert!(close(Activation::Softplus.apply(20.0), at_20, 1e-16));
        assert_eq!(Activation::Softplus.apply(20.5), 20.5);
        assert_eq!(Activation::Softplus.derivative(20.5, 20.5), 1.0);
        // e^−50 − e^−100/2: ln(1 + x) for x far below an ulp of 1.
        let x = (-50.0f64).exp();
        assert!(close(
            Activation::Softplus.apply(-50.0),
            x - x * x / 2.0,
            1e-15
        ));
    }

    /// The slope of f at z by central differences, or by a one-sided
    /// difference from the left at the kink of relu and leaky relu, whose
    /// PyTorch derivative at 0 is the left slope. Near a kink (ELU's is in
    /// f'') the step is kept on one side of it.
    fn finite_difference(act: Activation, z: f64) -> (f64, f64) {
        let f = |z| act.apply(z);
        let kinked = matches!(
            act,
            Activation::Relu | Activation::LeakyRelu | Activation::Elu
        );
        if z == 0.0 && kinked {
            let h = 1e-8;
            return if act == Activation::Elu {
                ((f(h) - f(-h)) / (2.0 * h), h)
            } else {
                ((f(0.0) - f(-h)) / h, h)
            };
        }
        // A fixed step: a relative one is too coarse where f is exponential (tails).
        let mut h: f64 = 1e-5;
        if kinked && z != 0.0 {
            h = h.min(z.abs() / 2.0);
        }
        ((f(z + h) - f(z - h)) / (2.0 * h), h)
    }

    #[test]
    fn every_derivative_matches_finite_differences() {
        let mut grid = vec![0.0];
        for z in [
            1e-200, 1e-12, 1e-6, 1e-3, 0.1, 0.5, 0.7518, 1.0, 2.0, 3.7, 8.0, 19.0, 21.0, 30.0,
            100.0, 700.0,
        ] {
            grid.extend([z, -z]);
        }
        let mut worst = 0.0f64;
        for act in Activation::ALL {
            for &z in &grid {
                let y = act.apply(z);
                let slope = act.derivative(z, y);
                let (fd, h) = finite_difference(act, z);
                // Rounding in f(z ± h) limits what the difference can resolve.
                let noise =
                    8.0 * f64::EPSILON * act.apply(z + h).abs().max(act.apply(z - h).abs()) / h;
                let err = (fd - slope).abs();
                if noise < 1e-9 * slope.abs() {
                    let rel = err / slope.abs();
                    worst = worst.max(rel);
                    assert!(
                        rel < 1e-7,
                        "{act:?}'({z}) = {slope}, finite difference {fd}"
                    );
                } else {
                    assert!(
                        err <= noise + 1e-7 * slope.abs(),
                        "{act:?}'({z}) = {slope}, fd {fd}"
                    );
                }
                if !act.derivative_needs_input() {
                    assert_eq!(slope, act.derivative_from_output(y), "{act:?} at {z}");
                } else {
                    assert!(act.derivative_from_output(y).is_nan());
                }
            }
        }
        eprintln!("largest finite-difference relative error of an activation slope: {worst:.2e}");
    }

    #[test]
    fn slice_backprop_matches_the_scalar_derivative() {
        let zs: Vec<f64> = (0..97).map(|i| (i as f64 - 48.0) * 0.173).collect();
        let grad: Vec<f64> = (0..97).map(|i| 1.0 + (i % 7) as f64 * 0.25).collect();
        for act in Activation::ALL {
            let mut ys = zs.clone();
            act.apply_slice(&mut ys);
            let mut g = grad.clone();
            act.backprop_slice_z(&mut g, &zs, &ys);
            for i in 0..zs.len() {
                let want = grad[i] * act.derivative(zs[i], ys[i]);
                assert_eq!(g[i].to_bits(), want.to_bits(), "{act:?} at {}", zs[i]);
            }
            if !act.derivative_needs_input() {
                let mut old = grad.clone();
                act.backprop_slice(&mut old, &ys);
                assert_eq!(old, g, "{act:?}");
            }
        }
    }

    #[test]
    fn new_activations_keep_nan_and_take_limits_at_infinity() {
        for act in Activation::ALL {
            assert!(act.apply(f64::NAN).is_nan(), "{act:?}");
            if act.derivative_needs_input() {
                assert!(act.derivative(f64::NAN, f64::NAN).is_nan(), "{act:?}");
            }
        }
        let inf = f64::INFINITY;
        let cases = [
            (Activation::LeakyRelu, inf, -inf, 1.0, 0.01),
            (Activation::Elu, inf, -1.0, 1.0, 0.0),
            (Activation::Gelu, inf, 0.0, 1.0, 0.0),
            (Activation::Softplus, inf, 0.0, 1.0, 0.0),
        ];
        for (act, f_pos, f_neg, d_pos, d_neg) in cases {
            assert_eq!(act.apply(inf), f_pos, "{act:?}(∞)");
            assert_eq!(act.apply(-inf), f_neg, "{act:?}(−∞)");
            assert_eq!(act.derivative(inf, act.apply(inf)), d_pos, "{act:?}'(∞)");
            // σ(−∞), softplus' slope there, is sigmoid's smallest value 1.2e-308.
            let d = act.derivative(-inf, act.apply(-inf));
            assert!((d - d_neg).abs() < 1e-300, "{act:?}'(−∞) = {d}");
        }
    }

    #[test]
    fn names_round_trip_and_linear_is_identity() {
        for act in Activation::ALL {
            assert_eq!(Activation::from_name(act.name()), Some(act));
            assert!(ACTIVATION_NAMES.contains(&act.name()));
        }
        for name in ACTIVATION_NAMES {
            assert!(Activation::from_name(name).is_some(), "{name}");
        }
        assert_eq!(Activation::from_name("linear"), Some(Activation::Identity));
        assert_eq!(Activation::from_name("swish"), None);
    }
}
