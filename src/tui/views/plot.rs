//! The frame around a chart, drawn by hand so nothing covers the data:
//! nice tick values, axes with labels at their true positions, a legend
//! row above the plot and the axis names in the panel's bottom border.
//!
//! ratatui's own legend box hides the data it overlaps (or vanishes when
//! it does not fit) and its axis titles sit inside the plot, over the last
//! points of a curve; this module keeps all of that outside the plot area.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::text::{truncate, width};
use crate::tui::theme::Theme;

/// A tick: its value on the axis and its text.
pub type Label = (f64, String);

/// One legend entry: a sample of the mark, in the series' style, and a name.
#[derive(Clone, Debug)]
pub struct Entry {
    pub sample: Vec<Span<'static>>,
    pub name: String,
}

/// The smallest of 1, 2, 5 × 10ᵏ that is at least `raw` (at least 1 on
/// an axis of whole numbers).
fn nice_step(raw: f64, integer: bool) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let e = 10f64.powf(raw.log10().floor());
    let f = raw / e;
    let n = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    if integer { (n * e).max(1.0) } else { n * e }
}

/// Whether `v` has at most two significant digits (300, 1500, 0.25; not
/// 1875 or 1.529): short enough to label an axis with.
fn round2(v: f64) -> bool {
    if v == 0.0 {
        return true;
    }
    let e = 10f64.powf(v.abs().log10().floor() - 1.0);
    ((v / e).round() * e - v).abs() < 1e-9 * v.abs()
}

/// Tick values over `b` with about `intervals` steps of 1, 2 or 5 × 10ᵏ
/// (whole numbers on an `integer` axis). Fitted bounds (`fixed == false`)
/// grow outwards to whole steps so the end labels are round. Fixed bounds
/// stay: they split evenly when that gives short labels ([0, 600] in 300s),
/// else they get the round ticks inside them and keep an end as a label
/// only if it is short itself ([1, 10] reads 1, 5, 10; [-0.3965, 1.529]
/// reads 0, 0.5, 1, 1.5).
pub fn ticks(b: [f64; 2], fixed: bool, integer: bool, intervals: usize) -> ([f64; 2], Vec<f64>) {
    let [lo, hi] = b;
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return (b, vec![lo, hi]);
    }
    let k = intervals.max(2);
    if fixed {
        for k in k..=k + 2 {
            let step = (hi - lo) / k as f64;
            let whole = !integer || (step.round() - step).abs() < 1e-9;
            if whole && round2(step) && round2(lo) && ((lo / step).round() - lo / step).abs() < 1e-9
            {
                return (b, (0..=k).map(|i| lo + i as f64 * step).collect());
            }
        }
    }
    // Of a few step sizes: within fixed bounds the largest that puts three
    // ticks inside (else the finest); for fitted bounds the one whose
    // rounded bounds waste least room.
    let candidates = (k..=k + 2).map(|k| nice_step((hi - lo) / k as f64, integer));
    let (step, lo2, hi2) = if fixed {
        let inside = |s: f64| (hi / s).floor() - (lo / s).ceil() + 1.0;
        let steps: Vec<f64> = candidates.collect();
        let step = steps
            .iter()
            .copied()
            .find(|&s| inside(s) >= 3.0)
            .unwrap_or(steps[steps.len() - 1]);
        (step, lo, hi)
    } else {
        candidates
            .map(|step| (step, (lo / step).floor() * step, (hi / step).ceil() * step))
            .min_by(|a, b| {
                (a.2 - a.1)
                    .total_cmp(&(b.2 - b.1))
                    .then(b.0.total_cmp(&a.0))
            })
            .expect("three candidates")
    };
    let snap = |v: f64| {
        let s = (v / step).round() * step;
        if s.abs() < step * 1e-9 { 0.0 } else { s }
    };
    let (lo2, hi2) = if fixed {
        (lo, hi)
    } else {
        (snap(lo2), snap(hi2))
    };
    let first = (lo2 / step).ceil() as i64;
    let last = (hi2 / step).floor() as i64;
    let mut out: Vec<f64> = (first..=last.min(first + 50))
        .map(|i| snap(i as f64 * step))
        .collect();
    if fixed {
        // A short end is a label too; inner ticks crowding it give way.
        if round2(lo) {
            out.retain(|&v| (v - lo).abs() > 0.5 * step);
            out.insert(0, lo);
        }
        if round2(hi) {
            out.retain(|&v| (hi - v).abs() > 0.5 * step);
            out.push(hi);
        }
    }
    ([lo2, hi2], out)
}

/// A nearly flat positive (or negative) series is drawn from 0, so noise
/// in the fourth digit does not look like a trend.
pub fn from_zero(b: [f64; 2]) -> [f64; 2] {
    let [lo, hi] = b;
    let big = lo.abs().max(hi.abs());
    if lo.is_finite() && hi.is_finite() && hi - lo < 0.1 * big {
        if lo > 0.0 {
            return [0.0, hi];
        }
        if hi < 0.0 {
            return [lo, 0.0];
        }
    }
    b
}

