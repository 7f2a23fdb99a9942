//! `update`: the only place state changes. No I/O: saving and reloading are
//! returned as [`Cmd`]s for the event loop to carry out.

use crate::demo::{Apply, Params, Ty, Value};
use crate::lesson::Catalog;

use super::app::{App, LessonView, Overlay, Reply, Screen};
use super::i18n::{T, fmt, tr};
use super::knobs;
use super::msg::Msg;
use super::progress::{MAX_TYPED, parse_number, parse_value};
use super::views::lesson::{max_scroll, page_height};

/// Work with side effects that `update` asks the event loop to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Cmd {
    /// Write the progress file.
    Save,
    /// Read the watched lesson files again and send `Msg::CatalogReloaded`.
    Reload,
    /// Give the terminal back to the shell and stop, until `fg`.
    Suspend,
    /// Write the playground's configuration as a lesson file in the
    /// current folder ([`super::playground::save`]) and send
    /// `Msg::PlaygroundSaved`.
    SavePlayground {
        params: Params,
        knobs: Vec<String>,
        lang: String,
    },
}

/// Applies `msg` to `app`; returns the side effects to perform.
pub fn update(app: &mut App, msg: Msg) -> Vec<Cmd> {
    let lang = app.lang;
    // A second forward key right after "answer first" skips the question.
    let skip_armed = matches!(msg, Msg::Forward)
        && app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with(skip_prefix(lang)));
    if !matches!(
        msg,
        Msg::Resize(..) | Msg::CatalogReloaded(_) | Msg::WatchFailed(_)
    ) {
        app.notice = None;
    }
    match msg {
        Msg::Quit => {
            app.quit = true;
            return vec![Cmd::Save];
        }
        Msg::ToggleHelp => {
            app.overlay = match app.overlay {
                Some(Overlay::Help { .. } | Overlay::Problem { .. }) => None,
                _ => Some(Overlay::Help { scroll: 0 }),
            }
        }
        Msg::Back => {
            if app.overlay.take().is_some() {
                return vec![];
            }
            if let Screen::Lesson(v) = &mut app.screen {
                if v.knob_focus {
                    v.knob_focus = false;
                } else {
                    if v.playground {
                        app.play_overrides = v.steps[0].overrides.clone();
                    }
                    app.screen = Screen::Catalog;
                    return vec![Cmd::Save];
                }
            }
        }
        Msg::SwitchLang => switch_lang(app),
        Msg::ReloadRequested => {
            if app.can_reload {
                return vec![Cmd::Reload];
            }
            app.say(app.tr(T::ReloadNone).into(), false);
        }
        Msg::SelectPrev | Msg::SelectNext => {
            let down = matches!(msg, Msg::SelectNext);
            if let Some(Overlay::Jump { selected }) = &mut app.overlay {
                let n = match &app.screen {
                    Screen::Lesson(v) => v.lesson.steps.len(),
                    Screen::Catalog => 0,
                };
                *selected = step_sel(*selected, down, n);
            } else if matches!(app.screen, Screen::Catalog) {
                let n = app.items().len();
                app.selected = step_sel(app.selected, down, n);
            }
        }
        Msg::Open => {
            if let Some(Overlay::Jump { selected }) = app.overlay.take() {
                go_to_step(app, selected);
                return vec![Cmd::Save];
            }
            if matches!(app.screen, Screen::Catalog) {
                open_selected(app);
                return vec![Cmd::Save];
            }
        }
        Msg::OpenPlayground => {
            let v = LessonView::playground(&app.content, &app.play_overrides);
            app.screen = Screen::Lesson(Box::new(v));
        }
        Msg::SavePlayground => {
            if let Screen::Lesson(v) = &app.screen
                && v.playground
                && let Some(params) = v.params()
            {
                return vec![Cmd::SavePlayground {
                    params,
                    knobs: v.knobs().to_vec(),
                    lang: app.content.clone(),
                }];
            }
        }
        Msg::PlaygroundSaved(result) => match result {
            Ok(path) => app.say(fmt(lang, T::PlaygroundSaved, &[&path]), false),
            Err(why) => app.say(fmt(lang, T::PlaygroundNotSaved, &[&why]), true),
        },
        Msg::Forward => {
            let Screen::Lesson(v) = &mut app.screen else {
                return vec![];
            };
            let segs = v.current().map_or(1, |s| s.segments.len());
            let waiting = v.waiting();
            let st = &mut v.steps[v.step];
            if waiting && st.reveal + 1 < segs && !skip_armed {
                // The rest of the step explains the answer: ask first.
                let how = v.how_to_answer(lang);
                app.say(fmt(lang, T::AnswerOrSkip, &[&how]), false);
            } else if st.reveal + 1 < segs && !waiting {
                st.reveal += 1;
                // Scroll so the newly revealed text is in view.
                v.scroll = max_scroll(app.size, v, &app.theme, lang);
            } else if v.step + 1 < v.lesson.steps.len() {
                let next = v.step + 1;
                go_to_step(app, next);
                return vec![Cmd::Save];
            } else {
                app.say(app.tr(T::LessonEnd).into(), false);
            }
        }
        Msg::RevealAll => {
            if let Screen::Lesson(v) = &mut app.screen {
                let segs = v.current().map_or(1, |s| s.segments.len());
                if v.waiting() && segs > 1 {
                    let how = v.how_to_answer(lang);
                    app.say(fmt(lang, T::AnswerOrSkip, &[&how]), false);
                } else {
                    v.steps[v.step].reveal = segs.saturating_sub(1);
                }
            }
        }
        Msg::PrevStep => {
            if let Screen::Lesson(v) = &app.screen
                && v.step > 0
            {
                let prev = v.step - 1;
                go_to_step(app, prev);
                return vec![Cmd::Save];
            }
        }
        Msg::PauseResume => {
            if let Screen::Lesson(v) = &mut app.screen
                && let Some(r) = &mut v.run
            {
                if r.scrub.is_some() {
                    r.scrub = None;
                    r.paused = false;
                } else {
                    r.paused = !r.paused;
                }
            }
        }
        Msg::Suspend => return vec![Cmd::Save, Cmd::Suspend],
        Msg::Faster | Msg::Slower => {
            if let Screen::Lesson(v) = &mut app.screen {
                let faster = matches!(msg, Msg::Faster);
                let last = super::run::SPEEDS.len() - 1;
                let next = if faster {
                    (v.speed + 1).min(last)
                } else {
                    v.speed.saturating_sub(1)
                };
                let at_limit = next == v.speed;
                v.speed = next;
                let label = super::run::speed_label(next);
                let t = if at_limit { T::SpeedLimit } else { T::SpeedNow };
                app.say(fmt(lang, t, &[&label]), false);
            }
        }
        Msg::StepOnce => {
            if let Screen::Lesson(v) = &mut app.screen
                && !v.waiting()
                && let Some(r) = &mut v.run
            {
                r.scrub = None;
                r.paused = true;
                if r.running() {
                    r.advance(1);
                }
            }
        }
        Msg::Restart => {
            if let Screen::Lesson(v) = &mut app.screen {
                v.rebuild();
                app.say(app.tr(T::RunRestarted).into(), false);
            }
        }
        Msg::ResetKnobs => {
            if let Screen::Lesson(v) = &mut app.screen {
                let st = &mut v.steps[v.step];
                st.overrides.clear();
                v.rebuild();
                app.say(app.tr(T::KnobsReset).into(), false);
                record(app);
                return vec![Cmd::Save];
            }
        }
        Msg::ScrollUp | Msg::ScrollDown | Msg::PageUp | Msg::PageDown => {
            let size = app.size;
            if let Some(Overlay::Help { scroll } | Overlay::Problem { scroll, .. }) =
                &mut app.overlay
            {
                let page = size.1.saturating_sub(4).max(1) as i32;
                let delta = match msg {
                    Msg::ScrollUp => -1,
                    Msg::ScrollDown => 1,
                    Msg::PageUp => -page,
                    _ => page,
                };
                // The view clamps the end; here only keep it non-negative and bounded.
                *scroll = (*scroll as i32 + delta).clamp(0, 500) as u16;
                return vec![];
            }
            if let Screen::Lesson(v) = &mut app.screen {
                if v.numbers && matches!(msg, Msg::PageUp | Msg::PageDown) {
                    // Pages move the numbers view while it is shown.
                    let page = size.1.saturating_sub(6).max(1) as i32;
                    let delta = if matches!(msg, Msg::PageUp) {
                        -page
                    } else {
                        page
                    };
                    v.numbers_scroll = (v.numbers_scroll as i32 + delta).clamp(0, 10_000) as u16;
                    return vec![];
                }
                let page = page_height(size, v, lang).max(1) as i32;
                let delta = match msg {
                    Msg::ScrollUp => -1,
                    Msg::ScrollDown => 1,
                    Msg::PageUp => -page,
                    _ => page,
                };
                let max = max_scroll(size, v, &app.theme, lang) as i32;
                v.scroll = (v.scroll as i32 + delta).clamp(0, max.max(0)) as u16;
            }
        }
        Msg::NextKnob | Msg::PrevKnob => {
            if let Screen::Lesson(v) = &mut app.screen {
                let n = v.knobs().len();
                if n == 0 {
                    app.say(app.tr(T::NoKnobs).into(), false);
                } else if !v.knob_focus {
                    // The panel takes rows from the prose: keep its end (a
                    // hint just shown) in view if it was.
                    let at_end = v.scroll >= max_scroll(app.size, v, &app.theme, lang);
                    v.knob_focus = true;
                    v.knob = v.knob.min(n - 1);
                    if at_end {
                        v.scroll = max_scroll(app.size, v, &app.theme, lang);
                    }
                } else if matches!(msg, Msg::NextKnob) {
                    v.knob = (v.knob + 1) % n;
                } else {
                    v.knob = (v.knob + n - 1) % n;
                }
            }
        }
        Msg::KnobUp | Msg::KnobDown => {
            let up = matches!(msg, Msg::KnobUp);
            return nudge_knob(app, up);
        }
        Msg::EditKnob => {
            if let Screen::Lesson(v) = &app.screen {
                let Some(key) = v.knobs().get(v.knob).cloned() else {
                    app.say(app.tr(T::NoKnobs).into(), false);
                    return vec![];
                };
                let text = v.params().map_or(String::new(), |p| match p.get(&key) {
                    Value::Str(s) => s.clone(),
                    other => other.to_string(),
                });
                app.overlay = Some(Overlay::Input { key, text });
            }
        }
        Msg::InputChar(c) => {
            if let Some(Overlay::Input { text, .. }) = &mut app.overlay {
                if text.chars().count() < 200 {
                    text.push(c);
                }
            } else {
                // A number's first character starts typing it.
                start_typing(app);
                type_char(app, c);
            }
        }
        Msg::InputBackspace => {
            if let Some(Overlay::Input { text, .. }) = &mut app.overlay {
                text.pop();
            } else if let Some(v) = answer_field(&mut app.screen) {
                v.steps[v.step].typed.pop();
            }
        }
        Msg::InputCancel => {
            if app.overlay.take().is_none()
                && let Some(v) = answer_field(&mut app.screen)
            {
                v.typing = false;
            }
        }
        Msg::TypeAnswer => start_typing(app),
        Msg::InputSubmit if app.overlay.is_none() => return submit_number(app),
        Msg::InputSubmit => {
            if let Some(Overlay::Input { key, text }) = app.overlay.take() {
                let ty = match &app.screen {
                    Screen::Lesson(v) => v.params().and_then(|p| p.kind().key(&key)).map(|k| k.ty),
                    Screen::Catalog => None,
                };
                match read_typed(&text, ty) {
                    Some(value) => return set_knob(app, &key, value),
                    None => app.say(fmt(lang, T::BadInput, &[&text]), true),
                }
            }
        }
        Msg::Answer(n) => {
            if let Screen::Lesson(v) = &mut app.screen
                && v.waiting()
                && v.number().is_none()
                && let Some(p) = v.current().and_then(|s| s.predict.as_ref())
            {
                if n == 0 || n > p.answer.choices().len() {
                    let how = v.how_to_answer(lang);
                    app.say(fmt(lang, T::AnswerFirst, &[&how]), true);
                    return vec![];
                }
                v.steps[v.step].answer = Some(Reply::Choice(n));
                // Bring the choice (and soon the verdict) into view.
                v.scroll = max_scroll(app.size, v, &app.theme, lang);
                record(app);
                return vec![Cmd::Save];
            }
        }
        Msg::NextHint => {
            if let Screen::Lesson(v) = &mut app.screen {
                let total = v.current().map_or(0, |s| s.hints.len());
                let how = v.how_to_answer(lang);
                let waiting = v.waiting();
                let st = &mut v.steps[v.step];
                if total > 0 && waiting {
                    // A hint explains the result: it would answer the question.
                    app.say(fmt(lang, T::HintAfterAnswer, &[&how]), false);
                } else if total == 0 {
                    app.say(app.tr(T::NoHints).into(), false);
                } else if st.hints >= total {
                    app.say(app.tr(T::NoMoreHints).into(), false);
                } else {
                    st.hints += 1;
                    v.scroll = max_scroll(app.size, v, &app.theme, lang);
                }
            }
        }
        Msg::ToggleNumbers => {
            if let Screen::Lesson(v) = &mut app.screen {
                v.numbers = !v.numbers;
            }
        }
        Msg::NextChart => {
            if let Screen::Lesson(v) = &mut app.screen {
                v.chart = v.chart.wrapping_add(1);
            }
        }
        Msg::ScrubBack(n) | Msg::ScrubForward(n) => {
            if let Screen::Lesson(v) = &mut app.screen
                && let Some(r) = &mut v.run
            {
                let len = r.history.snaps.len();
                if len == 0 {
                    return vec![];
                }
                let back = matches!(msg, Msg::ScrubBack(_));
                r.paused = true;
                r.scrub = match (r.scrub, back) {
                    (None, true) => {
                        // The live snapshot is usually the last recorded one.
                        let live_is_last = r.history.snaps.last().map(|s| s.iteration)
                            == Some(r.snapshot.iteration);
                        Some((len - usize::from(live_is_last)).saturating_sub(n))
                    }
                    (Some(i), true) => Some(i.saturating_sub(n)),
                    (None, false) => None,
                    (Some(i), false) => (i + n < len).then_some(i + n),
                };
            }
        }
        Msg::OpenJump => {
            if let Screen::Lesson(v) = &app.screen {
                app.overlay = Some(Overlay::Jump { selected: v.step });
            }
        }
        Msg::Resize(w, h) => {
            app.size = (w, h);
            if let Screen::Lesson(v) = &mut app.screen {
                let max = max_scroll(app.size, v, &app.theme, lang);
                v.scroll = v.scroll.min(max);
            }
        }
        Msg::CatalogReloaded(catalog) => reloaded(app, catalog),
        Msg::WatchFailed(reason) => app.say(fmt(lang, T::WatchFailed, &[&reason]), true),
    }
    vec![]
}

