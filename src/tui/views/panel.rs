//! One demo [`Panel`] as a ratatui chart, whatever its body: series,
//! histogram, bars, heat grid or table. Non-finite numbers are dropped here
//! too, so no chart ever receives NaN or ∞ (ratatui's `Chart` can hang on one).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup as RBarGroup, Block, Borders, Chart, Dataset, GraphType,
    LegendPosition, Paragraph, Widget,
};

use crate::demo::{self, Mark, Panel, PanelBody};
use crate::tui::text::{num, truncate, width};
use crate::tui::theme::Theme;

/// Draws `panel` with a titled border into `area`.
pub fn render_panel(panel: &Panel, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.width < 2 || area.height < 2 {
        return;
    }
    let title = truncate(&panel.title, area.width.saturating_sub(4) as usize);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    // Charts need room for axis labels and at least a few dots.
    if inner.width < 12 || inner.height < 4 {
        return;
    }
    match &panel.body {
        PanelBody::Series { series } => render_series(panel, series, inner, buf, theme),
        PanelBody::Histogram {
            bins,
            bands,
            markers,
        } => render_histogram(panel, bins, bands, markers, inner, buf, theme),
        PanelBody::Bars { categories, groups } => {
            render_bars(panel, categories, groups, inner, buf, theme)
        }
        PanelBody::Heat {
            nx,
            ny,
            values,
            overlay,
        } => render_heat(panel, (*nx, *ny, values), overlay, inner, buf, theme),
        PanelBody::Table { header, rows } => {
            let lines = super::numbers::table(header, rows, theme);
            Paragraph::new(lines).render(inner, buf);
        }
    }
}

