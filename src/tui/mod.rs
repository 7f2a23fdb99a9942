//! The terminal view (ratatui + crossterm), in the Elm architecture: one
//! `App` state, `Msg` events, a pure `update` and pure views.

use std::path::PathBuf;

use crate::lesson::Catalog;

/// What the CLI hands the TUI.
#[derive(Clone, Debug, Default)]
pub struct TuiOptions {
    pub catalog: Catalog,
    /// UI and lesson language (`en`, `zh`).
    pub lang: String,
    /// A lesson id to open directly (a file argument), instead of the catalog.
    pub open: Option<String>,
    /// Instructor folders and files to watch for live reload.
    pub watch: Vec<PathBuf>,
    /// Do not read or write the progress file (`--no-save`).
    pub no_save: bool,
    /// Colour theme: `dark` or `light` (`--theme`).
    pub theme: String,
}

/// Runs the tutor until the student quits. Placeholder until the terminal
/// UI lands: says so, so the CLI can point at `nntutor run`.
pub fn run(_options: TuiOptions) -> anyhow::Result<()> {
    anyhow::bail!("the terminal UI is not built into this version yet")
}
