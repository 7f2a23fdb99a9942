//! The lesson list: titles, summaries, progress, and broken files with
//! their first diagnostic.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::app::App;
use crate::tui::i18n::{T, fmt, tr};
use crate::tui::text::{truncate, width};

/// Rows each list entry takes (title and summary).
const ROWS: usize = 2;

/// The selected lesson's steps (seen, predictions) and where it came from.
fn detail_lines(app: &App, items: &[crate::tui::app::Item]) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let Some(Ok(lesson)) = items.get(app.selected).map(|it| &it.entry.lesson) else {
        return vec![];
    };
    let lp = app.progress.lessons.get(&lesson.id);
    let mut lines = vec![Line::styled(lesson.title.clone(), theme.heading)];
    for (i, step) in lesson.steps.iter().enumerate() {
        let seen = lp.is_some_and(|lp| lp.seen.contains(&i));
        let mark = if seen { "+ " } else { "  " };
        let mut spans = vec![
            Span::styled(mark, theme.good),
            Span::raw(format!("{}. {}", i + 1, step.title)),
        ];
        match lp.and_then(|lp| lp.predictions.get(&i)) {
            Some(true) => spans.push(Span::styled(
                format!("  ({})", app.tr(T::PredictedRight)),
                theme.good,
            )),
            Some(false) => spans.push(Span::styled(
                format!("  ({})", app.tr(T::PredictedWrong)),
                theme.bad,
            )),
            None => {}
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(lesson.origin.clone(), theme.dim));
    lines
}

/// Draws the lesson list.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lang = app.lang;
    let w = area.width as usize;
    let head = format!(" {}: {}", tr(lang, T::AppName), tr(lang, T::CatalogTitle));
    Paragraph::new(Line::styled(truncate(&head, w), theme.title))
        .render(Rect { height: 1, ..area }, buf);
    let items = app.items();
    let room = area.height.saturating_sub(5);
    let detail = detail_lines(app, &items);
    // The selected lesson's steps go under the list when there is room.
    let want = (items.len() * ROWS) as u16;
    let list_h = if want + 1 + detail.len() as u16 <= room {
        want
    } else if room >= 16 && !detail.is_empty() {
        room * 2 / 3
    } else {
        room
    };
    let list = Rect::new(area.x, area.y + 2, area.width, list_h);
    let detail_area = Rect::new(
        area.x + 2,
        list.bottom() + 1,
        area.width.saturating_sub(2),
        room.saturating_sub(list_h + 1),
    );
    Paragraph::new(detail).render(detail_area, buf);
    if items.is_empty() {
        Paragraph::new(Line::styled(
            truncate(tr(lang, T::CatalogEmpty), w),
            theme.warn,
        ))
        .render(list, buf);
    }
    // Scroll so the selection is visible (a pure function of the selection).
    let per_page = (list.height as usize / ROWS).max(1);
    let first = app.selected.saturating_sub(per_page - 1);
    let mut lines: Vec<Line> = Vec::new();
    for (i, item) in items.iter().enumerate().skip(first).take(per_page) {
        let sel = i == app.selected;
        let marker = if sel { "> " } else { "  " };
        match &item.entry.lesson {
            Ok(lesson) => {
                let mut right = Vec::new();
                if let Some(lp) = app.progress.lessons.get(&lesson.id) {
                    right.push(fmt(
                        lang,
                        T::StepsSeen,
                        &[&lp.seen.len().min(lesson.steps.len()), &lesson.steps.len()],
                    ));
                    let asked = lesson.steps.iter().filter(|s| s.predict.is_some()).count();
                    if asked > 0 {
                        let ok = lp.predictions.values().filter(|&&r| r).count();
                        right.push(fmt(lang, T::PredictionsRight, &[&ok, &asked]));
                    }
                }
                if item.fallback {
                    let name = crate::tui::update::lang_name(lang, &item.entry.lang);
                    right.push(fmt(lang, T::OnlyIn, &[&name]));
                }
                let right = right.join(", ");
                let title = format!("{marker}{}. {}", i + 1, lesson.title);
                let room = w.saturating_sub(width(&right) + 2);
                let title = truncate(&title, room.max(w / 2));
                let gap = w.saturating_sub(width(&title) + width(&right) + 1);
                let style = if sel { theme.selected } else { theme.strong };
                let mut spans = vec![Span::styled(title.clone(), style)];
                if width(&title) + width(&right) < w {
                    spans.push(Span::raw(" ".repeat(gap)));
                    spans.push(Span::styled(right, theme.dim));
                }
                lines.push(Line::from(spans));
                let summary = lesson.summary.clone().unwrap_or_default();
                lines.push(Line::styled(
                    truncate(&format!("     {summary}"), w),
                    theme.dim,
                ));
            }
            Err(diags) => {
                let style = if sel { theme.selected } else { theme.bad };
                let first = diags.first().map_or(String::new(), |d| d.headline(lang));
                lines.push(Line::styled(
                    truncate(&format!("{marker}! {}", item.entry.origin), w),
                    style,
                ));
                lines.push(Line::styled(
                    truncate(&format!("     {}", fmt(lang, T::Broken, &[&first])), w),
                    theme.bad,
                ));
            }
        }
    }
    Paragraph::new(lines).render(list, buf);
    let notice = Rect::new(area.x, area.bottom().saturating_sub(2), area.width, 1);
    let status = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    super::status::render(app, notice, status, buf);
}
