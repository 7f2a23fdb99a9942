//! The engine: dense layers, activations, losses, initializers, regularizers,
//! dropout, optimizers (SGD and the torch.optim family), normalization layers
//! and data sets, in `f64` with ndarray. Knows nothing of lessons or terminals.

pub mod activation;
pub mod data;
pub mod dropout;
pub mod init;
pub mod layer;
pub mod loss;
pub mod norm;
pub mod optim;
pub mod optimizer;
pub mod regularize;
pub mod rng;

pub use activation::Activation;
pub use dropout::{Dropout, DropoutMode};
pub use init::{Init, calculate_gain};
pub use layer::{Dense, Hidden, Mlp, Norm, NormKind, Workspace};
pub use loss::Loss;
pub use norm::{BatchNorm1d, LayerNorm, NormCache, NormError, NormGrads, NormMode};
pub use optim::Sgd;
pub use optimizer::{HyperError, Hyperparams, Optimizer, OptimizerKind};
pub use regularize::{L1Mode, L2Mode, Penalty};
pub use rng::{Rng, seeded};
