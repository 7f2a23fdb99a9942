//! The TUI without a terminal: `update` for every message, and views
//! rendered into `TestBackend` at fixed sizes (insta snapshots).
#![cfg(feature = "tui")]

use nntutor::demo::{self, Value};
use nntutor::lesson::{Catalog, DemoSpec, Diagnostic, Entry, Lesson, Predict, Severity, Step};
use nntutor::tui::app::{App, Overlay, Screen};
use nntutor::tui::i18n::Lang;
use nntutor::tui::msg::Msg;
use nntutor::tui::progress::Progress;
use nntutor::tui::theme::{Theme, ThemeName};
use nntutor::tui::update::{Cmd, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

/// A gaussian demo spec with `steps` iterations, extra keys and knobs.
fn gaussian(steps: i64, extra: &[(&str, Value)], knobs: &[&str]) -> DemoSpec {
    let kind = demo::kind("gaussian").unwrap();
    let mut raw: Vec<(String, Value)> = vec![("steps".into(), Value::Int(steps))];
    raw.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    DemoSpec {
        kind,
        params: kind.validate(&raw).unwrap(),
        knobs: knobs.iter().map(|s| s.to_string()).collect(),
        line: 1,
    }
}

/// A three-step lesson: reveal + knobs; predict + hints; no demo.
fn lesson(lang: &str) -> Lesson {
    let zh = lang == "zh";
    let t = |en: &str, zh_s: &str| if zh { zh_s.to_string() } else { en.to_string() };
    Lesson {
        id: "three-sigma".into(),
        title: t("The 3-sigma rule", "3σ 规则"),
        order: 2,
        summary: Some(t("Where random weights land.", "随机权重落在哪里。")),
        lang: lang.into(),
        origin: format!("test:{lang}"),
        steps: vec![
            Step {
                title: t("Draw weights", "抽取权重"),
                segments: vec![
                    t(
                        "We draw weights from **N(0, 0.01²)** and count how many land within `μ ± kσ` of the mean.\n\n- watch the histogram fill in\n- watch the coverage lines settle",
                        "我们从 **N(0, 0.01²)** 中抽取权重，统计落在均值 `μ ± kσ` 之内的比例。\n\n- 看直方图逐渐填满\n- 看覆盖率曲线趋于稳定",
                    ),
                    t(
                        "> Almost all of them fall within ±0.03.",
                        "> 几乎所有权重都落在 ±0.03 之内。",
                    ),
                ],
                demo: Some(gaussian(400, &[], &["std", "batch", "mean"])),
                predict: None,
                hints: vec![],
                line: 5,
            },
            Step {
                title: t("Predict the tails", "预测尾部"),
                segments: vec![t(
                    "How many of 1000 weights fall outside 3σ?",
                    "1000 个权重中有多少落在 3σ 之外？",
                )],
                demo: Some(gaussian(20, &[("std", Value::Float(1.0))], &["std"])),
                predict: Some(Predict {
                    question: t("Outside 3σ, per 1000?", "每 1000 个中 3σ 之外有几个？"),
                    choices: vec!["0".into(), "about 3".into(), "about 50".into()],
                    answer: 1,
                    explanation: t("99.73% lie within 3σ.", "99.73% 落在 3σ 之内。"),
                    metric: Some("coverage_3sigma".into()),
                }),
                hints: vec![
                    t("Think of 100% - 99.73%.", "想想 100% - 99.73%。"),
                    t("0.27% of 1000.", "1000 的 0.27%。"),
                ],
                line: 20,
            },
            Step {
                title: t("Recap", "小结"),
                segments: vec![t(
                    "1. 68% within 1σ\n2. 95% within 2σ\n3. 99.7% within 3σ",
                    "1. 1σ 之内 68%\n2. 2σ 之内 95%\n3. 3σ 之内 99.7%",
                )],
                demo: None,
                predict: None,
                hints: vec![],
                line: 30,
            },
        ],
    }
}

fn entry(l: Lesson) -> Entry {
    Entry {
        id: l.id.clone(),
        lang: l.lang.clone(),
        origin: l.origin.clone(),
        lesson: Ok(l),
        warnings: vec![],
    }
}

fn broken() -> Entry {
    Entry {
        id: "broken".into(),
        lang: "en".into(),
        origin: "lessons/en/09-broken.md".into(),
        lesson: Err(vec![Diagnostic {
            severity: Severity::Error,
            path: "lessons/en/09-broken.md".into(),
            line: 12,
            col: 1,
            message: "unknown key `learning_rate` for kind \"gaussian\"".into(),
            help: Some("did you mean `lr`?".into()),
        }]),
        warnings: vec![],
    }
}

/// The lesson in English and Chinese, an English-only lesson, a broken file.
fn catalog() -> Catalog {
    let mut first = lesson("en");
    first.id = "zero-init".into();
    first.title = "Zero initialization collapses a layer".into();
    first.summary = Some("Why every hidden unit stays the same.".into());
    first.order = 1;
    Catalog {
        entries: vec![
            entry(lesson("en")),
            entry(lesson("zh")),
            entry(first),
            broken(),
        ],
    }
}

fn app(lang: Lang) -> App {
    let mut app = App::new(
        catalog(),
        lang,
        Theme::new(ThemeName::Dark, false),
        Progress::default(),
    );
    update(&mut app, Msg::Resize(100, 30));
    app
}

/// Opens "three-sigma" (second in the list).
fn open(app: &mut App) {
    update(app, Msg::SelectNext);
    let cmds = update(app, Msg::Open);
    assert_eq!(cmds, vec![Cmd::Save]);
    assert!(matches!(app.screen, Screen::Lesson(_)));
}

fn view(app: &App) -> &nntutor::tui::app::LessonView {
    match &app.screen {
        Screen::Lesson(v) => v,
        Screen::Catalog => panic!("not in a lesson"),
    }
}

fn view_mut(app: &mut App) -> &mut nntutor::tui::app::LessonView {
    match &mut app.screen {
        Screen::Lesson(v) => v,
        Screen::Catalog => panic!("not in a lesson"),
    }
}

/// Renders the app at `w`×`h` and returns the screen as text, one line per
/// row, wide characters counted once.
fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut skip = 0;
        for x in 0..w {
            let s = buf[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            out.push_str(s);
            skip = s.width().saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

fn size(app: &mut App, w: u16, h: u16) {
    update(app, Msg::Resize(w, h));
}

// ---------------------------------------------------------------- update

#[test]
fn catalog_selection_and_quit() {
    let mut app = app(Lang::En);
    assert_eq!(app.items().len(), 3);
    update(&mut app, Msg::SelectPrev);
    assert_eq!(app.selected, 0);
    for _ in 0..5 {
        update(&mut app, Msg::SelectNext);
    }
    assert_eq!(app.selected, 2, "stops at the last row");
    // The broken file cannot open: a notice, no lesson.
    update(&mut app, Msg::Open);
    assert!(matches!(app.screen, Screen::Catalog));
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("09-broken.md:12:1")
    );
    assert_eq!(update(&mut app, Msg::Quit), vec![Cmd::Save]);
    assert!(app.quit);
}

#[test]
fn forward_reveals_then_steps_and_back_returns() {
    let mut app = app(Lang::En);
    open(&mut app);
    assert_eq!(view(&app).step, 0);
    update(&mut app, Msg::Forward);
    assert_eq!(
        (view(&app).step, view(&app).steps[0].reveal),
        (0, 1),
        "reveal first"
    );
    update(&mut app, Msg::Forward);
    assert_eq!(view(&app).step, 1);
    update(&mut app, Msg::PrevStep);
    assert_eq!(view(&app).step, 0);
    assert_eq!(view(&app).steps[0].reveal, 1, "reveal position kept");
    update(&mut app, Msg::OpenJump);
    assert_eq!(app.overlay, Some(Overlay::Jump { selected: 0 }));
    update(&mut app, Msg::SelectNext);
    update(&mut app, Msg::SelectNext);
    update(&mut app, Msg::Open);
    assert_eq!(view(&app).step, 2);
    assert!(app.overlay.is_none());
    update(&mut app, Msg::Forward);
    assert_eq!(view(&app).step, 2, "the last step stays");
    update(&mut app, Msg::Back);
    assert!(matches!(app.screen, Screen::Catalog));
    assert_eq!(app.progress.lessons["three-sigma"].seen.len(), 3);
}

#[test]
fn reveal_all_shows_every_segment() {
    let mut app = app(Lang::En);
    open(&mut app);
    update(&mut app, Msg::RevealAll);
    assert_eq!(view(&app).steps[0].reveal, 1);
    update(&mut app, Msg::Forward);
    assert_eq!(view(&app).step, 1);
}

#[test]
fn pause_restart_and_scrub() {
    let mut app = app(Lang::En);
    open(&mut app);
    assert!(app.animating());
    update(&mut app, Msg::PauseResume);
    assert!(!app.animating(), "paused: nothing animates");
    update(&mut app, Msg::PauseResume);
    assert!(app.animating());
    view_mut(&mut app).run.as_mut().unwrap().advance(200);
    update(&mut app, Msg::ScrubBack(1));
    let run = view(&app).run.as_ref().unwrap();
    let i = run.scrub.expect("replaying");
    assert!(run.shown().iteration < 200 && run.paused);
    update(&mut app, Msg::ScrubBack(10));
    assert_eq!(
        view(&app).run.as_ref().unwrap().scrub,
        Some(i.saturating_sub(10))
    );
    update(&mut app, Msg::ScrubForward(1000));
    assert_eq!(
        view(&app).run.as_ref().unwrap().scrub,
        None,
        "past the end is live"
    );
    update(&mut app, Msg::ScrubBack(1));
    update(&mut app, Msg::PauseResume);
    let run = view(&app).run.as_ref().unwrap();
    assert!(run.scrub.is_none() && !run.paused, "resume leaves replay");
    update(&mut app, Msg::Restart);
    assert_eq!(view(&app).run.as_ref().unwrap().snapshot.iteration, 0);
}

#[test]
fn knobs_change_live_or_restart_and_survive_stepping() {
    let mut app = app(Lang::En);
    open(&mut app);
    update(&mut app, Msg::KnobUp); // std, without focus: +/- still act
    assert_eq!(view(&app).steps[0].overrides["std"], Value::Float(0.02));
    assert!(app.notice.as_ref().unwrap().text.contains("restarted"));
    view_mut(&mut app).run.as_mut().unwrap().advance(50);
    update(&mut app, Msg::NextKnob);
    assert!(view(&app).knob_focus);
    update(&mut app, Msg::NextKnob);
    assert_eq!(view(&app).knob, 1); // batch: live
    update(&mut app, Msg::KnobUp);
    assert!(app.notice.as_ref().unwrap().text.contains("applied live"));
    assert_eq!(
        view(&app).run.as_ref().unwrap().snapshot.iteration,
        50,
        "live change keeps the run"
    );
    // Typing an exact value.
    update(&mut app, Msg::EditKnob);
    assert!(
        matches!(&app.overlay, Some(Overlay::Input { key, text }) if key == "batch" && text == "51")
    );
    update(&mut app, Msg::InputBackspace);
    update(&mut app, Msg::InputBackspace);
    for c in "200".chars() {
        update(&mut app, Msg::InputChar(c));
    }
    update(&mut app, Msg::InputSubmit);
    assert_eq!(view(&app).steps[0].overrides["batch"], Value::Int(200));
    // A bad value is refused with the schema's message.
    update(&mut app, Msg::EditKnob);
    update(&mut app, Msg::InputCancel);
    assert!(app.overlay.is_none());
    update(&mut app, Msg::EditKnob);
    for _ in 0..3 {
        update(&mut app, Msg::InputBackspace);
    }
    for c in "0".chars() {
        update(&mut app, Msg::InputChar(c));
    }
    update(&mut app, Msg::InputSubmit);
    let n = app.notice.clone().unwrap();
    assert!(n.error && n.text.contains("out of range"), "{}", n.text);
    // Away and back: values kept, the run rebuilt with them.
    update(&mut app, Msg::Forward);
    update(&mut app, Msg::Forward);
    update(&mut app, Msg::PrevStep);
    let p = view(&app).run.as_ref().unwrap().params.clone();
    assert_eq!((p.f64("std"), p.usize("batch")), (0.02, 200));
    assert_eq!(
        app.progress.lessons["three-sigma"].knobs[&0]["batch"],
        "200"
    );
    update(&mut app, Msg::ResetKnobs);
    assert!(view(&app).steps[0].overrides.is_empty());
    // Shift-Tab wraps to the last knob; − lowers it.
    update(&mut app, Msg::NextKnob); // focuses the first knob
    update(&mut app, Msg::PrevKnob);
    assert_eq!(view(&app).knob, 2); // mean, 0 with a step of 0.01
    update(&mut app, Msg::KnobDown);
    assert_eq!(view(&app).steps[0].overrides["mean"], Value::Float(-0.01));
    update(&mut app, Msg::ResetKnobs);
    assert_eq!(view(&app).run.as_ref().unwrap().params.f64("std"), 0.01);
    // Esc leaves the knob panel before leaving the lesson.
    update(&mut app, Msg::NextKnob);
    update(&mut app, Msg::Back);
    assert!(matches!(app.screen, Screen::Lesson(_)) && !view(&app).knob_focus);
}

#[test]
fn a_prediction_holds_the_demo_until_answered() {
    let mut app = app(Lang::En);
    open(&mut app);
    update(&mut app, Msg::RevealAll);
    update(&mut app, Msg::Forward);
    assert!(view(&app).waiting());
    assert!(!app.animating(), "the demo waits");
    update(&mut app, Msg::Answer(7));
    assert!(app.notice.as_ref().unwrap().error);
    assert!(view(&app).waiting());
    update(&mut app, Msg::Answer(2));
    assert!(!view(&app).waiting() && app.animating());
    assert!(app.progress.lessons["three-sigma"].predictions[&1]);
    assert!(app.train(std::time::Duration::from_millis(200)));
    assert!(!app.animating(), "20 iterations end within the budget");
}

#[test]
fn hints_numbers_scroll_and_help() {
    let mut app = app(Lang::En);
    open(&mut app);
    update(&mut app, Msg::NextHint);
    assert!(app.notice.is_some(), "no hints here");
    update(&mut app, Msg::RevealAll);
    update(&mut app, Msg::Forward);
    update(&mut app, Msg::NextHint);
    update(&mut app, Msg::NextHint);
    update(&mut app, Msg::NextHint);
    assert_eq!(view(&app).steps[1].hints, 2);
    update(&mut app, Msg::ToggleNumbers);
    assert!(view(&app).numbers);
    size(&mut app, 60, 14);
    for _ in 0..50 {
        update(&mut app, Msg::ScrollDown);
    }
    let max = view(&app).scroll;
    assert!(max > 0);
    update(&mut app, Msg::PageDown);
    assert_eq!(view(&app).scroll, max, "clamped at the end");
    update(&mut app, Msg::PageUp);
    update(&mut app, Msg::ScrollUp);
    assert!(view(&app).scroll < max);
    update(&mut app, Msg::ToggleHelp);
    assert_eq!(app.overlay, Some(Overlay::Help { scroll: 0 }));
    update(&mut app, Msg::PageDown);
    update(&mut app, Msg::ScrollUp);
    assert!(matches!(app.overlay, Some(Overlay::Help { scroll }) if scroll > 0));
    update(&mut app, Msg::ToggleHelp);
    assert!(app.overlay.is_none());
}

#[test]
fn switching_language_keeps_place_knobs_and_run() {
    let mut app = app(Lang::En);
    open(&mut app);
    update(&mut app, Msg::Forward); // reveal 1
    update(&mut app, Msg::KnobUp);
    view_mut(&mut app).run.as_mut().unwrap().advance(30);
    update(&mut app, Msg::SwitchLang);
    assert_eq!(app.lang, Lang::Zh);
    let v = view(&app);
    assert_eq!(v.lesson.lang, "zh");
    assert_eq!((v.step, v.steps[0].reveal), (0, 1));
    assert_eq!(v.steps[0].overrides["std"], Value::Float(0.02));
    assert_eq!(
        v.run.as_ref().unwrap().snapshot.iteration,
        30,
        "the run goes on"
    );
    // A lesson with no Chinese version stays English with a notice.
    update(&mut app, Msg::Back);
    update(&mut app, Msg::SelectPrev);
    update(&mut app, Msg::Open);
    assert_eq!(view(&app).lesson.lang, "en");
    assert!(app.notice.as_ref().unwrap().text.contains("英文"));
}

#[test]
fn reload_keeps_the_step_and_a_failing_reload_keeps_the_last_good_version() {
    let mut app = app(Lang::En);
    assert_eq!(update(&mut app, Msg::ReloadRequested), vec![]);
    app.can_reload = true;
    assert_eq!(update(&mut app, Msg::ReloadRequested), vec![Cmd::Reload]);
    open(&mut app);
    update(&mut app, Msg::RevealAll);
    update(&mut app, Msg::Forward);
    update(&mut app, Msg::Answer(1));
    view_mut(&mut app).run.as_mut().unwrap().advance(5);
    // The instructor edits the prose of step 2: same step, run kept.
    let mut cat = catalog();
    if let Ok(l) = &mut cat.entries[0].lesson {
        l.steps[1].segments[0] = "Edited text.".into();
    }
    update(&mut app, Msg::CatalogReloaded(cat.clone()));
    assert_eq!(view(&app).step, 1);
    assert_eq!(view(&app).lesson.steps[1].segments[0], "Edited text.");
    assert_eq!(view(&app).run.as_ref().unwrap().snapshot.iteration, 5);
    // Then breaks the file: the last good version stays, the error shows.
    cat.entries[0].lesson = Err(vec![Diagnostic {
        severity: Severity::Error,
        path: "lessons/en/02-three-sigma.md".into(),
        line: 7,
        col: 3,
        message: "unterminated demo fence".into(),
        help: None,
    }]);
    update(&mut app, Msg::CatalogReloaded(cat));
    let n = app.notice.clone().unwrap();
    assert!(
        n.error && n.text.contains("02-three-sigma.md:7:3"),
        "{}",
        n.text
    );
    assert_eq!(view(&app).lesson.steps[1].segments[0], "Edited text.");
    assert!(app.catalog.entries[0].lesson.is_ok());
    update(&mut app, Msg::WatchFailed("inotify limit".into()));
    assert!(app.notice.as_ref().unwrap().text.contains("Ctrl-R"));
}

// ---------------------------------------------------------------- views

#[test]
fn no_panic_at_tiny_sizes() {
    let mut app = app(Lang::Zh);
    for (w, h) in [
        (0, 0),
        (1, 1),
        (2, 2),
        (20, 5),
        (39, 11),
        (40, 12),
        (41, 13),
    ] {
        render(&app, w, h);
    }
    open(&mut app);
    update(&mut app, Msg::ToggleHelp);
    for (w, h) in [
        (0, 0),
        (1, 1),
        (2, 2),
        (20, 5),
        (40, 12),
        (45, 14),
        (300, 3),
        (3, 300),
    ] {
        size(&mut app, w, h);
        render(&app, w, h);
    }
    let small = render(&app, 20, 5);
    assert!(small.contains("终端太小"), "{small}");
}

#[test]
fn too_small_says_so() {
    let app = app(Lang::En);
    insta::assert_snapshot!("too_small_20x5", render(&app, 20, 5));
}

#[test]
fn catalog_80x24_and_120x40() {
    let mut app = app(Lang::En);
    app.progress
        .lessons
        .entry("three-sigma".into())
        .or_default()
        .seen
        .extend([0, 1]);
    app.progress
        .lessons
        .get_mut("three-sigma")
        .unwrap()
        .predictions
        .insert(1, true);
    insta::assert_snapshot!("catalog_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("catalog_120x40", render(&app, 120, 40));
}

fn lesson_app(lang: Lang, w: u16, h: u16) -> App {
    let mut app = app(lang);
    size(&mut app, w, h);
    open(&mut app);
    view_mut(&mut app).run.as_mut().unwrap().advance(150);
    app
}

#[test]
fn lesson_80x24_and_120x40() {
    let app = lesson_app(Lang::En, 80, 24);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("step 1/3") && screen.contains("iteration 150/400"));
    insta::assert_snapshot!("lesson_80x24", screen);
    let app = lesson_app(Lang::En, 120, 40);
    insta::assert_snapshot!("lesson_120x40", render(&app, 120, 40));
}

#[test]
fn chinese_step_at_40_and_100_columns() {
    for (w, h) in [(40, 30), (100, 30)] {
        let mut app = lesson_app(Lang::Zh, w, h);
        update(&mut app, Msg::Forward);
        let screen = render(&app, w, h);
        assert!(screen.contains("第 1/3 步"), "{screen}");
        for line in screen.lines() {
            assert!(line.width() <= w as usize, "{line}");
        }
        insta::assert_snapshot!(format!("lesson_zh_{w}"), screen);
    }
}

#[test]
fn predict_knobs_hints_help_numbers_at_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = lesson_app(Lang::En, w, h);
        update(&mut app, Msg::RevealAll);
        update(&mut app, Msg::Forward);
        let waiting = render(&app, w, h);
        assert!(
            waiting.contains("Predict first") && waiting.contains("waiting for your prediction")
        );
        insta::assert_snapshot!(format!("predict_{w}x{h}"), waiting);
        update(&mut app, Msg::Answer(3));
        view_mut(&mut app).run.as_mut().unwrap().advance(100);
        update(&mut app, Msg::NextHint);
        update(&mut app, Msg::NextKnob);
        let settled = render(&app, w, h);
        assert!(settled.contains("Not this time"), "{settled}");
        insta::assert_snapshot!(format!("predicted_{w}x{h}"), settled);
        update(&mut app, Msg::ToggleNumbers);
        insta::assert_snapshot!(format!("numbers_{w}x{h}"), render(&app, w, h));
        update(&mut app, Msg::ToggleHelp);
        insta::assert_snapshot!(format!("help_{w}x{h}"), render(&app, w, h));
    }
}