/// The start of the "answer first, or skip" notice, which arms the skip.
fn skip_prefix(lang: super::i18n::Lang) -> &'static str {
    let text = super::i18n::tr(lang, T::AnswerOrSkip);
    text.split('{').next().unwrap_or(text)
}

fn step_sel(cur: usize, down: bool, n: usize) -> usize {
    if n == 0 {
        0
    } else if down {
        (cur + 1).min(n - 1)
    } else {
        cur.saturating_sub(1)
    }
}

/// Opens the lesson selected in the list at its saved step.
fn open_selected(app: &mut App) {
    let items = app.items();
    let Some(item) = items.get(app.selected) else {
        return;
    };
    let lesson = match &item.entry.lesson {
        Ok(l) => l.clone(),
        Err(diags) => {
            let first = diags
                .first()
                .map_or(String::new(), |d| d.headline(app.lang));
            app.say(fmt(app.lang, T::Broken, &[&first]), true);
            return;
        }
    };
    let fallback = item.fallback;
    if fallback {
        let want = lang_name(app.lang, &app.content);
        let have = lang_name(app.lang, &lesson.lang);
        app.say(fmt(app.lang, T::LangFallback, &[&want, &have]), false);
    }
    let lp = app.progress.lessons.get(&lesson.id);
    let step = lp.map_or(0, |lp| lp.step);
    app.screen = Screen::Lesson(Box::new(LessonView::open(lesson, step, lp)));
    record(app);
}

