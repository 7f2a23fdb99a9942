//! What a demo shows at one moment: named metrics and UI-agnostic panels.
//!
//! Both views draw exactly this: the TUI as ratatui charts, headless mode as
//! textplots or JSON. Constructors drop non-finite values, so no chart ever
//! receives NaN or ∞ (ratatui's `Chart` can hang on a NaN point).

use serde::Serialize;

use crate::i18n::Msg;

/// Where a demo is in its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Status {
    Running,
    Done,
    /// A loss or weight became NaN/∞ at this iteration; the run stopped and
    /// the panels keep the last finite values.
    Diverged {
        at: usize,
    },
}

impl Status {
    /// The status of a run that has done `iteration` of `total` iterations
    /// and, if it diverged, stopped at `diverged_at`.
    pub fn of(iteration: usize, total: usize, diverged_at: Option<usize>) -> Status {
        match diverged_at {
            Some(at) => Status::Diverged { at },
            None if iteration >= total => Status::Done,
            None => Status::Running,
        }
    }
}

/// One named measurement.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Metric {
    Num(f64),
    Nums(Vec<f64>),
    Text(String),
    Bool(bool),
}

/// Everything a view needs to draw one demo at one moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Snapshot {
    /// Iterations run so far.
    pub iteration: usize,
    /// Iterations the run will take in all.
    pub total: usize,
    pub status: Option<Status>,
    /// Named metrics in the order the demo wants them shown.
    pub metrics: Vec<(String, Metric)>,
    pub panels: Vec<Panel>,
}

impl Snapshot {
    /// The metric called `name`.
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.metrics.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    /// The numeric metric called `name`.
    pub fn num(&self, name: &str) -> Option<f64> {
        match self.metric(name)? {
            Metric::Num(x) => Some(*x),
            _ => None,
        }
    }

    /// The array metric called `name`.
    pub fn nums(&self, name: &str) -> Option<&[f64]> {
        match self.metric(name)? {
            Metric::Nums(v) => Some(v),
            _ => None,
        }
    }

    /// Adds a metric (builder style, for demos).
    pub fn push(&mut self, name: &str, metric: Metric) {
        self.metrics.push((name.to_string(), metric));
    }
}

/// One axis: its label (with units), optional fixed bounds, and how its
/// values read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Axis {
    pub label: Msg,
    /// `None` lets the view fit the data.
    pub bounds: Option<[f64; 2]>,
    /// Drawn on a log10 scale (values stay as they are; non-positive ones
    /// are not drawn). Declared by the demo, never switched by the data.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub log: bool,
    /// Counts (layers, degrees): ticks only at whole numbers.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
}

impl Axis {
    pub fn new(label: Msg) -> Self {
        Axis {
            label,
            bounds: None,
            log: false,
            integer: false,
        }
    }

    pub fn bounded(label: Msg, lo: f64, hi: f64) -> Self {
        Axis {
            bounds: Some([lo, hi]),
            ..Axis::new(label)
        }
    }

    /// A log10 axis; its label says so.
    pub fn log(self) -> Self {
        Axis {
            label: crate::msg!("{what} (log scale)", what = self.label),
            log: true,
            ..self
        }
    }

    /// An axis of whole numbers.
    pub fn integer(self) -> Self {
        Axis {
            integer: true,
            ..self
        }
    }
}

/// A chart or table a demo offers; `id` is the name lessons select with `panels`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Panel {
    pub id: String,
    pub title: Msg,
    pub x: Axis,
    pub y: Axis,
    pub body: PanelBody,
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Line,
    Points,
    /// A line the data is compared against (the truth, an exact value):
    /// drawn on top of the data, dashed, so both stay visible.
    Reference,
}

/// A named sequence of (x, y) points, all finite.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub name: Msg,
    pub mark: Mark,
    pub points: Vec<[f64; 2]>,
}

impl Series {
    /// A series from points; non-finite points are dropped.
    pub fn new(name: Msg, mark: Mark, points: impl IntoIterator<Item = [f64; 2]>) -> Self {
        Series {
            name,
            mark,
            points: points
                .into_iter()
                .filter(|p| p[0].is_finite() && p[1].is_finite())
                .collect(),
        }
    }

    pub fn line(name: Msg, points: impl IntoIterator<Item = [f64; 2]>) -> Self {
        Series::new(name, Mark::Line, points)
    }

