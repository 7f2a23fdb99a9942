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

impl LayerStats {
    /// h: one layer's outputs, (samples × width) flattened.
    pub fn measure(h: &[f64], activation: Activation) -> LayerStats {
        let mut sat = 0usize;
        let mut max_abs = 0.0f64;
        let mut finite = true;
        for &v in h {
            sat += usize::from(activation.saturated(v));
            max_abs = max_abs.max(v.abs());
            finite &= v.is_finite();
        }
        LayerStats {
            std: std_of(h),
            saturated: sat as f64 / h.len().max(1) as f64,
            max_abs,
            finite,
        }
    }
}

/// Population std in two passes (mean, then scaled squared deviations).
///
/// Two passes because sigmoid outputs sit at 0.5 ± 1e-9 with a small init,
/// where E[x²] − E[x]² cancels every digit; the deviations are divided by the
/// largest one first so 1e-160 or 1e+160 activations neither underflow nor
/// overflow when squared.
pub fn std_of(x: &[f64]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let scale = x.iter().fold(0.0f64, |m, v| m.max((v - mean).abs()));
    if scale == 0.0 || !scale.is_finite() {
        return if scale == 0.0 { 0.0 } else { f64::INFINITY };
    }
    let inv = 1.0 / scale;
    let ss: f64 = x.iter().map(|v| ((v - mean) * inv).powi(2)).sum();
    scale * (ss / n).sqrt()
}

/// √(mean over rows of ‖row‖²) for g: (rows, width) flattened, scaled like
/// [`std_of`] so it survives 1e±200 signals.
pub fn rms_row_norm(g: &[f64], width: usize) -> f64 {
    let rows = (g.len() / width.max(1)).max(1) as f64;
    let scale = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if scale == 0.0 || !scale.is_finite() {
        return if scale == 0.0 { 0.0 } else { f64::INFINITY };
    }
    let inv = 1.0 / scale;
    let ss: f64 = g.iter().map(|v| (v * inv).powi(2)).sum();
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
