//! `nntutor grade FILE`: checks a student's `run --metrics-only` (or
//! `run --json`) output by running the same lesson, step and parameters
//! again. Every run is deterministic, so the metrics a student hands in
//! must be exactly the ones those parameters give: a hand-edited number, a
//! run of another step or an output from other keys shows up as a mismatch.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::{Failure, out};
use nntutor::demo::{self, Metric, Status, Value};
use nntutor::i18n::Lang;
use nntutor::msg;

/// Largest relative difference accepted: the last bits of a float may
/// differ between CPUs with and without FMA, never more.
const REL_TOL: f64 = 1e-9;

pub fn grade(file: &Path, dirs: &[PathBuf], lang: &str) -> Result<(), Failure> {
    let ui = Lang::for_lessons(lang);
    let fail = |m| Err(Failure::Message(m));
    let text = match std::fs::read_to_string(file) {
        Ok(t) if t.len() <= 16 << 20 => t,
        Ok(_) => {
            return fail(msg!(
                "{file}: larger than 16 MB; not a run's output",
                file = file.display().to_string()
            ));
        }
        Err(e) => {
            return fail(msg!(
                "{file}: {error}",
                file = file.display().to_string(),
                error = e.to_string()
            ));
        }
    };
    // The last JSON line is the end of the run.
    let Some(sub) = text
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Json>(l.trim()).ok())
        .filter(Json::is_object)
    else {
        return fail(msg!(
            "no JSON object in the file: hand in `nntutor run … --metrics-only` output"
        ));
    };
    let field = |k: &str| sub.get(k).cloned().unwrap_or(Json::Null);
    let (Some(id), Some(step)) = (
        field("lesson").as_str().map(String::from),
        field("step").as_u64(),
    ) else {
        return fail(msg!(
            "the JSON has no `lesson` and `step`: not a run's output"
        ));
    };
    if field("status").as_str() != Some("done") {
        return fail(msg!(
            "the run did not finish (status {status}): grade a finished run",
            status = field("status").to_string()
        ));
    }
    let catalog = super::catalog(dirs, &[])?;
    let Some(lesson) = catalog.get(&id, lang).and_then(|e| e.lesson.as_ref().ok()) else {
        return fail(msg!("no lesson \"{name}\"", name = id));
    };
    let Some(spec) = usize::try_from(step)
        .ok()
        .and_then(|s| lesson.steps.get(s.wrapping_sub(1)))
        .and_then(|s| s.demo.as_ref())
    else {
        return fail(msg!(
            "lesson \"{id}\" has no demo at step {n}",
            id,
            n = step
        ));
    };
    // The lesson's step with every parameter the run reports.
    let mut params = spec.params.clone();
    if let Some(map) = field("params").as_object() {
        for (k, v) in map {
            let value = toml_value(v).ok_or_else(|| {
                Failure::Message(msg!(
                    "parameter `{key}` has a value no lesson can hold",
                    key = k
                ))
            })?;
            params = params
                .with(k, value)
                .map_err(|e| Failure::Message(e.message))?;
        }
    }
    let mut d = demo::build(&params).map_err(|e| Failure::Message(e.message))?;
    demo::run_to_end(d.as_mut(), 1000, |_| {});
    let snap = d.snapshot();
    if snap.status != Some(Status::Done) {
        return fail(msg!("the run does not finish with these parameters"));
    }
    let handed = field("metrics");
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (name, m) in &snap.metrics {
        checked += 1;
        let got = handed.get(name).unwrap_or(&Json::Null);
        let same = match m {
            Metric::Num(x) => {
                got.as_f64().is_some_and(|g| close(g, *x)) || (x.is_nan() && got.is_null())
            }
            Metric::Nums(xs) => got.as_array().is_some_and(|g| {
                g.len() == xs.len()
                    && g.iter()
                        .zip(xs)
                        .all(|(g, x)| g.as_f64().is_some_and(|g| close(g, *x)))
            }),
            Metric::Text(t) => got.as_str() == Some(t.as_str()),
            Metric::Bool(b) => got.as_bool() == Some(*b),
        };
        if !same {
            wrong.push(format!(
                "{name}: handed in {got}, the run gives {}",
                serde_json::to_value(m).unwrap_or(Json::Null)
            ));
        }
    }
    if wrong.is_empty() {
        out(&msg!(
            "reproduced: lesson \"{id}\" step {n}, {count} metrics match",
            id,
            n = step,
            count = checked
        )
        .text(ui));
        Ok(())
    } else {
        for w in &wrong {
            out(w);
        }
        fail(msg!(
            "not reproduced: {bad} of {count} metrics differ from a run with the same lesson, step and parameters",
            bad = wrong.len(),
            count = checked
        ))
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= REL_TOL * a.abs().max(b.abs())
}

/// A JSON parameter as a lesson value (what `run` printed it from).
fn toml_value(v: &Json) -> Option<Value> {
    Some(match v {
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64()?),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(a) => Value::List(a.iter().map(toml_value).collect::<Option<Vec<_>>>()?),
        Json::Null | Json::Object(_) => return None,
    })
}
