//! `dropout-sum`: one neuron summing `inputs` unit inputs (x_i = 1, w_i = 1)
//! under random dropout masks, against the value it computes at test time.
//!
//! Each input is kept with probability `keep_prob` (the lecture's and the
//! original paper's p; PyTorch's `nn.Dropout(p)` takes the *drop*
//! probability, 1 − keep_prob). With K ~ Binomial(N, keep) inputs kept:
//!
//! | mode | training sum | mean | variance | test-time sum |
//! |---|---|---|---|---|
//! | classic | K | N·keep | N·keep·(1−keep) | N·keep (outputs × keep at test) |
//! | inverted | K / keep | N | N·(1−keep)/keep | N (nothing at test) |
//! | unscaled | K | N·keep | N·keep·(1−keep) | N (the mismatch: scaling forgotten) |

use crate::msg;
use rand::Rng as _;

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, KNOBS, KeySpec, KindSpec, MetricSpec, PanelSpec, SEED, choice, float, int, panel_names,
    panels_key,
};
use super::snapshot::{Axis, Band, Bin, Marker, Metric, Panel, PanelBody, Series, Snapshot};
use super::{ParamError, Params};
use crate::nn::{Rng, seeded};

const MODES: &[&str] = &["classic", "inverted", "unscaled"];

/// The panels, declared once: the `panels` key's choices come from here.
const PANELS: [PanelSpec; 2] = [
    PanelSpec {
        name: "histogram",
        doc: "histogram of training-time sums with the test-time value and the training mean as markers",
    },
    PanelSpec {
        name: "mean",
        doc: "running mean of the training sums against the test-time value",
    },
];
const PANEL_NAMES: [&str; 2] = panel_names(&PANELS);

pub static KIND: KindSpec = KindSpec {
    name: "dropout-sum",
    summary: "One neuron summing unit inputs under random dropout masks: training-time sums \
              against the test-time value, for classic, inverted and unscaled dropout.",
    keys: &[
        int(
            "inputs",
            (1, 10_000),
            100,
            "N, inputs of the neuron, each x_i = 1 with weight w_i = 1",
        ),
        float(
            "keep_prob",
            (0.0, 1.0, true),
            0.5,
            Apply::Restart,
            "probability an input is kept (PyTorch's p is the drop probability 1 − keep_prob)",
        ),
        choice(
            "mode",
            MODES,
            "classic",
            Apply::Restart,
            "classic: × keep at test; inverted: ÷ keep in training; unscaled: neither (the mistake)",
        ),
        KeySpec {
            apply: Apply::Live,
            ..int("batch", (1, 1000), 20, "masks drawn per iteration")
        },
        int("steps", (1, 10_000), 250, "iterations in the run"),
        SEED,
        panels_key(&PANEL_NAMES, &PANEL_NAMES),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "iterations run so far",
        },
        MetricSpec {
            name: "keep_prob",
            doc: "probability each input is kept",
        },
        MetricSpec {
            name: "mode",
            doc: "classic, inverted or unscaled",
        },
        MetricSpec {
            name: "samples",
            doc: "masks drawn so far",
        },
        MetricSpec {
            name: "train_sum_mean",
            doc: "mean training-time sum",
        },
        MetricSpec {
            name: "train_sum_var",
            doc: "variance of the training-time sums (1/(n−1))",
        },
        MetricSpec {
            name: "test_sum",
            doc: "the sum at test time, every input present",
        },
    ],
    panels: &PANELS,
    build: Runner::<DropoutSum>::build,
    check: Runner::<DropoutSum>::check,
    check_step: Runner::<DropoutSum>::check_step,
};

/// The most mask entries one run may make: about a second of work. The schema's
/// maxima multiplied together would run for many minutes.
pub const MAX_DRAWS: u64 = 50_000_000;

/// The keys of a run, typed.
#[derive(Clone, Debug)]
pub struct Config {
    inputs: usize,
    keep: f64,
    mode: Mode,
    batch: usize,
    steps: usize,
    seed: u64,
}

/// Dropout's three conventions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Classic,
    Inverted,
    Unscaled,
}

impl Mode {
    /// The name used in lesson files.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Classic => "classic",
            Mode::Inverted => "inverted",
            Mode::Unscaled => "unscaled",
        }
    }

    pub fn parse(name: &str) -> Mode {
        match name {
            "inverted" => Mode::Inverted,
            "unscaled" => Mode::Unscaled,
            _ => Mode::Classic,
        }
    }

    /// Factor on a training-time sum.
    pub fn train_scale(self, keep: f64) -> f64 {
        if self == Mode::Inverted {
            1.0 / keep
        } else {
            1.0
        }
    }

    /// The neuron's sum at test time, all `n` inputs present.
    pub fn test_sum(self, n: usize, keep: f64) -> f64 {
        match self {
            Mode::Classic => n as f64 * keep,
            Mode::Inverted | Mode::Unscaled => n as f64,
        }
    }
}

