//! The knob panel: the step's knobs with value, range, and whether a change
//! applies live or restarts the run.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::demo::{Apply, Value};
use crate::tui::app::{App, LessonView};
use crate::tui::i18n::{T, fmt};
use crate::tui::text::{truncate, width};

/// Draws the knob panel of `v` into `area` (nothing if the step has none).
pub fn render(app: &App, v: &LessonView, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    if area.height == 1 {
        return render_line(app, v, area, buf);
    }
    if area.height < 3 || area.width < 8 {
        return;
    }
    let title = format!(
        " {} ",
        fmt(
            app.lang,
            T::Titled,
            &[&app.tr(T::KnobsTitle), &app.tr(T::KnobsKeys)]
        )
    );
    let border = if v.knob_focus {
        theme.title
    } else {
        theme.border
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(
            truncate(&title, area.width.saturating_sub(2) as usize),
            theme.title,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let (Some(params), Some(spec)) = (v.params(), v.current().and_then(|s| s.demo.as_ref())) else {
        return;
    };
    let knobs = v.knobs();
    let name_w = knobs.iter().map(|k| width(k)).max().unwrap_or(0);
    let overrides = v.state().map(|s| &s.overrides);
    // Keep the selected knob visible when the panel is shorter than the list.
    let rows = inner.height as usize;
    let first = v.knob.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = knobs
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, k)| {
            let Some(key) = spec.kind.key(k) else {
                return Line::from(k.clone());
            };
            let value = shown(params.get(k));
            let how = match key.apply {
                Apply::Live => app.tr(T::Live),
                _ => app.tr(T::Restarts),
            };
            let changed = overrides.is_some_and(|o| o.contains_key(k));
            let sel = i == v.knob;
            let mark = if sel && v.knob_focus { "> " } else { "  " };
            let name_style = if sel && v.knob_focus {
                theme.selected
            } else {
                theme.strong
            };
            let mut spans = vec![
                Span::raw(mark),
                Span::styled(format!("{k:<name_w$}"), name_style),
                Span::raw(" = "),
                Span::styled(value, if changed { theme.warn } else { theme.text }),
            ];
            // Whether it restarts matters more than the range, which may be
            // a long list of choices: it comes first.
            if changed {
                spans.push(Span::styled(
                    format!("  ({})", app.tr(T::Changed)),
                    theme.warn,
                ));
            }
            // The range that runs with the other keys as they are; then
            // whatever fits whole: a panel cut mid-word (`restar`) misleads.
            let range = match crate::tui::knobs::runnable_range(&params, key) {
                Some((min, max)) => fmt(app.lang, T::KnobRange, &[&min, &max]),
                None => key.range_text(spec.kind).text(app.lang),
            };
            let room = inner.width as usize;
            let used: usize = spans.iter().map(|s| width(&s.content)).sum();
            let full = format!("  {how}  {range}");
            let short = format!("  {how}");
            if used + width(&full) <= room {
                spans.push(Span::styled(full, theme.dim));
            } else if used + width(&short) <= room {
                spans.push(Span::styled(short, theme.dim));
            }
            Line::from(spans)
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// A knob value as typed: choices without TOML quotes.
pub fn shown(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The unfocused panel: `Knobs (Tab): std = 0.02, batch = 50` on one line,
/// changed values highlighted.
fn render_line(app: &App, v: &LessonView, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(params) = v.params() else {
        return;
    };
    let overrides = v.state().map(|s| &s.overrides);
    let mut spans = vec![Span::styled(
        // A full-width colon already leaves room after it.
        match app.tr(T::KnobsLine) {
            l if l.ends_with('：') => format!(" {l}"),
            l => format!(" {l} "),
        },
        theme.dim,
    )];
    // Whole knobs only: `lr = 0.` reads as a different value. Those that
    // do not fit are counted (`+2`); Tab shows them all.
    let room = area.width as usize;
    let used = |spans: &[Span]| spans.iter().map(|s| width(&s.content)).sum::<usize>();
    let knobs = v.knobs();
    for (i, k) in knobs.iter().enumerate() {
        let changed = overrides.is_some_and(|o| o.contains_key(k));
        let selected = v.knob_focus && i == v.knob;
        let sep = if i > 0 { ", " } else { "" };
        let value = shown(params.get(k));
        let rest = knobs.len() - i - 1;
        let need = width(sep) + width(k) + 3 + width(&value) + if rest > 0 { 6 } else { 0 };
        if used(&spans) + need > room && i > 0 {
            spans.push(Span::styled(format!(", +{}", knobs.len() - i), theme.dim));
            break;
        }
        spans.push(Span::styled(sep, theme.dim));
        spans.push(Span::styled(
            format!("{k} = "),
            if selected { theme.selected } else { theme.dim },
        ));
        spans.push(Span::styled(
            value,
            if changed { theme.warn } else { theme.text },
        ));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}
