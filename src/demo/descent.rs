//! `descent`: one of the torch.optim update rules moving a point θ = (x, y)
//! over a 2-D loss surface, drawn as a path over the shaded loss.
//!
//! Surfaces, each with its gradient written out (tested against finite
//! differences):
//!   quadratic:  L = ½(u² + κ·v²), (u, v) = θ rotated by −`angle`, so the
//!               Hessian has eigenvalues 1 and κ = `condition`; minimum 0 at
//!               the origin. Plain SGD with lr η multiplies v by 1 − ηκ and u
//!               by 1 − η each step: stable iff η < 2/κ.
//!   rosenbrock: L = (1 − x)² + 100(y − x²)² (Rosenbrock 1960), the curved
//!               valley of optimizer benchmarks, unscaled so that its usual
//!               learning rates (about 1e-3) carry over; minimum 0 at (1, 1).
//! The update rules are `crate::nn::optimizer`'s, on one slot of 2 numbers.

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, KNOBS, KindSpec, MetricSpec, PanelSpec, choice, float, int, panel_names, panels_key,
};
use super::snapshot::{Axis, Metric, Panel, PanelBody, Series, Snapshot};
use super::train::{ALPHA, BETA1, BETA2, EPS, MOMENTUM, OPTIMIZER, optimizer_of};
use super::{ParamError, Params};
use crate::i18n::{Msg, measured};
use crate::msg;
use crate::nn::optimizer::{Hyperparams, Optimizer, OptimizerKind};

/// Cells per side of the `surface` panel's heat grid.
const HEAT: usize = 41;
/// Points per drawn line at most: a chart cannot show more.
const DRAWN: usize = 400;
/// A run counts as diverged once its loss exceeds this many times the
/// larger of its starting loss and 1 (or is NaN/∞): on both surfaces the
/// loss then grows geometrically and would overflow some hundred steps
/// later, with nothing left to see but a number running off the chart.
pub const DIVERGED_FACTOR: f64 = 1e6;
/// Added to the loss before its log is shaded, so the minimum's 0 has a colour.
const SHADE_FLOOR: f64 = 1e-3;

/// The names lesson files use for the surfaces.
pub const SURFACE_NAMES: &[&str] = &["quadratic", "rosenbrock"];

const PANELS: [PanelSpec; 2] = [
    PanelSpec {
        name: "surface",
        doc: "the loss over the plane (shaded on a log scale) with the optimizer's path from the start, and the minimum; several runs draw one path each",
    },
    PanelSpec {
        name: "loss",
        doc: "loss against iteration (log scale) with the tolerance line",
    },
];
const PANEL_NAMES: [&str; 2] = panel_names(&PANELS);