    pub fn points(name: Msg, points: impl IntoIterator<Item = [f64; 2]>) -> Self {
        Series::new(name, Mark::Points, points)
    }

    pub fn reference(name: Msg, points: impl IntoIterator<Item = [f64; 2]>) -> Self {
        Series::new(name, Mark::Reference, points)
    }
}

/// For each series, the index of its name among the distinct names in
/// order of first appearance. Series sharing a name (the many fits of one
/// model) are one group: views give a group one colour, one legend entry
/// and one summary line.
pub fn name_groups(series: &[Series]) -> Vec<usize> {
    let mut firsts: Vec<&Msg> = Vec::new();
    series
        .iter()
        .map(|s| match firsts.iter().position(|n| **n == s.name) {
            Some(i) => i,
            None => {
                firsts.push(&s.name);
                firsts.len() - 1
            }
        })
        .collect()
}

/// One histogram bin `[lo, hi)` holding `count` samples.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub count: f64,
}

/// A labelled x-interval drawn over a histogram (e.g. μ ± 2σ).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Band {
    pub label: Msg,
    pub lo: f64,
    pub hi: f64,
}

/// A labelled vertical line (e.g. the test-time value).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Marker {
    pub label: Msg,
    pub x: f64,
}

/// One named group of bars, one value per category.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BarGroup {
    pub name: Msg,
    pub values: Vec<f64>,
}

/// The content of a panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum PanelBody {
    /// Lines and scatter points sharing the axes.
    Series { series: Vec<Series> },
    /// A histogram with optional bands and markers.
    Histogram {
        bins: Vec<Bin>,
        bands: Vec<Band>,
        markers: Vec<Marker>,
    },
    /// Grouped bars: `categories` along x, one bar per group in each.
    Bars {
        categories: Vec<String>,
        groups: Vec<BarGroup>,
    },
    /// A heat grid over the axes' bounds (row 0 at the bottom), values
    /// row-major `ny × nx`, with series drawn on top (contours, paths).
    Heat {
        nx: usize,
        ny: usize,
        values: Vec<f64>,
        /// What the shading measures, for the colour scale's legend.
        shade: Msg,
        overlay: Vec<Series>,
    },
    /// A table of text cells, each a [`Msg`] so a word in it follows the
    /// student's language (numbers are [`Msg::verbatim`]).
    Table {
        header: Vec<Msg>,
        rows: Vec<Vec<Msg>>,
    },
}

/// Evenly spaced bins over `[lo, hi)` counting `samples`; values outside are
/// ignored, and so are non-finite ones.
pub fn histogram(
    samples: impl IntoIterator<Item = f64>,
    lo: f64,
    hi: f64,
    bins: usize,
) -> Vec<Bin> {
    let bins = bins.max(1);
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0.0; bins];
    for x in samples {
        if x.is_finite() && x >= lo && x < hi && width > 0.0 {
            let i = (((x - lo) / width) as usize).min(bins - 1);
            counts[i] += 1.0;
        }
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| Bin {
            lo: lo + i as f64 * width,
            hi: lo + (i + 1) as f64 * width,
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_drops_non_finite_points() {
        let s = Series::line(
            crate::msg!("loss"),
            [
                [0.0, 1.0],
                [1.0, f64::NAN],
                [2.0, f64::INFINITY],
                [3.0, 0.5],
            ],
        );
        assert_eq!(s.points, vec![[0.0, 1.0], [3.0, 0.5]]);
    }

    #[test]
    fn series_sharing_a_name_form_one_group_numbered_by_first_appearance() {
        let fits = crate::msg!("fits on the last {n} sets", n = 2);
        let s = |name: &Msg| Series::line(name.clone(), [[0.0, 0.0]]);
        let truth = crate::msg!("truth sin(πx)");
        let series = [s(&fits), s(&truth), s(&fits)];
        assert_eq!(name_groups(&series), vec![0, 1, 0]);
    }

    #[test]
    fn histogram_counts_each_sample_once() {
        let bins = histogram([0.0, 0.1, 0.5, 0.99, 1.0, f64::NAN], 0.0, 1.0, 2);
        assert_eq!(
            bins.iter().map(|b| b.count).collect::<Vec<_>>(),
            vec![2.0, 2.0]
        );
    }
}
