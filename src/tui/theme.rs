//! Colours: a dark and a light theme, and none at all under `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

use crate::color::ColorMode;

/// Which palette to use (`--theme`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

impl ThemeName {
    /// `dark` or `light`; `None` for anything else.
    pub fn parse(s: &str) -> Option<ThemeName> {
        match s.to_ascii_lowercase().as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            _ => None,
        }
    }
}

/// The styles every view draws with.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// No colour at all (`NO_COLOR` set): only bold, reverse and underline.
    pub mono: bool,
    pub text: Style,
    pub dim: Style,
    pub heading: Style,
    pub emphasis: Style,
    pub strong: Style,
    pub code: Style,
    pub quote: Style,
    pub selected: Style,
    pub border: Style,
    pub title: Style,
    pub good: Style,
    pub bad: Style,
    pub warn: Style,
    pub status: Style,
    /// Colours of successive series in a chart.
    pub series: Vec<Color>,
    /// Low-to-high colours of a heat grid.
    pub heat: Vec<Color>,
}

impl Theme {
    /// The theme `name`, stripped of colour when `mono`.
    pub fn new(name: ThemeName, mono: bool) -> Theme {
        let (accent, dim, code, series, heat) = match name {
            ThemeName::Dark => (
                Color::Cyan,
                Color::DarkGray,
                Color::Yellow,
                vec![
                    Color::Cyan,
                    Color::Yellow,
                    Color::Magenta,
                    Color::Green,
                    Color::LightRed,
                    Color::LightBlue,
                    Color::White,
                ],
                vec![
                    Color::Rgb(20, 30, 70),
                    Color::Rgb(30, 60, 120),
                    Color::Rgb(40, 100, 150),
                    Color::Rgb(60, 140, 150),
                    Color::Rgb(110, 170, 120),
                    Color::Rgb(180, 190, 90),
                    Color::Rgb(230, 200, 70),
                    Color::Rgb(250, 230, 120),
                ],
            ),
            ThemeName::Light => (
                Color::Blue,
                Color::Gray,
                Color::Magenta,
                vec![
                    Color::Blue,
                    Color::Red,
                    Color::Magenta,
                    Color::Green,
                    Color::Rgb(160, 90, 0),
                    Color::Cyan,
                    Color::Black,
                ],
                vec![
                    Color::Rgb(250, 250, 230),
                    Color::Rgb(240, 230, 180),
                    Color::Rgb(230, 200, 140),
                    Color::Rgb(220, 160, 110),
                    Color::Rgb(200, 120, 100),
                    Color::Rgb(170, 90, 110),
                    Color::Rgb(130, 60, 120),
                    Color::Rgb(90, 40, 110),
                ],
            ),
        };
        if mono {
            return Theme {
                mono,
                text: Style::new(),
                dim: Style::new(),
                heading: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                emphasis: Style::new().add_modifier(Modifier::ITALIC),
                strong: Style::new().add_modifier(Modifier::BOLD),
                code: Style::new().add_modifier(Modifier::BOLD),
                quote: Style::new().add_modifier(Modifier::ITALIC),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                border: Style::new(),
                title: Style::new().add_modifier(Modifier::BOLD),
                good: Style::new().add_modifier(Modifier::BOLD),
                bad: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                warn: Style::new().add_modifier(Modifier::BOLD),
                status: Style::new().add_modifier(Modifier::REVERSED),
                series: vec![Color::Reset],
                heat: vec![Color::Reset],
            };
        }
        Theme {
            mono,
            text: Style::new(),
            dim: Style::new().fg(dim),
            heading: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: Style::new().add_modifier(Modifier::BOLD),
            code: Style::new().fg(code),
            quote: Style::new().fg(dim).add_modifier(Modifier::ITALIC),
            selected: Style::new().fg(Color::Black).bg(accent),
            border: Style::new().fg(dim),
            title: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            good: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            bad: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: Style::new().fg(Color::Yellow),
            status: Style::new().add_modifier(Modifier::REVERSED),
            series,
            heat,
        }
    }

    /// The theme for a terminal in colour `mode` (see [`crate::color`]):
    /// none at all, or the heat ramp in the colours the terminal has (an
    /// RGB ramp on a 16-colour terminal would come out as random shades).
    pub fn for_mode(name: ThemeName, mode: ColorMode) -> Theme {
        let mut t = Theme::new(name, mode == ColorMode::None);
        match mode {
            ColorMode::Ansi256 => {
                // Picked from the xterm cube along the RGB ramps: the nearest
                // entry of each would merge two neighbouring levels.
                let ramp: [u8; 8] = match name {
                    ThemeName::Dark => [17, 24, 31, 37, 72, 143, 178, 222],
                    ThemeName::Light => [230, 223, 180, 174, 168, 132, 96, 54],
                };
                t.heat = ramp.iter().map(|&i| Color::Indexed(i)).collect();
                for c in &mut t.series {
                    if let Color::Rgb(r, g, b) = *c {
                        *c = Color::Indexed(crate::color::nearest_256(r, g, b));
                    }
                }
            }
            ColorMode::Basic => {
                t.heat = match name {
                    ThemeName::Dark => vec![
                        Color::Black,
                        Color::Blue,
                        Color::Cyan,
                        Color::Green,
                        Color::Yellow,
                        Color::LightYellow,
                        Color::White,
                    ],
                    ThemeName::Light => vec![
                        Color::White,
                        Color::LightYellow,
                        Color::Yellow,
                        Color::LightRed,
                        Color::Red,
                        Color::Magenta,
                        Color::Blue,
                    ],
                };
                for c in &mut t.series {
                    if let Color::Rgb(..) = *c {
                        *c = Color::Yellow;
                    }
                }
            }
            ColorMode::None | ColorMode::TrueColor => {}
        }
        t
    }

    /// The colour of the `i`-th series.
    pub fn series_color(&self, i: usize) -> Color {
        self.series[i % self.series.len()]
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(ThemeName::Dark, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_maps_use_the_colours_the_terminal_has() {
        let rgb = |t: &Theme| t.heat.iter().any(|c| matches!(c, Color::Rgb(..)));
        for name in [ThemeName::Dark, ThemeName::Light] {
            assert!(rgb(&Theme::for_mode(name, ColorMode::TrueColor)));
            let t256 = Theme::for_mode(name, ColorMode::Ansi256);
            assert!(
                t256.heat
                    .iter()
                    .all(|c| matches!(c, Color::Indexed(16..=255)))
            );
            // Still a ramp: no two neighbours the same.
            assert!(
                t256.heat.windows(2).all(|w| w[0] != w[1]),
                "{:?}",
                t256.heat
            );
            let t16 = Theme::for_mode(name, ColorMode::Basic);
            assert!(!rgb(&t16) && t16.series.iter().all(|c| !matches!(c, Color::Rgb(..))));
            assert!(t16.heat.windows(2).all(|w| w[0] != w[1]));
            assert!(Theme::for_mode(name, ColorMode::None).mono);
        }
    }
}
