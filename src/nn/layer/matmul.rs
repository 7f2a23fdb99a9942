//! The three matrix products of a training step, written into preallocated
//! row-major buffers.
//!
//! Large products go to `general_mat_mul` (matrixmultiply's packed kernels).
//! Products with a thin side (1 input, 1 output, or a few units) are mostly
//! packing overhead there, so they run as plain row loops over contiguous
//! memory instead: a step of a 2→8→8→2 net is then a few microseconds.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView2};

/// Calls `f::<W>` with the row width as a constant for the common small
/// widths, so the inner loops unroll into straight vector code.
macro_rules! by_width {
    ($width:expr, $f:ident, $($arg:expr),*) => {
        match $width {
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            5 => $f::<5>($($arg),*),
            6 => $f::<6>($($arg),*),
            8 => $f::<8>($($arg),*),
            16 => $f::<16>($($arg),*),
            _ => $f::<0>($($arg),*),
        }
    };
}

/// Both dimensions of a weight matrix at least this wide: use the packed kernel.
const PACKED_MIN: usize = 16;

fn packed(w: &Array2<f64>) -> bool {
    w.nrows() >= PACKED_MIN && w.ncols() >= PACKED_MIN
}

/// Σ aᵢbᵢ with four running sums, so the adds do not wait on each other.
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for j in 0..4 {
            acc[j] += x[j] * y[j];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The contiguous row-major data of a buffer (every buffer of the engine is).
fn slice<'a>(a: &'a ArrayView2<'_, f64>) -> &'a [f64] {
    a.as_slice().expect("row-major buffer")
}

/// out = x·W + b. x: (n, fan_in), w: (fan_in, fan_out), b: (fan_out), out: (n, fan_out).
pub(super) fn affine(x: ArrayView2<f64>, w: &Array2<f64>, b: &Array1<f64>, out: &mut Array2<f64>) {
    let (fan_in, fan_out) = w.dim();
    let b = b.as_slice().expect("bias");
    if packed(w) {
        let out_s = out.as_slice_mut().expect("row-major buffer");
        for row in out_s.chunks_exact_mut(fan_out) {
            row.copy_from_slice(b);
        }
        general_mat_mul(1.0, &x, w, 1.0, out);
        return;
    }
    let out = out.as_slice_mut().expect("row-major buffer");
    let (x, w) = (slice(&x), w.as_slice().expect("weights"));
    if fan_out == 1 {
        for (o, xr) in out.iter_mut().zip(x.chunks_exact(fan_in)) {
            *o = b[0] + dot(xr, w);
        }
        return;
    }
    by_width!(fan_out, affine_rows, x, w, b, out, fan_in, fan_out);
}

/// out_r = b + Σ_k x_rk · W_k, rows of width `O` (0: `fan_out`, known only
/// at run time). With a constant width the row is summed in registers.
#[inline(always)]
fn affine_rows<const O: usize>(
    x: &[f64],
    w: &[f64],
    b: &[f64],
    out: &mut [f64],
    fan_in: usize,
    fan_out: usize,
) {
    if O == 0 {
        for (out_r, xr) in out.chunks_exact_mut(fan_out).zip(x.chunks_exact(fan_in)) {
            out_r.copy_from_slice(b);
            for (&xk, wk) in xr.iter().zip(w.chunks_exact(fan_out)) {
                out_r.iter_mut().zip(wk).for_each(|(v, &w)| *v += xk * w);
            }
        }
        return;
    }
    let mut bias = [0.0; O];
    bias.copy_from_slice(b);
    for (out_r, xr) in out.chunks_exact_mut(O).zip(x.chunks_exact(fan_in)) {
        let mut acc = bias;
        for (&xk, wk) in xr.iter().zip(w.chunks_exact(O)) {
            for c in 0..O {
                acc[c] += xk * wk[c];
            }
        }
        out_r.copy_from_slice(&acc);
    }
}

/// gw = xᵀ·δ (the weight gradient). x: (n, fan_in), delta: (n, fan_out), gw: (fan_in, fan_out).
pub(super) fn weight_grad(x: ArrayView2<f64>, delta: &Array2<f64>, gw: &mut Array2<f64>) {
    if packed(gw) {
        general_mat_mul(1.0, &x.t(), delta, 0.0, gw);
        return;
    }
    let (fan_in, fan_out) = gw.dim();
    let g = gw.as_slice_mut().expect("gradient buffer");
    let (x, d) = (slice(&x), delta.as_slice().expect("row-major buffer"));
    if fan_out == 1 {
        g.fill(0.0);
        for (xr, &dr) in x.chunks_exact(fan_in).zip(d) {
            g.iter_mut().zip(xr).for_each(|(g, &x)| *g += dr * x);
        }
        return;
    }
    by_width!(fan_out, weight_grad_rows, x, d, g, fan_in, fan_out);
}

/// g_k = Σ_r x_rk · δ_r, rows of width `O` (0: `fan_out`). With a constant
/// width each g_k is summed in registers over all samples.
#[inline(always)]
fn weight_grad_rows<const O: usize>(
    x: &[f64],
    d: &[f64],
    g: &mut [f64],
    fan_in: usize,
    fan_out: usize,
) {
    if O == 0 {
        g.fill(0.0);
        for (xr, dr) in x.chunks_exact(fan_in).zip(d.chunks_exact(fan_out)) {
            for (&xk, gk) in xr.iter().zip(g.chunks_exact_mut(fan_out)) {
                gk.iter_mut().zip(dr).for_each(|(g, &d)| *g += xk * d);
            }
        }
        return;
    }
    for (k, gk) in g.chunks_exact_mut(O).enumerate() {
        let mut acc = [0.0; O];
        for (xr, dr) in x.chunks_exact(fan_in).zip(d.chunks_exact(O)) {
            let xk = xr[k];
            for c in 0..O {
                acc[c] += xk * dr[c];
            }
        }
        gk.copy_from_slice(&acc);
    }
}

/// below = δ·Wᵀ (the gradient passed to the layer below).
/// delta: (n, fan_out), w: (fan_in, fan_out), below: (n, fan_in).
pub(super) fn input_grad(delta: &Array2<f64>, w: &Array2<f64>, below: &mut Array2<f64>) {
    if packed(w) {
        general_mat_mul(1.0, delta, &w.t(), 0.0, below);
        return;
    }
    let (fan_in, fan_out) = w.dim();
    let (d, w) = (
        delta.as_slice().expect("row-major buffer"),
        w.as_slice().expect("weights"),
    );
    let below = below.as_slice_mut().expect("row-major buffer");
    if fan_out == 1 {
        for (br, &dr) in below.chunks_exact_mut(fan_in).zip(d) {
            br.iter_mut().zip(w).for_each(|(b, &w)| *b = dr * w);
        }
        return;
    }
    if fan_in * fan_out <= WT_MAX {
        // Wᵀ on the stack, so each row of `below` is a register sum of its rows.
        let mut wt = [0.0; WT_MAX];
        for (k, wk) in w.chunks_exact(fan_out).enumerate() {
            for (c, &v) in wk.iter().enumerate() {
                wt[c * fan_in + k] = v;
            }
        }
        by_width!(
            fan_in,
            input_grad_rows,
            d,
            &wt[..fan_in * fan_out],
            below,
            fan_in,
            fan_out
        );
        return;
    }
    for (br, dr) in below.chunks_exact_mut(fan_in).zip(d.chunks_exact(fan_out)) {
        for (bk, wk) in br.iter_mut().zip(w.chunks_exact(fan_out)) {
            *bk = dot(dr, wk);
        }
    }
}

/// Largest small weight matrix transposed on the stack by `input_grad`.
const WT_MAX: usize = 256;

/// below_r = Σ_c δ_rc · Wᵀ_c, rows of width `I` (0: `fan_in`). wt: (fan_out, fan_in)
#[inline(always)]
fn input_grad_rows<const I: usize>(
    d: &[f64],
    wt: &[f64],
    below: &mut [f64],
    fan_in: usize,
    fan_out: usize,
) {
    if I == 0 {
        for (br, dr) in below.chunks_exact_mut(fan_in).zip(d.chunks_exact(fan_out)) {
            br.fill(0.0);
            for (&dc, wc) in dr.iter().zip(wt.chunks_exact(fan_in)) {
                br.iter_mut().zip(wc).for_each(|(b, &w)| *b += dc * w);
            }
        }
        return;
    }
    for (br, dr) in below.chunks_exact_mut(I).zip(d.chunks_exact(fan_out)) {
        let mut acc = [0.0; I];
        for (&dc, wc) in dr.iter().zip(wt.chunks_exact(I)) {
            for k in 0..I {
                acc[k] += dc * wc[k];
            }
        }
        br.copy_from_slice(&acc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path against a plain triple loop, for thin and wide shapes.
    #[test]
    fn products_match_the_definition() {
        for (n, i, o) in [
            (5, 1, 7),
            (5, 7, 1),
            (6, 3, 4),
            (9, 20, 17),
            (4, 16, 1),
            (3, 1, 16),
            (6, 8, 8),
            (6, 8, 2),
            (5, 20, 3),
            (4, 30, 10),
        ] {
            let x = Array2::from_shape_fn((n, i), |(r, c)| (r * 7 + c * 3) as f64 * 0.1 - 1.0);
            let w =
                Array2::from_shape_fn((i, o), |(r, c)| (r * 5 + c * 11 % 7) as f64 * 0.05 - 0.4);
            let b = Array1::from_shape_fn(o, |c| c as f64 * 0.01);
            let d = Array2::from_shape_fn((n, o), |(r, c)| (r + 2 * c) as f64 * 0.3 - 0.5);
            let (mut out, mut gw, mut below) = (
                Array2::zeros((n, o)),
                Array2::zeros((i, o)),
                Array2::zeros((n, i)),
            );
            affine(x.view(), &w, &b, &mut out);
            weight_grad(x.view(), &d, &mut gw);
            input_grad(&d, &w, &mut below);
            let close = |a: f64, e: f64| (a - e).abs() <= 1e-12 * (1.0 + e.abs());
            for r in 0..n {
                for c in 0..o {
                    let e = b[c] + (0..i).map(|k| x[[r, k]] * w[[k, c]]).sum::<f64>();
                    assert!(close(out[[r, c]], e), "affine {n}x{i}x{o}");
                }
                for k in 0..i {
                    let e = (0..o).map(|c| d[[r, c]] * w[[k, c]]).sum::<f64>();
                    assert!(close(below[[r, k]], e), "input_grad {n}x{i}x{o}");
                }
            }
            for k in 0..i {
                for c in 0..o {
                    let e = (0..n).map(|r| x[[r, k]] * d[[r, c]]).sum::<f64>();
                    assert!(close(gw[[k, c]], e), "weight_grad {n}x{i}x{o}");
                }
            }
        }
    }
}
