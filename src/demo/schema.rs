//! Per-kind parameter schemas and the validation that turns raw key/values
//! into checked [`Params`].
//!
//! Every demo kind declares its keys once, as data ([`KeySpec`]); the same
//! table validates lesson files and `--set` overrides, drives the knob panel
//! (range, step, live or restart) and generates `docs/lesson-format.md`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::i18n::{Lang, Msg};
use crate::msg;

/// A parameter value as written in a lesson's demo block or on the command line.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
}

impl Value {
    /// The value as a float (integers widen).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// A short name of the value's type, for "expected X, found Y" messages.
    pub fn type_name(&self) -> Msg {
        match self {
            Value::Bool(_) => msg!("a boolean"),
            Value::Int(_) => msg!("an integer"),
            Value::Float(_) => msg!("a number"),
            Value::Str(_) => msg!("a string"),
            Value::List(_) => msg!("a list"),
        }
    }

    /// Converts a parsed TOML value; tables and datetimes have no meaning here.
    pub fn from_toml(v: &toml::Value) -> Option<Value> {
        Some(match v {
            toml::Value::Boolean(b) => Value::Bool(*b),
            toml::Value::Integer(i) => Value::Int(*i),
            toml::Value::Float(f) => Value::Float(*f),
            toml::Value::String(s) => Value::Str(crate::safe::clean(s).into_owned()),
            toml::Value::Array(a) => {
                Value::List(a.iter().map(Value::from_toml).collect::<Option<Vec<_>>>()?)
            }
            toml::Value::Table(_) | toml::Value::Datetime(_) => return None,
        })
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => write!(f, "\"{s}\""),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{v}")?;
                }
                write!(f, "]")
            }
        }
    }
}

/// The type and allowed range of one key.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    Bool,
    /// An integer in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    /// A float in `[min, max]`, or `(min, max]` when `min_exclusive`.
    Float {
        min: f64,
        max: f64,
        min_exclusive: bool,
    },
    /// One of the listed strings.
    Choice(&'static [&'static str]),
    /// A list of `min_len..=max_len` integers, each in `min..=max`.
    IntList {
        min: i64,
        max: i64,
        min_len: usize,
        max_len: usize,
    },
    /// A list of distinct strings, each one of the listed ones.
    ChoiceList(&'static [&'static str]),
    /// A list of this kind's own key names (the `knobs` key).
    KeyList,
}

/// Whether a live change of a key applies to the running demo or restarts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Apply {
    /// Takes effect at the next iteration of the running demo (e.g. `lr`).
    Live,
    /// Rebuilds the demo from iteration 0 (e.g. `init`, `layers`).
    Restart,
    /// Fixed for the step: not a knob (e.g. `panels`).
    Fixed,
}

/// The default of a key, as a `const`-friendly literal.
#[derive(Clone, Copy, Debug)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'static str),
    Ints(&'static [i64]),
    Strs(&'static [&'static str]),
}

impl DefaultValue {
    /// The default as a [`Value`].
    pub fn value(&self) -> Value {
        match *self {
            DefaultValue::Bool(b) => Value::Bool(b),
            DefaultValue::Int(i) => Value::Int(i),
            DefaultValue::Float(f) => Value::Float(f),
            DefaultValue::Str(s) => Value::Str(s.to_string()),
            DefaultValue::Ints(v) => Value::List(v.iter().map(|&i| Value::Int(i)).collect()),
            DefaultValue::Strs(v) => {
                Value::List(v.iter().map(|s| Value::Str(s.to_string())).collect())
            }
        }
    }
}

/// One key of a kind's schema: a row of the Name | Type | Default | Range |
/// Live/restart | Purpose table in `docs/lesson-format.md`.
#[derive(Clone, Copy, Debug)]
pub struct KeySpec {
    pub name: &'static str,
    pub ty: Ty,
    pub default: DefaultValue,
    pub apply: Apply,
    pub doc: &'static str,
}

impl KeySpec {
    /// A sensible increment for the knob panel's +/− keys, or `None` for
    /// keys that cycle through choices.
    pub fn knob_step(&self, current: &Value) -> Option<f64> {
        match self.ty {
            Ty::Int { .. } => Some(1.0),
            Ty::Float { .. } => {
                let x = current.as_f64().unwrap_or(0.0).abs();
                if x == 0.0 {
                    Some(0.01)
                } else {
                    // One step is a tenth of the value's decade: 0.5 -> 0.1, 0.03 -> 0.01.
                    Some(10f64.powf(x.log10().floor()))
                }
            }
            _ => None,
        }
    }

