//! `bias-variance`: least-squares polynomial fits of every degree on many
//! freshly drawn training sets, and the decomposition of their expected
//! test error into bias², variance and noise (Zhou, 《机器学习》 §2.5, eq. 2.42;
//! Goodfellow et al., eq. 5.54: the *squared* bias).
//!
//! Truth f(x) = sin(2πx) on x ~ U(0, 1); each training set has `samples`
//! points y = f(x) + N(0, noise²). Error is measured on a fixed grid of
//! [`GRID`] test points x_t = (t + ½)/GRID with fresh noisy labels per set.
//! With S sets, ŷ_{s,d} the degree-d fit of set s, ȳ_d their mean and
//! s²_d(x_t) = Σ_s (ŷ_{s,d}(x_t) − ȳ_d(x_t))² / (S − 1):
//!
//! variance(d) = mean_t s²_d(x_t)                                   unbiased
//! bias²(d)    = mean_t [(ȳ_d(x_t) − f(x_t))² − s²_d(x_t)/S]         unbiased
//! noise       = noise²                                              (exact)
//! test_mse(d) = mean_t mean_s (ŷ_{s,d}(x_t) − y*_{s,t})²
//!
//! Why the correction: ȳ is the mean of S independent fits, so
//! E[(ȳ − f)²] = (E ŷ − f)² + Var ŷ / S. The plain (ȳ − f)² overstates
//! bias² by variance/S, which at high degree is larger than bias² itself
//! (with 200 sets it made bias² *rise* from 8e-5 at degree 6 to 0.0045 at
//! degree 12, when the truth is that it keeps falling). Subtracting s²/S,
//! whose expectation is Var ŷ / S, leaves an unbiased estimate; it can read a
//! little below 0 where the true bias² is ≈ 0, and is reported as it is.
//! With these definitions bias² + variance = mean_t mean_s (ŷ − f)² exactly,
//! so test_mse − (bias² + variance + noise) is pure test-label noise, with
//! standard error √((2σ⁴ + 4σ²·mean(ŷ − f)²)/(S·GRID)) (reported as `mc_se`).
//!
//! sin(2πx) is odd about x = ½, so in the Legendre basis of t = 2x − 1 it
//! has no even terms: the best polynomial of degree 2k is the best of degree
//! 2k − 1, and bias² falls in steps, flat from each odd degree to the next
//! even one.
//!
//! Blow-ups: a high-degree fit through 30 random points occasionally swings
//! to ±1e3. Almost always it does so *beyond the outermost training point*,
//! in the stretch between 0 and the smallest x or between the largest x and
//! 1, where nothing holds the polynomial down (extrapolation);
//! `blowups_beyond_data` reports the share. Every prediction is clipped to
//! the truth's range widened by 1 + 4·noise ([−3.2, 3.2] at noise 0.3)
//! before any statistic, so one wild fit counts as a large but bounded error
//! instead of dominating every mean; `clipped_fraction` says how often that
//! happened. The decomposition holds exactly for this clipped predictor.

mod fit;

use crate::i18n::Msg;
use crate::msg;
use rand::Rng as _;
use rand_distr::{Distribution, Normal};

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, KNOBS, KeySpec, KindSpec, MetricSpec, PanelSpec, SEED, float, int, panel_names,
    panels_key,
};
use super::snapshot::{Axis, BarGroup, Metric, Panel, PanelBody, Series, Snapshot};
use super::{ParamError, Params};
use crate::nn::{Rng, seeded};
use fit::{Fitter, legendre};

/// Test points on [0, 1].
pub const GRID: usize = 100;
/// Individual fits kept for the `fits` panel.
const SHOWN_FITS: usize = 10;

/// The noiseless truth.
pub fn truth(x: f64) -> f64 {
    (2.0 * std::f64::consts::PI * x).sin()
}

/// The panels, declared once: the `panels` key's choices come from here.
const PANELS: [PanelSpec; 3] = [
    PanelSpec {
        name: "fits",
        doc: "the last few fits of `degree`, the mean of all its fits, the truth and the latest training set",
    },
    PanelSpec {
        name: "decomposition",
        doc: "bars of bias², variance and noise per degree",
    },
    PanelSpec {
        name: "error",
        doc: "bias², variance, noise, their sum and the measured test_mse against degree (the U)",
    },
];
const PANEL_NAMES: [&str; 3] = panel_names(&PANELS);

