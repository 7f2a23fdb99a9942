//! The lesson parser and catalog against fixture files: one bad file per
//! mistake, each giving exactly one error at the right `line:col`.

use std::path::Path;

use nntutor::demo;
use nntutor::lesson::{Answer, Catalog, Severity, docs, parse_str};

mod common;
use common::{TempDir, fixture};

/// (file, line, col, words the message contains, kind the fixture needs).
/// Every kind named here must be registered: no fixture is ever skipped.
const BAD: &[(&str, usize, usize, &str, Option<&str>)] = &[
    ("empty.md", 1, 1, "empty", None),
    ("no_front_matter.md", 1, 1, "no front matter", None),
    ("unterminated_front_matter.md", 1, 1, "never closed", None),
    (
        "unterminated_fence.md",
        11,
        1,
        "```demo block is never closed",
        None,
    ),
    (
        "invalid_toml_front_matter.md",
        3,
        22,
        "invalid TOML in front matter",
        None,
    ),
    (
        "invalid_toml_demo.md",
        13,
        7,
        "invalid TOML in demo block",
        None,
    ),
    (
        "unknown_kind.md",
        12,
        8,
        "unknown demo kind \"gausian\"",
        None,
    ),
    ("missing_kind.md", 11, 1, "no `kind`", None),
    ("unknown_key.md", 13, 1, "unknown key `sdt`", None),
    (
        "wrong_type.md",
        13,
        9,
        "must be an integer, found a string \"many\"",
        None,
    ),
    (
        "negative_std.md",
        13,
        7,
        "`std` = -0.5 is out of range",
        None,
    ),
    (
        "steps_too_large.md",
        13,
        9,
        "`steps` = 1000000000 is out of range",
        None,
    ),
    (
        "absurd_batch.md",
        13,
        9,
        "`batch` = 100000000000 is out of range",
        None,
    ),
    ("two_demos.md", 16, 1, "only one demo block", None),
    (
        "unknown_front_matter_key.md",
        3,
        1,
        "unknown key `titel`",
        None,
    ),
    ("missing_id.md", 1, 1, "no `id`", None),
    ("no_steps.md", 5, 1, "no steps", None),
    (
        "demo_before_step.md",
        7,
        1,
        "before the first `## ` step",
        None,
    ),
    (
        "predict_answer_out_of_range.md",
        18,
        10,
        "`answer` = 3 is out of range",
        None,
    ),
    (
        "knob_table_value.md",
        13,
        8,
        "`mean` cannot be a table",
        None,
    ),
    ("not_utf8.md", 7, 7, "not valid UTF-8", None),
    (
        "keep_prob_zero.md",
        11,
        13,
        "`keep_prob` = 0 is out of range (0, 1]",
        Some("train"),
    ),
    (
        "keep_prob_above_one.md",
        11,
        13,
        "`keep_prob` = 1.5 is out of range (0, 1]",
        Some("train"),
    ),
    (
        "layers_zero.md",
        11,
        10,
        "`layers` entry 0 is out of range",
        Some("train"),
    ),
    (
        "gaussian_too_long.md",
        12,
        9,
        "10000000000 random draws, more than 20000000",
        Some("gaussian"),
    ),
    (
        "dropout_too_long.md",
        12,
        9,
        "100000000000 mask entries, more than 50000000",
        Some("dropout-sum"),
    ),
    (
        "block_prediction.md",
        11,
        4,
        "unknown block ```prediction",
        None,
    ),
    ("block_hints.md", 11, 4, "unknown block ```hints", None),
    ("block_Demo.md", 11, 4, "unknown block ```Demo", None),
    (
        "run_seconds_zero.md",
        5,
        15,
        "`run_seconds` must be between 1 and 600, found 0",
        None,
    ),
    (
        "absurd_width.md",
        11,
        9,
        "`width` = 100000000 is out of range",
        Some("depth"),
    ),
];

#[test]
fn each_bad_fixture_gives_one_error_at_its_place() {
    for &(file, line, col, words, needs) in BAD {
        if let Some(kind) = needs {
            assert!(demo::kind(kind).is_some(), "{file} needs kind \"{kind}\"");
        }
        let catalog = Catalog::load_only(&[fixture(&format!("bad_lessons/{file}"))]);
        assert_eq!(catalog.entries.len(), 1, "{file}");
        let errs = catalog.entries[0].lesson.as_ref().expect_err(file);
        assert_eq!(errs.len(), 1, "{file}: {errs:#?}");
        let d = &errs[0];
        assert_eq!((d.line, d.col), (line, col), "{file}: {d}");
        assert!(d.message.to_string().contains(words), "{file}: {d}");
        assert_eq!(d.severity, Severity::Error);
        assert!(catalog.entries[0].warnings.is_empty(), "{file}");
    }
}

