//! Dense layers and the multilayer perceptron built from them.

mod matmul;
mod mlp;

pub use mlp::{Dense, Hidden, Mlp, Norm, NormKind, Workspace, l2_norm};
