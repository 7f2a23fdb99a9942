//! The one [`Demo`]: a generic runner over a kind's typed [`Experiment`].
//!
//! A kind writes only what is its own: its typed config, one iteration, its
//! metrics and its panels. Counting iterations, status, choosing panels by
//! the `panels` key and deciding whether a knob change may apply to the
//! running experiment are the runner's, written once.

use super::Demo;
use super::schema::{Apply, MetricSpec, PanelSpec, ParamError, Params};
use super::snapshot::{Axis, Mark, Metric, Panel, PanelBody, Series, Snapshot, Status};
use super::train::run::push_thinned;
use crate::i18n::{Msg, measured};
use crate::msg;

/// The runner's panel comparing runs, in the table of each kind whose
/// experiment can compare its parameters ([`Experiment::max_abs_diff`]).
pub(crate) const DIFF_PANEL: PanelSpec = PanelSpec {
    name: "diff",
    doc: "with several runs: the largest |parameter of run 1 − the same parameter of run k| against iteration, one line per run k ≥ 2",
};

/// The runner's metric comparing runs, beside [`DIFF_PANEL`].
pub(crate) const DIFF_METRIC: MetricSpec = MetricSpec {
    name: "max_abs_diff",
    doc: "with several runs of one network shape, reported as max_abs_diff@k for run k ≥ 2: the largest |parameter of run 1 − the same parameter of run k| over all weights, biases and norm parameters, at any iteration so far (0 if the runs are the same update written two ways, up to rounding)",
};

/// One demo kind's experiment, driven by [`Runner`].
///
/// Its metrics and panels are declared once, in the kind's `KindSpec`
/// tables (which also generate the `panels` key's choices and the docs);
/// `metrics` pushes values in that table's order, `panel` draws one of its
/// panels.
pub trait Experiment: Send + Sized + 'static {
    /// The kind's parameters read into types and checked across keys, once.
    /// Building it is the kind's `KindSpec.check`, so it must stay cheap
    /// (the knob panel tries it for every value a knob might take).
    type Config: Clone;
    /// What one snapshot's metrics and panels share (the network evaluated
    /// in test mode, a decomposition), computed once per snapshot.
    type View;

    fn config(p: &Params) -> Result<Self::Config, ParamError>;

    fn new(c: &Self::Config) -> Self;

    /// Runs one iteration (a batch, where a kind's iteration is one); false
    /// if it diverged, which [`Experiment::diverged_at`] then reports.
    fn step(&mut self) -> bool;

    /// Iterations run so far.
    fn iteration(&self) -> usize;

    /// Iterations in the whole run.
    fn total(&self) -> usize;

    /// The iteration at which a number became NaN/∞, if one did.
    fn diverged_at(&self) -> Option<usize> {
        None
    }

    /// Running, done or diverged; a kind that can end early (`train`'s
    /// early stopping) says so here.
    fn status(&self) -> Status {
        Status::of(self.iteration(), self.total(), self.diverged_at())
    }

    fn view(&self) -> Self::View;

    /// Pushes every metric after `iteration`, in the order of the kind's
    /// `KindSpec.metrics`.
    fn metrics(&self, view: &Self::View, out: &mut Snapshot);

    /// The panel called `id`, one of the kind's `KindSpec.panels` (the
    /// `panels` key admits no other).
    fn panel(&self, view: &Self::View, id: &str) -> Panel;

    /// Applies a config that differs only in live keys; false if this kind
    /// cannot, and the caller rebuilds.
    fn set_live(&mut self, _c: &Self::Config) -> bool {
        false
    }

    /// What the runs of one step ask together (their summed cost), once
    /// each run's config is valid on its own.
    fn check_runs(_runs: &[Self::Config]) -> Result<(), ParamError> {
        Ok(())
    }

    /// The largest |difference| between a parameter of this experiment and
    /// the same parameter of `other`; `None` where they have no common
    /// shape (or the kind has no parameters to compare).
    fn max_abs_diff(&self, _other: &Self) -> Option<f64> {
        None
    }
}

