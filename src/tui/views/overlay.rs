//! Windows over the screen: the help (generated from the keymap) and the
//! step index.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::tui::app::{App, Screen};
use crate::tui::i18n::{T, fmt, tr};
use crate::tui::keymap::{Ctx, KEYMAP};
use crate::tui::text::{truncate, width};

/// A centred rectangle of at most `w` x `h` inside `area`.
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn frame(title: &str, area: Rect, buf: &mut Buffer, app: &App) -> Rect {
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.title)
        .title(Span::styled(
            format!(
                " {} ",
                truncate(title, area.width.saturating_sub(4) as usize)
            ),
            app.theme.title,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// A cleared window at `rect` titled `title` in `style`, saying in its
/// bottom border how to scroll and close it; returns its inside.
fn scrolling_window(
    app: &App,
    title: &str,
    style: ratatui::style::Style,
    rect: Rect,
    buf: &mut Buffer,
) -> Rect {
    Clear.render(rect, buf);
    let room = rect.width.saturating_sub(4) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(format!(" {} ", truncate(title, room)), style))
        .title_bottom(Span::styled(
            format!(" {} ", truncate(app.tr(T::HelpClose), room)),
            app.theme.dim,
        ));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// The help lines: every binding, grouped by context, in the UI language.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = Vec::new();
    let key_w = KEYMAP
        .iter()
        .map(|b| {
            width(
                &b.keys
                    .iter()
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .max()
        .unwrap_or(0);
    for ctx in Ctx::ALL {
        let rows: Vec<_> = KEYMAP.iter().filter(|b| b.ctx == ctx).collect();
        if rows.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            tr(app.lang, ctx.title()).to_string(),
            theme.heading,
        ));
        for b in rows {
            let keys = b
                .keys
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" ");
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<key_w$}  "), theme.strong),
                Span::raw(tr(app.lang, b.help)),
            ]));
        }
    }
    lines
}

/// Draws the help overlay: two columns when it is taller than the window
/// and wide enough, scrolled by `scroll` lines otherwise.
pub fn render_help(app: &App, scroll: u16, area: Rect, buf: &mut Buffer) {
    let lines = help_lines(app);
    let n = lines.len();
    let col_w = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 2;
    let two = n as u16 + 2 > area.height && area.width >= 2 * col_w + 2;
    let rows = if two { n.div_ceil(2) } else { n } as u16;
    let w = if two { 2 * col_w + 2 } else { col_w + 2 };
    let rect = centred(area, w, rows + 2);
    let inner = scrolling_window(app, app.tr(T::HelpTitle), app.theme.title, rect, buf);
    let h = inner.height as usize;
    let columns: Vec<&[Line]> = if two {
        lines.chunks(n.div_ceil(2)).collect()
    } else {
        vec![&lines]
    };
    let cw = if two { inner.width / 2 } else { inner.width };
    for (c, col) in columns.iter().enumerate() {
        let skip = (scroll as usize).min(col.len().saturating_sub(h));
        let r = Rect {
            x: inner.x + c as u16 * cw,
            width: cw,
            ..inner
        };
        Paragraph::new(col[skip..].to_vec()).render(r, buf);
    }
}

/// Draws why a reload failed: every diagnostic whole, wrapped to the
/// window, scrolled by `scroll` lines.
pub fn render_problem(app: &App, text: &str, scroll: u16, area: Rect, buf: &mut Buffer) {
    let w = area.width.saturating_sub(4).max(10);
    let inner_w = w.saturating_sub(2).max(1) as usize;
    // Rows once wrapped; the caret lines keep their leading spaces.
    let rows: usize = text
        .lines()
        .map(|l| width(l).div_ceil(inner_w).max(1))
        .sum();
    let lines: Vec<Line> = text.lines().map(|l| Line::from(l.to_string())).collect();
    let h = (rows as u16 + 2).min(area.height.saturating_sub(2)).max(3);
    let rect = centred(area, w, h);
    let inner = scrolling_window(app, app.tr(T::ProblemTitle), app.theme.bad, rect, buf);
    let skip = (scroll as usize).min(rows.saturating_sub(inner.height as usize)) as u16;
    Paragraph::new(lines)
        .wrap(ratatui::widgets::Wrap { trim: false })
        .scroll((skip, 0))
        .render(inner, buf);
}

/// Draws the step index with `selected` highlighted.
pub fn render_jump(app: &App, selected: usize, area: Rect, buf: &mut Buffer) {
    let Screen::Lesson(v) = &app.screen else {
        return;
    };
    let seen = app.progress.lessons.get(&v.lesson.id).map(|lp| &lp.seen);
    let lines: Vec<Line> = v
        .lesson
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let here = if i == v.step { "*" } else { " " };
            let check = if seen.is_some_and(|s| s.contains(&i)) {
                "+"
            } else {
                " "
            };
            let text = format!("{here}{check} {}. {}", i + 1, s.title);
            let style = if i == selected {
                app.theme.selected
            } else {
                app.theme.text
            };
            Line::styled(text, style)
        })
        .collect();
    let w = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let title = fmt(
        app.lang,
        T::Titled,
        &[&app.tr(T::JumpTitle), &v.lesson.title],
    );
    let w = w.max(width(&title) as u16 + 6);
    let inner = frame(&title, centred(area, w, lines.len() as u16 + 2), buf, app);
    let rows = inner.height as usize;
    let first = selected.saturating_sub(rows.saturating_sub(1));
    Paragraph::new(lines.into_iter().skip(first).collect::<Vec<_>>()).render(inner, buf);
    let _ = fmt;
}
