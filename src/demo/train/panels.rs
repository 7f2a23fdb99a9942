//! The `train` kind's panels, built from a run's history and current state.

use ndarray::Array2;

use super::run::{Eval, MAX_UNITS_DRAWN, Record, Run};
use crate::demo::snapshot::{Axis, Band, BarGroup, Marker, Panel, PanelBody, Series, histogram};
use crate::i18n::{Msg, measured};
use crate::msg;
use crate::nn::Loss;
use crate::nn::data::{Dataset, Shape};

/// Points along the model curve of 1-D fits and cells per side of 2-D heat grids.
const CURVE_POINTS: usize = 121;
const GRID: usize = 40;

/// The panel called `id` (one of the kind's `PANELS`).
pub(crate) fn panel(run: &Run, eval: &Eval, id: &str) -> Panel {
    let mut panel = build(run, eval, id);
    if run.log_y.iter().any(|p| p == id) && matches!(panel.body, PanelBody::Series { .. }) {
        panel.y = panel.y.log();
    }
    panel
}

fn build(run: &Run, eval: &Eval, id: &str) -> Panel {
    match id {
        "loss" => loss(run, eval),
        "fit" => fit(run),
        "hidden-units" => hidden_units(run, eval),
        "weights" => weights(run),
        "layer-std" => layer_series(run, eval, LayerStat::Std),
        "layer-grads" => layer_series(run, eval, LayerStat::Grad),
        "weight-history" => weight_history(run, eval),
        "neurons" => neurons(run),
        "weight-norm" => weight_norm(run, eval),
        _ => zeros(run, eval),
    }
}

/// Which per-layer number a panel draws over training.
#[derive(Clone, Copy, PartialEq)]
enum LayerStat {
    Std,
    Grad,
}

/// One line per layer: its activations' std (hidden layers) or its weight
/// gradient's norm (every layer), at each recorded iteration, on a log axis
/// since depth multiplies both.
fn layer_series(run: &Run, eval: &Eval, stat: LayerStat) -> Panel {
    let h = run.history_with_now(eval);
    let of = |r: &Record| -> Vec<f64> {
        match stat {
            LayerStat::Std => r.layer_std.clone(),
            LayerStat::Grad => r.layer_grad.clone(),
        }
    };
    let layers = h.iter().map(|r| of(r).len()).max().unwrap_or(0);
    let series = (0..layers)
        .map(|l| {
            Series::line(
                msg!("layer {n}", n = l + 1),
                h.iter()
                    .filter_map(|r| of(r).get(l).map(|&v| [r.iteration as f64, v]))
                    .filter(|p| p[1] > 0.0),
            )
        })
        .collect();
    let latest = h
        .iter()
        .rev()
        .map(of)
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    let end = |v: Option<&f64>| measured(v.map_or("-".into(), |&v| short(v)));
    let (first, last, note) = (end(latest.first()), end(latest.last()), diverged_note(run));
    let (id, title, y) = match stat {
        LayerStat::Std => (
            "layer-std",
            msg!(
                "std of each hidden layer's outputs, first {first}, last {last}{note}",
                first,
                last,
                note
            ),
            msg!("activation std"),
        ),
        LayerStat::Grad => (
            "layer-grads",
            msg!(
                "‖∂Loss/∂W‖ of each layer, first {first}, last {last}{note}",
                first,
                last,
                note
            ),
            msg!("gradient norm"),
        ),
    };
    Panel {
        id: id.into(),
        title,
        x: Axis::bounded(msg!("iteration"), 0.0, run.steps as f64),
        y: Axis::new(y).log(),
        body: PanelBody::Series { series },
    }
}

/// The weight histogram over training as a heat map: a column per recorded
/// iteration, a row per value bin over ±the largest |w| ever recorded,
/// shaded by the fraction of weights in the bin.
fn weight_history(run: &Run, eval: &Eval) -> Panel {
    const ROWS: usize = 24;
    let h = run.history_with_now(eval);
    let m = h
        .iter()
        .map(|r| r.weight_bins.1)
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let cols = h.len().max(1);
    let mut values = vec![0.0; cols * ROWS];
    for (c, r) in h.iter().enumerate() {
        let (lo, hi, counts) = &r.weight_bins;
        let total: f64 = counts.iter().sum::<f64>().max(1.0);
        let width = (hi - lo) / counts.len().max(1) as f64;
        for (b, &count) in counts.iter().enumerate() {
            let centre = lo + (b as f64 + 0.5) * width;
            let row = (((centre + m) / (2.0 * m)) * ROWS as f64) as usize;
            values[row.min(ROWS - 1) * cols + c] += count / total;
        }
    }
    Panel {
        id: "weight-history".into(),
        title: msg!(
            "weight histogram over training, weights within ±{m}{note}",
            m = measured(short(m)),
            note = diverged_note(run)
        ),
        x: Axis::bounded(
            msg!("iteration"),
            h.first().map_or(0.0, |r| r.iteration as f64),
            h.last().map_or(0.0, |r| r.iteration as f64),
        ),
        y: Axis::bounded(msg!("weight value"), -m, m),
        body: PanelBody::Heat {
            nx: cols,
            ny: ROWS,
            values,
            shade: msg!("fraction of weights"),
            overlay: Vec::new(),
        },
    }
}

