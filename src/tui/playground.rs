//! The free playground (`nntutor play`, `p` on the lesson list): a one-step
//! lesson made in code whose `train` demo has every knob a student would
//! turn, as TensorFlow Playground has, and the lesson file `s` writes from it.
//!
//! It reuses the lesson screen whole (knob panel, pacing, replay, help);
//! what is its own: the text, the knob list, keeping `layers` in step with
//! `dataset`, `inputs` and `classes`, and the saved file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::demo::{self, Params, Value};
use crate::i18n::Lang;
use crate::lesson::{DemoSpec, Lesson, Step};
use crate::msg;
use crate::nn::data;

/// The playground's lesson id (never a file's: ids of files come from
/// their front matter, and the playground is never in the catalog).
pub const ID: &str = "nntutor-playground";

/// Seconds a run takes at 1x: longer than a lesson step's, since here
/// the student came to watch.
const RUN_SECONDS: u32 = 10;

/// The demo the playground starts with: xor's neighbour, circles, which
/// one hidden layer of 8 tanh units learns in 2000 steps (the `mlp-forward`
/// lesson's step, whose claims prove it: test accuracy above 0.97).
const START: &[(&str, Start)] = &[
    ("dataset", Start::Str("circles")),
    ("samples", Start::Int(200)),
    ("test_samples", Start::Int(400)),
    ("noise", Start::Float(0.05)),
    ("layers", Start::Ints(&[2, 8, 2])),
    ("activation", Start::Str("tanh")),
    ("lr", Start::Float(0.3)),
    ("steps", Start::Int(2000)),
    ("seed", Start::Int(7)),
];

/// A starting value (a `const`-friendly [`Value`]).
enum Start {
    Str(&'static str),
    Int(i64),
    Float(f64),
    Ints(&'static [i64]),
}

/// The knobs, in the order of TF Playground's panels: data, features,
/// network, training, regularization, then the run itself.
pub const KNOBS: &[&str] = &[
    "dataset",
    "noise",
    "classes",
    "label_noise",
    "samples",
    "inputs",
    "layers",
    "activation",
    "init",
    "optimizer",
    "lr",
    "lr_schedule",
    "batch_size",
    "l1",
    "l2",
    "keep_prob",
    "seed",
    "steps",
];

/// The panels: the decision boundary, TF Playground's per-neuron maps, the loss.
const PANELS: &[&str] = &["fit", "neurons", "loss"];

/// The `train` parameters the playground starts with.
pub fn start_params() -> Params {
    let kind = demo::kind("train").expect("train is a kind");
    let mut raw: Vec<(String, Value)> = START
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Start::Str(s) => Value::Str(s.to_string()),
                Start::Int(i) => Value::Int(*i),
                Start::Float(f) => Value::Float(*f),
                Start::Ints(l) => Value::List(l.iter().map(|&i| Value::Int(i)).collect()),
            };
            (k.to_string(), v)
        })
        .collect();
    let strs = |l: &[&str]| Value::List(l.iter().map(|s| Value::Str(s.to_string())).collect());
    // `knobs` is a key too: a parsed demo block keeps it in its params.
    raw.push(("panels".into(), strs(PANELS)));
    raw.push(("knobs".into(), strs(KNOBS)));
    kind.validate(&raw)
        .expect("the playground's start validates")
}

/// The playground as a one-step lesson, its text in `lang`.
pub fn lesson(lang: &str) -> Lesson {
    let ui = Lang::for_lessons(lang);
    let kind = demo::kind("train").expect("train is a kind");
    let intro = [
        msg!(
            "A free playground, as in TensorFlow Playground: a small network learns to tell two classes of points in the plane apart, and you change anything while it trains."
        ),
        msg!(
            "- **Tab** picks a knob, **+** and **-** (or **Left** and **Right**) change it, **Enter** types a value: `layers` as `2, 8, 8, 2`, `inputs` as `x1, x2, x1^2`.\n- Knobs marked *live* change the running network; the others restart the run. `layers` follows `dataset`, `inputs` and `classes`.\n- **s** saves this configuration as a lesson file in the current folder, for an instructor to paste its demo block into a lesson.\n- **Space** pauses, **r** restarts, **R** resets every knob, **Esc** goes to the lesson list."
        ),
        msg!(
            "The **fit** chart is the decision boundary with the training points, **neurons** shows what each unit of the first hidden layer computes over the plane, **loss** the training and test loss."
        ),
    ];
    let prose: Vec<String> = intro.iter().map(|m| m.text(ui)).collect();
    Lesson {
        id: ID.into(),
        title: msg!("Playground").text(ui),
        order: i64::MAX,
        summary: None,
        run_seconds: Some(RUN_SECONDS),
        lang: lang.into(),
        origin: "nntutor play".into(),
        steps: vec![Step {
            title: msg!("Train a network on points in the plane").text(ui),
            segments: vec![prose.join("\n\n")],
            demo: Some(DemoSpec {
                kind,
                params: start_params(),
                knobs: KNOBS.iter().map(|k| k.to_string()).collect(),
                line: 0,
            }),
            predict: None,
            hints: Vec::new(),
            expect: None,
            line: 0,
        }],
    }
}

