//! ```` ```expect ```` blocks: a step's claims as data, next to the prose
//! that makes them, so `nntutor check --run` (or `nntutor test`) proves
//! them by running the demo headless.
//!
//! One claim per line, `#` starts a comment:
//!
//! ```text
//! distinct_hidden_units == 1
//! test_loss < 0.02 at 600          # at iteration 600, not at the end
//! zero_weights >= 30
//! abs(max_abs_diff) < 1e-12
//! train_sum_mean ≈ 100 ± 2         # or: ~= 100 +- 2
//! grad_norm[0] > 1000              # an array metric's entry ([-1]: the last)
//! max(layer_std) < 1               # also min, mean, len
//! seeds = 10                       # run seeds seed, seed+1, …, seed+9
//! hold = 0.9                       # the share of seeds each claim must hold for
//! ```

use super::source::Source;
use super::{DemoSpec, Diagnostic, Number};
use crate::demo::{self, Demo, Metric, Snapshot, Status, Value};
use crate::i18n::Msg;
use crate::msg;

/// A step's claims and how many seeds they run over.
#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    pub claims: Vec<Claim>,
    /// Seeds to run: the step's own, then the next ones.
    pub seeds: usize,
    /// The share of seeds each claim must hold for (1 = all).
    pub hold: f64,
    /// 1-based line of the opening fence.
    pub line: usize,
}

/// One claim: a metric (or a function of one), a comparison, a number.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// The claim as written, for reports.
    pub text: String,
    /// 1-based line and column in the lesson file.
    pub line: usize,
    pub col: usize,
    pub lhs: Expr,
    pub op: Op,
    pub rhs: f64,
    /// For `≈`: the allowed distance.
    pub tol: f64,
    /// The iteration to read it at; `None` for the end of the run.
    pub at: Option<usize>,
}

