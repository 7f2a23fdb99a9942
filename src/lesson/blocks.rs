//! The TOML inside a lesson: front matter, ```` ```demo ```` and
//! ```` ```predict ```` blocks, read with the byte span of every key and value
//! so each mistake is reported at its own `line:col`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::source::Source;
use super::{Answer, DemoSpec, Diagnostic, Number, Predict, Tolerance};
use crate::demo::{self, KindSpec, Ty, Value, schema::choices_help};
use crate::i18n::Msg;
use crate::msg;

/// One `key = value` of a TOML block, spans in file bytes.
pub struct KeyVal {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value, or the name of a TOML type that has no meaning here
    /// ("a table", "a date").
    pub value: Result<Value, Msg>,
    pub value_span: Range<usize>,
    /// Spans of the entries when the value is an array.
    pub item_spans: Vec<Range<usize>>,
    /// A top-level key's tables: its value if a table (`sweep.lr = …`),
    /// each entry if an array of tables (`[[run]]`); else none.
    pub tables: Vec<Table>,
}

/// A table inside a block, read with its span (the `[[run]]` header).
pub struct Table {
    pub span: Range<usize>,
    pub kvs: Vec<KeyVal>,
}

/// Parses the TOML text `body`, which starts at byte `offset` of the file.
/// Keys come back in file order.
// One per file at most, never in a loop: boxing would only add noise.
#[allow(clippy::result_large_err)]
pub fn parse_toml(
    src: &Source,
    offset: usize,
    body: &str,
    what: Msg,
) -> Result<Vec<KeyVal>, Diagnostic> {
    let table = DeTable::parse(body).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().replace('\n', "; ");
        src.error_at(
            offset + span.start..offset + span.end,
            msg!("invalid TOML in {what}: {message}", what, message),
        )
    })?;
    Ok(key_vals(table.get_ref(), offset, true))
}

/// The key/values of `table` in file order; with `nested`, each also with
/// its tables (one level: a run's own tables are not walked).
fn key_vals(table: &DeTable, offset: usize, nested: bool) -> Vec<KeyVal> {
    let shift = |r: Range<usize>| offset + r.start..offset + r.end;
    let table_of = |v: &DeValue, span: Range<usize>| match v {
        DeValue::Table(t) => Some(Table {
            span: shift(span),
            kvs: key_vals(t, offset, false),
        }),
        _ => None,
    };
    let mut out: Vec<KeyVal> = table
        .iter()
        .map(|(k, v)| {
            let item_spans = match v.get_ref() {
                DeValue::Array(items) => items.iter().map(|i| shift(i.span())).collect(),
                _ => Vec::new(),
            };
            let tables = match v.get_ref() {
                _ if !nested => Vec::new(),
                DeValue::Array(items) => items
                    .iter()
                    .filter_map(|i| table_of(i.get_ref(), i.span()))
                    .collect(),
                other => table_of(other, v.span()).into_iter().collect(),
            };
            KeyVal {
                key: crate::safe::clean(k.get_ref()).into_owned(),
                key_span: shift(k.span()),
                value: convert(v.get_ref(), 0),
                value_span: shift(v.span()),
                item_spans,
                tables,
            }
        })
        .collect();
    out.sort_by_key(|kv| kv.key_span.start);
    out
}

