//! Text the tool writes itself (diagnostics, chart labels), in every UI language.
//!
//! A [`Msg`] keeps its English template and its arguments rather than a
//! formatted string, so one diagnostic or chart title can be shown in
//! whichever language the reader switches to, long after it was made. The
//! English template is also the key of the translation table (the gettext
//! way): a message reads naturally where it is written, and a test checks
//! that every `msg!` template in the source has a Chinese entry with the
//! same placeholders, and that no entry is left over.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

mod zh;

/// A UI language: English, or Chinese. A lesson folder in any other
/// language is shown with English tool text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language of a code such as `en`, `zh`, `zh_CN.UTF-8`; `None` if unknown.
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        if code.starts_with("zh") {
            Some(Lang::Zh)
        } else if code.starts_with("en") || code == "c" || code == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The tool's language for a lesson language: its own if the tool
    /// speaks it, else English.
    pub fn for_lessons(code: &str) -> Lang {
        Lang::from_code(code).unwrap_or(Lang::En)
    }

    /// The folder name lessons use for this language.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The other language (the `L` key toggles between the two).
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

/// A message of the tool's own: an English template with `{name}`
/// placeholders and their values. Build it with [`msg!`](crate::msg).
#[derive(Clone, Debug, PartialEq)]
pub struct Msg {
    template: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// The value of one placeholder: text shown as is (numbers, names, the
/// lesson's own words), or a message translated in turn.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Text(String),
    Msg(Msg),
    /// A number the run measured, as opposed to a setting: a chart title
    /// shows it as `?` until the student has made the step's prediction.
    Measured(String),
}

/// Marks a title's argument as a measurement (see [`Arg::Measured`]).
pub fn measured(value: impl fmt::Display) -> Arg {
    Arg::Measured(value.to_string())
}

/// A [`Msg`] from an English template literal and named arguments;
/// `name` alone passes the variable `name`.
///
/// ```
/// use nntutor::msg;
/// let key = "lr";
/// let m = msg!("unknown key `{key}` in {what}", key, what = "the front matter");
/// assert_eq!(m.to_string(), "unknown key `lr` in the front matter");
/// ```
#[macro_export]
macro_rules! msg {
    (@value $name:ident) => { $name };
    (@value $name:ident, $value:expr) => { $value };
    ($template:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::i18n::Msg::new(
            $template,
            vec![$((
                stringify!($name),
                $crate::i18n::Arg::from($crate::msg!(@value $name $(, $value)?)),
            )),*],
        )
    };
}

impl Msg {
    /// A message; prefer [`msg!`](crate::msg), whose template the
    /// translation test can find.
    pub fn new(template: &'static str, args: Vec<(&'static str, Arg)>) -> Msg {
        debug_assert!(
            placeholders(template).all(|p| args.iter().any(|(n, _)| *n == p)),
            "msg!({template:?}) lacks an argument"
        );
        Msg { template, args }
    }

    /// Text that is not the tool's to translate: an I/O error from the
    /// system, a parser's message, a lesson's own words.
    pub fn verbatim(text: impl Into<String>) -> Msg {
        Msg::new("{text}", vec![("text", Arg::Text(text.into()))])
    }

    /// The same message with every [`Arg::Measured`] (its own and its
    /// arguments') shown as `?`: a chart title that must not state a result
    /// before the student predicts it. Settings stay readable.
    pub fn masked(&self) -> Msg {
        let args = self
            .args
            .iter()
            .map(|(n, a)| {
                let a = match a {
                    Arg::Measured(_) => Arg::Measured("?".into()),
                    Arg::Text(t) => Arg::Text(t.clone()),
                    Arg::Msg(m) => Arg::Msg(m.masked()),
                };
                (*n, a)
            })
            .collect();
        Msg {
            template: self.template,
            args,
        }
    }

    /// The English template (the translation key).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The message in `lang`; English where the table has no entry.
    pub fn text(&self, lang: Lang) -> String {
        let template = match lang {
            Lang::En => self.template,
            Lang::Zh => zh_table()
                .get(self.template)
                .copied()
                .unwrap_or(self.template),
        };
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    match self.args.iter().find(|(n, _)| *n == name) {
                        Some((_, Arg::Text(t) | Arg::Measured(t))) => out.push_str(t),
                        Some((_, Arg::Msg(m))) => out.push_str(&m.text(lang)),
                        None => out.push_str(&rest[open..open + close + 2]),
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// `text` with `help` in parentheses after it, in `lang`: the one-line
/// form of a problem and its remedy.
pub fn with_help(text: String, help: Option<&Msg>, lang: Lang) -> String {
    match help {
        Some(help) => format!("{text} ({})", help.text(lang)),
        None => text,
    }
}

/// The names of the `{name}` placeholders of a template.
pub fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

fn zh_table() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| zh::ENTRIES.iter().copied().collect())
}

impl fmt::Display for Msg {
    /// The English text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl serde::Serialize for Msg {
    /// JSON output is English, whatever `--lang` says: scripts match on it.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(m)
    }
}

impl From<&Msg> for Arg {
    fn from(m: &Msg) -> Arg {
        Arg::Msg(m.clone())
    }
}

macro_rules! text_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Text(v.to_string())
            }
        }
    )*};
}

text_args!(
    &str, String, &String, &&str, char, usize, u32, u64, i32, i64, f64
);

#[cfg(test)]
mod tests;