    /// The allowed values in words, for diagnostics and docs.
    pub fn range_text(&self, kind: &KindSpec) -> Msg {
        match self.ty {
            Ty::Bool => msg!("true or false"),
            Ty::Int { min, max } => msg!("{min} to {max}", min, max),
            Ty::Float {
                min,
                max,
                min_exclusive,
            } => Msg::verbatim(format!(
                "{}{min}, {max}]",
                if min_exclusive { "(" } else { "[" }
            )),
            Ty::Choice(c) | Ty::ChoiceList(c) => Msg::verbatim(c.join(", ")),
            Ty::IntList {
                min,
                max,
                min_len,
                max_len,
            } => msg!(
                "{min_len} to {max_len} integers, each {min} to {max}",
                min_len,
                max_len,
                min,
                max
            ),
            Ty::KeyList => Msg::verbatim(kind.knob_names().join(", ")),
        }
    }
}

/// A float key `name` in `[min, max]`, or `(min, max]` when `min_exclusive`.
pub const fn float(
    name: &'static str,
    (min, max, min_exclusive): (f64, f64, bool),
    default: f64,
    apply: Apply,
    doc: &'static str,
) -> KeySpec {
    KeySpec {
        name,
        ty: Ty::Float {
            min,
            max,
            min_exclusive,
        },
        default: DefaultValue::Float(default),
        apply,
        doc,
    }
}

/// An integer key in `min..=max` that restarts the run when changed (for a
/// live one, `KeySpec { apply: Apply::Live, ..int(…) }`).
pub const fn int(
    name: &'static str,
    (min, max): (i64, i64),
    default: i64,
    doc: &'static str,
) -> KeySpec {
    KeySpec {
        name,
        ty: Ty::Int { min, max },
        default: DefaultValue::Int(default),
        apply: Apply::Restart,
        doc,
    }
}

/// A key holding one of `choices`.
pub const fn choice(
    name: &'static str,
    choices: &'static [&'static str],
    default: &'static str,
    apply: Apply,
    doc: &'static str,
) -> KeySpec {
    KeySpec {
        name,
        ty: Ty::Choice(choices),
        default: DefaultValue::Str(default),
        apply,
        doc,
    }
}

/// The `seed` key every kind takes (default 7), with a kind's own `doc`.
pub const fn seed(doc: &'static str) -> KeySpec {
    int("seed", (0, i64::MAX), 7, doc)
}

/// The `seed` key with the usual wording.
pub const SEED: KeySpec = seed("seed of the random generator");

/// The `panels` key: which of the kind's `choices` to show, in order.
pub const fn panels_key(
    choices: &'static [&'static str],
    default: &'static [&'static str],
) -> KeySpec {
    KeySpec {
        name: "panels",
        ty: Ty::ChoiceList(choices),
        default: DefaultValue::Strs(default),
        apply: Apply::Fixed,
        doc: "panels to show, in order",
    }
}

/// The names in a kind's panel table, in order: the `panels` key's choices
/// are generated from the table that documents them, so the two cannot
/// disagree.
pub const fn panel_names<const N: usize>(panels: &[PanelSpec; N]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = panels[i].name;
        i += 1;
    }
    names
}

/// The `knobs` key every kind takes: the keys a step lets a student turn.
pub const KNOBS: KeySpec = KeySpec {
    name: "knobs",
    ty: Ty::KeyList,
    default: DefaultValue::Strs(&[]),
    apply: Apply::Fixed,
    doc: "keys a student may change live",
};

/// A metric a kind reports, with its meaning (for docs and `check`).
#[derive(Clone, Copy, Debug)]
pub struct MetricSpec {
    pub name: &'static str,
    pub doc: &'static str,
}

/// A panel a kind can draw, selectable with the `panels` key.
#[derive(Clone, Copy, Debug)]
pub struct PanelSpec {
    pub name: &'static str,
    pub doc: &'static str,
}