/// A number for a title: 4 decimals, or scientific when that would hide it.
pub(crate) fn short(v: f64) -> String {
    if v != 0.0 && !(1e-3..1e4).contains(&v.abs()) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

/// " (diverged at iteration N)" once the run has diverged, else nothing.
fn diverged_note(run: &Run) -> Msg {
    match run.diverged_at {
        Some(at) => msg!(
            " (diverged at iteration {at}; last finite values shown)",
            at
        ),
        None => Msg::verbatim(""),
    }
}

fn loss_label(run: &Run) -> Msg {
    match run.loss {
        Loss::Mse => msg!("loss (mean squared error)"),
        Loss::SoftmaxCrossEntropy | Loss::BinaryCrossEntropy => {
            msg!("loss (cross-entropy, nats)")
        }
        Loss::SigmoidMse => msg!("loss (squared error of the sigmoid output)"),
    }
}

fn loss(run: &Run, eval: &Eval) -> Panel {
    let h = run.history_with_now(eval);
    let mut series = vec![
        Series::line(
            msg!("train"),
            h.iter().map(|r| [r.iteration as f64, r.train_loss]),
        ),
        Series::line(
            msg!("test"),
            h.iter().map(|r| [r.iteration as f64, r.test_loss]),
        ),
    ];
    if run.has_validation() {
        series.push(Series::line(
            msg!("validation"),
            h.iter().map(|r| [r.iteration as f64, r.val_loss]),
        ));
        if let Some((best, at)) = run.best_validation() {
            series.push(Series::points(msg!("best validation"), [[at as f64, best]]));
        }
    }
    Panel {
        id: "loss".into(),
        title: msg!(
            "train {train} / test {test}, gap {gap}{note}",
            train = measured(short(eval.train_loss)),
            test = measured(short(eval.test_loss)),
            gap = measured(short(eval.test_loss - eval.train_loss)),
            note = diverged_note(run)
        ),
        x: Axis::bounded(msg!("iteration"), 0.0, run.steps as f64),
        y: Axis::new(loss_label(run)),
        body: PanelBody::Series { series },
    }
}

fn fit(run: &Run) -> Panel {
    match &run.data.shape {
        Shape::Sine | Shape::SinePoly { .. } => fit_curve(run),
        Shape::Sparse { w_true } => fit_sparse(run, w_true),
        Shape::Plane { .. } | Shape::Surface { .. } => fit_plane(run),
    }
}

fn fit_curve(run: &Run) -> Panel {
    let d = &run.data;
    let xs: Vec<f64> = (0..CURVE_POINTS)
        .map(|i| i as f64 / (CURVE_POINTS - 1) as f64)
        .collect();
    let model = run.predict(&d.features(&xs));
    let points = |raw: &[f64], y: &Array2<f64>| {
        raw.iter()
            .zip(y.column(0))
            .map(|(&x, &y)| [x, y])
            .collect::<Vec<_>>()
    };
    let (lo, hi) = d
        .y_train
        .iter()
        .chain(d.y_test.iter())
        .fold((0.0f64, 1.0f64), |(lo, hi), &y| (lo.min(y), hi.max(y)));
    let margin = 0.15 * (hi - lo);
    Panel {
        id: "fit".into(),
        title: msg!(
            "model fit on {n} training points{note}",
            n = d.raw_train.len(),
            note = diverged_note(run)
        ),
        x: Axis::bounded(msg!("input x"), 0.0, 1.0),
        y: Axis::bounded(msg!("target y"), lo - margin, hi + margin),
        body: PanelBody::Series {
            series: vec![
                Series::points(msg!("train data"), points(&d.raw_train, &d.y_train)),
                Series::points(msg!("test data"), points(&d.raw_test, &d.y_test)),
                Series::reference(
                    msg!("truth sin(πx)"),
                    xs.iter().map(|&x| [x, Dataset::truth(x)]),
                ),
                Series::line(
                    msg!("model"),
                    xs.iter().zip(model.column(0)).map(|(&x, &y)| [x, y]),
                ),
            ],
        },
    }
}

fn fit_sparse(run: &Run, w_true: &[f64]) -> Panel {
    let learned = run.net.mean_input_gradient(
        run.data.x_train.view(),
        crate::nn::Hidden::test(&run.dropout),
    );
    let how = if run.net.layers.len() == 1 {
        msg!("learned weight")
    } else {
        msg!("learned (mean ∂ŷ/∂x)")
    };
    Panel {
        id: "fit".into(),
        title: msg!(
            "true vs learned weights, {k} of {n} truly non-zero{note}",
            k = w_true.iter().filter(|&&w| w != 0.0).count(),
            n = w_true.len(),
            note = diverged_note(run)
        ),
        x: Axis::new(msg!("input feature")),
        y: Axis::new(msg!("weight")),
        body: PanelBody::Bars {
            categories: (1..=w_true.len()).map(|j| format!("x{j}")).collect(),
            groups: vec![
                BarGroup {
                    name: msg!("true weight"),
                    values: w_true.to_vec(),
                },
                BarGroup {
                    name: how,
                    values: learned
                        .iter()
                        .map(|&v| if v.is_finite() { v } else { 0.0 })
                        .collect(),
                },
            ],
        },
    }
}

fn fit_plane(run: &Run) -> Panel {
    let d = &run.data;
    let (lo, hi) = plane_bounds(d);
    // Cell centres, row 0 at the bottom (smallest x₂).
    let grid = Array2::from_shape_fn((GRID * GRID, 2), |(i, k)| {
        let cell = if k == 0 { i % GRID } else { i / GRID };
        lo[k] + (cell as f64 + 0.5) * (hi[k] - lo[k]) / GRID as f64
    });
    let out = run.predict(&d.plane_input(&grid));
    let classes = d.classes();
    // The class of each training point: its one-hot column, or for binary
    // cross-entropy's single column, 1 where the target is 1.
    let class_of = |y: ndarray::ArrayView1<f64>| {
        if y.len() == 1 {
            usize::from(y[0] > 0.5)
        } else {
            y.iter().position(|&v| v == 1.0).unwrap_or(0)
        }
    };
    let class_points = |class: usize| {
        d.points_train
            .rows()
            .into_iter()
            .zip(d.y_train.rows())
            .filter(|(_, y)| class_of(*y) == class)
            .map(|(x, _)| [x[0], x[1]])
            .collect::<Vec<_>>()
    };
    let finite = |v: f64, fallback: f64| if v.is_finite() { v } else { fallback };
    let (title, shade, values, overlay) = if classes == 0 {
        let (lo_y, hi_y) = d
            .y_train
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| {
                (a.min(y), b.max(y))
            });
        (
            msg!(
                "predicted y over the plane, training points on top{note}",
                note = diverged_note(run)
            ),
            msg!("predicted y"),
            out.column(0)
                .iter()
                .map(|&v| finite(v, 0.0).clamp(lo_y.min(0.0), hi_y.max(0.0)))
                .collect(),
            vec![Series::points(
                msg!("training points"),
                d.points_train.rows().into_iter().map(|p| [p[0], p[1]]),
            )],
        )
    } else {
        let overlay = (0..classes)
            .map(|k| Series::points(msg!("class {k}", k), class_points(k)))
            .collect();
        let values: Vec<f64> = if out.ncols() == 1 {
            out.column(0)
                .iter()
                .map(|&z| finite(crate::nn::activation::sigmoid(z), 0.5))
                .collect()
        } else if classes == 2 && run.loss != Loss::Mse {
            crate::nn::loss::softmax(out.view())
                .column(1)
                .iter()
                .map(|&p| finite(p, 0.5))
                .collect()
        } else {
            out.rows()
                .into_iter()
                .map(|row| argmax(row.iter().copied()) as f64)
                .collect()
        };
        if classes == 2 && run.loss != Loss::Mse || out.ncols() == 1 {
            (
                msg!(
                    "P(class 1) over the plane, training points on top{note}",
                    note = diverged_note(run)
                ),
                msg!("P(class 1)"),
                values,
                overlay,
            )
        } else {
            (
                msg!(
                    "predicted class over the plane (0 to {last}), training points on top{note}",
                    last = classes - 1,
                    note = diverged_note(run)
                ),
                msg!("predicted class"),
                values,
                overlay,
            )
        }
    };
    Panel {
        id: "fit".into(),
        title,
        x: Axis::bounded(msg!("input x₁"), lo[0], hi[0]),
        y: Axis::bounded(msg!("input x₂"), lo[1], hi[1]),
        body: PanelBody::Heat {
            nx: GRID,
            ny: GRID,
            shade,
            values,
            overlay,
        },
    }
}

