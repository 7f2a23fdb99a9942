//! `penalty-geometry`: why L1 zeroes weights and L2 only shrinks them, in
//! two dimensions.
//!
//! Loss(w) = ½ (w − w*)ᵀ A (w − w*), A with eigenvalues 1 and stretch²
//! (ellipse axis ratio `stretch`, long axis at `angle`). As λ sweeps from 0
//! to `max_lambda` the demo solves
//!   L1: argmin Loss(w) + λ‖w‖₁        (coordinate descent, soft-threshold)
//!   L2: argmin Loss(w) + (λ/2)‖w‖²    (closed form (A + λI)⁻¹ A w*)
//! and draws the loss contour through each optimum touching the diamond
//! |w1| + |w2| = ‖w_L1‖₁ and the circle ‖w‖ = ‖w_L2‖.

mod solve;

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, KNOBS, KindSpec, MetricSpec, PanelSpec, float, int, panel_names, panels_key, seed,
};
use super::snapshot::{Axis, Metric, Panel, PanelBody, Series, Snapshot};
use super::{ParamError, Params};
use crate::i18n::Msg;
use crate::msg;
pub use solve::{Quad, l1_exact, l1_optimum, l2_optimum, soft_threshold};

/// Heat-grid resolution of the `geometry` panel.
const HEAT: usize = 41;

/// The panels, declared once: the `panels` key's choices come from here.
const PANELS: [PanelSpec; 2] = [
    PanelSpec {
        name: "geometry",
        doc: "heat grid of the loss, contours through both optima, the L1 diamond, the L2 circle, w*, both optima and their paths",
    },
    PanelSpec {
        name: "path",
        doc: "w1 and w2 of both optima against λ",
    },
];
const PANEL_NAMES: [&str; 2] = panel_names(&PANELS);

pub static KIND: KindSpec = KindSpec {
    name: "penalty-geometry",
    summary: "Elliptical loss contours in 2-D, the L1 diamond and the L2 circle: as λ grows \
              the L1 optimum lands on an axis (a weight exactly 0), the L2 optimum only shrinks.",
    keys: &[
        float(
            "w1_star",
            (-10.0, 10.0, false),
            2.0,
            Apply::Restart,
            "w*₁, first coordinate of the unpenalized optimum",
        ),
        float(
            "w2_star",
            (-10.0, 10.0, false),
            0.6,
            Apply::Restart,
            "w*₂, second coordinate of the unpenalized optimum",
        ),
        float(
            "stretch",
            (1.0, 20.0, false),
            3.0,
            Apply::Restart,
            "axis ratio of the loss ellipses (A's eigenvalues are 1 and stretch²)",
        ),
        float(
            "angle",
            (-180.0, 180.0, false),
            20.0,
            Apply::Restart,
            "direction of the ellipses' long axis, degrees from the w1 axis",
        ),
        float(
            "max_lambda",
            (0.0, 100.0, true),
            2.0,
            Apply::Restart,
            "λ at the end of the sweep (defaults: w2 reaches 0 at λ ≈ 1.2, w1 only at ≈ 2.33)",
        ),
        float(
            "lambda",
            (0.0, 100.0, false),
            0.0,
            Apply::Live,
            "0 sweeps λ from 0 to max_lambda over the run; a positive value (or turning the knob) pins λ there",
        ),
        int(
            "steps",
            (1, 10_000),
            200,
            "iterations of the sweep (λ grows by max_lambda/steps each)",
        ),
        seed("unused (the demo is deterministic); kept so every kind takes a seed"),
        panels_key(&PANEL_NAMES, &PANEL_NAMES),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "sweep steps so far",
        },
        MetricSpec {
            name: "lambda",
            doc: "the current λ",
        },
        MetricSpec {
            name: "w_l1",
            doc: "[w1, w2] minimizing loss + λ‖w‖₁",
        },
        MetricSpec {
            name: "w_l2",
            doc: "[w1, w2] minimizing loss + (λ/2)‖w‖²",
        },
        MetricSpec {
            name: "zeros_l1",
            doc: "coordinates of w_l1 that are exactly 0",
        },
        MetricSpec {
            name: "zeros_l2",
            doc: "coordinates of w_l2 that are exactly 0",
        },
    ],
    panels: &PANELS,
    build: Runner::<Geometry>::build,
    check: Runner::<Geometry>::check,
    check_step: Runner::<Geometry>::check_step,
};

