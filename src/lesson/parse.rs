//! The lesson file parser: `+++` front matter, `## ` steps, `<!-- pause -->`
//! segments and the fenced demo / predict / hint blocks.
//!
//! Line-oriented on purpose: the only Markdown structure that matters here is
//! headings, fences and the pause marker, and a line scanner reports each
//! mistake at the exact line a Markdown AST would have lost.

use super::blocks::{self, Fields, KeyVal};
use super::source::{self, Source};
use super::{Diagnostic, Lesson, Severity, Step};
use crate::i18n::Msg;
use crate::msg;

/// A step whose prose has more words than this (between two pauses) draws
/// a warning: students stop reading walls of text in a terminal.
pub const LONG_SEGMENT_WORDS: usize = 350;

/// Words in prose, for the long-step warning. Chinese, Japanese and Korean
/// are written without spaces: there two characters count as one word (a
/// typical Chinese word length), so a wall of CJK text warns like English.
fn word_count(text: &str) -> usize {
    let is_cjk = |c: char| matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}');
    text.split_whitespace()
        .map(|token| {
            let cjk = token.chars().filter(|&c| is_cjk(c)).count();
            if cjk == 0 { 1 } else { cjk.div_ceil(2) }
        })
        .sum()
}

/// The result of parsing one file.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The lesson, or every error found.
    pub lesson: Result<Lesson, Vec<Diagnostic>>,
    /// Problems that leave the lesson usable.
    pub warnings: Vec<Diagnostic>,
    /// The front matter's id and order when they could be read, so a broken
    /// file still sorts and overrides by id.
    pub id: Option<String>,
    pub order: Option<i64>,
}

/// Parses a lesson file's bytes. `path` names it in diagnostics and becomes
/// the lesson's `origin`; `lang` is its language folder.
pub fn parse_bytes(path: &str, lang: &str, bytes: &[u8]) -> Parsed {
    match source::decode(path, bytes) {
        Ok(text) => parse_str(path, lang, text),
        Err(d) => Parsed {
            lesson: Err(vec![d]),
            warnings: Vec::new(),
            id: None,
            order: None,
        },
    }
}

