//! `weight-decay`: the same network trained twice from the same seed and
//! data, once with the L2 penalty's gradient λw added to ∂Loss/∂w (coupled),
//! once with multiplicative decay w ← w(1 − ηλ) − η∂Loss/∂w (decoupled). For
//! plain SGD the two are the same update, so the weights agree to rounding.

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, KNOBS, KindSpec, MetricSpec, PanelSpec, float, panel_names, panels_key,
};
use super::snapshot::{Axis, Metric, Panel, PanelBody, Series, Snapshot};
use super::train::run::{Eval, Record, push_thinned};
use super::train::{self, Config, Run, config};
use super::{ParamError, Params};
use crate::i18n::{Msg, measured};
use crate::msg;
use crate::nn::L2Mode;

/// The panels, declared once: the `panels` key's choices come from here.
const PANELS: [PanelSpec; 3] = [
    PanelSpec {
        name: "diff",
        doc: "largest absolute parameter difference between the two runs against iteration",
    },
    PanelSpec {
        name: "norms",
        doc: "weight norm of each run against iteration",
    },
    PanelSpec {
        name: "loss",
        doc: "train and test loss of both runs against iteration",
    },
];
const PANEL_NAMES: [&str; 3] = panel_names(&PANELS);

pub static KIND: KindSpec = KindSpec {
    name: "weight-decay",
    summary: "L2 in the gradient vs multiplicative weight decay, side by side from one seed.",
    keys: &[
        train::DATASET,
        train::SAMPLES,
        train::TEST_SAMPLES,
        train::NOISE,
        train::FEATURES,
        train::RELEVANT,
        train::LAYERS,
        train::ACTIVATION,
        train::INIT,
        train::INIT_SCALE,
        train::LR,
        float(
            "l2",
            (0.0, 10.0, false),
            0.1,
            Apply::Live,
            "λ of the penalty (λ/2)·Σw², applied both ways",
        ),
        train::STEPS,
        train::SEED,
        panels_key(&PANEL_NAMES, &PANEL_NAMES),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "SGD steps taken by each run",
        },
        MetricSpec {
            name: "max_abs_diff",
            doc: "largest |w_coupled − w_decoupled| over all parameters and iterations so far",
        },
        MetricSpec {
            name: "weight_norm_coupled",
            doc: "L2 norm of the weights trained with λw in the gradient",
        },
        MetricSpec {
            name: "weight_norm_decoupled",
            doc: "L2 norm of the weights trained with w(1 − ηλ)",
        },
        MetricSpec {
            name: "train_loss",
            doc: "training loss (coupled run)",
        },
        MetricSpec {
            name: "test_loss",
            doc: "test loss (coupled run)",
        },
    ],
    panels: &PANELS,
    build: Runner::<WeightDecay>::build,
    check: Runner::<WeightDecay>::check,
};

/// (iteration, difference now, running max, norm coupled, norm decoupled).
type Point = [f64; 5];

/// The two runs, stepped together, and how far apart their parameters are.
struct WeightDecay {
    coupled: Run,
    decoupled: Run,
    max_abs_diff: f64,
    /// Every `stride`-th point, halved when full.
    history: Vec<Point>,
    stride: usize,
}

/// L2 norm of a run's weights (biases excluded).
fn norm(run: &Run) -> f64 {
    run.net.weight_norm()
}

impl WeightDecay {
    /// Largest absolute difference between the two runs' weights and biases.
    fn diff_now(&self) -> f64 {
        self.coupled
            .net
            .layers
            .iter()
            .zip(&self.decoupled.net.layers)
            .flat_map(|(a, b)| {
                let w = a.w.iter().zip(b.w.iter());
                w.chain(a.b.iter().zip(b.b.iter()))
            })
            .fold(0.0, |m, (x, y)| f64::max(m, (x - y).abs()))
    }

    fn point(&self) -> Point {
        [
            self.coupled.iteration as f64,
            self.diff_now(),
            self.max_abs_diff,
            norm(&self.coupled),
            norm(&self.decoupled),
        ]
    }
}

/// `c` with the L2 penalty applied the given way.
fn with_mode(c: &Config, mode: L2Mode) -> Config {
    let mut c = c.clone();
    c.penalty.l2_mode = mode;
    c
}

/// What a snapshot's metrics and panels share.
struct View {
    /// The coupled run in test mode.
    eval: Eval,
    now: Point,
    /// The history with `now` appended.
    history: Vec<Point>,
}

impl Experiment for WeightDecay {
    type Config = Config;
    type View = View;

    fn config(p: &Params) -> Result<Config, ParamError> {
        config(p)
    }

    fn new(c: &Config) -> Self {
        WeightDecay {
            coupled: Run::new(&with_mode(c, L2Mode::Coupled)),
            decoupled: Run::new(&with_mode(c, L2Mode::Decoupled)),
            max_abs_diff: 0.0,
            history: Vec::new(),
            stride: 1,
        }
    }