/// The keys of a sweep, typed.
#[derive(Clone, Debug)]
pub struct Config {
    star: [f64; 2],
    stretch: f64,
    angle: f64,
    max_lambda: f64,
    lambda: f64,
    steps: usize,
}

/// One point of the sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Solved {
    lambda: f64,
    l1: [f64; 2],
    l2: [f64; 2],
}

pub struct Geometry {
    quad: Quad,
    star: [f64; 2],
    stretch: f64,
    angle: f64,
    max_lambda: f64,
    steps: usize,
    iteration: usize,
    /// λ fixed by the `lambda` key, if positive.
    pinned: Option<Solved>,
    /// The sweep so far: λ = max_lambda·i/steps for i = 0..=iteration.
    path: Vec<Solved>,
}

impl Geometry {
    fn start(c: &Config) -> Geometry {
        let mut g = Geometry {
            quad: Quad::new(c.stretch, c.angle),
            star: c.star,
            stretch: c.stretch,
            angle: c.angle,
            max_lambda: c.max_lambda,
            steps: c.steps,
            iteration: 0,
            pinned: None,
            path: Vec::new(),
        };
        g.path.push(g.solve(0.0, g.star));
        g.pin(c.lambda);
        g
    }

    fn solve(&self, lambda: f64, start: [f64; 2]) -> Solved {
        Solved {
            lambda,
            l1: l1_optimum(&self.quad, self.star, lambda, start).0,
            l2: l2_optimum(&self.quad, self.star, lambda),
        }
    }

    fn pin(&mut self, lambda: f64) {
        self.pinned = (lambda > 0.0).then(|| self.solve(lambda, self.star));
    }

    fn current(&self) -> Solved {
        self.pinned
            .or_else(|| self.path.last().copied())
            .unwrap_or(Solved {
                lambda: 0.0,
                l1: self.star,
                l2: self.star,
            })
    }
}

impl Experiment for Geometry {
    type Config = Config;
    type View = Solved;

    fn config(p: &Params) -> Result<Config, ParamError> {
        Ok(Config {
            star: [p.f64("w1_star"), p.f64("w2_star")],
            stretch: p.f64("stretch"),
            angle: p.f64("angle"),
            max_lambda: p.f64("max_lambda"),
            lambda: p.f64("lambda"),
            steps: p.usize("steps"),
        })
    }

    fn new(c: &Config) -> Self {
        Geometry::start(c)
    }

    fn step(&mut self) -> bool {
        self.iteration += 1;
        let lambda = self.max_lambda * self.iteration as f64 / self.steps as f64;
        let start = self.path.last().map_or(self.star, |s| s.l1);
        let next = self.solve(lambda, start);
        self.path.push(next);
        true
    }

    fn iteration(&self) -> usize {
        self.iteration
    }

    fn total(&self) -> usize {
        self.steps
    }

    fn view(&self) -> Solved {
        self.current()
    }

    fn metrics(&self, cur: &Solved, s: &mut Snapshot) {
        let zeros = |w: [f64; 2]| w.iter().filter(|v| **v == 0.0).count() as f64;
        s.push("lambda", Metric::Num(cur.lambda));
        s.push("w_l1", Metric::Nums(cur.l1.to_vec()));
        s.push("w_l2", Metric::Nums(cur.l2.to_vec()));
        s.push("zeros_l1", Metric::Num(zeros(cur.l1)));
        s.push("zeros_l2", Metric::Num(zeros(cur.l2)));
    }

    fn panel(&self, cur: &Solved, id: &str) -> Panel {
        match id {
            "geometry" => self.geometry_panel(*cur),
            _ => self.path_panel(*cur),
        }
    }

    fn set_live(&mut self, c: &Config) -> bool {
        self.pin(c.lambda);
        true
    }
}

impl Geometry {
    /// Half-width of the square window centred at the origin: holds w*, the
    /// origin and every optimum (‖w_L1‖₁ ≤ ‖w*‖₁ since the objective at w_L1
    /// is at most its value at w*; ‖w_L2‖ ≤ ‖w*‖).
    fn window(&self) -> f64 {
        (1.15 * (self.star[0].abs() + self.star[1].abs())).max(1.0)
    }