/// Parses a lesson file's text.
pub fn parse_str(path: &str, lang: &str, text: &str) -> Parsed {
    // Everything the lesson controls is made safe to print here, once.
    let (path, text) = (crate::safe::clean(path), crate::safe::clean(text));
    let src = Source::new(&path, &text);
    let mut p = Parser {
        src: &src,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut parsed = Parsed {
        lesson: Err(Vec::new()),
        warnings: Vec::new(),
        id: None,
        order: None,
    };
    let lesson = p.lesson(lang, &mut parsed);
    // A broken lesson shows its errors only: warnings would bury them.
    parsed.lesson = match lesson {
        Some(l) if p.errors.is_empty() => {
            parsed.warnings = p.warnings;
            Ok(l)
        }
        _ if p.errors.is_empty() => Err(vec![Diagnostic::error(
            &path,
            1,
            1,
            msg!("lesson could not be read"),
        )]),
        _ => Err(p.errors),
    };
    parsed
}

struct Parser<'s> {
    src: &'s Source<'s>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// The longest `run_seconds` a lesson may ask for.
pub const RUN_SECONDS_MAX: u32 = 600;

/// Front matter fields.
struct Front {
    id: String,
    title: String,
    order: i64,
    summary: Option<String>,
    run_seconds: Option<u32>,
}

/// An open fence: its marker (``` or ~~~ run) and what it holds.
struct Fence {
    marker: String,
    info: String,
    line: usize,
    body_start: usize,
}

/// A step being assembled.
struct Draft {
    step: Step,
    segment: Vec<String>,
    demo_line: Option<usize>,
    predict_metric: Option<std::ops::Range<usize>>,
    /// An expect block's fence line, body start and body, parsed when the
    /// step closes (its claims name the demo's metrics).
    expect: Option<(usize, usize, String)>,
}

impl Parser<'_> {
    fn lesson(&mut self, lang: &str, parsed: &mut Parsed) -> Option<Lesson> {
        let src = self.src;
        if src.text.trim().is_empty() {
            self.errors.push(
                Diagnostic::error(src.path, 1, 1, msg!("lesson file is empty"))
                    .with_help(msg!("run `nntutor new NAME` for a starter lesson")),
            );
            return None;
        }
        if src.line_text(1).trim() != "+++" {
            self.errors.push(
                src.error_line(
                    1,
                    msg!("lesson has no front matter: the first line must be `+++`"),
                )
                .with_help(msg!(
                    "start the file with `+++`, then `id = \"…\"`, `title = \"…\"`, `order = N`, then `+++`"
                )),
            );
            return None;
        }
        let Some(close) = (2..=src.line_count()).find(|&l| src.line_text(l).trim() == "+++") else {
            self.errors.push(
                src.error_line(1, msg!("front matter is never closed"))
                    .with_help(msg!("end the front matter with a line `+++`")),
            );
            return None;
        };
        let front = self.front(close, parsed);
        let steps = self.steps(close + 1);
        let front = front?;
        if steps.is_empty() && self.errors.is_empty() {
            self.errors.push(
                src.error_line(close, msg!("lesson has no steps"))
                    .with_help(msg!("start each step with a `## Title` line")),
            );
        }
        Some(Lesson {
            id: front.id,
            title: front.title,
            order: front.order,
            summary: front.summary,
            run_seconds: front.run_seconds,
            lang: lang.to_string(),
            origin: src.path.to_string(),
            steps,
        })
    }

    fn front(&mut self, close: usize, parsed: &mut Parsed) -> Option<Front> {
        let src = self.src;
        let (start, end) = (src.line_start(2), src.line_start(close));
        let body = src.text.get(start..end).unwrap_or("");
        let kvs = match blocks::parse_toml(src, start, body, msg!("front matter")) {
            Ok(kvs) => kvs,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let mut f = Fields::new(
            src,
            &kvs,
            &["id", "title", "order", "summary", "run_seconds"],
            msg!("front matter"),
        );
        let what = || msg!("front matter");
        let id = f.string(src, "id");
        if let Some((id, kv)) = &id {
            parsed.id = Some(id.clone());
            if !valid_id(id) {
                f.errors.push(
                    src.error_at(
                        kv.value_span.clone(),
                        msg!("id \"{id}\" is not a valid id", id),
                    )
                    .with_help(msg!(
                        "use lowercase letters, digits and `-`, e.g. \"zero-init\""
                    )),
                );
            }
        }
        let id = f.require(src, id, "id", 1, what());
        let title = f.string(src, "title");
        let title = f.require(src, title, "title", 1, what());
        let order = f.int(src, "order");
        parsed.order = order.as_ref().map(|(o, _)| *o);
        let order = f.require(src, order, "order", 1, what());
        let summary = f.string(src, "summary");
        let run_seconds = f.int(src, "run_seconds").and_then(|(secs, kv)| {
            match u32::try_from(secs)
                .ok()
                .filter(|s| (1..=RUN_SECONDS_MAX).contains(s))
            {
                Some(s) => Some(s),
                None => {
                    f.errors.push(
                        src.error_at(
                            kv.value_span.clone(),
                            msg!(
                                "`run_seconds` must be between 1 and {max}, found {secs}",
                                max = RUN_SECONDS_MAX,
                                secs
                            ),
                        )
                        .with_help(msg!(
                            "the seconds a step's run takes at normal speed; the default is 6"
                        )),
                    );
                    None
                }
            }
        });
        let ok = f.errors.is_empty();
        self.errors.append(&mut f.errors);
        match (id, title, order) {
            (Some((id, _)), Some((title, _)), Some((order, _))) if ok => Some(Front {
                id,
                title,
                order,
                summary: summary.map(|(s, _)| s),
                run_seconds,
            }),
            _ => None,
        }
    }

    /// Scans the body from line `first`, collecting steps.
    fn steps(&mut self, first: usize) -> Vec<Step> {
        let src = self.src;
        let mut steps = Vec::new();
        let mut draft: Option<Draft> = None;
        let mut fence: Option<Fence> = None;
        let mut stray_prose: Option<usize> = None;
        for line in first..=src.line_count() {
            let text = src.line_text(line);
            if let Some(open) = &fence {
                if is_close(text, &open.marker) {
                    let open = fence.take().expect("fence is open");
                    let body = src
                        .text
                        .get(open.body_start..src.line_start(line))
                        .unwrap_or("");
                    self.block(&open, body, &mut draft, text);
                } else if !is_special(&open.info)
                    && let Some(d) = &mut draft
                {
                    d.segment.push(text.to_string());
                }
                continue;
            }
            let trimmed = text.trim_start();
            if let Some(marker) = fence_marker(trimmed) {
                let info = trimmed[marker.len()..].trim().to_string();
                if let Some(meant) = near_special(&info) {
                    // Shown as a plain code block, a misspelled predict block
                    // would hand the student the answer key.
                    self.errors.push(
                        src.error_at(
                            src.line_start(line) + (text.len() - trimmed.len()) + marker.len()
                                ..src.line_start(line) + text.len(),
                            msg!("unknown block ```{info}", info = &info),
                        )
                        .with_help(msg!(
                            "did you mean ```{meant}? (blocks: demo, predict, hint, expect; any other name is shown as code)",
                            meant
                        )),
                    );
                }
                if !is_special(&info)
                    && let Some(d) = &mut draft
                {
                    d.segment.push(text.to_string());
                }
                fence = Some(Fence {
                    marker,
                    info,
                    line,
                    body_start: src.line_start(line + 1),
                });
            } else if let Some(title) = heading(text) {
                if let Some(d) = draft.take() {
                    steps.push(self.finish(d));
                }
                if title.is_empty() {
                    self.errors
                        .push(src.error_line(line, msg!("step heading has no title")));
                }
                draft = Some(Draft {
                    step: Step {
                        title: title.to_string(),
                        segments: Vec::new(),
                        demo: None,
                        predict: None,
                        hints: Vec::new(),
                        expect: None,
                        line,
                    },
                    segment: Vec::new(),
                    demo_line: None,
                    predict_metric: None,
                    expect: None,
                });
            } else if is_near_pause(text) {
                self.warn(
                    src.error_line(line, msg!("not a pause marker: it is ignored"))
                        .with_help(msg!("write `<!-- pause -->` alone on its line")),
                );
            } else if text.trim() == "<!-- pause -->" {
                if let Some(d) = &mut draft {
                    let seg = std::mem::take(&mut d.segment);
                    d.step.segments.push(join(&seg));
                }
            } else if let Some(d) = &mut draft {
                d.segment.push(text.to_string());
            } else if !text.trim().is_empty() && !text.starts_with("# ") && stray_prose.is_none() {
                stray_prose = Some(line);
            }
        }
        if let Some(open) = fence {
            self.errors.push(
                src.error_line(
                    open.line,
                    msg!(
                        "{marker}{info} block is never closed",
                        marker = &open.marker,
                        info = &open.info
                    ),
                )
                .with_help(msg!(
                    "end the block with a line {marker}",
                    marker = &open.marker
                )),
            );
        }
        if let Some(d) = draft.take() {
            steps.push(self.finish(d));
        }
        if let Some(line) = stray_prose {
            self.warn(
                src.error_line(line, msg!("text before the first `## ` step is not shown"))
                    .with_help(msg!("move it into a step")),
            );
        }
        steps
    }

    /// Handles a closed fence: demo, predict and hint blocks join the step.
    fn block(&mut self, fence: &Fence, body: &str, draft: &mut Option<Draft>, close_text: &str) {
        let src = self.src;
        if !is_special(&fence.info) {
            if let Some(d) = draft {
                d.segment.push(close_text.to_string());
            }
            return;
        }
        let Some(d) = draft else {
            self.errors.push(
                src.error_line(
                    fence.line,
                    msg!(
                        "```{info} block before the first `## ` step",
                        info = &fence.info
                    ),
                )
                .with_help(msg!("put it inside a step")),
            );
            return;
        };
        let toml = |p: &mut Self, what: Msg| -> Option<Vec<KeyVal>> {
            match blocks::parse_toml(src, fence.body_start, body, what) {
                Ok(kvs) => Some(kvs),
                Err(e) => {
                    p.errors.push(e);
                    None
                }
            }
        };
        match fence.info.as_str() {
            "demo" => {
                if let Some(first) = d.demo_line {
                    self.errors.push(
                        src.error_line(fence.line, msg!("a step may have only one demo block"))
                            .with_help(msg!(
                                "this step's demo starts at line {first}; start a new `## ` step for a second demo",
                                first
                            )),
                    );
                    return;
                }
                d.demo_line = Some(fence.line);
                let Some(kvs) = toml(self, msg!("demo block")) else {
                    return;
                };
                match blocks::demo_spec(src, fence.line, &kvs, &mut self.warnings) {
                    Ok(spec) => d.step.demo = Some(spec),
                    Err(mut e) => self.errors.append(&mut e),
                }
            }
            "predict" => {
                if d.step.predict.is_some() || d.predict_metric.is_some() {
                    self.errors.push(
                        src.error_line(fence.line, msg!("a step may have only one predict block")),
                    );
                    return;
                }
                let Some(kvs) = toml(self, msg!("predict block")) else {
                    return;
                };
                match blocks::predict(src, fence.line, &kvs) {
                    Ok((p, span)) => {
                        d.step.predict = Some(p);
                        d.predict_metric = span;
                    }
                    Err(mut e) => self.errors.append(&mut e),
                }
            }
            "expect" => {
                if d.expect.is_some() {
                    self.errors.push(
                        src.error_line(fence.line, msg!("a step may have only one expect block")),
                    );
                    return;
                }
                d.expect = Some((fence.line, fence.body_start, body.to_string()));
            }
            _ => {
                let hint = body.trim();
                if hint.is_empty() {
                    self.errors
                        .push(src.error_line(fence.line, msg!("hint block is empty")));
                } else {
                    d.step.hints.push(hint.to_string());
                }
            }
        }
    }

    /// Closes a step: last segment, and the warnings that need the whole step.
    fn finish(&mut self, mut d: Draft) -> Step {
        let src = self.src;
        d.step.segments.push(join(&d.segment));
        if let Some((line, start, body)) = d.expect.take() {
            if d.step.demo.is_none() && d.demo_line.is_none() {
                self.errors.push(
                    src.error_line(line, msg!("an expect block needs the step's demo block"))
                        .with_help(msg!(
                            "its claims are about the demo's metrics: add a ```demo block"
                        )),
                );
            } else {
                match super::expect::parse(src, line, start, &body, d.step.demo.as_ref()) {
                    Ok(e) => d.step.expect = Some(e),
                    Err(mut e) => self.errors.append(&mut e),
                }
            }
        }
        let line = d.step.line;
        if d.step.demo.is_none() && d.demo_line.is_none() {
            self.warn(
                src.error_line(
                    line,
                    msg!("step \"{title}\" has no demo", title = &d.step.title),
                )
                .with_help(msg!(
                    "every step should run a live demo: add a ```demo block"
                )),
            );
        }
        // A numeric answer's metric is proven by `check --run`: a metric
        // the demo does not report is an error there, a warning for
        // multiple choice (where it only names what settles the question).
        if let (Some(p), Some(span)) = (&d.step.predict, &d.predict_metric) {
            let numeric = p.answer.number().is_some();
            match &d.step.demo {
                Some(demo) => {
                    let metric = p.metric.as_deref().unwrap_or("");
                    let names: Vec<&str> = demo.kind.metrics.iter().map(|m| m.name).collect();
                    // A run's metric (`test_loss@2`) is hidden with every run's.
                    let base = crate::demo::split_run(metric).map_or(metric, |(b, _)| b);
                    if !names.contains(&base) {
                        let e = src
                            .error_at(
                                span.clone(),
                                msg!(
                                    "kind \"{kind}\" reports no metric \"{metric}\"",
                                    kind = demo.kind.name,
                                    metric
                                ),
                            )
                            .with_help(crate::demo::schema::choices_help(
                                metric,
                                &names,
                                msg!("its metrics"),
                            ));
                        if numeric {
                            self.errors.push(e);
                        } else {
                            self.warn(e);
                        }
                    }
                }
                None if numeric && d.demo_line.is_none() => self.errors.push(
                    src.error_at(
                        span.clone(),
                        msg!("a numeric answer's `metric` is measured by the step's demo, and this step has none"),
                    )
                    .with_help(msg!("add a ```demo block, or remove `metric`")),
                ),
                None => {}
            }
        }
        if let Some(words) = d
            .step
            .segments
            .iter()
            .map(|s| word_count(s))
            .max()
            .filter(|&w| w > LONG_SEGMENT_WORDS)
        {
            self.warn(
                src.error_line(
                    line,
                    msg!(
                        "step \"{title}\" shows {words} words at once",
                        title = &d.step.title,
                        words
                    ),
                )
                .with_help(msg!(
                    "keep each part under {max} words: split the step or add `<!-- pause -->`",
                    max = LONG_SEGMENT_WORDS
                )),
            );
        }
        d.step
    }

    fn warn(&mut self, mut d: Diagnostic) {
        d.severity = Severity::Warning;
        self.warnings.push(d);
    }
}

/// Ids name lessons on the command line and in the progress file.
fn valid_id(id: &str) -> bool {
    id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn is_special(info: &str) -> bool {
    matches!(info, "demo" | "predict" | "hint" | "expect")
}

/// The block name `info` was probably meant to be (`prediction`, `hints`,
/// `Demo`, `predcit`), if it is not one already. Other names (`python`,
/// `toml`, `text`) are ordinary code blocks.
fn near_special(info: &str) -> Option<&'static str> {
    if is_special(info) {
        return None;
    }
    let word = info.split_whitespace().next()?.to_ascii_lowercase();
    ["demo", "predict", "hint", "expect"]
        .into_iter()
        .find(|name| {
            word == *name
                || (word.starts_with(name) && word.len() <= name.len() + 3)
                || strsim::damerau_levenshtein(&word, name) <= 1
        })
}

/// A line that looks like a pause marker but is not exactly one
/// (`<!--pause-->`, `<!-- PAUSE -->`, `<!-- pause -- >`).
fn is_near_pause(text: &str) -> bool {
    let t = text.trim();
    t != "<!-- pause -->"
        && t.starts_with("<!--")
        && t.to_ascii_lowercase().contains("pause")
        && t.len() < 30
}

/// The ``` or ~~~ run opening a fence (three or more).
fn fence_marker(trimmed: &str) -> Option<String> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|&x| x == c).count();
    (n >= 3).then(|| c.to_string().repeat(n))
}

/// Whether `text` closes a fence opened with `marker`.
fn is_close(text: &str, marker: &str) -> bool {
    let t = text.trim();
    let c = marker.chars().next().unwrap_or('`');
    t.len() >= marker.len() && t.chars().all(|x| x == c)
}

/// The title of a `## ` heading line (level 2 exactly).
fn heading(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("##")?;
    if rest.is_empty() {
        return Some("");
    }
    rest.strip_prefix([' ', '\t']).map(str::trim)
}

/// A segment's lines, without leading and trailing blank lines.
fn join(lines: &[String]) -> String {
    lines.join("\n").trim_matches('\n').trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::word_count;

    #[test]
    fn chinese_prose_counts_words_by_characters() {
        assert_eq!(word_count("two words"), 2);
        assert_eq!(word_count("权重衰减的推导"), 4);
        assert_eq!(word_count("Xavier 初始化"), 3);
    }
}
