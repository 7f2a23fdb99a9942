//! Block floating point for the `depth` kind's matrix products: f32
//! mantissas with one power-of-two exponent per row.
//!
//! The products run in f32, twice f64's throughput, but a deep stack's values
//! leave f32's range: std 0.01 shrinks them ×0.16 per layer, below f32's
//! smallest normal (1.2e-38) by layer 48, where f32 loses digits and then
//! flushes to 0; relu at `init_scale` 100 grows them past 1e100, far beyond
//! f32's 3.4e38. So a row is stored as mantissas whose largest magnitude is
//! in [0.5, 1) and an exponent e, the row standing for mantissa·2^e. Scaling
//! by a power of two is exact, so the product of such rows and a scaled
//! weight matrix has the bits f32 with an unbounded exponent would give: no
//! overflow (|mantissa| < 1, at most 1,024 terms), and underflow only of
//! entries or products 2⁻¹²⁶ below their row's largest, far below anything
//! the statistics resolve. Every activation and statistic works on the
//! values rebuilt in f64, where they overflow or underflow exactly where the
//! f64 engine's would.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis};

use super::stats::{max, reduce};

/// A (rows, width) matrix whose row i is `m[i]·2^exps[i]`.
pub struct Rows {
    pub m: Array2<f32>,
    pub exps: Vec<i32>,
}

impl Rows {
    pub fn zeros(rows: usize, width: usize) -> Rows {
        Rows {
            m: Array2::zeros((rows, width)),
            exps: vec![0; rows],
        }
    }

    /// `a` row by row, each rounded once to f32 after scaling.
    pub fn from_f64(a: &Array2<f64>) -> Rows {
        let mut rows = Rows::zeros(a.nrows(), a.ncols());
        let width = a.ncols().max(1);
        let src = a.as_slice().expect("row-major input");
        let dst = rows.m.as_slice_mut().expect("fresh array");
        for ((s, d), e) in src
            .chunks(width)
            .zip(dst.chunks_mut(width))
            .zip(&mut rows.exps)
        {
            *e = store(s, d);
        }
        rows
    }

    pub fn view(&self) -> RowsView<'_> {
        RowsView {
            m: self.m.view(),
            exps: &self.exps,
        }
    }

    pub fn view_mut(&mut self) -> RowsViewMut<'_> {
        RowsViewMut {
            m: self.m.view_mut(),
            exps: &mut self.exps,
        }
    }
}

#[derive(Clone, Copy)]
pub struct RowsView<'a> {
    pub m: ArrayView2<'a, f32>,
    pub exps: &'a [i32],
}

pub struct RowsViewMut<'a> {
    pub m: ArrayViewMut2<'a, f32>,
    pub exps: &'a mut [i32],
}

/// Views that split into rows [0, row) and the rest, so that matching row
/// blocks of several matrices go to one thread. A view with fewer rows than
/// `row` splits at its end: it covers a prefix of its partners' rows (the
/// slopes kept for the first samples only).
pub trait SplitRows: Sized {
    fn nrows(&self) -> usize;
    fn split_rows(self, row: usize) -> (Self, Self);
}

impl SplitRows for RowsView<'_> {
    fn nrows(&self) -> usize {
        self.m.nrows()
    }

    fn split_rows(self, row: usize) -> (Self, Self) {
        let row = row.min(self.m.nrows());
        let (m0, m1) = self.m.split_at(Axis(0), row);
        let (e0, e1) = self.exps.split_at(row);
        (RowsView { m: m0, exps: e0 }, RowsView { m: m1, exps: e1 })
    }
}

impl SplitRows for RowsViewMut<'_> {
    fn nrows(&self) -> usize {
        self.m.nrows()
    }

    fn split_rows(self, row: usize) -> (Self, Self) {
        let row = row.min(self.m.nrows());
        let (m0, m1) = self.m.split_at(Axis(0), row);
        let (e0, e1) = self.exps.split_at_mut(row);
        (
            RowsViewMut { m: m0, exps: e0 },
            RowsViewMut { m: m1, exps: e1 },
        )
    }
}