pub struct DropoutSum {
    rng: Rng,
    inputs: usize,
    keep: f64,
    mode: Mode,
    batch: usize,
    steps: usize,
    iteration: usize,
    /// counts[k]: masks that kept exactly k inputs (so memory is N + 1,
    /// however many masks).
    counts: Vec<u64>,
    n: u64,
    /// Welford mean and M2 of the (scaled) sums.
    mean: f64,
    m2: f64,
    /// (masks drawn, running mean) after each iteration.
    history: Vec<[f64; 2]>,
}

impl DropoutSum {
    fn start(c: &Config) -> DropoutSum {
        DropoutSum {
            rng: seeded(c.seed),
            inputs: c.inputs,
            keep: c.keep,
            mode: c.mode,
            batch: c.batch,
            steps: c.steps,
            iteration: 0,
            counts: vec![0; c.inputs + 1],
            n: 0,
            mean: 0.0,
            m2: 0.0,
            history: Vec::new(),
        }
    }

    fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    fn scale(&self) -> f64 {
        self.mode.train_scale(self.keep)
    }
}

impl Experiment for DropoutSum {
    type Config = Config;
    type View = ();

    /// Reads the keys, with the cost guard: a run's mask entries in all.
    fn config(p: &Params) -> Result<Config, ParamError> {
        let (inputs, batch, steps) = (p.usize("inputs"), p.usize("batch"), p.usize("steps"));
        let draws = inputs as u64 * batch as u64 * steps as u64;
        if draws > MAX_DRAWS {
            return Err(ParamError::new(
                "steps",
                msg!(
                    "this run would make {draws} mask entries, more than {max}; lower `steps` or `batch`",
                    draws,
                    max = MAX_DRAWS
                ),
            ));
        }
        Ok(Config {
            inputs,
            keep: p.f64("keep_prob"),
            mode: Mode::parse(p.str("mode")),
            batch,
            steps,
            seed: p.u64("seed"),
        })
    }

    fn new(c: &Config) -> Self {
        DropoutSum::start(c)
    }

    fn step(&mut self) -> bool {
        let scale = self.scale();
        for _ in 0..self.batch {
            // One mask: each input kept independently with probability keep.
            let kept = (0..self.inputs)
                .filter(|_| self.rng.random::<f64>() < self.keep)
                .count();
            self.counts[kept] += 1;
            let sum = kept as f64 * scale;
            self.n += 1;
            let delta = sum - self.mean;
            self.mean += delta / self.n as f64;
            self.m2 += delta * (sum - self.mean);
        }
        self.iteration += 1;
        self.history.push([self.n as f64, self.mean]);
        true
    }

    fn iteration(&self) -> usize {
        self.iteration
    }

    fn total(&self) -> usize {
        self.steps
    }

    fn view(&self) {}

    fn metrics(&self, _: &(), s: &mut Snapshot) {
        s.push("keep_prob", Metric::Num(self.keep));
        s.push("mode", Metric::Text(self.mode.name().to_string()));
        s.push("samples", Metric::Num(self.n as f64));
        s.push("train_sum_mean", Metric::Num(self.mean));
        s.push("train_sum_var", Metric::Num(self.variance()));
        s.push(
            "test_sum",
            Metric::Num(self.mode.test_sum(self.inputs, self.keep)),
        );
    }

    fn panel(&self, _: &(), id: &str) -> Panel {
        match id {
            "histogram" => self.histogram_panel(),
            _ => self.mean_panel(),
        }
    }

    fn set_live(&mut self, c: &Config) -> bool {
        self.batch = c.batch;
        true
    }
}

impl DropoutSum {
    /// Expected mean and std of one training sum.
    fn expected(&self) -> (f64, f64) {
        let (n, k, s) = (self.inputs as f64, self.keep, self.scale());
        (n * k * s, (n * k * (1.0 - k)).sqrt() * s)
    }

    fn histogram_panel(&self) -> Panel {
        let scale = self.scale();
        let test = self.mode.test_sum(self.inputs, self.keep);
        let (mu, sd) = self.expected();
        // Integer kept-counts, grouped so at most ~60 bins span the
        // expected ±5 sd and the test value.
        let k_lo = ((mu - 5.0 * sd).min(test) / scale).floor().max(0.0) as usize;
        let k_hi = (((mu + 5.0 * sd).max(test) / scale).ceil() as usize).min(self.inputs);
        let group = (k_hi - k_lo + 1).div_ceil(60).max(1);
        let bins: Vec<Bin> = (k_lo..=k_hi)
            .step_by(group)
            .map(|k0| {
                let k1 = (k0 + group).min(self.inputs + 1);
                Bin {
                    lo: (k0 as f64 - 0.5) * scale,
                    hi: (k1 as f64 - 0.5) * scale,
                    count: self.counts[k0..k1].iter().sum::<u64>() as f64,
                }
            })
            .collect();
        let lo = bins.first().map_or(0.0, |b| b.lo);
        let hi = bins.last().map_or(1.0, |b| b.hi);
        Panel {
            id: "histogram".into(),
            title: msg!(
                "{n} training-time sums of {inputs} unit inputs, keep_prob {keep}, {mode} dropout",
                n = self.n,
                inputs = self.inputs,
                keep = self.keep,
                mode = self.mode.name()
            ),
            x: Axis::bounded(
                msg!("sum of the kept inputs (× 1/keep if inverted)"),
                lo,
                hi,
            ),
            y: Axis::new(msg!("masks")),
            body: PanelBody::Histogram {
                bins,
                bands: vec![Band {
                    label: msg!(
                        "expected ±2σ: {mean} ± {spread}",
                        mean = format!("{mu:.1}"),
                        spread = format!("{:.1}", 2.0 * sd)
                    ),
                    lo: mu - 2.0 * sd,
                    hi: mu + 2.0 * sd,
                }],
                markers: vec![
                    Marker {
                        label: msg!("test-time sum {test}", test),
                        x: test,
                    },
                    Marker {
                        label: msg!("training mean {mean}", mean = format!("{:.2}", self.mean)),
                        x: self.mean,
                    },
                ],
            },
        }
    }