/// Runs an [`Experiment`] as a [`Demo`]: one experiment per run of the
/// step, advanced together and drawn in shared panels.
///
/// The first run reports its metrics under the kind's names, run k (from
/// 2) under `name@k` (see [`run_metric`]). A line chart overlays the runs:
/// from each, the series of its first line (the train loss in `loss`, the
/// model in `fit`) in its own colour, named by the run's label, and the
/// first run's points and reference lines (data, truth); a run's other
/// lines are left out, so each run keeps one colour and one legend entry.
/// A heat map shows the first run's grid under the first overlay line of
/// every run (see [`overlay_heat`]). A panel that cannot overlay
/// (histogram, bars, table) shows the first run. Either way the title is
/// the first run's, after its label.
///
/// The runs step in lock-step, one iteration each in turn, so that after
/// every iteration the runner can compare each run k ≥ 2 with the first
/// ([`DIFF_METRIC`], [`DIFF_PANEL`]) while both are at the same iteration.
pub struct Runner<E: Experiment> {
    params: Params,
    runs: Vec<Lane<E>>,
    /// For run k ≥ 2 (index k − 1), how far it is from the first; `None`
    /// where the two cannot be compared.
    diffs: Vec<Option<Diff>>,
}

/// How far one run's parameters are from the first run's, over time.
struct Diff {
    /// The largest finite difference at any iteration so far.
    max: f64,
    /// (iteration, difference then), every `stride`-th iteration.
    history: Vec<[f64; 2]>,
    stride: usize,
}

/// One run: its label (empty for a step without runs) and experiment.
struct Lane<E> {
    label: String,
    experiment: E,
}

impl<E: Experiment> Runner<E> {
    /// The `KindSpec.build` of kind `E`.
    pub fn build(p: &Params) -> Result<Box<dyn Demo>, ParamError> {
        let runs: Vec<Lane<E>> = configs::<E>(p)?
            .into_iter()
            .map(|(label, c)| Lane {
                label,
                experiment: E::new(&c),
            })
            .collect();
        let diffs = runs
            .iter()
            .skip(1)
            .map(|lane| {
                let d = runs[0].experiment.max_abs_diff(&lane.experiment)?;
                let d = if d.is_finite() { d } else { 0.0 };
                Some(Diff {
                    max: d,
                    history: vec![[lane.experiment.iteration() as f64, d]],
                    stride: 1,
                })
            })
            .collect();
        Ok(Box::new(Runner {
            params: p.clone(),
            runs,
            diffs,
        }))
    }

    /// The `KindSpec.check` of kind `E`: every run's config, built and dropped.
    pub fn check(p: &Params) -> Result<(), ParamError> {
        configs::<E>(p).map(drop)
    }

    /// The `KindSpec.check_step` of kind `E`: every run's config (an error
    /// names its run), then the runs together ([`Experiment::check_runs`]),
    /// and the comparison panel only where there are runs to compare.
    pub fn check_step(p: &Params) -> Result<(), ParamError> {
        let runs: Vec<E::Config> = configs::<E>(p)?.into_iter().map(|(_, c)| c).collect();
        E::check_runs(&runs)?;
        if runs.len() < 2 && p.strs("panels").contains(&DIFF_PANEL.name) {
            return Err(ParamError {
                help: Some(msg!(
                    "add a sweep or two or more [[run]] tables, or drop `diff` from `panels`"
                )),
                ..ParamError::new(
                    "panels",
                    msg!("the `diff` panel compares runs, and this step runs one"),
                )
            });
        }
        Ok(())
    }

    /// After an iteration: each run still in step with the first, compared
    /// with it.
    fn compare(&mut self) {
        let (first, rest) = self.runs.split_first().expect("a step has a run");
        let at = first.experiment.iteration();
        for (lane, diff) in rest.iter().zip(&mut self.diffs) {
            let Some(diff) = diff else { continue };
            if lane.experiment.iteration() != at {
                continue;
            }
            let Some(d) = first.experiment.max_abs_diff(&lane.experiment) else {
                continue;
            };
            if !d.is_finite() {
                continue;
            }
            diff.max = diff.max.max(d);
            if at.is_multiple_of(diff.stride) {
                push_thinned(&mut diff.history, &mut diff.stride, [at as f64, d]);
            }
        }
    }

