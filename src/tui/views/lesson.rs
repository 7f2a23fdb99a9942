//! The lesson screen: header, prose (with prediction and hints), knob
//! panel, the demo's panels, notice and status line.
//!
//! The layout is a pure function of the terminal size and the view, so
//! `update` can clamp scrolling with the same numbers the view draws with.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::demo::Status;
use crate::lesson::{Answer, short};
use crate::tui::app::{App, LessonView, Reply};
use crate::tui::i18n::{Lang, T, fmt, tr};
use crate::tui::markdown;
use crate::tui::text::{num, truncate};
use crate::tui::theme::Theme;

/// Where each part of the lesson screen goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LessonLayout {
    pub header: Rect,
    pub prose: Rect,
    /// The prediction question while it waits for an answer, pinned below
    /// the scrolling prose so every choice is on screen on arrival.
    pub pinned: Rect,
    pub knobs: Rect,
    pub panels: Rect,
    pub notice: Rect,
    pub status: Rect,
}

/// Terminals at least this wide put prose and charts side by side.
pub const WIDE: u16 = 100;

/// Splits `area` for `v`: side by side when wide, stacked when narrow; a
/// step without a demo gives all the room to its prose. A question waiting
/// for its answer is pinned at the bottom of the prose column; when the
/// screen is stacked, the prose grows to hold it (the charts are still at
/// iteration 0 and can spare the rows).
pub fn layout(area: Rect, v: &LessonView, lang: Lang) -> LessonLayout {
    let row = |y: u16, h: u16| Rect::new(area.x, y, area.width, h);
    let h = area.height;
    let header = row(area.y, 1.min(h));
    let status = row(area.y + h.saturating_sub(1), 1.min(h));
    let notice = row(area.y + h.saturating_sub(2), u16::from(h >= 3));
    let body = Rect::new(area.x, area.y + 1, area.width, h.saturating_sub(3));
    let has_demo = v.current().is_some_and(|s| s.demo.is_some());
    let wide = area.width >= WIDE;
    let pinned_lines = |width: u16| -> u16 {
        match v.current().and_then(|s| s.predict.as_ref()) {
            Some(p) if v.waiting() => {
                let w = prose_width(Rect { width, ..area });
                pinned_lines(v, p, w, &Theme::default(), lang).len() as u16
            }
            _ => 0,
        }
    };
    let (mut prose, panels) = if !has_demo {
        (body, Rect::new(body.x, body.bottom(), body.width, 0))
    } else if wide {
        let pw = (area.width * 2 / 5).clamp(40, 64);
        (
            Rect { width: pw, ..body },
            Rect::new(body.x + pw, body.y, body.width - pw, body.height),
        )
    } else {
        // The numbers view needs rows more than the prose does.
        let ph = if v.numbers {
            body.height / 4
        } else {
            body.height * 2 / 5
        };
        // A waiting question, three lines of prose above it, and at
        // least one chart's minimum below; on a screen too short for both,
        // the question wins (the charts are at iteration 0 anyway).
        let pinned = pinned_lines(body.width);
        let want = pinned + 3 + u16::from(!v.knobs().is_empty());
        let room = if pinned + 2 + MIN_CHART_ROWS > body.height {
            body.height.saturating_sub(1)
        } else {
            body.height.saturating_sub(MIN_CHART_ROWS)
        };
        let ph = ph.max(want.min(room)).max(4).min(body.height);
        (
            Rect { height: ph, ..body },
            Rect::new(body.x, body.y + ph, body.width, body.height - ph),
        )
    };
    let n = v.knobs().len() as u16;
    let mut knobs = Rect::new(prose.x, prose.bottom(), prose.width, 0);
    if n > 0 {
        // A one-line summary until Tab focuses the panel, to leave room for prose.
        let kh = if v.knob_focus {
            (n + 2).min(prose.height / 2)
        } else {
            1
        };
        // Too little room for the box: the one-line form, focused or not.
        let kh = if kh < 3 { 1 } else { kh };
        if kh >= 3 || prose.height > 2 {
            knobs = Rect::new(prose.x, prose.bottom() - kh, prose.width, kh);
            prose.height -= kh;
        }
    }
    let mut pinned = Rect::new(prose.x, prose.bottom(), prose.width, 0);
    let want = pinned_lines(prose.width);
    if want > 0 {
        // Keep a row of prose above the question whenever there is room.
        let h = want
            .min(prose.height.saturating_sub(1))
            .max(prose.height.min(1));
        pinned = Rect::new(prose.x, prose.bottom() - h, prose.width, h);
        prose.height -= h;
    }
    LessonLayout {
        header,
        prose,
        pinned,
        knobs,
        panels,
        notice,
        status,
    }
}

fn size_rect(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
}

