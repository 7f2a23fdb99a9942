//! `graph`: backpropagation on a small computational graph, shown one node
//! per iteration: the forward pass (values, in topological order), the
//! backward pass (∂L/∂node, in reverse order), a finite-difference check of
//! every leaf's gradient, then optionally gradient-descent updates of the
//! parameters, one per iteration.
//!
//! The backward pass is the chain rule read off the graph: for every node n,
//! ∂L/∂n = Σ over the consumers c of n of ∂c/∂n · ∂L/∂c, with ∂L/∂L = 1
//! (Rumelhart, Hinton & Williams 1986; Goodfellow et al., *Deep Learning*,
//! §6.5). The check is the central difference (L(v + h) − L(v − h)) / 2h
//! with h = 1e-6, whose error is O(h²) from truncation plus O(ε·|L|/h) ≈
//! 1e-10 from rounding.
//!
//! Pace: the tutor plays a whole run in the lesson's `run_seconds` (6 s
//! unless the lesson says otherwise), so a node stays on screen for
//! `run_seconds / total` seconds. One node per iteration keeps that a
//! lesson-level choice (a walk of 12–20 nodes wants `run_seconds` ≈ 30, about
//! two seconds a node), lets `.` step exactly one node and lets replay hold
//! every node (a run this short records every iteration). The numbers are
//! computed in full when the parameters change; an iteration reveals the
//! next node's cells in the `graph` table, which marks it with `>`.

use crate::i18n::{Msg, measured};
use crate::msg;

use super::runner::{Experiment, Runner};
use super::schema::{
    Apply, KNOBS, KeySpec, KindSpec, MetricSpec, PanelSpec, choice, float, int, panel_names,
    panels_key, seed,
};
use super::snapshot::{Axis, Metric, Panel, PanelBody, Series, Snapshot};
use super::{ParamError, Params};

const GRAPHS: &[&str] = &["neuron", "two-layer", "expression"];

/// The step of the central difference.
pub const FD_STEP: f64 = 1e-6;

/// The weights of the `two-layer` net (w1, w2, v1, v2): fixed, so the keys
/// stay few; they give a loss far from 0 at the default x and target.
const TWO_LAYER_WEIGHTS: [f64; 4] = [0.5, -0.3, 0.8, 0.6];

/// The panels, declared once: the `panels` key's choices come from here.
const PANELS: [PanelSpec; 2] = [
    PanelSpec {
        name: "graph",
        doc: "table of the nodes: operation, value, local derivative, ∂L/∂node and, for leaves, \
              the finite-difference check; cells fill in as the passes reach them",
    },
    PanelSpec {
        name: "loss",
        doc: "the loss against gradient-descent updates",
    },
];
const PANEL_NAMES: [&str; 2] = panel_names(&PANELS);

/// A value key of the graphs' leaves.
const fn leaf(name: &'static str, default: f64, doc: &'static str) -> KeySpec {
    float(name, (-10.0, 10.0, false), default, Apply::Restart, doc)
}

pub static KIND: KindSpec = KindSpec {
    name: "graph",
    summary: "Backpropagation on a small computational graph, node by node: values forward, \
              gradients backward, each checked against finite differences; then gradient descent.",
    keys: &[
        choice(
            "graph",
            GRAPHS,
            "neuron",
            Apply::Restart,
            "neuron: L = (σ(w·x + b) − t)²; two-layer: L = (v1·tanh(w1·x) + v2·tanh(w2·x) − t)² \
             with w1, w2, v1, v2 = 0.5, −0.3, 0.8, 0.6; expression: f = (x + y)·z",
        ),
        leaf("x", -2.0, "the input x (every graph)"),
        leaf("y", 5.0, "the input y (expression)"),
        leaf("z", -4.0, "the input z (expression)"),
        leaf("w", 0.5, "the weight w (neuron)"),
        leaf("b", 1.0, "the bias b (neuron)"),
        leaf("target", 1.0, "the target t (neuron, two-layer)"),
        float(
            "lr",
            (0.0, 10.0, true),
            0.5,
            Apply::Live,
            "learning rate of the descent updates",
        ),
        int(
            "descent_steps",
            (0, 2000),
            0,
            "gradient-descent updates after the check, one per iteration (0: none; not for \
             expression, which has no loss to lower)",
        ),
        seed("unused (the demo is deterministic); kept so every kind takes a seed"),
        panels_key(&PANEL_NAMES, &PANEL_NAMES),
        KNOBS,
    ],
    metrics: &[
        MetricSpec {
            name: "iteration",
            doc: "nodes computed so far, then descent updates",
        },
        MetricSpec {
            name: "phase",
            doc: "forward, backward, check or descent: what the last iteration did",
        },
        MetricSpec {
            name: "loss",
            doc: "the graph's output L at the current parameters",
        },
        MetricSpec {
            name: "values",
            doc: "each node's value, in the table's order",
        },
        MetricSpec {
            name: "grads",
            doc: "∂L/∂node for each node, by backpropagation",
        },
        MetricSpec {
            name: "fd_grads",
            doc: "∂L/∂leaf for each leaf by central difference, h = 1e-6",
        },
        MetricSpec {
            name: "max_fd_error",
            doc: "largest |backprop − finite difference| over the leaves checked so far (0 before the check)",
        },
        MetricSpec {
            name: "descent_losses",
            doc: "the loss after each descent update so far",
        },
    ],
    panels: &PANELS,
    build: Runner::<Graph>::build,
    check: Runner::<Graph>::check,
    check_step: Runner::<Graph>::check_step,
};

