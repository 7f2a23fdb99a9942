//! The subcommands behind `main`: each returns `Ok` or a [`Failure`] that
//! `main` turns into exit code 1.

pub mod check;
pub mod grade;
pub mod run;

use std::io::{IsTerminal, Write};

use nntutor::color::{ColorChoice, ColorMode};
use nntutor::i18n::{Lang, Msg};
use nntutor::lesson::{Catalog, Diagnostic};
use nntutor::msg;

/// Why a command failed: already printed, or a message still to print
/// (in the language of the run).
#[derive(Debug)]
pub enum Failure {
    Reported,
    Message(Msg),
}

/// `--color`, set once by `main`.
static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

pub fn set_color(choice: ColorChoice) {
    let _ = COLOR.set(choice);
}

pub fn color() -> ColorChoice {
    COLOR.get().copied().unwrap_or_default()
}

/// Prints diagnostics to stderr in `lang` with carets, in colour where the
/// colour policy ([`nntutor::color`]) says so.
pub fn report<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>, lang: Lang) {
    let color =
        nntutor::color::from_env(color(), std::io::stderr().is_terminal()) != ColorMode::None;
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{}", d.render(lang, color));
    }
}

/// Writes a line to stdout. A closed pipe (`| head`) ends the program
/// quietly; any other failure (`> /dev/full`) is an error: the output the
/// user asked for is lost, so the exit code must say so.
pub fn out(line: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{line}").and_then(|_| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        err(&format!("nntutor: cannot write the output: {e}"));
        std::process::exit(1);
    }
}

/// Writes a line to stderr, ignoring failure (`2>/dev/full`, a closed
/// pipe): a message that cannot be shown must not turn into an abort, as
/// `eprintln!`'s panic would.
pub fn err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The catalog for `list` and `run`: embedded lessons plus `--lessons`
/// folders, failing if a folder cannot be used at all.
pub fn catalog(
    dirs: &[std::path::PathBuf],
    files: &[std::path::PathBuf],
) -> Result<Catalog, Failure> {
    for d in dirs {
        if !d.is_dir() {
            return Err(Failure::Message(msg!(
                "--lessons {path}: not a folder",
                path = d.display().to_string()
            )));
        }
    }
    Ok(Catalog::load(dirs, files))
}
