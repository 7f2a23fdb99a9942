//! Data sets generated from the one seeded generator: 1-D regression (a sine
//! with non-zero mean, optionally as polynomial features), sparse linear
//! regression, 2-D regression (`plane`) and five 2-D classification problems
//! in the spirit of TF Playground's (spirals and gauss with any number of
//! classes), fed to the net as the chosen input features of (x₁, x₂).
//!
//! The training set is drawn first, then its label noise, then the test
//! set, from the same distribution; classification targets are one-hot rows.

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
    "gauss",
    "plane",
];

/// Data sets whose points lie in the plane (x₁, x₂ ∈ about [−1, 1]).
pub const PLANE_SETS: &[&str] = &["spirals", "circles", "xor", "moons", "gauss", "plane"];

/// Plane sets that may have more than two classes.
pub const MULTICLASS_SETS: &[&str] = &["spirals", "gauss"];

/// A feature the net sees of a point (x₁, x₂) in the plane, as TF
/// Playground offers them; the sines take π·x so that the plane, which
/// spans about [−1, 1], holds one period of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    X1,
    X2,
    X1Squared,
    X2Squared,
    X1X2,
    SinX1,
    SinX2,
}

/// Names of the inputs as lesson files write them, in [`Input`]'s order.
pub const INPUT_NAMES: &[&str] = &[
    "x1",
    "x2",
    "x1^2",
    "x2^2",
    "x1*x2",
    "sin(pi*x1)",
    "sin(pi*x2)",
];

impl Input {
    const ALL: [Input; 7] = [
        Input::X1,
        Input::X2,
        Input::X1Squared,
        Input::X2Squared,
        Input::X1X2,
        Input::SinX1,
        Input::SinX2,
    ];

    pub fn from_name(name: &str) -> Option<Input> {
        INPUT_NAMES
            .iter()
            .position(|&n| n == name)
            .map(|i| Input::ALL[i])
    }

    /// The feature's value at the point (a, b).
    pub fn of(self, a: f64, b: f64) -> f64 {
        match self {
            Input::X1 => a,
            Input::X2 => b,
            Input::X1Squared => a * a,
            Input::X2Squared => b * b,
            Input::X1X2 => a * b,
            Input::SinX1 => (PI * a).sin(),
            Input::SinX2 => (PI * b).sin(),
        }
    }
}

/// The chosen features of every point. points: (n, 2) → (n, inputs.len())
pub fn plane_features(points: &Array2<f64>, inputs: &[Input]) -> Array2<f64> {
    Array2::from_shape_fn((points.nrows(), inputs.len()), |(i, j)| {
        inputs[j].of(points[[i, 0]], points[[i, 1]])
    })
}

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
    /// Classes in the plane; the net sees `inputs` of each point.
    Plane { classes: usize, inputs: Vec<Input> },
    /// y = (x₁ + x₂)/2 + noise over the plane (TF Playground's "plane"
    /// regression); the net sees `inputs` of each point.
    Surface { inputs: Vec<Input> },
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
    /// For plane sets, the points (x₁, x₂) before features: (n_train, 2)
    /// and (n_test, 2); empty otherwise.
    pub points_train: Array2<f64>,
    pub points_test: Array2<f64>,
}

impl Dataset {
    /// Inputs per sample.
    pub fn n_inputs(&self) -> usize {
        self.x_train.ncols()
    }

    /// Outputs per sample: 1 (regression) or one per class (one-hot).
    pub fn n_outputs(&self) -> usize {
        self.y_train.ncols()
    }

    /// Whether targets are class labels.
    pub fn is_classification(&self) -> bool {
        matches!(self.shape, Shape::Plane { .. })
    }

    /// Number of classes (0 for regression).
    pub fn classes(&self) -> usize {
        match self.shape {
            Shape::Plane { classes, .. } => classes,
            _ => 0,
        }
    }