/// What a leaf is to the student; descent moves only parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Input,
    Param,
    Target,
}

/// One node's operation on earlier nodes (indices into the graph).
#[derive(Clone, Copy, Debug)]
enum Op {
    Leaf(Role),
    /// a + b
    Add(usize, usize),
    /// a·b
    Mul(usize, usize),
    /// w·x + b, as (w, x, b)
    Affine(usize, usize, usize),
    /// σ(z) = 1 / (1 + e^−z)
    Sigmoid(usize),
    /// tanh(w·x), as (w, x)
    TanhMul(usize, usize),
    /// a·b + c·d
    Dot2(usize, usize, usize, usize),
    /// (a − t)², as (a, t)
    SqErr(usize, usize),
}

/// A node: its name, what it computes (as the table shows it) and how.
#[derive(Clone, Copy, Debug)]
struct Node {
    name: &'static str,
    formula: &'static str,
    op: Op,
}

const fn node(name: &'static str, formula: &'static str, op: Op) -> Node {
    Node { name, formula, op }
}

/// The nodes of graph `name` in topological order (the root, L, last) and
/// the key or fixed value of each leaf.
fn nodes(name: &str) -> (Vec<Node>, Vec<Source>) {
    use Op::*;
    use Role::*;
    match name {
        "two-layer" => (
            vec![
                node("x", "", Leaf(Input)),
                node("w1", "", Leaf(Param)),
                node("w2", "", Leaf(Param)),
                node("v1", "", Leaf(Param)),
                node("v2", "", Leaf(Param)),
                node("t", "", Leaf(Target)),
                node("h1", "tanh(w1·x)", TanhMul(1, 0)),
                node("h2", "tanh(w2·x)", TanhMul(2, 0)),
                node("y", "v1·h1 + v2·h2", Dot2(3, 6, 4, 7)),
                node("L", "(y − t)²", SqErr(8, 5)),
            ],
            vec![
                Source::Key("x"),
                Source::Fixed(TWO_LAYER_WEIGHTS[0]),
                Source::Fixed(TWO_LAYER_WEIGHTS[1]),
                Source::Fixed(TWO_LAYER_WEIGHTS[2]),
                Source::Fixed(TWO_LAYER_WEIGHTS[3]),
                Source::Key("target"),
            ],
        ),
        "expression" => (
            vec![
                node("x", "", Leaf(Input)),
                node("y", "", Leaf(Input)),
                node("z", "", Leaf(Input)),
                node("q", "x + y", Add(0, 1)),
                node("f", "q·z", Mul(3, 2)),
            ],
            vec![Source::Key("x"), Source::Key("y"), Source::Key("z")],
        ),
        _ => (
            vec![
                node("x", "", Leaf(Input)),
                node("w", "", Leaf(Param)),
                node("b", "", Leaf(Param)),
                node("t", "", Leaf(Target)),
                node("z", "w·x + b", Affine(1, 0, 2)),
                node("a", "σ(z)", Sigmoid(4)),
                node("L", "(a − t)²", SqErr(5, 3)),
            ],
            vec![
                Source::Key("x"),
                Source::Key("w"),
                Source::Key("b"),
                Source::Key("target"),
            ],
        ),
    }
}