#[test]
fn suggestions_name_the_closest_choice() {
    let help = |file: &str| {
        let c = Catalog::load_only(&[fixture(&format!("bad_lessons/{file}"))]);
        c.entries[0].lesson.as_ref().unwrap_err()[0]
            .help
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    assert!(help("unknown_key.md").contains("did you mean `std`?"));
    assert!(help("unknown_kind.md").contains("did you mean `gaussian`?"));
    assert!(help("unknown_front_matter_key.md").contains("did you mean `title`?"));
    assert!(help("negative_std.md").contains("(0, 10]"));
}

#[test]
fn a_duplicate_id_breaks_only_the_second_file() {
    let catalog = Catalog::load_only(&[fixture("bad_lessons/duplicate_id")]);
    assert_eq!(catalog.entries.len(), 2);
    let broken: Vec<_> = catalog
        .entries
        .iter()
        .filter(|e| e.lesson.is_err())
        .collect();
    assert_eq!(broken.len(), 1);
    assert!(broken[0].origin.ends_with("b.md"));
    let d = &broken[0].lesson.as_ref().unwrap_err()[0];
    assert_eq!((d.line, d.col), (2, 6), "{d}");
    assert!(
        d.message
            .to_string()
            .contains("duplicate lesson id \"bad-duplicate\"")
    );
}

#[test]
fn a_broken_file_never_hides_the_others() {
    let catalog = Catalog::load_only(&[fixture("bad_lessons"), fixture("good")]);
    assert!(catalog.broken() >= 20);
    let good = catalog
        .lesson("three-sigma", "en")
        .expect("good lesson still loads");
    assert_eq!(good.steps.len(), 2);
}

#[test]
fn huge_files_and_lines_are_refused_quickly() {
    let dir = TempDir::new("huge");
    let big = dir.0.join("ten_mb.md");
    std::fs::write(&big, "x".repeat(10 << 20)).unwrap();
    let long = dir.0.join("long_line.md");
    let text = format!(
        "+++\nid = \"long\"\ntitle = \"x\"\norder = 1\n+++\n\n## Step\n\n{}\n",
        "word ".repeat(200_000)
    );
    std::fs::write(&long, text).unwrap();
    let t = std::time::Instant::now();
    for (path, line) in [(big, 1), (long, 9)] {
        let c = Catalog::load_only(std::slice::from_ref(&path));
        let errs = c.entries[0].lesson.as_ref().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].col), (line, 1), "{}", errs[0]);
        assert!(errs[0].render(nntutor::i18n::Lang::En, false).len() < 2_000);
    }
    // Generous for a debug build on a shared 2-core machine; a hang or a
    // quadratic scan would take minutes.
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
}

#[test]
fn a_good_lesson_has_all_its_parts() {
    let c = Catalog::load_only(&[fixture("good/en/three-sigma.md")]);
    let e = &c.entries[0];
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    let l = e.lesson.as_ref().unwrap();
    assert_eq!(l.run_seconds, None);
    assert_eq!(
        (l.id.as_str(), l.order, l.lang.as_str()),
        ("three-sigma", 2, "en")
    );
    assert_eq!(
        l.summary.as_deref(),
        Some("Where samples of N(0, 0.01²) land.")
    );
    let s = &l.steps[0];
    assert_eq!(s.title, "Draw weights");
    assert_eq!(s.line, 10);
    assert_eq!(s.segments.len(), 2);
    assert!(s.segments[1].starts_with("Watch the coverage"));
    let p = s.predict.as_ref().unwrap();
    assert!(
        matches!(p.answer, Answer::Choice { right: 2, .. }),
        "stored 0-based"
    );
    assert_eq!(p.metric.as_deref(), Some("coverage_3sigma"));
    assert_eq!(s.hints.len(), 2);
    let d = s.demo.as_ref().unwrap();
    assert_eq!(d.knobs, ["std", "batch"]);
    assert_eq!(d.params.f64("std"), 0.01);
    assert_eq!(d.params.usize("steps"), 200);
    assert_eq!(d.params.usize("bins"), 48, "defaults filled");
    assert_eq!(
        l.steps[1].demo.as_ref().unwrap().params.strs("panels"),
        ["coverage"]
    );
}

