//! `activation`: activation functions side by side, each curve f(z) and its
//! slope f'(z) traced from −range to +range, one point per iteration, so a
//! student watches where each function saturates and its slope dies.

use crate::i18n::Msg;
use crate::msg;
use crate::nn::activation::{ACTIVATION_NAMES, Activation};

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, DefaultValue, KNOBS, KeySpec, KindSpec, MetricSpec, PanelSpec, Ty, float, int,
    panel_names, panels_key,
};
use super::snapshot::{Axis, Metric, Panel, PanelBody, Series, Snapshot};
use super::{ParamError, Params};

/// The panels, declared once: the `panels` key's choices come from here.
const PANELS: [PanelSpec; 2] = [
    PanelSpec {
        name: "value",
        doc: "each function's value f(z) against z",
    },
    PanelSpec {
        name: "derivative",
        doc: "each function's slope f'(z) against z: what backpropagation multiplies by",
    },
];
const PANEL_NAMES: [&str; 2] = panel_names(&PANELS);

pub static KIND: KindSpec = KindSpec {
    name: "activation",
    summary: "Activation functions and their derivatives, traced side by side.",
    keys: &[
        KeySpec {
            name: "functions",
            ty: Ty::ChoiceList(ACTIVATION_NAMES),
            default: DefaultValue::Strs(&["sigmoid", "tanh", "relu"]),
            apply: Apply::Restart,
            doc: "the activation functions drawn, in order (metrics list them in this order)",
        },
        float(
            "range",
            (0.0, 50.0, true),
            6.0,
            Apply::Restart,
            "z runs from −range to +range",
        ),
        int(
            "steps",
            (2, 10_000),
            240,
            "points traced from −range to +range, one per iteration",
        ),
        panels_key(&PANEL_NAMES, &PANEL_NAMES),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "points traced so far",
        },
        MetricSpec {
            name: "z",
            doc: "the last z traced",
        },
        MetricSpec {
            name: "value",
            doc: "each function's f(z) at the last z traced",
        },
        MetricSpec {
            name: "derivative",
            doc: "each function's f'(z) at the last z traced",
        },
        MetricSpec {
            name: "max_derivative",
            doc: "each function's largest |f'(z)| over the points traced so far (sigmoid: 0.25 at z = 0)",
        },
        MetricSpec {
            name: "derivative_at_0",
            doc: "each function's f'(0), exact",
        },
    ],
    panels: &PANELS,
    build: Runner::<Trace>::build,
    check: Runner::<Trace>::check,
    check_step: Runner::<Trace>::check_step,
};

/// The keys of a run, typed.
#[derive(Clone, Debug)]
pub struct Config {
    functions: Vec<Activation>,
    range: f64,
    steps: usize,
}

/// The points traced so far: z runs over `steps` + 1 evenly spaced points.
struct Trace {
    c: Config,
    iteration: usize,
}

impl Trace {
    /// The k-th point of the grid, from −range (k = 0) to +range (k = steps).
    fn z(&self, k: usize) -> f64 {
        -self.c.range + 2.0 * self.c.range * k as f64 / self.c.steps as f64
    }

    /// The grid points traced so far, the first one from the start.
    fn traced(&self) -> impl Iterator<Item = f64> + '_ {
        (0..=self.iteration).map(|k| self.z(k))
    }
}

/// f'(z) as the engine's backward pass computes it.
fn slope(f: Activation, z: f64) -> f64 {
    f.derivative(z, f.apply(z))
}

impl Experiment for Trace {
    type Config = Config;
    type View = ();

    fn config(p: &Params) -> Result<Config, ParamError> {
        let names = p.strs("functions");
        if names.is_empty() {
            return Err(ParamError::new(
                "functions",
                msg!(
                    "`functions` is empty: name at least one of {names}",
                    names = ACTIVATION_NAMES.join(", ")
                ),
            ));
        }
        Ok(Config {
            functions: names
                .iter()
                .map(|n| Activation::from_name(n).expect("schema choice"))
                .collect(),
            range: p.f64("range"),
            steps: p.usize("steps"),
        })
    }

    fn new(c: &Config) -> Self {
        Trace {
            c: c.clone(),
            iteration: 0,
        }
    }