/// Where a leaf's value comes from.
#[derive(Clone, Copy, Debug)]
enum Source {
    Key(&'static str),
    Fixed(f64),
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Op {
    /// The node's value from the values of the nodes before it.
    fn eval(self, v: &[f64]) -> f64 {
        match self {
            Op::Leaf(_) => unreachable!("leaves are set, not computed"),
            Op::Add(a, b) => v[a] + v[b],
            Op::Mul(a, b) => v[a] * v[b],
            Op::Affine(w, x, b) => v[w] * v[x] + v[b],
            Op::Sigmoid(z) => sigmoid(v[z]),
            Op::TanhMul(w, x) => (v[w] * v[x]).tanh(),
            Op::Dot2(a, b, c, d) => v[a] * v[b] + v[c] * v[d],
            Op::SqErr(a, t) => (v[a] - v[t]).powi(2),
        }
    }

    /// The local derivatives ∂node/∂operand, one per operand; `out` is the
    /// node's own value (σ' = σ(1 − σ), tanh' = 1 − tanh²).
    fn partials(self, v: &[f64], out: f64) -> Vec<(usize, f64)> {
        match self {
            Op::Leaf(_) => vec![],
            Op::Add(a, b) => vec![(a, 1.0), (b, 1.0)],
            Op::Mul(a, b) => vec![(a, v[b]), (b, v[a])],
            Op::Affine(w, x, b) => vec![(w, v[x]), (x, v[w]), (b, 1.0)],
            Op::Sigmoid(z) => vec![(z, out * (1.0 - out))],
            Op::TanhMul(w, x) => {
                let slope = 1.0 - out * out;
                vec![(w, slope * v[x]), (x, slope * v[w])]
            }
            Op::Dot2(a, b, c, d) => vec![(a, v[b]), (b, v[a]), (c, v[d]), (d, v[c])],
            Op::SqErr(a, t) => {
                let e = 2.0 * (v[a] - v[t]);
                vec![(a, e), (t, -e)]
            }
        }
    }
}

/// Every number of one pass at the current leaf values.
#[derive(Clone, Debug, PartialEq)]
struct Pass {
    values: Vec<f64>,
    /// ∂L/∂node, by the chain rule.
    grads: Vec<f64>,
    /// Per node, ∂consumer/∂node for each consumer.
    locals: Vec<Vec<f64>>,
    /// ∂L/∂leaf by central difference, per leaf.
    fd: Vec<f64>,
}

/// The forward values of `nodes` from the leaf values `leaves`.
fn forward(nodes: &[Node], leaves: &[f64]) -> Vec<f64> {
    let mut v = leaves.to_vec();
    for n in &nodes[leaves.len()..] {
        let x = n.op.eval(&v);
        v.push(x);
    }
    v
}

/// Forward, backward (each node pulls from its consumers) and the
/// finite-difference check.
fn pass(nodes: &[Node], leaves: &[f64]) -> Pass {
    let values = forward(nodes, leaves);
    let n = nodes.len();
    // edges[k]: (consumer, ∂consumer/∂k) for every consumer of node k.
    let mut edges: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (c, node) in nodes.iter().enumerate() {
        for (k, d) in node.op.partials(&values, values[c]) {
            edges[k].push((c, d));
        }
    }
    let mut grads = vec![0.0; n];
    grads[n - 1] = 1.0;
    for k in (0..n - 1).rev() {
        grads[k] = edges[k].iter().map(|&(c, d)| d * grads[c]).sum();
    }
    let loss = |l: &[f64]| *forward(nodes, l).last().unwrap_or(&f64::NAN);
    let fd = (0..leaves.len())
        .map(|i| {
            let (mut up, mut down) = (leaves.to_vec(), leaves.to_vec());
            up[i] += FD_STEP;
            down[i] -= FD_STEP;
            (loss(&up) - loss(&down)) / (2.0 * FD_STEP)
        })
        .collect();
    Pass {
        values,
        grads,
        locals: edges
            .into_iter()
            .map(|e| e.into_iter().map(|(_, d)| d).collect())
            .collect(),
        fd,
    }
}

/// What one iteration of the walk shows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stage {
    Forward(usize),
    Backward(usize),
    Check(usize),
}

/// The walk: forward through the computed nodes, backward through every
/// node from the root, then the check of every leaf.
fn walk(n_nodes: usize, n_leaves: usize) -> Vec<Stage> {
    (n_leaves..n_nodes)
        .map(Stage::Forward)
        .chain((0..n_nodes).rev().map(Stage::Backward))
        .chain((0..n_leaves).map(Stage::Check))
        .collect()
}

/// The keys of a run, typed.
#[derive(Clone, Debug)]
pub struct Config {
    graph: &'static str,
    leaves: Vec<f64>,
    lr: f64,
    descent_steps: usize,
}

struct Graph {
    graph: &'static str,
    nodes: Vec<Node>,
    leaves: Vec<f64>,
    walk: Vec<Stage>,
    lr: f64,
    descent_steps: usize,
    iteration: usize,
    pass: Pass,
    /// The loss before the first update, then after each.
    losses: Vec<f64>,
    diverged_at: Option<usize>,
}

impl Graph {
    /// The largest |backprop − finite difference| over the leaves checked so far.
    fn fd_error(&self) -> f64 {
        let p = &self.pass;
        p.fd.iter()
            .zip(&p.grads)
            .take(self.progress().2)
            .map(|(f, g)| (f - g).abs())
            .fold(0.0, f64::max)
    }

