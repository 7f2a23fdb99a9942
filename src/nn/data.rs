//! Data sets generated from the one seeded generator: 1-D regression (a sine
//! with non-zero mean, optionally as polynomial features), sparse linear
//! regression, and four 2-D two-class problems.
//!
//! The training set is drawn first, then the test set, from the same
//! distribution; classification targets are one-hot rows.

use std::f64::consts::PI;

use ndarray::{Array1, Array2};
use rand::Rng as _;
use rand_distr::{Distribution, StandardNormal};

use super::Rng;

/// Names of the data sets as lesson files write them.
pub const DATASET_NAMES: &[&str] = &[
    "sine",
    "sine-poly",
    "sparse",
    "spirals",
    "circles",
    "xor",
    "moons",
];

/// What a data set is, with what its charts need to draw it.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// y = sin(πx) + noise, x ∈ [0, 1]: mean of the target 2/π ≈ 0.64, so a
    /// zero-initialized sigmoid net does not start at a stationary point.
    Sine,
    /// The sine data fed as (z, z², …, z^degree), z = 2x − 1 ∈ [−1, 1].
    SinePoly { degree: usize },
    /// y = X·w_true + noise, X ~ N(0, 1); `w_true` has few non-zeros.
    Sparse { w_true: Vec<f64> },
    /// Two classes in the plane.
    Plane,
}

/// A generated training and test set.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub shape: Shape,
    /// x_train: (n_train, n_inputs); y_train: (n_train, n_outputs)
    pub x_train: Array2<f64>,
    pub y_train: Array2<f64>,
    /// x_test: (n_test, n_inputs); y_test: (n_test, n_outputs)
    pub x_test: Array2<f64>,
    pub y_test: Array2<f64>,
    /// For 1-D sets, the raw x of each training / test sample (before features).
    pub raw_train: Vec<f64>,
    pub raw_test: Vec<f64>,
}

impl Dataset {
    /// Inputs per sample.
    pub fn n_inputs(&self) -> usize {
        self.x_train.ncols()
    }

    /// Outputs per sample: 1 (regression) or 2 (two classes, one-hot).
    pub fn n_outputs(&self) -> usize {
        self.y_train.ncols()
    }

    /// Whether targets are class labels.
    pub fn is_classification(&self) -> bool {
        self.shape == Shape::Plane
    }

    /// The network input for raw 1-D x values (identity or polynomial features).
    /// → (xs.len(), n_inputs)
    pub fn features(&self, xs: &[f64]) -> Array2<f64> {
        let column = Array2::from_shape_vec((xs.len(), 1), xs.to_vec()).expect("one column");
        match self.shape {
            Shape::SinePoly { degree } => polynomial_features(&column, degree),
            _ => column,
        }
    }

    /// The noise-free target of the 1-D sets.
    pub fn truth(x: f64) -> f64 {
        (PI * x).sin()
    }
}

/// Input size the named data set will have, so `layers` can be checked first.
pub fn input_size(name: &str, features: usize) -> usize {
    match name {
        "sine" => 1,
        "sine-poly" | "sparse" => features,
        _ => 2,
    }
}

/// Output size of the named data set: 1 for regression, 2 for two classes.
pub fn output_size(name: &str) -> usize {
    match name {
        "sine" | "sine-poly" | "sparse" => 1,
        _ => 2,
    }
}

/// Parameters of a generated data set.
#[derive(Clone, Copy, Debug)]
pub struct DataSpec<'a> {
    pub name: &'a str,
    pub n_train: usize,
    pub n_test: usize,
    /// Standard deviation of the label noise (regression) or input jitter (2-D).
    pub noise: f64,
    /// Sparse: number of inputs; sine-poly: polynomial degree.
    pub features: usize,
    /// Sparse: number of non-zero true weights.
    pub relevant: usize,
}

/// Generates the named data set; `None` for an unknown name.
pub fn generate(spec: &DataSpec, rng: &mut Rng) -> Option<Dataset> {
    let DataSpec {
        name,
        n_train,
        n_test,
        noise,
        ..
    } = *spec;
    Some(match name {
        "sine" | "sine-poly" => {
            let (raw_train, y_train) = sine(n_train, noise, rng);
            let (raw_test, y_test) = sine(n_test, noise, rng);
            let shape = if name == "sine" {
                Shape::Sine
            } else {
                Shape::SinePoly {
                    degree: spec.features,
                }
            };
            let mut d = Dataset {
                shape,
                x_train: Array2::zeros((0, 1)),
                y_train,
                x_test: Array2::zeros((0, 1)),
                y_test,
                raw_train,
                raw_test,
            };
            d.x_train = d.features(&d.raw_train);
            d.x_test = d.features(&d.raw_test);
            d
        }
        "sparse" => {
            let (f, k) = (spec.features, spec.relevant.min(spec.features));
            let w_true = sparse_weights(f, k, rng);
            let (x_train, y_train) = linear(&w_true, n_train, noise, rng);
            let (x_test, y_test) = linear(&w_true, n_test, noise, rng);
            Dataset {
                shape: Shape::Sparse {
                    w_true: w_true.to_vec(),
                },
                x_train,
                y_train,
                x_test,
                y_test,
                raw_train: Vec::new(),
                raw_test: Vec::new(),
            }
        }
        "spirals" | "circles" | "xor" | "moons" => {
            let (x_train, y_train) = plane(name, n_train, noise, rng);
            let (x_test, y_test) = plane(name, n_test, noise, rng);
            Dataset {
                shape: Shape::Plane,
                x_train,
                y_train,
                x_test,
                y_test,
                raw_train: Vec::new(),
                raw_test: Vec::new(),
            }
        }
        _ => return None,
    })
}