#[test]
fn warnings_do_not_break_a_lesson() {
    let text = "+++\nid = \"w\"\ntitle = \"w\"\norder = 1\n+++\n\n## No demo here\n\nJust words.\n\n## Bad knob\n\n```predict\nquestion = \"q\"\nchoices = [\"a\", \"b\"]\nanswer = 1\nexplanation = \"e\"\nmetric = \"loss\"\n```\n\n```demo\nkind = \"gaussian\"\nknobs = [\"std\", \"lr\", \"panels\"]\n```\n";
    let p = parse_str("w.md", "en", text);
    let lesson = p.lesson.expect("warnings only");
    let at: Vec<_> = p.warnings.iter().map(|d| (d.line, d.col)).collect();
    assert_eq!(
        at,
        [(7, 1), (23, 17), (23, 23), (18, 10)],
        "{:#?}",
        p.warnings
    );
    assert!(p.warnings.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(lesson.steps[1].demo.as_ref().unwrap().knobs, ["std"]);
}

#[test]
fn long_steps_warn() {
    let text = format!(
        "+++\nid = \"l\"\ntitle = \"l\"\norder = 1\n+++\n\n## Long\n\n{}\n\n```demo\nkind = \"gaussian\"\n```\n",
        "word ".repeat(400)
    );
    let p = parse_str("l.md", "en", &text);
    assert!(p.lesson.is_ok());
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].message.to_string().contains("400 words"));
}

#[test]
fn instructor_folders_override_and_languages_fall_back() {
    let c = Catalog::load(&[fixture("good")], &[]);
    assert_eq!(c.lesson("three-sigma", "zh").unwrap().title, "3σ 原则");
    assert_eq!(
        c.lesson("three-sigma", "en").unwrap().title,
        "The 3-sigma rule"
    );
    assert_eq!(c.lesson("three-sigma", "fr").unwrap().lang, "en");
    let zh = c.lessons("zh");
    assert_eq!(zh.iter().filter(|e| e.id == "three-sigma").count(), 1);
    // A file argument replaces the folder's lesson with the same id and language.
    let dir = TempDir::new("override");
    let file = dir.0.join("mine.md");
    let text = std::fs::read_to_string(fixture("good/en/three-sigma.md"))
        .unwrap()
        .replace("The 3-sigma rule", "Mine");
    std::fs::write(&file, text).unwrap();
    let c = Catalog::load(&[fixture("good")], &[file]);
    assert_eq!(c.lesson("three-sigma", "en").unwrap().title, "Mine");
    assert_eq!(c.broken(), 0);
}

#[test]
fn translations_may_not_drift() {
    let c = Catalog::load_only(&[fixture("drift")]);
    let zh = c.entries.iter().find(|e| e.lang == "zh").unwrap();
    let d = &zh.lesson.as_ref().unwrap_err()[0];
    assert_eq!((d.line, d.col), (45, 1), "{d}");
    assert!(d.message.to_string().contains("`std` = 2"), "{d}");
    assert!(c.lesson("three-sigma", "en").is_some());
    let ok = Catalog::load_only(&[fixture("good")]);
    assert_eq!(ok.broken(), 0);
}

#[test]
fn sorted_by_order_then_id() {
    let c = Catalog::load_only(&[fixture("good"), fixture("bad_lessons")]);
    let orders: Vec<i64> = c
        .entries
        .iter()
        .filter_map(|e| e.lesson.as_ref().ok().map(|l| l.order))
        .collect();
    assert!(orders.windows(2).all(|w| w[0] <= w[1]), "{orders:?}");
}

/// `docs/lesson-format.md` carries the per-kind tables generated from
/// `demo::KINDS`; this fails when a kind changes and the doc does not.
/// `NNTUTOR_UPDATE_DOCS=1 cargo test --test parse docs` rewrites it.
#[test]
fn docs_reference_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lesson-format.md");
    let doc = std::fs::read_to_string(&path).expect("docs/lesson-format.md exists");
    let fresh = docs::with_reference(&doc).expect("doc has the generated-section marks");
    if std::env::var_os("NNTUTOR_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    } else {
        assert!(
            doc == fresh,
            "docs/lesson-format.md is stale: run `NNTUTOR_UPDATE_DOCS=1 cargo test --test parse docs`"
        );
    }
}