/// The name of the language `code` in the UI language `ui`.
pub fn lang_name(ui: super::i18n::Lang, code: &str) -> String {
    match super::i18n::Lang::from_code(code) {
        Some(super::i18n::Lang::En) => super::i18n::tr(ui, T::LangEn).to_string(),
        Some(super::i18n::Lang::Zh) => super::i18n::tr(ui, T::LangZh).to_string(),
        None => code.to_string(),
    }
}

/// Moves to step `i` of the open lesson and builds its demo.
fn go_to_step(app: &mut App, i: usize) {
    if let Screen::Lesson(v) = &mut app.screen {
        if i >= v.lesson.steps.len() {
            return;
        }
        v.step = i;
        v.scroll = 0;
        v.knob = 0;
        v.knob_focus = false;
        v.typing = false;
        v.rebuild();
        record(app);
    }
}

/// The open lesson, if its numeric question waits with its field taking
/// the keys.
fn answer_field(screen: &mut Screen) -> Option<&mut LessonView> {
    match screen {
        Screen::Lesson(v) if v.waiting() && v.number().is_some() && v.typing => Some(v),
        _ => None,
    }
}

/// Gives the keys to the numeric answer field, if the step's numeric
/// question waits.
fn start_typing(app: &mut App) {
    if let Screen::Lesson(v) = &mut app.screen
        && v.waiting()
        && v.number().is_some()
    {
        v.typing = true;
        v.knob_focus = false;
    }
}

