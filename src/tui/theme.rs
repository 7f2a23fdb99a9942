//! Colours: a dark and a light theme, and none at all under `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

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

    /// The theme from the environment: `NO_COLOR` (any non-empty value) removes colour.
    pub fn from_env(name: ThemeName) -> Theme {
        let mono = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(name, mono)
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