pub static KIND: KindSpec = KindSpec {
    name: "descent",
    summary: "Move a point downhill on a 2-D loss surface (an ill-conditioned quadratic or \
              Rosenbrock's valley) with SGD, momentum, RMSprop or Adam, and watch its path.",
    keys: &[
        choice(
            "surface",
            SURFACE_NAMES,
            "quadratic",
            Apply::Restart,
            "quadratic: ½(u² + condition·v²) in axes turned by `angle`, minimum at the origin; rosenbrock: (1 − x)² + 100(y − x²)², minimum at (1, 1)",
        ),
        float(
            "condition",
            (1.0, 1000.0, false),
            10.0,
            Apply::Restart,
            "quadratic: κ, the ratio of the steep to the shallow curvature (Hessian eigenvalues 1 and κ)",
        ),
        float(
            "angle",
            (-180.0, 180.0, false),
            0.0,
            Apply::Restart,
            "quadratic: direction of the shallow axis u, degrees from the x axis",
        ),
        float(
            "start_x",
            (-10.0, 10.0, false),
            -4.0,
            Apply::Restart,
            "x of the starting point",
        ),
        float(
            "start_y",
            (-10.0, 10.0, false),
            1.0,
            Apply::Restart,
            "y of the starting point",
        ),
        OPTIMIZER,
        float(
            "lr",
            (0.0, 100.0, true),
            0.1,
            Apply::Live,
            "learning rate η of the optimizer",
        ),
        MOMENTUM,
        BETA1,
        BETA2,
        ALPHA,
        EPS,
        float(
            "tolerance",
            (0.0, 1e6, true),
            1e-4,
            Apply::Live,
            "the run counts as converged at the first iteration whose loss is below this",
        ),
        int("steps", (1, 100_000), 200, "optimizer steps in the run"),
        panels_key(&PANEL_NAMES, &PANEL_NAMES),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "optimizer steps taken",
        },
        MetricSpec {
            name: "loss",
            doc: "the loss at θ",
        },
        MetricSpec {
            name: "theta",
            doc: "[x, y], the current point",
        },
        MetricSpec {
            name: "grad_norm",
            doc: "‖∇L(θ)‖, the gradient's length at θ",
        },
        MetricSpec {
            name: "distance",
            doc: "‖θ − θ*‖, the distance to the minimum",
        },
        MetricSpec {
            name: "steps_to_converge",
            doc: "once the loss fell below `tolerance`: the first iteration where it did (absent before)",
        },
        MetricSpec {
            name: "diverged",
            doc: "true once the loss exceeded 1e6 × max(starting loss, 1) or became NaN/∞; the run then stops",
        },
    ],
    panels: &PANELS,
    build: Runner::<Descent>::build,
    check: Runner::<Descent>::check,
    check_step: Runner::<Descent>::check_step,
};

/// A loss surface with its gradient and minimum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surface {
    /// ½(u² + κv²) with u = x·cos a + y·sin a, v = −x·sin a + y·cos a.
    Quadratic { condition: f64, cos: f64, sin: f64 },
    /// (1 − x)² + 100(y − x²)².
    Rosenbrock,
}

/// (x, y) in the quadratic valley's own axes (u, v): turned by the angle
/// whose cosine and sine are given, so u runs along the valley floor.
fn valley_axes([x, y]: [f64; 2], cos: f64, sin: f64) -> (f64, f64) {
    (x * cos + y * sin, -x * sin + y * cos)
}

impl Surface {
    /// The quadratic with Hessian eigenvalues 1 and `condition`, its shallow
    /// axis at `angle_deg` degrees from the x axis.
    pub fn quadratic(condition: f64, angle_deg: f64) -> Surface {
        let a = angle_deg.to_radians();
        Surface::Quadratic {
            condition,
            cos: a.cos(),
            sin: a.sin(),
        }
    }

    pub fn loss(&self, [x, y]: [f64; 2]) -> f64 {
        match *self {
            Surface::Quadratic {
                condition,
                cos,
                sin,
            } => {
                let (u, v) = valley_axes([x, y], cos, sin);
                0.5 * (u * u + condition * v * v)
            }
            Surface::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
        }
    }

    /// ∇L: for the quadratic Rᵀ·(u, κv) (R the rotation to (u, v)); for
    /// Rosenbrock (−2(1 − x) − 400x(y − x²), 200(y − x²)).
    pub fn grad(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        match *self {
            Surface::Quadratic {
                condition,
                cos,
                sin,
            } => {
                let (u, v) = valley_axes([x, y], cos, sin);
                let kv = condition * v;
                [u * cos - kv * sin, u * sin + kv * cos]
            }
            Surface::Rosenbrock => {
                let r = y - x * x;
                [-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r]
            }
        }
    }

    /// θ*, where the loss is 0.
    pub fn minimum(&self) -> [f64; 2] {
        match self {
            Surface::Quadratic { .. } => [0.0, 0.0],
            Surface::Rosenbrock => [1.0, 1.0],
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Surface::Quadratic { .. } => "quadratic",
            Surface::Rosenbrock => "rosenbrock",
        }
    }
}