    /// The [`DIFF_PANEL`]: for each run k ≥ 2, its distance from the first
    /// run at each recorded iteration.
    fn diff_panel(&self, states: &[(&str, Status)]) -> Panel {
        let largest = self
            .diffs
            .iter()
            .flatten()
            .map(|d| d.max)
            .fold(0.0, f64::max);
        // `log_y` belongs to the kind; where it offers it, it names this panel too.
        let log = self.params.kind().key("log_y").is_some()
            && self.params.strs("log_y").contains(&DIFF_PANEL.name);
        let series = self
            .diffs
            .iter()
            .zip(states.iter().skip(1))
            .filter_map(|(d, &(label, status))| {
                let d = d.as_ref()?;
                Some(Series::line(
                    msg!(
                        "{run} vs {first}",
                        run = run_name(label, status),
                        first = states[0].0
                    ),
                    d.history.iter().copied().filter(|p| !log || p[1] > 0.0),
                ))
            })
            .collect();
        let y = Axis::new(msg!("largest absolute parameter difference"));
        Panel {
            id: DIFF_PANEL.name.into(),
            title: msg!(
                "largest |parameter difference| from run 1 so far: {diff}",
                diff = measured(format!("{largest:.1e}"))
            ),
            x: Axis::bounded(msg!("iteration"), 0.0, self.total() as f64),
            y: if log { y.log() } else { y },
            body: PanelBody::Series { series },
        }
    }
}

/// Each run's label and config; a run's error names the run.
fn configs<E: Experiment>(p: &Params) -> Result<Vec<(String, E::Config)>, ParamError> {
    let several = !p.runs().is_empty();
    p.run_params()
        .into_iter()
        .map(|(label, rp)| match E::config(&rp) {
            Ok(c) => Ok((label, c)),
            Err(e) if several => Err(in_run(&label, e)),
            Err(e) => Err(e),
        })
        .collect()
}

/// `e`, a problem of the run labelled `label`, saying so.
fn in_run(label: &str, e: ParamError) -> ParamError {
    ParamError {
        message: msg!("run {label}: {problem}", label, problem = e.message),
        ..e
    }
}

/// Where experiment `e` is in its run.
fn status_of<E: Experiment>(e: &E) -> Status {
    e.status()
}

/// The name under which the run at 0-based index `k` reports metric
/// `name`: the first run's keep the kind's names, so a step without runs
/// reads as it always did; the others' end in `@` and the run's 1-based
/// number (`train_loss@2` for `k` = 1).
pub fn run_metric(name: &str, k: usize) -> String {
    if k == 0 {
        name.to_string()
    } else {
        format!("{name}@{}", k + 1)
    }
}

/// A reported metric name split into the kind's metric and the run's
/// 0-based index: `test_loss@3` is (`test_loss`, 2); `test_loss@1` names
/// the first run too. `None` for a malformed run number.
pub fn split_run(name: &str) -> Option<(&str, usize)> {
    match name.split_once('@') {
        None => Some((name, 0)),
        Some((base, k)) => {
            let digits = !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit());
            match k.parse::<usize>() {
                Ok(n) if digits && n >= 1 && !k.starts_with('0') => Some((base, n - 1)),
                _ => None,
            }
        }
    }
}

impl<E: Experiment> Demo for Runner<E> {
    fn advance(&mut self, n: usize) -> usize {
        for ran in 0..n {
            let mut stepped = false;
            for lane in &mut self.runs {
                if status_of(&lane.experiment) == Status::Running {
                    lane.experiment.step();
                    stepped = true;
                }
            }
            if !stepped {
                return ran;
            }
            if !self.diffs.is_empty() {
                self.compare();
            }
        }
        n
    }

    fn iteration(&self) -> usize {
        self.runs
            .iter()
            .map(|l| l.experiment.iteration())
            .max()
            .unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.runs
            .iter()
            .map(|l| l.experiment.total())
            .max()
            .unwrap_or(0)
    }

