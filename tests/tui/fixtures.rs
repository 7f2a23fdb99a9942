//! Lessons and apps built by hand (the parser lives elsewhere), and a
//! renderer that turns a frame into text.

use nntutor::demo::{self, Value};
use nntutor::lesson::{
    Answer, Catalog, DemoSpec, Diagnostic, Entry, Lesson, Number, Predict, Step, Tolerance,
};
use nntutor::tui::app::{App, LessonView, Screen};
use nntutor::tui::i18n::Lang;
use nntutor::tui::msg::Msg;
use nntutor::tui::progress::Progress;
use nntutor::tui::theme::{Theme, ThemeName};
use nntutor::tui::update::{Cmd, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

/// A gaussian demo spec with `steps` iterations, extra keys and knobs.
pub fn gaussian(steps: i64, extra: &[(&str, Value)], knobs: &[&str]) -> DemoSpec {
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
pub fn lesson(lang: &str) -> Lesson {
    let zh = lang == "zh";
    let t = |en: &str, zh_s: &str| if zh { zh_s.to_string() } else { en.to_string() };
    Lesson {
        id: "three-sigma".into(),
        title: t("The 3-sigma rule", "3σ 规则"),
        order: 2,
        summary: Some(t("Where random weights land.", "随机权重落在哪里。")),
        run_seconds: None,
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
                expect: None,
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
                    answer: Answer::Choice {
                        choices: vec!["0".into(), "about 3".into(), "about 50".into()],
                        right: 1,
                    },
                    explanation: t("99.73% lie within 3σ.", "99.73% 落在 3σ 之内。"),
                    metric: Some("coverage_3sigma".into()),
                }),
                hints: vec![
                    t("Think of 100% - 99.73%.", "想想 100% - 99.73%。"),
                    t("0.27% of 1000.", "1000 的 0.27%。"),
                ],
                expect: None,
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
                expect: None,
                line: 30,
            },
        ],
    }
}

pub fn entry(l: Lesson) -> Entry {
    Entry {
        id: l.id.clone(),
        lang: l.lang.clone(),
        origin: l.origin.clone(),
        lesson: Ok(l),
        warnings: vec![],
    }
}

pub fn broken() -> Entry {
    Entry {
        id: "broken".into(),
        lang: "en".into(),
        origin: "lessons/en/09-broken.md".into(),
        lesson: Err(vec![
            Diagnostic::error(
                "lessons/en/09-broken.md",
                12,
                1,
                nntutor::msg!(
                    "unknown key `{name}` for kind \"{kind}\"",
                    name = "learning_rate",
                    kind = "gaussian"
                ),
            )
            .with_help(nntutor::demo::schema::choices_help(
                "learning_rate",
                &["lr", "steps"],
                nntutor::msg!("valid keys"),
            )),
        ]),
        warnings: vec![],
    }
}

/// The lesson in English and Chinese, an English-only lesson, a broken file.
pub fn catalog() -> Catalog {
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

pub fn app(lang: Lang) -> App {
    let mut app = App::new(
        catalog(),
        lang,
        Theme::new(ThemeName::Dark, false),
        Progress::default(),
    );
    update(&mut app, Msg::Resize(100, 30));
    app
}

/// Step 2's question asking for a number instead: the share within 3σ,
/// 0.9973 ± 0.01, settled by `coverage_3sigma`.
pub fn numeric(lang: &str) -> Predict {
    let zh = lang == "zh";
    Predict {
        question: if zh {
            "落在 3σ 之内的比例是多少？".into()
        } else {
            "What fraction lands within 3σ?".into()
        },
        answer: Answer::Number(Number {
            value: 0.9973,
            tolerance: Tolerance::Absolute(0.01),
            text: "0.9973".into(),
            line: 21,
            col: 10,
        }),
        explanation: if zh {
            "3σ 规则：99.73%。".into()
        } else {
            "The 3-sigma rule: 99.73%.".into()
        },
        metric: Some("coverage_3sigma".into()),
    }
}

/// [`app`] at `w`x`h` with step 2's question numeric, open on step 2,
/// where the question waits.
pub fn numeric_app(lang: Lang, w: u16, h: u16) -> App {
    let mut catalog = catalog();
    for e in &mut catalog.entries {
        if let Ok(l) = &mut e.lesson
            && l.id == "three-sigma"
        {
            l.steps[1].predict = Some(numeric(&l.lang));
        }
    }
    let mut app = App::new(
        catalog,
        lang,
        Theme::new(ThemeName::Dark, false),
        Progress::default(),
    );
    update(&mut app, Msg::Resize(w, h));
    open(&mut app);
    update(&mut app, Msg::RevealAll);
    update(&mut app, Msg::Forward);
    assert!(view(&app).waiting() && view(&app).number().is_some());
    app
}

/// Types `text` key by key as the terminal would send it.
pub fn type_keys(app: &mut App, text: &str) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for c in text.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        let ev = KeyEvent::new(code, KeyModifiers::NONE);
        if let Some(msg) = nntutor::tui::keymap::dispatch(app.mode(), &ev) {
            update(app, msg);
        }
    }
}

/// Opens "three-sigma" (second in the list).
pub fn open(app: &mut App) {
    update(app, Msg::SelectNext);
    let cmds = update(app, Msg::Open);
    assert_eq!(cmds, vec![Cmd::Save]);
    assert!(matches!(app.screen, Screen::Lesson(_)));
}

pub fn view(app: &App) -> &LessonView {
    match &app.screen {
        Screen::Lesson(v) => v,
        Screen::Catalog => panic!("not in a lesson"),
    }
}

pub fn view_mut(app: &mut App) -> &mut LessonView {
    match &mut app.screen {
        Screen::Lesson(v) => v,
        Screen::Catalog => panic!("not in a lesson"),
    }
}

/// Renders the app at `w`×`h` and returns the screen as text, one line per
/// row, wide characters counted once.
pub fn render(app: &App, w: u16, h: u16) -> String {
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

pub fn size(app: &mut App, w: u16, h: u16) {
    update(app, Msg::Resize(w, h));
}
