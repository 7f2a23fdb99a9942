//! Views rendered into `TestBackend` at fixed sizes (insta snapshots).

use std::time::Duration;

use nntutor::demo;
use nntutor::tui::app::{App, Overlay};
use nntutor::tui::i18n::Lang;
use nntutor::tui::msg::Msg;
use nntutor::tui::theme::{Theme, ThemeName};
use nntutor::tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

use super::fixtures::*;

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

#[test]
fn a_broken_lesson_reads_in_the_ui_language() {
    // The diagnostic keeps its parts, so switching language re-words it.
    let mut app = app(Lang::En);
    let en = render(&app, 120, 40);
    assert!(en.contains("error: unknown key `learning_rate`"), "{en}");
    app.lang = Lang::Zh;
    let zh = render(&app, 120, 40);
    assert!(
        zh.contains("错误: 类型 \"gaussian\" 没有键 `learning_rate`"),
        "{zh}"
    );
    assert!(zh.contains("可用的键：lr, steps"), "{zh}");
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
    assert!(
        screen.contains("Diverged at iteration 42: a number became NaN"),
        "{screen}"
    );
}

#[test]
fn every_panel_body_renders_and_non_finite_values_are_dropped() {
    use demo::{Axis, BarGroup, Bin, Panel, PanelBody, Series, Snapshot};
    let t = |s: &str| nntutor::i18n::Msg::verbatim(s);
    let panel = |id: &str, body| Panel {
        id: id.into(),
        title: t(id),
        x: Axis::new(t("x (units)")),
        y: Axis::new(t("y (units)")),
        body,
    };
    let mut bad = Series::line(t("train"), [[0.0, 1.0], [1.0, 0.5], [2.0, 0.25]]);
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
                    series: vec![bad, Series::points(t("test"), [[0.5, 0.7]])],
                },
            ),
            panel(
                "bars",
                PanelBody::Bars {
                    categories: vec!["1".into(), "2".into(), "3".into()],
                    groups: vec![
                        BarGroup {
                            name: t("true"),
                            values: vec![1.0, -0.5, 0.0],
                        },
                        BarGroup {
                            name: t("learned"),
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
                    shade: t("loss"),
                    overlay: vec![Series::line(t("path"), [[0.1, 0.1], [0.9, 0.9]])],
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
                        label: t("±1σ"),
                        lo: 0.2,
                        hi: 1.8,
                    }],
                    markers: vec![demo::Marker {
                        label: t("test"),
                        x: 1.0,
                    }],
                },
            ),
            panel(
                "table",
                PanelBody::Table {
                    header: vec![t("name"), t("值")],
                    rows: vec![vec![t("a"), t("1")]],
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
                    nntutor::tui::views::panel::render_panel(
                        p,
                        f.area(),
                        f.buffer_mut(),
                        th,
                        Lang::En,
                    )
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
    let t = nntutor::i18n::Msg::verbatim;
    let theme = Theme::new(ThemeName::Dark, false);
    let nx = 20;
    let ny = 10;
    let values: Vec<f64> = (0..nx * ny)
        .map(|i| ((i % nx) as f64 - 10.0).powi(2) + ((i / nx) as f64 - 5.0).powi(2))
        .collect();
    let heat = Panel {
        id: "geometry".into(),
        title: t("loss contours"),
        x: Axis::bounded(t("w1"), -1.0, 3.0),
        y: Axis::bounded(t("w2"), -1.0, 2.0),
        body: PanelBody::Heat {
            nx,
            ny,
            values,
            shade: t("loss"),
            overlay: vec![Series::line(
                t("L1 path"),
                [[2.0, 0.6], [1.0, 0.0], [0.0, 0.0]],
            )],
        },
    };
    let bars = Panel {
        id: "decomposition".into(),
        title: t("bias² and variance per degree"),
        x: Axis::new(t("degree")),
        y: Axis::new(t("error")),
        body: PanelBody::Bars {
            categories: (1..=6).map(|d| d.to_string()).collect(),
            groups: vec![
                BarGroup {
                    name: t("bias²"),
                    values: vec![0.5, 0.3, 0.1, 0.05, 0.04, 0.04],
                },
                BarGroup {
                    name: t("variance"),
                    values: vec![0.01, 0.02, 0.04, 0.1, 0.2, 0.4],
                },
            ],
        },
    };
    for p in [&heat, &bars] {
        let mut t = Terminal::new(TestBackend::new(60, 16)).unwrap();
        t.draw(|f| {
            nntutor::tui::views::panel::render_panel(p, f.area(), f.buffer_mut(), &theme, Lang::En)
        })
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

#[test]
fn series_sharing_a_name_share_one_legend_entry() {
    use demo::{Axis, Panel, PanelBody, Series};
    let fits = nntutor::msg!("fits on the last {n} sets", n = 3);
    let line = |k: f64| (0..20).map(move |i| [i as f64, k * i as f64]);
    let panel = Panel {
        id: "fits".into(),
        title: nntutor::msg!("model"),
        x: Axis::new(nntutor::msg!("input x")),
        y: Axis::new(nntutor::msg!("target y")),
        body: PanelBody::Series {
            series: vec![
                Series::line(fits.clone(), line(1.0)),
                Series::line(fits.clone(), line(2.0)),
                Series::line(fits, line(3.0)),
                Series::line(nntutor::msg!("truth sin(πx)"), line(0.5)),
            ],
        },
    };
    let theme = Theme::new(ThemeName::Dark, false);
    let mut t = Terminal::new(TestBackend::new(80, 16)).unwrap();
    t.draw(|f| {
        nntutor::tui::views::panel::render_panel(&panel, f.area(), f.buffer_mut(), &theme, Lang::Zh)
    })
    .unwrap();
    let buf = t.backend().buffer();
    let text: String = (0..16)
        .map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
        .collect();
    // A wide character's second cell reads as a space here.
    let squeezed = text.replace(' ', "");
    assert_eq!(squeezed.matches("最近3组的拟合").count(), 1, "{text}");
    assert!(squeezed.contains("真实函数sin(πx)"), "{text}");
}

#[test]
fn a_short_screen_shows_one_chart_and_c_shows_the_next() {
    let mut app = lesson_app(Lang::En, 80, 24);
    let first = render(&app, 80, 24);
    assert!(first.contains("chart 1 of 2, c: next"), "{first}");
    assert!(first.contains("weights drawn from") && !first.contains("share of weights"));
    update(&mut app, Msg::NextChart);
    let second = render(&app, 80, 24);
    assert!(second.contains("chart 2 of 2") && second.contains("share of weights"));
    // Tall enough to stack both: no chooser.
    let tall = lesson_app(Lang::En, 120, 40);
    assert!(!render(&tall, 120, 40).contains("c: next"));
}

#[test]
fn crossing_series_and_a_reference_on_top_all_stay_visible() {
    use demo::{Axis, Panel, PanelBody, Series};
    // A measured fraction that settles onto its exact value, and a second
    // series crossing both: three series through the same cells.
    let settle = (0..40).map(|i| [i as f64, 95.45 + 8.0 / (1.0 + i as f64)]);
    let cross = (0..40).map(|i| [i as f64, 110.0 - i as f64 / 2.0]);
    let panel = Panel {
        id: "coverage".into(),
        title: nntutor::msg!("share of weights within μ ± kσ"),
        x: Axis::new(nntutor::msg!("samples drawn")),
        y: Axis::new(nntutor::msg!("% of samples")),
        body: PanelBody::Series {
            series: vec![
                Series::line(nntutor::msg!("within {k}σ", k = 2), settle),
                Series::line(nntutor::msg!("within {k}σ", k = 3), cross),
                Series::reference(
                    nntutor::msg!("exact {percent}%", percent = "95.45"),
                    [[0.0, 95.45], [39.0, 95.45]],
                ),
            ],
        },
    };
    let theme = Theme::new(ThemeName::Dark, false);
    let mut t = Terminal::new(TestBackend::new(60, 14)).unwrap();
    t.draw(|f| {
        nntutor::tui::views::panel::render_panel(&panel, f.area(), f.buffer_mut(), &theme, Lang::En)
    })
    .unwrap();
    let buf = t.backend().buffer();
    let braille = |c: &ratatui::buffer::Cell| {
        c.symbol()
            .chars()
            .next()
            .is_some_and(|ch| ('\u{2801}'..='\u{28FF}').contains(&ch))
    };
    // Skip the legend row: count plot cells drawn in each series' colour.
    let cells: Vec<&ratatui::buffer::Cell> = (3..13)
        .flat_map(|y| (0..60).map(move |x| (x, y)))
        .map(|p| &buf[p])
        .filter(|c| braille(c))
        .collect();
    for i in 0..3 {
        let colour = theme.series_color(i);
        let n = cells.iter().filter(|c| c.fg == colour).count();
        assert!(n >= 3, "series {i} shows in {n} cells");
    }
    let text: String = (0..14)
        .map(|y| (0..60).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
        .collect();
    insta::assert_snapshot!("crossing_series", text);
}

/// A numeric question while the number is typed (field, cursor, keys; the
/// run held and its metrics masked) and once the run has settled it, in
/// English at 80x24 and Chinese at 100x30.
#[test]
fn numeric_question_typing_and_settled() {
    for (lang, w, h, name) in [
        (Lang::En, 80, 24, "en_80x24"),
        (Lang::Zh, 100, 30, "zh_100x30"),
    ] {
        let mut app = numeric_app(lang, w, h);
        type_keys(&mut app, "0.95");
        let typing = render(&app, w, h);
        assert!(typing.contains("0.95_"), "{typing}");
        assert!(!typing.contains("coverage_3sigma"), "masked:\n{typing}");
        insta::assert_snapshot!(format!("numeric_typing_{name}"), typing);
        type_keys(&mut app, "\n");
        // Frames until the run ends, which scrolls the verdict into view.
        while app.animating() {
            app.train(Duration::from_millis(100), Duration::from_secs(1));
        }
        let settled = render(&app, w, h);
        assert!(settled.contains("coverage_3sigma"), "unmasked:\n{settled}");
        for line in settled.lines() {
            assert!(line.width() <= w as usize, "{line}");
        }
        insta::assert_snapshot!(format!("numeric_settled_{name}"), settled);
    }
}

#[test]
fn a_sweep_overlays_its_runs_one_colour_and_legend_entry_each() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sweep/en/lr-sweep.md");
    let catalog = nntutor::lesson::Catalog::load_only(&[path]);
    let mut app = App::new(
        catalog,
        Lang::En,
        Theme::new(ThemeName::Dark, false),
        nntutor::tui::progress::Progress::default(),
    );
    size(&mut app, 120, 40);
    update(&mut app, Msg::Open);
    view_mut(&mut app).run.as_mut().unwrap().advance(300);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("iteration 300/300"), "{screen}");
    for label in ["lr=0.01", "lr=0.3", "lr=3 (diverged at"] {
        assert!(screen.contains(label), "{label}: {screen}");
    }
    insta::assert_snapshot!("sweep_120x40", screen);
    // Each run's line in its own colour: the legend's samples differ.
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let buf = t.backend().buffer();
    let colour_of = |label: &str| {
        let row = (0..40u16)
            .find(|&y| {
                let line: String = (0..120u16).map(|x| buf[(x, y)].symbol()).collect();
                line.contains(label)
            })
            .expect("legend row");
        let line: Vec<&str> = (0..120u16).map(|x| buf[(x, row)].symbol()).collect();
        let at = line.concat().find(label).expect("label");
        // The sample sits just before the label: "── lr=0.3".
        let col = line
            .iter()
            .scan(0, |w, s| {
                *w += s.len();
                Some(*w)
            })
            .position(|w| w > at)
            .unwrap_or(0) as u16;
        buf[(col.saturating_sub(2), row)].fg
    };
    let colours = [
        colour_of("lr=0.01"),
        colour_of("lr=0.3"),
        colour_of("lr=3 ("),
    ];
    assert!(
        colours[0] != colours[1] && colours[1] != colours[2] && colours[0] != colours[2],
        "{colours:?}"
    );
}

#[test]
fn playground_100x30_and_80x24() {
    for (lang, sizes) in [
        (Lang::En, &[(100, 30), (80, 24)][..]),
        (Lang::Zh, &[(100, 30)][..]),
    ] {
        for &(w, h) in sizes {
            let mut app = app(lang);
            size(&mut app, w, h);
            update(&mut app, Msg::OpenPlayground);
            view_mut(&mut app).run.as_mut().unwrap().advance(2000);
            let screen = render(&app, w, h);
            // The decision boundary (a heat map) and its points are drawn.
            assert!(
                screen
                    .chars()
                    .any(|c| ('\u{2801}'..='\u{28FF}').contains(&c)),
                "{screen}"
            );
            insta::assert_snapshot!(format!("playground_{}_{w}x{h}", lang.code()), screen);
            // The knob panel, focused.
            update(&mut app, Msg::NextKnob);
            insta::assert_snapshot!(
                format!("playground_knobs_{}_{w}x{h}", lang.code()),
                render(&app, w, h)
            );
        }
    }
}