/// Types `c` into the numeric answer field: a character of a number, up
/// to [`MAX_TYPED`] of them; anything else is refused with a notice.
fn type_char(app: &mut App, c: char) {
    let lang = app.lang;
    let Some(v) = answer_field(&mut app.screen) else {
        return;
    };
    let typed = &mut v.steps[v.step].typed;
    if !super::keymap::number_char(c) {
        app.say(tr(lang, T::NotNumberChar).into(), true);
    } else if typed.len() >= MAX_TYPED {
        app.say(fmt(lang, T::NumberFull, &[&MAX_TYPED]), true);
    } else {
        typed.push(c);
    }
}

/// Submits the typed number as the answer, if it reads as one: the
/// demo starts, and the verdict follows when it ends.
fn submit_number(app: &mut App) -> Vec<Cmd> {
    let (lang, size) = (app.lang, app.size);
    let Some(v) = answer_field(&mut app.screen) else {
        return vec![];
    };
    let text = v.steps[v.step].typed.trim().to_string();
    if parse_number(&text).is_none() {
        let notice = if text.is_empty() {
            tr(lang, T::TypeFirst).to_string()
        } else {
            fmt(lang, T::NotANumber, &[&text])
        };
        app.say(notice, true);
        return vec![];
    }
    v.steps[v.step].answer = Some(Reply::Number(text));
    // Bring the answer (and soon the verdict) into view.
    v.scroll = max_scroll(size, v, &app.theme, lang);
    record(app);
    vec![Cmd::Save]
}

