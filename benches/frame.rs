//! One full frame of the lesson screen at 120x40 with three panels (two
//! histograms/coverage panels of the `gaussian` kind and a two-series loss
//! chart of 500 points each), rendered into ratatui's `TestBackend`.
//! Target: <= 1 ms median.

use criterion::{Criterion, criterion_group, criterion_main};
use nntutor::demo::{self, Axis, Panel, PanelBody, Series, Value};
use nntutor::lesson::{Catalog, DemoSpec, Entry, Lesson, Step};
use nntutor::tui::app::{App, Screen};
use nntutor::tui::i18n::Lang;
use nntutor::tui::msg::Msg;
use nntutor::tui::progress::Progress;
use nntutor::tui::theme::Theme;
use nntutor::tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app() -> App {
    let kind = demo::kind("gaussian").unwrap();
    let spec = DemoSpec {
        kind,
        params: kind.validate(&[("steps".into(), Value::Int(400))]).unwrap(),
        knobs: vec!["std".into(), "batch".into()],
        line: 1,
    };
    let lesson = Lesson {
        id: "bench".into(),
        title: "Frame benchmark".into(),
        order: 1,
        summary: None,
        run_seconds: None,
        lang: "en".into(),
        origin: "bench".into(),
        steps: vec![Step {
            title: "Three panels".into(),
            segments: vec!["Some **prose** with `code`, a list:\n\n- one\n- two\n\n> and a quote that wraps over more than one line of the prose column.".into()],
            demo: Some(spec),
            predict: None,
            hints: vec![],
            expect: None,
            line: 1,
        }],
    };
    let catalog = Catalog {
        entries: vec![Entry {
            id: "bench".into(),
            lang: "en".into(),
            origin: "bench".into(),
            lesson: Ok(lesson),
            warnings: vec![],
        }],
    };
    let mut app = App::new(catalog, Lang::En, Theme::default(), Progress::default());
    update(&mut app, Msg::Resize(120, 40));
    update(&mut app, Msg::Open);
    let Screen::Lesson(v) = &mut app.screen else {
        unreachable!()
    };
    let run = v.run.as_mut().unwrap();
    run.advance(200);
    // A third panel like `train`'s loss curves.
    let curve = |k: f64| (0..500).map(move |i| [i as f64, (-(i as f64) / 100.0 * k).exp() + 0.05]);
    run.snapshot.panels.push(Panel {
        id: "loss".into(),
        title: nntutor::msg!("loss"),
        x: Axis::new(nntutor::msg!("iteration")),
        y: Axis::new(nntutor::msg!("loss (mean squared error)")),
        body: PanelBody::Series {
            series: vec![
                Series::line(nntutor::msg!("train"), curve(1.0)),
                Series::line(nntutor::msg!("test"), curve(0.6)),
            ],
        },
    });
    app
}

fn frame(c: &mut Criterion) {
    let app = app();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    c.bench_function("lesson frame 120x40, 3 panels", |b| {
        b.iter(|| {
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
        })
    });
}

/// The lesson list of an instructor folder with 1,000 lessons: building
/// the rows and drawing the screen (target: well under a second).
fn big_catalog(c: &mut Criterion) {
    let one = app();
    let Screen::Lesson(v) = &one.screen else {
        unreachable!()
    };
    let entries = (0..1000)
        .map(|i| {
            let mut l = v.lesson.clone();
            l.id = format!("lesson-{i:04}");
            l.title = format!("Lesson {i}");
            l.order = i;
            Entry {
                id: l.id.clone(),
                lang: "en".into(),
                origin: format!("dir/{i}.md"),
                lesson: Ok(l),
                warnings: vec![],
            }
        })
        .collect();
    let mut app = App::new(
        Catalog { entries },
        Lang::En,
        Theme::default(),
        Progress::default(),
    );
    update(&mut app, Msg::Resize(120, 40));
    for _ in 0..500 {
        update(&mut app, Msg::SelectNext);
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    c.bench_function("catalog of 1000 lessons, 120x40", |b| {
        b.iter(|| {
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
        })
    });
}

criterion_group!(benches, frame, big_catalog);
criterion_main!(benches);