pub static KIND: KindSpec = KindSpec {
    name: "bias-variance",
    summary: "Fit polynomials of every degree to many resampled noisy training sets of \
              y = sin(2πx) + noise; split the expected test error into bias², variance and noise. \
              Predictions are clipped to the truth's range ± (1 + 4·noise) so rare blow-up fits stay bounded.",
    keys: &[
        KeySpec {
            apply: Apply::Live,
            ..int(
                "degree",
                (0, 20),
                3,
                "degree whose individual fits the `fits` panel draws (capped at max_degree)",
            )
        },
        int(
            "max_degree",
            (1, 20),
            12,
            "highest degree of the sweep 0..max_degree; must be below samples",
        ),
        int(
            "datasets",
            (10, 2000),
            200,
            "training sets drawn, one per iteration (the run's length)",
        ),
        int(
            "samples",
            (5, 1000),
            30,
            "points per training set, x ~ U(0, 1)",
        ),
        float(
            "noise",
            (0.0, 5.0, false),
            0.3,
            Apply::Restart,
            "σ of the label noise; the noise term is σ²",
        ),
        SEED,
        panels_key(&PANEL_NAMES, &PANEL_NAMES),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "training sets drawn so far",
        },
        MetricSpec {
            name: "datasets",
            doc: "training sets drawn so far (same as iteration)",
        },
        MetricSpec {
            name: "degrees",
            doc: "the degrees of the sweep, 0..max_degree",
        },
        MetricSpec {
            name: "bias2",
            doc: "bias² per degree: (mean fit − noiseless truth)² averaged over the test grid, minus \
                  variance/datasets (the mean fit's own sampling error): unbiased, so it can read \
                  slightly below 0 where the true bias² is 0",
        },
        MetricSpec {
            name: "variance",
            doc: "variance per degree: spread of the fits around their mean (1/(datasets − 1), unbiased)",
        },
        MetricSpec {
            name: "noise",
            doc: "noise per degree: σ², the floor no model can beat",
        },
        MetricSpec {
            name: "test_mse",
            doc: "measured expected test error per degree, on fresh noisy labels",
        },
        MetricSpec {
            name: "mc_se",
            doc: "Monte-Carlo standard error of test_mse − (bias² + variance + noise)",
        },
        MetricSpec {
            name: "clipped_fraction",
            doc: "share of predictions per degree that were clipped (blow-up fits)",
        },
        MetricSpec {
            name: "blowups",
            doc: "fits per degree that blew up: at least one prediction clipped",
        },
        MetricSpec {
            name: "blowups_beyond_data",
            doc: "share of those blow-ups whose worst miss |ŷ − f| lies beyond the outermost \
                  training point (x below the set's smallest x or above its largest): extrapolation",
        },
    ],
    panels: &PANELS,
    build: Runner::<Sweep>::build,
    check: Runner::<Sweep>::check,
    check_step: Runner::<Sweep>::check_step,
};

/// The keys of a sweep, typed.
#[derive(Clone, Debug)]
pub struct Config {
    degree: usize,
    max_degree: usize,
    datasets: usize,
    samples: usize,
    noise: f64,
    seed: u64,
}

/// Running sums of the sweep; memory is fixed by degrees × grid, whatever
/// the number of training sets.
pub struct Sweep {
    /// The `degree` knob: whose fits the `fits` panel draws.
    degree: usize,
    rng: Rng,
    noise: Normal<f64>,
    sigma: f64,
    datasets: usize,
    samples: usize,
    /// Number of coefficients of the highest degree (max_degree + 1).
    p: usize,
    clip: [f64; 2],
    fitter: Fitter,
    /// Legendre basis at the grid: (GRID, p), row-major.
    basis: Vec<f64>,
    truth: Vec<f64>,
    drawn: usize,
    /// Welford mean and M2 of the predictions: (p, GRID), row-major.
    mean: Vec<f64>,
    m2: Vec<f64>,
    /// Per degree: Σ (ŷ − y*)², Σ (ŷ − f)², clipped count, fits that blew
    /// up, and those of them that peaked beyond the outermost training point.
    sq_err: Vec<f64>,
    sq_dev: Vec<f64>,
    clipped: Vec<usize>,
    blowups: Vec<usize>,
    beyond: Vec<usize>,
    /// The latest SHOWN_FITS sets' predictions, each (p, GRID).
    recent: Vec<Vec<f64>>,
    latest_set: Vec<[f64; 2]>,
    x: Vec<f64>,
    y: Vec<f64>,
    coef: Vec<f64>,
}