/// Copies the open lesson's state into `app.progress`.
fn record(app: &mut App) {
    let Screen::Lesson(v) = &app.screen else {
        return;
    };
    if v.playground {
        // Not a lesson of the catalog: nothing to continue or to count.
        return;
    }
    let id = v.lesson.id.clone();
    let lp = app.progress.lessons.entry(id.clone()).or_default();
    lp.changed = super::progress::now_ms();
    lp.step = v.step;
    lp.seen.insert(v.step);
    for (i, st) in v.steps.iter().enumerate() {
        if st.overrides.is_empty() {
            lp.knobs.remove(&i);
        } else {
            lp.knobs.insert(
                i,
                st.overrides
                    .iter()
                    .map(|(k, val)| (k.clone(), val.to_string()))
                    .collect(),
            );
        }
        if let (Some(a), Some(p)) = (&st.answer, v.lesson.steps[i].predict.as_ref()) {
            match a {
                Reply::Choice(c) => {
                    lp.answers.insert(i, *c);
                    lp.numbers.remove(&i);
                }
                Reply::Number(t) => {
                    lp.numbers.insert(i, t.clone());
                    lp.answers.remove(&i);
                }
            }
            lp.predictions.insert(i, a.is_right(&p.answer));
        }
    }
    app.progress.last = Some((id.clone(), v.step));
    app.touched.insert(id);
}

