//! Experiments: turn validated parameters into a running [`Demo`] and its
//! state into a UI-agnostic [`Snapshot`]. Never imports a terminal crate.
//!
//! One file per kind; each exports a `pub static KIND: KindSpec` that is
//! listed in [`KINDS`].

pub mod activation;
pub mod bias_variance;
pub mod depth;
pub mod descent;
pub mod dropout_sum;
pub mod gaussian;
pub mod graph;
pub mod penalty_geometry;
pub mod runner;
pub mod schema;
pub mod snapshot;
pub mod train;

pub use runner::{Experiment, Runner, run_metric, split_run};

use crate::i18n::Msg;
use crate::msg;
pub use schema::{
    Apply, DefaultValue, KeySpec, KindSpec, MAX_RUNS, MetricSpec, PanelSpec, ParamError, Params,
    RunSpec, Ty, Value,
};
pub use snapshot::{
    Axis, Band, BarGroup, Bin, Mark, Marker, Metric, Panel, PanelBody, Series, Snapshot, Status,
    name_groups,
};

/// A running experiment, advanced by the view in small slices.
///
/// `advance` must return quickly for small `n` (the TUI calls it within a
/// per-frame budget), and a demo must never panic on numbers: NaN/∞ end the
/// run with [`Status::Diverged`].
pub trait Demo: Send {
    /// Runs at most `n` more iterations; returns how many actually ran
    /// (0 once done or diverged).
    fn advance(&mut self, n: usize) -> usize;

    /// Iterations run so far.
    fn iteration(&self) -> usize;

    /// Iterations in the whole run.
    fn total(&self) -> usize;

    /// Running, done, or diverged at some iteration.
    fn status(&self) -> Status;

    /// The current metrics and the panels selected by the `panels` key.
    fn snapshot(&self) -> Snapshot;

    /// Applies parameters whose changed keys are all [`Apply::Live`] to the
    /// running demo. Returns false if the demo cannot, and the caller rebuilds.
    fn apply_live(&mut self, _params: &Params) -> bool {
        false
    }
}

/// Every demo kind, in the order the docs list them.
pub static KINDS: &[&KindSpec] = &[
    &train::KIND,
    &gaussian::KIND,
    &depth::KIND,
    &bias_variance::KIND,
    &penalty_geometry::KIND,
    &dropout_sum::KIND,
    &activation::KIND,
    &descent::KIND,
    &graph::KIND,
];

/// A kind that no longer exists, called `name`: what it became, and how a
/// demo block that used it says the same now.
pub fn retired(name: &str) -> Option<(Msg, Msg)> {
    match name {
        "weight-decay" => Some((
            msg!("kind \"weight-decay\" is now a \"train\" step with two runs"),
            msg!(
                "write kind = \"train\" with the same keys and two [[run]] tables, l2_mode = \"coupled\" and l2_mode = \"decoupled\"; the panel `norms` is now `weight-norm`, and the metrics max_abs_diff, weight_norm_coupled and weight_norm_decoupled are now max_abs_diff@2, weight_norm and weight_norm@2"
            ),
        )),
        _ => None,
    }
}

/// The kind called `name`.
pub fn kind(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().copied().find(|k| k.name == name)
}

/// Names of all kinds, for "valid kinds: …" diagnostics.
pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}

/// The kind's cost and cross-key guards on every run of `params` (the
/// error of one run of several names the run), then on its runs together:
/// `KindSpec.check_step`, which builds every run's config first.
pub fn check(params: &Params) -> Result<(), ParamError> {
    (params.kind().check_step)(params)
}

/// Builds the demo for validated parameters.
pub fn build(params: &Params) -> Result<Box<dyn Demo>, ParamError> {
    (params.kind().build)(params)
}

/// Runs a demo to the end (or divergence) without a view, `chunk` iterations
/// at a time, calling `each` after every chunk. The path `nntutor run` and
/// the claim tests share.
pub fn run_to_end(demo: &mut dyn Demo, chunk: usize, mut each: impl FnMut(&dyn Demo)) {
    let chunk = chunk.max(1);
    while demo.status() == Status::Running {
        if demo.advance(chunk) == 0 {
            break;
        }
        each(demo);
    }
}
