//! Every shipped lesson parses, has the shape the course promises, and every
//! step's demo runs a few hundred iterations without an error or divergence.

use nntutor::demo::{self, Metric, Status, Value};
use nntutor::lesson::catalog::embedded_text;
use nntutor::lesson::{Answer, Catalog, Lesson};

/// Iterations each step runs here: enough to leave the first transient.
const ITERATIONS: usize = 300;

fn shipped() -> Vec<Lesson> {
    let catalog = Catalog::embedded();
    assert_eq!(catalog.broken(), 0, "a shipped lesson does not parse");
    catalog
        .entries
        .iter()
        .map(|e| e.lesson.clone().expect("parses"))
        .collect()
}

/// The lessons of the course are embedded in English, in order: the recap
/// of the basics (orders below 1) before the lecture's six, then the
/// optimizers.
#[test]
fn the_english_lessons_are_shipped_in_order() {
    let mut en: Vec<Lesson> = shipped().into_iter().filter(|l| l.lang == "en").collect();
    en.sort_by_key(|l| l.order);
    let ids: Vec<&str> = en.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "neuron",
            "mlp-forward",
            "non-linearity",
            "backprop",
            "losses",
            "zero-init",
            "random-init",
            "bias-variance",
            "l1-l2",
            "weight-decay",
            "dropout",
            "normalization",
            "optimizers"
        ]
    );
}

/// 3–6 steps, a live demo with knobs in every step, at least one prediction
/// per lesson; English lessons end in a recap and keep lines within 100
/// columns (translations wrap by display width, their own concern).
#[test]
fn every_lesson_has_the_promised_shape() {
    for l in shipped() {
        let n = l.steps.len();
        assert!((3..=6).contains(&n), "{}: {n} steps", l.id);
        if l.lang == "en" {
            assert_eq!(l.steps[n - 1].title, "Recap", "{}: last step", l.id);
        }
        assert!(
            l.steps.iter().any(|s| s.predict.is_some()),
            "{}: no predict",
            l.id
        );
        for s in &l.steps {
            let d = s
                .demo
                .as_ref()
                .unwrap_or_else(|| panic!("{}: {} has no demo", l.id, s.title));
            assert!(!d.knobs.is_empty(), "{}: {} names no knobs", l.id, s.title);
            if let Some(Answer::Choice { choices, right }) = s.predict.as_ref().map(|p| &p.answer) {
                assert!(*right < choices.len(), "{}: {}", l.id, s.title);
            }
        }
        if let Some(text) = embedded_text(&l.origin).filter(|_| l.lang == "en") {
            for (i, line) in text.lines().enumerate() {
                let width = line.chars().count();
                assert!(width <= 100, "{}:{}: {width} characters", l.origin, i + 1);
            }
        }
    }
}

/// Every step runs ITERATIONS iterations (or its whole run if shorter) and
/// neither fails to build nor diverges.
#[test]
fn every_step_runs_without_divergence() {
    for l in shipped() {
        for (i, s) in l.steps.iter().enumerate() {
            let Some(d) = &s.demo else { continue };
            let mut demo = demo::build(&d.params)
                .unwrap_or_else(|e| panic!("{} step {}: {}: {}", l.id, i + 1, e.key, e.message));
            let mut ran = 0;
            while ran < ITERATIONS && demo.status() == Status::Running {
                let n = demo.advance((ITERATIONS - ran).min(50));
                if n == 0 {
                    break;
                }
                ran += n;
            }
            let snap = demo.snapshot();
            assert!(
                !matches!(demo.status(), Status::Diverged { .. }),
                "{} step {} diverged: {:?}",
                l.id,
                i + 1,
                demo.status()
            );
            assert_ne!(
                snap.metric("diverged"),
                Some(&Metric::Bool(true)),
                "{} step {}",
                l.id,
                i + 1
            );
            if let Some(v) = snap.num("train_loss") {
                assert!(v.is_finite(), "{} step {}: train_loss {v}", l.id, i + 1);
            }
            assert!(
                !snap.panels.is_empty(),
                "{} step {}: no panels",
                l.id,
                i + 1
            );
        }
    }
}

/// Each step's knobs are keys the student can turn, and turning each one to
/// its current value is accepted by the schema (the knob panel's first edit).
#[test]
fn every_knob_is_a_turnable_key() {
    for l in shipped() {
        for s in &l.steps {
            let Some(d) = &s.demo else { continue };
            let turnable = d.params.kind().knob_names();
            for k in &d.knobs {
                assert!(turnable.contains(&k.as_str()), "{}: knob {k}", l.id);
                let v: Value = d.params.get(k).clone();
                d.params
                    .with(k, v)
                    .unwrap_or_else(|e| panic!("{}: {k}: {}", l.id, e.message));
            }
        }
    }
}

/// The metric a predict block names is one its demo reports.
#[test]
fn predict_metrics_exist_in_their_demos() {
    for l in shipped() {
        for s in &l.steps {
            let (Some(pr), Some(d)) = (&s.predict, &s.demo) else {
                continue;
            };
            let Some(metric) = &pr.metric else { continue };
            let mut demo = demo::build(&d.params).expect("builds");
            demo.advance(1);
            assert!(
                matches!(
                    demo.snapshot().metric(metric),
                    Some(Metric::Num(_) | Metric::Nums(_))
                ),
                "{} {}: {metric}",
                l.id,
                s.title
            );
        }
    }
}

/// Every ```expect claim and numeric predicted answer of the shipped
/// English lessons holds: what `nntutor test lessons/` proves, run here so
/// CI proves it too. (The Chinese lessons carry identical blocks; the
/// drift check enforces that.)
#[test]
fn every_shipped_claim_holds() {
    use nntutor::lesson::expect;
    let mut held = 0;
    let mut failed = Vec::new();
    for lesson in shipped().iter().filter(|l| l.lang == "en") {
        for (ex, outcomes) in expect::prove(lesson) {
            let outcomes = outcomes.unwrap_or_else(|m| panic!("{}: {m}", lesson.id));
            for (c, o) in ex.claims.iter().zip(outcomes) {
                if o.passes(ex.hold) {
                    held += 1;
                } else {
                    failed.push(format!(
                        "{}:{}: `{}` held {}/{}, measured {:?} (seed {})",
                        lesson.id, c.line, c.text, o.held, o.runs, o.measured, o.seed
                    ));
                }
            }
        }
    }
    // Numeric predicted answers: the step's run lands within the tolerance.
    let mut answers = 0;
    for lesson in shipped().iter().filter(|l| l.lang == "en") {
        for proof in expect::prove_answers(lesson) {
            answers += 1;
            if !proof.holds() {
                failed.push(format!(
                    "{}:{}: answer {} measured {:?}",
                    lesson.id,
                    proof.number.line,
                    proof.number.show("±"),
                    proof.measured
                ));
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(held >= 150, "only {held} claims");
    assert!(answers >= 1, "no numeric answer proven");
}
