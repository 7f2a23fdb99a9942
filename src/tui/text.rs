//! Text measured by display width: wrapping and truncation that are correct
//! for Chinese (two columns per character) and never slice a `&str` at a
//! column.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` cut to `max` columns at a word boundary, with `~` where it was cut
/// (mid-word only when a single word is wider than `max`).
pub fn truncate_words(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let cut = truncate(s, max.saturating_sub(1));
    match cut.rfind(' ').map(|i| cut[..i].trim_end()) {
        Some(head) if !head.is_empty() => format!("{head}~"),
        _ => format!("{cut}~"),
    }
}

/// The longest prefix of `s` that fits in `max` columns, by whole characters.
pub fn truncate(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max {
            break;
        }
        w += cw;
        out.push(c);
    }
    out
}

/// A piece of a line that wrapping keeps whole: a word, one wide character,
/// or a run of spaces.
struct Atom {
    text: String,
    style: Style,
    space: bool,
    /// Stays on the line of the atom before it (kinsoku): it starts with
    /// closing punctuation, so no line starts with `，`, or follows an
    /// opening bracket, so no line ends with `（`.
    glue: bool,
}

/// Punctuation that may not start a line: CJK closing marks, their
/// full-width forms, and the ASCII ones a Chinese sentence may use.
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〉'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '］'
            | '｝'
            | '．'
            | '｡'
            | '､'
            | '｣'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
    )
}

/// Brackets that may not end a line: CJK opening marks and their
/// full-width forms.
pub fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '《'
            | '「'
            | '『'
            | '【'
            | '〈'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '［'
            | '｛'
            | '“'
            | '‘'
    )
}

/// Splits styled text into atoms: words break at spaces, and every
/// double-width character may break before and after (Chinese has no spaces).
fn atoms(spans: &[(String, Style)]) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    for (text, style) in spans {
        let mut cur = String::new();
        let mut cur_space = false;
        let flush = |cur: &mut String, space: bool, out: &mut Vec<Atom>| {
            if !cur.is_empty() {
                let glue = glued(cur, space, out);
                out.push(Atom {
                    text: std::mem::take(cur),
                    style: *style,
                    space,
                    glue,
                });
            }
        };
        for c in text.chars() {
            let c = if c == '\n' || c == '\t' { ' ' } else { c };
            let space = c == ' ';
            if c.width().unwrap_or(0) >= 2 {
                flush(&mut cur, cur_space, &mut out);
                let text = c.to_string();
                let glue = glued(&text, false, &out);
                out.push(Atom {
                    text,
                    style: *style,
                    space: false,
                    glue,
                });
                continue;
            }
            if space != cur_space {
                flush(&mut cur, cur_space, &mut out);
                cur_space = space;
            }
            cur.push(c);
        }
        flush(&mut cur, cur_space, &mut out);
    }
    out
}

/// Whether an atom `text` must stay on the line of the atom before it.
fn glued(text: &str, space: bool, before: &[Atom]) -> bool {
    let Some(prev) = before.last().filter(|a| !a.space) else {
        return false;
    };
    !space
        && (text.chars().next().is_some_and(is_closing)
            || prev.text.chars().last().is_some_and(is_opening))
}

