//! Lessons: the Markdown format instructors write, its parser (every mistake a
//! `file:line:col` diagnostic), and the catalog of embedded and on-disk lessons.

mod blocks;
pub mod catalog;
pub mod checks;
pub mod diagnostic;
pub mod docs;
pub mod expect;
pub mod parse;
pub mod source;

pub use blocks::value_from_str;
pub use catalog::LessonFile;
pub use diagnostic::{Diagnostic, Severity};
pub use parse::{Parsed, parse_bytes, parse_str};

use crate::demo::{KindSpec, Params};

/// One lesson file, parsed and validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    /// Position in the catalog (lower first).
    pub order: i64,
    pub summary: Option<String>,
    /// Seconds a step's run takes at normal speed (front matter
    /// `run_seconds`); `None` for the tool's default.
    pub run_seconds: Option<u32>,
    /// Language folder it came from (`en`, `zh`, …).
    pub lang: String,
    /// Where it came from: a path, or `embedded:lessons/en/01-zero-init.md`.
    pub origin: String,
    pub steps: Vec<Step>,
}

/// One `## ` section of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    /// Markdown prose split at `<!-- pause -->`: segment `k` is revealed by
    /// the k-th forward key press.
    pub segments: Vec<String>,
    pub demo: Option<DemoSpec>,
    pub predict: Option<Predict>,
    /// Hints shown one at a time on request.
    pub hints: Vec<String>,
    /// The step's claims (```` ```expect ````), proven by `check --run`.
    pub expect: Option<expect::Expect>,
    /// 1-based line of the `## ` heading.
    pub line: usize,
}

/// A step's validated ```` ```demo ```` block.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoSpec {
    pub kind: &'static KindSpec,
    pub params: Params,
    /// Keys the student may turn (the `knobs` key), in the author's order.
    pub knobs: Vec<String>,
    /// 1-based line of the opening fence.
    pub line: usize,
}

/// A "predict, then watch" question asked before the demo runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Predict {
    pub question: String,
    pub answer: Answer,
    pub explanation: String,
    /// A metric of the demo that settles the question, if any.
    pub metric: Option<String>,
}

/// What the student is asked for, and what counts as right.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Pick one of 2 to 9 choices; `right` indexes `choices`.
    Choice { choices: Vec<String>, right: usize },
    /// Type a number.
    Number(Number),
}

/// A numeric answer: the value the lesson states and how far from it a
/// student's number may be and still count as right.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub value: f64,
    pub tolerance: Tolerance,
    /// The `answer` value as written, and its 1-based line and column:
    /// where `check --run` reports a run that disagrees with it.
    pub text: String,
    pub line: usize,
    pub col: usize,
}

/// How far from a numeric answer still counts as right (inclusive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tolerance {
    /// At most this distance (`tolerance = 0.001`).
    Absolute(f64),
    /// At most this share of the answer's size (`tolerance = "5%"` is 0.05).
    Relative(f64),
}

impl Answer {
    /// The choices offered (none for a number).
    pub fn choices(&self) -> &[String] {
        match self {
            Answer::Choice { choices, .. } => choices,
            Answer::Number(_) => &[],
        }
    }

    pub fn number(&self) -> Option<&Number> {
        match self {
            Answer::Number(n) => Some(n),
            Answer::Choice { .. } => None,
        }
    }
}

impl Number {
    /// The largest distance from `value` that counts as right.
    pub fn margin(&self) -> f64 {
        match self.tolerance {
            Tolerance::Absolute(t) => t,
            Tolerance::Relative(r) => r * self.value.abs(),
        }
    }

    /// The smallest and largest numbers that count as right.
    pub fn bounds(&self) -> (f64, f64) {
        let m = self.margin();
        (self.value - m, self.value + m)
    }

    /// Whether `x` counts as right. The bounds are inclusive up to rounding:
    /// 0.9963 is within 0.001 of 0.9973 although their f64 difference is
    /// 0.0010000000000000009.
    pub fn accepts(&self, x: f64) -> bool {
        let slack = 4.0 * f64::EPSILON * self.value.abs().max(x.abs()).max(self.margin());
        x.is_finite() && (x - self.value).abs() <= self.margin() + slack
    }

    /// The answer as a reader sees it: `0.9973 ± 0.001`, `50 ± 5%`, or the
    /// value alone when it must be exact; `pm` is the plus-minus sign to use
    /// (`+/-` where `±` could be drawn two columns wide).
    pub fn show(&self, pm: &str) -> String {
        let v = short(self.value);
        match self.tolerance {
            _ if self.margin() == 0.0 => v,
            Tolerance::Absolute(t) => format!("{v} {pm} {}", short(t)),
            Tolerance::Relative(r) => format!("{v} {pm} {}%", short(r * 100.0)),
        }
    }
}

/// `x` in at most 10 significant digits, without the noise of binary
/// fractions (`0.9973 - 0.001` is `0.9963`, not `0.9963000000000001`);
/// scientific notation outside 1e-4 to 1e9.
pub fn short(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let y: f64 = format!("{x:.9e}").parse().unwrap_or(x);
    if y != 0.0 && !(1e-4..1e9).contains(&y.abs()) {
        return format!("{y:e}");
    }
    format!("{y}")
}

/// One lesson file in the catalog: parsed, or broken with its diagnostics.
/// A broken file never hides the others.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The lesson's id, or the file stem when the front matter is unreadable.
    pub id: String,
    pub lang: String,
    pub origin: String,
    pub lesson: Result<Lesson, Vec<Diagnostic>>,
    /// Warnings about a lesson that still works.
    pub warnings: Vec<Diagnostic>,
}

/// All lessons the tutor knows: embedded ones, overridden by an instructor's
/// folders and files (same id and language replaces).
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub entries: Vec<Entry>,
}