    fn loss(&self) -> f64 {
        *self.pass.values.last().unwrap_or(&f64::NAN)
    }

    /// The walk's stage at the last iteration, if it is still walking.
    fn stage(&self) -> Option<Stage> {
        self.iteration
            .checked_sub(1)
            .and_then(|i| self.walk.get(i).copied())
    }

    fn phase(&self) -> &'static str {
        match self.stage() {
            _ if self.iteration == 0 => "forward",
            Some(Stage::Forward(_)) => "forward",
            Some(Stage::Backward(_)) => "backward",
            Some(Stage::Check(_)) => "check",
            None => "descent",
        }
    }

    /// How far the walk has got: (computed values, backward nodes done,
    /// leaves checked).
    fn progress(&self) -> (usize, usize, usize) {
        let done = self.iteration.min(self.walk.len());
        let nl = self.leaves.len();
        let forward = done.min(self.nodes.len() - nl);
        let backward = done.saturating_sub(forward).min(self.nodes.len());
        let checked = done.saturating_sub(forward + backward);
        (forward, backward, checked)
    }
}

impl Experiment for Graph {
    type Config = Config;
    type View = ();

    fn config(p: &Params) -> Result<Config, ParamError> {
        let graph = GRAPHS
            .iter()
            .copied()
            .find(|g| *g == p.str("graph"))
            .unwrap_or("neuron");
        let descent_steps = p.usize("descent_steps");
        if graph == "expression" && descent_steps > 0 {
            return Err(ParamError::new(
                "descent_steps",
                msg!(
                    "graph `expression` has no loss to lower; descent needs graph `neuron` or `two-layer`"
                ),
            ));
        }
        let leaves = nodes(graph)
            .1
            .iter()
            .map(|l| match *l {
                Source::Key(k) => p.f64(k),
                Source::Fixed(v) => v,
            })
            .collect();
        Ok(Config {
            graph,
            leaves,
            lr: p.f64("lr"),
            descent_steps,
        })
    }

    fn new(c: &Config) -> Self {
        let nodes = nodes(c.graph).0;
        let pass = pass(&nodes, &c.leaves);
        let loss = *pass.values.last().unwrap_or(&f64::NAN);
        Graph {
            graph: c.graph,
            walk: walk(nodes.len(), c.leaves.len()),
            nodes,
            leaves: c.leaves.clone(),
            lr: c.lr,
            descent_steps: c.descent_steps,
            iteration: 0,
            pass,
            losses: vec![loss],
            diverged_at: None,
        }
    }

    /// One node of the walk, or one descent update: every parameter moves
    /// by −lr·∂L/∂parameter, and the pass is computed again.
    fn step(&mut self) -> bool {
        self.iteration += 1;
        if self.iteration <= self.walk.len() {
            return true;
        }
        for (i, n) in self.nodes.iter().take(self.leaves.len()).enumerate() {
            if matches!(n.op, Op::Leaf(Role::Param)) {
                self.leaves[i] -= self.lr * self.pass.grads[i];
            }
        }
        self.pass = pass(&self.nodes, &self.leaves);
        let loss = self.loss();
        self.losses.push(loss);
        let finite = loss.is_finite() && self.leaves.iter().all(|v| v.is_finite());
        if !finite {
            self.diverged_at = Some(self.iteration);
        }
        finite
    }