/// A TOML value as a schema [`Value`]; nested lists deeper than any key
/// needs are refused rather than walked.
fn convert(v: &DeValue, depth: usize) -> Result<Value, Msg> {
    Ok(match v {
        // TOML escapes (`\\u001b`) make control characters after the file
        // text was cleaned: clean every string value again.
        DeValue::String(s) => Value::Str(crate::safe::clean(s).into_owned()),
        DeValue::Integer(i) => Value::Int(i64::from_str_radix(i.as_str(), i.radix()).map_err(
            |e| match e.kind() {
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                    msg!("an integer this large (beyond ±9223372036854775807)")
                }
                // `0x` with no digits parses as an empty hex integer.
                _ => msg!("a malformed integer"),
            },
        )?),
        DeValue::Float(f) => {
            Value::Float(f.as_str().parse().map_err(|_| msg!("a malformed number"))?)
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(_) => return Err(msg!("a date")),
        DeValue::Table(_) => return Err(msg!("a table")),
        DeValue::Array(_) if depth >= 2 => return Err(msg!("a deeply nested list")),
        DeValue::Array(items) => Value::List(
            items
                .iter()
                .map(|i| convert(i.get_ref(), depth + 1))
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// A closed set of keys with a type each, for front matter and predict blocks.
pub struct Fields<'k> {
    pub kvs: &'k [KeyVal],
    pub errors: Vec<Diagnostic>,
}

impl<'k> Fields<'k> {
    /// Reports every key not in `allowed`, with the closest allowed one.
    pub fn new(src: &Source, kvs: &'k [KeyVal], allowed: &[&str], what: Msg) -> Self {
        let errors = kvs
            .iter()
            .filter(|kv| !allowed.contains(&kv.key.as_str()))
            .map(|kv| {
                src.error_at(
                    kv.key_span.clone(),
                    msg!("unknown key `{key}` in {what}", key = &kv.key, what = &what),
                )
                .with_help(choices_help(&kv.key, allowed, msg!("valid keys")))
            })
            .collect();
        Fields { kvs, errors }
    }

    pub fn get(&self, key: &str) -> Option<&'k KeyVal> {
        self.kvs.iter().find(|kv| kv.key == key)
    }

    /// A non-empty string, or an error at the value.
    pub fn string(&mut self, src: &Source, key: &str) -> Option<(String, &'k KeyVal)> {
        let kv = self.get(key)?;
        match &kv.value {
            Ok(Value::Str(s)) if !s.trim().is_empty() => Some((s.clone(), kv)),
            Ok(Value::Str(_)) => {
                self.errors
                    .push(src.error_at(kv.value_span.clone(), msg!("`{key}` is empty", key)));
                None
            }
            other => {
                self.errors
                    .push(src.error_at(kv.value_span.clone(), wrong(key, msg!("a string"), other)));
                None
            }
        }
    }

    /// An integer, or an error at the value.
    pub fn int(&mut self, src: &Source, key: &str) -> Option<(i64, &'k KeyVal)> {
        let kv = self.get(key)?;
        match &kv.value {
            Ok(Value::Int(i)) => Some((*i, kv)),
            other => {
                self.errors.push(
                    src.error_at(kv.value_span.clone(), wrong(key, msg!("an integer"), other)),
                );
                None
            }
        }
    }

    /// An error at `line` for a required key that is absent.
    pub fn require<T>(
        &mut self,
        src: &Source,
        found: Option<T>,
        key: &str,
        line: usize,
        what: Msg,
    ) -> Option<T> {
        if found.is_none() && self.get(key).is_none() {
            self.errors.push(
                src.error_line(line, msg!("{what} has no `{key}`", what, key))
                    .with_help(msg!("add a line `{key} = …`", key)),
            );
        }
        found
    }
}

/// "`key` must be a string, found an integer 3".
fn wrong(key: &str, expected: Msg, found: &Result<Value, Msg>) -> Msg {
    match found {
        Ok(v) => msg!(
            "`{name}` must be {expected}, found {found} {value}",
            name = key,
            expected,
            found = v.type_name(),
            value = v.to_string()
        ),
        Err(t) => msg!(
            "`{key}` must be {expected}, found {found}",
            key,
            expected,
            found = t
        ),
    }
}

/// Validates a demo block against its kind's schema. Warnings (knobs that
/// are not keys of the kind) go to `warnings`; the knob is dropped.
pub fn demo_spec(
    src: &Source,
    fence_line: usize,
    kvs: &[KeyVal],
    warnings: &mut Vec<Diagnostic>,
) -> Result<DemoSpec, Vec<Diagnostic>> {
    let kinds = demo::kind_names();
    let kind_kv = kvs.iter().find(|kv| kv.key == "kind");
    let kind: &'static KindSpec = match kind_kv.map(|kv| (kv, &kv.value)) {
        None => {
            return Err(vec![
                src.error_line(fence_line, msg!("demo block has no `kind`"))
                    .with_help(msg!(
                        "add `kind = \"…\"`; valid kinds: {kinds}",
                        kinds = kinds.join(", ")
                    )),
            ]);
        }
        Some((kv, Ok(Value::Str(name)))) => match demo::kind(name) {
            Some(k) => k,
            None => {
                let span = kv.value_span.clone();
                return Err(vec![match demo::retired(name) {
                    Some((what, how)) => src.error_at(span, what).with_help(how),
                    None => src
                        .error_at(span, msg!("unknown demo kind \"{name}\"", name))
                        .with_help(choices_help(name, &kinds, msg!("valid kinds"))),
                }]);
            }
        },
        Some((kv, other)) => {
            return Err(vec![
                src.error_at(
                    kv.value_span.clone(),
                    wrong("kind", msg!("a string"), other),
                )
                .with_help(msg!("valid kinds: {kinds}", kinds = kinds.join(", "))),
            ]);
        }
    };
    let key_names: Vec<&str> = kind.keys.iter().map(|k| k.name).collect();
    let mut errors = Vec::new();
    let runs = runs(src, kind, kvs, &mut errors);
    let swept: Vec<String> = runs
        .iter()
        .flat_map(|r| &r.runs)
        .flat_map(|(_, set)| set.iter().map(|(k, _)| k.clone()))
        .collect();
    let mut raw = Vec::new();
    for kv in kvs
        .iter()
        .filter(|kv| !matches!(kv.key.as_str(), "kind" | "sweep" | "run"))
    {
        let Some(spec) = kind.key(&kv.key) else {
            errors.push(
                src.error_at(
                    kv.key_span.clone(),
                    msg!(
                        "unknown key `{name}` for kind \"{kind}\"",
                        name = &kv.key,
                        kind = kind.name
                    ),
                )
                .with_help(choices_help(&kv.key, &key_names, msg!("valid keys"))),
            );
            continue;
        };
        let value = match &kv.value {
            Ok(v) => v.clone(),
            Err(t) => {
                errors.push(
                    src.error_at(
                        kv.value_span.clone(),
                        msg!("`{key}` cannot be {found}", key = &kv.key, found = t),
                    )
                    .with_help(msg!("valid values: {range}", range = spec.range_text(kind))),
                );
                continue;
            }
        };
        let value = match (spec.ty, value) {
            (Ty::KeyList, Value::List(items)) => {
                Value::List(drop_bad_knobs(src, kind, kv, items, &swept, warnings))
            }
            (_, v) => v,
        };
        raw.push((kv.key.clone(), value));
    }
    // Each error at the line of the key it names (the fence if the block
    // leaves that key at its default).
    let at_key = |e: demo::ParamError| {
        let d = match kvs.iter().find(|kv| kv.key == e.key) {
            Some(kv) => src.error_at(kv.value_span.clone(), e.message),
            None => src.error_line(fence_line, e.message),
        };
        d.with_help_opt(e.help)
    };
    // The known keys are validated even after an unknown one: every error
    // of the block in one pass.
    let params = match kind.validate(&raw) {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => return Err(errors),
        Err(errs) => {
            errors.extend(errs.into_iter().map(at_key));
            errors.sort_by_key(|d| (d.line, d.col));
            return Err(errors);
        }
    };
    // The kind's cost and cross-key guards, cheap enough for every parse:
    // an experiment that cannot run is refused here, not by a blank chart.
    let params = match runs {
        None => {
            (kind.check)(&params).map_err(|e| vec![at_key(e)])?;
            params
        }
        Some(runs) => runs.apply(src, fence_line, params)?,
    };
    (kind.check_step)(&params).map_err(|e| vec![at_key(e)])?;
    let knobs = params.strs("knobs").iter().map(|s| s.to_string()).collect();
    Ok(DemoSpec {
        kind,
        params,
        knobs,
        line: fence_line,
    })
}

/// Keeps the `knobs` entries that name a turnable key of `kind` which the
/// runs do not set (`swept`); warns about the rest (a typo in a knob list
/// should not hide the whole lesson).
fn drop_bad_knobs(
    src: &Source,
    kind: &KindSpec,
    kv: &KeyVal,
    items: Vec<Value>,
    swept: &[String],
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Value> {
    let turnable = kind.knob_names();
    let mut kept = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let span = kv
            .item_spans
            .get(i)
            .cloned()
            .unwrap_or(kv.value_span.clone());
        match &item {
            Value::Str(s) if swept.contains(s) => {
                let mut d = src.error_at(
                    span,
                    msg!(
                        "knob \"{name}\" differs between this step's runs and cannot be turned; it is ignored",
                        name = s
                    ),
                );
                d.severity = super::Severity::Warning;
                warnings.push(d);
            }
            Value::Str(s) if !turnable.contains(&s.as_str()) => {
                let what = if kind.key(s).is_some() {
                    msg!(
                        "knob \"{name}\" is fixed for a step and cannot be turned; it is ignored",
                        name = s
                    )
                } else {
                    msg!(
                        "knob \"{name}\" is not a key of kind \"{kind}\"; it is ignored",
                        name = s,
                        kind = kind.name
                    )
                };
                let mut d = src.error_at(span, what);
                d.severity = super::Severity::Warning;
                warnings.push(d.with_help(choices_help(s, &turnable, msg!("valid knobs"))));
            }
            _ => kept.push(item),
        }
    }
    kept
}

/// The runs of a demo block that declares several (`sweep.KEY = [...]` or
/// `[[run]]` tables), each value validated where it is written.
struct Runs {
    /// Each run's label and the keys it sets.
    runs: Vec<(String, Vec<(String, Value)>)>,
    /// Where each run is written: its sweep entry or `[[run]]` header.
    spans: Vec<Range<usize>>,
    /// Where each run's keys are written, for cross-key errors.
    at: Vec<Vec<(String, Range<usize>)>>,
}

impl Runs {
    /// `params` running these runs, each checked by the kind's cost and
    /// cross-key guards; an error is reported at the run's own value of
    /// the key it names, else at the run.
    fn apply(
        self,
        src: &Source,
        fence_line: usize,
        params: demo::Params,
    ) -> Result<demo::Params, Vec<Diagnostic>> {
        let params = params
            .with_runs(self.runs)
            .map_err(|e| vec![src.error_line(fence_line, e.message).with_help_opt(e.help)])?;
        let mut errors = Vec::new();
        for (i, (label, rp)) in params.run_params().into_iter().enumerate() {
            if let Err(e) = (params.kind().check)(&rp) {
                let span = self.at[i]
                    .iter()
                    .find(|(k, _)| *k == e.key)
                    .map(|(_, s)| s.clone())
                    .unwrap_or_else(|| self.spans[i].clone());
                let message = msg!(
                    "run {label}: {problem}",
                    label = &label,
                    problem = e.message
                );
                errors.push(src.error_at(span, message).with_help_opt(e.help));
            }
        }
        if errors.is_empty() {
            Ok(params)
        } else {
            Err(errors)
        }
    }
}

/// Reads the runs of a demo block, if it declares any; every problem goes
/// to `errors` at its own key or value (and then `None`).
fn runs(
    src: &Source,
    kind: &'static KindSpec,
    kvs: &[KeyVal],
    errors: &mut Vec<Diagnostic>,
) -> Option<Runs> {
    let sweep = kvs.iter().find(|kv| kv.key == "sweep");
    let run = kvs.iter().find(|kv| kv.key == "run");
    let before = errors.len();
    let runs = match (sweep, run) {
        (None, None) => return None,
        (Some(s), Some(r)) => {
            let later = if s.key_span.start > r.key_span.start {
                s
            } else {
                r
            };
            errors.push(
                src.error_at(
                    later.key_span.clone(),
                    msg!("a demo block takes a `sweep` or `[[run]]` tables, not both"),
                )
                .with_help(msg!(
                    "a sweep varies one key; `[[run]]` tables set any keys, run by run"
                )),
            );
            return None;
        }
        (Some(s), None) => sweep_runs(src, kind, s, errors),
        (None, Some(r)) => table_runs(src, kind, r, errors),
    };
    runs.filter(|_| errors.len() == before)
}

/// `sweep.KEY = [v1, v2, …]`: one run per value, labelled `KEY=v`.
fn sweep_runs(
    src: &Source,
    kind: &'static KindSpec,
    kv: &KeyVal,
    errors: &mut Vec<Diagnostic>,
) -> Option<Runs> {
    let example = || msg!("write one key and its values, e.g. `sweep.lr = [0.01, 0.1, 1.0]`");
    let shape = |span: Range<usize>| {
        src.error_at(span, msg!("`sweep` takes one key and a list of its values"))
            .with_help(example())
    };
    let [table] = kv.tables.as_slice() else {
        errors.push(shape(kv.value_span.clone()));
        return None;
    };
    let key = match table.kvs.as_slice() {
        [] => {
            errors.push(shape(kv.key_span.clone()));
            return None;
        }
        [key] => key,
        [_, second, ..] => {
            errors.push(
                src.error_at(
                    second.key_span.clone(),
                    msg!("a sweep varies one key; for runs that differ in several, write `[[run]]` tables"),
                )
                .with_help(msg!("one `[[run]]` table per run, holding the keys it sets")),
            );
            return None;
        }
    };
    let name = &key.key;
    // An unknown or shared key is refused whatever its values.
    if kind.key(name).is_none_or(|k| k.apply == demo::Apply::Fixed)
        && let Err(e) = kind.run_value(name, &Value::Bool(false))
    {
        errors.push(
            src.error_at(key.key_span.clone(), e.message)
                .with_help_opt(e.help),
        );
        return None;
    }
    let items = match &key.value {
        Ok(Value::List(items)) if !items.is_empty() => items,
        _ => {
            errors.push(
                src.error_at(
                    key.value_span.clone(),
                    msg!(
                        "`sweep.{key}` must be a list of values, one per run",
                        key = name
                    ),
                )
                .with_help(example()),
            );
            return None;
        }
    };
    if items.len() > demo::MAX_RUNS {
        errors.push(
            src.error_at(
                key.value_span.clone(),
                msg!(
                    "a step runs at most {max} runs side by side; `sweep.{key}` lists {count} values",
                    max = demo::MAX_RUNS,
                    key = name,
                    count = items.len()
                ),
            )
            .with_help(msg!("split the sweep over two steps")),
        );
        return None;
    }
    let mut out = Runs {
        runs: Vec::new(),
        spans: Vec::new(),
        at: Vec::new(),
    };
    let mut seen: Vec<Value> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let span = key
            .item_spans
            .get(i)
            .cloned()
            .unwrap_or(key.value_span.clone());
        match kind.run_value(name, item) {
            Ok(v) if seen.contains(&v) => errors.push(src.error_at(
                span,
                msg!(
                    "`sweep.{key}` lists {value} twice",
                    key = name,
                    value = v.to_string()
                ),
            )),
            Ok(v) => {
                out.runs
                    .push((label(name, &v), vec![(name.clone(), v.clone())]));
                out.at.push(vec![(name.clone(), span.clone())]);
                out.spans.push(span);
                seen.push(v);
            }
            Err(e) => errors.push(src.error_at(span, e.message).with_help_opt(e.help)),
        }
    }
    Some(out)
}