/// What a claim measures.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number metric, or entry `index` of an array metric (negative
    /// counts from the end).
    Metric {
        name: String,
        index: Option<i64>,
    },
    Abs(Box<Expr>),
    /// `max`, `min`, `mean` or `len` of an array metric.
    Reduce {
        f: Reduce,
        name: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduce {
    Max,
    Min,
    Mean,
    Len,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Approx,
}

impl Expr {
    /// The metric it reads.
    pub fn metric(&self) -> &str {
        match self {
            Expr::Metric { name, .. } | Expr::Reduce { name, .. } => name,
            Expr::Abs(e) => e.metric(),
        }
    }

    /// The same expression reading metric `name`.
    fn renamed(self, name: &str) -> Expr {
        match self {
            Expr::Metric { index, .. } => Expr::Metric {
                name: name.to_string(),
                index,
            },
            Expr::Reduce { f, .. } => Expr::Reduce {
                f,
                name: name.to_string(),
            },
            Expr::Abs(e) => Expr::Abs(Box::new(e.renamed(name))),
        }
    }

    /// Its value in `snap`, or why there is none.
    pub fn eval(&self, snap: &Snapshot) -> Result<f64, Msg> {
        let metric = |name: &str| {
            snap.metric(name)
                .ok_or_else(|| msg!("the run reports no metric `{name}`", name))
        };
        let number = |m: &Metric, name: &str| match m {
            Metric::Num(x) => Ok(*x),
            Metric::Bool(b) => Ok(f64::from(u8::from(*b))),
            Metric::Nums(_) => Err(msg!(
                "`{name}` is a list: take an entry (`{name}[0]`) or max, min, mean, len",
                name
            )),
            Metric::Text(_) => Err(msg!("`{name}` is text, not a number", name)),
        };
        let list = |name: &str| -> Result<Vec<f64>, Msg> {
            match metric(name)? {
                Metric::Nums(v) => Ok(v.clone()),
                _ => Err(msg!("`{name}` is not a list", name)),
            }
        };
        match self {
            Expr::Metric { name, index: None } => number(metric(name)?, name),
            Expr::Metric {
                name,
                index: Some(i),
            } => {
                let v = list(name)?;
                let k = if *i < 0 { v.len() as i64 + i } else { *i };
                usize::try_from(k)
                    .ok()
                    .and_then(|k| v.get(k).copied())
                    .ok_or_else(|| {
                        msg!(
                            "`{name}` has {n} entries; there is no [{index}]",
                            name,
                            n = v.len(),
                            index = *i
                        )
                    })
            }
            Expr::Abs(e) => e.eval(snap).map(f64::abs),
            Expr::Reduce { f, name } => {
                let v = list(name)?;
                if v.is_empty() && *f != Reduce::Len {
                    return Err(msg!("`{name}` is empty", name));
                }
                Ok(match f {
                    Reduce::Max => v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    Reduce::Min => v.iter().copied().fold(f64::INFINITY, f64::min),
                    Reduce::Mean => v.iter().sum::<f64>() / v.len() as f64,
                    Reduce::Len => v.len() as f64,
                })
            }
        }
    }
}

impl Claim {
    /// Whether `x` satisfies the claim (NaN satisfies nothing but `!=`).
    pub fn holds(&self, x: f64) -> bool {
        match self.op {
            Op::Eq => x == self.rhs,
            Op::Ne => x != self.rhs,
            Op::Lt => x < self.rhs,
            Op::Le => x <= self.rhs,
            Op::Gt => x > self.rhs,
            Op::Ge => x >= self.rhs,
            Op::Approx => (x - self.rhs).abs() <= self.tol,
        }
    }
}

/// The most seeds a block may ask for: each is a whole run.
pub const MAX_SEEDS: usize = 100;

/// Parses an expect block whose body starts at byte `body_start`; claims
/// name metrics of `demo`'s kind (checked when the demo is known).
pub fn parse(
    src: &Source,
    fence_line: usize,
    body_start: usize,
    body: &str,
    demo: Option<&DemoSpec>,
) -> Result<Expect, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut out = Expect {
        claims: Vec::new(),
        seeds: 1,
        hold: 1.0,
        line: fence_line,
    };
    let mut offset = body_start;
    for raw in body.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let text = raw.split('#').next().unwrap_or("").trim_end();
        let trimmed = text.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        let at = start + (text.len() - trimmed.len());
        let (line, col) = src.line_col(at);
        let err = |m: Msg| src.error_at(at..at + trimmed.len(), m);
        if let Some((key, value)) = trimmed
            .split_once('=')
            .filter(|(k, v)| matches!(k.trim(), "seeds" | "hold") && !v.starts_with('='))
        {
            match (key.trim(), value.trim()) {
                ("seeds", v) => match v.parse::<usize>() {
                    Ok(n) if (1..=MAX_SEEDS).contains(&n) => out.seeds = n,
                    _ => errors.push(err(msg!(
                        "`seeds` must be a whole number from 1 to {max}",
                        max = MAX_SEEDS
                    ))),
                },
                (_, v) => match v.parse::<f64>() {
                    Ok(h) if h > 0.0 && h <= 1.0 => out.hold = h,
                    _ => errors.push(err(msg!("`hold` must be a share in (0, 1], e.g. 0.9"))),
                },
            }
            continue;
        }
        match claim(trimmed) {
            Ok((lhs, op, rhs, tol, at_iter)) => {
                if let Some(d) = demo {
                    let names: Vec<&str> = d.kind.metrics.iter().map(|m| m.name).collect();
                    let (base, run) = demo::split_run(lhs.metric()).unwrap_or((lhs.metric(), 0));
                    let runs = d.params.runs().len().max(1);
                    if names.contains(&base) && run >= runs {
                        errors.push(
                            err(msg!(
                                "`{name}` reads run {n}, but this step has {runs} run(s)",
                                name = lhs.metric(),
                                n = run + 1,
                                runs
                            ))
                            .with_help(msg!(
                                "the first run's metrics have no suffix; run k's end in `@k`"
                            )),
                        );
                        continue;
                    }
                    if !names.contains(&base) {
                        let name = base.to_string();
                        errors.push(err(msg!(
                            "kind \"{kind}\" reports no metric `{name}`",
                            kind = d.kind.name,
                            name = &name
                        ))
                        .with_help(demo::schema::choices_help(
                            &name,
                            &names,
                            msg!("its metrics"),
                        )));
                        continue;
                    }
                }
                out.claims.push(Claim {
                    text: trimmed.to_string(),
                    line,
                    col,
                    lhs,
                    op,
                    rhs,
                    tol,
                    at: at_iter,
                });
            }
            Err(m) => errors.push(err(m).with_help(msg!(
                "write `metric OP number`, e.g. `test_loss < 0.02`, `abs(diff) < 1e-12 at 100`, `mean_sum ≈ 100 ± 2`"
            ))),
        }
    }
    if out.claims.is_empty() && errors.is_empty() {
        errors.push(
            src.error_line(fence_line, msg!("expect block has no claims"))
                .with_help(msg!("one claim per line, e.g. `zero_weights >= 30`")),
        );
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

type Parts = (Expr, Op, f64, f64, Option<usize>);

/// `lhs OP number [± tol] [at N]`.
fn claim(s: &str) -> Result<Parts, Msg> {
    const OPS: [(&str, Op); 9] = [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("~=", Op::Approx),
        ("≈", Op::Approx),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("=", Op::Eq),
    ];
    let (at_op, op_text, op) = OPS
        .iter()
        .filter_map(|(t, op)| s.find(t).map(|i| (i, *t, *op)))
        .min_by_key(|(i, t, _)| (*i, std::cmp::Reverse(t.len())))
        .ok_or_else(|| msg!("no comparison (==, !=, <, <=, >, >=, ≈)"))?;
    let lhs = expr(s[..at_op].trim())?;
    let mut rest = s[at_op + op_text.len()..].trim();
    let mut at = None;
    if let Some(i) = rest.find(" at ") {
        let n = rest[i + 4..].trim();
        at = Some(
            n.parse::<usize>()
                .map_err(|_| msg!("`at` takes an iteration number, found `{n}`", n))?,
        );
        rest = rest[..i].trim();
    }
    let (value, tol) = match rest.split_once('±').or_else(|| rest.split_once("+-")) {
        Some((v, t)) => (v.trim(), Some(t.trim())),
        None => (rest, None),
    };
    // A boolean metric compares as 1 or 0, so `stopped_early == true` reads
    // as the author means it.
    let number = |t: &str| match t {
        "true" => Ok(1.0),
        "false" => Ok(0.0),
        _ => t
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| msg!("`{text}` is not a number", text = t)),
    };
    let rhs = number(value)?;
    let tol = match (op, tol) {
        (Op::Approx, Some(t)) => number(t)?.abs(),
        (Op::Approx, None) => return Err(msg!("≈ needs a tolerance: `≈ 100 ± 2`")),
        (_, Some(_)) => return Err(msg!("± goes with ≈ only: `≈ 100 ± 2`")),
        (_, None) => 0.0,
    };
    Ok((lhs, op, rhs, tol, at))
}

