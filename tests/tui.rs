//! The TUI without a terminal: `update` for every message, and views
//! rendered into `TestBackend` at fixed sizes (insta snapshots).
#![cfg(feature = "tui")]

#[path = "tui/fixtures.rs"]
mod fixtures;
#[path = "tui/views.rs"]
mod views;

use fixtures::*;
use nntutor::demo::Value;
use nntutor::lesson::Diagnostic;
use nntutor::tui::app::{Overlay, Reply, Screen};
use nntutor::tui::i18n::Lang;
use nntutor::tui::msg::Msg;
use nntutor::tui::update::{Cmd, update};

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
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("end of the lesson")
    );
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
    use std::time::Duration;
    // A run plays at its pace: a frame shows a few iterations, not the end.
    assert!(app.train(Duration::from_millis(400), Duration::from_secs(5)));
    let it = view(&app).run.as_ref().unwrap().snapshot.iteration;
    assert!((1..20).contains(&it), "{it}");
    assert!(app.animating());
    // The rest of its six seconds plays the remaining iterations.
    assert!(app.train(Duration::from_secs(6), Duration::from_secs(5)));
    assert!(!app.animating(), "20 iterations end in six seconds of play");
}

#[test]
fn the_text_after_a_question_waits_for_the_answer() {
    let mut app = app(Lang::En);
    open(&mut app);
    update(&mut app, Msg::RevealAll);
    update(&mut app, Msg::Forward);
    view_mut(&mut app).lesson.steps[1]
        .segments
        .push("About 3: the answer.".into());
    // Forward asks first; f does too; nothing is revealed.
    update(&mut app, Msg::RevealAll);
    assert_eq!(view(&app).steps[1].reveal, 0);
    update(&mut app, Msg::ScrollDown);
    update(&mut app, Msg::Forward);
    assert_eq!((view(&app).step, view(&app).steps[1].reveal), (1, 0));
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("answer the question first")
    );
    // A second Forward skips the question (and its answer) to the next step.
    update(&mut app, Msg::Forward);
    assert_eq!((view(&app).step, view(&app).steps[1].reveal), (2, 0));
    // Answered, Forward reveals the rest.
    update(&mut app, Msg::PrevStep);
    update(&mut app, Msg::Answer(2));
    update(&mut app, Msg::Forward);
    assert_eq!((view(&app).step, view(&app).steps[1].reveal), (1, 1));
}

#[test]
fn a_live_knob_on_a_finished_run_reruns_it() {
    let mut app = app(Lang::En);
    open(&mut app);
    let run = view_mut(&mut app).run.as_mut().unwrap();
    run.advance(1000);
    assert!(!run.running());
    update(&mut app, Msg::NextKnob);
    update(&mut app, Msg::NextKnob); // batch: live
    update(&mut app, Msg::KnobUp);
    assert!(app.notice.as_ref().unwrap().text.contains("restarted"));
    assert_eq!(view(&app).run.as_ref().unwrap().snapshot.iteration, 0);
}