/// `KEY=value` for a legend; strings without their quotes.
fn label(key: &str, v: &Value) -> String {
    match v {
        Value::Str(s) => format!("{key}={s}"),
        v => format!("{key}={v}"),
    }
}

/// `[[run]]` tables: one run each, setting its keys; `label` names it
/// (else its keys do).
fn table_runs(
    src: &Source,
    kind: &'static KindSpec,
    kv: &KeyVal,
    errors: &mut Vec<Diagnostic>,
) -> Option<Runs> {
    let plain = kv.tables.is_empty() || kv.value.is_ok() || kv.item_spans.len() > kv.tables.len();
    if plain {
        errors.push(
            src.error_at(
                kv.value_span.clone(),
                msg!("write each run as a `[[run]]` table of the keys it sets"),
            )
            .with_help(msg!(
                "e.g. `[[run]]` then `lr = 0.1` and `label = \"small steps\"` on the lines below"
            )),
        );
        return None;
    }
    if let Some(extra) = kv.tables.get(demo::MAX_RUNS) {
        errors.push(
            src.error_at(
                extra.span.clone(),
                msg!(
                    "a step runs at most {max} runs side by side; this is run {n}",
                    max = demo::MAX_RUNS,
                    n = demo::MAX_RUNS + 1
                ),
            )
            .with_help(msg!("split the runs over two steps")),
        );
        return None;
    }
    let mut out = Runs {
        runs: Vec::new(),
        spans: Vec::new(),
        at: Vec::new(),
    };
    for (i, table) in kv.tables.iter().enumerate() {
        let mut name = None;
        let (mut set, mut at) = (Vec::new(), Vec::new());
        for kv in &table.kvs {
            match (kv.key.as_str(), &kv.value) {
                ("label", Ok(Value::Str(s))) if !s.trim().is_empty() => name = Some(s.clone()),
                ("label", other) => errors.push(src.error_at(
                    kv.value_span.clone(),
                    wrong("label", msg!("a non-empty string"), other),
                )),
                (key, Ok(v)) => match kind.run_value(key, v) {
                    Ok(v) => {
                        set.push((key.to_string(), v));
                        at.push((key.to_string(), kv.value_span.clone()));
                    }
                    Err(e) => {
                        let span = if kind.key(key).is_some_and(|k| k.apply != demo::Apply::Fixed) {
                            kv.value_span.clone()
                        } else {
                            kv.key_span.clone()
                        };
                        errors.push(src.error_at(span, e.message).with_help_opt(e.help));
                    }
                },
                (key, Err(t)) => errors.push(src.error_at(
                    kv.value_span.clone(),
                    msg!("`{key}` cannot be {found}", key, found = t),
                )),
            }
        }
        let name = name.unwrap_or_else(|| {
            if set.is_empty() {
                format!("#{}", i + 1)
            } else {
                let parts: Vec<String> = set.iter().map(|(k, v)| label(k, v)).collect();
                parts.join(", ")
            }
        });
        if out.runs.iter().any(|(l, _)| *l == name) {
            errors.push(
                src.error_at(
                    table.span.clone(),
                    msg!("two runs are labelled \"{label}\"", label = &name),
                )
                .with_help(msg!("give each run its own `label`")),
            );
        }
        out.runs.push((name, set));
        out.spans.push(table.span.clone());
        out.at.push(at);
    }
    Some(out)
}

