//! The headless view: a [`Snapshot`](crate::demo::Snapshot) as plain-text
//! charts (textplots) or JSON lines, for pipes, CI and the claim tests.
