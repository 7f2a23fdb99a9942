//! The terminal view (ratatui + crossterm), in the Elm architecture: one
//! [`app::App`] state, [`msg::Msg`] events, a pure [`update::update`] and
//! pure views (`impl Widget for &App`). Only [`terminal`] does I/O.

pub mod app;
pub mod i18n;
pub mod keymap;
pub mod knobs;
pub mod markdown;
pub mod msg;
pub mod playground;
pub mod progress;
pub mod run;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod update;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;

use crate::lesson::Catalog;

/// Reads the lesson files again (the CLI passes `Catalog::load` over its
/// folders and files); called on a file change or the reload key.
pub type Reloader = Arc<dyn Fn() -> Catalog + Send + Sync>;

/// What the CLI hands the TUI.
#[derive(Clone, Default)]
pub struct TuiOptions {
    pub catalog: Catalog,
    /// UI and lesson language (`en`, `zh`); empty = from `LC_ALL`/`LANG`.
    pub lang: String,
    /// A lesson id to open directly (a file argument), instead of the catalog.
    pub open: Option<String>,
    /// `nntutor play`: open the playground instead of the catalog.
    pub play: bool,
    /// Instructor folders and files to watch for live reload.
    pub watch: Vec<PathBuf>,
    /// `--no-save`: read no progress and write none.
    pub no_save: bool,
    /// `--theme`: `dark` (default) or `light`.
    pub theme: String,
    /// The colour mode `--color` and the environment give (see [`crate::color`]).
    pub color: crate::color::ColorMode,
    /// How to re-read the watched files; `None` disables reloading.
    pub reload: Option<Reloader>,
    /// Where progress is kept; `None` = `$XDG_DATA_HOME/nntutor/progress.json`.
    pub progress_path: Option<PathBuf>,
}

impl std::fmt::Debug for TuiOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TuiOptions")
            .field("entries", &self.catalog.entries.len())
            .field("lang", &self.lang)
            .field("open", &self.open)
            .field("play", &self.play)
            .field("watch", &self.watch)
            .field("no_save", &self.no_save)
            .field("theme", &self.theme)
            .field("reload", &self.reload.is_some())
            .field("progress_path", &self.progress_path)
            .finish()
    }
}

/// Runs the tutor until the student quits. Fails (with a message that
/// suggests `nntutor run`) when stdin or stdout is not a terminal.
pub fn run(opts: TuiOptions) -> anyhow::Result<()> {
    terminal::run(opts)
}