#[test]
fn hints_numbers_scroll_and_help() {
    let mut app = app(Lang::En);
    open(&mut app);
    update(&mut app, Msg::NextHint);
    assert!(app.notice.is_some(), "no hints here");
    update(&mut app, Msg::RevealAll);
    update(&mut app, Msg::Forward);
    // Hints explain the result: they wait for the prediction.
    update(&mut app, Msg::NextHint);
    assert_eq!(view(&app).steps[1].hints, 0);
    assert!(app.notice.as_ref().unwrap().text.contains("answer first"));
    update(&mut app, Msg::Answer(1));
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
    cat.entries[0].lesson = Err(vec![Diagnostic::error(
        "lessons/en/02-three-sigma.md",
        7,
        3,
        nntutor::msg!("hint block is empty"),
    )]);
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

/// With a `fr` folder the language key cycles en → fr → zh → en, keeping
/// the place; French lessons show under the English chrome, said once.
#[test]
fn switching_language_cycles_through_every_language_folder() {
    let mut app = app(Lang::En);
    let mut fr = nntutor::lesson::Lesson {
        title: "La règle des 3 sigmas".into(),
        ..lesson("fr")
    };
    fr.lang = "fr".into();
    app.catalog.entries.push(entry(fr));
    assert_eq!(app.catalog.languages(), ["en", "fr", "zh"]);
    open(&mut app);
    update(&mut app, Msg::Forward);
    update(&mut app, Msg::SwitchLang);
    assert_eq!((app.content.as_str(), app.lang), ("fr", Lang::En));
    assert_eq!(view(&app).lesson.title, "La règle des 3 sigmas");
    assert_eq!(view(&app).steps[0].reveal, 1);
    let notice = &app.notice.as_ref().unwrap().text;
    assert!(
        notice.contains("language: fr (the interface stays in English"),
        "{notice}"
    );
    update(&mut app, Msg::SwitchLang);
    assert_eq!((app.content.as_str(), app.lang), ("zh", Lang::Zh));
    assert_eq!(view(&app).lesson.lang, "zh");
    update(&mut app, Msg::SwitchLang);
    assert_eq!((app.content.as_str(), app.lang), ("en", Lang::En));
    assert_eq!(
        (view(&app).lesson.lang.as_str(), view(&app).steps[0].reveal),
        ("en", 1)
    );
    // The list offers French where it exists, English elsewhere.
    assert!(app.set_content("fr"));
    let items = app.items();
    let langs: Vec<(&str, bool)> = items
        .iter()
        .map(|it| (it.entry.lang.as_str(), it.fallback))
        .collect();
    assert!(langs.contains(&("fr", false)), "{langs:?}");
    assert!(langs.contains(&("en", true)), "{langs:?}");
}

/// A progress file is only as good as whoever wrote it: an answer of 99, a
/// knob the step does not offer and a value out of range are dropped when
/// the lesson opens; good values are restored.
#[test]
fn saved_values_are_validated_when_a_lesson_opens() {
    use nntutor::tui::app::LessonView;
    use nntutor::tui::progress::LessonProgress;
    let lesson = lesson("en");
    let mut lp = LessonProgress::default();
    lp.answers.insert(1, 99);
    lp.knobs.insert(
        0,
        [
            ("batch".to_string(), "80".to_string()),
            ("seed".to_string(), "3".to_string()),
            ("std".to_string(), "-5.0".to_string()),
            ("nonsense".to_string(), "1".to_string()),
        ]
        .into_iter()
        .collect(),
    );
    let v = LessonView::open(lesson.clone(), 0, Some(&lp));
    assert_eq!(v.steps[1].answer, None);
    let keys: Vec<&String> = v.steps[0].overrides.keys().collect();
    assert_eq!(keys, ["batch"]);
    lp.answers.insert(1, 2);
    let v = LessonView::open(lesson, 0, Some(&lp));
    assert_eq!(v.steps[1].answer, Some(Reply::Choice(2)));
}

/// The words of the prose column of a wide screen (left of the charts).
fn prose(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .skip(1)
        .filter_map(|l| l.split(['│', '┌', '└']).next())
        .flat_map(str::split_whitespace)
        .collect()
}

/// A numeric question: the field takes what a number is made of and
/// refuses the rest, holds the run until Enter, and judges the number
/// against the lesson's answer ± tolerance when the run ends.
#[test]
fn a_numeric_prediction_is_typed_then_judged_when_the_run_ends() {
    use nntutor::tui::keymap::{Ask, Mode};
    let mut app = numeric_app(Lang::En, 100, 30);
    let waits = Mode::Lesson {
        knobs: false,
        ask: Ask::Number,
        play: false,
    };
    assert_eq!(app.mode(), waits);
    assert!(!app.animating(), "the demo waits");
    // A number's first character starts typing it.
    type_keys(&mut app, "0");
    assert_eq!(app.mode(), Mode::Typing);
    // Then a letter is refused, not run: `q` would have quit.
    type_keys(&mut app, "q");
    assert!(!app.quit);
    let n = app.notice.clone().unwrap();
    assert!(
        n.error && n.text.contains("only digits, -, . and e"),
        "{n:?}"
    );
    type_keys(&mut app, ".955");
    update(&mut app, Msg::InputBackspace);
    assert_eq!(view(&app).steps[1].typed, "0.95");
    // Hints would give the answer away.
    update(&mut app, Msg::NextHint);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("answer first (type a number)")
    );
    assert!(!app.animating());
    type_keys(&mut app, "\n");
    assert_eq!(
        view(&app).steps[1].answer,
        Some(Reply::Number("0.95".into()))
    );
    assert!(app.animating(), "the run plays after Enter");
    let lp = &app.progress.lessons["three-sigma"];
    assert_eq!(lp.numbers[&1], "0.95");
    assert!(!lp.predictions[&1], "0.95 is outside 0.9973 ± 0.01");
    assert!(!lp.answers.contains_key(&1));
    let running = render(&app, 100, 30);
    assert!(
        running.contains("You said 0.95. Watch the run"),
        "{running}"
    );
    assert!(!running.contains("0.9873"), "no verdict before the end");
    view_mut(&mut app).run.as_mut().unwrap().advance(1000);
    let done = render(&app, 100, 30);
    let flat = prose(&done).join(" ");
    for part in [
        "You said 0.95. Not this time. The answer is 0.9973 +/- 0.01: 0.9873 to 1.0073 counts",
        "as right. This run measured coverage_3sigma = 0.998.",
        "The 3-sigma rule: 99.73%.",
    ] {
        assert!(flat.contains(part), "{part:?} in\n{done}");
    }
}