#[test]
fn language_comes_from_a_two_letter_folder() {
    use nntutor::lesson::catalog::lang_of;
    for (path, lang) in [
        ("lessons/zh/a.md", "zh"),
        ("x/pt-br/a.md", "pt-br"),
        ("course/day/a.md", "en"),
        ("src/a.md", "en"),
        ("a.md", "en"),
    ] {
        assert_eq!(lang_of(Path::new(path)), lang, "{path}");
    }
}

#[test]
fn drift_in_step_count_and_knobs_is_reported_on_the_translation() {
    use nntutor::lesson::LessonFile;
    let en = std::fs::read_to_string(fixture("good/en/three-sigma.md")).unwrap();
    let file = |lang: &str, text: &str| LessonFile {
        origin: format!("{lang}/three-sigma.md"),
        lang: lang.into(),
        bytes: Ok(text.as_bytes().to_vec()),
    };
    let cut = en.find("## A wider Gaussian").unwrap();
    let fewer = &en[..cut];
    let c = Catalog::from_layers(vec![vec![file("en", &en), file("zh", fewer)]]);
    let d = &c
        .get("three-sigma", "zh")
        .unwrap()
        .lesson
        .as_ref()
        .unwrap_err()[0];
    assert!(
        d.message
            .to_string()
            .contains("translation has 1 steps; the original has 2"),
        "{d}"
    );
    assert_eq!(d.path, "zh/three-sigma.md");
    let knobs = en.replace(
        "knobs = [\"std\", \"batch\"]",
        "knobs = [\"batch\", \"std\"]",
    );
    let c = Catalog::from_layers(vec![vec![file("en", &en), file("zh", &knobs)]]);
    let d = &c
        .get("three-sigma", "zh")
        .unwrap()
        .lesson
        .as_ref()
        .unwrap_err()[0];
    assert!(
        d.message
            .to_string()
            .contains("sets `knobs` = [\"batch\", \"std\"]"),
        "{d}"
    );
    assert_eq!(d.line, 30);
    // The original is untouched, and an identical translation is fine.
    let c = Catalog::from_layers(vec![vec![file("en", &en), file("zh", &en)]]);
    assert_eq!(c.broken(), 0);
}

/// Each kind of drift beyond the demo block, as (edit of the English text,
/// expected message, expected line in the translation).
#[test]
fn drift_in_pauses_predict_and_hints_is_reported_at_its_line() {
    use nntutor::lesson::LessonFile;
    let en = std::fs::read_to_string(fixture("good/en/three-sigma.md")).unwrap();
    let file = |lang: &str, text: &str| LessonFile {
        origin: format!("{lang}/three-sigma.md"),
        lang: lang.into(),
        bytes: Ok(text.as_bytes().to_vec()),
    };
    let predict_start = en.find("```predict").unwrap();
    let predict_end = en[predict_start..].find("```\n\n").unwrap() + predict_start + 5;
    let no_predict = format!("{}{}", &en[..predict_start], &en[predict_end..]);
    let second_hint = "```hint\nTry a larger `batch`.\n```\n\n";
    let cases: Vec<(String, &str, usize)> = vec![
        (
            en.replace("<!-- pause -->\n", ""),
            "step 1 has 1 pause-separated segments; the original's has 2",
            10,
        ),
        (
            en.replace(
                "## A wider Gaussian\n",
                "## A wider Gaussian\n\n<!-- pause -->\n",
            ),
            "step 2 has 2 pause-separated segments; the original's has 1",
            41,
        ),
        (
            no_predict,
            "step 1 has no predict block; the original's has one",
            10,
        ),
        (
            en.replace("answer = 3", "answer = 2"),
            "step 1's predict sets `answer` = 2; the original sets 3",
            21,
        ),
        (
            en.replace("\"About 99.7%\"]", "\"About 99.7%\", \"All\"]"),
            "step 1's predict has 4 choices; the original's has 3",
            20,
        ),
        (
            en.replace("coverage_3sigma", "coverage_2sigma"),
            "step 1's predict is settled by \"coverage_2sigma\"; the original's by \"coverage_3sigma\"",
            23,
        ),
        (
            en.replace("metric = \"coverage_3sigma\"\n", ""),
            "step 1's predict is settled by no metric; the original's by \"coverage_3sigma\"",
            18,
        ),
        (
            en.replace(second_hint, ""),
            "step 1 has 1 hints; the original's has 2",
            10,
        ),
        (
            en.replace(
                "```hint\nThe bands",
                &format!("{second_hint}```hint\nThe bands"),
            ),
            "step 1 has 3 hints; the original's has 2",
            41,
        ),
    ];
    for (zh, message, line) in cases {
        assert_ne!(zh, en, "the edit for {message:?} must change the text");
        let c = Catalog::from_layers(vec![vec![file("en", &en), file("zh", &zh)]]);
        let d = &c
            .get("three-sigma", "zh")
            .unwrap()
            .lesson
            .as_ref()
            .unwrap_err()[0];
        assert!(
            d.message.to_string().contains(message),
            "want {message:?}, got {d}"
        );
        assert_eq!(
            (d.path.as_str(), d.line),
            ("zh/three-sigma.md", line),
            "{d}"
        );
        assert!(c.lesson("three-sigma", "en").is_some());
    }
    // A predict block the original lacks is reported at its fence.
    let en2 = format!("{}{}", &en[..predict_start], &en[predict_end..]);
    let c = Catalog::from_layers(vec![vec![file("en", &en2), file("zh", &en)]]);
    let d = &c
        .get("three-sigma", "zh")
        .unwrap()
        .lesson
        .as_ref()
        .unwrap_err()[0];
    assert!(
        d.message
            .to_string()
            .contains("step 1 has a predict block; the original's has none"),
        "{d}"
    );
    assert_eq!(d.line, 18);
}