/// A demo kind: its schema, what it reports, and how to build it.
pub struct KindSpec {
    pub name: &'static str,
    pub summary: &'static str,
    pub keys: &'static [KeySpec],
    pub metrics: &'static [MetricSpec],
    pub panels: &'static [PanelSpec],
    /// Builds a demo from validated parameters. Errors here are cross-key
    /// problems the schema cannot express (e.g. `layers` vs the data set's
    /// input size) and are reported against `ParamError::key`.
    pub build: fn(&Params) -> Result<Box<dyn super::Demo>, ParamError>,
    /// The cross-key guards of `build` alone (a network's size, a key
    /// against another), cheap enough to call for every value a knob might
    /// take: the knob panel shows the range that really runs and refuses a
    /// value at the knob. `build` calls it first.
    pub check: fn(&Params) -> Result<(), ParamError>,
    /// What a step asks of its runs together, once each run passed
    /// `check`: their summed cost, and a panel that compares runs only
    /// where there are several (see `Runner::check_step`).
    pub check_step: fn(&Params) -> Result<(), ParamError>,
}

/// The `check` of a kind whose every valid parameter set runs.
pub fn accept(_: &Params) -> Result<(), ParamError> {
    Ok(())
}

impl fmt::Debug for KindSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KindSpec")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl PartialEq for KindSpec {
    /// Kinds are singletons: equal names mean the same kind.
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl KindSpec {
    /// The key named `name`.
    pub fn key(&self, name: &str) -> Option<&'static KeySpec> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// Keys a student may turn as knobs (everything not `Fixed`).
    pub fn knob_names(&self) -> Vec<&'static str> {
        self.keys
            .iter()
            .filter(|k| k.apply != Apply::Fixed)
            .map(|k| k.name)
            .collect()
    }

    /// [`KindSpec::validate`] for key/values written as `&str` pairs (tests,
    /// benchmarks, code that builds a demo directly).
    pub fn params(&'static self, pairs: &[(&str, Value)]) -> Result<Params, Vec<ParamError>> {
        let raw: Vec<(String, Value)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        self.validate(&raw)
    }

    /// Validates raw key/values (in file order) into [`Params`], filling defaults.
    ///
    /// All problems are returned, not just the first, so an instructor fixes a
    /// file in one pass.
    pub fn validate(&'static self, raw: &[(String, Value)]) -> Result<Params, Vec<ParamError>> {
        let mut errors = Vec::new();
        let mut values: BTreeMap<&'static str, Value> = self
            .keys
            .iter()
            .map(|k| (k.name, k.default.value()))
            .collect();
        for (name, value) in raw {
            if name == "kind" {
                continue;
            }
            let Some(spec) = self.key(name) else {
                let names: Vec<&str> = self.keys.iter().map(|k| k.name).collect();
                errors.push(ParamError {
                    key: name.clone(),
                    message: msg!(
                        "unknown key `{name}` for kind \"{kind}\"",
                        name,
                        kind = self.name
                    ),
                    help: Some(choices_help(name, &names, msg!("valid keys"))),
                });
                continue;
            };
            match check_value(self, spec, value) {
                Ok(v) => {
                    values.insert(spec.name, v);
                }
                Err(message) => errors.push(ParamError {
                    key: name.clone(),
                    message,
                    help: Some(suggest_value(self, spec, value)),
                }),
            }
        }
        if errors.is_empty() {
            Ok(Params {
                kind: self,
                values,
                runs: Vec::new(),
            })
        } else {
            Err(errors)
        }
    }
}

impl KindSpec {
    /// Validates the value of `name` for one run of a sweep: a key of the
    /// kind that a run may set (not `panels` or `knobs`, which the runs
    /// share), in its type and range.
    pub fn run_value(&'static self, name: &str, value: &Value) -> Result<Value, ParamError> {
        let runnable = self.knob_names();
        let Some(spec) = self.key(name).filter(|k| k.apply != Apply::Fixed) else {
            let message = if self.key(name).is_some() {
                msg!(
                    "`{name}` is shared by every run of a step; set it outside the runs",
                    name
                )
            } else {
                msg!(
                    "unknown key `{name}` for kind \"{kind}\"",
                    name,
                    kind = self.name
                )
            };
            return Err(ParamError {
                key: name.to_string(),
                message,
                help: Some(choices_help(name, &runnable, msg!("keys a run may set"))),
            });
        };
        check_value(self, spec, value).map_err(|message| ParamError {
            key: name.to_string(),
            message,
            help: Some(suggest_value(self, spec, value)),
        })
    }
}