    /// A plane set from its points and targets: the net sees `inputs` of
    /// each point. train, test: (points: (n, 2), targets: (n, k))
    fn on_plane(
        shape: Shape,
        inputs: &[Input],
        (points_train, y_train): (Array2<f64>, Array2<f64>),
        (points_test, y_test): (Array2<f64>, Array2<f64>),
    ) -> Dataset {
        Dataset {
            shape,
            x_train: plane_features(&points_train, inputs),
            y_train,
            x_test: plane_features(&points_test, inputs),
            y_test,
            raw_train: Vec::new(),
            raw_test: Vec::new(),
            points_train,
            points_test,
        }
    }

    /// The net's input for points of the plane. points: (n, 2) → (n, n_inputs)
    pub fn plane_input(&self, points: &Array2<f64>) -> Array2<f64> {
        match &self.shape {
            Shape::Plane { inputs, .. } | Shape::Surface { inputs } => {
                plane_features(points, inputs)
            }
            _ => points.clone(),
        }
    }

    /// The last `n` training samples, moved out into a validation set
    /// (Keras's `validation_split`: the samples are i.i.d., so the tail is
    /// as random as any subset). → (x_val, y_val)
    pub fn split_validation(&mut self, n: usize) -> (Array2<f64>, Array2<f64>) {
        let keep = self.x_train.nrows().saturating_sub(n);
        let take = |a: &mut Array2<f64>| {
            let val = a.slice(ndarray::s![keep.., ..]).to_owned();
            *a = a.slice(ndarray::s![..keep, ..]).to_owned();
            val
        };
        let x_val = take(&mut self.x_train);
        let y_val = take(&mut self.y_train);
        if self.points_train.nrows() > keep {
            take(&mut self.points_train);
        }
        self.raw_train.truncate(keep);
        (x_val, y_val)
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

/// Input size the data set will have, so `layers` can be checked first.
pub fn input_size(spec: &DataSpec) -> usize {
    match spec.name {
        "sine" => 1,
        "sine-poly" | "sparse" => spec.features,
        _ => spec.inputs.len(),
    }
}

/// Target columns of the data set: 1 for regression, one per class.
pub fn output_size(spec: &DataSpec) -> usize {
    if is_regression(spec.name) {
        1
    } else {
        spec.classes
    }
}

/// Whether the named set's targets are numbers rather than classes.
pub fn is_regression(name: &str) -> bool {
    matches!(name, "sine" | "sine-poly" | "sparse" | "plane")
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
    /// Classification sets: number of classes (2 except for spirals/gauss).
    pub classes: usize,
    /// Classification sets: the fraction of training labels replaced by
    /// another class drawn uniformly (the test labels stay clean).
    pub label_noise: f64,
    /// Plane sets: the features of (x₁, x₂) the net sees.
    pub inputs: &'a [Input],
}

impl DataSpec<'_> {
    /// A spec of the named set with the defaults of every other field:
    /// 2 classes, no label noise, inputs (x₁, x₂).
    pub fn new(name: &str, n_train: usize, n_test: usize, noise: f64) -> DataSpec<'_> {
        DataSpec {
            name,
            n_train,
            n_test,
            noise,
            features: 1,
            relevant: 1,
            classes: 2,
            label_noise: 0.0,
            inputs: &[Input::X1, Input::X2],
        }
    }
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
                points_train: Array2::zeros((0, 2)),
                points_test: Array2::zeros((0, 2)),
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
                points_train: Array2::zeros((0, 2)),
                points_test: Array2::zeros((0, 2)),
            }
        }
        "plane" => {
            let (points_train, y_train) = surface(n_train, noise, rng);
            let (points_test, y_test) = surface(n_test, noise, rng);
            let shape = Shape::Surface {
                inputs: spec.inputs.to_vec(),
            };
            Dataset::on_plane(
                shape,
                spec.inputs,
                (points_train, y_train),
                (points_test, y_test),
            )
        }
        "spirals" | "circles" | "xor" | "moons" | "gauss" => {
            let classes = if MULTICLASS_SETS.contains(&name) {
                spec.classes.max(2)
            } else {
                2
            };
            let (points_train, mut y_train) = plane(name, classes, n_train, noise, rng);
            flip_labels(&mut y_train, spec.label_noise, rng);
            let (points_test, y_test) = plane(name, classes, n_test, noise, rng);
            let shape = Shape::Plane {
                classes,
                inputs: spec.inputs.to_vec(),
            };
            Dataset::on_plane(
                shape,
                spec.inputs,
                (points_train, y_train),
                (points_test, y_test),
            )
        }
        _ => return None,
    })
}