/// Wraps styled text into lines of at most `width` columns. The first line
/// starts with `first` and the others with `rest` (list bullets, quote bars);
/// both prefixes must be narrower than `width`, else they are dropped.
pub fn wrap(
    spans: &[(String, Style)],
    width: usize,
    first: &[(String, Style)],
    rest: &[(String, Style)],
) -> Vec<Line<'static>> {
    let pw = |p: &[(String, Style)]| p.iter().map(|(s, _)| s.width()).sum::<usize>();
    // A prefix must leave room for one double-width character.
    let usable = |p: &[(String, Style)]| pw(p) + 2 <= width;
    let first = if usable(first) { first } else { &[] };
    let rest = if usable(rest) { rest } else { &[] };
    let mut lines: Vec<Vec<(String, Style)>> = vec![first.to_vec()];
    let mut col = pw(first);
    let avail =
        |line_no: usize| width.saturating_sub(if line_no == 0 { pw(first) } else { pw(rest) });
    let atoms = atoms(spans);
    for (i, atom) in atoms.iter().enumerate() {
        let aw = atom.text.width();
        // The columns this atom needs on its line: itself and the closing
        // punctuation glued after it.
        let group = aw
            + atoms[i + 1..]
                .iter()
                .take_while(|a| a.glue)
                .map(|a| a.text.width())
                .sum::<usize>();
        let line_start = col == pw(if lines.len() == 1 { first } else { rest });
        if atom.space {
            if !line_start && col + aw <= width {
                push(lines.last_mut().unwrap(), &atom.text, atom.style);
                col += aw;
            }
            continue;
        }
        // Glued punctuation breaks only when its group could not fit even
        // on a fresh line; it never hangs past the width, since the views
        // rely on every line fitting.
        let breaks = if atom.glue {
            col + aw > width
        } else {
            col + group > width && group <= avail(lines.len()) || col + aw > width
        };
        if breaks && !line_start {
            // Drop trailing spaces before breaking.
            trim_end(lines.last_mut().unwrap());
            lines.push(rest.to_vec());
            col = pw(rest);
        }
        if aw > avail(lines.len() - 1) {
            // A word longer than a line: break it by characters.
            for c in atom.text.chars() {
                let cw = c.width().unwrap_or(0);
                if col + cw > width && col > pw(rest) {
                    lines.push(rest.to_vec());
                    col = pw(rest);
                }
                push(lines.last_mut().unwrap(), &c.to_string(), atom.style);
                col += cw;
            }
        } else {
            push(lines.last_mut().unwrap(), &atom.text, atom.style);
            col += aw;
        }
    }
    lines
        .into_iter()
        .map(|l| {
            Line::from(
                l.into_iter()
                    .map(|(s, st)| Span::styled(s, st))
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

/// Appends text to a line, merging with the last span when the style matches.
fn push(line: &mut Vec<(String, Style)>, text: &str, style: Style) {
    match line.last_mut() {
        Some((s, st)) if *st == style => s.push_str(text),
        _ => line.push((text.to_string(), style)),
    }
}

fn trim_end(line: &mut [(String, Style)]) {
    if let Some((s, _)) = line.last_mut() {
        let t = s.trim_end_matches(' ').len();
        s.truncate(t);
    }
}

/// Compact number formatting for labels and tables: 4 significant digits,
/// scientific notation for very small or large magnitudes.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == x.trunc() && x.abs() < 1e9 {
        return format!("{}", x as i64);
    }
    let a = x.abs();
    if !(1e-3..1e6).contains(&a) {
        return format!("{x:.2e}");
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_words_within_the_width() {
        let text = vec![("the quick brown fox jumps".to_string(), Style::new())];
        let lines = plain(&wrap(&text, 10, &[], &[]));
        assert_eq!(lines, ["the quick", "brown fox", "jumps"]);
        assert!(lines.iter().all(|l| width(l) <= 10));
    }

    #[test]
    fn wraps_chinese_by_display_width() {
        let text = vec![("权重初始化决定了训练能否开始".to_string(), Style::new())];
        let lines = plain(&wrap(&text, 9, &[], &[]));
        // 9 columns hold four 2-column characters, never four and a half.
        assert!(lines.iter().all(|l| width(l) <= 9), "{lines:?}");
        assert_eq!(lines[0], "权重初始");
        assert_eq!(lines.concat(), "权重初始化决定了训练能否开始");
    }

    #[test]
    fn no_line_ends_with_an_opening_bracket() {
        let text = vec![(
            "缩小同样的倍数（grad_norm），所以".to_string(),
            Style::new(),
        )];
        let lines = plain(&wrap(&text, 16, &[], &[]));
        assert_eq!(lines[0], "缩小同样的倍数", "{lines:?}");
        assert!(lines[1].starts_with("（grad_norm）"), "{lines:?}");
    }

    #[test]
    fn long_words_break_and_prefixes_indent() {
        let text = vec![("abcdefghijkl".to_string(), Style::new())];
        let first = vec![("- ".to_string(), Style::new())];
        let rest = vec![("  ".to_string(), Style::new())];
        let lines = plain(&wrap(&text, 6, &first, &rest));
        assert_eq!(lines, ["- abcd", "  efgh", "  ijkl"]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // At 8 columns "权重初始" fills the first line; a naive wrap would
        // start the second with "，". The character before moves down too.
        let text = vec![("权重初始，化决定训练。能否开始！".to_string(), Style::new())];
        for w in 4..=20 {
            let lines = plain(&wrap(&text, w, &[], &[]));
            assert_eq!(lines.concat(), "权重初始，化决定训练。能否开始！", "{w}");
            for l in &lines {
                assert!(!l.starts_with(is_closing), "width {w}: {lines:?}");
                assert!(width(l) <= w, "width {w}: {lines:?}");
            }
        }
        let lines = plain(&wrap(&text, 8, &[], &[]));
        assert_eq!(lines[..2], ["权重初", "始，化决"]);
        // Punctuation in another style still stays with its character, and
        // an ASCII comma after Chinese does too.
        let styled = vec![
            ("甲乙丙丁".to_string(), Style::new()),
            ("」".to_string(), Style::new().bold()),
            ("戊,己".to_string(), Style::new()),
        ];
        let lines = plain(&wrap(&styled, 8, &[], &[]));
        assert_eq!(lines, ["甲乙丙", "丁」戊,", "己"]);
    }

    #[test]
    fn punctuation_starts_a_line_only_when_nothing_else_fits() {
        // 3 columns hold one wide character, so "字，" (4 columns) cannot
        // stay together: the comma goes down rather than overflow.
        let text = vec![("字，".to_string(), Style::new())];
        assert_eq!(plain(&wrap(&text, 3, &[], &[])), ["字", "，"]);
        // English words are untouched: their commas are inside the word.
        let en = vec![("one, two, three.".to_string(), Style::new())];
        assert_eq!(plain(&wrap(&en, 9, &[], &[])), ["one, two,", "three."]);
    }

    #[test]
    fn truncate_words_cuts_between_words() {
        assert_eq!(
            truncate_words("lr = 0.25 restarts the run", 14),
            "lr = 0.25~"
        );
        assert_eq!(truncate_words("short", 14), "short");
        assert_eq!(truncate_words("averyveryverylongword", 8), "averyve~");
        assert_eq!(truncate_words("参数未改变：深度网络", 9), "参数未改~");
    }

    #[test]
    fn truncate_never_splits_a_wide_character() {
        assert_eq!(truncate("中文abc", 3), "中");
        assert_eq!(truncate("abc", 10), "abc");
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(400.0), "400");
        assert_eq!(num(0.682_689), "0.6827");
        assert_eq!(num(0.000_012_3), "1.23e-5");
        assert_eq!(num(-2.5), "-2.5");
    }
}
