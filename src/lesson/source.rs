//! The text of one lesson file: size limits, UTF-8 decoding, and the map
//! from byte offsets to 1-based `line:col` (columns in characters).

use super::Diagnostic;
use crate::i18n::Msg;
use crate::msg;

/// Largest lesson file accepted. Real lessons are a few KB; the limit keeps
/// a stray 10 MB file from stalling the catalog.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Longest line accepted, in bytes. Prose paragraphs stay far below this;
/// a longer line is a generated or corrupt file.
pub const MAX_LINE_BYTES: usize = 10_000;

/// A file's text with its line starts, for locating diagnostics.
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source { path, text, starts }
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(self.text.len(), |&e| e - 1);
        self.text
            .get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// 1-based line and character column of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// An error covering bytes `span` of the file, with its source line attached.
    pub fn error_at(&self, span: std::ops::Range<usize>, message: Msg) -> Diagnostic {
        let (line, col) = self.line_col(span.start);
        let text = self.line_text(line);
        // Underline up to the end of the span, but never past the line.
        let end = span
            .end
            .min(self.starts.get(line).map_or(self.text.len(), |&e| e - 1));
        let width = self
            .text
            .get(span.start.min(end)..end)
            .map_or(1, |s| s.chars().count());
        Diagnostic::error(self.path, line, col, message).with_source(text, width)
    }

    /// An error on a whole line (1-based), caret at its first character.
    pub fn error_line(&self, line: usize, message: Msg) -> Diagnostic {
        let text = self.line_text(line);
        let width = text.chars().count().clamp(1, 80);
        Diagnostic::error(self.path, line, 1, message).with_source(text, width)
    }

    /// Byte offset where 1-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Checks size, encoding and line length; returns the text without a BOM.
// One per file at most, never in a loop: boxing would only add noise.
#[allow(clippy::result_large_err)]
pub fn decode<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            1,
            1,
            msg!(
                "file is {size} bytes; lessons are limited to {max} bytes",
                size = bytes.len(),
                max = MAX_FILE_BYTES
            ),
        )
        .with_help(msg!("split the lesson into several files")));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let src = Source::new(path, good);
            let (line, col) = src.line_col(good.len());
            let bad = bytes[e.valid_up_to()];
            return Err(Diagnostic::error(
                path,
                line,
                col,
                msg!(
                    "file is not valid UTF-8 (byte {byte})",
                    byte = format!("0x{bad:02x}")
                ),
            )
            .with_source(src.line_text(line), 1)
            .with_help(msg!("save the file as UTF-8")));
        }
    };
    for (i, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            return Err(Diagnostic::error(
                path,
                i + 1,
                1,
                msg!(
                    "line is {size} bytes long; the limit is {max}",
                    size = line.len(),
                    max = MAX_LINE_BYTES
                ),
            )
            .with_source(line, 1)
            .with_help(msg!("break the paragraph into shorter lines")));
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let s = Source::new("a.md", "ab\n权重 = 1\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        // "权重 " is 7 bytes and 3 characters.
        assert_eq!(s.line_col(3 + 7), (2, 4));
        assert_eq!(s.line_text(2), "权重 = 1");
        assert_eq!(s.line_text(9), "");
    }

    #[test]
    fn decode_locates_the_first_bad_byte() {
        let d = decode("a.md", b"ok\nab\xffcd").unwrap_err();
        assert_eq!((d.line, d.col), (2, 3));
    }
}