    fn iteration(&self) -> usize {
        self.iteration
    }

    fn total(&self) -> usize {
        self.walk.len() + self.descent_steps
    }

    fn diverged_at(&self) -> Option<usize> {
        self.diverged_at
    }

    fn view(&self) {}

    fn metrics(&self, _: &(), s: &mut Snapshot) {
        let p = &self.pass;
        s.push("phase", Metric::Text(self.phase().into()));
        s.push("loss", Metric::Num(self.loss()));
        s.push("values", Metric::Nums(p.values.clone()));
        s.push("grads", Metric::Nums(p.grads.clone()));
        s.push("fd_grads", Metric::Nums(p.fd.clone()));
        s.push("max_fd_error", Metric::Num(self.fd_error()));
        s.push("descent_losses", Metric::Nums(self.losses[1..].to_vec()));
    }

    fn panel(&self, _: &(), id: &str) -> Panel {
        match id {
            "graph" => self.graph_panel(),
            _ => self.loss_panel(),
        }
    }

    fn set_live(&mut self, c: &Config) -> bool {
        self.lr = c.lr;
        true
    }
}

/// A number as the table shows it: three decimals, no "-0.000".
fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    if s == "-0.000" { "0.000".into() } else { s }
}

/// A table cell holding a number.
fn cell(x: f64) -> Msg {
    Msg::verbatim(num(x))
}

/// A cell the walk has not reached yet.
fn pending() -> Msg {
    Msg::verbatim("·")
}

impl Graph {
    fn graph_panel(&self) -> Panel {
        let (forward, backward, checked) = self.progress();
        let (n, nl) = (self.nodes.len(), self.leaves.len());
        let current = self.stage().map(|s| match s {
            Stage::Forward(k) | Stage::Backward(k) | Stage::Check(k) => k,
        });
        let p = &self.pass;
        let rows = self
            .nodes
            .iter()
            .enumerate()
            .map(|(k, node)| {
                let mark = if current == Some(k) { ">" } else { " " };
                let has_value = k < nl || k < nl + forward;
                // Backward runs from the root: node k is done once n − k
                // backward iterations have run.
                let has_grad = backward >= n - k;
                let what = match node.op {
                    Op::Leaf(Role::Input) => msg!("input"),
                    Op::Leaf(Role::Param) => msg!("parameter"),
                    Op::Leaf(Role::Target) => msg!("target"),
                    _ => Msg::verbatim(node.formula),
                };
                let local = match p.locals[k].as_slice() {
                    _ if !has_grad => pending(),
                    [] => Msg::verbatim("-"),
                    [d] => cell(*d),
                    // Σ over consumers: one local derivative per path.
                    many => msg!("{n} paths", n = many.len()),
                };
                let fd = if k >= nl {
                    Msg::verbatim("")
                } else if k < checked {
                    cell(p.fd[k])
                } else {
                    pending()
                };
                vec![
                    Msg::verbatim(format!("{mark}{}", node.name)),
                    what,
                    if has_value {
                        cell(p.values[k])
                    } else {
                        pending()
                    },
                    local,
                    if has_grad {
                        cell(p.grads[k])
                    } else {
                        pending()
                    },
                    fd,
                ]
            })
            .collect();
        let header = vec![
            msg!("node"),
            msg!("computes"),
            msg!("value"),
            msg!("local"),
            Msg::verbatim("∂L/∂node"),
            msg!("fd"),
        ];
        Panel {
            id: "graph".into(),
            title: self.title(),
            x: Axis::new(Msg::verbatim("")),
            y: Axis::new(Msg::verbatim("")),
            body: PanelBody::Table { header, rows },
        }
    }

