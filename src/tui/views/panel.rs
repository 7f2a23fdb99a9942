//! One demo [`Panel`] as a ratatui chart, whatever its body: series,
//! histogram, bars, heat grid or table. Non-finite numbers are dropped here
//! too, so no chart ever receives NaN or ∞ (ratatui's `Chart` can hang on one).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup as RBarGroup, Block, Borders, Chart, Dataset, GraphType,
    Paragraph, Widget,
};

use crate::demo::{self, Mark, Panel, PanelBody};
use crate::i18n::Lang;
use crate::tui::text::{num, truncate, width};
use crate::tui::theme::Theme;

use super::{layer, plot};

/// Draws `panel` with a titled border into `area`; the axis names go in
/// the bottom border so they never cover the data.
/// Labels come from the panel's messages in `lang`.
pub fn render_panel(panel: &Panel, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) {
    if area.width < 2 || area.height < 2 {
        return;
    }
    // The panel's id, which the prose names ("the **fits** chart"), sits
    // at the right of the top border when the title leaves room for it.
    let tag = format!(" {} ", panel.id);
    let room = area.width.saturating_sub(4) as usize;
    let title = panel.title.text(lang);
    // On a narrow panel the title matters more: the tag shows only if
    // both fit whole.
    let show_tag = room >= width(&tag) + 1 + width(&title) || room >= 50;
    let room = if show_tag {
        room - width(&tag) - 1
    } else {
        room
    };
    // A title too long for the border goes on in the panel's first row,
    // broken between words: the setting at its end is often the point.
    let (title, rest) = if width(&title) > room {
        let lines = crate::tui::text::wrap(&[(title.clone(), theme.title)], room.max(1), &[], &[]);
        let head: String = lines
            .first()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .unwrap_or_default();
        let head = head.trim_end();
        match title.strip_prefix(head) {
            Some(tail) if !head.is_empty() => {
                (head.to_string(), Some(tail.trim_start().to_string()))
            }
            _ => (
                format!("{}~", truncate(&title, room.saturating_sub(1))),
                None,
            ),
        }
    } else {
        (title, None)
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    if show_tag {
        block = block.title(Line::styled(tag, theme.dim).right_aligned());
    }
    if !matches!(panel.body, PanelBody::Table { .. }) {
        let (y, x) = plot::axis_names(
            &panel.x.label.text(lang),
            &panel.y.label.text(lang),
            area.width.saturating_sub(2) as usize,
        );
        block = block
            .title_bottom(Line::styled(y, theme.dim).left_aligned())
            .title_bottom(Line::styled(x, theme.dim).right_aligned());
    }
    let mut inner = block.inner(area);
    block.render(area, buf);
    if let Some(rest) = rest.filter(|r| !r.is_empty())
        && inner.height > 4
    {
        let w = inner.width.saturating_sub(1) as usize;
        let text = if width(&rest) > w {
            format!("{}~", truncate(&rest, w.saturating_sub(1)))
        } else {
            rest
        };
        Paragraph::new(Line::styled(format!(" {text}"), theme.title))
            .render(Rect { height: 1, ..inner }, buf);
        inner.y += 1;
        inner.height -= 1;
    }
    // Charts need room for axis labels and at least a few dots.
    if inner.width < 12 || inner.height < 4 {
        return;
    }
    match &panel.body {
        PanelBody::Series { series } => render_series(panel, series, inner, buf, theme, lang),
        PanelBody::Histogram {
            bins,
            bands,
            markers,
        } => render_histogram(panel, (bins, bands, markers), inner, buf, theme, lang),
        PanelBody::Bars { categories, groups } => {
            render_bars(panel, categories, groups, inner, buf, theme, lang)
        }
        PanelBody::Heat {
            nx,
            ny,
            values,
            shade,
            overlay,
        } => super::heat::render_heat(
            panel,
            (*nx, *ny, values, shade),
            overlay,
            inner,
            buf,
            theme,
            lang,
        ),
        PanelBody::Table { header, rows } => {
            let (header, rows) = crate::headless::table_text(header, rows, lang);
            let lines = super::numbers::table(&header, &rows, theme);
            Paragraph::new(lines).render(inner, buf);
        }
    }
}

/// How the axes of a chart are scaled.
pub struct Scale {
    pub x: [f64; 2],
    pub x_fixed: bool,
    pub x_integer: bool,
    pub y: [f64; 2],
    pub y_fixed: bool,
    pub y_integer: bool,
    /// `y` and the drawn values are log10 of the data: ticks fall on
    /// decades and read as the data's values.
    pub y_log: bool,
    /// Labels for the x axis instead of tick values (bar categories).
    pub x_labels: Option<Vec<(f64, String)>>,
}

impl Scale {
    /// `panel`'s axes over the bounds `bx`, `by` (log10 ones for a log y).
    pub fn of(panel: &Panel, bx: [f64; 2], by: [f64; 2]) -> Scale {
        Scale {
            x: bx,
            x_fixed: panel.x.bounds.is_some(),
            x_integer: panel.x.integer,
            y: by,
            y_fixed: panel.y.bounds.is_some(),
            y_integer: panel.y.integer,
            y_log: panel.y.log,
            x_labels: None,
        }
    }
}

/// What goes in a chart's plot area.
pub enum Data<'a> {
    /// ratatui datasets, one canvas layer each (markers that differ per
    /// series, as under `NO_COLOR`).
    Datasets(Vec<Dataset<'a>>),
    /// Braille items merged into one layer, in order (see [`layer`]).
    Merged(Vec<layer::Item<'a>>),
}

/// Legend rows, axes with round ticks, then `data` in the plot area;
/// returns the plot area and the final bounds.
pub fn plot_chart(
    entries: &[plot::Entry],
    data: Data,
    scale: Scale,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) -> (Rect, [f64; 2], [f64; 2]) {
    let legend_rows = (area.height / 5).clamp(1, 3);
    let area = plot::legend(entries, legend_rows, area, buf, theme);
    let plot_h = area.height.saturating_sub(2) as usize;
    let (by, yv) = plot::ticks(
        scale.y,
        scale.y_fixed,
        scale.y_integer || scale.y_log,
        (plot_h.saturating_sub(1) / 2).clamp(1, 4),
    );
    let label = |v: f64| (v, num(if scale.y_log { 10f64.powf(v) } else { v }));
    let yl: Vec<(f64, String)> = yv.into_iter().map(label).collect();
    let y_ends = [label(by[0]), label(by[1])];
    let (bx, xl) = match scale.x_labels {
        Some(l) => (scale.x, l),
        None => {
            let (bx, xv) = plot::ticks(
                scale.x,
                scale.x_fixed,
                scale.x_integer,
                (area.width as usize / 12).clamp(2, 6),
            );
            (bx, xv.into_iter().map(|v| (v, num(v))).collect())
        }
    };
    let plot = plot::frame(bx, &xl, by, (&yl, &y_ends), area, buf, theme);
    match data {
        Data::Datasets(datasets) => Chart::new(datasets)
            .x_axis(Axis::default().bounds(bx))
            .y_axis(Axis::default().bounds(by))
            .render(plot, buf),
        Data::Merged(items) => layer::render(&items, bx, by, plot, buf),
    }
    (plot, bx, by)
}

/// The legend entry of a chart series drawn with `marker` in `color`.
pub fn entry(name: &str, line: bool, marker: Marker, color: Color, theme: &Theme) -> plot::Entry {
    let mono = match (theme.mono, marker) {
        (true, Marker::Dot) => Some("••"),
        (true, Marker::Block) => Some("██"),
        _ => None,
    };
    plot::Entry {
        sample: plot::sample(line, mono, Style::new().fg(color)),
        name: name.to_string(),
    }
}

pub(super) fn finite(p: &[f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

/// At most `max` evenly spaced points, always keeping the last.
pub(super) fn decimate(points: &[[f64; 2]], max: usize) -> Vec<(f64, f64)> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| finite(p))
        .map(|p| (p[0], p[1]))
        .collect();
    if pts.len() <= max.max(2) {
        return pts;
    }
    let stride = pts.len().div_ceil(max.max(2));
    let mut out: Vec<(f64, f64)> = pts.iter().step_by(stride).copied().collect();
    if out.last() != pts.last() {
        out.extend(pts.last());
    }
    out
}

/// The axis bounds: fixed ones if given and finite, else the data's extent
/// (widened when flat so the chart has a non-empty range; the ticks then
/// round it outwards).
pub(super) fn bounds(fixed: Option<[f64; 2]>, values: impl Iterator<Item = f64>) -> [f64; 2] {
    if let Some([lo, hi]) = fixed
        && lo.is_finite()
        && hi.is_finite()
        && hi > lo
    {
        return [lo, hi];
    }
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return [0.0, 1.0];
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1e-300) {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return [lo - pad, hi + pad];
    }
    [lo, hi]
}

/// A marker per series: colour tells series apart, or under `NO_COLOR`
/// the dot pattern does.
fn marker(theme: &Theme, i: usize) -> Marker {
    if theme.mono {
        [Marker::Braille, Marker::Dot, Marker::Block][i % 3]
    } else {
        Marker::Braille
    }
}

fn render_series(
    panel: &Panel,
    series: &[demo::Series],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    lang: Lang,
) {
    let max = 4 * area.width as usize;
    let mut data: Vec<Vec<(f64, f64)>> = series.iter().map(|s| decimate(&s.points, max)).collect();
    let log = panel.y.log;
    let mut fixed_y = panel.y.bounds;
    if log {
        // Drawn as log10; a value ≤ 0 has no place on the axis.
        for d in &mut data {
            d.retain(|p| p.1 > 0.0);
            d.iter_mut().for_each(|p| p.1 = p.1.log10());
        }
        fixed_y = fixed_y.filter(|b| b[0] > 0.0).map(|b| b.map(f64::log10));
    }
    let bx = bounds(panel.x.bounds, data.iter().flatten().map(|p| p.0));
    let by = bounds(fixed_y, data.iter().flatten().map(|p| p.1));
    let by = if fixed_y.is_some() || log {
        by
    } else {
        plot::from_zero(by)
    };
    let mut entries = Vec::new();
    let groups = demo::name_groups(series);
    for (s, &i) in series.iter().zip(&groups) {
        // The group's first series: groups are numbered as they appear.
        if i == entries.len() {
            entries.push(entry(
                &s.name.text(lang),
                s.mark != Mark::Points,
                marker(theme, i),
                theme.series_color(i),
                theme,
            ));
        }
    }
    // References go on top of the data they are compared with.
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by_key(|&k| series[k].mark == Mark::Reference);
    let drawn = if theme.mono {
        Data::Datasets(
            order
                .iter()
                .map(|&k| {
                    let i = groups[k];
                    Dataset::default()
                        .marker(marker(theme, i))
                        .graph_type(match series[k].mark {
                            Mark::Line | Mark::Reference => GraphType::Line,
                            Mark::Points => GraphType::Scatter,
                        })
                        .style(Style::new().fg(theme.series_color(i)))
                        .data(&data[k])
                })
                .collect(),
        )
    } else {
        Data::Merged(
            order
                .iter()
                .map(|&k| layer::Item {
                    data: &data[k],
                    draw: match series[k].mark {
                        Mark::Line => layer::Draw::Line,
                        Mark::Points => layer::Draw::Points,
                        Mark::Reference => layer::Draw::Dashed,
                    },
                    color: theme.series_color(groups[k]),
                })
                .collect(),
        )
    };
    // One series is named by the title and the y axis already.
    if entries.len() < 2 {
        entries.clear();
    }
    let scale = Scale::of(panel, bx, by);
    plot_chart(&entries, drawn, scale, area, buf, theme);
}

/// A histogram's drawn part: its points, whether they are bars, and its
/// series index (colour).
type Part<'a> = (&'a [(f64, f64)], bool, usize);