/// Checks one value against its key's type and range, widening ints to floats.
fn check_value(kind: &KindSpec, spec: &KeySpec, value: &Value) -> Result<Value, Msg> {
    let name = spec.name;
    let wrong = |expected: Msg| {
        msg!(
            "`{name}` must be {expected}, found {found} {value}",
            name,
            expected,
            found = value.type_name(),
            value = value.to_string()
        )
    };
    match spec.ty {
        Ty::Bool => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err(wrong(msg!("true or false"))),
        },
        Ty::Int { min, max } => match value {
            Value::Int(i) if (min..=max).contains(i) => Ok(value.clone()),
            Value::Int(i) => Err(msg!(
                "`{name}` = {value} is out of range ({min} to {max})",
                name,
                value = *i,
                min,
                max
            )),
            _ => Err(wrong(msg!("an integer"))),
        },
        Ty::Float {
            min,
            max,
            min_exclusive,
        } => match value.as_f64() {
            Some(x) if !x.is_finite() => Err(msg!(
                "`{name}` = {value} is not a finite number",
                name,
                value = x
            )),
            Some(x) if x > max || x < min || (min_exclusive && x == min) => Err(msg!(
                "`{name}` = {value} is out of range {range}",
                name,
                value = x,
                range = spec.range_text(kind)
            )),
            Some(x) => Ok(Value::Float(x)),
            None => Err(wrong(msg!("a number"))),
        },
        Ty::Choice(choices) => match value {
            Value::Str(s) if choices.contains(&s.as_str()) => Ok(value.clone()),
            Value::Str(s) => Err(msg!(
                "`{name}` = \"{value}\" is not a valid choice",
                name,
                value = s
            )),
            _ => Err(wrong(msg!("a string"))),
        },
        Ty::IntList {
            min,
            max,
            min_len,
            max_len,
        } => {
            let Value::List(items) = value else {
                return Err(wrong(msg!("a list of integers")));
            };
            if items.len() < min_len || items.len() > max_len {
                return Err(msg!(
                    "`{name}` has {count} entries; it needs {min} to {max}",
                    name,
                    count = items.len(),
                    min = min_len,
                    max = max_len
                ));
            }
            for item in items {
                match item {
                    Value::Int(i) if (min..=max).contains(i) => {}
                    Value::Int(i) => {
                        return Err(msg!(
                            "`{name}` entry {value} is out of range ({min} to {max})",
                            name,
                            value = *i,
                            min,
                            max
                        ));
                    }
                    _ => return Err(wrong(msg!("a list of integers"))),
                }
            }
            Ok(value.clone())
        }
        Ty::ChoiceList(_) | Ty::KeyList => {
            let allowed: Vec<&str> = match spec.ty {
                Ty::ChoiceList(c) => c.to_vec(),
                _ => kind.knob_names(),
            };
            let Value::List(items) = value else {
                return Err(wrong(msg!("a list of strings")));
            };
            let mut seen = Vec::new();
            for item in items {
                let Value::Str(s) = item else {
                    return Err(wrong(msg!("a list of strings")));
                };
                if !allowed.contains(&s.as_str()) {
                    return Err(msg!(
                        "`{name}` entry \"{value}\" is not a valid choice",
                        name,
                        value = s
                    ));
                }
                if seen.contains(&s) {
                    return Err(msg!("`{name}` lists \"{value}\" twice", name, value = s));
                }
                seen.push(s);
            }
            Ok(value.clone())
        }
    }
}

/// "valid choices: a, b, c; did you mean `b`?" for a bad value.
fn suggest_value(kind: &KindSpec, spec: &KeySpec, value: &Value) -> Msg {
    let bad = match value {
        Value::Str(s) => Some(s.clone()),
        Value::List(items) => items.iter().find_map(|v| match v {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        }),
        _ => None,
    };
    match (spec.ty, bad) {
        (Ty::Choice(c) | Ty::ChoiceList(c), Some(bad)) => {
            choices_help(&bad, c, msg!("valid choices"))
        }
        (Ty::KeyList, Some(bad)) => choices_help(&bad, &kind.knob_names(), msg!("valid knobs")),
        _ => msg!("valid values: {range}", range = spec.range_text(kind)),
    }
}