/// Moves to the next language the catalog has (en → zh → … → en) and,
/// where a translation with the same steps exists, the open lesson's text,
/// keeping step, reveal, knobs and the run.
fn switch_lang(app: &mut App) {
    let langs = app.catalog.languages();
    let next = langs
        .iter()
        .position(|l| *l == app.content)
        .map_or(0, |i| (i + 1) % langs.len());
    let code = langs.get(next).cloned().unwrap_or_else(|| "en".into());
    let chrome_fallback = app.set_content(&code);
    let lang = app.lang;
    let name = lang_name(lang, &code);
    if chrome_fallback {
        app.say(fmt(lang, T::LangSwitchedNoChrome, &[&name]), false);
    } else {
        app.say(fmt(lang, T::LangSwitched, &[&name]), false);
    }
    let Screen::Lesson(v) = &mut app.screen else {
        return;
    };
    if v.playground {
        // Its text is the tool's own: same demo, knobs and run.
        v.lesson = super::playground::lesson(&code);
        return;
    }
    let translated = app.catalog.entries.iter().find_map(|e| match &e.lesson {
        Ok(l) if e.id == v.lesson.id && e.lang == code => Some(l),
        _ => None,
    });
    match translated {
        Some(l) if l.steps.len() == v.lesson.steps.len() => v.lesson = l.clone(),
        _ if v.lesson.lang != code => {
            let have = lang_name(lang, &v.lesson.lang);
            app.say(fmt(lang, T::LangFallback, &[&name, &have]), false);
        }
        _ => {}
    }
}