impl Sweep {
    fn sample(c: &Config) -> Sweep {
        let p = c.max_degree + 1;
        let samples = c.samples;
        let sigma = c.noise;
        let mut basis = vec![0.0; GRID * p];
        for (t, row) in basis.chunks_exact_mut(p).enumerate() {
            legendre(2.0 * grid_x(t) - 1.0, row);
        }
        let margin = 1.0 + 4.0 * sigma;
        Sweep {
            degree: c.degree,
            rng: seeded(c.seed),
            noise: Normal::new(0.0, sigma).expect("σ ≥ 0 is finite"),
            sigma,
            datasets: c.datasets,
            samples,
            p,
            clip: [-1.0 - margin, 1.0 + margin],
            fitter: Fitter::new(samples, p),
            basis,
            truth: (0..GRID).map(|t| truth(grid_x(t))).collect(),
            drawn: 0,
            mean: vec![0.0; p * GRID],
            m2: vec![0.0; p * GRID],
            sq_err: vec![0.0; p],
            sq_dev: vec![0.0; p],
            clipped: vec![0; p],
            blowups: vec![0; p],
            beyond: vec![0; p],
            recent: Vec::with_capacity(SHOWN_FITS),
            latest_set: Vec::new(),
            x: vec![0.0; samples],
            y: vec![0.0; samples],
            coef: vec![0.0; p],
        }
    }

    /// Draws one training set, fits every degree, and folds the predictions
    /// into the running statistics.
    fn draw_one(&mut self) {
        for (x, y) in self.x.iter_mut().zip(self.y.iter_mut()) {
            *x = self.rng.random::<f64>();
            *y = truth(*x) + self.noise.sample(&mut self.rng);
        }
        let labels: Vec<f64> = self
            .truth
            .iter()
            .map(|f| f + self.noise.sample(&mut self.rng))
            .collect();
        self.fitter.factor(&self.x, &self.y);
        self.drawn += 1;
        let s = self.drawn as f64;
        let (lo, hi) = self
            .x
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            });
        let mut preds = vec![0.0; self.p * GRID];
        for d in 0..self.p {
            self.fitter.coefficients(d + 1, &mut self.coef);
            let out = &mut preds[d * GRID..(d + 1) * GRID];
            // Where this fit strays furthest from the truth, if it blows up.
            let (mut blew_up, mut peak, mut peak_at) = (false, -1.0, 0);
            for (t, o) in out.iter_mut().enumerate() {
                let row = &self.basis[t * self.p..t * self.p + d + 1];
                let raw: f64 = row.iter().zip(&self.coef).map(|(b, c)| b * c).sum();
                // NaN (an impossible fit) clips to the upper bound, never through.
                let v = if raw.is_nan() {
                    self.clip[1]
                } else {
                    raw.clamp(self.clip[0], self.clip[1])
                };
                let miss = if raw.is_nan() {
                    f64::INFINITY
                } else {
                    (raw - self.truth[t]).abs()
                };
                if miss > peak {
                    (peak, peak_at) = (miss, t);
                }
                blew_up |= v != raw;
                self.clipped[d] += usize::from(v != raw);
                *o = v;
                let i = d * GRID + t;
                let delta = v - self.mean[i];
                self.mean[i] += delta / s;
                self.m2[i] += delta * (v - self.mean[i]);
                self.sq_err[d] += (v - labels[t]).powi(2);
                self.sq_dev[d] += (v - self.truth[t]).powi(2);
            }
            if blew_up {
                self.blowups[d] += 1;
                let x = grid_x(peak_at);
                self.beyond[d] += usize::from(x < lo || x > hi);
            }
        }
        if self.recent.len() == SHOWN_FITS {
            self.recent.remove(0);
        }
        self.recent.push(preds);
        self.latest_set = self.x.iter().zip(&self.y).map(|(&x, &y)| [x, y]).collect();
    }

    /// The sweep's statistics per degree (see the module docs).
    pub fn decomposition(&self) -> Decomposition {
        let s = self.drawn.max(1) as f64;
        let n = s * GRID as f64;
        // Unbiased spread: 1/(S − 1); with one set there is none yet.
        let spread = (self.drawn.max(2) - 1) as f64;
        let var2 = self.sigma * self.sigma;
        let mut out = Decomposition::default();
        for d in 0..self.p {
            let row = d * GRID..(d + 1) * GRID;
            let variance = self.m2[row.clone()].iter().sum::<f64>() / (spread * GRID as f64);
            let raw_bias2 = self.mean[row]
                .iter()
                .zip(&self.truth)
                .map(|(m, f)| (m - f).powi(2))
                .sum::<f64>()
                / GRID as f64;
            let dev = self.sq_dev[d] / n;
            out.bias2.push(raw_bias2 - variance / s);
            out.variance.push(variance);
            out.test_mse.push(self.sq_err[d] / n);
            out.mc_se
                .push(((2.0 * var2 * var2 + 4.0 * var2 * dev) / n).sqrt());
            out.clipped_fraction.push(self.clipped[d] as f64 / n);
            out.blowups.push(self.blowups[d] as f64);
            out.blowups_beyond_data.push(if self.blowups[d] == 0 {
                0.0
            } else {
                self.beyond[d] as f64 / self.blowups[d] as f64
            });
        }
        out
    }
}