/// `name`, `name[i]`, `abs(…)`, `max(name)`, `min(name)`, `mean(name)`,
/// `len(name)`; a name may end in `@k`, run k's metric of a step that runs
/// several (`@1` is the first run's, the plain name).
fn expr(s: &str) -> Result<Expr, Msg> {
    let ident = |t: &str| {
        let (base, run) = t.split_once('@').map_or((t, None), |(b, k)| (b, Some(k)));
        !base.is_empty()
            && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && run.is_none_or(|k| demo::split_run(t).is_some() && !k.is_empty())
    };
    let expr = expr_named(s, ident)?;
    let first = match demo::split_run(expr.metric()) {
        Some((base, 0)) if base != expr.metric() => Some(base.to_string()),
        _ => None,
    };
    Ok(match first {
        Some(base) => expr.renamed(&base),
        None => expr,
    })
}

fn expr_named(s: &str, ident: impl Fn(&str) -> bool + Copy) -> Result<Expr, Msg> {
    if let Some((f, inner)) = s.strip_suffix(')').and_then(|t| t.split_once('(')) {
        let inner = inner.trim();
        return match f.trim() {
            "abs" => Ok(Expr::Abs(Box::new(expr_named(inner, ident)?))),
            f @ ("max" | "min" | "mean" | "len") if ident(inner) => Ok(Expr::Reduce {
                f: match f {
                    "max" => Reduce::Max,
                    "min" => Reduce::Min,
                    "mean" => Reduce::Mean,
                    _ => Reduce::Len,
                },
                name: inner.to_string(),
            }),
            f => Err(msg!(
                "unknown function `{f}`; use abs, max, min, mean or len",
                f
            )),
        };
    }
    if let Some((name, index)) = s.strip_suffix(']').and_then(|t| t.split_once('[')) {
        let index = index
            .trim()
            .parse::<i64>()
            .map_err(|_| msg!("`[{index}]` is not an entry number", index = index.trim()))?;
        let name = name.trim();
        if ident(name) {
            return Ok(Expr::Metric {
                name: name.to_string(),
                index: Some(index),
            });
        }
    }
    if ident(s) {
        Ok(Expr::Metric {
            name: s.to_string(),
            index: None,
        })
    } else {
        Err(msg!("`{text}` is not a metric name", text = s))
    }
}

/// How one claim fared over the seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub held: usize,
    pub runs: usize,
    /// The value measured on the first seed where it failed (else the
    /// first seed), and that seed.
    pub measured: Result<f64, Msg>,
    pub seed: i64,
}