/// `p` with the ends of `layers` and the keys that go with the data set
/// made to fit it: a data set with 2 classes gets `classes` = 2, one off
/// the plane gets the plain `inputs`, and `layers` starts with the number
/// of inputs and ends with the number of outputs. TF Playground keeps its
/// network fitted the same way; `None` when even that does not run.
pub fn fitted(p: &Params) -> Option<Params> {
    let dataset = p.str("dataset").to_string();
    let mut p = p.clone();
    if !data::MULTICLASS_SETS.contains(&dataset.as_str()) {
        p = p.with("classes", Value::Int(2)).ok()?;
    }
    if !data::PLANE_SETS.contains(&dataset.as_str()) {
        p = p.with("inputs", default_of(&p, "inputs")?).ok()?;
    }
    let inputs: Vec<data::Input> = p
        .strs("inputs")
        .iter()
        .filter_map(|n| data::Input::from_name(n))
        .collect();
    let spec = data::DataSpec {
        features: p.usize("features"),
        relevant: p.usize("relevant"),
        classes: p.usize("classes"),
        inputs: &inputs,
        ..data::DataSpec::new(&dataset, 0, 0, 0.0)
    };
    let n_out = if p.str("loss") == "binary_cross_entropy" {
        1
    } else {
        data::output_size(&spec)
    };
    let mut layers = p.usizes("layers");
    layers[0] = data::input_size(&spec);
    *layers.last_mut()? = n_out;
    let layers = Value::List(layers.iter().map(|&w| Value::Int(w as i64)).collect());
    let p = p.with("layers", layers).ok()?;
    demo::check(&p).ok().map(|()| p)
}

/// The default of `key` in `p`'s kind.
fn default_of(p: &Params, key: &str) -> Option<Value> {
    p.kind().key(key).map(|k| k.default.value())
}

/// The ```` ```demo ```` block that reproduces `p` (without the fences):
/// `kind`, the keys an author reads first, every other key that differs
/// from its default, `panels` and `knobs`. Values are written by the
/// `toml` crate, so strings are quoted and escaped as TOML reads them.
pub fn demo_block(p: &Params, knobs: &[String]) -> String {
    let kind = p.kind();
    let mut out = format!("kind = {}\n", toml::Value::from(kind.name));
    for key in kind.keys {
        let v = p.get(key.name);
        let default = key.default.value();
        let always = START.iter().any(|(k, _)| *k == key.name);
        if key.name == "panels" || key.name == "knobs" || (!always && *v == default) {
            continue;
        }
        out.push_str(&format!("{} = {}\n", key.name, to_toml(v)));
    }
    out.push_str(&format!("panels = {}\n", to_toml(p.get("panels"))));
    let knobs = Value::List(knobs.iter().map(|k| Value::Str(k.clone())).collect());
    out.push_str(&format!("knobs = {}\n", to_toml(&knobs)));
    out
}

/// `v` as a TOML value.
fn to_toml(v: &Value) -> toml::Value {
    match v {
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Int(i) => toml::Value::Integer(*i),
        Value::Float(f) => toml::Value::Float(*f),
        Value::Str(s) => toml::Value::String(s.clone()),
        Value::List(items) => toml::Value::Array(items.iter().map(to_toml).collect()),
    }
}

/// A whole lesson file (front matter and one step) that runs `p`: what
/// `s` saves, numbered `n`, its text in `lang`.
pub fn lesson_file(p: &Params, knobs: &[String], lang: &str, n: usize) -> String {
    let ui = Lang::for_lessons(lang);
    let title = msg!("Playground {n}", n).text(ui);
    let summary = msg!("A configuration saved from `nntutor play`.").text(ui);
    let step = msg!("A network on \"{dataset}\"", dataset = p.str("dataset")).text(ui);
    let prose = msg!(
        "Saved from `nntutor play`. Say here what the student should watch in the **fit**, **neurons** and **loss** charts, and which knob to turn."
    )
    .text(ui);
    format!(
        "+++\nid = {id}\ntitle = {title}\norder = 100\nsummary = {summary}\n+++\n\n## {step}\n\n{prose}\n\n```demo\n{block}```\n",
        id = toml::Value::from(format!("playground-{n}")),
        title = toml::Value::from(title),
        summary = toml::Value::from(summary),
        block = demo_block(p, knobs),
    )
}

