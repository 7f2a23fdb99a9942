//! The bottom two rows: a notice (or the value prompt) and the status line
//! with step, iteration, run state, key metrics and key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::demo::{Metric, Status};
use crate::tui::app::{App, Overlay, Screen};
use crate::tui::i18n::{T, fmt, tr};
use crate::tui::keymap;
use crate::tui::text::{num, truncate, width};

/// The run-state and metrics parts of the status line, most important first.
pub fn status_parts(app: &App) -> Vec<String> {
    let lang = app.lang;
    let Screen::Lesson(v) = &app.screen else {
        return vec![tr(lang, T::AppName).to_string()];
    };
    let mut parts = vec![fmt(lang, T::Step, &[&(v.step + 1), &v.lesson.steps.len()])];
    if let Some(run) = &v.run {
        let snap = run.shown();
        parts.push(fmt(lang, T::Iteration, &[&snap.iteration, &snap.total]));
        let state = if v.waiting() {
            tr(lang, T::Waiting).to_string()
        } else if let Some(i) = run.scrub {
            fmt(lang, T::Replay, &[&(i + 1), &run.history.snaps.len()])
        } else {
            match run.snapshot.status {
                Some(Status::Diverged { at }) => fmt(lang, T::Diverged, &[&at]),
                Some(Status::Done) => tr(lang, T::Done).to_string(),
                _ if run.paused => tr(lang, T::Paused).to_string(),
                _ if v.speed != crate::tui::run::NORMAL_SPEED => fmt(
                    lang,
                    T::RunningAt,
                    &[&crate::tui::run::speed_label(v.speed)],
                ),
                _ => tr(lang, T::Running).to_string(),
            }
        };
        parts.push(state);
        if v.waiting() {
            // Any number here could state the answer before it is given.
            return parts;
        }
        // Key metrics: the prediction's metric, then those the step's text
        // names (in its order), then the first few others.
        let step = v.current();
        let text: String = step
            .map(|s| {
                s.segments
                    .iter()
                    .take(v.state().map_or(1, |st| st.reveal + 1))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let wanted = step
            .and_then(|s| s.predict.as_ref())
            .and_then(|p| p.metric.clone());
        let rank = |name: &str| -> (usize, usize) {
            if Some(name) == wanted.as_deref() {
                return (0, 0);
            }
            match mention(&text, name) {
                Some(at) => (1, at),
                None => (2, 0),
            }
        };
        let mut metrics: Vec<&(String, Metric)> = snap
            .metrics
            .iter()
            .filter(|(n, _)| n != "iteration")
            .collect();
        // Stable: unnamed metrics keep the demo's order.
        metrics.sort_by_key(|m| rank(&m.0));
        let mut shown = 0;
        for (name, m) in metrics {
            let named = rank(name).0 < 2;
            if shown == 4 {
                break;
            }
            match m {
                Metric::Num(x) => parts.push(format!("{name} {}", num(*x))),
                // An array is shown by its last entry, when the text names it.
                Metric::Nums(xs) if named => match xs.last() {
                    Some(x) => parts.push(fmt(lang, T::LastOf, &[name, &num(*x)])),
                    None => continue,
                },
                _ => continue,
            }
            shown += 1;
        }
    }
    parts
}

/// Where `text` names the metric `name` as a whole word, if it does.
fn mention(text: &str, name: &str) -> Option<usize> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(name)) {
        let at = from + i;
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = text.get(at + name.len()..).and_then(|t| t.chars().next());
        if !before.is_some_and(word) && !after.is_some_and(word) {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

/// Draws the notice row and the status row.
pub fn render(app: &App, notice: Rect, status: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lang = app.lang;
    if notice.height > 0 {
        let line = if let Some(Overlay::Input { key, text }) = &app.overlay {
            Line::from(vec![
                Span::styled(fmt(lang, T::InputPrompt, &[key]), theme.strong),
                Span::raw(format!("{text}_  ")),
                Span::styled(format!("({})", tr(lang, T::InputKeys)), theme.dim),
            ])
        } else if let Some(n) = &app.notice {
            let style = if n.error { theme.bad } else { theme.warn };
            Line::styled(
                format!(
                    " {}",
                    crate::tui::text::truncate_words(
                        &n.text,
                        notice.width.saturating_sub(1) as usize
                    )
                ),
                style,
            )
        } else {
            Line::default()
        };
        Paragraph::new(line).render(notice, buf);
    }
    if status.height == 0 {
        return;
    }
    let parts = status_parts(app);
    let hints: Vec<String> = keymap::hints(app.mode())
        .into_iter()
        .map(|(k, t)| format!("{k} {}", tr(lang, t)))
        .collect();
    let w = status.width as usize;
    // All hints if they fit beside the status, else only the help key,
    // which leads to every other (while a number is typed, `?` is typed
    // too: then the key that submits it).
    let all = format!("  {} ", hints.join("  "));
    let help = match hints.first() {
        Some(first) if app.mode() == keymap::Mode::Typing => format!("  {first} "),
        _ => format!("  ? {} ", tr(lang, T::HintHelp)),
    };
    let left = fit(&parts, w);
    let right = if width(&left) + width(&all) <= w {
        all
    } else {
        help
    };
    let text = if width(&right) + 10 <= w {
        let left = fit(&parts, w - width(&right));
        format!(
            "{left}{}{right}",
            " ".repeat(w - width(&left) - width(&right))
        )
    } else {
        truncate(&left, w)
    };
    let pad = w.saturating_sub(width(&text));
    Paragraph::new(Line::styled(
        format!("{text}{}", " ".repeat(pad)),
        theme.status,
    ))
    .render(status, buf);
}

/// As many whole parts as fit in `room` columns, joined by ` | ` (the first
/// part is truncated if even it does not fit).
fn fit(parts: &[String], room: usize) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        let piece = if i == 0 {
            format!(" {p}")
        } else {
            format!(" | {p}")
        };
        if width(&out) + width(&piece) > room {
            if i == 0 {
                return truncate(&piece, room);
            }
            break;
        }
        out.push_str(&piece);
    }
    out
}