/// Runs `spec`'s demo over the block's seeds and measures every claim.
pub fn verify(spec: &DemoSpec, expect: &Expect) -> Result<Vec<Outcome>, Msg> {
    // A kind without randomness (`descent`) has no `seed`: one run.
    let seed = spec
        .params
        .kind()
        .key("seed")
        .map(|_| spec.params.get("seed"));
    let base = match seed {
        Some(Value::Int(s)) => Some(*s),
        _ => None,
    };
    let mut outcomes: Vec<Outcome> = expect
        .claims
        .iter()
        .map(|_| Outcome {
            held: 0,
            runs: 0,
            measured: Err(msg!("not run")),
            seed: base.unwrap_or(0),
        })
        .collect();
    let seeds = if base.is_some() { expect.seeds } else { 1 };
    let mut stops: Vec<usize> = expect.claims.iter().filter_map(|c| c.at).collect();
    stops.sort_unstable();
    stops.dedup();
    for k in 0..seeds {
        let seed = base.map_or(0, |b| b.saturating_add(k as i64));
        let params = match base {
            Some(_) if k > 0 => spec
                .params
                .with("seed", Value::Int(seed))
                .map_err(|e| e.message)?,
            _ => spec.params.clone(),
        };
        let mut d = demo::build(&params).map_err(|e| e.message)?;
        let mut at: Vec<(usize, Snapshot)> = Vec::new();
        for &stop in &stops {
            while d.status() == Status::Running && d.iteration() < stop {
                if d.advance(stop - d.iteration()) == 0 {
                    break;
                }
            }
            at.push((stop, d.snapshot()));
        }
        demo::run_to_end(d.as_mut(), 1000, |_: &dyn Demo| {});
        let end = d.snapshot();
        for (c, o) in expect.claims.iter().zip(&mut outcomes) {
            let snap = match c.at {
                Some(n) => match at.iter().find(|(s, _)| *s == n) {
                    Some((_, snap)) if snap.iteration == n => snap,
                    Some((_, snap)) => {
                        let m = msg!(
                            "the run ended at iteration {end} before {n}",
                            end = snap.iteration,
                            n
                        );
                        record(o, Err(m), false, seed, k);
                        continue;
                    }
                    None => &end,
                },
                None => &end,
            };
            let value = c.lhs.eval(snap);
            let ok = value.as_ref().is_ok_and(|x| c.holds(*x));
            record(o, value, ok, seed, k);
        }
    }
    Ok(outcomes)
}

/// Every expect block of `lesson` with its claims' outcomes, or why its
/// demo cannot run: what `nntutor test` reports and CI asserts.
pub fn prove(lesson: &super::Lesson) -> Vec<(&Expect, Result<Vec<Outcome>, Msg>)> {
    lesson
        .steps
        .iter()
        .filter_map(|s| Some((s.demo.as_ref()?, s.expect.as_ref()?)))
        .map(|(spec, ex)| (ex, verify(spec, ex)))
        .collect()
}

/// A numeric prediction checked against its step's run.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerProof<'l> {
    pub number: &'l Number,
    pub metric: &'l str,
    /// The metric at the end of the run, or why there is none.
    pub measured: Result<f64, Msg>,
}

impl AnswerProof<'_> {
    /// Whether the run lands within the answer's tolerance.
    pub fn holds(&self) -> bool {
        self.measured
            .as_ref()
            .is_ok_and(|x| self.number.accepts(*x))
    }
}

/// Every numeric prediction of `lesson` that names a metric, with that
/// metric at the end of one run of its step's demo: the run a student
/// watches (the step's own seed), which the lesson's stated answer must
/// describe. Statistical claims over seeds belong in an expect block.
pub fn prove_answers(lesson: &super::Lesson) -> Vec<AnswerProof<'_>> {
    lesson
        .steps
        .iter()
        .filter_map(|s| {
            let p = s.predict.as_ref()?;
            Some((s.demo.as_ref()?, p.answer.number()?, p.metric.as_deref()?))
        })
        .map(|(spec, number, metric)| AnswerProof {
            number,
            metric,
            measured: demo::build(&spec.params)
                .map_err(|e| e.message)
                .and_then(|mut d| {
                    demo::run_to_end(d.as_mut(), 1000, |_: &dyn Demo| {});
                    number_metric(&d.snapshot(), metric)
                }),
        })
        .collect()
}

/// The number metric `name` of `snap` (a boolean as 0 or 1), or why it is
/// not one.
pub fn number_metric(snap: &Snapshot, name: &str) -> Result<f64, Msg> {
    match snap.metric(name) {
        // A predict block's `metric` names no entry: say so, rather than
        // suggest a claim's `name[0]`.
        Some(Metric::Nums(_)) => Err(msg!(
            "`{name}` is a list of numbers; a numeric answer needs a metric that is one number",
            name
        )),
        _ => Expr::Metric {
            name: name.to_string(),
            index: None,
        }
        .eval(snap),
    }
}