/// Per-degree statistics of a sweep, each indexed by degree 0..=max_degree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decomposition {
    /// Unbiased bias²: mean_t (ȳ − f)² − variance/S.
    pub bias2: Vec<f64>,
    /// Unbiased variance of the fits, averaged over the grid.
    pub variance: Vec<f64>,
    pub test_mse: Vec<f64>,
    /// Standard error of test_mse − (bias² + variance + noise).
    pub mc_se: Vec<f64>,
    pub clipped_fraction: Vec<f64>,
    /// Fits with at least one clipped prediction.
    pub blowups: Vec<f64>,
    /// Share of those whose worst miss lies beyond the outermost training point.
    pub blowups_beyond_data: Vec<f64>,
}

fn grid_x(t: usize) -> f64 {
    (t as f64 + 0.5) / GRID as f64
}

impl Experiment for Sweep {
    type Config = Config;
    type View = Decomposition;

    /// Reads the keys; the highest degree needs more points than coefficients.
    fn config(p: &Params) -> Result<Config, ParamError> {
        let (max_degree, samples) = (p.usize("max_degree"), p.usize("samples"));
        if max_degree >= samples {
            return Err(ParamError::new(
                "max_degree",
                msg!(
                    "max_degree = {max_degree} needs at least {needed} samples per set (samples = {samples})",
                    max_degree,
                    needed = max_degree + 1,
                    samples
                ),
            ));
        }
        Ok(Config {
            degree: p.usize("degree"),
            max_degree,
            datasets: p.usize("datasets"),
            samples,
            noise: p.f64("noise"),
            seed: p.u64("seed"),
        })
    }

    fn new(c: &Config) -> Self {
        Sweep::sample(c)
    }

    fn step(&mut self) -> bool {
        self.draw_one();
        true
    }

    fn iteration(&self) -> usize {
        self.drawn
    }

    fn total(&self) -> usize {
        self.datasets
    }

    fn view(&self) -> Decomposition {
        self.decomposition()
    }

    fn metrics(&self, d: &Decomposition, s: &mut Snapshot) {
        s.push("datasets", Metric::Num(self.drawn as f64));
        s.push(
            "degrees",
            Metric::Nums((0..self.p).map(|d| d as f64).collect()),
        );
        s.push("bias2", Metric::Nums(d.bias2.clone()));
        s.push("variance", Metric::Nums(d.variance.clone()));
        s.push("noise", Metric::Nums(vec![self.sigma * self.sigma; self.p]));
        s.push("test_mse", Metric::Nums(d.test_mse.clone()));
        s.push("mc_se", Metric::Nums(d.mc_se.clone()));
        s.push("clipped_fraction", Metric::Nums(d.clipped_fraction.clone()));
        s.push("blowups", Metric::Nums(d.blowups.clone()));
        s.push(
            "blowups_beyond_data",
            Metric::Nums(d.blowups_beyond_data.clone()),
        );
    }

    fn panel(&self, d: &Decomposition, id: &str) -> Panel {
        match id {
            "fits" => self.fits_panel(),
            "decomposition" => self.bars_panel(&d.bias2, &d.variance),
            _ => self.error_panel(&d.bias2, &d.variance, &d.test_mse),
        }
    }

    fn set_live(&mut self, c: &Config) -> bool {
        self.degree = c.degree;
        true
    }
}

impl Sweep {
    /// The degree the `fits` panel shows: the `degree` knob, capped.
    pub fn shown_degree(&self) -> usize {
        self.degree.min(self.p - 1)
    }