fn render_histogram(
    panel: &Panel,
    (bins, bands, markers): (&[demo::Bin], &[demo::Band], &[demo::Marker]),
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    lang: Lang,
) {
    let bins: Vec<&demo::Bin> = bins
        .iter()
        .filter(|b| b.lo.is_finite() && b.hi.is_finite() && b.count.is_finite())
        .collect();
    let bars: Vec<(f64, f64)> = bins
        .iter()
        .map(|b| ((b.lo + b.hi) / 2.0, b.count))
        .collect();
    let peak = bins.iter().map(|b| b.count).fold(0.0, f64::max).max(1.0);
    let bands: Vec<&demo::Band> = bands
        .iter()
        .filter(|b| b.lo.is_finite() && b.hi.is_finite())
        .collect();
    // Band brackets stack above the tallest bar (narrowest lowest), so they
    // mark their interval without cutting through the bars.
    let top = peak * (1.06 + 0.1 * bands.len() as f64);
    let bx = bounds(
        panel.x.bounds,
        bins.iter()
            .flat_map(|b| [b.lo, b.hi])
            .chain(markers.iter().map(|m| m.x)),
    );
    let band_data: Vec<Vec<(f64, f64)>> = bands
        .iter()
        .enumerate()
        .map(|(k, b)| {
            let h = peak * (1.04 + 0.1 * k as f64);
            vec![(b.lo, 0.0), (b.lo, h), (b.hi, h), (b.hi, 0.0)]
        })
        .collect();
    let marker_data: Vec<Vec<(f64, f64)>> = markers
        .iter()
        .filter(|m| m.x.is_finite())
        .map(|m| vec![(m.x, 0.0), (m.x, top)])
        .collect();
    let mut entries = vec![entry(
        &panel.y.label.text(lang),
        true,
        Marker::Braille,
        theme.series_color(0),
        theme,
    )];
    // (points, drawn as bars, series index), bars first: bands and
    // markers are drawn over them.
    let mut parts: Vec<Part> = vec![(&bars, true, 0)];
    for (k, (b, d)) in bands.iter().zip(&band_data).enumerate() {
        let (mk, color) = (marker(theme, k + 1), theme.series_color(k + 1));
        entries.push(entry(&b.label.text(lang), true, mk, color, theme));
        parts.push((d, false, k + 1));
    }
    for (k, (m, d)) in markers.iter().zip(&marker_data).enumerate() {
        let i = bands.len() + k + 1;
        let (mk, color) = (marker(theme, i), theme.series_color(i));
        entries.push(entry(&m.label.text(lang), true, mk, color, theme));
        parts.push((d, false, i));
    }
    let drawn = if theme.mono {
        Data::Datasets(
            parts
                .iter()
                .map(|&(d, bar, i)| {
                    Dataset::default()
                        .marker(if bar {
                            Marker::Braille
                        } else {
                            marker(theme, i)
                        })
                        .graph_type(if bar { GraphType::Bar } else { GraphType::Line })
                        .style(Style::new().fg(theme.series_color(i)))
                        .data(d)
                })
                .collect(),
        )
    } else {
        Data::Merged(
            parts
                .iter()
                .map(|&(data, bar, i)| layer::Item {
                    data,
                    draw: if bar {
                        layer::Draw::Bars
                    } else {
                        layer::Draw::Line
                    },
                    color: theme.series_color(i),
                })
                .collect(),
        )
    };
    if entries.len() < 2 {
        entries.clear();
    }
    let scale = Scale {
        y_fixed: false,
        y_log: false,
        ..Scale::of(panel, bx, [0.0, top])
    };
    plot_chart(&entries, drawn, scale, area, buf, theme);
}