/// The verdict follows the lesson's answer, not the run: a number within
/// the tolerance holds, and the Chinese view says it in Chinese.
#[test]
fn a_number_within_the_tolerance_holds() {
    let mut app = numeric_app(Lang::Zh, 100, 30);
    type_keys(&mut app, "0.99\n");
    assert!(app.progress.lessons["three-sigma"].predictions[&1]);
    view_mut(&mut app).run.as_mut().unwrap().advance(1000);
    let done = render(&app, 100, 30);
    let flat: String = prose(&done).concat();
    assert!(
        flat.contains(
            "你的答案是0.99。你的预测是对的。答案是0.9973+/-0.01：0.9873到1.0073之间都算对。"
        ),
        "{done}"
    );
    assert!(
        flat.contains("这次运行测得coverage_3sigma=0.998。"),
        "{done}"
    );
}

/// Until the first character of a number, and after Esc, lesson keys
/// work (`q` quits, Tab and Enter type a knob value); a number's
/// character or Enter goes (back) to the field.
#[test]
fn esc_leaves_the_answer_field_and_enter_returns() {
    use nntutor::tui::keymap::{Ask, Mode, dispatch};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
    let mut app = numeric_app(Lang::En, 100, 30);
    let arrived = render(&app, 100, 30);
    assert!(
        arrived.contains("Your answer:") && !arrived.contains("Your answer: _"),
        "no cursor before typing:\n{arrived}"
    );
    for c in ['5', '-', '.', 'e'] {
        let msg = dispatch(app.mode(), &key(KeyCode::Char(c)));
        assert!(
            matches!(msg, Some(Msg::InputChar(x)) if x == c),
            "{c} starts typing"
        );
    }
    assert!(matches!(
        dispatch(app.mode(), &key(KeyCode::Char('q'))),
        Some(Msg::Quit)
    ));
    type_keys(&mut app, "0.9");
    let esc = dispatch(app.mode(), &key(KeyCode::Esc)).unwrap();
    assert!(matches!(esc, Msg::InputCancel));
    update(&mut app, esc);
    let left = Mode::Lesson {
        knobs: false,
        ask: Ask::Number,
        play: false,
    };
    assert_eq!(app.mode(), left);
    assert!(matches!(
        dispatch(app.mode(), &key(KeyCode::Char('q'))),
        Some(Msg::Quit)
    ));
    assert!(matches!(
        dispatch(Mode::Typing, &key(KeyCode::Char('q'))),
        Some(Msg::InputChar('q'))
    ));
    // The arrows work while typing, too: Right asks first, as for a choice.
    assert!(matches!(
        dispatch(Mode::Typing, &key(KeyCode::Right)),
        Some(Msg::Forward)
    ));
    // The knob panel's Enter still types a knob value.
    update(&mut app, Msg::NextKnob);
    assert!(matches!(
        dispatch(app.mode(), &key(KeyCode::Enter)),
        Some(Msg::EditKnob)
    ));
    update(&mut app, Msg::Back);
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("Your answer: 0.9") && !screen.contains("0.9_"),
        "no cursor outside the field:\n{screen}"
    );
    assert!(screen.contains("type a number, then Enter"), "{screen}");
    let enter = dispatch(app.mode(), &key(KeyCode::Enter)).unwrap();
    assert!(matches!(enter, Msg::TypeAnswer));
    update(&mut app, enter);
    assert_eq!(app.mode(), Mode::Typing);
    type_keys(&mut app, "7\n");
    assert_eq!(
        view(&app).steps[1].answer,
        Some(Reply::Number("0.97".into()))
    );
}

