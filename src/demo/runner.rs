//! The one [`Demo`]: a generic runner over a kind's typed [`Experiment`].
//!
//! A kind writes only what is its own: its typed config, one iteration, its
//! metrics and its panels. Counting iterations, status, choosing panels by
//! the `panels` key and deciding whether a knob change may apply to the
//! running experiment are the runner's, written once.

use super::Demo;
use super::schema::{Apply, ParamError, Params};
use super::snapshot::{Metric, Panel, Snapshot, Status};

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
}

/// Runs an [`Experiment`] as a [`Demo`].
pub struct Runner<E: Experiment> {
    params: Params,
    experiment: E,
}

impl<E: Experiment> Runner<E> {
    /// The `KindSpec.build` of kind `E`.
    pub fn build(p: &Params) -> Result<Box<dyn Demo>, ParamError> {
        let c = E::config(p)?;
        Ok(Box::new(Runner {
            params: p.clone(),
            experiment: E::new(&c),
        }))
    }

    /// The `KindSpec.check` of kind `E`: its config, built and dropped.
    pub fn check(p: &Params) -> Result<(), ParamError> {
        E::config(p).map(drop)
    }
}

/// Where experiment `e` is in its run.
fn status_of<E: Experiment>(e: &E) -> Status {
    Status::of(e.iteration(), e.total(), e.diverged_at())
}

impl<E: Experiment> Demo for Runner<E> {
    fn advance(&mut self, n: usize) -> usize {
        let e = &mut self.experiment;
        let mut ran = 0;
        while ran < n && status_of(e) == Status::Running {
            ran += 1;
            if !e.step() {
                break;
            }
        }
        ran
    }

    fn iteration(&self) -> usize {
        self.experiment.iteration()
    }

    fn total(&self) -> usize {
        self.experiment.total()
    }

    fn status(&self) -> Status {
        status_of(&self.experiment)
    }

    fn snapshot(&self) -> Snapshot {
        let e = &self.experiment;
        let view = e.view();
        let mut s = Snapshot {
            iteration: e.iteration(),
            total: e.total(),
            status: Some(status_of(e)),
            ..Snapshot::default()
        };
        s.push("iteration", Metric::Num(e.iteration() as f64));
        e.metrics(&view, &mut s);
        for id in self.params.strs("panels") {
            s.panels.push(e.panel(&view, id));
        }
        s
    }

    fn apply_live(&mut self, params: &Params) -> bool {
        if !only_live_changes(&self.params, params) {
            return false;
        }
        match E::config(params) {
            Ok(c) if self.experiment.set_live(&c) => {
                self.params = params.clone();
                true
            }
            _ => false,
        }
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
