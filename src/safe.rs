//! Text from outside the tool (a lesson, a file name, a progress file)
//! made safe to print: no terminal control characters.

use std::borrow::Cow;

/// `s` with every terminal control character (C0 but tab, newline and the
/// CR of a CRLF; DEL; C1, which UTF-8 terminals may read as CSI or OSC) as
/// U+FFFD. A lesson is untrusted: its text must never clear a screen,
/// retitle a window or write the clipboard (OSC 52), in the TUI, in `run`'s
/// text and JSON (serde_json leaves C1 as it is), in `list` or in a
/// diagnostic. One character for one keeps every column a diagnostic
/// reports.
pub fn clean(s: &str) -> Cow<'_, str> {
    let bad = |c: char, next: Option<char>| {
        (c.is_control() && c != '\n' && c != '\t' && !(c == '\r' && next == Some('\n')))
            || ('\u{80}'..='\u{9f}').contains(&c)
    };
    let mut chars = s.chars().peekable();
    let mut dirty = false;
    while let Some(c) = chars.next() {
        if bad(c, chars.peek().copied()) {
            dirty = true;
            break;
        }
    }
    if !dirty {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if bad(c, chars.peek().copied()) {
            '\u{fffd}'
        } else {
            c
        });
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_replacement_characters() {
        let hostile = "a\x1b]52;c;aGk=\x07b\x1b[2Jc\u{9b}d\r\ne\tf\rg\x7f";
        let c = clean(hostile);
        assert_eq!(
            c,
            "a\u{fffd}]52;c;aGk=\u{fffd}b\u{fffd}[2Jc\u{fffd}d\r\ne\tf\u{fffd}g\u{fffd}"
        );
        assert_eq!(c.chars().count(), hostile.chars().count());
        assert!(matches!(clean("plain 权重\n"), Cow::Borrowed(_)));
    }
}
