//! Chart data drawn into one braille layer, so series that pass through
//! the same cell merge their dots instead of the later one erasing the
//! earlier. ratatui's `Chart` gives each dataset a canvas layer of its own,
//! and a layer's cell replaces the whole cell below it: a model curve hid
//! the truth, and `exact 99.73%` hid the measured fractions it is compared
//! with. Here a shared cell shows the union of the dots, in the colour of
//! the series drawn last; reference lines are drawn last and dashed, so the
//! data under them shows through the gaps in its own colour.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::symbols::Marker;
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas, Line, Painter, Points, Shape};

/// How an item's points are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Draw {
    /// Connected by straight segments.
    Line,
    /// One dot per point.
    Points,
    /// Connected, with gaps: a reference the data is compared against.
    Dashed,
    /// A vertical bar from 0 to each point (a histogram).
    Bars,
}

/// One thing to draw: its points in data coordinates, how, and its colour.
#[derive(Clone, Copy, Debug)]
pub struct Item<'a> {
    pub data: &'a [(f64, f64)],
    pub draw: Draw,
    pub color: Color,
}

/// Dots on, then off, along a dashed line.
const DASH: usize = 3;

/// A polyline drawn with gaps, the dash pattern running on across its
/// segments.
struct Dashed<'a> {
    data: &'a [(f64, f64)],
    color: Color,
}

impl Shape for Dashed<'_> {
    fn draw(&self, painter: &mut Painter) {
        let mut step = 0usize;
        let mut last: Option<(usize, usize)> = None;
        let mut dot = |painter: &mut Painter, p: (usize, usize)| {
            if last != Some(p) {
                last = Some(p);
                step += 1;
                if (step / DASH).is_multiple_of(2) {
                    painter.paint(p.0, p.1, self.color);
                }
            }
        };
        for w in self.data.windows(2) {
            let ((x1, y1), (x2, y2)) = (w[0], w[1]);
            // Walk the segment in grid steps when both ends are on the
            // canvas; else sample it, keeping the samples that are.
            let n = match (painter.get_point(x1, y1), painter.get_point(x2, y2)) {
                (Some(a), Some(b)) => a.0.abs_diff(b.0).max(a.1.abs_diff(b.1)).max(1),
                _ => 64,
            };
            for i in 0..=n {
                let t = i as f64 / n as f64;
                if let Some(p) = painter.get_point(x1 + t * (x2 - x1), y1 + t * (y2 - y1)) {
                    dot(painter, p);
                }
            }
        }
    }
}

/// Draws `items` in order into `area`, whose edges are the bounds `bx`, `by`.
pub fn render(items: &[Item], bx: [f64; 2], by: [f64; 2], area: Rect, buf: &mut Buffer) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    Canvas::default()
        .marker(Marker::Braille)
        .x_bounds(bx)
        .y_bounds(by)
        .paint(|ctx| {
            for it in items {
                match it.draw {
                    Draw::Line => {
                        if let [only] = it.data {
                            ctx.draw(&Points::new(std::slice::from_ref(only), it.color));
                        }
                        for w in it.data.windows(2) {
                            ctx.draw(&Line::new(w[0].0, w[0].1, w[1].0, w[1].1, it.color));
                        }
                    }
                    Draw::Points => ctx.draw(&Points::new(it.data, it.color)),
                    Draw::Dashed => ctx.draw(&Dashed {
                        data: it.data,
                        color: it.color,
                    }),
                    Draw::Bars => {
                        for &(x, y) in it.data {
                            ctx.draw(&Line::new(x, 0.0, x, y, it.color));
                        }
                    }
                }
            }
        })
        .render(area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The colours of the non-blank cells of `buf`.
    fn colours(buf: &Buffer) -> Vec<Color> {
        let mut out: Vec<Color> = buf
            .content()
            .iter()
            .filter(|c| c.symbol() != " " && c.symbol() != "\u{2800}")
            .map(|c| c.fg)
            .collect();
        out.sort_by_key(|c| format!("{c:?}"));
        out.dedup();
        out
    }

    #[test]
    fn a_shared_cell_keeps_the_dots_of_both_series() {
        let area = Rect::new(0, 0, 20, 5);
        let mut buf = Buffer::empty(area);
        // Two horizontal lines in the same cell row (dot rows 10 and 11
        // of 20), a dot row apart.
        let (a, b) = ([(0.0, 0.50), (1.0, 0.50)], [(0.0, 0.40), (1.0, 0.40)]);
        let items = [
            Item {
                data: &a,
                draw: Draw::Line,
                color: Color::Red,
            },
            Item {
                data: &b,
                draw: Draw::Line,
                color: Color::Blue,
            },
        ];
        render(&items, [0.0, 1.0], [0.0, 1.0], area, &mut buf);
        let row: Vec<&str> = (0..20).map(|x| buf[(x, 2)].symbol()).collect();
        // Every cell holds two dot rows: a braille pattern of four dots.
        assert!(
            row.iter().all(|s| s
                .chars()
                .next()
                .is_some_and(|c| { (c as u32 - 0x2800).count_ones() == 4 })),
            "{row:?}"
        );
    }

    #[test]
    fn data_shows_between_the_dashes_of_a_reference_on_top_of_it() {
        let area = Rect::new(0, 0, 30, 5);
        let mut buf = Buffer::empty(area);
        let line = [(0.0, 0.5), (1.0, 0.5)];
        let items = [
            Item {
                data: &line,
                draw: Draw::Line,
                color: Color::Red,
            },
            Item {
                data: &line,
                draw: Draw::Dashed,
                color: Color::Blue,
            },
        ];
        render(&items, [0.0, 1.0], [0.0, 1.0], area, &mut buf);
        assert_eq!(colours(&buf), [Color::Blue, Color::Red]);
    }
}
