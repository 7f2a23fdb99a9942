//! `weight-decay`: the same network trained twice from the same seed and
//! data, once with the L2 penalty's gradient λw added to ∂Loss/∂w (coupled),
//! once with multiplicative decay w ← w(1 − ηλ) − η∂Loss/∂w (decoupled). For
//! plain SGD the two are the same update, so the weights agree to rounding.

use super::schema::{Apply, KNOBS, KindSpec, MetricSpec, PanelSpec, float, panels_key};
use super::snapshot::{Axis, Metric, Panel, PanelBody, Series, Snapshot, Status};
use super::train::run::push_thinned;
use super::train::{self, Run, config, only_live_changes};
use super::{Demo, ParamError, Params};
use crate::i18n::{Msg, measured};
use crate::msg;
use crate::nn::L2Mode;

const PANELS: &[&str] = &["diff", "norms", "loss"];

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
        panels_key(PANELS, PANELS),
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
    panels: &[
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
    ],
    build,
    check: |p| config(p).map(drop),
};

fn build(p: &Params) -> Result<Box<dyn Demo>, ParamError> {
    let mut c = config(p)?;
    c.penalty.l2_mode = L2Mode::Coupled;
    let coupled = Run::new(&c);
    c.penalty.l2_mode = L2Mode::Decoupled;
    let decoupled = Run::new(&c);
    Ok(Box::new(WeightDecay {
        params: p.clone(),
        coupled,
        decoupled,
        max_abs_diff: 0.0,
        history: Vec::new(),
        stride: 1,
    }))
}

/// (iteration, difference now, running max, norm coupled, norm decoupled).
type Point = [f64; 5];

struct WeightDecay {
    params: Params,
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

impl Demo for WeightDecay {
    fn advance(&mut self, n: usize) -> usize {
        let mut ran = 0;
        while ran < n && self.status() == Status::Running {
            ran += 1;
            if self.history.is_empty() {
                self.history.push(self.point());
            }
            let ok = self.coupled.step() & self.decoupled.step();
            if !ok {
                // Stop both where the first diverged, so they stay comparable.
                let at = self.coupled.iteration.min(self.decoupled.iteration) + 1;
                self.coupled.diverged_at.get_or_insert(at);
                self.decoupled.diverged_at.get_or_insert(at);
                break;
            }
            let d = self.diff_now();
            if d.is_finite() {
                self.max_abs_diff = self.max_abs_diff.max(d);
            }
            if self.coupled.iteration.is_multiple_of(self.stride) {
                let point = self.point();
                push_thinned(&mut self.history, &mut self.stride, point);
            }
        }
        ran
    }

    fn iteration(&self) -> usize {
        self.coupled.iteration.min(self.decoupled.iteration)
    }

    fn total(&self) -> usize {
        self.coupled.steps
    }

    fn status(&self) -> Status {
        match (self.coupled.diverged_at, self.decoupled.diverged_at) {
            (Some(a), Some(b)) => Status::Diverged { at: a.min(b) },
            (Some(at), None) | (None, Some(at)) => Status::Diverged { at },
            (None, None) => self.coupled.status(),
        }
    }

    fn snapshot(&self) -> Snapshot {
        let mut s = Snapshot::of(self);
        let eval = self.coupled.evaluate();
        let now = self.point();
        s.push("max_abs_diff", Metric::Num(self.max_abs_diff));
        s.push("weight_norm_coupled", Metric::Num(now[3]));
        s.push("weight_norm_decoupled", Metric::Num(now[4]));
        s.push("train_loss", Metric::Num(eval.train_loss));
        s.push("test_loss", Metric::Num(eval.test_loss));
        let mut h = self.history.clone();
        if h.last().is_none_or(|p| p[0] != now[0]) {
            h.push(now);
        }
        let note = || match self.status() {
            Status::Diverged { at } => msg!(" (diverged at iteration {at})", at),
            _ => Msg::verbatim(""),
        };
        let steps = self.total() as f64;
        for id in self.params.strs("panels") {
            s.panels.push(match id {
                "diff" => Panel {
                    id: "diff".into(),
                    title: msg!(
                        "largest |w_coupled − w_decoupled| so far: {diff}{note}",
                        diff = measured(format!("{:.1e}", self.max_abs_diff)),
                        note = note()
                    ),
                    x: Axis::bounded(msg!("iteration"), 0.0, steps),
                    y: Axis::new(msg!("absolute weight difference")),
                    body: PanelBody::Series {
                        series: vec![
                            Series::line(msg!("at this iteration"), h.iter().map(|p| [p[0], p[1]])),
                            Series::line(msg!("largest so far"), h.iter().map(|p| [p[0], p[2]])),
                        ],
                    },
                },
                "norms" => Panel {
                    id: "norms".into(),
                    title: msg!(
                        "‖w‖: {coupled} (λw in gradient) vs {decoupled} (w·(1−ηλ)){note}",
                        coupled = measured(train::panels::short(now[3])),
                        decoupled = measured(train::panels::short(now[4])),
                        note = note()
                    ),
                    x: Axis::bounded(msg!("iteration"), 0.0, steps),
                    y: Axis::new(msg!("weight norm ‖w‖₂")),
                    body: PanelBody::Series {
                        series: vec![
                            Series::line(
                                msg!("λw in the gradient"),
                                h.iter().map(|p| [p[0], p[3]]),
                            ),
                            Series::line(msg!("decay w·(1−ηλ)"), h.iter().map(|p| [p[0], p[4]])),
                        ],
                    },
                },
                _ => {
                    let de = self.decoupled.evaluate();
                    let (hc, hd) = (
                        self.coupled.history_with_now(&eval),
                        self.decoupled.history_with_now(&de),
                    );
                    let line = |name: Msg, h: &[train::run::Record], test: bool| {
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
                            note = note()
                        ),
                        x: Axis::bounded(msg!("iteration"), 0.0, steps),
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
            });
        }
        s
    }

    fn apply_live(&mut self, params: &Params) -> bool {
        if !only_live_changes(&self.params, params) {
            return false;
        }
        let Ok(mut c) = config(params) else {
            return false;
        };
        c.penalty.l2_mode = L2Mode::Coupled;
        self.coupled.set_live(&c);
        c.penalty.l2_mode = L2Mode::Decoupled;
        self.decoupled.set_live(&c);
        self.params = params.clone();
        true
    }
}
