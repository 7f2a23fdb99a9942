//! The numbers view: every panel as a table of its numbers, so nothing is
//! only a picture (screen readers, grading, copying into notes).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::demo::{Metric, PanelBody, Snapshot};
use crate::tui::i18n::{Lang, T, fmt, tr};
use crate::tui::text::{num, width};
use crate::tui::theme::Theme;

/// A text table whose columns are aligned by display width.
pub fn table(header: &[String], rows: &[Vec<String>], theme: &Theme) -> Vec<Line<'static>> {
    let cols = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0; cols];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let line = |row: &[String], style: Style| {
        let mut spans = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i] - width(cell);
            // Numbers align right, text left.
            let numeric = cell.parse::<f64>().is_ok();
            let text = if numeric {
                format!("{}{cell}", " ".repeat(pad))
            } else {
                format!("{cell}{}", " ".repeat(pad))
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw("  "));
        }
        Line::from(spans)
    };
    let mut out = Vec::new();
    if !header.is_empty() {
        out.push(line(header, theme.strong));
    }
    out.extend(rows.iter().map(|r| line(r, theme.text)));
    out
}

/// A metric as a student reads it: numbers rounded, arrays as short lists.
pub fn metric_text(m: &Metric) -> String {
    const LIST_MAX: usize = 64;
    match m {
        Metric::Num(x) => num(*x),
        Metric::Nums(v) => {
            // Whole lists: the prose names layer 10 of 10, and a cut list
            // hides it. Only a list longer than a screen is cut.
            let shown: Vec<String> = v.iter().take(LIST_MAX).map(|x| num(*x)).collect();
            if v.len() > LIST_MAX {
                format!("[{}, ...] ({} values)", shown.join(", "), v.len())
            } else {
                format!("[{}]", shown.join(", "))
            }
        }
        Metric::Text(s) => s.clone(),
        Metric::Bool(b) => b.to_string(),
    }
}

/// The snapshot's metrics and every panel's numbers, as lines.
pub fn lines(snap: &Snapshot, lang: Lang, theme: &Theme) -> Vec<Line<'static>> {
    let h = |t: T| tr(lang, t).to_string();
    let mut out = Vec::new();
    let rows: Vec<Vec<String>> = snap
        .metrics
        .iter()
        .map(|(n, m)| vec![n.clone(), metric_text(m)])
        .collect();
    out.extend(table(
        &[h(T::NumbersMetric), h(T::NumbersValue)],
        &rows,
        theme,
    ));
    for p in &snap.panels {
        out.push(Line::default());
        out.push(Line::styled(
            format!("{} ({} / {})", p.title, p.x.label, p.y.label),
            theme.heading,
        ));
        match &p.body {
            PanelBody::Series { series } => {
                let rows: Vec<Vec<String>> = series
                    .iter()
                    .map(|s| {
                        let ys = s.points.iter().map(|p| p[1]);
                        let min = ys.clone().fold(f64::INFINITY, f64::min);
                        let max = ys.fold(f64::NEG_INFINITY, f64::max);
                        let last = s.points.last();
                        let f =
                            |x: Option<f64>| x.filter(|v| v.is_finite()).map_or("-".into(), num);
                        vec![
                            s.name.text(lang),
                            s.points.len().to_string(),
                            f(last.map(|p| p[0])),
                            f(last.map(|p| p[1])),
                            f(Some(min)),
                            f(Some(max)),
                        ]
                    })
                    .collect();
                let header = [
                    T::NumbersSeries,
                    T::NumbersPoints,
                    T::NumbersLastX,
                    T::NumbersLastY,
                    T::NumbersMin,
                    T::NumbersMax,
                ]
                .map(h);
                out.extend(table(&header, &rows, theme));
            }
            PanelBody::Histogram {
                bins,
                bands,
                markers,
            } => {
                let total: f64 = bins.iter().map(|b| b.count).sum();
                if let Some(top) = bins.iter().max_by(|a, b| a.count.total_cmp(&b.count)) {
                    let text = fmt(
                        lang,
                        T::NumbersBins,
                        &[
                            &bins.len(),
                            &num(total),
                            &num(top.lo),
                            &num(top.hi),
                            &num(top.count),
                        ],
                    );
                    out.push(Line::from(text));
                }
                let mut rows: Vec<Vec<String>> = bands
                    .iter()
                    .map(|b| vec![h(T::NumbersBand), b.label.text(lang), num(b.lo), num(b.hi)])
                    .collect();
                rows.extend(markers.iter().map(|m| {
                    vec![
                        h(T::NumbersMarker),
                        m.label.text(lang),
                        num(m.x),
                        String::new(),
                    ]
                }));
                out.extend(table(&[], &rows, theme));
            }
            PanelBody::Bars { categories, groups } => {
                let mut header = vec![h(T::NumbersCategory)];
                header.extend(groups.iter().map(|g| g.name.text(lang)));
                let rows: Vec<Vec<String>> = categories
                    .iter()
                    .enumerate()
                    .map(|(c, cat)| {
                        let mut row = vec![cat.clone()];
                        row.extend(
                            groups
                                .iter()
                                .map(|g| g.values.get(c).map_or("-".into(), |v| num(*v))),
                        );
                        row
                    })
                    .collect();
                out.extend(table(&header, &rows, theme));
            }
            PanelBody::Heat {
                nx,
                ny,
                values,
                shade,
                overlay,
            } => {
                let finite = values.iter().copied().filter(|v| v.is_finite());
                let lo = finite.clone().fold(f64::INFINITY, f64::min);
                let hi = finite.fold(f64::NEG_INFINITY, f64::max);
                out.push(Line::from(fmt(
                    lang,
                    T::NumbersGrid,
                    &[nx, ny, &num(lo), &num(hi), &shade.text(lang)],
                )));
                let rows: Vec<Vec<String>> = overlay
                    .iter()
                    .map(|s| {
                        let last = s.points.last();
                        vec![
                            s.name.text(lang),
                            s.points.len().to_string(),
                            last.map_or("-".into(), |p| num(p[0])),
                            last.map_or("-".into(), |p| num(p[1])),
                        ]
                    })
                    .collect();
                let header = [
                    T::NumbersSeries,
                    T::NumbersPoints,
                    T::NumbersLastX,
                    T::NumbersLastY,
                ]
                .map(h);
                out.extend(table(&header, &rows, theme));
            }
            PanelBody::Table { header, rows } => {
                let (header, rows) = crate::headless::table_text(header, rows, lang);
                out.extend(table(&header, &rows, theme))
            }
        }
    }
    out
}