    fn step(&mut self) -> bool {
        self.iteration += 1;
        true
    }

    fn iteration(&self) -> usize {
        self.iteration
    }

    fn total(&self) -> usize {
        self.c.steps
    }

    fn view(&self) {}

    fn metrics(&self, _: &(), s: &mut Snapshot) {
        let z = self.z(self.iteration);
        let each = |g: &dyn Fn(Activation) -> f64| self.c.functions.iter().map(|&f| g(f)).collect();
        s.push("z", Metric::Num(z));
        s.push("value", Metric::Nums(each(&|f| f.apply(z))));
        s.push("derivative", Metric::Nums(each(&|f| slope(f, z))));
        s.push(
            "max_derivative",
            Metric::Nums(each(&|f| {
                self.traced().map(|z| slope(f, z).abs()).fold(0.0, f64::max)
            })),
        );
        s.push("derivative_at_0", Metric::Nums(each(&|f| slope(f, 0.0))));
    }

    fn panel(&self, _: &(), id: &str) -> Panel {
        let derivative = id == "derivative";
        let series = self
            .c
            .functions
            .iter()
            .map(|&f| {
                let point = |z: f64| [z, if derivative { slope(f, z) } else { f.apply(z) }];
                Series::line(Msg::verbatim(f.name()), self.traced().map(point))
            })
            .collect();
        let (title, y) = if derivative {
            (
                msg!("slope f'(z): how much of the gradient passes back"),
                Msg::verbatim("f'(z)"),
            )
        } else {
            (msg!("activation f(z)"), Msg::verbatim("f(z)"))
        };
        Panel {
            id: id.into(),
            title,
            x: Axis::bounded(msg!("z, the weighted sum"), -self.c.range, self.c.range),
            y: Axis::new(y),
            body: PanelBody::Series { series },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traced(raw: &[(&str, crate::demo::Value)]) -> Snapshot {
        let p = KIND.params(raw).expect("valid");
        let mut d = (KIND.build)(&p).expect("builds");
        d.advance(usize::MAX);
        d.snapshot()
    }

    /// Each slope against its closed form: σ' = σ(1 − σ) peaks at 1/4,
    /// tanh' = 1 − tanh² at 1, ReLU's is 1 for z > 0, softplus' is σ; and
    /// against central differences away from ReLU's kink.
    #[test]
    fn slopes_match_their_formulas_and_finite_differences() {
        let s = traced(&[]);
        assert_eq!(s.nums("max_derivative"), Some(&[0.25, 1.0, 1.0][..]));
        assert_eq!(
            s.nums("derivative_at_0").map(|d| d[..2].to_vec()),
            Some(vec![0.25, 1.0])
        );
        let at_6 = s.nums("derivative").expect("listed");
        let sig = 1.0 / (1.0 + (-6.0f64).exp());
        assert!((at_6[0] - sig * (1.0 - sig)).abs() < 1e-15);
        assert!((at_6[1] - (1.0 - 6.0f64.tanh().powi(2))).abs() < 1e-15);
        assert_eq!(at_6[2], 1.0);
        let h = 1e-6;
        for f in Activation::ALL {
            for z in [-3.7, -0.4, 0.3, 2.2, 5.0] {
                let fd = (f.apply(z + h) - f.apply(z - h)) / (2.0 * h);
                assert!((slope(f, z) - fd).abs() < 1e-8, "{}: {z}", f.name());
            }
        }
        let softplus = Activation::from_name("softplus").expect("known");
        assert!((slope(softplus, 1.3) - 1.0 / (1.0 + (-1.3f64).exp())).abs() < 1e-12);
    }

    /// One point per iteration: after k iterations each line has k + 1 points.
    #[test]
    fn the_curves_are_traced_one_point_per_iteration() {
        let p = KIND.params(&[]).expect("valid");
        let mut d = (KIND.build)(&p).expect("builds");
        d.advance(10);
        let s = d.snapshot();
        let PanelBody::Series { series } = &s.panels[0].body else {
            panic!("a line chart");
        };
        assert!(series.iter().all(|l| l.points.len() == 11));
        assert_eq!(s.num("z"), Some(-6.0 + 12.0 * 10.0 / 240.0));
        assert!(s.nums("max_derivative").expect("listed")[0] < 0.05);
    }
}