    /// Where the walk is, in words.
    fn title(&self) -> Msg {
        let (forward, backward, checked) = self.progress();
        let (n, nl) = (self.nodes.len(), self.leaves.len());
        let graph = self.graph;
        if self.iteration > self.walk.len() {
            let k = self.iteration - self.walk.len();
            let loss = measured(format!("{:.4}", self.loss()));
            return msg!("{graph}: descent update {k}, L = {loss}", graph, k, loss);
        }
        match self.phase() {
            "check" => {
                let err = measured(format!("{:.0e}", self.fd_error()));
                msg!(
                    "{graph}: check {k}/{n}, max |backprop − fd| = {err}",
                    graph,
                    k = checked,
                    n = nl,
                    err
                )
            }
            "backward" => msg!(
                "{graph}: backward {k}/{n}, by the chain rule",
                graph,
                k = backward,
                n
            ),
            _ => msg!(
                "{graph}: forward {k}/{n}, values in order",
                graph,
                k = forward,
                n = n - nl
            ),
        }
    }

    fn loss_panel(&self) -> Panel {
        let points = self.losses.iter().enumerate().map(|(k, &l)| [k as f64, l]);
        let k = self.losses.len() - 1;
        Panel {
            id: "loss".into(),
            title: msg!(
                "loss after {k} descent updates: {loss}",
                k,
                loss = measured(format!("{:.4}", self.loss()))
            ),
            x: Axis::bounded(msg!("update"), 0.0, self.descent_steps.max(1) as f64).integer(),
            y: Axis::new(msg!("loss L")),
            body: PanelBody::Series {
                series: vec![Series::line(msg!("loss L"), points)],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Demo, Value};
    use super::*;

    fn demo(raw: &[(&str, Value)]) -> Box<dyn Demo> {
        (KIND.build)(&KIND.params(raw).unwrap()).unwrap()
    }

    /// The snapshot at the end of the run.
    fn end(raw: &[(&str, Value)]) -> Snapshot {
        let mut d = demo(raw);
        d.advance(usize::MAX);
        d.snapshot()
    }

    fn close(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= tol, "{got:?} vs {want:?}");
        }
    }

    fn f(x: f64) -> Value {
        Value::Float(x)
    }

    #[test]
    fn the_neuron_at_its_defaults_matches_the_hand_computation() {
        // z = 0.5·(−2) + 1 = 0, a = σ(0) = 1/2, L = (1/2 − 1)² = 1/4;
        // ∂L/∂a = 2(a − t) = −1, ∂L/∂z = −1 · σ'(0) = −1/4,
        // ∂L/∂w = x · (−1/4) = 1/2, ∂L/∂b = −1/4, ∂L/∂x = w · (−1/4) = −1/8,
        // ∂L/∂t = −2(a − t) = 1.
        let s = end(&[]);
        close(
            s.nums("values").unwrap(),
            &[-2.0, 0.5, 1.0, 1.0, 0.0, 0.5, 0.25],
            1e-15,
        );
        close(
            s.nums("grads").unwrap(),
            &[-0.125, 0.5, -0.25, 1.0, -0.25, -1.0, 1.0],
            1e-15,
        );
    }

    #[test]
    fn the_neuron_elsewhere_matches_the_formulas() {
        let (x, w, b, t) = (1.3, -0.7, 0.4, 0.2);
        let s = end(&[("x", f(x)), ("w", f(w)), ("b", f(b)), ("target", f(t))]);
        let z = w * x + b;
        let a = 1.0 / (1.0 + (-z).exp());
        let da = 2.0 * (a - t);
        let dz = da * a * (1.0 - a);
        close(
            s.nums("grads").unwrap(),
            &[w * dz, x * dz, dz, -da, dz, da, 1.0],
            1e-14,
        );
        assert!((s.num("loss").unwrap() - (a - t).powi(2)).abs() < 1e-15);
    }

    #[test]
    fn the_two_layer_net_matches_the_formulas() {
        let (x, t) = (0.7, -0.4);
        let [w1, w2, v1, v2] = TWO_LAYER_WEIGHTS;
        let s = end(&[
            ("graph", Value::Str("two-layer".into())),
            ("x", f(x)),
            ("target", f(t)),
        ]);
        let (h1, h2) = ((w1 * x).tanh(), (w2 * x).tanh());
        let y = v1 * h1 + v2 * h2;
        let dy = 2.0 * (y - t);
        let (dh1, dh2) = (v1 * dy, v2 * dy);
        let (dp1, dp2) = (dh1 * (1.0 - h1 * h1), dh2 * (1.0 - h2 * h2));
        close(
            s.nums("grads").unwrap(),
            &[
                w1 * dp1 + w2 * dp2, // x feeds both hidden units: the sum over its consumers
                x * dp1,
                x * dp2,
                h1 * dy,
                h2 * dy,
                -dy,
                dh1,
                dh2,
                dy,
                1.0,
            ],
            1e-14,
        );
    }

