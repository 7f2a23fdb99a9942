//! The engine: dense layers, activations, losses, initializers, regularizers,
//! dropout, SGD and data sets, in `f64` with ndarray. Knows nothing of lessons
//! or terminals.

pub mod rng;

pub use rng::{Rng, seeded};
