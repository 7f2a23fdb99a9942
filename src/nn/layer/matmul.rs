//! The three matrix products of a training step, written into preallocated
//! row-major buffers.
//!
//! Large products go to `general_mat_mul` (matrixmultiply's packed kernels).
//! Products with a thin side (1 input, 1 output, or a few units) are mostly
//! packing overhead there, so they run as plain row loops over contiguous
//! memory instead: a step of a 2→8→8→2 net is then a few microseconds.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView2};

/// Both dimensions of a weight matrix at least this wide: use the packed kernel.
const PACKED_MIN: usize = 16;

fn packed(w: &Array2<f64>) -> bool {
    w.nrows() >= PACKED_MIN && w.ncols() >= PACKED_MIN
}

/// out = x·W + b. x: (n, fan_in), w: (fan_in, fan_out), b: (fan_out), out: (n, fan_out).
pub(super) fn affine(x: ArrayView2<f64>, w: &Array2<f64>, b: &Array1<f64>, out: &mut Array2<f64>) {
    for mut row in out.rows_mut() {
        row.assign(b);
    }
    if packed(w) {
        general_mat_mul(1.0, &x, w, 1.0, out);
    } else if w.ncols() == 1 {
        let col = w.column(0);
        for (mut o, xr) in out.rows_mut().into_iter().zip(x.rows()) {
            o[0] += xr.dot(&col);
        }
    } else {
        for (mut o, xr) in out.rows_mut().into_iter().zip(x.rows()) {
            for (&xk, wk) in xr.iter().zip(w.rows()) {
                o.scaled_add(xk, &wk);
            }
        }
    }
}

/// gw = xᵀ·δ (the weight gradient). x: (n, fan_in), delta: (n, fan_out), gw: (fan_in, fan_out).
pub(super) fn weight_grad(x: ArrayView2<f64>, delta: &Array2<f64>, gw: &mut Array2<f64>) {
    if packed(gw) {
        general_mat_mul(1.0, &x.t(), delta, 0.0, gw);
        return;
    }
    gw.fill(0.0);
    if gw.ncols() == 1 {
        let mut g = gw.column_mut(0);
        for (xr, d) in x.rows().into_iter().zip(delta.column(0)) {
            g.scaled_add(*d, &xr);
        }
    } else {
        for (xr, dr) in x.rows().into_iter().zip(delta.rows()) {
            for (&xk, mut gk) in xr.iter().zip(gw.rows_mut()) {
                gk.scaled_add(xk, &dr);
            }
        }
    }
}

/// below = δ·Wᵀ (the gradient passed to the layer below).
/// delta: (n, fan_out), w: (fan_in, fan_out), below: (n, fan_in).
pub(super) fn input_grad(delta: &Array2<f64>, w: &Array2<f64>, below: &mut Array2<f64>) {
    if packed(w) {
        general_mat_mul(1.0, delta, &w.t(), 0.0, below);
    } else if w.ncols() == 1 {
        let col = w.column(0);
        for (mut b, d) in below.rows_mut().into_iter().zip(delta.column(0)) {
            b.assign(&col);
            b *= *d;
        }
    } else {
        for (mut b, dr) in below.rows_mut().into_iter().zip(delta.rows()) {
            for (bk, wk) in b.iter_mut().zip(w.rows()) {
                *bk = dr.dot(&wk);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path against a plain triple loop, for thin and wide shapes.
    #[test]
    fn products_match_the_definition() {
        for (n, i, o) in [(5, 1, 7), (5, 7, 1), (6, 3, 4), (9, 20, 17), (4, 16, 1), (3, 1, 16)] {
            let x = Array2::from_shape_fn((n, i), |(r, c)| (r * 7 + c * 3) as f64 * 0.1 - 1.0);
            let w = Array2::from_shape_fn((i, o), |(r, c)| (r * 5 + c * 11 % 7) as f64 * 0.05 - 0.4);
            let b = Array1::from_shape_fn(o, |c| c as f64 * 0.01);
            let d = Array2::from_shape_fn((n, o), |(r, c)| (r + 2 * c) as f64 * 0.3 - 0.5);
            let (mut out, mut gw, mut below) =
                (Array2::zeros((n, o)), Array2::zeros((i, o)), Array2::zeros((n, i)));
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