    /// With several runs: running while any runs, then done if any
    /// finished, else diverged where the last one did.
    fn status(&self) -> Status {
        let all: Vec<Status> = self.runs.iter().map(|l| status_of(&l.experiment)).collect();
        match all.as_slice() {
            [one] => *one,
            _ if all.contains(&Status::Running) => Status::Running,
            _ if all.contains(&Status::Done) => Status::Done,
            _ => Status::Diverged {
                at: all
                    .iter()
                    .filter_map(|s| match s {
                        Status::Diverged { at } => Some(*at),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0),
            },
        }
    }

    fn snapshot(&self) -> Snapshot {
        let mut s = Snapshot {
            iteration: self.iteration(),
            total: self.total(),
            status: Some(self.status()),
            ..Snapshot::default()
        };
        let views: Vec<E::View> = self.runs.iter().map(|l| l.experiment.view()).collect();
        for (k, (lane, view)) in self.runs.iter().zip(&views).enumerate() {
            let e = &lane.experiment;
            let mut own = Snapshot::default();
            own.push("iteration", Metric::Num(e.iteration() as f64));
            e.metrics(view, &mut own);
            if let Some(Some(d)) = k.checked_sub(1).map(|i| &self.diffs[i]) {
                own.push(DIFF_METRIC.name, Metric::Num(d.max));
            }
            if k == 0 {
                s.metrics = own.metrics;
            } else {
                s.metrics.extend(
                    own.metrics
                        .into_iter()
                        .map(|(name, m)| (run_metric(&name, k), m)),
                );
            }
        }
        let states: Vec<(&str, Status)> = self
            .runs
            .iter()
            .map(|l| (l.label.as_str(), status_of(&l.experiment)))
            .collect();
        for id in self.params.strs("panels") {
            if id == DIFF_PANEL.name {
                s.panels.push(self.diff_panel(&states));
                continue;
            }
            let mut panels = self
                .runs
                .iter()
                .zip(&views)
                .map(|(l, v)| l.experiment.panel(v, id));
            let Some(first) = panels.next() else {
                continue;
            };
            s.panels.push(if self.runs.len() == 1 {
                first
            } else {
                overlay(first, panels, &states)
            });
        }
        s
    }

    fn apply_live(&mut self, params: &Params) -> bool {
        if !only_live_changes(&self.params, params) || params.runs() != self.params.runs() {
            return false;
        }
        let Ok(configs) = configs::<E>(params) else {
            return false;
        };
        for (lane, (_, c)) in self.runs.iter_mut().zip(&configs) {
            if !lane.experiment.set_live(c) {
                return false;
            }
        }
        self.params = params.clone();
        true
    }
}

/// The runs' panels of one id as one panel (see [`Runner`]); `runs`: each
/// run's label and status, in order.
///
/// When some runs diverged and others did not, a y axis that fits the data
/// is fitted to the runs that did not: the last finite numbers of a
/// diverging run reach 1e300, which would flatten every other line. The
/// diverged run's line leaves the chart, and its legend entry says where.
fn overlay(first: Panel, rest: impl Iterator<Item = Panel>, runs: &[(&str, Status)]) -> Panel {
    let label = runs.first().map_or("", |r| r.0);
    let title = msg!("{run}: {title}", run = label, title = first.title.clone());
    if matches!(&first.body, PanelBody::Heat { .. }) {
        return overlay_heat(Panel { title, ..first }, rest, runs);
    }
    let overlays = matches!(&first.body, PanelBody::Series { series }
        if series.iter().any(|s| s.mark == Mark::Line));
    if !overlays {
        return Panel { title, ..first };
    }
    let diverged = |s: Status| matches!(s, Status::Diverged { .. });
    let fit_steady = first.y.bounds.is_none()
        && !first.y.log
        && runs.iter().any(|r| diverged(r.1))
        && !runs.iter().all(|r| diverged(r.1));
    let (id, mut x, mut y) = (first.id.clone(), first.x.clone(), first.y.clone());
    let (mut lines, mut shared, mut steady) =
        (Vec::new(), Vec::new(), [f64::INFINITY, f64::NEG_INFINITY]);
    let mut widen = |points: &[[f64; 2]]| {
        for p in points {
            steady = [steady[0].min(p[1]), steady[1].max(p[1])];
        }
    };
    for (k, (panel, &(label, status))) in std::iter::once(first).chain(rest).zip(runs).enumerate() {
        x.bounds = union(x.bounds, panel.x.bounds);
        y.bounds = union(y.bounds, panel.y.bounds);
        let PanelBody::Series { series } = panel.body else {
            continue;
        };
        let Some(main) = series
            .iter()
            .find(|s| s.mark == Mark::Line)
            .map(|s| s.name.clone())
        else {
            continue;
        };
        let name = run_name(label, status);
        for s in series {
            if s.mark == Mark::Line && s.name == main {
                if fit_steady && !diverged(status) {
                    widen(&s.points);
                }
                lines.push(Series {
                    name: name.clone(),
                    ..s
                });
            } else if k == 0 && s.mark != Mark::Line {
                if fit_steady {
                    widen(&s.points);
                }
                shared.push(s);
            }
        }
    }
    if fit_steady && steady[1] > steady[0] {
        y.bounds = Some(steady);
    }
    lines.extend(shared);
    Panel {
        id,
        title,
        x,
        y,
        body: PanelBody::Series { series: lines },
    }
}

/// The runs' heat panels of one id as one: the first run's grid under the
/// first overlay line of every run (a path, a boundary), each renamed to its
/// run's label so it gets its own colour and legend entry, then the first
/// run's other overlay series (its marks, references and lines: they belong
/// to the grid it shows). The grid is the first run's, as for any panel
/// that cannot overlay.
fn overlay_heat(first: Panel, rest: impl Iterator<Item = Panel>, runs: &[(&str, Status)]) -> Panel {
    let Panel {
        id,
        title,
        x,
        y,
        body,
    } = first;
    let PanelBody::Heat {
        nx,
        ny,
        values,
        shade,
        overlay,
    } = body
    else {
        unreachable!("overlay_heat is called on heat panels");
    };
    let mut lines = Vec::new();
    let mut shared = Vec::new();
    let first_overlay = std::iter::once(overlay);
    let others = rest.map(|p| match p.body {
        PanelBody::Heat { overlay, .. } => overlay,
        _ => Vec::new(),
    });
    for (k, (series, &(label, status))) in first_overlay.chain(others).zip(runs).enumerate() {
        let main = series.iter().position(|s| s.mark == Mark::Line);
        let name = run_name(label, status);
        for (i, s) in series.into_iter().enumerate() {
            if Some(i) == main {
                lines.push(Series {
                    name: name.clone(),
                    ..s
                });
            } else if k == 0 {
                shared.push(s);
            }
        }
    }
    lines.extend(shared);
    Panel {
        id,
        title,
        x,
        y,
        body: PanelBody::Heat {
            nx,
            ny,
            values,
            shade,
            overlay: lines,
        },
    }
}

/// A run's legend entry: its label, and where it diverged if it did.
fn run_name(label: &str, status: Status) -> Msg {
    match status {
        Status::Diverged { at } => msg!("{run} (diverged at {at})", run = label, at),
        _ => Msg::verbatim(label),
    }
}

/// The smallest range holding both fixed ranges; `None` (fit the data)
/// unless both are fixed.
fn union(a: Option<[f64; 2]>, b: Option<[f64; 2]>) -> Option<[f64; 2]> {
    match (a, b) {
        (Some(a), Some(b)) => Some([a[0].min(b[0]), a[1].max(b[1])]),
        _ => None,
    }
}

/// Whether `next` differs from `current` only in keys that apply live.
pub(crate) fn only_live_changes(current: &Params, next: &Params) -> bool {
    current.kind() == next.kind()
        && next.iter().all(|(key, value)| {
            value == current.get(key)
                || next
                    .kind()
                    .key(key)
                    .is_some_and(|spec| spec.apply == Apply::Live)
        })
}

#[cfg(test)]
mod tests {
    use super::super::{KINDS, Ty, Value};

