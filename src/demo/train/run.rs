//! One training run: data, network, buffers, the SGD loop with divergence
//! detection, and a bounded history for the charts.

use ndarray::Array2;

use super::Config;
use crate::demo::snapshot::{Metric, Snapshot, Status};
use crate::nn::data::{self, Dataset};
use crate::nn::loss::accuracy;
use crate::nn::{Dropout, Hidden, Loss, Mlp, Penalty, Rng, Sgd, Workspace, seeded};

/// Records kept before the history is halved: charts cannot show more points.
const HISTORY_CAP: usize = 400;
/// First-layer units drawn in the hidden-units panel.
pub(crate) const MAX_UNITS_DRAWN: usize = 32;

/// The network's state at one iteration, as the charts need it.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Iterations completed when the state was measured.
    pub iteration: usize,
    pub train_loss: f64,
    pub test_loss: f64,
    pub zero_weights: usize,
    pub weight_norm: f64,
    /// First incoming weight W1[0, j] of the first drawn hidden units.
    pub units: Vec<f64>,
}

/// A full-batch SGD run on a generated data set.
pub struct Run {
    pub data: Dataset,
    pub net: Mlp,
    /// A second set of parameters of the same shapes: each update is
    /// written here and swapped in, so this holds the previous ones.
    backup: Mlp,
    ws: Workspace,
    ws_test: Workspace,
    pub loss: Loss,
    pub sgd: Sgd,
    pub penalty: Penalty,
    pub dropout: Dropout,
    rng: Rng,
    pub steps: usize,
    pub iteration: usize,
    /// The iteration whose loss or update became NaN/∞.
    pub diverged_at: Option<usize>,
    /// States every `stride` iterations, oldest first, at most HISTORY_CAP.
    pub history: Vec<Record>,
    stride: usize,
}

/// Losses and accuracies of the current network in test mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Eval {
    pub train_loss: f64,
    pub test_loss: f64,
    pub train_accuracy: Option<f64>,
    pub test_accuracy: Option<f64>,
}

impl Run {
    /// Draws the data, then the weights, from the seed (always in that order,
    /// so runs differing only in init see the same data).
    pub(crate) fn new(c: &Config) -> Run {
        let mut rng = seeded(c.seed);
        let data = data::generate(&c.data_spec(), &mut rng).expect("schema choice");
        let net = Mlp::new(&c.layers, c.activation, c.init, &mut rng);
        Run {
            ws: net.workspace(data.x_train.nrows()),
            ws_test: net.workspace(data.x_test.nrows()),
            backup: net.clone(),
            net,
            data,
            loss: c.loss,
            sgd: c.sgd,
            penalty: c.penalty,
            dropout: c.dropout,
            rng,
            steps: c.steps,
            iteration: 0,
            diverged_at: None,
            history: Vec::new(),
            stride: 1,
        }
    }

    /// Applies the keys that change live: lr, penalties, dropout.
    pub(crate) fn set_live(&mut self, c: &Config) {
        self.sgd = c.sgd;
        self.penalty = c.penalty;
        self.dropout = c.dropout;
    }

    pub fn status(&self) -> Status {
        Status::of(self.iteration, self.steps, self.diverged_at)
    }

    /// Runs up to `n` iterations; returns how many were attempted (the last
    /// may be the one that diverged).
    pub fn advance(&mut self, n: usize) -> usize {
        let mut ran = 0;
        while ran < n && self.status() == Status::Running {
            ran += 1;
            self.step();
        }
        ran
    }

    /// One SGD iteration on the whole training set. Returns false if it
    /// diverged; the network then keeps its last finite parameters.
    pub fn step(&mut self) -> bool {
        let hidden = if self.dropout.active() {
            self.net
                .sample_masks(&mut self.ws, &self.dropout, &mut self.rng);
            Hidden::Masked
        } else {
            Hidden::Plain
        };
        let (x, y) = (self.data.x_train.view(), self.data.y_train.view());
        self.net.forward(x, &mut self.ws, hidden);
        let loss = self.net.backward(x, y, self.loss, &mut self.ws);
        if !loss.is_finite() {
            self.diverged_at = Some(self.iteration + 1);
            return false;
        }
        if self.iteration.is_multiple_of(self.stride) {
            // Measured before the update: the state after `iteration` steps.
            let train = if hidden == Hidden::Plain {
                Some(loss)
            } else {
                None
            };
            self.record(train);
        }
        // The update goes into the spare copy; swapping makes it current and
        // keeps the previous parameters as the rollback, with no copy.
        if !self
            .sgd
            .step_into(&self.net, &mut self.backup, &self.ws, &self.penalty)
        {
            self.diverged_at = Some(self.iteration + 1);
            return false;
        }
        std::mem::swap(&mut self.net, &mut self.backup);
        self.iteration += 1;
        true
    }

    /// Appends the current state to the history, halving it when full.
    /// `train_loss`: the training loss if already known in test mode.
    fn record(&mut self, train_loss: Option<f64>) {
        let test_hidden = Hidden::test(&self.dropout);
        let train_loss = train_loss.unwrap_or_else(|| {
            let out = self
                .net
                .forward(self.data.x_train.view(), &mut self.ws, test_hidden);
            self.loss.value(out.view(), self.data.y_train.view())
        });
        let out = self
            .net
            .forward(self.data.x_test.view(), &mut self.ws_test, test_hidden);
        let test_loss = self.loss.value(out.view(), self.data.y_test.view());
        let record = self.state(train_loss, test_loss);
        push_thinned(&mut self.history, &mut self.stride, record);
    }