    fn geometry_panel(&self, cur: Solved) -> Panel {
        let r = self.window();
        let cell = 2.0 * r / (HEAT - 1) as f64;
        let mut values = Vec::with_capacity(HEAT * HEAT);
        for row in 0..HEAT {
            for col in 0..HEAT {
                let w = [-r + col as f64 * cell, -r + row as f64 * cell];
                values.push(self.quad.loss(w, self.star));
            }
        }
        let contour = |level: f64| {
            self.quad
                .contour(self.star, level, self.stretch, self.angle, 96)
        };
        let (l1_level, l2_level) = (
            self.quad.loss(cur.l1, self.star),
            self.quad.loss(cur.l2, self.star),
        );
        let d = cur.l1[0].abs() + cur.l1[1].abs();
        let c = (cur.l2[0].powi(2) + cur.l2[1].powi(2)).sqrt();
        let circle = (0..=96).map(|i| {
            let t = std::f64::consts::TAU * i as f64 / 96.0;
            [c * t.cos(), c * t.sin()]
        });
        let shown = |f: fn(&Solved) -> [f64; 2]| -> Vec<[f64; 2]> {
            let stride = (self.path.len() / 300).max(1);
            self.path
                .iter()
                .step_by(stride)
                .map(f)
                .chain([f(&cur)])
                .collect()
        };
        let overlay = vec![
            Series::line(
                msg!(
                    "loss contour {level} (touches the diamond)",
                    level = format!("{l1_level:.3}")
                ),
                contour(l1_level),
            ),
            Series::line(
                msg!(
                    "loss contour {level} (touches the circle)",
                    level = format!("{l2_level:.3}")
                ),
                contour(l2_level),
            ),
            Series::line(
                msg!("L1 diamond |w1|+|w2| = {size}", size = format!("{d:.3}")),
                [[d, 0.0], [0.0, d], [-d, 0.0], [0.0, -d], [d, 0.0]],
            ),
            Series::line(
                msg!("L2 circle ‖w‖ = {size}", size = format!("{c:.3}")),
                circle,
            ),
            Series::line(msg!("L1 path (λ 0 → now)"), shown(|s| s.l1)),
            Series::line(msg!("L2 path (λ 0 → now)"), shown(|s| s.l2)),
            Series::points(
                Msg::verbatim(format!(
                    "w* = ({:.2}, {:.2}), λ = 0",
                    self.star[0], self.star[1]
                )),
                [self.star],
            ),
            Series::points(
                msg!(
                    "L1 optimum {point}",
                    point = format!("({:.3}, {:.3})", cur.l1[0], cur.l1[1])
                ),
                [cur.l1],
            ),
            Series::points(
                msg!(
                    "L2 optimum {point}",
                    point = format!("({:.3}, {:.3})", cur.l2[0], cur.l2[1])
                ),
                [cur.l2],
            ),
        ];
        Panel {
            id: "geometry".into(),
            title: msg!(
                "loss ½(w−w*)ᵀA(w−w*) (heat) with penalties at λ = {lambda}{pinned}",
                lambda = format!("{:.3}", cur.lambda),
                pinned = if self.pinned.is_some() {
                    msg!(" (pinned)")
                } else {
                    Msg::verbatim("")
                }
            ),
            x: Axis::bounded(Msg::verbatim("w1"), -r, r),
            y: Axis::bounded(Msg::verbatim("w2"), -r, r),
            body: PanelBody::Heat {
                nx: HEAT,
                ny: HEAT,
                values,
                shade: msg!("loss"),
                overlay,
            },
        }
    }

    fn path_panel(&self, cur: Solved) -> Panel {
        let stride = (self.path.len() / 400).max(1);
        let line = |name: &str, f: &dyn Fn(&Solved) -> f64| {
            Series::line(
                Msg::verbatim(name),
                self.path
                    .iter()
                    .step_by(stride)
                    .chain([&cur])
                    .map(|s| [s.lambda, f(s)]),
            )
        };
        let (lo, hi) = self
            .path
            .iter()
            .chain([&cur])
            .flat_map(|s| [s.l1[0], s.l1[1], s.l2[0], s.l2[1]])
            .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let pad = 0.05 * (hi - lo).max(1e-3);
        Panel {
            id: "path".into(),
            title: msg!("penalized optimum against λ: L1 hits 0 exactly, L2 only shrinks"),
            x: Axis::bounded(
                msg!("λ (penalty strength)"),
                0.0,
                self.max_lambda.max(cur.lambda),
            ),
            y: Axis::bounded(msg!("weight value"), lo - pad, hi + pad),
            body: PanelBody::Series {
                series: vec![
                    line("L1 w1", &|s| s.l1[0]),
                    line("L1 w2", &|s| s.l1[1]),
                    line("L2 w1", &|s| s.l2[0]),
                    line("L2 w2", &|s| s.l2[1]),
                ],
            },
        }
    }
}

#[cfg(test)]
mod tests;