/// Whatever arrives, nothing panics and only a number is taken: empty or
/// malformed input is refused with a notice, a long paste stops at the
/// field's limit, and non-finite numbers do not count.
#[test]
fn the_answer_field_refuses_what_is_not_a_number() {
    use nntutor::tui::progress::MAX_TYPED;
    let mut app = numeric_app(Lang::En, 100, 30);
    let notice = |app: &nntutor::tui::app::App| app.notice.clone().unwrap().text;
    // Enter opens the field, a second Enter submits it empty.
    type_keys(&mut app, "\n\n");
    assert!(notice(&app).contains("type a number first"));
    for bad in ["1e", "-", "1.2.3", "1e999", "--1", "e"] {
        view_mut(&mut app).steps[1].typed.clear();
        type_keys(&mut app, &format!("{bad}\n"));
        assert!(view(&app).waiting(), "{bad}");
        assert_eq!(
            notice(&app),
            format!("cannot read {bad} as a number"),
            "{bad}"
        );
    }
    view_mut(&mut app).steps[1].typed.clear();
    // A paste of anything into the field: letters, CJK, emoji, control
    // characters, a megabyte of digits.
    type_keys(&mut app, "\n");
    let paste: String = "粘贴 words 🎉\t\u{7}\u{9b}1".repeat(50) + &"9".repeat(1 << 20);
    type_keys(&mut app, &paste);
    let typed = &view(&app).steps[1].typed;
    assert_eq!(typed.len(), MAX_TYPED);
    assert!(typed.chars().all(|c| c.is_ascii_digit()), "{typed}");
    assert!(notice(&app).contains("at most 32 characters"));
    render(&app, 100, 30);
    render(&app, 20, 5);
    type_keys(&mut app, "\n");
    assert!(!view(&app).waiting(), "32 digits are a number");
}