/// Validates a predict block: multiple choice when it has `choices`, else
/// a number. Returns the span of its `metric` value, if any, for the
/// check against the demo's metrics when the step closes.
pub fn predict(
    src: &Source,
    fence_line: usize,
    kvs: &[KeyVal],
) -> Result<(Predict, Option<Range<usize>>), Vec<Diagnostic>> {
    const KEYS: &[&str] = &[
        "question",
        "choices",
        "answer",
        "tolerance",
        "explanation",
        "metric",
    ];
    let mut f = Fields::new(src, kvs, KEYS, msg!("a predict block"));
    let what = || msg!("predict block");
    let question = f.string(src, "question");
    let question = f.require(src, question, "question", fence_line, what());
    let explanation = f.string(src, "explanation");
    let explanation = f.require(src, explanation, "explanation", fence_line, what());
    let metric = f.string(src, "metric");
    let answer = if f.get("choices").is_some() {
        choice_answer(src, &mut f, fence_line)
    } else {
        number_answer(src, &mut f, fence_line)
    };
    if !f.errors.is_empty() {
        return Err(f.errors);
    }
    match (question, answer, explanation) {
        (Some((question, _)), Some(answer), Some((explanation, _))) => Ok((
            Predict {
                question,
                answer,
                explanation,
                metric: metric.as_ref().map(|(m, _)| m.clone()),
            },
            metric.map(|(_, kv)| kv.value_span.clone()),
        )),
        _ => Err(vec![
            src.error_line(fence_line, msg!("incomplete predict block")),
        ]),
    }
}

