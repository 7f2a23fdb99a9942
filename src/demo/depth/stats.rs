//! One-layer statistics of the `depth` kind, robust to tiny and huge values.

use super::Activation;

/// What the forward pass measures on one layer's outputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerStats {
    /// Std over all samples × units.
    pub std: f64,
    /// Share of saturated units (see [`Activation::saturated`]).
    pub saturated: f64,
    pub max_abs: f64,
    /// False if any output was NaN/∞.
    pub finite: bool,
}

/// Statistics of one row block of a layer, combinable across blocks (so
/// each thread measures the rows it computed).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Partial {
    n: f64,
    mean: f64,
    /// Σ (x − mean)² divided by scale², so 1e±160 values neither overflow
    /// nor underflow when squared.
    m2: f64,
    scale: f64,
    saturated: usize,
    max_abs: f64,
    finite: bool,
}

impl Partial {
    /// Two passes over h (a block of outputs, flattened): the shift x0 = h[0]
    /// and scale max|x − x0|, then Σd and Σd² of d = (x − x0)/scale. Shifting
    /// by a sample keeps E[d²] − E[d]² from cancelling (sigmoid outputs sit
    /// at 0.5 ± 1e-9 with a small init).
    pub fn measure(h: &[f64], activation: Activation) -> Partial {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just detected at run time.
            return unsafe { Partial::measure_avx2(h, activation) };
        }
        Partial::measure_portable(h, activation)
    }

    /// The same loops in 4-wide lanes (see [`Activation::forward`]).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn measure_avx2(h: &[f64], activation: Activation) -> Partial {
        Partial::measure_portable(h, activation)
    }

    #[inline(always)]
    fn measure_portable(h: &[f64], activation: Activation) -> Partial {
        let Some(&x0) = h.first() else {
            return Partial {
                finite: true,
                ..Partial::default()
            };
        };
        let scale = reduce(h, 0.0, |v| (v - x0).abs(), f64::max);
        let max_abs = reduce(h, 0.0, f64::abs, f64::max);
        let finite = reduce(h, 0.0, |v| if v.is_finite() { 0.0 } else { 1.0 }, f64::max) == 0.0;
        let saturated = match activation {
            Activation::Tanh => count(h, |v| v.abs() > 0.99),
            Activation::Relu => count(h, |v| v == 0.0),
            Activation::Sigmoid => count(h, |v| !(0.01..=0.99).contains(&v)),
        };
        let n = h.len() as f64;
        let (mean, m2) = if scale > 0.0 && scale.is_finite() {
            let inv = 1.0 / scale;
            let sd = reduce(h, 0.0, |v| (v - x0) * inv, |a, b| a + b);
            let sd2 = reduce(h, 0.0, |v| ((v - x0) * inv).powi(2), |a, b| a + b);
            (x0 + scale * sd / n, (sd2 - sd * sd / n).max(0.0))
        } else {
            (x0, 0.0)
        };
        Partial {
            n,
            mean,
            m2,
            scale,
            saturated,
            max_abs,
            finite,
        }
    }
}

impl LayerStats {
    /// Combines the blocks of one layer (Chan et al.'s pairwise update, in
    /// scaled form).
    pub fn combine(parts: &[Partial]) -> LayerStats {
        let n: f64 = parts.iter().map(|p| p.n).sum();
        let finite = parts.iter().all(|p| p.finite);
        let saturated = parts.iter().map(|p| p.saturated).sum::<usize>() as f64 / n.max(1.0);
        let max_abs = parts.iter().fold(0.0, |m, p| p.max_abs.max(m));
        let mean = parts.iter().map(|p| p.n * p.mean).sum::<f64>() / n.max(1.0);
        let big = parts
            .iter()
            .fold(0.0f64, |m, p| m.max(p.scale).max((p.mean - mean).abs()));
        let std = if !finite || !big.is_finite() {
            f64::INFINITY
        } else if big == 0.0 {
            0.0
        } else {
            let m2: f64 = parts
                .iter()
                .map(|p| (p.scale / big).powi(2) * p.m2 + p.n * ((p.mean - mean) / big).powi(2))
                .sum();
            big * (m2 / n).sqrt()
        };
        LayerStats {
            std,
            saturated,
            max_abs,
            finite,
        }
    }
}

/// Reduction in 8 independent lanes so the compiler can vectorize it
/// (a single f64 accumulator forces one add at a time).
#[inline(always)]
fn reduce(x: &[f64], init: f64, map: impl Fn(f64) -> f64, fold: impl Fn(f64, f64) -> f64) -> f64 {
    let mut acc = [init; 8];
    let chunks = x.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        for k in 0..8 {
            acc[k] = fold(acc[k], map(c[k]));
        }
    }
    let mut out = tail.iter().fold(init, |a, &v| fold(a, map(v)));
    for a in acc {
        out = fold(out, a);
    }
    out
}