/// Draws the legend rows at the top of `area` (at most `max_rows`, entries
/// wrapped whole, `+N` for those that did not fit); returns the rest.
pub fn legend(
    entries: &[Entry],
    max_rows: u16,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) -> Rect {
    // The plot keeps at least three rows (plus axis and labels).
    let max_rows = max_rows.min(area.height.saturating_sub(5));
    if entries.is_empty() || max_rows == 0 {
        return area;
    }
    let room = area.width as usize;
    let mut rows: Vec<Vec<Span>> = vec![vec![]];
    let mut used = 0;
    let mut shown = 0;
    for e in entries {
        let sample_w: usize = e.sample.iter().map(|s| width(&s.content)).sum();
        let name = truncate(&e.name, room.saturating_sub(sample_w + 3));
        let w = sample_w + 1 + width(&name) + 2;
        if used > 0 && used + w > room {
            if rows.len() as u16 >= max_rows {
                break;
            }
            rows.push(vec![]);
            used = 0;
        }
        let row = rows.last_mut().expect("one row");
        row.extend(e.sample.iter().cloned());
        row.push(Span::styled(format!(" {name}  "), theme.text));
        used += w;
        shown += 1;
    }
    if shown < entries.len() {
        let more = format!("+{}", entries.len() - shown);
        let row = rows.last_mut().expect("one row");
        // Make room for the count by dropping whole entries from the end.
        while !row.is_empty() && used + width(&more) > room {
            let s = row.pop().expect("non-empty");
            used = used.saturating_sub(width(&s.content));
        }
        row.push(Span::styled(more, theme.dim));
    }
    let h = rows.len() as u16;
    let lines: Vec<Line> = rows.into_iter().map(Line::from).collect();
    Paragraph::new(lines).render(Rect { height: h, ..area }, buf);
    Rect {
        y: area.y + h,
        height: area.height - h,
        ..area
    }
}

/// Draws axes and tick labels in `area` for the bounds `bx`, `by` and the
/// labelled x positions `xl` and y positions `yl` (or, where none of those
/// sits on a row, the bounds `y_ends`); returns the plot rectangle
/// (inside the axes) for the chart itself.
pub fn frame(
    bx: [f64; 2],
    xl: &[(f64, String)],
    by: [f64; 2],
    (yl, y_ends): (&[Label], &[Label; 2]),
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) -> Rect {
    // A label goes only where a row sits on its value (one row off
    // misleads). Where no tick of fixed bounds does, the bounds themselves,
    // always on the first and last row, label the axis instead.
    let rows = area.height.saturating_sub(2);
    let on_row = |v: f64| {
        let t = (v - by[0]) / (by[1] - by[0]);
        let exact = t * rows.saturating_sub(1) as f64;
        (-1e-9..=1.0 + 1e-9).contains(&t) && (exact - exact.round()).abs() <= 0.3
    };
    let yl: &[(f64, String)] = if yl.iter().any(|(v, _)| on_row(*v)) {
        yl
    } else {
        y_ends
    };
    let wy = yl
        .iter()
        .map(|(_, s)| width(s))
        .max()
        .unwrap_or(0)
        .min(area.width as usize / 3) as u16;
    if area.height < 3 || area.width < wy + 4 {
        return area;
    }
    let plot = Rect::new(
        area.x + wy + 1,
        area.y,
        area.width - wy - 1,
        area.height - 2,
    );
    let axis_x = area.x + wy;
    let axis_y = plot.bottom();
    for y in plot.top()..plot.bottom() {
        buf[(axis_x, y)].set_symbol("│").set_style(theme.dim);
    }
    buf[(axis_x, axis_y)].set_symbol("└").set_style(theme.dim);
    for x in plot.left()..plot.right() {
        buf[(x, axis_y)].set_symbol("─").set_style(theme.dim);
    }
    // y labels on the row of their value; a label never overwrites another.
    let mut taken: Vec<u16> = Vec::new();
    for (v, s) in yl {
        if !on_row(*v) {
            continue;
        }
        let t = (v - by[0]) / (by[1] - by[0]);
        let row = plot.bottom() - 1 - (t * (plot.height - 1) as f64).round() as u16;
        if taken.contains(&row) {
            continue;
        }
        taken.push(row);
        let s = truncate(s, wy as usize);
        let x = area.x + wy - width(&s) as u16;
        buf.set_string(x, row, &s, theme.text);
    }
    // x labels centred under their value, kept apart by a space.
    let mut next_free = area.x;
    let label_row = axis_y + 1;
    for (v, s) in xl {
        let t = (v - bx[0]) / (bx[1] - bx[0]);
        if !(-1e-9..=1.0 + 1e-9).contains(&t) {
            continue;
        }
        let col = plot.x + (t * (plot.width - 1) as f64).round() as u16;
        let s = truncate(s, area.width as usize);
        let w = width(&s) as u16;
        let start = col
            .saturating_sub(w / 2)
            .clamp(area.x, area.right().saturating_sub(w));
        if start < next_free {
            continue;
        }
        buf.set_string(start, label_row, &s, theme.text);
        next_free = start + w + 1;
    }
    plot
}