/// The multiple-choice form: `choices` and the 1-based `answer`.
fn choice_answer(src: &Source, f: &mut Fields<'_>, fence_line: usize) -> Option<Answer> {
    let kv = f.get("choices")?;
    let choices = match &kv.value {
        Ok(Value::List(items)) if (2..=9).contains(&items.len()) => {
            let strs: Option<Vec<String>> = items
                .iter()
                .map(|v| match v {
                    Value::Str(s) if !s.trim().is_empty() => Some(s.clone()),
                    _ => None,
                })
                .collect();
            if strs.is_none() {
                f.errors.push(src.error_at(
                    kv.value_span.clone(),
                    msg!("`choices` must be a list of non-empty strings"),
                ));
            }
            strs
        }
        Ok(Value::List(items)) => {
            f.errors.push(src.error_at(
                kv.value_span.clone(),
                msg!(
                    "`choices` has {count} entries; it needs 2 to 9",
                    count = items.len()
                ),
            ));
            None
        }
        other => {
            f.errors.push(src.error_at(
                kv.value_span.clone(),
                wrong("choices", msg!("a list of strings"), other),
            ));
            None
        }
    };
    // A numeric answer's keys in a multiple-choice block: the author mixed
    // the two forms, and only they know which one they meant.
    if let Some(kv) = f.get("tolerance") {
        f.errors.push(
            src.error_at(
                kv.key_span.clone(),
                msg!("`tolerance` belongs to a numeric answer, and this block has `choices`"),
            )
            .with_help(msg!(
                "remove `tolerance` for multiple choice, or remove `choices` to ask for a number"
            )),
        );
    }
    if let Some(kv) = f.get("answer")
        && let Ok(Value::Float(_)) = &kv.value
    {
        f.errors.push(
            src.error_at(
                kv.value_span.clone(),
                msg!(
                    "`answer` = {value} is not the number of a choice, and this block has `choices`",
                    value = src.text.get(kv.value_span.clone()).unwrap_or("")
                ),
            )
            .with_help(msg!(
                "for multiple choice, `answer` is the 1-based number of the right choice; to ask for a number, remove `choices` and add `tolerance`"
            )),
        );
        return None;
    }
    let answer = f.int(src, "answer");
    let answer = f.require(src, answer, "answer", fence_line, msg!("predict block"));
    let (answer, kv) = answer?;
    let choices = choices?;
    if answer < 1 || answer as usize > choices.len() {
        f.errors.push(
            src.error_at(
                kv.value_span.clone(),
                msg!(
                    "`answer` = {answer} is out of range (1 to {max})",
                    answer,
                    max = choices.len()
                ),
            )
            .with_help(msg!("`answer` is the 1-based number of the correct choice")),
        );
        return None;
    }
    Some(Answer::Choice {
        choices,
        right: answer as usize - 1,
    })
}