#[inline(always)]
fn count(x: &[f64], pred: impl Fn(f64) -> bool) -> usize {
    x.iter().map(|&v| usize::from(pred(v))).sum()
}

/// Population std of x (one block, see [`Partial::measure`]).
pub fn std_of(x: &[f64]) -> f64 {
    LayerStats::combine(&[Partial::measure(x, Activation::Relu)]).std
}

/// √(mean over rows of ‖row‖²) for g: (rows, width) flattened, scaled like
/// [`std_of`] so it survives 1e±200 signals.
pub fn rms_row_norm(g: &[f64], width: usize) -> f64 {
    let rows = (g.len() / width.max(1)).max(1) as f64;
    let scale = reduce(g, 0.0, f64::abs, f64::max);
    if scale == 0.0 || !scale.is_finite() {
        return if scale == 0.0 { 0.0 } else { f64::INFINITY };
    }
    let inv = 1.0 / scale;
    let ss = reduce(g, 0.0, |v| (v * inv).powi(2), |a, b| a + b);
    scale * (ss / rows).sqrt()
}

/// Histogram of `h` over [lo, hi] as (bin centre, % of all values in the
/// bin); values outside the range count in the total but in no bin.
pub fn density(h: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<[f64; 2]> {
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for &v in h {
        let i = (v - lo) / width;
        if i >= 0.0 && v <= hi {
            counts[(i as usize).min(bins - 1)] += 1;
        }
    }
    let n = h.len().max(1) as f64;
    counts
        .iter()
        .enumerate()
        .map(|(i, &c)| [lo + (i as f64 + 0.5) * width, 100.0 * c as f64 / n])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn std_survives_extreme_scales_and_offsets() {
        let base = [1.0, -1.0, 2.0, -2.0];
        let exact = (10.0f64 / 4.0).sqrt();
        for scale in [1e-200, 1e-8, 1.0, 1e200] {
            let x: Vec<f64> = base.iter().map(|v| v * scale).collect();
            assert!((std_of(&x) / (exact * scale) - 1.0).abs() < 1e-14);
        }
        let x: Vec<f64> = base.iter().map(|v| 0.5 + v * 1e-12).collect();
        assert!((std_of(&x) / (exact * 1e-12) - 1.0).abs() < 1e-3);
    }

    #[test]
    fn blocks_combine_to_the_whole() {
        let x: Vec<f64> = (0..1001)
            .map(|i| ((i * 7919) % 1000) as f64 * 1e-3 - 0.2)
            .collect();
        let whole = LayerStats::combine(&[Partial::measure(&x, Activation::Tanh)]);
        let (a, b) = x.split_at(333);
        let parts = LayerStats::combine(&[
            Partial::measure(a, Activation::Tanh),
            Partial::measure(b, Activation::Tanh),
        ]);
        assert!((whole.std / parts.std - 1.0).abs() < 1e-13);
        assert_eq!(
            (whole.saturated, whole.max_abs),
            (parts.saturated, parts.max_abs)
        );
        let mean = x.iter().sum::<f64>() / 1001.0;
        let direct = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 1001.0).sqrt();
        assert!((whole.std / direct - 1.0).abs() < 1e-13);
        let bad = [1.0, f64::NAN];
        assert!(!LayerStats::combine(&[Partial::measure(&bad, Activation::Tanh)]).finite);
    }

    #[test]
    fn row_norm_is_rms_over_rows() {
        // Rows (3, 4) and (0, 0): norms 5 and 0, RMS √12.5.
        let g = [3.0, 4.0, 0.0, 0.0];
        assert!((rms_row_norm(&g, 2) - 12.5f64.sqrt()).abs() < 1e-14);
        assert!(
            (rms_row_norm(&g.map(|v| v * 1e250), 2) / (12.5f64.sqrt() * 1e250) - 1.0).abs() < 1e-14
        );
    }

    #[test]
    fn density_shares_sum_to_the_covered_part() {
        let h = [-1.0, -0.5, 0.0, 0.5, 1.0, 2.0];
        let d = density(&h, -1.0, 1.0, 4);
        let total: f64 = d.iter().map(|p| p[1]).sum();
        assert!((total - 500.0 / 6.0).abs() < 1e-12);
        assert_eq!(d[0][0], -0.75);
    }
}
