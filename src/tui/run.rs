//! The running demo of the current step, played at a pace a person can
//! follow, with a bounded history of snapshots for replay.

use std::time::{Duration, Instant};

use crate::demo::{self, Demo, ParamError, Params, Snapshot, Status};

/// Recorded snapshots on a grid of iterations (every `every`-th, plus the
/// last), so a run offers about [`HISTORY_MOMENTS`] moments to scrub however
/// fast it was played. If the snapshots outgrow [`HISTORY_BYTES`], every
/// other one is dropped and the grid doubles, so the history still spans
/// the whole run.
#[derive(Debug, Default)]
pub struct History {
    pub snaps: Vec<Snapshot>,
    /// Record the iterations that are multiples of `every`.
    every: usize,
    /// `approx_bytes` of all kept snapshots.
    bytes: usize,
}

/// The number of moments a run's history aims for.
pub const HISTORY_MOMENTS: usize = 120;
/// At most this many snapshots are kept (a demo whose total grows).
pub const HISTORY_CAP: usize = 256;
/// And at most about this many bytes of panel data (a `train` snapshot with
/// one line per hidden unit can hold hundreds of kB; RSS target is 50 MB).
pub const HISTORY_BYTES: usize = 16 << 20;

/// Playback speeds `<` and `>` step through, as multiples of the lesson's
/// pace; `None` runs as many iterations as the frame's budget allows.
pub const SPEEDS: [Option<f64>; 8] = [
    Some(0.125),
    Some(0.25),
    Some(0.5),
    Some(1.0),
    Some(2.0),
    Some(4.0),
    Some(8.0),
    None,
];
/// The index of 1x in [`SPEEDS`].
pub const NORMAL_SPEED: usize = 3;
/// Seconds a whole run takes at 1x unless the lesson sets `run_seconds`: long
/// enough to watch the curves move, short enough not to wait.
pub const RUN_SECONDS: f64 = 6.0;

/// How a speed reads in the status line and notices: `2x`, `0.5x`, or `max`.
pub fn speed_label(speed: usize) -> String {
    match SPEEDS.get(speed).copied().flatten() {
        Some(s) => format!("{s}x"),
        None => "max".into(),
    }
}

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
                // A cell is a Msg: its template, one argument and its text.
                PanelBody::Table { rows, .. } => rows.iter().map(|r| 96 * r.len()).sum(),
            }
        })
        .sum();
    metrics + panels
}

impl History {
    /// An empty history for a run of `total` iterations.
    fn new(total: usize) -> History {
        History {
            snaps: Vec::new(),
            every: total.div_ceil(HISTORY_MOMENTS).max(1),
            bytes: 0,
        }
    }

    /// Whether a snapshot at iteration `it` would be recorded.
    pub fn due(&self, it: usize) -> bool {
        it.is_multiple_of(self.every) && self.snaps.last().is_none_or(|s| s.iteration < it)
    }

