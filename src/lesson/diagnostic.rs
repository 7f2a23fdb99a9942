//! A problem in a lesson file, located at `path:line:col`.

use std::fmt;

/// How bad a diagnostic is: errors make a lesson unusable, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One located problem, with the offending source line for a caret display.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    /// 1-based line and column (in characters) of the offending text.
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// What to do about it: valid choices, the closest suggestion.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// The one-line form: `path:line:col: error: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}: {}",
            self.path, self.line, self.col, self.message
        )
    }
}