/// The numeric form: a finite `answer` and a `tolerance` around it.
fn number_answer(src: &Source, f: &mut Fields<'_>, fence_line: usize) -> Option<Answer> {
    let Some(kv) = f.get("answer") else {
        f.errors.push(
            src.error_line(fence_line, msg!("predict block has no `answer`"))
                .with_help(msg!(
                    "add `choices = [\"…\", \"…\"]` and `answer = N` (the right choice's number) for multiple choice, or `answer = 0.5` and `tolerance = 0.01` to ask for a number"
                )),
        );
        return None;
    };
    let value = match &kv.value {
        Ok(Value::Int(i)) => Some(*i as f64),
        Ok(Value::Float(x)) if x.is_finite() => Some(*x),
        Ok(Value::Float(_)) => {
            f.errors.push(src.error_at(
                kv.value_span.clone(),
                msg!(
                    "`answer` must be a finite number, found {value}",
                    value = src.text.get(kv.value_span.clone()).unwrap_or("")
                ),
            ));
            None
        }
        other => {
            f.errors.push(
                src.error_at(
                    kv.value_span.clone(),
                    wrong("answer", msg!("a number"), other),
                )
                .with_help(msg!(
                    "without `choices`, `answer` is the number the student should predict"
                )),
            );
            None
        }
    };
    let tolerance = match f.get("tolerance") {
        Some(t) => tolerance(src, f, t, value),
        None => {
            f.errors.push(
                src.error_line(fence_line, msg!("a numeric predict block has no `tolerance`"))
                    .with_help(msg!(
                        "add `tolerance = …`, how far from `answer` still counts as right: `0.01`, `\"5%\"` of the answer, or `0` for exactly; for multiple choice, add `choices`"
                    )),
            );
            None
        }
    };
    let (line, col) = src.line_col(kv.value_span.start);
    Some(Answer::Number(Number {
        value: value?,
        tolerance: tolerance?,
        text: src
            .text
            .get(kv.value_span.clone())
            .unwrap_or("")
            .to_string(),
        line,
        col,
    }))
}