#[test]
fn diverged_is_said_in_words() {
    // A hand-made snapshot whose status is Diverged, as a train run reports it.
    let mut app = lesson_app(Lang::En, 100, 30);
    let run = view_mut(&mut app).run.as_mut().unwrap();
    run.snapshot.status = Some(demo::Status::Diverged { at: 42 });
    run.paused = true;
    let screen = render(&app, 100, 30);
    assert!(screen.contains("diverged at iteration 42"), "{screen}");
}

#[test]
fn every_panel_body_renders_and_non_finite_values_are_dropped() {
    use demo::{Axis, BarGroup, Bin, Panel, PanelBody, Series, Snapshot};
    let panel = |id: &str, body| Panel {
        id: id.into(),
        title: id.into(),
        x: Axis::new("x (units)"),
        y: Axis::new("y (units)"),
        body,
    };
    let mut bad = Series::line("train", [[0.0, 1.0], [1.0, 0.5], [2.0, 0.25]]);
    bad.points.push([3.0, f64::NAN]); // bypassing the constructor on purpose
    bad.points.push([f64::INFINITY, 1.0]);
    let snap = Snapshot {
        iteration: 3,
        total: 10,
        status: Some(demo::Status::Running),
        metrics: vec![("loss".into(), demo::Metric::Num(0.25))],
        panels: vec![
            panel(
                "series",
                PanelBody::Series {
                    series: vec![bad, Series::points("test", [[0.5, 0.7]])],
                },
            ),
            panel(
                "bars",
                PanelBody::Bars {
                    categories: vec!["1".into(), "2".into(), "3".into()],
                    groups: vec![
                        BarGroup {
                            name: "true".into(),
                            values: vec![1.0, -0.5, 0.0],
                        },
                        BarGroup {
                            name: "learned".into(),
                            values: vec![0.9, f64::NAN, 0.1],
                        },
                    ],
                },
            ),
            panel(
                "heat",
                PanelBody::Heat {
                    nx: 3,
                    ny: 2,
                    values: vec![0.0, 1.0, 2.0, 3.0, f64::INFINITY, 5.0],
                    overlay: vec![Series::line("path", [[0.1, 0.1], [0.9, 0.9]])],
                },
            ),
            panel(
                "hist",
                PanelBody::Histogram {
                    bins: vec![
                        Bin {
                            lo: 0.0,
                            hi: 1.0,
                            count: 3.0,
                        },
                        Bin {
                            lo: 1.0,
                            hi: 2.0,
                            count: f64::NAN,
                        },
                    ],
                    bands: vec![demo::Band {
                        label: "±1σ".into(),
                        lo: 0.2,
                        hi: 1.8,
                    }],
                    markers: vec![demo::Marker {
                        label: "test".into(),
                        x: 1.0,
                    }],
                },
            ),
            panel(
                "table",
                PanelBody::Table {
                    header: vec!["name".into(), "值".into()],
                    rows: vec![vec!["a".into(), "1".into()]],
                },
            ),
        ],
    };
    let theme = Theme::new(ThemeName::Light, false);
    let mono = Theme::new(ThemeName::Dark, true);
    for p in &snap.panels {
        for (w, h) in [(0, 0), (5, 3), (20, 6), (60, 16)] {
            for th in [&theme, &mono] {
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| {
                    nntutor::tui::views::panel::render_panel(p, f.area(), f.buffer_mut(), th)
                })
                .unwrap();
            }
        }
    }
    let lines = nntutor::tui::views::numbers::lines(&snap, Lang::En, &theme);
    let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    assert!(
        text.contains("train") && text.contains("0.25") && text.contains("grid 3x2"),
        "{text}"
    );
}