/// The prose column's text width (one column of margin each side).
fn prose_width(r: Rect) -> usize {
    r.width.saturating_sub(2).max(1) as usize
}

/// Rows the prose area shows at once (for PgUp/PgDn).
pub fn page_height(size: (u16, u16), v: &LessonView, lang: Lang) -> u16 {
    layout(size_rect(size), v, lang).prose.height
}

/// The largest useful scroll offset: the last line at the bottom.
pub fn max_scroll(size: (u16, u16), v: &LessonView, theme: &Theme, lang: Lang) -> u16 {
    let l = layout(size_rect(size), v, lang);
    let total = prose_lines(v, prose_width(l.prose), theme, lang).len();
    total
        .saturating_sub(l.prose.height as usize)
        .min(u16::MAX as usize) as u16
}

/// The current step's prose as lines: the first segment, the prediction
/// box, the later segments revealed so far, the reveal marker and the hints
/// shown so far.
pub fn prose_lines(v: &LessonView, width: usize, theme: &Theme, lang: Lang) -> Vec<Line<'static>> {
    let (Some(step), Some(st)) = (v.current(), v.state()) else {
        return vec![];
    };
    // The question comes right after the first segment (where lessons ask
    // it), before the text that explains the answer.
    let mut md = format!("## {}\n\n", step.title);
    if let Some(first) = step.segments.first() {
        md.push_str(first);
    }
    let mut lines = markdown::render(&md, width, theme);
    // A waiting question is drawn pinned, outside the scrolling text.
    if let Some(p) = &step.predict
        && !v.waiting()
    {
        lines.extend(predict_lines(v, p, width, theme, lang));
    }
    let mut md = String::new();
    for seg in step.segments.iter().take(st.reveal + 1).skip(1) {
        md.push_str(seg);
        md.push_str("\n\n");
    }
    if !md.is_empty() {
        lines.push(Line::default());
        lines.extend(markdown::render(&md, width, theme));
    }
    if st.reveal + 1 < step.segments.len() {
        lines.push(Line::default());
        lines.extend(crate::tui::text::wrap(
            &[(tr(lang, T::More).to_string(), theme.dim)],
            width,
            &[],
            &[],
        ));
    }
    let shown = if v.waiting() { 0 } else { st.hints };
    for (i, hint) in step.hints.iter().take(shown).enumerate() {
        lines.push(Line::default());
        lines.push(Line::styled(
            fmt(lang, T::HintTitle, &[&(i + 1), &step.hints.len()]),
            theme.warn,
        ));
        lines.extend(markdown::render(hint, width, theme));
    }
    lines
}

/// The waiting question as pinned: a rule, then the prediction box without
/// its blank lines, so it fits beside the prose on a small screen.
fn pinned_lines(
    v: &LessonView,
    p: &crate::lesson::Predict,
    width: usize,
    theme: &Theme,
    lang: Lang,
) -> Vec<Line<'static>> {
    let rule = Line::styled("\u{2500}".repeat(width), theme.dim);
    std::iter::once(rule)
        .chain(
            predict_lines(v, p, width, theme, lang)
                .into_iter()
                .filter(|l| l.width() > 0),
        )
        .collect()
}