/// Units of the first hidden layer drawn as maps, and the cells per map side.
const NEURON_MAPS: usize = 8;
const NEURON_CELLS: usize = 16;

/// TF Playground's mini maps: what each of the first hidden layer's units
/// outputs over the plane, one tile per unit (up to 8, four per row, unit 1
/// top left), each shaded over its own range so every unit's pattern shows.
fn neurons(run: &Run) -> Panel {
    let d = &run.data;
    let units = run.hidden_layer().map_or(0, |w| w.ncols());
    let plane = matches!(d.shape, Shape::Plane { .. } | Shape::Surface { .. });
    if !plane || units == 0 {
        return Panel {
            id: "neurons".into(),
            title: msg!("unit maps need a 2-D data set and a hidden layer"),
            x: Axis::new(msg!("input x₁")),
            y: Axis::new(msg!("input x₂")),
            body: PanelBody::Series { series: Vec::new() },
        };
    }
    let (lo, hi) = plane_bounds(d);
    let t = NEURON_CELLS;
    let grid = Array2::from_shape_fn((t * t, 2), |(i, k)| {
        let cell = if k == 0 { i % t } else { i / t };
        lo[k] + (cell as f64 + 0.5) * (hi[k] - lo[k]) / t as f64
    });
    let input = d.plane_input(&grid);
    let mut ws = run.net.workspace(t * t);
    run.net
        .forward(input.view(), &mut ws, crate::nn::Hidden::test(&run.dropout));
    let out = &ws.outs[0];
    let drawn = units.min(NEURON_MAPS);
    let cols = drawn.min(4);
    let rows = drawn.div_ceil(cols);
    let (nx, ny) = (cols * t, rows * t);
    let mut values = vec![0.5; nx * ny];
    for j in 0..drawn {
        let column = out.column(j);
        let (a, b) = column
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let span = if b > a { b - a } else { 1.0 };
        let (tile_col, tile_row) = (j % cols, rows - 1 - j / cols);
        for (i, &v) in column.iter().enumerate() {
            let (x, y) = (i % t, i / t);
            let cell = (tile_row * t + y) * nx + tile_col * t + x;
            values[cell] = if v.is_finite() && b > a {
                (v - a) / span
            } else {
                0.5
            };
        }
    }
    Panel {
        id: "neurons".into(),
        title: if drawn < units {
            msg!(
                "what units 1 to {drawn} of {units} in the first hidden layer output over the plane, each on its own scale{note}",
                drawn,
                units,
                note = diverged_note(run)
            )
        } else {
            msg!(
                "what the {units} units of the first hidden layer output over the plane, each on its own scale{note}",
                units,
                note = diverged_note(run)
            )
        },
        // Ticks at whole numbers fall on the tiles' edges.
        x: Axis::bounded(
            msg!("one map per unit, x₁ across, four per row"),
            0.0,
            cols as f64,
        )
        .integer(),
        y: Axis::bounded(msg!("x₂ up"), 0.0, rows as f64).integer(),
        body: PanelBody::Heat {
            nx,
            ny,
            values,
            shade: msg!("unit output, low to high"),
            overlay: Vec::new(),
        },
    }
}

