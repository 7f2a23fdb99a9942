//! Dense layers and the multilayer perceptron built from them.

mod mlp;

pub use mlp::{Dense, Hidden, Mlp, Workspace};
