//! The running demo of the current step, with a bounded history of
//! snapshots for replay.

use std::time::{Duration, Instant};

use crate::demo::{self, Demo, ParamError, Params, Snapshot, Status};

/// Recorded snapshots, decimated so memory stays bounded however long the
/// run: when full, every other snapshot is dropped and the recording
/// interval doubles, so the history always spans the whole run.
#[derive(Debug, Default)]
pub struct History {
    pub snaps: Vec<Snapshot>,
    /// Record one snapshot every `every` iterations.
    every: usize,
    /// The iteration at which the next snapshot is due.
    next: usize,
    /// `approx_bytes` of all kept snapshots.
    bytes: usize,
}

/// At most this many snapshots are kept.
pub const HISTORY_CAP: usize = 128;
/// And at most about this many bytes of panel data (a `train` snapshot with
/// one line per hidden unit can hold hundreds of kB; RSS target is 50 MB).
pub const HISTORY_BYTES: usize = 12 << 20;

/// Approximate heap size of a snapshot's numbers.
pub fn approx_bytes(s: &Snapshot) -> usize {
    use crate::demo::{Metric, PanelBody};
    let metrics: usize = s
        .metrics
        .iter()
        .map(|(n, m)| {
            n.len()
                + 16
                + if let Metric::Nums(v) = m {
                    8 * v.len()
                } else {
                    0
                }
        })
        .sum();
    let panels: usize = s
        .panels
        .iter()
        .map(|p| {
            64 + match &p.body {
                PanelBody::Series { series } => {
                    series.iter().map(|x| 32 + 16 * x.points.len()).sum()
                }
                PanelBody::Histogram {
                    bins,
                    bands,
                    markers,
                } => 24 * bins.len() + 48 * (bands.len() + markers.len()),
                PanelBody::Bars { categories, groups } => {
                    16 * categories.len()
                        + groups
                            .iter()
                            .map(|g| 32 + 8 * g.values.len())
                            .sum::<usize>()
                }
                PanelBody::Heat {
                    values, overlay, ..
                } => {
                    8 * values.len()
                        + overlay
                            .iter()
                            .map(|x| 32 + 16 * x.points.len())
                            .sum::<usize>()
                }
                PanelBody::Table { rows, .. } => rows
                    .iter()
                    .map(|r| r.iter().map(|c| 24 + c.len()).sum::<usize>())
                    .sum(),
            }
        })
        .sum();
    metrics + panels
}

impl History {
    fn new() -> History {
        History {
            snaps: Vec::new(),
            every: 1,
            next: 0,
            bytes: 0,
        }
    }

    /// Records `snap` if its iteration is due (or it ends the run).
    pub fn offer(&mut self, snap: &Snapshot) {
        let last_iter = self.snaps.last().map(|s| s.iteration);
        let ends = !matches!(snap.status, Some(Status::Running) | None);
        if last_iter == Some(snap.iteration) || (snap.iteration < self.next && !ends) {
            return;
        }
        self.bytes += approx_bytes(snap);
        self.snaps.push(snap.clone());
        self.next = snap.iteration + self.every;
        while self.snaps.len() > 2
            && (self.snaps.len() >= HISTORY_CAP || self.bytes > HISTORY_BYTES)
        {
            // Keep every other snapshot, always the newest, and record half as often.
            let last = self.snaps.len() - 1;
            let mut i = 0;
            self.snaps.retain(|_| {
                i += 1;
                (i - 1) % 2 == 0 || i - 1 == last
            });
            self.bytes = self.snaps.iter().map(approx_bytes).sum();
            self.every *= 2;
        }
    }
}

/// A demo being run for the current step.
pub struct Run {
    pub demo: Box<dyn Demo>,
    pub params: Params,
    /// The latest snapshot of the live demo.
    pub snapshot: Snapshot,
    pub history: History,
    pub paused: bool,
    /// Replay position in `history.snaps`; `None` shows the live demo.
    pub scrub: Option<usize>,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("kind", &self.params.kind().name)
            .field("iteration", &self.snapshot.iteration)
            .field("paused", &self.paused)
            .field("scrub", &self.scrub)
            .finish_non_exhaustive()
    }
}