fn gauss(rng: &mut Rng) -> f64 {
    StandardNormal.sample(rng)
}

/// n samples x ~ U[0, 1], y = sin(πx) + N(0, noise²). → (xs, y: (n, 1))
fn sine(n: usize, noise: f64, rng: &mut Rng) -> (Vec<f64>, Array2<f64>) {
    let xs: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let y = Array2::from_shape_fn((n, 1), |(i, _)| Dataset::truth(xs[i]) + noise * gauss(rng));
    (xs, y)
}

/// Columns z, z², …, z^degree of z = 2x − 1, so every feature stays in [−1, 1]
/// and high powers neither vanish nor explode. x: (n, 1) → (n, degree)
pub fn polynomial_features(x: &Array2<f64>, degree: usize) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), degree), |(i, j)| {
        (2.0 * x[[i, 0]] - 1.0).powi(j as i32 + 1)
    })
}

/// `relevant` non-zero weights at random positions, magnitudes U[0.5, 1.5]
/// with random signs (clearly away from 0, so zeros are unambiguous). → (features)
fn sparse_weights(features: usize, relevant: usize, rng: &mut Rng) -> Array1<f64> {
    let mut w = Array1::zeros(features);
    let mut placed = 0;
    while placed < relevant {
        let j = rng.random_range(0..features);
        if w[j] == 0.0 {
            let sign = if rng.random::<bool>() { 1.0 } else { -1.0 };
            w[j] = sign * (0.5 + rng.random::<f64>());
            placed += 1;
        }
    }
    w
}

/// X ~ N(0, 1), y = X·w + N(0, noise²). → (x: (n, features), y: (n, 1))
fn linear(w: &Array1<f64>, n: usize, noise: f64, rng: &mut Rng) -> (Array2<f64>, Array2<f64>) {
    let x = Array2::from_shape_fn((n, w.len()), |_| gauss(rng));
    let clean = x.dot(w);
    let y = Array2::from_shape_fn((n, 1), |(i, _)| clean[i] + noise * gauss(rng));
    (x, y)
}

/// n points of a two-class problem, classes alternating (balanced), jittered
/// by N(0, noise²) per coordinate. → (x: (n, 2), one-hot y: (n, 2))
fn plane(name: &str, n: usize, noise: f64, rng: &mut Rng) -> (Array2<f64>, Array2<f64>) {
    let mut x = Array2::zeros((n, 2));
    let mut y = Array2::zeros((n, 2));
    for i in 0..n {
        let mut class = i % 2;
        let (a, b) = match name {
            // Two interleaved arms, each turning 1.75 times, radius 0 → 1.
            "spirals" => {
                let t = rng.random::<f64>();
                let angle = 3.5 * PI * t + PI * class as f64;
                (t * angle.cos(), t * angle.sin())
            }
            // Class 1 on a circle of radius 0.5 inside class 0 at radius 1.
            "circles" => {
                let angle = 2.0 * PI * rng.random::<f64>();
                let r = if class == 1 { 0.5 } else { 1.0 };
                (r * angle.cos(), r * angle.sin())
            }
            // Class 1 where both coordinates have the same sign.
            "xor" => {
                let (u, v) = (
                    2.0 * rng.random::<f64>() - 1.0,
                    2.0 * rng.random::<f64>() - 1.0,
                );
                class = usize::from(u * v > 0.0);
                (u, v)
            }
            // scikit-learn's make_moons, centred on the origin.
            _ => {
                let t = PI * rng.random::<f64>();
                if class == 0 {
                    (t.cos() - 0.5, t.sin() - 0.25)
                } else {
                    (0.5 - t.cos(), 0.25 - t.sin())
                }
            }
        };
        x[[i, 0]] = a + noise * gauss(rng);
        x[[i, 1]] = b + noise * gauss(rng);
        y[[i, class]] = 1.0;
    }
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::seeded;

    #[test]
    fn every_data_set_has_the_announced_shape() {
        for &name in DATASET_NAMES {
            let spec = DataSpec {
                name,
                n_train: 10,
                n_test: 7,
                noise: 0.1,
                features: 5,
                relevant: 2,
            };
            let d = generate(&spec, &mut seeded(3)).unwrap();
            assert_eq!(d.x_train.dim(), (10, input_size(name, 5)), "{name}");
            assert_eq!(d.y_test.dim(), (7, output_size(name)), "{name}");
            assert!(
                d.x_train
                    .iter()
                    .chain(d.y_train.iter())
                    .all(|v| v.is_finite())
            );
            if let Shape::Sparse { w_true } = &d.shape {
                assert_eq!(w_true.iter().filter(|&&w| w != 0.0).count(), 2);
            }
        }
    }
}