/// The plane's drawn extent: the points' bounding box plus a 10 % margin.
fn plane_bounds(d: &Dataset) -> ([f64; 2], [f64; 2]) {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for row in d
        .points_train
        .rows()
        .into_iter()
        .chain(d.points_test.rows())
    {
        for k in 0..2 {
            lo[k] = lo[k].min(row[k]);
            hi[k] = hi[k].max(row[k]);
        }
    }
    for k in 0..2 {
        if !lo[k].is_finite() || !hi[k].is_finite() {
            (lo[k], hi[k]) = (-1.0, 1.0);
        }
        let pad = 0.1 * (hi[k] - lo[k]).max(1e-9);
        lo[k] -= pad;
        hi[k] += pad;
    }
    (lo, hi)
}

/// Index of the largest value (the first of ties; 0 when all are NaN).
fn argmax(values: impl Iterator<Item = f64>) -> usize {
    values
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |(bi, bv), (i, v)| {
            if v > bv { (i, v) } else { (bi, bv) }
        })
        .0
}

fn hidden_units(run: &Run, eval: &Eval) -> Panel {
    let h = run.history_with_now(eval);
    let width = run.hidden_layer().map_or(0, |w| w.ncols());
    let drawn = width.min(MAX_UNITS_DRAWN);
    let series = (0..drawn)
        .map(|j| {
            Series::line(
                msg!("unit {n}", n = j + 1),
                h.iter()
                    .filter_map(|r: &Record| r.units.get(j).map(|&w| [r.iteration as f64, w])),
            )
        })
        .collect();
    let title = if width == 0 {
        msg!("no hidden layer: `layers` has only inputs and outputs")
    } else if drawn < width {
        msg!(
            "{distinct} distinct of {width} first-layer units (first {drawn} drawn){note}",
            distinct = measured(run.distinct_hidden_units()),
            width,
            drawn,
            note = diverged_note(run)
        )
    } else {
        msg!(
            "{distinct} distinct of {width} first-layer units{note}",
            distinct = measured(run.distinct_hidden_units()),
            width,
            note = diverged_note(run)
        )
    };
    Panel {
        id: "hidden-units".into(),
        title,
        x: Axis::bounded(msg!("iteration"), 0.0, run.steps as f64),
        y: Axis::new(msg!("first incoming weight of the unit")),
        body: PanelBody::Series { series },
    }
}