/// A typed number survives the progress file, and what is read back is
/// validated like the choices: a number for a numeric question, a choice
/// for a multiple-choice one.
#[test]
fn a_typed_number_round_trips_through_the_progress_file() {
    use nntutor::tui::app::LessonView;
    use nntutor::tui::progress::{LessonProgress, Progress, Store};
    let mut app = numeric_app(Lang::En, 100, 30);
    type_keys(&mut app, "-1.5e-3\n");
    let dir = std::env::temp_dir().join(format!("nntutor-tui-numbers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store {
        path: Some(dir.join("progress.json")),
    };
    store.save(&app.progress, &app.touched).unwrap();
    let json = std::fs::read_to_string(dir.join("progress.json")).unwrap();
    assert!(
        json.contains("\"numbers\": {\n        \"1\": \"-1.5e-3\""),
        "{json}"
    );
    let (back, notice) = store.load();
    assert!(notice.is_none());
    assert_eq!(back, app.progress);
    let mut asks_number = lesson("en");
    asks_number.steps[1].predict = Some(numeric("en"));
    let lp = &back.lessons["three-sigma"];
    let v = LessonView::open(asks_number.clone(), 1, Some(lp));
    assert_eq!(v.steps[1].answer, Some(Reply::Number("-1.5e-3".into())));
    assert!(!v.waiting());
    // Hand edits: not a number, a choice for a numeric question, a number
    // for a multiple-choice one.
    let mut lp = LessonProgress::default();
    for bad in ["abc", "", "inf", "1e999", &"1".repeat(40)] {
        lp.numbers.insert(1, bad.to_string());
        let v = LessonView::open(asks_number.clone(), 1, Some(&lp));
        assert_eq!(v.steps[1].answer, None, "{bad:?}");
    }
    lp.numbers.clear();
    lp.answers.insert(1, 2);
    let v = LessonView::open(asks_number, 1, Some(&lp));
    assert_eq!(v.steps[1].answer, None);
    let mut lp = LessonProgress::default();
    lp.numbers.insert(1, "2".into());
    assert_eq!(
        LessonView::open(lesson("en"), 1, Some(&lp)).steps[1].answer,
        None
    );
    // A file written before numbers existed loads as it did.
    let old = r#"{"last": ["three-sigma", 1], "lessons": {"three-sigma": {"step": 1, "seen": [0, 1], "predictions": {"1": true}, "answers": {"1": 2}, "knobs": {}, "changed": 1}}}"#;
    let p: Progress = serde_json::from_str(old).unwrap();
    assert!(p.lessons["three-sigma"].numbers.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// An instructor turns an answered multiple-choice question into a numeric
/// one while the lesson is open: the old choice is no answer to it, so the
/// question is asked again (and the run held) instead of showing a blank
/// choice.
#[test]
fn a_reload_that_changes_the_question_asks_it_again() {
    let mut app = app(Lang::En);
    open(&mut app);
    update(&mut app, Msg::RevealAll);
    update(&mut app, Msg::Forward);
    update(&mut app, Msg::Answer(2));
    assert!(!view(&app).waiting());
    let mut cat = catalog();
    if let Ok(l) = &mut cat.entries[0].lesson {
        l.steps[1].predict = Some(numeric("en"));
    }
    update(&mut app, Msg::CatalogReloaded(cat));
    assert!(view(&app).waiting() && view(&app).number().is_some());
    assert_eq!(view(&app).steps[1].answer, None);
    assert!(!app.animating());
}

/// Opens the playground from the lesson list with `p`, as a student would.
fn open_playground(app: &mut nntutor::tui::app::App) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let p = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::NONE);
    let msg = nntutor::tui::keymap::dispatch(app.mode(), &p).expect("p is bound on the list");
    assert!(matches!(msg, Msg::OpenPlayground));
    update(app, msg);
    assert!(view(app).playground);
}

#[test]
fn the_playground_opens_from_the_list_and_keeps_its_knobs_for_the_session() {
    let mut app = app(Lang::En);
    open_playground(&mut app);
    let v = view(&app);
    assert_eq!(v.lesson.steps.len(), 1);
    assert!(
        v.run.is_some() && v.run_error.is_none(),
        "{:?}",
        v.run_error
    );
    assert!(app.animating());
    // Knob 6 is `layers` (see playground::KNOBS): typed as bare numbers.
    let layers = nntutor::tui::playground::KNOBS
        .iter()
        .position(|k| *k == "layers")
        .unwrap();
    view_mut(&mut app).knob = layers;
    update(&mut app, Msg::EditKnob);
    if let Some(Overlay::Input { text, .. }) = &mut app.overlay {
        *text = "2, 6, 6, 2".into();
    }
    update(&mut app, Msg::InputSubmit);
    let p = view(&app).params().unwrap();
    assert_eq!(p.usizes("layers"), [2, 6, 6, 2]);
    // The playground is not a lesson of the catalog: no progress for it.
    assert!(app.progress.lessons.is_empty() && app.progress.last.is_none());
    update(&mut app, Msg::Back);
    assert!(matches!(app.screen, Screen::Catalog));
    update(&mut app, Msg::OpenPlayground);
    assert_eq!(
        view(&app).params().unwrap().usizes("layers"),
        [2, 6, 6, 2],
        "kept for the session"
    );
    // Switching language re-words it and keeps the run.
    update(&mut app, Msg::SwitchLang);
    assert_eq!(view(&app).lesson.title, "练习场");
    assert!(view(&app).run.is_some());
}

#[test]
fn the_playground_fits_layers_to_the_data_and_steps_through_plane_sets() {
    let mut app = app(Lang::En);
    open_playground(&mut app);
    let knob = |k: &str| {
        nntutor::tui::playground::KNOBS
            .iter()
            .position(|x| *x == k)
            .unwrap()
    };
    // `inputs` typed as bare words: layers now start with 3.
    view_mut(&mut app).knob = knob("inputs");
    update(&mut app, Msg::EditKnob);
    if let Some(Overlay::Input { text, .. }) = &mut app.overlay {
        *text = "x1, x2, x1*x2".into();
    }
    update(&mut app, Msg::InputSubmit);
    let p = view(&app).params().unwrap();
    assert_eq!(p.strs("inputs"), ["x1", "x2", "x1*x2"]);
    assert_eq!(p.usizes("layers"), [3, 8, 2]);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("layers now [3, 8, 2]"),
        "{:?}",
        app.notice
    );
    // The data set knob cycles through the plane's sets only.
    view_mut(&mut app).knob = knob("dataset");
    let mut seen = Vec::new();
    for _ in 0..6 {
        update(&mut app, Msg::KnobUp);
        let p = view(&app).params().unwrap();
        seen.push(p.str("dataset").to_string());
        assert!(
            nntutor::nn::data::PLANE_SETS.contains(&p.str("dataset")),
            "{seen:?}"
        );
        assert!(nntutor::demo::check(&p).is_ok());
    }
    assert!(seen.contains(&"spirals".to_string()), "{seen:?}");
    // `classes` = 3 where the set has 2 is refused, not undone by the fit.
    update(&mut app, Msg::ResetKnobs);
    view_mut(&mut app).knob = knob("classes");
    update(&mut app, Msg::KnobUp);
    assert!(app.notice.as_ref().unwrap().error, "{:?}", app.notice);
    assert_eq!(view(&app).params().unwrap().usize("classes"), 2);
}