/// Writes the lesson file for `p` into `dir` as `nntutor-playground-N.md`
/// with the first N whose file does not exist (created new: another
/// process's file is never overwritten); returns its path.
pub fn save(dir: &Path, p: &Params, knobs: &[String], lang: &str) -> std::io::Result<PathBuf> {
    for n in 1..=9999 {
        let path = dir.join(format!("nntutor-playground-{n}.md"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(lesson_file(p, knobs, lang, n).as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "nntutor-playground-1.md to -9999.md all exist",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::parse_str;

    fn knobs() -> Vec<String> {
        KNOBS.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn every_knob_is_a_train_key_and_the_start_runs() {
        let p = start_params();
        for k in KNOBS {
            assert!(p.kind().key(k).is_some(), "{k}");
        }
        demo::check(&p).unwrap();
        assert_eq!(lesson("zh").steps[0].demo.as_ref().unwrap().params, p);
    }

    #[test]
    fn the_saved_file_parses_without_warnings_and_runs_the_same_params() {
        let p = start_params()
            .with("dataset", Value::Str("spirals".into()))
            .unwrap()
            .with("classes", Value::Int(3))
            .unwrap()
            .with(
                "inputs",
                Value::List(
                    ["x1", "x2", "x1*x2", "sin(pi*x1)"]
                        .iter()
                        .map(|s| Value::Str(s.to_string()))
                        .collect(),
                ),
            )
            .unwrap()
            .with(
                "layers",
                Value::List([4, 6, 6, 3].iter().map(|&i| Value::Int(i)).collect()),
            )
            .unwrap()
            .with("optimizer", Value::Str("adam".into()))
            .unwrap()
            .with("lr", Value::Float(0.003))
            .unwrap()
            .with("keep_prob", Value::Float(0.9))
            .unwrap()
            .with("l2", Value::Float(1e-4))
            .unwrap()
            .with("batch_size", Value::Int(10))
            .unwrap();
        demo::check(&p).unwrap();
        for lang in ["en", "zh"] {
            let text = lesson_file(&p, &knobs(), lang, 3);
            let parsed = parse_str("nntutor-playground-3.md", lang, &text);
            let lesson = parsed.lesson.expect("the saved file parses");
            assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
            assert_eq!(lesson.id, "playground-3");
            let demo = lesson.steps[0].demo.as_ref().unwrap();
            assert_eq!(demo.params, p, "{text}");
            assert_eq!(demo.knobs, knobs());
        }
    }

    #[test]
    fn strings_are_escaped_as_toml() {
        let text = lesson_file(&start_params(), &knobs(), "en", 1);
        assert!(text.contains("kind = \"train\"\n"), "{text}");
        assert!(text.contains("layers = [2, 8, 2]\n"), "{text}");
        // The summary quotes `nntutor play` in backticks and the step title
        // has double quotes: both survive as TOML strings / Markdown.
        assert!(text.contains("## A network on \"circles\""), "{text}");
        let tricky = Value::Str("a \"b\" \\ 'c'\n".into());
        let back: toml::Table = toml::from_str(&format!("v = {}", to_toml(&tricky))).unwrap();
        assert_eq!(Value::from_toml(&back["v"]), Some(tricky));
    }

    #[test]
    fn layers_follow_the_data_set() {
        let p = start_params()
            .with("dataset", Value::Str("spirals".into()))
            .unwrap()
            .with("classes", Value::Int(4))
            .unwrap_or_else(|e| panic!("{e:?}"));
        // `classes` = 4 with layers [2, 8, 2] does not run; fitted makes it.
        assert!(demo::check(&p).is_err());
        let f = fitted(&p).unwrap();
        assert_eq!(f.usizes("layers"), [2, 8, 4]);
        // Back to circles: 2 classes again.
        let back = f.with("dataset", Value::Str("circles".into())).unwrap();
        let f = fitted(&back).unwrap();
        assert_eq!((f.usize("classes"), f.usizes("layers")), (2, vec![2, 8, 2]));
        // Off the plane: plain inputs, one input for sine.
        let sine = f
            .with("inputs", Value::List(vec![Value::Str("x1".into())]))
            .unwrap()
            .with("dataset", Value::Str("sine".into()))
            .unwrap();
        let f = fitted(&sine).unwrap();
        assert_eq!(f.usizes("layers"), [1, 8, 1]);
    }

    #[test]
    fn save_picks_the_next_free_number_and_never_overwrites() {
        let dir = std::env::temp_dir().join(format!("nntutor-play-save-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("nntutor-playground-1.md"), "mine").unwrap();
        let p = start_params();
        let a = save(&dir, &p, &knobs(), "en").unwrap();
        let b = save(&dir, &p, &knobs(), "en").unwrap();
        assert_eq!(a.file_name().unwrap(), "nntutor-playground-2.md");
        assert_eq!(b.file_name().unwrap(), "nntutor-playground-3.md");
        assert_eq!(
            std::fs::read_to_string(dir.join("nntutor-playground-1.md")).unwrap(),
            "mine"
        );
        let missing = dir.join("no-such-folder");
        assert!(save(&missing, &p, &knobs(), "en").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