    fn mean_panel(&self) -> Panel {
        let test = self.mode.test_sum(self.inputs, self.keep);
        let last = self.history.last().map_or(1.0, |h| h[0]);
        let stride = (self.history.len() / 400).max(1);
        let (mu, sd) = self.expected();
        let lo = (mu - sd).min(test) - 0.05 * test.max(1.0);
        let hi = (mu + sd).max(test) + 0.05 * test.max(1.0);
        Panel {
            id: "mean".into(),
            title: msg!("running mean of the training sums vs the test-time sum"),
            x: Axis::bounded(msg!("masks drawn"), 0.0, last),
            y: Axis::bounded(msg!("sum"), lo, hi),
            body: PanelBody::Series {
                series: vec![
                    Series::line(
                        msg!("training mean so far"),
                        self.history.iter().step_by(stride).copied(),
                    ),
                    Series::line(
                        msg!("test-time sum {test}", test),
                        [[0.0, test], [last, test]],
                    ),
                ],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::Value;

    fn build(p: &Params) -> Result<Box<dyn crate::demo::Demo>, ParamError> {
        (KIND.build)(p)
    }

    fn run(mode: &str, steps: i64) -> Snapshot {
        let mut d = build(
            &KIND
                .params(&[
                    ("mode", Value::Str(mode.into())),
                    ("steps", Value::Int(steps)),
                ])
                .unwrap(),
        )
        .unwrap();
        while d.advance(50) > 0 {}
        d.snapshot()
    }

    /// Asserts mean and variance of n sums within 4 SE of the exact values.
    /// SE of the mean √(var/n); of the variance var·√((κ − 1)/n) with the
    /// binomial's kurtosis κ = 3 + (1 − 6pq)/(Npq) (≈ 2.98 here).
    fn check(s: &Snapshot, mean: f64, var: f64) {
        let n = s.num("samples").unwrap();
        let (m, v) = (
            s.num("train_sum_mean").unwrap(),
            s.num("train_sum_var").unwrap(),
        );
        let kappa = 3.0 + (1.0 - 6.0 * 0.25) / 25.0;
        assert!(
            (m - mean).abs() < 4.0 * (var / n).sqrt(),
            "mean {m} vs {mean}"
        );
        assert!(
            (v - var).abs() < 4.0 * var * ((kappa - 1.0) / n).sqrt(),
            "var {v} vs {var}"
        );
    }

    #[test]
    fn inverted_keeps_the_expected_sum_at_one_hundred() {
        let s = run("inverted", 250);
        assert_eq!(s.num("samples"), Some(5000.0));
        check(&s, 100.0, 100.0);
        assert_eq!(s.num("test_sum"), Some(100.0));
    }

    #[test]
    fn classic_trains_at_fifty_and_scales_at_test() {
        let s = run("classic", 250);
        check(&s, 50.0, 25.0);
        assert_eq!(s.num("test_sum"), Some(50.0));
    }

    #[test]
    fn unscaled_trains_at_fifty_but_tests_at_one_hundred() {
        let s = run("unscaled", 250);
        check(&s, 50.0, 25.0);
        assert_eq!(s.num("test_sum"), Some(100.0));
    }

    #[test]
    fn histogram_holds_every_mask_and_marks_the_test_value() {
        let s = run("unscaled", 50);
        let PanelBody::Histogram { bins, markers, .. } = &s.panels[0].body else {
            panic!("histogram panel");
        };
        let total: f64 = bins.iter().map(|b| b.count).sum();
        // The range spans ±5 sd (P(outside) ≈ 6e-7 per mask) and the test value.
        assert_eq!(total, 1000.0);
        assert!(bins.last().unwrap().hi >= 100.0);
        assert_eq!(markers[0].x, 100.0);
    }

    #[test]
    fn keep_one_is_no_dropout() {
        let mut d = build(&KIND.params(&[("keep_prob", Value::Float(1.0))]).unwrap()).unwrap();
        d.advance(5);
        let s = d.snapshot();
        assert_eq!(
            (s.num("train_sum_mean"), s.num("train_sum_var")),
            (Some(100.0), Some(0.0))
        );
        assert_eq!(s.num("test_sum"), Some(100.0));
    }
}
