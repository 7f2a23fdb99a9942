//! nntutor: a terminal tutor for why neural networks are initialized and
//! regularized the way they are.
//!
//! Data flows one way: a lesson file is parsed into [`lesson::Lesson`]s, each
//! step's demo spec is built into a [`demo::Demo`] that runs the [`nn`] engine,
//! and the demo's [`demo::Snapshot`] is drawn by either view: [`tui`] (ratatui)
//! or [`headless`] (textplots / JSON). Only `tui` may touch the terminal.

pub mod color;
pub mod demo;
pub mod headless;
pub mod i18n;
pub mod lesson;
pub mod nn;
pub mod safe;
#[cfg(feature = "tui")]
pub mod tui;
