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
}
