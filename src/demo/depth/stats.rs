//! One-layer statistics of the `depth` kind, robust to tiny and huge values.

use super::rows::{self, Rows, RowsView, RowsViewMut};
use crate::nn::Activation;

/// What the forward pass measures on one layer's outputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerStats {
    /// Std over all samples × units.
    pub std: f64,
    /// Share of saturated units (see [`Partial::measure`]).
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
    /// Statistics of h (a block of outputs, flattened), read in rows of
    /// `width` (see [`Partial::activate`]).
    pub fn measure(h: &[f64], width: usize, activation: Activation) -> Partial {
        let mut acc = Acc::new(h.first().copied());
        for row in h.chunks(width.max(1)) {
            acc.add(row, activation);
        }
        acc.finish()
    }

    /// Activates a block of scaled pre-activations and measures it.
    ///
    /// Row i of `z` holds the mantissas of a product whose row exponent is
    /// `exps_in[i] + shift`; each row is rebuilt in f64, activated, measured
    /// while it is still in L1, and stored back scaled, its exponent in
    /// `z.exps` (see [`super::rows`]). The first `slope.nrows()` rows also
    /// get f'(z), from the f64 outputs: after rounding to f32 a tanh output
    /// within 3e-8 of ±1 is ±1, and its slope, 1e-10 say, would read 0.
    ///
    /// Saturated outputs count where the local slope is below 2 % of its
    /// peak: |tanh| > 0.99, sigmoid < 0.01 or > 0.99; for relu, exact zeros
    /// (slope exactly 0).
    pub fn activate(
        z: RowsViewMut<'_>,
        slope: RowsViewMut<'_>,
        exps_in: &[i32],
        shift: i32,
        activation: Activation,
    ) -> Partial {
        let width = z.m.ncols().max(1);
        let (mut row, mut slope_row) = (vec![0.0; width], vec![0.0; width]);
        let mut acc: Option<Acc> = None;
        let m = z.m.into_slice().expect("row-major activations");
        let mut slopes = slope
            .m
            .into_slice()
            .unwrap_or_default()
            .chunks_mut(width)
            .zip(slope.exps);
        for ((mantissas, e), &e_in) in m.chunks_mut(width).zip(z.exps).zip(exps_in) {
            rows::load(mantissas, e_in.saturating_add(shift), &mut row);
            activation.apply_slice(&mut row);
            acc.get_or_insert_with(|| Acc::new(row.first().copied()))
                .add(&row, activation);
            if let Some((s, e_s)) = slopes.next() {
                slope_row.fill(1.0);
                activation.backprop_slice(&mut slope_row, &row);
                *e_s = rows::store(&slope_row, s);
            }
            *e = rows::store(&row, mantissas);
        }
        acc.unwrap_or_else(|| Acc::new(None)).finish()
    }
}

/// Running sums of one block, fed a row at a time.
///
/// Σd and Σd² of d = (x − x0)/scale: shifting by the block's first output
/// x0 keeps E[d²] − E[d]² from cancelling (sigmoid outputs sit at
/// 0.5 ± 1e-9 with a small init), and dividing by a power of two at least
/// max|x − x0| keeps 1e±160 values from overflowing or underflowing when
/// squared. The scale only grows, by powers of two, so rescaling the sums
/// is exact.
struct Acc {
    x0: f64,
    scale: f64,
    sd: f64,
    sd2: f64,
    n: usize,
    saturated: usize,
    max_abs: f64,
    finite: bool,
}

impl Acc {
    fn new(x0: Option<f64>) -> Acc {
        Acc {
            x0: x0.unwrap_or(0.0),
            scale: 0.0,
            sd: 0.0,
            sd2: 0.0,
            n: 0,
            saturated: 0,
            max_abs: 0.0,
            finite: true,
        }
    }