#[test]
fn heat_and_bars_draw_visible_content() {
    use demo::{Axis, BarGroup, Panel, PanelBody, Series};
    let theme = Theme::new(ThemeName::Dark, false);
    let nx = 20;
    let ny = 10;
    let values: Vec<f64> = (0..nx * ny)
        .map(|i| ((i % nx) as f64 - 10.0).powi(2) + ((i / nx) as f64 - 5.0).powi(2))
        .collect();
    let heat = Panel {
        id: "geometry".into(),
        title: "loss contours".into(),
        x: Axis::bounded("w1", -1.0, 3.0),
        y: Axis::bounded("w2", -1.0, 2.0),
        body: PanelBody::Heat {
            nx,
            ny,
            values,
            overlay: vec![Series::line(
                "L1 path",
                [[2.0, 0.6], [1.0, 0.0], [0.0, 0.0]],
            )],
        },
    };
    let bars = Panel {
        id: "decomposition".into(),
        title: "bias² and variance per degree".into(),
        x: Axis::new("degree"),
        y: Axis::new("error"),
        body: PanelBody::Bars {
            categories: (1..=6).map(|d| d.to_string()).collect(),
            groups: vec![
                BarGroup {
                    name: "bias²".into(),
                    values: vec![0.5, 0.3, 0.1, 0.05, 0.04, 0.04],
                },
                BarGroup {
                    name: "variance".into(),
                    values: vec![0.01, 0.02, 0.04, 0.1, 0.2, 0.4],
                },
            ],
        },
    };
    for p in [&heat, &bars] {
        let mut t = Terminal::new(TestBackend::new(60, 16)).unwrap();
        t.draw(|f| nntutor::tui::views::panel::render_panel(p, f.area(), f.buffer_mut(), &theme))
            .unwrap();
        let buf = t.backend().buffer();
        let mut text = String::new();
        let mut colours = std::collections::HashSet::new();
        for y in 0..16 {
            for x in 0..60 {
                text.push_str(buf[(x, y)].symbol());
                colours.insert(format!("{:?}", buf[(x, y)].fg));
            }
            text.push('\n');
        }
        println!("{text}");
        // Content beyond the frame: several colours (heat levels or bar groups).
        assert!(colours.len() >= 3, "{text}");
    }
}

#[test]
fn no_color_means_no_colour_anywhere() {
    let mut app = lesson_app(Lang::En, 120, 40);
    app.theme = Theme::new(ThemeName::Dark, true);
    update(&mut app, Msg::NextKnob);
    for overlay in [None, Some(Overlay::Help { scroll: 0 })] {
        app.overlay = overlay;
        let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
        t.draw(|f| f.render_widget(&app, f.area())).unwrap();
        for cell in t.backend().buffer().content() {
            assert_eq!(
                (cell.fg, cell.bg),
                (ratatui::style::Color::Reset, ratatui::style::Color::Reset),
                "{cell:?}"
            );
        }
    }
}

#[test]
fn light_theme_and_catalog_reload_clamp_the_selection() {
    let mut app = app(Lang::En);
    app.theme = Theme::new(ThemeName::Light, false);
    update(&mut app, Msg::SelectNext);
    update(&mut app, Msg::SelectNext);
    let mut small = catalog();
    small.entries.truncate(1);
    update(&mut app, Msg::CatalogReloaded(small));
    assert_eq!(app.selected, 0);
    assert!(render(&app, 80, 24).contains("The 3-sigma rule"));
}
