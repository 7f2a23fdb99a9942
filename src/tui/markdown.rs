//! Markdown prose to styled, wrapped terminal lines: headings, emphasis,
//! inline code, code blocks, lists and block quotes.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use super::text::{self, truncate, width, wrap};
use super::theme::Theme;

type Spans = Vec<(String, Style)>;

/// Renders `md` into lines of at most `cols` columns.
pub fn render(md: &str, cols: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut r = Renderer {
        theme,
        cols: cols.max(1),
        out: Vec::new(),
        inline: Vec::new(),
        styles: vec![theme.text],
        quote: 0,
        lists: Vec::new(),
        bullet: None,
        in_item: false,
        code: None,
        soft_break: false,
    };
    for ev in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH) {
        r.event(ev);
    }
    r.flush();
    while r.out.last().is_some_and(|l| l.width() == 0) {
        r.out.pop();
    }
    r.out
}

struct Renderer<'t> {
    theme: &'t Theme,
    cols: usize,
    out: Vec<Line<'static>>,
    /// Styled text of the block being collected.
    inline: Spans,
    styles: Vec<Style>,
    quote: usize,
    /// One entry per open list: the next number of an ordered list.
    lists: Vec<Option<u64>>,
    /// The bullet the next flushed block starts with (first block of an item).
    bullet: Option<String>,
    in_item: bool,
    /// A source line break is pending: a space, unless it falls between two
    /// wide (CJK) characters, where Chinese prose has no spaces.
    soft_break: bool,
    /// The text of an open code block.
    code: Option<String>,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        *self.styles.last().unwrap_or(&self.theme.text)
    }

    fn push_style(&mut self, f: impl FnOnce(Style) -> Style) {
        let s = f(self.style());
        self.styles.push(s);
    }

    /// The prefixes of the current block: (first line, continuation lines).
    fn prefixes(&mut self) -> (Spans, Spans) {
        let mut first: Spans = Vec::new();
        for _ in 0..self.quote {
            first.push(("| ".into(), self.theme.quote));
        }
        let indent = "  ".repeat(self.lists.len().saturating_sub(1));
        let mut rest = first.clone();
        if !self.lists.is_empty() {
            match self.bullet.take() {
                Some(b) => {
                    rest.push((
                        format!("{indent}{}", " ".repeat(width(&b))),
                        self.theme.text,
                    ));
                    first.push((format!("{indent}{b}"), self.theme.dim));
                }
                None => {
                    let pad = format!("{indent}  ");
                    first.push((pad.clone(), self.theme.text));
                    rest.push((pad, self.theme.text));
                }
            }
        }
        (first, rest)
    }

    fn flush(&mut self) {
        self.soft_break = false;
        if self.inline.iter().all(|(s, _)| s.trim().is_empty()) {
            self.inline.clear();
            return;
        }
        let (first, rest) = self.prefixes();
        let spans = std::mem::take(&mut self.inline);
        self.out.extend(wrap(&spans, self.cols, &first, &rest));
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| l.width() > 0) {
            self.out.push(Line::default());
        }
    }

    /// Emits a pending soft break as a space unless both neighbours are
    /// wide, or one is full-width punctuation (`网络：` then `10 层` joins
    /// as `网络：10 层`): Chinese puts no space around its punctuation.
    fn resolve_soft_break(&mut self, next: &str) {
        if !std::mem::take(&mut self.soft_break) {
            return;
        }
        let wide = |c: Option<char>| c.is_some_and(|c| c.width().unwrap_or(0) == 2);
        let punct = |c: Option<char>| {
            c.is_some_and(|c| wide(Some(c)) && (text::is_closing(c) || text::is_opening(c)))
        };
        let prev = self.inline.last().and_then(|(t, _)| t.chars().last());
        let next = next.chars().next();
        if !(wide(prev) && wide(next) || punct(prev) || punct(next)) {
            let st = self.style();
            self.inline.push((" ".to_string(), st));
        }
    }

    fn text(&mut self, s: &str) {
        self.resolve_soft_break(s);
        if let Some(code) = &mut self.code {
            code.push_str(s);
        } else {
            let st = self.style();
            self.inline.push((s.to_string(), st));
        }
    }

    fn event(&mut self, ev: Event) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                self.resolve_soft_break(&t);
                self.inline.push((t.to_string(), self.theme.code))
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.inline.push((t.to_string(), self.theme.code))
            }
            Event::SoftBreak => self.soft_break = true,
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.blank();
                self.out
                    .push(Line::styled("-".repeat(self.cols.min(40)), self.theme.dim));
                self.out.push(Line::default());
            }
            // Raw HTML (including `<!-- pause -->` comments) is not prose.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::FootnoteReference(t) => self.text(&format!("[{t}]")),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph if !self.in_item => self.blank(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank();
                let h = self.theme.heading;
                let h = if level == HeadingLevel::H1 {
                    h.add_modifier(ratatui::style::Modifier::UNDERLINED)
                } else {
                    h
                };
                self.styles.push(h);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.blank();
                self.quote += 1;
                let q = self.theme.quote;
                self.styles.push(q);
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.blank();
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let b = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let b = format!("{n}. ");
                        *n += 1;
                        b
                    }
                    _ => "- ".to_string(),
                };
                self.bullet = Some(b);
                self.in_item = true;
            }
            Tag::Emphasis => self.push_style(|s| {
                s.patch(Style::new().add_modifier(ratatui::style::Modifier::ITALIC))
            }),
            Tag::Strong => self.push_style(|s| s.add_modifier(ratatui::style::Modifier::BOLD)),
            Tag::Strikethrough => {
                self.push_style(|s| s.add_modifier(ratatui::style::Modifier::CROSSED_OUT))
            }
            Tag::Link { .. } => {
                self.push_style(|s| s.add_modifier(ratatui::style::Modifier::UNDERLINED))
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(_) => {
                self.flush();
                self.styles.pop();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.styles.pop();
                self.blank();
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                let (first, _) = self.prefixes();
                let lead: String = first.iter().map(|(s, _)| s.as_str()).collect();
                let avail = self.cols.saturating_sub(width(&lead) + 2).max(1);
                for line in code.trim_end_matches('\n').lines() {
                    let mut rest = line.to_string();
                    loop {
                        let part = truncate(&rest, avail);
                        let taken = part
                            .len()
                            .max(rest.chars().next().map_or(0, char::len_utf8));
                        let mut spans = vec![Span::styled(lead.clone(), self.theme.quote)];
                        spans.push(Span::raw("  "));
                        spans.push(Span::styled(rest[..taken].to_string(), self.theme.code));
                        self.out.push(Line::from(spans));
                        rest = rest[taken..].to_string();
                        if rest.is_empty() {
                            break;
                        }
                    }
                }
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.in_item = false;
                    self.blank();
                }
            }
            TagEnd::Item => {
                self.flush();
                self.bullet = None;
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.styles.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str, cols: usize) -> Vec<String> {
        render(md, cols, &Theme::default())
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn a_line_break_inside_chinese_prose_adds_no_space() {
        let md = "最简单的想法是：\n把它们都设为零。\nThe end\nof it, `lr`\n的值。网络：\n10 层（\n`grad_norm`）";
        assert_eq!(
            plain(md, 80),
            ["最简单的想法是：把它们都设为零。The end of it, lr 的值。网络：10 层（grad_norm）"]
        );
    }

    #[test]
    fn renders_blocks_with_prefixes() {
        let md = "# Title\n\nSome *text* and `code`.\n\n- one\n- two words here\n\n> quoted\n\n```\nlet x = 1;\n```\n";
        let lines = plain(md, 12);
        assert_eq!(
            lines,
            [
                "Title",
                "",
                "Some text",
                "and code.",
                "",
                "- one",
                "- two words",
                "  here",
                "",
                "| quoted",
                "",
                "  let x = 1;",
            ]
        );
    }

    #[test]
    fn ordered_lists_count_and_pause_comments_vanish() {
        let lines = plain("1. a\n2. b\n\n<!-- pause -->\n", 20);
        assert_eq!(lines, ["1. a", "2. b"]);
    }

    #[test]
    fn every_line_fits_any_width() {
        let md = "## 零初始化\n\n当所有权重都为零时，隐藏层的每个单元计算相同的值，梯度也相同。\n\n- 列表 item with `inline code that is long`\n";
        // A double-width character needs two columns; from 2 on everything fits.
        for cols in 2..40 {
            for l in render(md, cols, &Theme::default()) {
                assert!(l.width() <= cols.max(1), "cols {cols}: {l:?}");
            }
        }
    }
}
