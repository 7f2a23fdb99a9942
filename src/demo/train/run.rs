//! One training run: data, network, buffers, the update loop (plain SGD or
//! an optimizer, full batch or mini-batches) with divergence detection and
//! early stopping, and a bounded history for the charts.

use ndarray::{Array2, ArrayView2, Zip};
use rand::Rng as _;

use super::Config;
use super::config::Schedule;
use crate::demo::snapshot::{Metric, Snapshot, Status};
use crate::nn::data::{self, Dataset};
use crate::nn::layer::l2_norm;
use crate::nn::loss::accuracy;
use crate::nn::norm::mean_and_variance;
use crate::nn::regularize::{sign, soft_threshold};
use crate::nn::{
    Dropout, Hidden, Hyperparams, Loss, Mlp, Norm, Optimizer, Penalty, Rng, Sgd, Workspace, seeded,
};

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
    /// Validation loss, NaN without a validation set.
    pub val_loss: f64,
    /// Per hidden layer, the std of its outputs in the training pass of this
    /// iteration (empty for the current state, which had no such pass yet).
    pub layer_std: Vec<f64>,
    /// Per layer, ‖∂Loss/∂W‖₂ of this iteration's training pass (empty likewise).
    pub layer_grad: Vec<f64>,
    /// The weights' histogram over [lo, hi] = ±max|w|, [`WEIGHT_BINS`] bins.
    pub weight_bins: (f64, f64, Vec<f64>),
}

/// Bins of the weight histogram kept with every record.
pub(crate) const WEIGHT_BINS: usize = 24;

/// The mini-batch sampler: a permutation of the training rows, reshuffled
/// (Fisher–Yates, from the run's generator) whenever fewer than a batch
/// remain, so every epoch visits each sample at most once (PyTorch's
/// `DataLoader(shuffle=True, drop_last=True)`).
struct Batches {
    size: usize,
    order: Vec<usize>,
    next: usize,
    x: Array2<f64>,
    y: Array2<f64>,
}

impl Batches {
    fn new(size: usize, data: &Dataset) -> Batches {
        let n = data.x_train.nrows();
        Batches {
            size,
            order: (0..n).collect(),
            // Past the end: the first draw shuffles.
            next: n,
            x: Array2::zeros((size, data.x_train.ncols())),
            y: Array2::zeros((size, data.y_train.ncols())),
        }
    }

    /// Copies the next batch's rows into `x` and `y`.
    fn draw(&mut self, data: &Dataset, rng: &mut Rng) {
        if self.next + self.size > self.order.len() {
            for i in (1..self.order.len()).rev() {
                let j = rng.random_range(0..=i);
                self.order.swap(i, j);
            }
            self.next = 0;
        }
        let rows = &self.order[self.next..self.next + self.size];
        for (k, &r) in rows.iter().enumerate() {
            self.x.row_mut(k).assign(&data.x_train.row(r));
            self.y.row_mut(k).assign(&data.y_train.row(r));
        }
        self.next += self.size;
    }
}

/// The update rule of a run: the shipped lessons' plain SGD with its
/// swap-buffer rollback, or an optimizer with state.
enum Update {
    Plain,
    Optimizer(Box<Optimizer>),
}

/// A held-out validation set and the early-stopping bookkeeping.
struct Validation {
    x: Array2<f64>,
    y: Array2<f64>,
    ws: Workspace,
    /// (loss, iteration) of the best validation loss so far.
    best: Option<(f64, usize)>,
    /// The latest validation loss.
    last: f64,
}