    #[inline(always)]
    fn add(&mut self, row: &[f64], activation: Activation) {
        let x0 = self.x0;
        self.n += row.len();
        self.saturated += match activation {
            Activation::Tanh => count(row, |v| v.abs() > 0.99),
            Activation::Relu => count(row, |v| v == 0.0),
            Activation::Sigmoid => count(row, |v| !(0.01..=0.99).contains(&v)),
            // Unsaturating, or not offered by this kind's schema.
            Activation::Identity
            | Activation::LeakyRelu
            | Activation::Elu
            | Activation::Gelu
            | Activation::Softplus => 0,
        };
        self.max_abs = self.max_abs.max(reduce(row, 0.0, f64::abs, max));
        if reduce(row, 0.0, |v| f64::from(u8::from(!v.is_finite())), max) != 0.0 {
            self.finite = false;
        }
        if !self.finite {
            return;
        }
        let spread = reduce(row, 0.0, |v| (v - x0).abs(), max);
        if spread > self.scale {
            let scale = pow2_above(spread);
            let r = self.scale / scale;
            self.sd *= r;
            self.sd2 *= r * r;
            self.scale = scale;
        }
        if self.scale > 0.0 {
            let inv = 1.0 / self.scale;
            self.sd += reduce(row, 0.0, |v| (v - x0) * inv, |a, b| a + b);
            self.sd2 += reduce(row, 0.0, |v| ((v - x0) * inv).powi(2), |a, b| a + b);
        }
    }

    fn finish(self) -> Partial {
        let n = self.n as f64;
        let (mean, m2) = if self.finite && self.scale > 0.0 {
            (
                self.x0 + self.scale * self.sd / n,
                (self.sd2 - self.sd * self.sd / n).max(0.0),
            )
        } else {
            (self.x0, 0.0)
        };
        Partial {
            n,
            mean,
            m2,
            scale: self.scale,
            saturated: self.saturated,
            max_abs: self.max_abs,
            finite: self.finite,
        }
    }
}