    #[test]
    fn the_expression_gives_the_classic_gradients() {
        // f = (x + y)·z at (−2, 5, −4): q = 3, f = −12, ∂f/∂z = q = 3,
        // ∂f/∂q = z = −4 = ∂f/∂x = ∂f/∂y.
        let s = end(&[("graph", Value::Str("expression".into()))]);
        close(
            s.nums("values").unwrap(),
            &[-2.0, 5.0, -4.0, 3.0, -12.0],
            0.0,
        );
        close(s.nums("grads").unwrap(), &[-4.0, -4.0, 3.0, -4.0, 1.0], 0.0);
    }

    #[test]
    fn finite_differences_agree_within_1e_8_on_every_graph() {
        for graph in GRAPHS {
            for x in [-2.0, -0.3, 1.7] {
                let s = end(&[("graph", Value::Str((*graph).into())), ("x", f(x))]);
                let err = s.num("max_fd_error").unwrap();
                assert!(err <= 1e-8, "{graph} x={x}: {err}");
                let n = s.nums("fd_grads").unwrap().len();
                close(
                    s.nums("fd_grads").unwrap(),
                    &s.nums("grads").unwrap()[..n],
                    1e-8,
                );
            }
        }
    }

    #[test]
    fn descent_lowers_the_loss() {
        for graph in ["neuron", "two-layer"] {
            let s = end(&[
                ("graph", Value::Str(graph.into())),
                ("lr", f(0.1)),
                ("descent_steps", Value::Int(50)),
            ]);
            let losses = s.nums("descent_losses").unwrap();
            assert_eq!(losses.len(), 50);
            let before = end(&[("graph", Value::Str(graph.into()))])
                .num("loss")
                .unwrap();
            assert!(losses[0] < before, "{graph}: {} vs {before}", losses[0]);
            assert!(
                losses.windows(2).all(|p| p[1] <= p[0]),
                "{graph}: {losses:?}"
            );
            assert!(losses[49] < 0.5 * before, "{graph}: {}", losses[49]);
        }
    }

    #[test]
    fn the_walk_reveals_one_node_per_iteration() {
        let mut d = demo(&[]);
        let cells = |d: &dyn Demo| match &d.snapshot().panels[0].body {
            PanelBody::Table { rows, .. } => rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            _ => unreachable!(),
        };
        // Iteration 0: leaves known, z, a, L pending, no gradient.
        let rows = cells(&*d);
        assert_eq!(rows[4][2], "·");
        assert_eq!(rows[0][4], "·");
        assert_eq!(rows[0][2], "-2.000");
        d.advance(1);
        let rows = cells(&*d);
        assert_eq!((rows[4][0].as_str(), rows[4][2].as_str()), (">z", "0.000"));
        assert_eq!(rows[5][2], "·");
        d.advance(3); // a, L, then ∂L/∂L
        let rows = cells(&*d);
        assert_eq!(rows[6][0], ">L");
        assert_eq!(rows[6][4], "1.000");
        assert_eq!(rows[5][4], "·");
        assert_eq!(
            d.snapshot().metric("phase"),
            Some(&Metric::Text("backward".into()))
        );
        d.advance(6); // a, z, t, b, w, x
        let rows = cells(&*d);
        assert_eq!(rows[1][4], "0.500");
        assert_eq!(rows[1][5], "·");
        d.advance(4);
        assert_eq!(cells(&*d)[3][5], "1.000");
        assert_eq!(d.iteration(), d.total());
    }

    #[test]
    fn bad_combinations_are_refused_naming_the_choices() {
        let p = KIND
            .params(&[
                ("graph", Value::Str("expression".into())),
                ("descent_steps", Value::Int(5)),
            ])
            .unwrap();
        let e = (KIND.check)(&p).unwrap_err();
        assert_eq!(e.key, "descent_steps");
        assert!(e.message.to_string().contains("`neuron` or `two-layer`"));
        let e = KIND
            .params(&[("graph", Value::Str("mlp".into()))])
            .unwrap_err();
        let text = e[0].text(crate::i18n::Lang::En);
        assert!(text.contains("neuron, two-layer, expression"), "{text}");
    }
}