/// The prediction box: question, then its choices and the keys to answer
/// (or the field a number is typed in), or the answer while the run goes
/// on, or the verdict and why.
fn predict_lines(
    v: &LessonView,
    p: &crate::lesson::Predict,
    width: usize,
    theme: &Theme,
    lang: Lang,
) -> Vec<Line<'static>> {
    let Some(st) = v.state() else {
        return vec![];
    };
    let wrap = |text: String, style| crate::tui::text::wrap(&[(text, style)], width, &[], &[]);
    let mut lines = Vec::new();
    let mut md = format!("**{}**\n\n{}\n\n", tr(lang, T::PredictTitle), p.question);
    for (i, c) in p.answer.choices().iter().enumerate() {
        md.push_str(&format!("{}. {c}\n", i + 1));
    }
    lines.push(Line::default());
    lines.extend(markdown::render(&md, width, theme));
    lines.push(Line::default());
    let Some(reply) = &st.answer else {
        match &p.answer {
            Answer::Choice { choices, .. } => lines.extend(wrap(
                fmt(lang, T::PredictKeys, &[&choices.len()]),
                theme.warn,
            )),
            Answer::Number(_) => {
                // The field, with a cursor while it takes the keys.
                let typing = v.typing && !v.knob_focus;
                let cursor = if typing { "_" } else { "" };
                let field = fmt(lang, T::NumberField, &[&format!("{}{cursor}", st.typed)]);
                lines.extend(wrap(field, theme.strong));
                let keys = if typing { T::TypingKeys } else { T::NumberKeys };
                lines.extend(wrap(tr(lang, keys).to_string(), theme.warn));
            }
        }
        return lines;
    };
    let said = match reply {
        Reply::Choice(a) => {
            let chosen = p.answer.choices().get(a - 1).cloned().unwrap_or_default();
            fmt(lang, T::YouChose, &[a, &chosen])
        }
        Reply::Number(t) => fmt(lang, T::YouSaid, &[t]),
    };
    let settled = v
        .run
        .as_ref()
        .is_none_or(|r| !matches!(r.snapshot.status, Some(Status::Running)));
    if !settled {
        let text = sentences(lang, &[said, tr(lang, T::Watching).to_string()]);
        lines.extend(wrap(text, theme.strong));
        return lines;
    }
    let right = reply.is_right(&p.answer);
    let mut text = vec![said];
    let mut expl = p.explanation.clone();
    match &p.answer {
        Answer::Choice { choices, right: r } if !right => {
            let correct = choices.get(*r).cloned().unwrap_or_default();
            text.push(fmt(lang, T::Wrong, &[&(r + 1), &correct]));
        }
        Answer::Choice { .. } => text.push(tr(lang, T::Right).to_string()),
        Answer::Number(n) => {
            let verdict = if right { T::Right } else { T::NotThisTime };
            text.push(tr(lang, verdict).to_string());
            // `±` is drawn two columns wide on some CJK terminals.
            let answer = n.show("+/-");
            let (low, high) = n.bounds();
            text.push(if n.margin() > 0.0 {
                fmt(lang, T::NumberAnswer, &[&answer, &short(low), &short(high)])
            } else {
                fmt(lang, T::NumberExact, &[&answer])
            });
        }
    }
    // What the run measured: in the verdict for a number (the student
    // compares it with theirs), after the explanation for a choice.
    if let (Some(m), Some(r)) = (&p.metric, &v.run) {
        match &p.answer {
            Answer::Number(_) => {
                if let Ok(x) = crate::lesson::expect::number_metric(&r.snapshot, m) {
                    text.push(fmt(lang, T::Measured, &[m, &num(x)]));
                }
            }
            Answer::Choice { .. } => {
                if let Some(val) = r.snapshot.metric(m) {
                    let shown = super::numbers::metric_text(val);
                    expl.push_str(&format!(" ({})", fmt(lang, T::Settled, &[m, &shown])));
                }
            }
        }
    }
    let style = if right { theme.good } else { theme.bad };
    lines.extend(wrap(sentences(lang, &text), style));
    lines.extend(markdown::render(&expl, width, theme));
    lines
}

/// Sentences joined as `lang` writes them: with a space in English, none
/// after Chinese full stops.
fn sentences(lang: Lang, parts: &[String]) -> String {
    parts.join(if lang == Lang::En { " " } else { "" })
}

/// Draws the lesson screen.
pub fn render(app: &App, v: &LessonView, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lang = app.lang;
    let l = layout(area, v, lang);
    // Header: lesson title and step.
    let n = v.lesson.steps.len();
    let step_title = v.current().map_or("", |s| s.title.as_str());
    let step = fmt(lang, T::Step, &[&(v.step + 1), &n]);
    let head = format!(
        " {} | {}",
        v.lesson.title,
        fmt(lang, T::Titled, &[&step, &step_title])
    );
    Paragraph::new(Line::styled(
        truncate(&head, l.header.width as usize),
        theme.title,
    ))
    .render(l.header, buf);

    // Prose, scrolled; one column of margin.
    let inner = Rect {
        x: l.prose.x + 1,
        width: l.prose.width.saturating_sub(2),
        ..l.prose
    };
    let lines = prose_lines(v, prose_width(l.prose), theme, lang);
    let skip = (v.scroll as usize).min(lines.len());
    Paragraph::new(lines[skip..].to_vec()).render(inner, buf);
    if l.pinned.height > 0
        && let Some(p) = v.current().and_then(|s| s.predict.as_ref())
    {
        let lines = pinned_lines(v, p, prose_width(l.pinned), theme, lang);
        Paragraph::new(lines).render(
            Rect {
                x: l.pinned.x + 1,
                width: l.pinned.width.saturating_sub(2),
                ..l.pinned
            },
            buf,
        );
    }

    super::knobs::render(app, v, l.knobs, buf);
    render_panels(app, v, l.panels, buf);
    super::status::render(app, l.notice, l.status, buf);
}

