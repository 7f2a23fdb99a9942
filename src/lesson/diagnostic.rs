//! A problem in a lesson file, located at `path:line:col`.

use std::fmt;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::i18n::{Lang, Msg};
use crate::msg;

/// How bad a diagnostic is: errors make a lesson unusable, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// `error` or `warning`, in `lang`.
    pub fn label(self, lang: Lang) -> String {
        match self {
            Severity::Error => msg!("error").text(lang),
            Severity::Warning => msg!("warning").text(lang),
        }
    }
}

/// One located problem, with the offending source line for a caret display.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    /// 1-based line and column (in characters) of the offending text.
    pub line: usize,
    pub col: usize,
    pub message: Msg,
    /// What to do about it: valid choices, the closest suggestion.
    pub help: Option<Msg>,
    /// The text of line `line`, for the caret display (`None` when the
    /// problem has no line, e.g. an unreadable file).
    pub source_line: Option<String>,
    /// How many characters from `col` the caret underlines (at least 1).
    pub width: usize,
}

impl Diagnostic {
    /// An error at `line:col` with no source attached yet.
    pub fn error(path: &str, line: usize, col: usize, message: Msg) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: crate::safe::clean(path).into_owned(),
            line: line.max(1),
            col: col.max(1),
            message,
            help: None,
            source_line: None,
            width: 1,
        }
    }

    /// A warning at `line:col`.
    pub fn warning(path: &str, line: usize, col: usize, message: Msg) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    pub fn with_help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }

    pub fn with_help_opt(mut self, help: Option<Msg>) -> Self {
        self.help = help;
        self
    }

    /// Attaches the offending line and the underlined width.
    pub fn with_source(mut self, line_text: &str, width: usize) -> Self {
        self.source_line = Some(crate::safe::clean(line_text).into_owned());
        self.width = width.max(1);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form in `lang`: `path:line:col: error: message`.
    pub fn line_text(&self, lang: Lang) -> String {
        format!(
            "{}:{}:{}: {}: {}",
            self.path,
            self.line,
            self.col,
            self.severity.label(lang),
            self.message.text(lang)
        )
    }

    /// The one-line form in `lang` with the help in parentheses: what one
    /// line of the TUI has room for.
    pub fn headline(&self, lang: Lang) -> String {
        crate::i18n::with_help(self.line_text(lang), self.help.as_ref(), lang)
    }

    /// The full report in `lang`: the one-line form, then the source line
    /// with a caret under the offending text and the help, drawn by
    /// `annotate-snippets`.
    pub fn render(&self, lang: Lang, color: bool) -> String {
        let mut out = self.line_text(lang);
        out.push('\n');
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        }
        .with_name(self.severity.label(lang));
        let mut group = Group::with_level(level.clone());
        if let Some(text) = &self.source_line {
            // Very long lines are cut around the caret: a 1 MB line must not
            // be echoed back to the terminal.
            let (shown, start_char) = window(text, self.col.saturating_sub(1), 100);
            let start = byte_at(&shown, self.col.saturating_sub(1) - start_char);
            let end = byte_at(&shown, self.col.saturating_sub(1) - start_char + self.width);
            let end = end.max(start);
            group = group.element(
                Snippet::source(shown)
                    .line_start(self.line)
                    .path(self.path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
        }
        if let Some(help) = &self.help {
            group = group.element(
                Level::HELP
                    .with_name(msg!("help").text(lang))
                    .message(help.text(lang)),
            );
        }
        if group.is_empty() {
            return out;
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        out.push_str(&renderer.render(&[group]));
        out.push('\n');
        out
    }
}

/// At most `max` characters of `text` around character `at`, and the
/// character index where the window starts.
fn window(text: &str, at: usize, max: usize) -> (String, usize) {
    let n = text.chars().count();
    if n <= max {
        return (text.to_string(), 0);
    }
    let start = at.saturating_sub(max / 2).min(n.saturating_sub(max));
    (text.chars().skip(start).take(max).collect(), start)
}

/// Byte offset of character `chars` in `s` (clamped to its end).
fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

impl fmt::Display for Diagnostic {
    /// The one-line form: `path:line:col: error: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line_text(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown_key() -> Diagnostic {
        let what = msg!("demo block");
        Diagnostic::error(
            "a.md",
            12,
            1,
            msg!("unknown key `{key}` in {what}", key = "learning_rate", what),
        )
        .with_source("learning_rate = 0.1", 13)
        .with_help(crate::demo::schema::choices_help(
            "learning_rate",
            &["lr", "steps"],
            msg!("valid keys"),
        ))
    }

    #[test]
    fn render_puts_a_caret_under_the_key() {
        let text = unknown_key().render(Lang::En, false);
        assert!(
            text.starts_with("a.md:12:1: error: unknown key `learning_rate` in demo block\n"),
            "{text}"
        );
        assert!(text.contains("learning_rate = 0.1"), "{text}");
        assert!(text.contains("^^^^^^^^^^^^^"), "{text}");
        assert!(
            text.contains("help: valid keys: lr, steps; did you mean `lr`?"),
            "{text}"
        );
    }

    #[test]
    fn render_in_chinese_translates_the_labels_and_the_wording() {
        let text = unknown_key().render(Lang::Zh, false);
        assert!(
            text.starts_with("a.md:12:1: 错误: demo 代码块中有未知的键 `learning_rate`\n"),
            "{text}"
        );
        assert!(text.contains("^^^^^^^^^^^^^"), "{text}");
        assert!(
            text.contains("帮助: 可用的键：lr, steps；你是想写 `lr` 吗？"),
            "{text}"
        );
        assert_eq!(unknown_key().to_string().lines().count(), 1);
    }

    #[test]
    fn render_cuts_huge_lines() {
        let line = "x".repeat(1_000_000);
        let d = unknown_key().with_source(&line, 1);
        assert!(d.render(Lang::En, false).len() < 1_000);
    }
}