    /// Records `snap` if its iteration is on the grid (or it ends the run).
    pub fn offer(&mut self, snap: &Snapshot) {
        let ends = !matches!(snap.status, Some(Status::Running) | None);
        let newer = self
            .snaps
            .last()
            .is_none_or(|s| s.iteration < snap.iteration);
        if !newer || !(ends || snap.iteration.is_multiple_of(self.every)) {
            return;
        }
        self.bytes += approx_bytes(snap);
        self.snaps.push(snap.clone());
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
    /// Seconds the whole run takes at 1x.
    seconds: f64,
    /// Iterations owed by the clock but not yet run (fractional).
    credit: f64,
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
    /// Builds the demo for `params` at iteration 0, to be played in
    /// `seconds` at 1x.
    pub fn new(params: Params, seconds: f64) -> Result<Run, ParamError> {
        let demo = demo::build(&params)?;
        let snapshot = demo.snapshot();
        let mut history = History::new(demo.total());
        history.offer(&snapshot);
        Ok(Run {
            demo,
            params,
            snapshot,
            history,
            paused: false,
            scrub: None,
            seconds: if seconds > 0.0 { seconds } else { RUN_SECONDS },
            credit: 0.0,
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

    /// Plays `dt` of wall time at `speed` (an index into [`SPEEDS`]): runs
    /// the iterations the pace owes for it
    /// (all it can within `budget` at max speed, or when iterations are
    /// slow), recording history on its grid, then takes one snapshot.
    /// Returns whether anything changed.
    pub fn train(&mut self, dt: Duration, budget: Duration, speed: usize) -> bool {
        let start = Instant::now();
        let want = match SPEEDS.get(speed).copied().flatten() {
            Some(s) => {
                let rate = self.demo.total() as f64 / self.seconds;
                self.credit += rate * s * dt.as_secs_f64();
                self.credit.floor() as usize
            }
            None => usize::MAX,
        };
        let mut ran = 0;
        let mut last: Option<Snapshot> = None;
        while ran < want && self.running() {
            let Some(recorded) = self.step_recorded() else {
                break;
            };
            ran += 1;
            last = recorded.or(last);
            if start.elapsed() >= budget {
                break;
            }
        }
        // Iterations the budget could not fit are forgiven, not owed: a slow
        // demo plays as fast as it can instead of lurching to catch up.
        self.credit = if ran < want {
            self.credit.fract()
        } else {
            self.credit - ran as f64
        };
        if ran > 0 || self.snapshot.status != Some(self.demo.status()) {
            self.settle(last);
            return true;
        }
        false
    }

    /// Runs `n` iterations at once (tests, single steps), recording the
    /// history grid points on the way, then snapshots.
    pub fn advance(&mut self, n: usize) {
        let mut last = None;
        for _ in 0..n {
            let Some(recorded) = self.step_recorded() else {
                break;
            };
            last = recorded.or(last);
        }
        self.settle(last);
    }

    /// Runs one iteration and snapshots it into the history if it is on
    /// the grid (the end of the run is left to [`Run::settle`]); `None`
    /// once the demo runs no more.
    fn step_recorded(&mut self) -> Option<Option<Snapshot>> {
        if self.demo.advance(1) == 0 {
            return None;
        }
        let due = self.history.due(self.demo.iteration()) && self.running();
        Some(due.then(|| {
            let snap = self.demo.snapshot();
            self.history.offer(&snap);
            snap
        }))
    }

    /// Makes the live snapshot current (reusing `last` when it is of this
    /// very iteration, as snapshots are not free) and offers it to history.
    fn settle(&mut self, last: Option<Snapshot>) {
        self.snapshot = match last {
            Some(s) if s.iteration == self.demo.iteration() => s,
            _ => self.demo.snapshot(),
        };
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
        let mut run = Run::new(params(5000), RUN_SECONDS).unwrap();
        for _ in 0..5000 {
            run.advance(1);
        }
        let h = &run.history.snaps;
        assert!(h.len() <= HISTORY_MOMENTS + 2, "{}", h.len());
        assert!(h.len() >= HISTORY_MOMENTS - 2, "{}", h.len());
        assert_eq!(h.first().unwrap().iteration, 0);
        assert_eq!(h.last().unwrap().iteration, 5000);
        assert!(h.windows(2).all(|w| w[0].iteration < w[1].iteration));
        assert!(run.history.bytes <= HISTORY_BYTES);
    }

    #[test]
    fn big_snapshots_are_bounded_by_bytes() {
        use crate::demo::{Axis, Panel, PanelBody, Series};
        let mut h = History::new(2000);
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
    fn a_run_plays_at_its_pace_and_max_speed_runs_to_the_end() {
        // 600 iterations in 6 s at 1x: 100 per second.
        let mut run = Run::new(params(600), 6.0).unwrap();
        let frame = Duration::from_millis(33);
        let long = Duration::from_secs(10);
        assert!(run.train(frame, long, NORMAL_SPEED));
        assert_eq!(run.snapshot.iteration, 3);
        for _ in 0..29 {
            run.train(frame, long, NORMAL_SPEED);
        }
        // 30 frames of 33 ms: 99 iterations, the fraction carried over.
        assert_eq!(run.snapshot.iteration, 99);
        run.train(Duration::from_millis(100), long, NORMAL_SPEED + 1);
        assert_eq!(run.snapshot.iteration, 119);
        let max = SPEEDS.len() - 1;
        assert!(run.train(frame, long, max));
        assert_eq!(run.snapshot.iteration, 600);
        assert!(!run.running());
        assert!(!run.train(frame, long, max));
    }

    #[test]
    fn history_samples_by_iteration_however_fast_the_run() {
        let mut run = Run::new(params(600), 6.0).unwrap();
        run.train(
            Duration::from_millis(33),
            Duration::from_secs(10),
            SPEEDS.len() - 1,
        );
        assert_eq!(run.snapshot.iteration, 600);
        let its: Vec<usize> = run.history.snaps.iter().map(|s| s.iteration).collect();
        assert_eq!(its.len(), 121, "{its:?}");
        assert!(its.iter().enumerate().all(|(i, &it)| it == 5 * i));
        // A short run records every iteration.
        let mut short = Run::new(params(30), 6.0).unwrap();
        short.advance(30);
        assert_eq!(short.history.snaps.len(), 31);
    }

    #[test]
    fn a_slow_demo_runs_what_the_budget_allows_and_owes_nothing() {
        let mut run = Run::new(params(600), 6.0).unwrap();
        // A zero budget still runs one iteration per call, never a backlog.
        run.train(Duration::from_secs(3), Duration::ZERO, NORMAL_SPEED);
        assert_eq!(run.snapshot.iteration, 1);
        run.train(
            Duration::from_millis(10),
            Duration::from_secs(10),
            NORMAL_SPEED,
        );
        assert_eq!(run.snapshot.iteration, 2);
    }
}