/// What a student may see of `snap` before answering the step's question:
/// no metric the question names, chart titles without their measurements,
/// and histograms without their bands and markers (an expected value drawn
/// as a band is the answer to "where do the sums cluster?").
pub fn masked(snap: &crate::demo::Snapshot, v: &LessonView) -> crate::demo::Snapshot {
    let metric = v
        .current()
        .and_then(|s| s.predict.as_ref())
        .and_then(|p| p.metric.as_deref());
    // Every run's value of the metric: `test_loss@2` as well as `test_loss`.
    let base =
        |name: &str| crate::demo::split_run(name).map_or(name.to_string(), |(b, _)| b.into());
    let hidden = metric.map(base);
    let mut snap = snap.clone();
    snap.metrics.retain(|(name, _)| Some(base(name)) != hidden);
    for p in &mut snap.panels {
        p.title = p.title.masked();
        if let crate::demo::PanelBody::Histogram { bands, markers, .. } = &mut p.body {
            bands.clear();
            markers.clear();
        }
    }
    snap
}

/// Rows a stacked chart needs to show any data: borders, legend, four plot
/// rows and the tick labels.
const MIN_CHART_ROWS: u16 = 8;

fn render_panels(app: &App, v: &LessonView, area: Rect, buf: &mut Buffer) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let theme = &app.theme;
    let message = |text: String, buf: &mut Buffer| {
        Paragraph::new(Line::styled(text, theme.warn))
            .wrap(Wrap { trim: true })
            .render(
                Rect {
                    x: area.x + 1,
                    width: area.width.saturating_sub(2),
                    ..area
                },
                buf,
            );
    };
    if let Some(e) = &v.run_error {
        message(fmt(app.lang, T::DemoError, &[&e.text(app.lang)]), buf);
        return;
    }
    let Some(run) = &v.run else {
        if v.current().is_some_and(|s| s.demo.is_some()) {
            message(app.tr(T::NoDemo).into(), buf);
        }
        return;
    };
    let masked = v.waiting().then(|| masked(run.shown(), v));
    let snap = masked.as_ref().unwrap_or(run.shown());
    let mut area = area;
    if let Some(Status::Diverged { at }) = snap.status {
        let text = fmt(app.lang, T::DivergedBanner, &[&at]);
        let lines = crate::tui::text::wrap(
            &[(text, theme.bad)],
            area.width.saturating_sub(2) as usize,
            &[],
            &[],
        );
        let h = (lines.len() as u16).min(area.height / 3);
        Paragraph::new(lines).render(
            Rect {
                x: area.x + 1,
                height: h,
                width: area.width.saturating_sub(2),
                ..area
            },
            buf,
        );
        area = Rect {
            y: area.y + h,
            height: area.height - h,
            ..area
        };
    }
    if v.numbers {
        let lines = super::numbers::lines(snap, app.lang, theme);
        let inner = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(1),
            ..area
        };
        // Wrapped, not clipped: a cut-off number reads as a different one.
        let lines: Vec<Line> = lines
            .iter()
            .flat_map(|l| {
                let spans: Vec<(String, ratatui::style::Style)> = l
                    .spans
                    .iter()
                    .map(|s| (s.content.to_string(), s.style))
                    .collect();
                let wrapped = crate::tui::text::wrap(&spans, inner.width.max(1) as usize, &[], &[]);
                if wrapped.is_empty() {
                    vec![Line::default()]
                } else {
                    wrapped
                }
            })
            .collect();
        let total = lines.len() as u16;
        let para = Paragraph::new(lines);
        if total <= inner.height {
            para.render(inner, buf);
            return;
        }
        // Longer than the pane: PgUp/PgDn scroll it, and the last row says so.
        let view = Rect {
            height: inner.height.saturating_sub(1),
            ..inner
        };
        let top = v.numbers_scroll.min(total.saturating_sub(view.height));
        para.scroll((top, 0)).render(view, buf);
        let more = fmt(app.lang, T::NumbersMore, &[&(top + 1), &total]);
        Paragraph::new(Line::styled(more, theme.dim).right_aligned()).render(
            Rect {
                y: view.bottom(),
                height: 1,
                ..inner
            },
            buf,
        );
        return;
    }
    let k = snap.panels.len() as u16;
    if k == 0 {
        return;
    }
    // Equal heights, stacked; the last panel takes the remainder.
    let each = area.height / k;
    if k > 1 && each < MIN_CHART_ROWS {
        // Too short to stack them all (80×24 with three charts): one chart
        // at full height beats three empty frames; `c` shows the next.
        let i = v.chart % k as usize;
        let hint = fmt(app.lang, T::ChartOf, &[&(i + 1), &k]);
        Paragraph::new(Line::styled(hint, theme.dim).right_aligned())
            .render(Rect { height: 1, ..area }, buf);
        super::panel::render_panel(
            &snap.panels[i],
            Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(1),
                ..area
            },
            buf,
            theme,
            app.lang,
        );
        return;
    }
    for (i, p) in snap.panels.iter().enumerate() {
        let y = area.y + each * i as u16;
        let h = if i as u16 + 1 == k {
            area.bottom() - y
        } else {
            each
        };
        super::panel::render_panel(p, Rect::new(area.x, y, area.width, h), buf, theme, app.lang);
    }
}