/// A training run on a generated data set.
pub struct Run {
    pub data: Dataset,
    pub net: Mlp,
    /// A second set of parameters of the same shapes: plain SGD writes each
    /// update here and swaps it in, so this holds the previous ones; the
    /// optimizer path copies into it before a step.
    backup: Mlp,
    /// The training pass's buffers (batch-sized with mini-batches).
    ws: Workspace,
    /// Buffers for the whole training set, when `ws` is batch-sized.
    ws_train: Option<Workspace>,
    ws_test: Workspace,
    pub loss: Loss,
    /// The optimizer's hyper-parameters; `lr` before the schedule.
    pub hyper: Hyperparams,
    pub schedule: Schedule,
    update: Update,
    batches: Option<Batches>,
    validation: Option<Validation>,
    patience: usize,
    /// The iteration at which patience ended the run.
    pub stopped_at: Option<usize>,
    pub penalty: Penalty,
    pub dropout: Dropout,
    /// How the run is evaluated: `None` in evaluation mode (batch norms use
    /// their running statistics); `Some(b)` with batch norms left in
    /// training mode, normalizing each chunk of b rows (0: all rows) with
    /// its own statistics, the `eval_mode = "train"` bug.
    pub eval_in_train_mode: Option<usize>,
    rng: Rng,
    pub steps: usize,
    /// Panels drawn with a logarithmic y axis.
    pub log_y: Vec<String>,
    /// Whether records keep per-layer statistics (a layer panel is shown).
    layer_stats: bool,
    /// Whether records keep the weight histogram (weight-history is shown).
    weight_history: bool,
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
    /// so runs differing only in init see the same data); mini-batch order
    /// and dropout masks come from the same generator afterwards.
    pub(crate) fn new(c: &Config) -> Run {
        let mut rng = seeded(c.seed);
        let mut data = data::generate(&c.data_spec(), &mut rng).expect("schema choice");
        if c.loss.sigmoid_output() {
            // One logit answers "class 1?": the target is the one-hot's column 1.
            data.y_train = data.y_train.slice(ndarray::s![.., 1..2]).to_owned();
            data.y_test = data.y_test.slice(ndarray::s![.., 1..2]).to_owned();
        }
        let net = Mlp::new(&c.layers, c.activation, c.init, &mut rng).with_norms(&c.norms);
        let validation = (c.validation > 0).then(|| {
            let (x, y) = data.split_validation(c.validation);
            Validation {
                ws: net.workspace(x.nrows()),
                x,
                y,
                best: None,
                last: f64::NAN,
            }
        });
        let n = data.x_train.nrows();
        let batched = c.batch_size < n;
        let update = if c.plain_sgd() {
            Update::Plain
        } else {
            match Optimizer::for_mlp(c.optimizer, c.hyper, &net) {
                Ok(opt) => Update::Optimizer(Box::new(opt)),
                // The schema's ranges are the optimizer's; plain SGD is the
                // safe fallback should they ever disagree.
                Err(_) => Update::Plain,
            }
        };
        Run {
            ws: net.workspace(c.batch_size.min(n)),
            ws_train: batched.then(|| net.workspace(n)),
            ws_test: net.workspace(data.x_test.nrows()),
            batches: batched.then(|| Batches::new(c.batch_size, &data)),
            backup: net.clone(),
            net,
            data,
            loss: c.loss,
            hyper: c.hyper,
            schedule: c.schedule,
            update,
            validation,
            patience: c.patience,
            stopped_at: None,
            penalty: c.penalty,
            dropout: c.dropout,
            eval_in_train_mode: c.eval_in_train_mode,
            rng,
            steps: c.steps,
            log_y: c.log_y.clone(),
            layer_stats: c
                .panels
                .iter()
                .any(|p| p == "layer-std" || p == "layer-grads"),
            weight_history: c.panels.iter().any(|p| p == "weight-history"),
            iteration: 0,
            diverged_at: None,
            history: Vec::new(),
            stride: 1,
        }
    }

    /// Applies the keys that change live: lr and the optimizer's other
    /// hyper-parameters, the schedule, penalties, dropout. False when the
    /// change needs the other update rule (a live `weight_decay` on a plain
    /// SGD run): the caller then rebuilds the run.
    pub(crate) fn set_live(&mut self, c: &Config) -> bool {
        if c.plain_sgd() != matches!(self.update, Update::Plain) {
            return false;
        }
        self.hyper = c.hyper;
        self.schedule = c.schedule;
        self.penalty = c.penalty;
        self.dropout = c.dropout;
        self.eval_in_train_mode = c.eval_in_train_mode;
        true
    }

    pub fn status(&self) -> Status {
        if self.stopped_at.is_some() && self.diverged_at.is_none() {
            return Status::Done;
        }
        Status::of(self.iteration, self.steps, self.diverged_at)
    }

    /// The learning rate of the next update (`lr` times the schedule's factor).
    pub fn current_lr(&self) -> f64 {
        self.hyper.lr * self.schedule.factor(self.iteration)
    }