/// The keys of a run, typed.
#[derive(Clone, Debug)]
pub struct Config {
    surface: Surface,
    start: [f64; 2],
    optimizer: OptimizerKind,
    hyper: Hyperparams,
    tolerance: f64,
    steps: usize,
}

/// One point of the path.
#[derive(Clone, Copy, Debug)]
struct Point {
    theta: [f64; 2],
    loss: f64,
}

pub struct Descent {
    surface: Surface,
    optimizer: Optimizer,
    theta: [f64; 2],
    tolerance: f64,
    steps: usize,
    iteration: usize,
    /// θ and the loss at iterations 0..=iteration.
    path: Vec<Point>,
    /// Loss above which the run counts as diverged.
    ceiling: f64,
    diverged_at: Option<usize>,
    converged_at: Option<usize>,
}

impl Descent {
    /// Half-width of the square window centred at the minimum: holds the
    /// start with a margin.
    fn window(&self) -> f64 {
        let (min, start) = (self.surface.minimum(), self.path[0].theta);
        let far = (start[0] - min[0]).abs().max((start[1] - min[1]).abs());
        (1.2 * far).max(1.0)
    }

    fn label(&self) -> String {
        format!(
            "{} lr={}",
            self.optimizer.kind().name(),
            self.optimizer.hyper().lr
        )
    }

    /// What became of the run, in words, for the panels' titles.
    fn state(&self) -> Msg {
        match (self.diverged_at, self.converged_at) {
            (Some(at), _) => msg!(": diverged at iteration {at}", at = measured(at)),
            (None, Some(at)) => msg!(
                ": below {tolerance} at iteration {at}",
                tolerance = self.tolerance,
                at = measured(at)
            ),
            _ => Msg::verbatim(""),
        }
    }

    /// Every `stride`-th point of the path and the last, at most [`DRAWN`].
    fn drawn(&self) -> impl Iterator<Item = (usize, &Point)> {
        let stride = self.path.len().div_ceil(DRAWN).max(1);
        let last = self.path.len() - 1;
        self.path
            .iter()
            .enumerate()
            .filter(move |(i, _)| i % stride == 0 || *i == last)
    }

    fn surface_panel(&self) -> Panel {
        let r = self.window();
        let [cx, cy] = self.surface.minimum();
        let cell = 2.0 * r / (HEAT - 1) as f64;
        let mut values = Vec::with_capacity(HEAT * HEAT);
        for row in 0..HEAT {
            for col in 0..HEAT {
                let w = [cx - r + col as f64 * cell, cy - r + row as f64 * cell];
                values.push((self.surface.loss(w) + SHADE_FLOOR).log10());
            }
        }
        let overlay = vec![
            Series::line(
                Msg::verbatim(self.label()),
                self.drawn().map(|(_, p)| p.theta),
            ),
            Series::points(msg!("minimum"), [[cx, cy]]),
        ];
        Panel {
            id: "surface".into(),
            title: msg!(
                "path over the {surface} loss{state}",
                surface = self.surface.name(),
                state = self.state()
            ),
            x: Axis::bounded(Msg::verbatim("x"), cx - r, cx + r),
            y: Axis::bounded(Msg::verbatim("y"), cy - r, cy + r),
            body: PanelBody::Heat {
                nx: HEAT,
                ny: HEAT,
                values,
                shade: msg!("log₁₀(loss + {floor})", floor = SHADE_FLOOR),
                overlay,
            },
        }
    }

    fn loss_panel(&self) -> Panel {
        let series = vec![
            Series::line(
                Msg::verbatim(self.label()),
                self.drawn().map(|(i, p)| [i as f64, p.loss]),
            ),
            Series::reference(
                msg!("tolerance {tolerance}", tolerance = self.tolerance),
                [[0.0, self.tolerance], [self.steps as f64, self.tolerance]],
            ),
        ];
        Panel {
            id: "loss".into(),
            title: msg!("loss{state}", state = self.state()),
            x: Axis::bounded(msg!("iteration"), 0.0, self.steps as f64).integer(),
            y: Axis::new(msg!("loss")).log(),
            body: PanelBody::Series { series },
        }
    }
}