/// Replaces the catalog after a reload, keeping the last good version of any
/// lesson that now fails, and the student's place in the open lesson.
fn reloaded(app: &mut App, mut catalog: Catalog) {
    let mut failure = None;
    for e in &mut catalog.entries {
        if let Err(diags) = &e.lesson
            && let Some(old) = app.catalog.entries.iter().find(|o| {
                (o.id == e.id || o.origin == e.origin) && o.lang == e.lang && o.lesson.is_ok()
            })
        {
            // A file broken past its front matter has lost its id: match it by path.
            failure = diags.first().map(|d| {
                let whole: Vec<String> = diags.iter().map(|d| d.render(app.lang, false)).collect();
                (d.line_text(app.lang), whole.join("\n\n"))
            });
            e.id = old.id.clone();
            e.lesson = old.lesson.clone();
        }
    }
    app.catalog = catalog;
    app.selected = app.selected.min(app.items().len().saturating_sub(1));
    let lang = app.lang;
    if let Some((f, whole)) = failure {
        app.say(fmt(lang, T::ReloadFailed, &[&f]), true);
        // An instructor is editing: show every line of what is wrong.
        if matches!(app.overlay, None | Some(Overlay::Problem { .. })) {
            app.overlay = Some(Overlay::Problem {
                text: whole,
                scroll: 0,
            });
        }
    } else {
        // The file is good again: a "reload failed" notice is stale now.
        let failed = tr(lang, T::ReloadFailed);
        let prefix = &failed[..failed.find("{0}").unwrap_or(failed.len())];
        if app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with(prefix))
        {
            app.notice = None;
        }
        if matches!(app.overlay, Some(Overlay::Problem { .. })) {
            app.overlay = None;
        }
    }
    let Screen::Lesson(v) = &mut app.screen else {
        return;
    };
    if v.playground {
        return;
    }
    let fresh = app.catalog.entries.iter().find_map(|e| match &e.lesson {
        Ok(l) if e.id == v.lesson.id && e.lang == v.lesson.lang => Some(l.clone()),
        _ => None,
    });
    let Some(fresh) = fresh else {
        let id = v.lesson.id.clone();
        app.say(fmt(lang, T::LessonGone, &[&id]), true);
        return;
    };
    if fresh == v.lesson {
        return;
    }
    // Stay on the step with the same title, else the nearest index.
    let old_step = v.current().cloned();
    let step = old_step
        .as_ref()
        .and_then(|s| fresh.steps.iter().position(|f| f.title == s.title))
        .unwrap_or(v.step.min(fresh.steps.len().saturating_sub(1)));
    v.steps.resize(fresh.steps.len(), Default::default());
    for (st, s) in v.steps.iter_mut().zip(&fresh.steps) {
        st.reveal = st.reveal.min(s.segments.len().saturating_sub(1));
        st.hints = st.hints.min(s.hints.len());
        // An answer the edited question no longer takes (a choice it lost,
        // a number where it now offers choices) is asked again.
        let fits = |a: &Reply| s.predict.as_ref().is_some_and(|p| a.fits(&p.answer));
        st.answer = st.answer.take().filter(fits);
    }
    let demo_changed = old_step.as_ref().map(|s| &s.demo) != fresh.steps.get(step).map(|s| &s.demo);
    let id = fresh.id.clone();
    v.lesson = fresh;
    v.step = step;
    if demo_changed {
        v.knob = 0;
        v.rebuild();
    }
    if app.notice.is_none() {
        app.say(fmt(lang, T::Reloaded, &[&id]), false);
    }
    record(app);
}

/// Changes the selected knob by one step (numbers) or one choice.
fn nudge_knob(app: &mut App, up: bool) -> Vec<super::update::Cmd> {
    let Screen::Lesson(v) = &app.screen else {
        return vec![];
    };
    let Some(key) = v.knobs().get(v.knob).cloned() else {
        app.say(app.tr(T::NoKnobs).into(), false);
        return vec![];
    };
    let Some(params) = v.params() else {
        return vec![];
    };
    let Some(spec) = params.kind().key(&key) else {
        return vec![];
    };
    let mut nudged = knobs::nudge(spec, params.get(&key), up);
    if v.playground && key == "dataset" {
        // The playground is TF Playground's plane: its data set knob
        // steps through the 2-D sets only (typing reaches the others).
        for _ in 0..crate::nn::data::DATASET_NAMES.len() {
            match &nudged {
                knobs::Nudge::To(Value::Str(s))
                    if !crate::nn::data::PLANE_SETS.contains(&s.as_str()) =>
                {
                    nudged = knobs::nudge(spec, &Value::Str(s.clone()), up);
                }
                _ => break,
            }
        }
    }
    match nudged {
        knobs::Nudge::To(value) => set_knob(app, &key, value),
        knobs::Nudge::Limit(bound) => {
            app.say(fmt(app.lang, T::KnobLimit, &[&key, &bound]), false);
            vec![]
        }
        knobs::Nudge::TypeIt => update(app, Msg::EditKnob),
    }
}