    /// Runs up to `n` iterations; returns how many were attempted (the last
    /// may be the one that diverged or stopped early).
    pub fn advance(&mut self, n: usize) -> usize {
        let mut ran = 0;
        while ran < n && self.status() == Status::Running {
            ran += 1;
            self.step();
        }
        ran
    }

    /// One update on the training set or the next mini-batch. Returns
    /// false if it diverged (the network then keeps its last finite
    /// parameters) or early stopping ended the run.
    pub fn step(&mut self) -> bool {
        if let Some(b) = &mut self.batches {
            b.draw(&self.data, &mut self.rng);
        }
        let hidden = if self.dropout.active() {
            self.net
                .sample_masks(&mut self.ws, &self.dropout, &mut self.rng);
            Hidden::Masked
        } else {
            Hidden::Plain
        };
        let (x, y) = match &self.batches {
            Some(b) => (b.x.view(), b.y.view()),
            None => (self.data.x_train.view(), self.data.y_train.view()),
        };
        self.net.forward_train(x, &mut self.ws, hidden);
        let loss = self.net.backward(x, y, self.loss, &mut self.ws);
        if !loss.is_finite() {
            self.diverged_at = Some(self.iteration + 1);
            return false;
        }
        // Now, as PyTorch does in the forward pass: the measurements below
        // reuse `ws` and would overwrite the batch statistics.
        self.net.update_running_stats(&self.ws);
        // Measured before the update: the state after `iteration` steps.
        let val_loss = self.measure_validation();
        if self.iteration.is_multiple_of(self.stride) {
            // Read before `record` reuses the training pass's buffers; only
            // when a panel draws them, as they cost a pass over every unit
            // and weight at each record.
            let (mut layer_std, mut layer_grad) = (Vec::new(), Vec::new());
            if self.layer_stats {
                let hidden_layers = self.net.layers.len() - 1;
                layer_std = self.ws.outs[..hidden_layers]
                    .iter()
                    .map(|o| mean_and_variance(o.iter().copied()).1.sqrt())
                    .collect();
                layer_grad = self
                    .ws
                    .grads
                    .iter()
                    .map(|(gw, _)| l2_norm(gw.iter().copied()))
                    .collect();
            }
            // The training pass's loss is the test-mode training loss only
            // on the whole set, without dropout masks or batch statistics.
            let exact =
                hidden == Hidden::Plain && self.batches.is_none() && !self.net.has_batch_norm();
            self.record(exact.then_some(loss), val_loss, layer_std, layer_grad);
        }
        if self.patience_ran_out() {
            self.stopped_at = Some(self.iteration);
            return false;
        }
        let lr = self.current_lr();
        let finite = match &mut self.update {
            Update::Plain => {
                // The update goes into the spare copy; swapping makes it
                // current and keeps the previous parameters as the rollback.
                let sgd = Sgd { lr };
                let ok = sgd.step_into(&self.net, &mut self.backup, &self.ws, &self.penalty);
                if ok {
                    std::mem::swap(&mut self.net, &mut self.backup);
                }
                ok
            }
            Update::Optimizer(opt) => {
                self.backup.clone_from(&self.net);
                let ok = optimizer_step(
                    opt,
                    lr,
                    &self.hyper,
                    &mut self.net,
                    &mut self.ws,
                    &self.penalty,
                );
                if !ok {
                    std::mem::swap(&mut self.net, &mut self.backup);
                }
                ok
            }
        };
        if !finite {
            self.diverged_at = Some(self.iteration + 1);
            return false;
        }
        self.iteration += 1;
        true
    }

    /// The validation loss of the current parameters, folded into the best
    /// so far; NaN without a validation set.
    fn measure_validation(&mut self) -> f64 {
        let hidden = Hidden::test(&self.dropout);
        let Some(v) = &mut self.validation else {
            return f64::NAN;
        };
        let loss = match self.eval_in_train_mode {
            None => {
                let out = self.net.forward(v.x.view(), &mut v.ws, hidden);
                self.loss.value(out.view(), v.y.view())
            }
            Some(batch) => {
                let out = self.net.predict_in_train_mode(v.x.view(), hidden, batch);
                self.loss.value(out.view(), v.y.view())
            }
        };
        v.last = loss;
        if loss.is_finite() && v.best.is_none_or(|(best, _)| loss < best) {
            v.best = Some((loss, self.iteration));
        }
        loss
    }