impl Experiment for Descent {
    type Config = Config;
    type View = ();

    fn config(p: &Params) -> Result<Config, ParamError> {
        let surface = match p.str("surface") {
            "rosenbrock" => Surface::Rosenbrock,
            _ => Surface::quadratic(p.f64("condition"), p.f64("angle")),
        };
        let (optimizer, hyper) = optimizer_of(p)?;
        Ok(Config {
            surface,
            start: [p.f64("start_x"), p.f64("start_y")],
            optimizer,
            hyper,
            tolerance: p.f64("tolerance"),
            steps: p.usize("steps"),
        })
    }

    fn new(c: &Config) -> Self {
        let optimizer = Optimizer::new(c.optimizer, c.hyper, &[2])
            .expect("the schema's ranges are inside the optimizer's");
        let loss = c.surface.loss(c.start);
        let mut d = Descent {
            surface: c.surface,
            optimizer,
            theta: c.start,
            tolerance: c.tolerance,
            steps: c.steps,
            iteration: 0,
            path: vec![Point {
                theta: c.start,
                loss,
            }],
            ceiling: DIVERGED_FACTOR * loss.max(1.0),
            diverged_at: None,
            converged_at: None,
        };
        if loss < d.tolerance {
            d.converged_at = Some(0);
        }
        d
    }

    fn step(&mut self) -> bool {
        let g = self.surface.grad(self.theta);
        let mut next = self.theta;
        let finite = self.optimizer.step([(&mut next[..], &g[..])]);
        self.iteration += 1;
        let loss = self.surface.loss(next);
        if !finite || !loss.is_finite() || loss > self.ceiling {
            // The point that overshot is not drawn: the path and the loss
            // keep their last value below the ceiling.
            self.diverged_at = Some(self.iteration);
            return false;
        }
        self.theta = next;
        self.path.push(Point { theta: next, loss });
        if self.converged_at.is_none() && loss < self.tolerance {
            self.converged_at = Some(self.iteration);
        }
        true
    }

    fn iteration(&self) -> usize {
        self.iteration
    }

    fn total(&self) -> usize {
        self.steps
    }

    fn diverged_at(&self) -> Option<usize> {
        self.diverged_at
    }

    fn view(&self) {}

    fn metrics(&self, _: &(), s: &mut Snapshot) {
        let last = self.path[self.path.len() - 1];
        let g = self.surface.grad(last.theta);
        let min = self.surface.minimum();
        s.push("loss", Metric::Num(last.loss));
        s.push("theta", Metric::Nums(last.theta.to_vec()));
        s.push("grad_norm", Metric::Num(g[0].hypot(g[1])));
        s.push(
            "distance",
            Metric::Num((last.theta[0] - min[0]).hypot(last.theta[1] - min[1])),
        );
        if let Some(at) = self.converged_at {
            s.push("steps_to_converge", Metric::Num(at as f64));
        }
        s.push("diverged", Metric::Bool(self.diverged_at.is_some()));
    }

    fn panel(&self, _: &(), id: &str) -> Panel {
        match id {
            "surface" => self.surface_panel(),
            _ => self.loss_panel(),
        }
    }

    /// lr, the optimizer's constants and the tolerance apply to the next
    /// step, keeping the optimizer's state (as editing a PyTorch
    /// `param_group` does).
    fn set_live(&mut self, c: &Config) -> bool {
        if c.optimizer != self.optimizer.kind() || self.optimizer.set_hyper(c.hyper).is_err() {
            return false;
        }
        self.tolerance = c.tolerance;
        self.converged_at = self.path.iter().position(|p| p.loss < c.tolerance);
        true
    }
}

#[cfg(test)]
mod tests;