#[test]
fn run_seconds_sets_a_lessons_pace() {
    let text =
        "+++\nid = \"paced\"\ntitle = \"x\"\norder = 1\nrun_seconds = 12\n+++\n\n## S\n\nProse.\n";
    let lesson = parse_str("paced.md", "en", text).lesson.unwrap();
    assert_eq!(lesson.run_seconds, Some(12));
}

#[test]
fn every_error_of_a_block_in_one_pass() {
    let c = Catalog::load_only(&[fixture("several/several_errors.md")]);
    let errs = c.entries[0].lesson.as_ref().unwrap_err();
    let at: Vec<(usize, usize)> = errs.iter().map(|d| (d.line, d.col)).collect();
    assert_eq!(at, [(11, 1), (12, 7), (13, 9), (14, 8)], "{errs:#?}");
    assert!(errs[0].message.to_string().contains("unknown key `sdt`"));
    assert!(
        errs[1]
            .message
            .to_string()
            .contains("`std` = -1 is out of range")
    );
    assert!(errs[2].message.to_string().contains("`steps`"));
    assert!(
        errs[3]
            .message
            .to_string()
            .contains("`bins` = 2 is out of range")
    );
}

#[test]
fn near_miss_block_names_suggest_the_block_and_near_miss_pauses_warn() {
    let help = |file: &str| {
        let c = Catalog::load_only(&[fixture(&format!("bad_lessons/{file}"))]);
        c.entries[0].lesson.as_ref().unwrap_err()[0]
            .help
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    assert!(help("block_prediction.md").contains("did you mean ```predict?"));
    assert!(help("block_hints.md").contains("did you mean ```hint?"));
    assert!(help("block_Demo.md").contains("did you mean ```demo?"));
    let text = "+++\nid = \"p\"\ntitle = \"x\"\norder = 1\n+++\n\n## S\n\nA.\n\n<!--pause-->\n\nB.\n\n```python\nprint(1)\n```\n\n```toml\na = 1\n```\n";
    let parsed = parse_str("p.md", "en", text);
    let lesson = parsed
        .lesson
        .expect("code blocks named python and toml are fine");
    assert_eq!(
        lesson.steps[0].segments.len(),
        1,
        "the near miss is not a pause"
    );
    let pause: Vec<_> = parsed
        .warnings
        .iter()
        .filter(|w| w.message.to_string().contains("not a pause marker"))
        .collect();
    assert_eq!(pause.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(pause[0].line, 11);
}

/// A one-step lesson whose predict block holds `body` (its first line is
/// line 10), with a gaussian demo after it when `demo` is set.
fn with_predict(body: &str, demo: bool) -> String {
    let demo = if demo {
        "\n```demo\nkind = \"gaussian\"\n```\n"
    } else {
        ""
    };
    format!(
        "+++\nid = \"n\"\ntitle = \"n\"\norder = 1\n+++\n\n## S\n\n```predict\n{body}```\n{demo}"
    )
}

#[test]
fn a_numeric_predict_parses_with_an_absolute_or_relative_tolerance() {
    use nntutor::lesson::Tolerance;
    let number = |body: &str| {
        let p = parse_str("n.md", "en", &with_predict(body, true));
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let lesson = p.lesson.unwrap_or_else(|e| panic!("{e:?}"));
        let predict = lesson.steps[0].predict.clone().unwrap();
        match predict.answer {
            Answer::Number(n) => (n, predict.metric),
            other => panic!("{other:?}"),
        }
    };
    let (n, metric) = number(
        "question = \"Within 3σ?\"\nanswer = 0.9973\ntolerance = 0.001\nmetric = \"coverage_3sigma\"\nexplanation = \"e\"\n",
    );
    assert_eq!(metric.as_deref(), Some("coverage_3sigma"));
    assert_eq!((n.value, n.tolerance), (0.9973, Tolerance::Absolute(0.001)));
    assert_eq!((n.text.as_str(), n.line, n.col), ("0.9973", 11, 10));
    // Inclusive bounds, although 0.9973 - 0.9963 is 0.0010000000000000009 in f64.
    assert!(n.accepts(0.9963) && n.accepts(0.9983) && n.accepts(0.9973));
    assert!(!n.accepts(0.9962) && !n.accepts(0.9984) && !n.accepts(f64::NAN));
    assert_eq!(n.show("±"), "0.9973 ± 0.001");
    let (n, _) = number("question = \"q\"\nanswer = 50\ntolerance = \"5%\"\nexplanation = \"e\"\n");
    assert_eq!((n.value, n.tolerance), (50.0, Tolerance::Relative(0.05)));
    assert!(n.accepts(47.5) && n.accepts(52.5) && !n.accepts(52.6));
    assert_eq!(n.show("+/-"), "50 +/- 5%");
    let (n, _) = number("question = \"q\"\nanswer = -3\ntolerance = 0\nexplanation = \"e\"\n");
    assert!(n.accepts(-3.0) && !n.accepts(-3.000001));
    assert_eq!(n.show("±"), "-3", "an exact answer shows no tolerance");
}

/// Every mistake in a numeric predict block: one error, at the key or
/// value it is about, saying what to do.
#[test]
fn numeric_predict_mistakes_are_errors_at_their_keys() {
    let q = "question = \"q\"\nexplanation = \"e\"\n";
    // (block body after the question and explanation, demo?, line, col,
    // message, help)
    let cases: &[(&str, bool, usize, usize, &str, &str)] = &[
        (
            "choices = [\"a\", \"b\"]\nanswer = 0.5\n",
            true,
            13,
            10,
            "`answer` = 0.5 is not the number of a choice, and this block has `choices`",
            "to ask for a number, remove `choices` and add `tolerance`",
        ),
        (
            "choices = [\"a\", \"b\"]\nanswer = 1\ntolerance = 0.1\n",
            true,
            14,
            1,
            "`tolerance` belongs to a numeric answer, and this block has `choices`",
            "remove `tolerance` for multiple choice, or remove `choices`",
        ),
        (
            "answer = 0.9973\ntolerance = 0.001\nmetric = \"coverage_3sigmma\"\n",
            true,
            14,
            10,
            "kind \"gaussian\" reports no metric \"coverage_3sigmma\"",
            "its metrics: iteration, samples, mean, std, coverage_1sigma, coverage_2sigma, coverage_3sigma, outside_range, min, max; did you mean `coverage_3sigma`?",
        ),
        (
            "answer = 0.5\ntolerance = 0.1\nmetric = \"mean\"\n",
            false,
            14,
            10,
            "a numeric answer's `metric` is measured by the step's demo, and this step has none",
            "add a ```demo block, or remove `metric`",
        ),
        (
            "answer = 0.5\ntolerance = -0.1\n",
            true,
            13,
            13,
            "`tolerance` = -0.1 is negative",
            "the largest distance from `answer` that still counts as right",
        ),
        (
            "answer = 0.5\ntolerance = \"-5%\"\n",
            true,
            13,
            13,
            "`tolerance` = \"-5%\" is negative",
            "the largest distance",
        ),
        (
            "answer = 0.5\ntolerance = \"a bit\"\n",
            true,
            13,
            13,
            "`tolerance` = \"a bit\" is neither a number nor a percentage",
            "`tolerance = \"5%\"` for a share of `answer`",
        ),
        (
            "answer = 0.5\ntolerance = inf\n",
            true,
            13,
            13,
            "`tolerance` must be a finite number, found inf",
            "the largest distance",
        ),
        (
            "answer = 0.5\ntolerance = [0.1]\n",
            true,
            13,
            13,
            "`tolerance` must be a number or a percentage, found a list",
            "the largest distance",
        ),
        (
            "answer = 0\ntolerance = \"5%\"\n",
            true,
            13,
            13,
            "a share of an `answer` of 0 is 0",
            "give an absolute tolerance",
        ),
        (
            "answer = 0.5\n",
            true,
            9,
            1,
            "a numeric predict block has no `tolerance`",
            "for multiple choice, add `choices`",
        ),
        (
            "answer = nan\ntolerance = 0.1\n",
            true,
            12,
            10,
            "`answer` must be a finite number, found nan",
            "",
        ),
        (
            "answer = -inf\ntolerance = 0.1\n",
            true,
            12,
            10,
            "`answer` must be a finite number, found -inf",
            "",
        ),
        (
            "answer = \"0.5\"\ntolerance = 0.1\n",
            true,
            12,
            10,
            "`answer` must be a number, found a string \"0.5\"",
            "without `choices`, `answer` is the number the student should predict",
        ),
        (
            "tolerance = 0.1\n",
            true,
            9,
            1,
            "predict block has no `answer`",
            "or `answer = 0.5` and `tolerance = 0.01` to ask for a number",
        ),
    ];
    for &(body, demo, line, col, message, help) in cases {
        let text = with_predict(&format!("{q}{body}"), demo);
        let p = parse_str("n.md", "en", &text);
        let errors = p.lesson.expect_err(body);
        assert_eq!(errors.len(), 1, "{body}: {errors:#?}");
        let d = &errors[0];
        assert_eq!(d.severity, Severity::Error, "{body}");
        assert_eq!((d.line, d.col), (line, col), "{body}: {d}");
        assert!(d.message.to_string().contains(message), "{body}: {d}");
        let h = d.help.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(h.contains(help), "{body}: help {h:?}");
    }
    // A multiple-choice block keeps its old rules: an unknown metric warns.
    let mc = with_predict(
        &format!("{q}choices = [\"a\", \"b\"]\nanswer = 1\nmetric = \"coverage_3sigmma\"\n"),
        true,
    );
    let p = parse_str("n.md", "en", &mc);
    assert!(p.lesson.is_ok());
    assert_eq!(p.warnings.len(), 1);
}

/// A translation copies a numeric answer exactly: its form, value and
/// tolerance, like a claim.
#[test]
fn drift_in_a_numeric_answer_is_reported_at_its_key() {
    use nntutor::lesson::LessonFile;
    let en = with_predict(
        "question = \"q\"\nanswer = 0.9973\ntolerance = 0.001\nexplanation = \"e\"\n",
        true,
    );
    let file = |lang: &str, text: &str| LessonFile {
        origin: format!("{lang}/n.md"),
        lang: lang.into(),
        bytes: Ok(text.as_bytes().to_vec()),
    };
    let cases = [
        (
            en.replace("answer = 0.9973", "answer = 0.997"),
            "step 1's predict sets `answer` = 0.997; the original sets 0.9973",
            11,
        ),
        (
            en.replace("tolerance = 0.001", "tolerance = \"0.1%\""),
            "step 1's predict accepts 0.9973 ± 0.1%; the original accepts 0.9973 ± 0.001",
            12,
        ),
        (
            en.replace(
                "answer = 0.9973\ntolerance = 0.001",
                "choices = [\"a\", \"b\"]\nanswer = 1",
            ),
            "step 1's predict asks for a choice; the original's for a number",
            12,
        ),
    ];
    for (zh, message, line) in cases {
        assert_ne!(zh, en);
        let c = Catalog::from_layers(vec![vec![file("en", &en), file("zh", &zh)]]);
        let d = &c.get("n", "zh").unwrap().lesson.as_ref().unwrap_err()[0];
        assert!(d.message.to_string().contains(message), "{d}");
        assert_eq!(d.line, line, "{d}");
    }
    let c = Catalog::from_layers(vec![vec![file("en", &en), file("zh", &en)]]);
    assert_eq!(c.broken(), 0);
}