#[test]
fn s_saves_the_playground_as_a_lesson_that_checks_and_runs_the_same_params() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = app(Lang::En);
    // Not in a lesson of the catalog.
    let s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE);
    open(&mut app);
    assert!(nntutor::tui::keymap::dispatch(app.mode(), &s).is_none());
    update(&mut app, Msg::Back);
    open_playground(&mut app);
    view_mut(&mut app).knob = 0;
    update(&mut app, Msg::KnobUp);
    let msg = nntutor::tui::keymap::dispatch(app.mode(), &s).expect("s is bound");
    let cmds = update(&mut app, msg);
    let [
        Cmd::SavePlayground {
            params,
            knobs,
            lang,
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}");
    };
    assert_eq!(params, &view(&app).params().unwrap());
    let dir = std::env::temp_dir().join(format!("nntutor-tui-save-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = nntutor::tui::playground::save(&dir, params, knobs, lang).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let parsed = nntutor::lesson::parse_str(&path.display().to_string(), "en", &text);
    let lesson = parsed.lesson.expect("parses");
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(&lesson.steps[0].demo.as_ref().unwrap().params, params);
    // The binary's own `check` agrees.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nntutor"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.contains("1 valid, 0 invalid (0 errors, 0 warnings)"),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    update(
        &mut app,
        Msg::PlaygroundSaved(Ok("nntutor-playground-1.md".into())),
    );
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("saved as nntutor-playground-1.md")
    );
    update(
        &mut app,
        Msg::PlaygroundSaved(Err("Permission denied (os error 13)".into())),
    );
    let n = app.notice.as_ref().unwrap();
    assert!(n.error && n.text.contains("Permission denied"), "{n:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