/// The bottom border text naming the axes: `y: … ` on the left and `x: …`
/// on the right, shortened to fit `room` columns.
pub fn axis_names(x: &str, y: &str, room: usize) -> (String, String) {
    let name = |axis: &str, label: &str| {
        if label.is_empty() {
            String::new()
        } else {
            format!(" {axis}: {label} ")
        }
    };
    let (xs, ys) = (name("x", x), name("y", y));
    // Each keeps what it needs when the other is short; else half each.
    let ys_room = width(&ys)
        .min(room.saturating_sub(1) / 2)
        .max(room.saturating_sub(width(&xs) + 1));
    let ys = truncate(&ys, ys_room.min(room));
    let xs = truncate(&xs, room.saturating_sub(width(&ys) + 1));
    (ys, xs)
}

/// A sample of a series' mark for the legend, as the chart draws it.
pub fn sample(line: bool, mono_marker: Option<&'static str>, style: Style) -> Vec<Span<'static>> {
    let s = match (mono_marker, line) {
        (Some(m), _) => m,
        (None, true) => "⠒⠒",
        (None, false) => "⠂⠅",
    };
    vec![Span::styled(s.to_string(), style)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::text::num;

    #[test]
    fn fitted_bounds_grow_to_round_ticks() {
        let (b, t) = ticks([-0.004108, 0.08626], false, false, 2);
        assert_eq!(b, [-0.05, 0.1]);
        let shown: Vec<String> = t.iter().map(|&v| num(v)).collect();
        assert_eq!(shown, ["-0.05", "0", "0.05", "0.1"]);
        let (b, _) = ticks([-1.557, 1.531], false, false, 2);
        assert_eq!(b, [-2.0, 2.0]);
    }

    #[test]
    fn every_step_is_one_two_or_five_times_a_power_of_ten() {
        for (lo, hi) in [
            (0.0, 7.3),
            (-3.0, 1e4),
            (0.001, 0.0173),
            (1.0, 49.0),
            (-0.3965, 1.529),
        ] {
            for fixed in [false, true] {
                let (_, t) = ticks([lo, hi], fixed, false, 3);
                let inner: Vec<f64> = t.iter().copied().filter(|&v| round2(v)).collect();
                for w in inner.windows(2) {
                    let step = w[1] - w[0];
                    let m = step / 10f64.powf(step.log10().floor());
                    assert!(
                        [1.0, 2.0, 5.0].iter().any(|n| (m - n).abs() < 1e-6)
                            || t.first() == Some(&w[0])
                            || t.last() == Some(&w[1]),
                        "{lo}..{hi}: {t:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn fixed_bounds_label_only_short_ends() {
        let (b, t) = ticks([1.0, 10.0], true, false, 2);
        assert_eq!(b, [1.0, 10.0]);
        assert_eq!(t, vec![1.0, 5.0, 10.0]);
        let (_, t) = ticks([0.0, 600.0], true, false, 2);
        assert_eq!(t, vec![0.0, 300.0, 600.0]);
        let (_, t) = ticks([-2.99, 2.99], true, false, 2);
        assert_eq!(t, vec![-2.0, 0.0, 2.0]);
        let (_, t) = ticks([-0.3965, 1.529], true, false, 2);
        assert_eq!(t, vec![0.0, 0.5, 1.0, 1.5]);
    }

    #[test]
    fn whole_number_axes_tick_whole_numbers() {
        // Ten layers: never 2.5 or 7.5.
        for (lo, hi) in [
            (1.0, 10.0),
            (1.0, 4.0),
            (0.0, 15.0),
            (1.0, 2.0),
            (1.0, 50.0),
        ] {
            let (_, t) = ticks([lo, hi], true, true, 4);
            assert!(t.iter().all(|v| v.fract() == 0.0), "{lo}..{hi}: {t:?}");
            assert!(t.len() >= 2, "{lo}..{hi}: {t:?}");
        }
    }

    #[test]
    fn axis_names_share_the_border() {
        let (y, x) = axis_names("sum of the kept inputs (x keep)", "masks", 50);
        assert_eq!(
            (y.as_str(), x.as_str()),
            (" y: masks ", " x: sum of the kept inputs (x keep) ")
        );
        let (y, x) = axis_names(&"x".repeat(50), &"y".repeat(50), 40);
        assert!(width(&y) + width(&x) < 40 && width(&y) >= 19 && width(&x) >= 19);
    }

    #[test]
    fn flat_series_start_at_zero() {
        assert_eq!(from_zero([0.9738, 0.9747]), [0.0, 0.9747]);
        assert_eq!(from_zero([0.03, 2.1]), [0.03, 2.1]);
        assert_eq!(from_zero([-2.01, -2.0]), [-2.01, 0.0]);
    }
}
