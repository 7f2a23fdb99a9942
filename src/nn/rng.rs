//! The one random number generator every draw in nntutor comes from.
//!
//! ChaCha8 is named by its algorithm and documented as portable: the same seed
//! gives the same stream on every platform and every version of `rand_chacha`,
//! which `StdRng` does not promise. Pass it by `&mut`; never create another.

use rand::SeedableRng;

/// The seeded, portable generator (ChaCha with 8 rounds).
pub type Rng = rand_chacha::ChaCha8Rng;

/// A generator seeded from a lesson's `seed` key.
pub fn seeded(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}
