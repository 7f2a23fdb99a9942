//! Activations of the `depth` kind, evaluated in place over whole layers.
//!
//! `f64::tanh` goes to libm at ≈ 15 ns per element, which alone would spend
//! ≈ 40 ms on 10 layers × 256 units × 1000 inputs. These versions are
//! branch-free (selects, no calls), so the compiler vectorizes the loops, and
//! accurate to a few ulp: plenty for statistics, and the tests compare them
//! against libm.

/// The hidden-layer nonlinearity of the deep stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Tanh,
    Relu,
    Sigmoid,
}

impl Activation {
    pub fn parse(name: &str) -> Activation {
        match name {
            "relu" => Activation::Relu,
            "sigmoid" => Activation::Sigmoid,
            _ => Activation::Tanh,
        }
    }

    /// PyTorch's `calculate_gain`: 5/3 for tanh, √2 for relu, 1 for sigmoid.
    pub fn gain(self) -> f64 {
        match self {
            Activation::Tanh => 5.0 / 3.0,
            Activation::Relu => std::f64::consts::SQRT_2,
            Activation::Sigmoid => 1.0,
        }
    }

    /// Replaces every pre-activation in `z` by its activation.
    ///
    /// On x86-64 with AVX2 the same loop is compiled a second time for
    /// 4-wide lanes (the default target only assumes 2-wide SSE2). No FMA is
    /// enabled, so both versions round identically and results do not depend
    /// on the machine.
    pub fn forward(self, z: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just detected at run time.
            unsafe { self.forward_avx2(z) };
            return;
        }
        self.forward_portable(z);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn forward_avx2(self, z: &mut [f64]) {
        self.forward_portable(z);
    }

    #[inline(always)]
    fn forward_portable(self, z: &mut [f64]) {
        match self {
            Activation::Tanh => z.iter_mut().for_each(|v| *v = tanh(*v)),
            Activation::Relu => z.iter_mut().for_each(|v| *v = v.max(0.0)),
            Activation::Sigmoid => z.iter_mut().for_each(|v| *v = sigmoid(*v)),
        }
    }

    /// `g ← g ⊙ f'(z)`, with the derivative written in terms of the output
    /// `h = f(z)` so the forward pass need not keep `z`.
    pub fn backward(self, h: &[f64], g: &mut [f64]) {
        let pairs = g.iter_mut().zip(h);
        match self {
            Activation::Tanh => pairs.for_each(|(g, &h)| *g *= 1.0 - h * h),
            Activation::Relu => pairs.for_each(|(g, &h)| *g = if h > 0.0 { *g } else { 0.0 }),
            Activation::Sigmoid => pairs.for_each(|(g, &h)| *g *= h * (1.0 - h)),
        }
    }

    /// Whether an output counts as saturated: |tanh| > 0.99, sigmoid < 0.01
    /// or > 0.99 (local slope below 2 % of its peak either way), or an exact
    /// relu zero (slope exactly 0).
    pub fn saturated(self, h: f64) -> bool {
        match self {
            Activation::Tanh => h.abs() > 0.99,
            Activation::Relu => h == 0.0,
            Activation::Sigmoid => !(0.01..=0.99).contains(&h),
        }
    }
}

/// e^x for x ≤ 0 (larger x are clamped to 0, smaller than −708 to −708).
///
/// x = k·ln2 + r with |r| ≤ ln2/2; e^r by its Taylor series to r¹³ (error
/// < 1e-17 relative); 2^k put straight into the exponent bits. The rounding
/// of k uses the 1.5·2⁵² trick, which works in plain SSE2 lanes.
#[inline(always)]
fn exp_neg(x: f64) -> f64 {
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    // ln 2 split as in fdlibm: LN2_HI has 32 trailing zero bits, so k·LN2_HI
    // is exact for every k used here.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    let x = x.clamp(-708.0, 0.0);
    let shifted = x * std::f64::consts::LOG2_E + SHIFT;
    let kf = shifted - SHIFT;
    let r = x - kf * LN2_HI - kf * LN2_LO;
    // Σ r^i/i! for i ≤ 13 by Estrin's scheme: pairs, then powers r², r⁴, r⁸.
    // Horner's 13 dependent steps made this loop latency-bound (≈ 3.5 ns
    // per element); the tree is 4 steps deep.
    const C: [f64; 14] = [
        1.0,
        1.0,
        0.5,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let pair = |i: usize| C[i] + C[i + 1] * r;
    let q0 = pair(0) + pair(2) * r2;
    let q1 = pair(4) + pair(6) * r2;
    let q2 = pair(8) + pair(10) * r2;
    let q3 = pair(12);
    let p = (q0 + q1 * r4) + (q2 + q3 * r4) * r8;
    // The low bits of `shifted` hold k in two's complement; k ≥ −1022 here.
    let k = shifted.to_bits() as i32 as i64;
    p * f64::from_bits(((k + 1023) as u64) << 52)
}

/// tanh(x) = sign(x)·(1 − t)/(1 + t) with t = e^{−2|x|}; below |x| = 0.08 its
/// odd Taylor polynomial to x¹¹ instead (truncation < 3e-16 relative there),
/// where 1 − t would cancel digits.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let a = x.abs();
    let t = exp_neg(-2.0 * a);
    let big = ((1.0 - t) / (1.0 + t)).copysign(x);
    let x2 = x * x;
    let x4 = x2 * x2;
    let low = 1.0 - x2 / 3.0;
    let mid = 2.0 / 15.0 - 17.0 / 315.0 * x2;
    let high = 62.0 / 2835.0 - 1382.0 / 155_925.0 * x2;
    let small = x * (low + x4 * (mid + x4 * high));
    if a < 0.08 { small } else { big }
}

/// σ(x) = 1/(1 + e^{−x}), computed from e^{−|x|} so it never overflows.
#[inline(always)]
pub fn sigmoid(x: f64) -> f64 {
    let t = exp_neg(-x.abs());
    let s = 1.0 / (1.0 + t);
    if x >= 0.0 { s } else { t * s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_functions_match_libm() {
        let mut x = -30.0;
        while x < 30.0 {
            let (t, tr) = (tanh(x), x.tanh());
            assert!((t - tr).abs() <= 1e-14 * tr.abs(), "tanh({x}): {t} vs {tr}");
            let (s, sr) = (sigmoid(x), 1.0 / (1.0 + (-x).exp()));
            assert!((s - sr).abs() <= 1e-14 * sr, "sigmoid({x}): {s} vs {sr}");
            x += 0.001_3;
        }
        for x in [1e-12, 1e-8, 0.079_999, 0.080_001, -1e-300] {
            assert!((tanh(x) - x.tanh()).abs() <= 1e-14 * x.abs());
        }
        assert_eq!(tanh(800.0), 1.0);
        assert_eq!(tanh(-800.0), -1.0);
        assert!(sigmoid(-800.0) < 1e-300);
        assert!(tanh(0.0) == 0.0 && sigmoid(0.0) == 0.5);
    }
}