fn weights(run: &Run) -> Panel {
    let ws: Vec<f64> = run.net.weights().filter(|w| w.is_finite()).collect();
    let n = ws.len().max(1) as f64;
    let m = ws.iter().fold(0.0f64, |m, w| m.max(w.abs()));
    // Moments of w/m, scaled back: squaring weights near divergence would overflow.
    let scale = if m > 0.0 { m } else { 1.0 };
    let mean = scale * ws.iter().map(|w| w / scale).sum::<f64>() / n;
    let var = ws.iter().map(|w| ((w - mean) / scale).powi(2)).sum::<f64>() / n;
    let std = scale * var.sqrt();
    let m = if m > 0.0 { 1.05 * m } else { 1.0 };
    Panel {
        id: "weights".into(),
        title: msg!(
            "{n} weights: mean {mean}, std {std}{note}",
            n = ws.len(),
            mean = measured(format!("{mean:.3}")),
            std = measured(format!("{std:.3}")),
            note = diverged_note(run)
        ),
        x: Axis::bounded(msg!("weight value"), -m, m),
        y: Axis::new(msg!("number of weights")),
        body: PanelBody::Histogram {
            bins: histogram(ws.iter().copied(), -m, m, 41),
            bands: vec![Band {
                label: msg!("mean ± 1σ (σ = {std})", std = format!("{std:.3}")),
                lo: mean - std,
                hi: mean + std,
            }],
            markers: vec![Marker {
                label: Msg::verbatim("0"),
                x: 0.0,
            }],
        },
    }
}

fn zeros(run: &Run, eval: &Eval) -> Panel {
    let h = run.history_with_now(eval);
    let total = run.net.weights().count();
    let now = h.last().map_or(0, |r| r.zero_weights);
    Panel {
        id: "zeros".into(),
        title: msg!(
            "{now} of {total} weights exactly 0{note}",
            now = measured(now),
            total,
            note = diverged_note(run)
        ),
        x: Axis::bounded(msg!("iteration"), 0.0, run.steps as f64),
        y: Axis::bounded(msg!("weights exactly 0 (count)"), 0.0, total as f64),
        body: PanelBody::Series {
            series: vec![Series::line(
                msg!("exact zeros"),
                h.iter()
                    .map(|r| [r.iteration as f64, r.zero_weights as f64]),
            )],
        },
    }
}

fn weight_norm(run: &Run, eval: &Eval) -> Panel {
    let h = run.history_with_now(eval);
    let now = h.last().map_or(0.0, |r| r.weight_norm);
    Panel {
        id: "weight-norm".into(),
        title: msg!(
            "weight norm ‖w‖₂ {now}{note}",
            now = measured(short(now)),
            note = diverged_note(run)
        ),
        x: Axis::bounded(msg!("iteration"), 0.0, run.steps as f64),
        y: Axis::new(msg!("weight norm ‖w‖₂")),
        body: PanelBody::Series {
            series: vec![Series::line(
                msg!("‖w‖₂"),
                h.iter().map(|r| [r.iteration as f64, r.weight_norm]),
            )],
        },
    }
}