    /// The `panels` key offers exactly the panels of the kind's table.
    #[test]
    fn every_kind_offers_the_panels_of_its_table() {
        for kind in KINDS {
            let Some(Ty::ChoiceList(choices)) = kind.key("panels").map(|k| k.ty) else {
                panic!("{} has no `panels` choice list", kind.name);
            };
            let table: Vec<&str> = kind.panels.iter().map(|p| p.name).collect();
            assert_eq!(choices, table.as_slice(), "{}", kind.name);
        }
    }

    /// Each kind's metrics appear in its table, in the table's order, and
    /// each panel under the id it was asked for.
    #[test]
    fn every_kind_reports_its_declared_metrics_in_table_order() {
        let classes = [
            ("dataset", Value::Str("spirals".into())),
            (
                "layers",
                Value::List(vec![Value::Int(2), Value::Int(8), Value::Int(2)]),
            ),
        ];
        for kind in KINDS {
            let mut cases = vec![kind.params(&[]).unwrap()];
            if kind.name == "train" {
                cases.push(kind.params(&classes).unwrap());
            }
            for p in cases {
                let mut d = (kind.build)(&p).unwrap();
                d.advance(3);
                let s = d.snapshot();
                let table: Vec<&str> = kind.metrics.iter().map(|m| m.name).collect();
                let at: Vec<usize> = s
                    .metrics
                    .iter()
                    .map(|(n, _)| {
                        let i = table.iter().position(|m| m == n);
                        i.unwrap_or_else(|| panic!("{}: `{n}` is not in its table", kind.name))
                    })
                    .collect();
                assert!(at.windows(2).all(|w| w[0] < w[1]), "{}: {at:?}", kind.name);
                let ids: Vec<&str> = s.panels.iter().map(|p| p.id.as_str()).collect();
                assert_eq!(ids, p.strs("panels"), "{}", kind.name);
            }
        }
    }
}