    /// Whether `patience` steps have passed since the best validation loss.
    fn patience_ran_out(&self) -> bool {
        match &self.validation {
            Some(v) if self.patience > 0 => v
                .best
                .is_some_and(|(_, at)| self.iteration >= at + self.patience),
            _ => false,
        }
    }

    /// (lowest validation loss, its iteration), once measured.
    pub fn best_validation(&self) -> Option<(f64, usize)> {
        self.validation.as_ref().and_then(|v| v.best)
    }

    /// Whether the run holds out a validation set.
    pub fn has_validation(&self) -> bool {
        self.validation.is_some()
    }

    /// Appends the current state to the history, halving it when full.
    /// `train_loss`: the training loss if already known in test mode.
    fn record(
        &mut self,
        train_loss: Option<f64>,
        val_loss: f64,
        layer_std: Vec<f64>,
        layer_grad: Vec<f64>,
    ) {
        let test_hidden = Hidden::test(&self.dropout);
        let (train_loss, test_loss) = match self.eval_in_train_mode {
            None => {
                let train_loss = train_loss.unwrap_or_else(|| {
                    let ws = self.ws_train.as_mut().unwrap_or(&mut self.ws);
                    let out = self.net.forward(self.data.x_train.view(), ws, test_hidden);
                    self.loss.value(out.view(), self.data.y_train.view())
                });
                let out = self
                    .net
                    .forward(self.data.x_test.view(), &mut self.ws_test, test_hidden);
                (
                    train_loss,
                    self.loss.value(out.view(), self.data.y_test.view()),
                )
            }
            Some(_) => {
                let (p_train, p_test) = (
                    self.predict(&self.data.x_train),
                    self.predict(&self.data.x_test),
                );
                (
                    self.loss.value(p_train.view(), self.data.y_train.view()),
                    self.loss.value(p_test.view(), self.data.y_test.view()),
                )
            }
        };
        let mut record = self.state(train_loss, test_loss);
        record.val_loss = val_loss;
        record.layer_std = layer_std;
        record.layer_grad = layer_grad;
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
            val_loss: self.validation.as_ref().map_or(f64::NAN, |v| v.last),
            layer_std: Vec::new(),
            layer_grad: Vec::new(),
            weight_bins: if self.weight_history {
                self.weight_bins()
            } else {
                (0.0, 0.0, Vec::new())
            },
        }
    }

    /// The weights' histogram over ±max|w| (finite weights only).
    fn weight_bins(&self) -> (f64, f64, Vec<f64>) {
        let m = self
            .net
            .weights()
            .filter(|w| w.is_finite())
            .fold(0.0f64, |m, w| m.max(w.abs()));
        let m = if m > 0.0 { m } else { 1.0 };
        let bins = crate::demo::snapshot::histogram(
            self.net.weights(),
            -m,
            m * (1.0 + 1e-12),
            WEIGHT_BINS,
        );
        (-m, m, bins.into_iter().map(|b| b.count).collect())
    }

    /// The first hidden layer's weights, (n_inputs, width), if there is one.
    pub fn hidden_layer(&self) -> Option<&Array2<f64>> {
        (self.net.layers.len() > 1).then(|| &self.net.layers[0].w)
    }

    /// The test-mode network's output for x (with batch norms in training
    /// mode under `eval_mode = "train"`). x: (n, n_inputs) → (n, n_outputs)
    pub fn predict(&self, x: &Array2<f64>) -> Array2<f64> {
        let hidden = Hidden::test(&self.dropout);
        match self.eval_in_train_mode {
            None => self.net.predict(x.view(), hidden),
            Some(batch) => self.net.predict_in_train_mode(x.view(), hidden, batch),
        }
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
            train_accuracy: classes.then(|| hits(p_train.view(), self.data.y_train.view())),
            test_accuracy: classes.then(|| hits(p_test.view(), self.data.y_test.view())),
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
        if let Some(r) = self.history.iter().rev().find(|r| !r.layer_grad.is_empty()) {
            s.push("layer_std", Metric::Nums(r.layer_std.clone()));
            s.push("layer_grad_norm", Metric::Nums(r.layer_grad.clone()));
        }
        if self.schedule != Schedule::Constant {
            s.push("lr", Metric::Num(self.current_lr()));
        }
        if let Some(v) = &self.validation {
            let last = if v.last.is_finite() { v.last } else { 0.0 };
            let (best, at) = v.best.unwrap_or((last, 0));
            s.push("val_loss", Metric::Num(last));
            s.push("best_val_loss", Metric::Num(best));
            s.push("best_iteration", Metric::Num(at as f64));
            s.push("stopped_early", Metric::Bool(self.stopped_at.is_some()));
        }
        if let Some(e) = self.collapse_error() {
            s.push("collapse_error", Metric::Num(e));
        }
    }

    /// For a net of linear layers only (identity activation, no norm, no
    /// dropout): the largest |difference| on the test inputs between the
    /// net's outputs and x·W + b, where W = W₁·W₂·…·W_L and
    /// b = (…(b₁·W₂ + b₂)·W₃ + …) + b_L are the one layer the stack
    /// multiplies out to. Rounding alone separates the two.
    pub fn collapse_error(&self) -> Option<f64> {
        let linear = self.net.activation == crate::nn::Activation::Identity
            && self.net.norms.iter().all(Option::is_none)
            && self.dropout.keep_prob == 1.0;
        if !linear {
            return None;
        }
        let first = self.net.layers.first()?;
        let (mut w, mut b) = (first.w.clone(), first.b.clone());
        for layer in &self.net.layers[1..] {
            b = b.dot(&layer.w) + &layer.b;
            w = w.dot(&layer.w);
        }
        let x = &self.data.x_test;
        let collapsed = x.dot(&w) + &b;
        let net = self.predict(x);
        Some(
            net.iter()
                .zip(collapsed.iter())
                .map(|(a, c)| (a - c).abs())
                .fold(0.0, f64::max),
        )
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

/// Fraction of rows classified right: the arg-max of the outputs against the
/// one-hot row, or, for one output (binary cross-entropy), logit > 0 against
/// target 1. outputs, targets: (n, k)
fn hits(outputs: ArrayView2<f64>, targets: ArrayView2<f64>) -> f64 {
    if outputs.ncols() != 1 {
        return accuracy(outputs, targets);
    }
    let n = outputs.nrows().max(1) as f64;
    let right = outputs
        .column(0)
        .iter()
        .zip(targets.column(0))
        .filter(|(z, y)| (**z > 0.0) == (**y > 0.5))
        .count();
    right as f64 / n
}

/// One optimizer update at learning rate `lr` from the gradients in `ws`,
/// with the lessons' penalties around it as plain SGD applies them: the L1
/// subgradient and coupled L2 enter the weight gradients, decoupled L2
/// shrinks the weights by 1 − lr·λ₂ before the step, and proximal L1
/// soft-thresholds them after it. Whether every new parameter is finite.
fn optimizer_step(
    opt: &mut Optimizer,
    lr: f64,
    hyper: &Hyperparams,
    net: &mut Mlp,
    ws: &mut Workspace,
    penalty: &Penalty,
) -> bool {
    let (s, c) = (penalty.l1_in_gradient(), penalty.l2_in_gradient());
    let decoupled = c == 0.0 && penalty.l2 != 0.0;
    for (layer, (gw, _)) in net.layers.iter_mut().zip(&mut ws.grads) {
        if s != 0.0 || c != 0.0 {
            Zip::from(gw)
                .and(&layer.w)
                .for_each(|g, &w| *g += s * sign(w) + c * w);
        }
        if decoupled {
            layer.w.mapv_inplace(|w| (1.0 - lr * penalty.l2) * w);
        }
    }
    // The schema's ranges are the optimizer's, so this only fails on a
    // programming error; the run then ends as diverged instead of panicking.
    if opt.set_hyper(Hyperparams { lr, ..*hyper }).is_err() {
        return false;
    }
    let finite = opt.step_mlp(net, ws);
    let threshold = if s == 0.0 { lr * penalty.l1 } else { 0.0 };
    if threshold > 0.0 {
        for layer in &mut net.layers {
            layer.w.mapv_inplace(|w| soft_threshold(w, threshold));
        }
    }
    let stats_finite = net.norms.iter().flatten().all(|n| match n {
        Norm::Batch(b) => b
            .running_mean
            .iter()
            .chain(&b.running_var)
            .all(|v| v.is_finite()),
        Norm::Layer(_) => true,
    });
    finite && stats_finite
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