/// Lists the choices and names the closest one to `bad`, if any is close.
pub fn choices_help(bad: &str, choices: &[&str], what: Msg) -> Msg {
    let list = choices.join(", ");
    match closest(bad, choices) {
        Some(best) => msg!("{what}: {list}; did you mean `{best}`?", what, list, best),
        None => msg!("{what}: {list}", what, list),
    }
}

/// The choice closest to `bad` by edit distance, if it is plausibly a typo
/// (or a known synonym, such as `learning_rate` for `lr`).
pub fn closest<'a>(bad: &str, choices: &[&'a str]) -> Option<&'a str> {
    const SYNONYMS: &[(&str, &str)] = &[
        ("learning_rate", "lr"),
        ("eta", "lr"),
        ("weight_decay", "l2"),
        ("lambda", "l2"),
        ("dropout", "keep_prob"),
        ("p", "keep_prob"),
        ("iterations", "steps"),
        ("epochs", "steps"),
        ("std", "init_scale"),
        ("activation_fn", "activation"),
    ];
    let lower = bad.to_ascii_lowercase();
    if let Some((_, to)) = SYNONYMS
        .iter()
        .find(|(from, to)| *from == lower && choices.contains(to))
    {
        return choices.iter().copied().find(|c| c == to);
    }
    choices
        .iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
                *c,
            )
        })
        .filter(|(d, c)| *d <= (c.len().max(bad.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A problem with one key, reported by the lesson parser at that key's position.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamError {
    pub key: String,
    pub message: Msg,
    pub help: Option<Msg>,
}

impl ParamError {
    /// A cross-key problem found while building (not by the schema).
    pub fn new(key: &str, message: Msg) -> Self {
        ParamError {
            key: key.to_string(),
            message,
            help: None,
        }
    }
}

impl ParamError {
    /// The problem in `lang`, its help in parentheses.
    pub fn text(&self, lang: Lang) -> String {
        crate::i18n::with_help(self.message.text(lang), self.help.as_ref(), lang)
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// The most runs one step may run side by side: each is a whole experiment,
/// advanced in the same frame, and each needs its own colour in a chart.
pub const MAX_RUNS: usize = 8;

/// One run of a step that runs several (a sweep or `[[run]]` tables): its
/// label and the keys it sets differently from the step's own values.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSpec {
    /// What the legend calls it: `lr=0.3`, or the author's `label`.
    pub label: String,
    /// Validated key/values, in the author's order.
    pub set: Vec<(&'static str, Value)>,
}

/// Validated parameters of one demo: every key of its kind, defaults filled,
/// and the runs of a step that runs several.
///
/// Obtained only through [`KindSpec::validate`], [`Params::with`] or
/// [`Params::with_runs`], so a demo's `build` may read them without
/// re-checking types or ranges.
#[derive(Clone, Debug)]
pub struct Params {
    kind: &'static KindSpec,
    values: BTreeMap<&'static str, Value>,
    /// Empty for a step with one run (the usual case).
    runs: Vec<RunSpec>,
}

impl PartialEq for Params {
    fn eq(&self, other: &Self) -> bool {
        self.kind.name == other.kind.name && self.values == other.values && self.runs == other.runs
    }
}

impl Params {
    /// The kind these parameters belong to.
    pub fn kind(&self) -> &'static KindSpec {
        self.kind
    }

    /// All key/values, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.values.iter().map(|(k, v)| (*k, v))
    }

    /// The value of `key`. Panics on a key the kind does not declare: that is
    /// a programming error in a demo, never bad input.
    pub fn get(&self, key: &str) -> &Value {
        self.values
            .get(key)
            .unwrap_or_else(|| panic!("kind {} has no key {key}", self.kind.name))
    }

    pub fn f64(&self, key: &str) -> f64 {
        self.get(key)
            .as_f64()
            .unwrap_or_else(|| panic!("{key} is not a number"))
    }

    pub fn usize(&self, key: &str) -> usize {
        match self.get(key) {
            Value::Int(i) => usize::try_from(*i).unwrap_or(0),
            other => panic!("{key} is not an integer: {other}"),
        }
    }

    pub fn u64(&self, key: &str) -> u64 {
        match self.get(key) {
            Value::Int(i) => u64::try_from(*i).unwrap_or(0),
            other => panic!("{key} is not an integer: {other}"),
        }
    }

    pub fn bool(&self, key: &str) -> bool {
        matches!(self.get(key), Value::Bool(true))
    }

    pub fn str(&self, key: &str) -> &str {
        match self.get(key) {
            Value::Str(s) => s,
            other => panic!("{key} is not a string: {other}"),
        }
    }

    pub fn usizes(&self, key: &str) -> Vec<usize> {
        match self.get(key) {
            Value::List(items) => items
                .iter()
                .map(|v| match v {
                    Value::Int(i) => usize::try_from(*i).unwrap_or(0),
                    _ => 0,
                })
                .collect(),
            other => panic!("{key} is not a list: {other}"),
        }
    }

    pub fn strs(&self, key: &str) -> Vec<&str> {
        match self.get(key) {
            Value::List(items) => items
                .iter()
                .filter_map(|v| match v {
                    Value::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            other => panic!("{key} is not a list: {other}"),
        }
    }

    /// A copy with `key` set to `value`, validated like a lesson file's value.
    /// The value applies to every run; a key the runs set differently
    /// cannot be set for all of them at once and is refused.
    pub fn with(&self, key: &str, value: Value) -> Result<Params, ParamError> {
        if self.swept().contains(&key) {
            let values: Vec<String> = self
                .runs
                .iter()
                .map(|r| {
                    r.get(key)
                        .map_or_else(|| self.get(key).to_string(), Value::to_string)
                })
                .collect();
            return Err(ParamError::new(
                key,
                msg!(
                    "`{key}` differs between this step's runs ({values}); it cannot be set for all of them",
                    key,
                    values = values.join(", ")
                ),
            ));
        }
        let mut raw: Vec<(String, Value)> = self
            .values
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        raw.retain(|(k, _)| k != key);
        raw.push((key.to_string(), value));
        let mut p = self.kind.validate(&raw).map_err(|mut e| e.remove(0))?;
        p.runs = self.runs.clone();
        Ok(p)
    }

    /// A copy that runs `runs` side by side, each a label and the keys it
    /// sets (validated by [`KindSpec::run_value`]); the step's own values
    /// fill the rest. At most [`MAX_RUNS`], with distinct labels.
    pub fn with_runs(
        &self,
        runs: Vec<(String, Vec<(String, Value)>)>,
    ) -> Result<Params, ParamError> {
        if runs.len() > MAX_RUNS {
            return Err(ParamError::new(
                "run",
                msg!(
                    "a step runs at most {max} runs side by side; this one has {count}",
                    max = MAX_RUNS,
                    count = runs.len()
                ),
            ));
        }
        let mut out = Vec::with_capacity(runs.len());
        for (label, set) in runs {
            if out.iter().any(|r: &RunSpec| r.label == label) {
                return Err(ParamError::new(
                    "run",
                    msg!("two runs are labelled \"{label}\"", label = &label),
                ));
            }
            let set = set
                .iter()
                .map(|(k, v)| {
                    let v = self.kind.run_value(k, v)?;
                    let spec = self.kind.key(k).expect("run_value accepts kind keys only");
                    Ok((spec.name, v))
                })
                .collect::<Result<_, ParamError>>()?;
            out.push(RunSpec { label, set });
        }
        Ok(Params {
            runs: out,
            ..self.clone()
        })
    }

    /// The runs of a step that runs several; empty for one run.
    pub fn runs(&self) -> &[RunSpec] {
        &self.runs
    }

    /// Keys that some run sets: the swept key of a sweep.
    pub fn swept(&self) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = Vec::new();
        for (k, _) in self.runs.iter().flat_map(|r| &r.set) {
            if !keys.contains(k) {
                keys.push(k);
            }
        }
        keys
    }

    /// Each run's label and full parameters (the step's values with the
    /// run's own on top); one unlabelled run for a step without runs.
    pub fn run_params(&self) -> Vec<(String, Params)> {
        if self.runs.is_empty() {
            return vec![(String::new(), self.clone())];
        }
        self.runs
            .iter()
            .map(|r| {
                let mut values = self.values.clone();
                values.extend(r.set.iter().map(|(k, v)| (*k, v.clone())));
                let p = Params {
                    kind: self.kind,
                    values,
                    runs: Vec::new(),
                };
                (r.label.clone(), p)
            })
            .collect()
    }
}

impl RunSpec {
    /// The value this run sets for `key`, if it sets one.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.set.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}