/// The smallest power of two above x (finite, > 0), capped at 2¹⁰²³.
fn pow2_above(x: f64) -> f64 {
    const EXP: u64 = 0x7ff0_0000_0000_0000;
    let bits = (x.to_bits() & EXP) + (1 << 52);
    f64::from_bits(bits.min(EXP - (1 << 52)))
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
pub fn reduce<T: Copy>(
    x: &[T],
    init: f64,
    map: impl Fn(T) -> f64,
    fold: impl Fn(f64, f64) -> f64,
) -> f64 {
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

/// The larger of a and b in one `maxpd`: `f64::max` skips NaN, which costs
/// a compare and a blend per lane in a chain that bounds the reductions'
/// speed. Here a NaN may or may not win; every caller checks finiteness
/// separately.
#[inline(always)]
pub fn max(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

#[inline(always)]
fn count(x: &[f64], pred: impl Fn(f64) -> bool) -> usize {
    x.iter().map(|&v| usize::from(pred(v))).sum()
}

/// Population std of x (one block, see [`Partial::measure`]).
pub fn std_of(x: &[f64]) -> f64 {
    LayerStats::combine(&[Partial::measure(x, 256, Activation::Identity)]).std
}

/// √(mean over rows of ‖row‖²) for g: (rows, width) flattened, scaled like
/// [`std_of`] so it survives 1e±200 signals.
pub fn rms_row_norm(g: &[f64], width: usize) -> f64 {
    let rows = (g.len() / width.max(1)).max(1) as f64;
    let scale = reduce(g, 0.0, f64::abs, max);
    if scale == 0.0 || !scale.is_finite() {
        return if scale == 0.0 { 0.0 } else { f64::INFINITY };
    }
    let inv = 1.0 / scale;
    let ss = reduce(g, 0.0, |v| (v * inv).powi(2), |a, b| a + b);
    scale * (ss / rows).sqrt()
}

/// [`rms_row_norm`] of scaled rows (see [`super::rows`]), ∞ if any entry
/// is beyond f64's range, as the f64 signal itself would have been.
pub fn rms_row_norm_scaled(g: RowsView<'_>) -> f64 {
    let n_rows = g.m.nrows().max(1) as f64;
    match row_norms_scaled(g) {
        Some(norms) => rms_of_norms(&norms, n_rows),
        None => f64::INFINITY,
    }
}

/// Each row's Euclidean norm as (r, t), standing for r·2^t with r in
/// [0.5, 1), or (0, 0) for a zero row; `None` if any entry is beyond f64's
/// range.
pub fn row_norms_scaled(g: RowsView<'_>) -> Option<Vec<(f64, i32)>> {
    let width = g.m.ncols().max(1);
    let m = g.m.to_slice().expect("row-major rows");
    let mut norms = Vec::with_capacity(g.m.nrows());
    for (row, &e) in m.chunks(width).zip(g.exps) {
        let largest = reduce(row, 0.0, |v: f32| f64::from(v.abs()), max);
        let norm = reduce(row, 0.0, |v: f32| f64::from(v).powi(2), |a, b| a + b).sqrt();
        if !norm.is_finite() || (largest > 0.0 && rows::exponent(largest).saturating_add(e) > 1024)
        {
            return None;
        }
        norms.push(if norm > 0.0 {
            let t = rows::exponent(norm);
            let (a, b) = rows::pow2(-t);
            (norm * a * b, e.saturating_add(t))
        } else {
            (0.0, 0)
        });
    }
    Some(norms)
}

/// √(Σ (r·2^t)² / n_rows) of norms held as (r, t) (see [`row_norms_scaled`]),
/// summed relative to the largest so that no term over- or underflows
/// before the result does.
pub fn rms_of_norms(norms: &[(f64, i32)], n_rows: f64) -> f64 {
    let Some(top) = norms.iter().filter(|n| n.0 > 0.0).map(|&(_, t)| t).max() else {
        return 0.0;
    };
    let sum: f64 = norms
        .iter()
        .map(|&(r, t)| {
            let (a, b) = rows::pow2((t - top).max(-1023) * 2);
            r * r * a * b
        })
        .sum();
    let (a, b) = rows::pow2(top);
    (sum / n_rows).sqrt() * a * b
}

/// Per-sample weight-gradient norm of a layer, RMS over samples:
/// ‖∂L_n/∂W‖_F = ‖h_n‖·‖δ_n‖ for the outer product h_n δ_nᵀ, from the rows'
/// norms as (r, t) pairs (products multiply mantissas, add exponents).
pub fn rms_outer_norm(h: &[(f64, i32)], delta: &[(f64, i32)]) -> f64 {
    let products: Vec<(f64, i32)> = h
        .iter()
        .zip(delta)
        .map(|(&(r1, t1), &(r2, t2))| (r1 * r2, t1.saturating_add(t2)))
        .collect();
    rms_of_norms(&products, products.len().max(1) as f64)
}

/// Histogram of `h` over [lo, hi] as (bin centre, % of all values in the
/// bin); values outside the range count in the total but in no bin.
pub fn density(h: &Rows, lo: f64, hi: f64, bins: usize) -> Vec<[f64; 2]> {
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    let cols = h.m.ncols().max(1);
    let mut row = vec![0.0; cols];
    let m = h.m.as_slice().expect("row-major activations");
    for (mantissas, &e) in m.chunks(cols).zip(&h.exps) {
        rows::load(mantissas, e, &mut row);
        for &v in &row {
            let i = (v - lo) / width;
            if i >= 0.0 && v <= hi {
                counts[(i as usize).min(bins - 1)] += 1;
            }
        }
    }
    let n = h.m.len().max(1) as f64;
    counts
        .iter()
        .enumerate()
        .map(|(i, &c)| [lo + (i as f64 + 0.5) * width, 100.0 * c as f64 / n])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use rows::load;

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
        let whole = LayerStats::combine(&[Partial::measure(&x, 7, Activation::Tanh)]);
        let (a, b) = x.split_at(333);
        let parts = LayerStats::combine(&[
            Partial::measure(a, 7, Activation::Tanh),
            Partial::measure(b, 7, Activation::Tanh),
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
        assert!(!LayerStats::combine(&[Partial::measure(&bad, 7, Activation::Tanh)]).finite);
    }

    /// The f64 values `r` stands for.
    fn values(r: &Rows) -> Array2<f64> {
        let mut out = Array2::zeros(r.m.raw_dim());
        for ((m, &e), mut row) in r.m.rows().into_iter().zip(&r.exps).zip(out.rows_mut()) {
            load(m.as_slice().unwrap(), e, row.as_slice_mut().unwrap());
        }
        out
    }

    #[test]
    fn activating_scaled_rows_measures_what_measuring_afterwards_does() {
        // z from −13 to 13: tanh(−13) is −1 in f32, yet its slope, 2e-11,
        // must be kept (the slopes are of the first 20 rows, z < −4.6).
        let z = Array2::from_shape_fn((59, 17), |(i, j)| {
            (i as f64 * 17.0 + j as f64 - 501.0) * 0.026
        });
        for act in [Activation::Tanh, Activation::Sigmoid, Activation::Relu] {
            // Rows scaled by 2^−k stand for the same values with exponent +k.
            let mut scaled = Rows::from_f64(&z.mapv(|v| v * 2f64.powi(-300)));
            let mut slopes = Rows::zeros(20, 17);
            let exps_in = scaled.exps.clone();
            let fused = Partial::activate(scaled.view_mut(), slopes.view_mut(), &exps_in, 300, act);
            let mut after = values(&Rows::from_f64(&z));
            act.apply_slice(after.as_slice_mut().unwrap());
            assert_eq!(
                fused,
                Partial::measure(after.as_slice().unwrap(), 17, act),
                "{act:?}"
            );
            let close = |got: &Array2<f64>, want: &Array2<f64>| {
                got.iter()
                    .zip(want)
                    .all(|(&g, &w)| (g - w).abs() <= w.abs() * 2f64.powi(-24))
            };
            assert!(close(&values(&scaled), &after), "{act:?}");
            let want = after
                .slice(ndarray::s![..20, ..])
                .mapv(|y| act.derivative_from_output(y));
            assert!(close(&values(&slopes), &want), "{act:?}");
            if act != Activation::Relu {
                assert!(values(&slopes).iter().all(|&s| s > 0.0), "{act:?}");
            }
        }
    }

    #[test]
    fn scaled_row_norm_is_the_row_norm_beyond_f64_range() {
        let g = Array2::from_shape_fn((5, 7), |(i, j)| ((i * 7 + j) % 11) as f64 - 5.0);
        let want = rms_row_norm(g.as_slice().unwrap(), 7);
        let mut rows = Rows::from_f64(&g);
        assert!((rms_row_norm_scaled(rows.view()) / want - 1.0).abs() < 1e-7);
        // 2^1100 ≈ 1e331 and 2^-1100 stand for values f64 cannot hold.
        rows.exps.iter_mut().for_each(|e| *e -= 1100);
        let tiny = rms_row_norm_scaled(rows.view());
        assert_eq!(tiny, 0.0);
        rows.exps[2] += 2200;
        assert_eq!(rms_row_norm_scaled(rows.view()), f64::INFINITY);
        rows.exps[2] -= 2200 - 1100 - 1000;
        let big = rms_row_norm_scaled(rows.view());
        let row2: f64 = g.row(2).iter().map(|v| v * v).sum::<f64>().sqrt();
        assert!(
            (big / (row2 * 2f64.powi(1000) / 5f64.sqrt()) - 1.0).abs() < 1e-7,
            "{big}"
        );
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
        let h = Array2::from_shape_vec((2, 3), vec![-1.0, -0.5, 0.0, 0.5, 1.0, 2.0]).unwrap();
        let d = density(&Rows::from_f64(&h), -1.0, 1.0, 4);
        let total: f64 = d.iter().map(|p| p[1]).sum();
        assert!((total - 500.0 / 6.0).abs() < 1e-12);
        assert_eq!(d[0][0], -0.75);
    }
}
