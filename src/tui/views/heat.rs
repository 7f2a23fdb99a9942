//! A heat grid painted cell by cell under its overlay series.
//!
//! Each terminal cell shows two pixels as `▀` with the upper colour in front
//! and the lower behind, so the grid has no gaps; overlay points keep their
//! braille dots and take the heat colour as background. Without colour the
//! level is a braille texture, and overlay cells are shown reversed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Dataset, GraphType};

use super::panel::{Data, Scale, bounds, decimate, entry, plot_chart};
use super::plot;
use crate::demo::{self, Mark, Panel};
use crate::i18n::{Lang, Msg};
use crate::tui::text::num;
use crate::tui::theme::Theme;

/// Texture of each level when there is no colour, sparse to dense.
const TEXTURE: [&str; 4] = [" ", "⠂", "⠭", "⣿"];

/// Overlay colours that stand out on the heat palette.
const OVERLAY: [Color; 5] = [
    Color::White,
    Color::LightRed,
    Color::LightGreen,
    Color::Magenta,
    Color::Black,
];

pub fn render_heat(
    panel: &Panel,
    (nx, ny, values, shade): (usize, usize, &[f64], &Msg),
    overlay: &[demo::Series],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    lang: Lang,
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
    let levels = if theme.mono {
        TEXTURE.len()
    } else {
        theme.heat.len()
    };
    let level_style = |l: usize| {
        if theme.mono {
            Style::new()
        } else {
            Style::new().bg(theme.heat[l])
        }
    };
    let level_text = |l: usize| if theme.mono { TEXTURE[l] } else { " " };
    // Legend: the colour scale from low to high, then the overlays.
    let mut entries = Vec::new();
    if ok && lo <= hi {
        let mut sample = vec![Span::styled(format!("{} ", num(lo)), theme.dim)];
        sample.extend((0..levels).map(|l| Span::styled(level_text(l).to_string(), level_style(l))));
        sample.push(Span::styled(format!(" {}", num(hi)), theme.dim));
        entries.push(plot::Entry {
            sample,
            name: shade.text(lang),
        });
    }
    let overlay_data: Vec<Vec<(f64, f64)>> = overlay
        .iter()
        .map(|s| decimate(&s.points, 4 * area.width as usize))
        .collect();
    let mut datasets = Vec::new();
    for (i, (s, d)) in overlay.iter().zip(&overlay_data).enumerate() {
        let color = if theme.mono {
            Color::Reset
        } else {
            OVERLAY[i % OVERLAY.len()]
        };
        entries.push(entry(
            &s.name.text(lang),
            s.mark != Mark::Points,
            Marker::Braille,
            color,
            theme,
        ));
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(match s.mark {
                    Mark::Line | Mark::Reference => GraphType::Line,
                    Mark::Points => GraphType::Scatter,
                })
                .style(Style::new().fg(color))
                .data(d),
        );
    }
    let scale = Scale {
        x_fixed: true,
        y_fixed: true,
        ..Scale::of(panel, bx, by)
    };
    let (plot, bx, by) = plot_chart(&entries, Data::Datasets(datasets), scale, area, buf, theme);
    if !ok || lo > hi || plot.width == 0 || plot.height == 0 {
        return;
    }
    // The grid covers the panel's own bounds; map each pixel back to a value.
    let (gx, gy) = (panel.x.bounds.unwrap_or(bx), panel.y.bounds.unwrap_or(by));
    let level_at = |px: u16, py: u16| -> Option<usize> {
        let x = bx[0] + (px as f64 + 0.5) / plot.width as f64 * (bx[1] - bx[0]);
        let y = by[1] - (py as f64 + 0.5) / (2.0 * plot.height as f64) * (by[1] - by[0]);
        let fx = (x - gx[0]) / (gx[1] - gx[0]);
        let fy = (y - gy[0]) / (gy[1] - gy[0]);
        if !(0.0..1.0).contains(&fx) || !(0.0..1.0).contains(&fy) {
            return None;
        }
        let v = values[((fy * ny as f64) as usize).min(ny - 1) * nx
            + ((fx * nx as f64) as usize).min(nx - 1)];
        if !v.is_finite() {
            return None;
        }
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        Some(((t * levels as f64) as usize).min(levels - 1))
    };
    for cy in 0..plot.height {
        for cx in 0..plot.width {
            let (up, down) = (level_at(cx, 2 * cy), level_at(cx, 2 * cy + 1));
            let cell = &mut buf[(plot.x + cx, plot.y + cy)];
            let drawn = cell.symbol() != " ";
            if theme.mono {
                if drawn {
                    cell.set_style(Style::new().add_modifier(Modifier::REVERSED));
                } else if let Some(l) = up.or(down) {
                    cell.set_symbol(TEXTURE[l]);
                }
                continue;
            }
            let color = |l: Option<usize>| l.map_or(Color::Reset, |l| theme.heat[l]);
            if drawn {
                cell.set_bg(color(up.or(down)));
            } else if up.is_some() || down.is_some() {
                cell.set_symbol("▀").set_fg(color(up)).set_bg(color(down));
            }
        }
    }
}