/// A `tolerance` value: a distance (`0.001`) or a share of the answer
/// (`"5%"`), never negative.
fn tolerance(
    src: &Source,
    f: &mut Fields<'_>,
    kv: &KeyVal,
    answer: Option<f64>,
) -> Option<Tolerance> {
    let mut fail = |m: Msg, help: Msg| {
        f.errors
            .push(src.error_at(kv.value_span.clone(), m).with_help(help));
        None
    };
    let meaning =
        || msg!("`tolerance` is the largest distance from `answer` that still counts as right");
    let (t, relative) = match &kv.value {
        Ok(Value::Int(i)) => (*i as f64, false),
        Ok(Value::Float(x)) => (*x, false),
        Ok(Value::Str(s)) => match s.trim().strip_suffix('%').map(|p| p.trim().parse::<f64>()) {
            Some(Ok(p)) => (p / 100.0, true),
            _ => {
                return fail(
                    msg!(
                        "`tolerance` = \"{text}\" is neither a number nor a percentage",
                        text = s
                    ),
                    msg!(
                        "write `tolerance = 0.01`, or `tolerance = \"5%\"` for a share of `answer`"
                    ),
                );
            }
        },
        other => {
            return fail(
                wrong("tolerance", msg!("a number or a percentage"), other),
                meaning(),
            );
        }
    };
    let shown = src
        .text
        .get(kv.value_span.clone())
        .unwrap_or("")
        .to_string();
    if !t.is_finite() {
        return fail(
            msg!(
                "`tolerance` must be a finite number, found {value}",
                value = shown
            ),
            meaning(),
        );
    }
    if t < 0.0 {
        return fail(
            msg!("`tolerance` = {value} is negative", value = shown),
            meaning(),
        );
    }
    if relative && answer == Some(0.0) && t > 0.0 {
        return fail(
            msg!("a share of an `answer` of 0 is 0: this tolerance accepts only 0"),
            msg!("give an absolute tolerance, e.g. `tolerance = 0.01`"),
        );
    }
    Some(if relative {
        Tolerance::Relative(t)
    } else {
        Tolerance::Absolute(t)
    })
}

/// A value typed on the command line (`--set key=value`, the knob panel's
/// Enter) as TOML; a bare word that is not TOML is a string, so
/// `--set init=zeros` works without quotes.
pub fn value_from_str(raw: &str) -> Result<Value, Msg> {
    match DeValue::parse(raw) {
        Ok(v) => convert(v.get_ref(), 0),
        Err(_) if raw.is_empty() => Err(msg!("empty")),
        Err(_) => Ok(Value::Str(crate::safe::clean(raw).into_owned())),
    }
}