/// Splits both at the same row; the rows are the first one's.
impl<A: SplitRows, B: SplitRows> SplitRows for (A, B) {
    fn nrows(&self) -> usize {
        self.0.nrows()
    }

    fn split_rows(self, row: usize) -> (Self, Self) {
        let (a0, a1) = self.0.split_rows(row);
        let (b0, b1) = self.1.split_rows(row);
        ((a0, b0), (a1, b1))
    }
}

/// The exponent e with x·2^−e in [0.5, 1), for finite x > 0.
pub fn exponent(x: f64) -> i32 {
    let biased = |x: f64| ((x.to_bits() >> 52) & 0x7ff) as i32;
    match biased(x) {
        // Subnormal: 2⁶⁴ lifts it into the normal range exactly.
        0 if x != 0.0 => biased(x * f64::from_bits(0x43f0_0000_0000_0000)) - 64 - 1022,
        b => b - 1022,
    }
}

/// Two factors whose product is 2^k.
///
/// x·a·b is x·2^k rounded once whenever x and x·2^k are normal f64 values:
/// x·a lies between them. k is clamped to ±2046, beyond which every
/// mantissa (|x| in [2⁻¹⁴⁹, 1)) gives 0 or ∞ anyway.
#[inline(always)]
pub fn pow2(k: i32) -> (f64, f64) {
    let k = k.clamp(-2046, 2046);
    let half = k / 2;
    let f = |e: i32| f64::from_bits(((e + 1023) as u64) << 52);
    (f(half), f(k - half))
}

/// Writes `src` into `dst` scaled so that its largest magnitude is in
/// [0.5, 1), rounded once to f32, and returns the exponent. All zeros, or
/// an ∞, are written unscaled with exponent 0, and NaN stays NaN: a
/// non-finite value ends the run before it is used.
#[inline(always)]
pub fn store(src: &[f64], dst: &mut [f32]) -> i32 {
    let largest = reduce(src, 0.0, f64::abs, max);
    let e = if largest > 0.0 && largest.is_finite() {
        exponent(largest)
    } else {
        0
    };
    let (a, b) = pow2(-e);
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = (s * a * b) as f32;
    }
    e
}

/// Rebuilds the f64 values `src`·2^e into `dst`.
#[inline(always)]
pub fn load(src: &[f32], e: i32, dst: &mut [f64]) {
    let (a, b) = pow2(e);
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f64::from(s) * a * b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_and_factors_cover_the_whole_f64_range() {
        for x in [1.0, 0.75, 3.0, 1e-300, 5e-324, 1e308, f64::MAX] {
            let e = exponent(x);
            let (a, b) = pow2(-e);
            let m = x * a * b;
            assert!((0.5..1.0).contains(&m), "{x}: {m}");
        }
        assert_eq!(exponent(1.0), 1);
        let (a, b) = pow2(-1074);
        assert_eq!(1.0 * a * b, 5e-324);
        let (a, b) = pow2(5000);
        assert_eq!(2f64.powi(-149) * a * b, f64::INFINITY);
    }

    /// The values of `rows` in f64, row by row.
    fn values(rows: &Rows) -> Vec<f64> {
        let mut out = Vec::new();
        for (m, &e) in rows.m.rows().into_iter().zip(&rows.exps) {
            let mut row = vec![0.0; m.len()];
            load(m.as_slice().unwrap(), e, &mut row);
            out.extend(row);
        }
        out
    }

    #[test]
    fn rows_round_trip_beyond_f32_range() {
        for scale in [1e-300, 1e-45, 1.0, 1e38, 1e300] {
            let a =
                Array2::from_shape_fn((3, 5), |(i, j)| scale * (i as f64 - 1.3) * (j + 1) as f64);
            let rows = Rows::from_f64(&a);
            for (got, &want) in values(&rows).into_iter().zip(a.iter()) {
                assert!((got / want - 1.0).abs() < 1e-7, "{scale}: {got} vs {want}");
            }
        }
        let zeros = Rows::from_f64(&Array2::zeros((2, 3)));
        assert!(values(&zeros).iter().all(|&v| v == 0.0));
        assert_eq!(zeros.exps, [0, 0]);
    }
}