    fn step(&mut self) -> bool {
        if self.history.is_empty() {
            self.history.push(self.point());
        }
        let ok = self.coupled.step() & self.decoupled.step();
        if !ok {
            // Stop both where the first diverged, so they stay comparable.
            let at = self.coupled.iteration.min(self.decoupled.iteration) + 1;
            self.coupled.diverged_at.get_or_insert(at);
            self.decoupled.diverged_at.get_or_insert(at);
            return false;
        }
        let d = self.diff_now();
        if d.is_finite() {
            self.max_abs_diff = self.max_abs_diff.max(d);
        }
        if self.coupled.iteration.is_multiple_of(self.stride) {
            let point = self.point();
            push_thinned(&mut self.history, &mut self.stride, point);
        }
        true
    }

    fn iteration(&self) -> usize {
        self.coupled.iteration.min(self.decoupled.iteration)
    }

    fn total(&self) -> usize {
        self.coupled.steps
    }

    fn diverged_at(&self) -> Option<usize> {
        match (self.coupled.diverged_at, self.decoupled.diverged_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn view(&self) -> View {
        let now = self.point();
        let mut history = self.history.clone();
        if history.last().is_none_or(|p| p[0] != now[0]) {
            history.push(now);
        }
        View {
            eval: self.coupled.evaluate(),
            now,
            history,
        }
    }

    fn metrics(&self, v: &View, s: &mut Snapshot) {
        s.push("max_abs_diff", Metric::Num(self.max_abs_diff));
        s.push("weight_norm_coupled", Metric::Num(v.now[3]));
        s.push("weight_norm_decoupled", Metric::Num(v.now[4]));
        s.push("train_loss", Metric::Num(v.eval.train_loss));
        s.push("test_loss", Metric::Num(v.eval.test_loss));
    }

    fn panel(&self, v: &View, id: &str) -> Panel {
        match id {
            "diff" => self.diff_panel(v),
            "norms" => self.norms_panel(v),
            _ => self.loss_panel(v),
        }
    }

    fn set_live(&mut self, c: &Config) -> bool {
        // Both runs always take plain SGD here (the kind has no optimizer
        // keys), so both accept or neither does.
        self.coupled.set_live(&with_mode(c, L2Mode::Coupled))
            && self.decoupled.set_live(&with_mode(c, L2Mode::Decoupled))
    }
}

impl WeightDecay {
    /// " (diverged at iteration N)" once the runs stopped, else nothing.
    fn note(&self) -> Msg {
        match self.diverged_at() {
            Some(at) => msg!(" (diverged at iteration {at})", at),
            None => Msg::verbatim(""),
        }
    }

    fn axis(&self) -> Axis {
        Axis::bounded(msg!("iteration"), 0.0, self.total() as f64)
    }

    fn diff_panel(&self, v: &View) -> Panel {
        let h = &v.history;
        Panel {
            id: "diff".into(),
            title: msg!(
                "largest |w_coupled − w_decoupled| so far: {diff}{note}",
                diff = measured(format!("{:.1e}", self.max_abs_diff)),
                note = self.note()
            ),
            x: self.axis(),
            y: Axis::new(msg!("absolute weight difference")),
            body: PanelBody::Series {
                series: vec![
                    Series::line(msg!("at this iteration"), h.iter().map(|p| [p[0], p[1]])),
                    Series::line(msg!("largest so far"), h.iter().map(|p| [p[0], p[2]])),
                ],
            },
        }
    }

    fn norms_panel(&self, v: &View) -> Panel {
        let h = &v.history;
        Panel {
            id: "norms".into(),
            title: msg!(
                "‖w‖: {coupled} (λw in gradient) vs {decoupled} (w·(1−ηλ)){note}",
                coupled = measured(train::panels::short(v.now[3])),
                decoupled = measured(train::panels::short(v.now[4])),
                note = self.note()
            ),
            x: self.axis(),
            y: Axis::new(msg!("weight norm ‖w‖₂")),
            body: PanelBody::Series {
                series: vec![
                    Series::line(msg!("λw in the gradient"), h.iter().map(|p| [p[0], p[3]])),
                    Series::line(msg!("decay w·(1−ηλ)"), h.iter().map(|p| [p[0], p[4]])),
                ],
            },
        }
    }

    fn loss_panel(&self, v: &View) -> Panel {
        let eval = &v.eval;
        let de = self.decoupled.evaluate();
        let (hc, hd) = (
            self.coupled.history_with_now(eval),
            self.decoupled.history_with_now(&de),
        );
        let line = |name: Msg, h: &[Record], test: bool| {
            Series::line(
                name,
                h.iter().map(|r| {
                    [
                        r.iteration as f64,
                        if test { r.test_loss } else { r.train_loss },
                    ]
                }),
            )
        };
        Panel {
            id: "loss".into(),
            title: msg!(
                "train {train} / test {test} (both runs overlap){note}",
                train = measured(train::panels::short(eval.train_loss)),
                test = measured(train::panels::short(eval.test_loss)),
                note = self.note()
            ),
            x: self.axis(),
            y: Axis::new(msg!("loss (mean squared error or cross-entropy)")),
            body: PanelBody::Series {
                series: vec![
                    line(msg!("train, λw in gradient"), &hc, false),
                    line(msg!("test, λw in gradient"), &hc, true),
                    line(msg!("train, decay"), &hd, false),
                    line(msg!("test, decay"), &hd, true),
                ],
            },
        }
    }
}
