//! The colour policy, in one place for the TUI and the CLI's diagnostics:
//! whether to colour at all, and how many colours the terminal has.
//!
//! `--color never`, `NO_COLOR` (non-empty, <https://no-color.org>) and
//! `TERM=dumb` turn colour off; `--color always` and `CLICOLOR_FORCE`
//! (non-empty, not `0`) turn it on even when the output is not a terminal;
//! otherwise (`auto`) a terminal gets colour. The depth comes from
//! `COLORTERM` (`truecolor`, `24bit`) and `TERM` (`*-256color`); anything
//! else is assumed to have the 16 basic colours.

/// What `--color` says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// How to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorMode {
    /// No colour: bold, underline and reverse only.
    None,
    /// The 16 ANSI colours.
    Basic,
    /// The xterm 256-colour palette.
    Ansi256,
    /// 24-bit RGB.
    #[default]
    TrueColor,
}

/// The colour mode for an output stream that `is_tty` or not, given
/// `choice` and the environment `var` (injected, so it can be tested).
pub fn policy(
    choice: ColorChoice,
    is_tty: bool,
    var: impl Fn(&str) -> Option<String>,
) -> ColorMode {
    let set = |k: &str| var(k).is_some_and(|v| !v.is_empty());
    let off = choice == ColorChoice::Never
        || (choice == ColorChoice::Auto && set("NO_COLOR"))
        || var("TERM").as_deref() == Some("dumb") && choice != ColorChoice::Always;
    let forced = choice == ColorChoice::Always
        || (choice == ColorChoice::Auto
            && set("CLICOLOR_FORCE")
            && var("CLICOLOR_FORCE").as_deref() != Some("0"));
    if off || !(is_tty || forced) {
        return ColorMode::None;
    }
    let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
    let term = var("TERM").unwrap_or_default();
    if colorterm == "truecolor" || colorterm == "24bit" {
        ColorMode::TrueColor
    } else if term.contains("256color") {
        ColorMode::Ansi256
    } else {
        ColorMode::Basic
    }
}

/// [`policy`] with the process environment.
pub fn from_env(choice: ColorChoice, is_tty: bool) -> ColorMode {
    policy(choice, is_tty, |k| std::env::var(k).ok())
}

/// The xterm-256 palette index nearest to an RGB colour: the 6×6×6 cube
/// (16–231) or the grey ramp (232–255), whichever is closer.
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let level = |v: u8| {
        (0..6)
            .min_by_key(|&i| (i32::from(LEVELS[i]) - i32::from(v)).abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let dist = |c: (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(c.0, r) + d(c.1, g) + d(c.2, b)
    };
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let gi_ = ((avg.saturating_sub(8)) / 10).min(23) as u8;
    let grey = 8 + 10 * gi_;
    if dist((grey, grey, grey)) < dist(cube) {
        232 + gi_
    } else {
        16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8
    }
}

/// The nearest of the 16 basic colours, as an index 0–15 (standard order:
/// black, red, green, yellow, blue, magenta, cyan, white, then bright).
pub fn nearest_16(r: u8, g: u8, b: u8) -> u8 {
    const RGB: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
    (0..16u8)
        .min_by_key(|&i| {
            let c = RGB[i as usize];
            d(c.0, r) + d(c.1, g) + d(c.2, b)
        })
        .unwrap_or(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_policy_follows_no_color_clicolor_force_term_and_the_flag() {
        use ColorChoice::*;
        let xterm = [("TERM", "xterm-256color")];
        assert_eq!(policy(Auto, true, env(&xterm)), ColorMode::Ansi256);
        assert_eq!(policy(Auto, false, env(&xterm)), ColorMode::None);
        assert_eq!(
            policy(
                Auto,
                true,
                env(&[("TERM", "xterm-256color"), ("NO_COLOR", "1")])
            ),
            ColorMode::None
        );
        // An empty NO_COLOR does not count (no-color.org).
        assert_eq!(
            policy(Auto, true, env(&[("TERM", "xterm"), ("NO_COLOR", "")])),
            ColorMode::Basic
        );
        assert_eq!(
            policy(Auto, true, env(&[("TERM", "dumb")])),
            ColorMode::None
        );
        assert_eq!(
            policy(
                Auto,
                false,
                env(&[("TERM", "xterm"), ("CLICOLOR_FORCE", "1")])
            ),
            ColorMode::Basic
        );
        assert_eq!(
            policy(Auto, false, env(&[("CLICOLOR_FORCE", "0")])),
            ColorMode::None
        );
        assert_eq!(
            policy(Always, false, env(&[("NO_COLOR", "1")])),
            ColorMode::Basic
        );
        assert_eq!(
            policy(Never, true, env(&[("COLORTERM", "truecolor")])),
            ColorMode::None
        );
        assert_eq!(
            policy(Auto, true, env(&[("COLORTERM", "truecolor")])),
            ColorMode::TrueColor
        );
    }

    #[test]
    fn rgb_maps_to_the_nearest_palette_entry() {
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(255, 255, 255), 231);
        assert_eq!(nearest_256(255, 0, 0), 196);
        assert_eq!(nearest_256(128, 128, 128), 244);
        assert_eq!(nearest_16(250, 10, 10), 9);
        assert_eq!(nearest_16(20, 30, 70), 0);
        assert_eq!(nearest_16(250, 230, 120), 7);
    }
}