fn finite(p: &[f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

/// At most `max` evenly spaced points, always keeping the last.
fn decimate(points: &[[f64; 2]], max: usize) -> Vec<(f64, f64)> {
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

/// The axis bounds: fixed ones if given and finite, else the data's extent,
/// widened when flat so the chart has a non-empty range.
fn bounds(fixed: Option<[f64; 2]>, values: impl Iterator<Item = f64>) -> [f64; 2] {
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
    let pad = (hi - lo) * 0.05;
    [lo - pad, hi + pad]
}

fn labels(b: [f64; 2]) -> Vec<Line<'static>> {
    vec![
        Line::from(num(b[0])),
        Line::from(num((b[0] + b[1]) / 2.0)),
        Line::from(num(b[1])),
    ]
}

fn axis<'a>(label: &str, b: [f64; 2], theme: &Theme) -> Axis<'a> {
    Axis::default()
        .title(Span::styled(label.to_string(), theme.dim))
        .bounds(b)
        .labels(labels(b))
        .style(theme.dim)
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

fn chart<'a>(datasets: Vec<Dataset<'a>>, x: Axis<'a>, y: Axis<'a>) -> Chart<'a> {
    Chart::new(datasets)
        .x_axis(x)
        .y_axis(y)
        .legend_position(Some(LegendPosition::TopRight))
        .hidden_legend_constraints((Constraint::Ratio(2, 3), Constraint::Ratio(2, 3)))
}

fn render_series(
    panel: &Panel,
    series: &[demo::Series],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let max = 4 * area.width as usize;
    let data: Vec<Vec<(f64, f64)>> = series.iter().map(|s| decimate(&s.points, max)).collect();
    let bx = bounds(panel.x.bounds, data.iter().flatten().map(|p| p.0));
    let by = bounds(panel.y.bounds, data.iter().flatten().map(|p| p.1));
    let datasets = series
        .iter()
        .zip(&data)
        .enumerate()
        .map(|(i, (s, d))| {
            Dataset::default()
                .name(s.name.clone())
                .marker(marker(theme, i))
                .graph_type(match s.mark {
                    Mark::Line => GraphType::Line,
                    Mark::Points => GraphType::Scatter,
                })
                .style(Style::new().fg(theme.series_color(i)))
                .data(d)
        })
        .collect();
    chart(
        datasets,
        axis(&panel.x.label, bx, theme),
        axis(&panel.y.label, by, theme),
    )
    .render(area, buf);
}

fn render_histogram(
    panel: &Panel,
    bins: &[demo::Bin],
    bands: &[demo::Band],
    markers: &[demo::Marker],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let bins: Vec<&demo::Bin> = bins
        .iter()
        .filter(|b| b.lo.is_finite() && b.hi.is_finite() && b.count.is_finite())
        .collect();
    let bars: Vec<(f64, f64)> = bins
        .iter()
        .map(|b| ((b.lo + b.hi) / 2.0, b.count))
        .collect();
    let top = bins.iter().map(|b| b.count).fold(0.0, f64::max).max(1.0) * 1.15;
    let bx = bounds(
        panel.x.bounds,
        bins.iter()
            .flat_map(|b| [b.lo, b.hi])
            .chain(markers.iter().map(|m| m.x)),
    );
    // Each band is a bracket over its interval, wider bands drawn higher.
    let band_data: Vec<Vec<(f64, f64)>> = bands
        .iter()
        .filter(|b| b.lo.is_finite() && b.hi.is_finite())
        .enumerate()
        .map(|(k, b)| {
            let h = top * (0.55 + 0.13 * k as f64).min(0.98);
            vec![(b.lo, 0.0), (b.lo, h), (b.hi, h), (b.hi, 0.0)]
        })
        .collect();
    let marker_data: Vec<Vec<(f64, f64)>> = markers
        .iter()
        .filter(|m| m.x.is_finite())
        .map(|m| vec![(m.x, 0.0), (m.x, top)])
        .collect();
    let mut datasets = vec![
        Dataset::default()
            .name(panel.y.label.clone())
            .marker(Marker::Braille)
            .graph_type(GraphType::Bar)
            .style(Style::new().fg(theme.series_color(0)))
            .data(&bars),
    ];
    for (k, (b, d)) in bands.iter().zip(&band_data).enumerate() {
        datasets.push(
            Dataset::default()
                .name(b.label.clone())
                .marker(marker(theme, k + 1))
                .graph_type(GraphType::Line)
                .style(Style::new().fg(theme.series_color(k + 1)))
                .data(d),
        );
    }
    for (k, (m, d)) in markers.iter().zip(&marker_data).enumerate() {
        let i = bands.len() + k + 1;
        datasets.push(
            Dataset::default()
                .name(m.label.clone())
                .marker(marker(theme, i))
                .graph_type(GraphType::Line)
                .style(Style::new().fg(theme.series_color(i)))
                .data(d),
        );
    }
    chart(
        datasets,
        axis(&panel.x.label, bx, theme),
        axis(&panel.y.label, [0.0, top], theme),
    )
    .render(area, buf);
}

fn render_bars(
    panel: &Panel,
    categories: &[String],
    groups: &[demo::BarGroup],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
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
    // Legend: one coloured name per group on the first row.
    let mut legend: Vec<Span> = Vec::new();
    for (i, gr) in groups.iter().enumerate() {
        legend.push(Span::styled(
            format!("{} ", gr.name),
            Style::new().fg(theme.series_color(i)),
        ));
    }
    legend.push(Span::styled(format!(" ({})", panel.y.label), theme.dim));
    Paragraph::new(Line::from(legend)).render(Rect { height: 1, ..area }, buf);
    let area = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
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
        .map(|(i, (gr, d))| {
            Dataset::default()
                .name(gr.name.clone())
                .marker(marker(theme, i))
                .graph_type(GraphType::Bar)
                .style(Style::new().fg(theme.series_color(i)))
                .data(d)
        })
        .collect();
    let cat_labels: Vec<Line> = match n {
        0 => vec![],
        1 => vec![Line::from(categories[0].clone())],
        _ => vec![
            Line::from(categories[0].clone()),
            Line::from(categories[n - 1].clone()),
        ],
    };
    let x = Axis::default()
        .title(Span::styled(panel.x.label.clone(), theme.dim))
        .bounds(bx)
        .labels(cat_labels)
        .style(theme.dim);
    chart(datasets, x, axis(&panel.y.label, by, theme)).render(area, buf);
}

fn render_heat(
    panel: &Panel,
    (nx, ny, values): (usize, usize, &[f64]),
    overlay: &[demo::Series],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let bx = bounds(
        panel.x.bounds,
        overlay.iter().flat_map(|s| s.points.iter().map(|p| p[0])),
    );
    let by = bounds(
        panel.y.bounds,
        overlay.iter().flat_map(|s| s.points.iter().map(|p| p[1])),
    );
    let ok = nx > 0 && ny > 0 && values.len() >= nx * ny;
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let levels = if theme.mono { 3 } else { theme.heat.len() };
    // One point per half-block pixel of the area, bucketed by level.
    let mut buckets: Vec<Vec<(f64, f64)>> = vec![Vec::new(); levels];
    if ok && lo <= hi {
        let (w, h) = (area.width as usize, 2 * area.height as usize);
        for py in 0..h {
            for px in 0..w {
                let fx = (px as f64 + 0.5) / w as f64;
                let fy = (py as f64 + 0.5) / h as f64;
                let (cx, cy) = ((fx * nx as f64) as usize, (fy * ny as f64) as usize);
                let v = values[cy.min(ny - 1) * nx + cx.min(nx - 1)];
                if !v.is_finite() {
                    continue;
                }
                let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
                let level = ((t * levels as f64) as usize).min(levels - 1);
                buckets[level].push((bx[0] + fx * (bx[1] - bx[0]), by[0] + fy * (by[1] - by[0])));
            }
        }
    }
    let overlay_data: Vec<Vec<(f64, f64)>> = overlay
        .iter()
        .map(|s| decimate(&s.points, 4 * area.width as usize))
        .collect();
    let mut datasets = Vec::new();
    for (level, pts) in buckets.iter().enumerate() {
        let (mk, color) = if theme.mono {
            match level {
                0 => continue,
                1 => (Marker::Dot, Color::Reset),
                _ => (Marker::Block, Color::Reset),
            }
        } else {
            (Marker::HalfBlock, theme.heat[level])
        };
        datasets.push(
            Dataset::default()
                .marker(mk)
                .graph_type(GraphType::Scatter)
                .style(Style::new().fg(color))
                .data(pts),
        );
    }
    for (i, (s, d)) in overlay.iter().zip(&overlay_data).enumerate() {
        datasets.push(
            Dataset::default()
                .name(s.name.clone())
                .marker(Marker::Braille)
                .graph_type(match s.mark {
                    Mark::Line => GraphType::Line,
                    Mark::Points => GraphType::Scatter,
                })
                .style(Style::new().fg(if theme.mono {
                    Color::Reset
                } else {
                    overlay_color(theme, i)
                }))
                .data(d),
        );
    }
    chart(
        datasets,
        axis(&panel.x.label, bx, theme),
        axis(&panel.y.label, by, theme),
    )
    .render(area, buf);
}

/// Overlay colours that stand out on the heat palette.
fn overlay_color(theme: &Theme, i: usize) -> Color {
    let c = [
        Color::White,
        Color::LightRed,
        Color::LightGreen,
        Color::Magenta,
        Color::Black,
    ];
    let _ = theme;
    c[i % c.len()]
}