    /// A record of the current parameters with the given losses.
    pub(crate) fn state(&self, train_loss: f64, test_loss: f64) -> Record {
        Record {
            iteration: self.iteration,
            train_loss,
            test_loss,
            zero_weights: self.net.weights().filter(|&w| w == 0.0).count(),
            weight_norm: self.net.weight_norm(),
            units: self
                .hidden_layer()
                .map(|w| w.row(0).iter().take(MAX_UNITS_DRAWN).copied().collect())
                .unwrap_or_default(),
        }
    }

    /// The first hidden layer's weights, (n_inputs, width), if there is one.
    pub fn hidden_layer(&self) -> Option<&Array2<f64>> {
        (self.net.layers.len() > 1).then(|| &self.net.layers[0].w)
    }

    /// The test-mode network's output for x. x: (n, n_inputs) → (n, n_outputs)
    pub fn predict(&self, x: &Array2<f64>) -> Array2<f64> {
        self.net.predict(x.view(), Hidden::test(&self.dropout))
    }

    /// Losses (and accuracies) of the current parameters; a non-finite loss
    /// is replaced by the last finite one recorded, so no metric is NaN.
    pub fn evaluate(&self) -> Eval {
        let (p_train, p_test) = (
            self.predict(&self.data.x_train),
            self.predict(&self.data.x_test),
        );
        let last_finite = |f: fn(&Record) -> f64| {
            self.history
                .iter()
                .rev()
                .map(f)
                .find(|v| v.is_finite())
                .unwrap_or(0.0)
        };
        let finite_or =
            |v: f64, f: fn(&Record) -> f64| if v.is_finite() { v } else { last_finite(f) };
        let classes = self.data.is_classification();
        Eval {
            train_loss: finite_or(
                self.loss.value(p_train.view(), self.data.y_train.view()),
                |r| r.train_loss,
            ),
            test_loss: finite_or(
                self.loss.value(p_test.view(), self.data.y_test.view()),
                |r| r.test_loss,
            ),
            train_accuracy: classes.then(|| accuracy(p_train.view(), self.data.y_train.view())),
            test_accuracy: classes.then(|| accuracy(p_test.view(), self.data.y_test.view())),
        }
    }

    /// First-layer units that differ from every earlier distinct unit by more
    /// than 1e-9 in some incoming weight or bias; 0 without a hidden layer.
    pub fn distinct_hidden_units(&self) -> usize {
        let Some(w) = self.hidden_layer() else {
            return 0;
        };
        let b = &self.net.layers[0].b;
        let differ = |i: usize, j: usize| {
            (b[i] - b[j]).abs() > 1e-9
                || w.column(i)
                    .iter()
                    .zip(w.column(j).iter())
                    .any(|(a, c)| (a - c).abs() > 1e-9)
        };
        let mut reps: Vec<usize> = Vec::new();
        for j in 0..w.ncols() {
            if reps.iter().all(|&r| differ(r, j)) {
                reps.push(j);
            }
        }
        reps.len()
    }

    /// The train kind's metrics, in the contract's order.
    pub(crate) fn push_metrics(&self, s: &mut Snapshot, eval: &Eval) {
        let now = self.state(eval.train_loss, eval.test_loss);
        s.push("train_loss", Metric::Num(eval.train_loss));
        s.push("test_loss", Metric::Num(eval.test_loss));
        s.push("gap", Metric::Num(eval.test_loss - eval.train_loss));
        s.push("weight_norm", Metric::Num(now.weight_norm));
        s.push("zero_weights", Metric::Num(now.zero_weights as f64));
        s.push(
            "distinct_hidden_units",
            Metric::Num(self.distinct_hidden_units() as f64),
        );
        s.push("diverged", Metric::Bool(self.diverged_at.is_some()));
        if let (Some(a), Some(b)) = (eval.train_accuracy, eval.test_accuracy) {
            s.push("train_accuracy", Metric::Num(a));
            s.push("test_accuracy", Metric::Num(b));
        }
    }

    /// The history with the current state appended (the charts' points).
    pub fn history_with_now(&self, eval: &Eval) -> Vec<Record> {
        let mut h = self.history.clone();
        if h.last().is_none_or(|r| r.iteration != self.iteration) {
            h.push(self.state(eval.train_loss, eval.test_loss));
        }
        h
    }
}

/// Appends `item` to a history kept every `stride` iterations; once it
/// holds [`HISTORY_CAP`] entries, drops every second one and doubles the
/// stride, so a run of any length keeps at most that many points spread
/// over the whole run.
pub(crate) fn push_thinned<T>(history: &mut Vec<T>, stride: &mut usize, item: T) {
    history.push(item);
    if history.len() >= HISTORY_CAP {
        let mut i = 0;
        history.retain(|_| {
            i += 1;
            i % 2 == 1
        });
        *stride *= 2;
    }
}