/// Replaces each one-hot row's class, with probability `fraction`, by one of
/// the other classes drawn uniformly; draws nothing when `fraction` is 0, so
/// a set without label noise is the same as before the key existed.
fn flip_labels(y: &mut Array2<f64>, fraction: f64, rng: &mut Rng) {
    let k = y.ncols();
    if fraction <= 0.0 || k < 2 {
        return;
    }
    for mut row in y.rows_mut() {
        if rng.random::<f64>() < fraction {
            let class = row.iter().position(|&v| v == 1.0).unwrap_or(0);
            let other = (class + 1 + rng.random_range(0..k - 1)) % k;
            row.fill(0.0);
            row[other] = 1.0;
        }
    }
}

/// n points uniform on [−1, 1]², y = (x₁ + x₂)/2 + N(0, noise²): TF
/// Playground's "plane" regression on our scale. → (points: (n, 2), y: (n, 1))
fn surface(n: usize, noise: f64, rng: &mut Rng) -> (Array2<f64>, Array2<f64>) {
    let mut points = Array2::zeros((n, 2));
    let mut y = Array2::zeros((n, 1));
    for i in 0..n {
        let (a, b) = (
            2.0 * rng.random::<f64>() - 1.0,
            2.0 * rng.random::<f64>() - 1.0,
        );
        points[[i, 0]] = a;
        points[[i, 1]] = b;
        y[[i, 0]] = (a + b) / 2.0 + noise * gauss(rng);
    }
    (points, y)
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

/// n points of a `classes`-class problem, classes in turn (balanced),
/// jittered by N(0, noise²) per coordinate. → (x: (n, 2), one-hot y: (n, classes))
fn plane(
    name: &str,
    classes: usize,
    n: usize,
    noise: f64,
    rng: &mut Rng,
) -> (Array2<f64>, Array2<f64>) {
    let mut x = Array2::zeros((n, 2));
    let mut y = Array2::zeros((n, classes));
    for i in 0..n {
        let mut class = i % classes;
        let (a, b) = match name {
            // Interleaved arms, each turning 1.75 times, radius 0 → 1; arm k
            // starts at angle 2πk/classes (π apart for two).
            "spirals" => {
                let t = rng.random::<f64>();
                let angle = 3.5 * PI * t + 2.0 * PI * class as f64 / classes as f64;
                (t * angle.cos(), t * angle.sin())
            }
            // A blob of std 0.25 per class, centred 0.6 from the origin at
            // 45° + 360°·k/classes: TF Playground's two Gaussians at (2, 2)
            // and (−2, −2) on its [−6, 6] plane for two classes.
            "gauss" => {
                let angle = PI / 4.0 + 2.0 * PI * class as f64 / classes as f64;
                (
                    0.6 * angle.cos() + 0.25 * gauss(rng),
                    0.6 * angle.sin() + 0.25 * gauss(rng),
                )
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
                features: 5,
                relevant: 2,
                ..DataSpec::new(name, 10, 7, 0.1)
            };
            let d = generate(&spec, &mut seeded(3)).unwrap();
            assert_eq!(d.x_train.dim(), (10, input_size(&spec)), "{name}");
            assert_eq!(d.y_test.dim(), (7, output_size(&spec)), "{name}");
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
