//! Pure views: `impl Widget for &App` draws the whole screen from state and
//! changes nothing, so the same state always gives the same frame.

pub mod catalog;
pub mod heat;
pub mod knobs;
pub mod layer;
pub mod lesson;
pub mod numbers;
pub mod overlay;
pub mod panel;
pub mod plot;
pub mod status;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, Overlay, Screen};
use super::i18n::{T, fmt};

/// The smallest terminal the tutor draws into; below it a notice says so.
pub const MIN_SIZE: (u16, u16) = (40, 12);

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
            let text = fmt(self.lang, T::TooSmall, &[&MIN_SIZE.0, &MIN_SIZE.1]);
            Paragraph::new(Line::styled(text, self.theme.warn))
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        match &self.screen {
            Screen::Catalog => catalog::render(self, area, buf),
            Screen::Lesson(v) => lesson::render(self, v, area, buf),
        }
        match &self.overlay {
            Some(Overlay::Help { scroll }) => overlay::render_help(self, *scroll, area, buf),
            Some(Overlay::Jump { selected }) => overlay::render_jump(self, *selected, area, buf),
            Some(Overlay::Problem { text, scroll }) => {
                overlay::render_problem(self, text, *scroll, area, buf)
            }
            Some(Overlay::Input { .. }) | None => {}
        }
    }
}