/// Reads a typed knob value: TOML syntax, or a bare word for a choice, or
/// comma-separated integers for a list.
fn read_typed(text: &str, ty: Option<Ty>) -> Option<Value> {
    let text = text.trim();
    match ty {
        Some(Ty::Choice(_)) if !text.starts_with('"') => Some(Value::Str(text.to_string())),
        Some(Ty::IntList { .. }) if !text.starts_with('[') => parse_value(&format!("[{text}]")),
        // `x1, x2, x1^2`: bare words, as the choices are shown.
        Some(Ty::ChoiceList(_)) if !text.starts_with('[') => Some(Value::List(
            text.split([',', ' '])
                .filter(|w| !w.is_empty())
                .map(|w| Value::Str(w.to_string()))
                .collect(),
        )),
        _ => parse_value(text),
    }
}

/// Sets knob `key` to `value`: applied to the running demo when the key is
/// live and the demo accepts it, otherwise the run restarts.
fn set_knob(app: &mut App, key: &str, value: Value) -> Vec<Cmd> {
    let lang = app.lang;
    let Screen::Lesson(v) = &mut app.screen else {
        return vec![];
    };
    let (Some(params), Some(spec)) = (v.params(), v.current().and_then(|s| s.demo.clone())) else {
        return vec![];
    };
    // Refused at the knob, with the reason, if the demo could not run it:
    // the running demo and its charts stay.
    let wanted = params.with(key, value);
    let (new, fitted) = match wanted
        .clone()
        .and_then(|p| crate::demo::check(&p).map(|()| p))
    {
        Ok(p) => (p, false),
        Err(e) => {
            // The playground keeps `layers` fitted to the data, as TF
            // Playground does; a change it cannot fit is refused as anywhere.
            // A fit that undoes the change itself (`classes` = 3 on
            // circles) is no fit.
            let fit = match &wanted {
                Ok(w) if v.playground && key != "layers" => {
                    super::playground::fitted(w).filter(|p| p.get(key) == w.get(key))
                }
                _ => None,
            };
            match fit {
                Some(p) => (p, true),
                None => {
                    app.say(fmt(lang, T::KnobRejected, &[&key, &e.text(lang)]), true);
                    return vec![];
                }
            }
        }
    };
    let value = new.get(key).clone();
    let shown = super::views::knobs::shown(&value);
    let st = &mut v.steps[v.step];
    // The knob, and after a fit every knob (the fit moved some), against
    // the lesson's value.
    let moved = if fitted {
        spec.knobs.clone()
    } else {
        vec![key.to_string()]
    };
    for k in &moved {
        let now = new.get(k);
        if spec.params.get(k) == now {
            st.overrides.remove(k);
        } else {
            st.overrides.insert(k.clone(), now.clone());
        }
    }
    if fitted {
        v.rebuild();
        let layers = super::views::knobs::shown(new.get("layers"));
        app.say(
            fmt(lang, T::PlaygroundFitted, &[&key, &shown, &layers]),
            false,
        );
        return vec![Cmd::Save];
    }
    let live = spec.kind.key(key).is_some_and(|k| k.apply == Apply::Live);
    // A finished run would take the value and show nothing: rerun it.
    let applied = live
        && v.run.as_mut().is_some_and(|r| {
            if !r.running() {
                return false;
            }
            let ok = r.demo.apply_live(&new);
            if ok {
                r.params = new.clone();
            }
            ok
        });
    if applied {
        app.say(fmt(lang, T::AppliedLive, &[&key, &shown]), false);
    } else {
        v.rebuild();
        app.say(fmt(lang, T::Restarted, &[&key, &shown]), false);
    }
    record(app);
    vec![Cmd::Save]
}