impl Run {
    /// Builds the demo for `params` at iteration 0.
    pub fn new(params: Params) -> Result<Run, ParamError> {
        let demo = demo::build(&params)?;
        let snapshot = demo.snapshot();
        let mut history = History::new();
        history.offer(&snapshot);
        Ok(Run {
            demo,
            params,
            snapshot,
            history,
            paused: false,
            scrub: None,
        })
    }

    /// Whether the demo still has iterations to run.
    pub fn running(&self) -> bool {
        self.demo.status() == Status::Running
    }

    /// The snapshot to draw: the replayed one, or the live one.
    pub fn shown(&self) -> &Snapshot {
        self.scrub
            .and_then(|i| self.history.snaps.get(i))
            .unwrap_or(&self.snapshot)
    }

    /// Advances the demo one iteration at a time until `budget` is spent
    /// (at least one iteration), then takes one snapshot. Returns whether
    /// anything ran.
    pub fn train(&mut self, budget: Duration) -> bool {
        let start = Instant::now();
        let mut ran = 0;
        while self.running() {
            ran += self.demo.advance(1);
            if start.elapsed() >= budget {
                break;
            }
        }
        if ran > 0 || self.snapshot.status != Some(self.demo.status()) {
            self.snapshot = self.demo.snapshot();
            self.history.offer(&self.snapshot);
            return true;
        }
        false
    }

    /// Runs `n` iterations at once (tests, replay set-up), then snapshots.
    pub fn advance(&mut self, n: usize) {
        self.demo.advance(n);
        self.snapshot = self.demo.snapshot();
        self.history.offer(&self.snapshot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::Value;

    fn params(steps: i64) -> Params {
        demo::kind("gaussian")
            .unwrap()
            .validate(&[("steps".into(), Value::Int(steps))])
            .unwrap()
    }

    #[test]
    fn history_stays_bounded_and_spans_the_run() {
        let mut run = Run::new(params(5000)).unwrap();
        for _ in 0..5000 {
            run.advance(1);
        }
        let h = &run.history.snaps;
        assert!(h.len() < HISTORY_CAP, "{}", h.len());
        assert_eq!(h.first().unwrap().iteration, 0);
        assert_eq!(h.last().unwrap().iteration, 5000);
        assert!(h.windows(2).all(|w| w[0].iteration < w[1].iteration));
        assert!(run.history.bytes <= HISTORY_BYTES);
    }

    #[test]
    fn big_snapshots_are_bounded_by_bytes() {
        use crate::demo::{Axis, Panel, PanelBody, Series};
        let mut h = History::new();
        for it in 0..2000 {
            let series = (0..64)
                .map(|u| {
                    Series::line(
                        crate::msg!("unit {n}", n = u),
                        (0..400).map(|i| [i as f64, u as f64]),
                    )
                })
                .collect();
            let snap = Snapshot {
                iteration: it,
                total: 2000,
                status: Some(Status::Running),
                metrics: vec![],
                panels: vec![Panel {
                    id: "hidden-units".into(),
                    title: crate::i18n::Msg::verbatim(""),
                    x: Axis::new(crate::i18n::Msg::verbatim("x")),
                    y: Axis::new(crate::i18n::Msg::verbatim("y")),
                    body: PanelBody::Series { series },
                }],
            };
            h.offer(&snap);
        }
        assert!(h.bytes <= HISTORY_BYTES, "{}", h.bytes);
        assert!(h.snaps.len() >= 2);
        // Still spans the run: from the start to within one interval of the end.
        assert_eq!(h.snaps[0].iteration, 0);
        assert!(h.snaps.last().unwrap().iteration + h.every > 1999);
    }

    #[test]
    fn train_runs_within_the_budget_and_stops_at_the_end() {
        let mut run = Run::new(params(30)).unwrap();
        assert!(run.train(Duration::from_millis(50)));
        assert_eq!(run.snapshot.iteration, 30);
        assert!(!run.running());
        assert!(!run.train(Duration::from_millis(5)));
    }
}