fn render_bars(
    panel: &Panel,
    categories: &[String],
    groups: &[demo::BarGroup],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    lang: Lang,
) {
    let value = |g: &demo::BarGroup, c: usize| {
        g.values
            .get(c)
            .copied()
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    };
    let n = categories.len();
    let g = groups.len().max(1);
    let negative = groups.iter().any(|gr| (0..n).any(|c| value(gr, c) < 0.0));
    let entries: Vec<plot::Entry> = groups
        .iter()
        .enumerate()
        .map(|(i, gr)| {
            entry(
                &gr.name.text(lang),
                true,
                Marker::Block,
                theme.series_color(i),
                theme,
            )
        })
        .collect();
    let area = if entries.len() > 1 {
        plot::legend(&entries, 1, area, buf, theme)
    } else {
        area
    };
    let slots = n * (g + 1);
    if !negative && n > 0 && slots <= area.width as usize {
        let max = groups
            .iter()
            .flat_map(|gr| (0..n).map(|c| value(gr, c)))
            .fold(0.0, f64::max);
        let bar_width = ((area.width as usize / slots).max(1)) as u16;
        let mut chart = BarChart::default()
            .bar_width(bar_width)
            .bar_gap(0)
            .group_gap(1)
            .max(1000)
            .label_style(theme.dim);
        for (c, cat) in categories.iter().enumerate() {
            let bars: Vec<Bar> = groups
                .iter()
                .enumerate()
                .map(|(i, gr)| {
                    let v = value(gr, c);
                    let text = num(v);
                    let scaled = if max > 0.0 {
                        (v / max * 1000.0).round() as u64
                    } else {
                        0
                    };
                    Bar::default()
                        .value(scaled)
                        .text_value(if width(&text) <= bar_width as usize {
                            text
                        } else {
                            String::new()
                        })
                        .style(Style::new().fg(theme.series_color(i)))
                })
                .collect();
            chart = chart.data(
                RBarGroup::default()
                    .label(Line::from(cat.clone()))
                    .bars(&bars),
            );
        }
        chart.render(area, buf);
        return;
    }
    // Negative values or too many bars: vertical lines on a numeric axis.
    let data: Vec<Vec<(f64, f64)>> = groups
        .iter()
        .enumerate()
        .map(|(i, gr)| {
            let off = (i as f64 - (g as f64 - 1.0) / 2.0) * 0.6 / g as f64;
            (0..n).map(|c| (c as f64 + off, value(gr, c))).collect()
        })
        .collect();
    let bx = if n > 1 {
        [-0.4, n as f64 - 0.6]
    } else {
        [-0.5, 0.5]
    };
    let by = bounds(
        panel.y.bounds,
        data.iter().flatten().map(|p| p.1).chain([0.0]),
    );
    let datasets = groups
        .iter()
        .zip(&data)
        .enumerate()
        .map(|(i, (_, d))| {
            Dataset::default()
                .marker(marker(theme, i))
                .graph_type(GraphType::Bar)
                .style(Style::new().fg(theme.series_color(i)))
                .data(d)
        })
        .collect();
    let x_labels: Vec<(f64, String)> = categories
        .iter()
        .enumerate()
        .map(|(c, name)| (c as f64, name.clone()))
        .collect();
    let scale = Scale {
        x_fixed: true,
        x_labels: Some(x_labels),
        y_log: false,
        ..Scale::of(panel, bx, by)
    };
    plot_chart(&[], Data::Datasets(datasets), scale, area, buf, theme);
}