    fn fits_panel(&self) -> Panel {
        let d = self.shown_degree();
        let row = d * GRID..(d + 1) * GRID;
        let curve = |v: &[f64]| -> Vec<[f64; 2]> {
            v.iter().enumerate().map(|(t, &y)| [grid_x(t), y]).collect()
        };
        // One name for all the recent fits: the views give series with one
        // name one colour and one legend entry, so the legend keeps room
        // for the mean and the truth.
        let fits = msg!("fits on the last {n} sets", n = self.recent.len());
        let mut series: Vec<Series> = self
            .recent
            .iter()
            .map(|preds| Series::line(fits.clone(), curve(&preds[row.clone()])))
            .collect();
        series.push(Series::line(
            msg!("mean of {n} fits", n = self.drawn),
            curve(&self.mean[row]),
        ));
        series.push(Series::reference(
            msg!("truth sin(2πx)"),
            curve(&self.truth),
        ));
        series.push(Series::points(
            msg!(
                "training set {n} ({points} points)",
                n = self.drawn,
                points = self.samples
            ),
            self.latest_set.iter().copied(),
        ));
        let capped = if d < self.degree {
            msg!(" (capped at max_degree {d})", d)
        } else {
            Msg::verbatim("")
        };
        Panel {
            id: "fits".into(),
            title: msg!(
                "degree-{d} fits{capped}: spread = variance, (mean − truth)² = bias² (clipped to [{lo}, {hi}])",
                d,
                capped,
                lo = format!("{:.1}", self.clip[0]),
                hi = format!("{:.1}", self.clip[1])
            ),
            x: Axis::bounded(Msg::verbatim("x"), 0.0, 1.0),
            y: Axis::bounded(Msg::verbatim("y"), self.clip[0], self.clip[1]),
            body: PanelBody::Series { series },
        }
    }

    fn bars_panel(&self, bias2: &[f64], variance: &[f64]) -> Panel {
        let noise = self.sigma * self.sigma;
        Panel {
            id: "decomposition".into(),
            title: msg!(
                "expected test error split, {sets} training sets of {points}",
                sets = self.drawn,
                points = self.samples
            ),
            x: Axis::new(msg!("polynomial degree")),
            y: Axis::new(msg!("squared error (y units²)")),
            body: PanelBody::Bars {
                categories: (0..self.p).map(|d| d.to_string()).collect(),
                groups: vec![
                    BarGroup {
                        name: msg!("bias²"),
                        values: bias2.to_vec(),
                    },
                    BarGroup {
                        name: msg!("variance"),
                        values: variance.to_vec(),
                    },
                    BarGroup {
                        name: msg!("noise σ² = {noise}", noise = format!("{noise:.3}")),
                        values: vec![noise; self.p],
                    },
                ],
            },
        }
    }

    fn error_panel(&self, bias2: &[f64], variance: &[f64], test_mse: &[f64]) -> Panel {
        let noise = self.sigma * self.sigma;
        let line = |name: Msg, v: &mut dyn Iterator<Item = f64>| {
            Series::line(name, v.enumerate().map(|(d, y)| [d as f64, y]))
        };
        let sum = bias2.iter().zip(variance).map(|(b, v)| b + v + noise);
        // The U's bottom is what matters: show up to 5× the best test error
        // (at least 5× the noise floor); steeper ends leave the chart.
        let best = test_mse.iter().copied().fold(f64::INFINITY, f64::min);
        let top = 5.0 * best.max(noise).max(1e-6);
        Panel {
            id: "error".into(),
            title: msg!(
                "bias² + variance + noise vs measured test error (y axis cut at 5× the best)"
            ),
            x: Axis::bounded(msg!("polynomial degree"), 0.0, (self.p - 1) as f64).integer(),
            y: Axis::bounded(msg!("squared error (y units²)"), 0.0, top),
            body: PanelBody::Series {
                series: vec![
                    line(msg!("bias²"), &mut bias2.iter().copied()),
                    line(msg!("variance"), &mut variance.iter().copied()),
                    line(msg!("noise σ²"), &mut std::iter::repeat_n(noise, self.p)),
                    line(msg!("bias² + variance + noise"), &mut sum.into_iter()),
                    Series::points(
                        msg!("measured test MSE"),
                        test_mse.iter().enumerate().map(|(d, &y)| [d as f64, y]),
                    ),
                ],
            },
        }
    }
}

#[cfg(test)]
mod tests;
