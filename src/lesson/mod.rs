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
    pub choices: Vec<String>,
    /// Index into `choices`.
    pub answer: usize,
    pub explanation: String,
    /// A metric of the demo that settles the question, if any.
    pub metric: Option<String>,
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