/// Counts one seed's result; reports the first failure, else the first seed.
fn record(o: &mut Outcome, value: Result<f64, Msg>, ok: bool, seed: i64, k: usize) {
    let first_failure = !ok && o.held == o.runs;
    o.runs += 1;
    if ok {
        o.held += 1;
    }
    if k == 0 || first_failure {
        o.measured = value;
        o.seed = seed;
    }
}

impl Outcome {
    /// Whether the claim held for enough seeds.
    pub fn passes(&self, hold: f64) -> bool {
        self.runs > 0 && self.held as f64 >= (hold * self.runs as f64 - 1e-9).ceil()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_parse_into_their_parts() {
        let (lhs, op, rhs, tol, at) = claim("abs(max_abs_diff) < 1e-12 at 100").unwrap();
        assert_eq!(lhs.metric(), "max_abs_diff");
        assert!(matches!(lhs, Expr::Abs(_)));
        assert_eq!((op, rhs, tol, at), (Op::Lt, 1e-12, 0.0, Some(100)));
        let (_, op, rhs, tol, _) = claim("train_sum_mean ≈ 100 ± 2").unwrap();
        assert_eq!((op, rhs, tol), (Op::Approx, 100.0, 2.0));
        let (_, op, _, tol, _) = claim("m ~= 1 +- 0.5").unwrap();
        assert_eq!((op, tol), (Op::Approx, 0.5));
        let (lhs, op, ..) = claim("grad_norm[-1] >= 3").unwrap();
        assert_eq!(
            (lhs, op),
            (
                Expr::Metric {
                    name: "grad_norm".into(),
                    index: Some(-1)
                },
                Op::Ge
            )
        );
        let (_, op, rhs, ..) = claim("stopped_early == true").unwrap();
        assert_eq!((op, rhs), (Op::Eq, 1.0));
        assert_eq!(claim("diverged == false").unwrap().2, 0.0);
        let (lhs, ..) = claim("mean(layer_std) <= 1").unwrap();
        assert!(matches!(
            lhs,
            Expr::Reduce {
                f: Reduce::Mean,
                ..
            }
        ));
        for bad in [
            "x",
            "x < y",
            "x ≈ 1",
            "x < 1 ± 2",
            "sqrt(x) < 1",
            "x[a] < 1",
            "x < 1 at soon",
            "x == yes",
        ] {
            assert!(claim(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn comparisons_and_seed_shares() {
        let c = |s: &str| {
            let (lhs, op, rhs, tol, at) = claim(s).unwrap();
            Claim {
                text: s.into(),
                line: 1,
                col: 1,
                lhs,
                op,
                rhs,
                tol,
                at,
            }
        };
        assert!(c("x == 1").holds(1.0) && !c("x == 1").holds(1.0 + 1e-15));
        assert!(c("x != 1").holds(f64::NAN) && !c("x < 1").holds(f64::NAN));
        assert!(c("x ≈ 100 ± 2").holds(98.0) && !c("x ≈ 100 ± 2").holds(97.9));
        let o = |held, runs| Outcome {
            held,
            runs,
            measured: Ok(0.0),
            seed: 0,
        };
        assert!(o(9, 10).passes(0.9) && !o(8, 10).passes(0.9));
        assert!(o(10, 10).passes(1.0) && !o(9, 10).passes(1.0));
        assert!(!o(0, 0).passes(0.5));
    }

    #[test]
    fn expressions_read_numbers_lists_and_say_why_not() {
        let snap = Snapshot {
            metrics: vec![
                ("n".into(), Metric::Num(2.0)),
                ("v".into(), Metric::Nums(vec![1.0, -4.0, 3.0])),
                ("t".into(), Metric::Text("x".into())),
            ],
            ..Snapshot::default()
        };
        let e = |s: &str| expr(s).unwrap().eval(&snap);
        assert_eq!(e("n").unwrap(), 2.0);
        assert_eq!(e("v[1]").unwrap(), -4.0);
        assert_eq!(e("v[-1]").unwrap(), 3.0);
        assert_eq!(e("abs(v[1])").unwrap(), 4.0);
        assert_eq!(e("max(v)").unwrap(), 3.0);
        assert_eq!(e("min(v)").unwrap(), -4.0);
        assert_eq!(e("mean(v)").unwrap(), 0.0);
        assert_eq!(e("len(v)").unwrap(), 3.0);
        for bad in ["v", "v[3]", "t", "missing", "max(n)"] {
            assert!(e(bad).is_err(), "{bad}");
        }
    }
}
