//! The whole state of the tutor: one [`App`] whose screen is an enum
//! carrying that screen's own data.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::demo::{Params, Value};
use crate::lesson::{Answer, Catalog, Entry, Lesson, Number, Step};

use super::i18n::{Lang, T, fmt, tr};
use super::keymap::{Ask, Mode};
use super::progress::{Progress, parse_number, parse_value};
use super::run::Run;
use super::theme::Theme;

/// The tutor's state. Changed only by [`super::update::update`] (and by
/// [`App::train`], which advances the demo); read by the views.
#[derive(Debug)]
pub struct App {
    pub catalog: Catalog,
    /// Language of the chrome (English where a language has no strings).
    pub lang: Lang,
    /// Language of the lessons: any folder the catalog has (`en`, `zh`,
    /// `fr`, …). Starts as `lang`'s code; [`App::set_content`] changes it.
    pub content: String,
    pub theme: Theme,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    /// A one-line message under the screen (cleared by the next key).
    pub notice: Option<Notice>,
    pub progress: Progress,
    /// Lessons whose progress changed in this session (saved by merge).
    pub touched: BTreeSet<String>,
    /// Terminal size in columns and rows.
    pub size: (u16, u16),
    pub quit: bool,
    /// The selected row of the lesson list.
    pub selected: usize,
    /// Whether some instructor files can be reloaded.
    pub can_reload: bool,
    /// The playground's knob values when the student left it, restored
    /// when it opens again in this session.
    pub play_overrides: BTreeMap<String, Value>,
}

/// What fills the terminal.
#[derive(Debug)]
pub enum Screen {
    Catalog,
    Lesson(Box<LessonView>),
}

/// A window drawn over the screen that takes the keys.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    /// The key list, scrolled by this many lines.
    Help { scroll: u16 },
    /// The step index, with the highlighted step.
    Jump { selected: usize },
    /// Typing an exact value for the knob `key`.
    Input { key: String, text: String },
    /// Why the last reload of a lesson file failed, whole (the notice has
    /// room for its first line only), scrolled by this many lines.
    Problem { text: String, scroll: u16 },
}

/// A one-line message.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// An open lesson.
#[derive(Debug)]
pub struct LessonView {
    pub lesson: Lesson,
    /// 0-based current step.
    pub step: usize,
    /// Per-step state, one per step of `lesson`.
    pub steps: Vec<StepState>,
    /// The current step's demo, if it has one that builds.
    pub run: Option<Run>,
    /// Why the current step's demo could not be built.
    pub run_error: Option<crate::demo::ParamError>,
    /// Prose scroll offset in lines.
    pub scroll: u16,
    /// Scroll offset of the numbers view, in wrapped lines (the view clamps it).
    pub numbers_scroll: u16,
    /// The selected knob (index into the step's `knobs`).
    pub knob: usize,
    /// Whether the knob panel has focus (←/→ change the value).
    pub knob_focus: bool,
    /// Show panels as tables of numbers instead of charts.
    pub numbers: bool,
    /// The chart shown when the screen is too short to stack them all
    /// (taken modulo the number of panels).
    pub chart: usize,
    /// Playback speed, an index into [`super::run::SPEEDS`]; kept from step
    /// to step.
    pub speed: usize,
    /// A waiting numeric question's field takes the typed characters:
    /// from the first character of a number (or Enter) to Esc.
    pub typing: bool,
    /// This is the playground ([`super::playground`]), not a lesson from
    /// the catalog: `s` saves it, and it keeps no progress.
    pub playground: bool,
}

/// What the student did on one step; survives leaving the step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepState {
    /// Prose segments shown so far, minus one (0 = the first only).
    pub reveal: usize,
    /// Knob values the student set, over the lesson's.
    pub overrides: BTreeMap<String, Value>,
    /// The answer given to the step's prediction.
    pub answer: Option<Reply>,
    /// The number being typed for the step's numeric question.
    pub typed: String,
    /// Hints shown so far.
    pub hints: usize,
}

/// A student's answer to a prediction question.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// The 1-based choice.
    Choice(usize),
    /// A number as typed (it reads as a finite number: see
    /// [`parse_number`]); shown back as typed.
    Number(String),
}

impl Reply {
    /// Whether this is an answer `answer` takes: one of its choices, or a
    /// number where it asks for one.
    pub fn fits(&self, answer: &Answer) -> bool {
        match (self, answer) {
            (Reply::Choice(c), Answer::Choice { choices, .. }) => (1..=choices.len()).contains(c),
            (Reply::Number(t), Answer::Number(_)) => parse_number(t).is_some(),
            _ => false,
        }
    }

    /// Whether this answers `answer` right; a reply of the other form never does.
    pub fn is_right(&self, answer: &Answer) -> bool {
        match (self, answer) {
            (Reply::Choice(c), Answer::Choice { right, .. }) => *c == right + 1,
            (Reply::Number(t), Answer::Number(n)) => parse_number(t).is_some_and(|x| n.accepts(x)),
            _ => false,
        }
    }
}

/// One row of the lesson list.
#[derive(Clone, Copy, Debug)]
pub struct Item<'a> {
    pub entry: &'a Entry,
    /// The entry is in another language than the UI's.
    pub fallback: bool,
}

impl App {
    /// A fresh app on the lesson list.
    pub fn new(catalog: Catalog, lang: Lang, theme: Theme, progress: Progress) -> App {
        let mut app = App {
            catalog,
            lang,
            content: lang.code().to_string(),
            theme,
            screen: Screen::Catalog,
            overlay: None,
            notice: None,
            progress,
            touched: BTreeSet::new(),
            size: (80, 24),
            quit: false,
            selected: 0,
            can_reload: false,
            play_overrides: BTreeMap::new(),
        };
        if let Some((id, step)) = app.progress.last.clone()
            && let Some(i) = app.items().iter().position(|it| it.entry.id == id)
        {
            app.selected = i;
            if let Ok(lesson) = &app.items()[i].entry.lesson {
                let title = lesson.title.clone();
                app.say(fmt(lang, T::ContinueHint, &[&title, &(step + 1)]), false);
            }
        }
        app
    }

    /// The lesson list: one row per id, in the UI language when it exists
    /// (else English, else any), working lessons by `order`, broken ones last.
    pub fn items(&self) -> Vec<Item<'_>> {
        // One pass: per id, the best entry by language preference
        // (UI language, then English, then the first seen). Linear, so a
        // folder of thousands of lessons stays instant.
        let ui = self.content.as_str();
        let rank = |e: &Entry| match e.lang.as_str() {
            l if l == ui => 0,
            "en" => 1,
            _ => 2,
        };
        let mut best: std::collections::HashMap<&str, &Entry> = std::collections::HashMap::new();
        for e in &self.catalog.entries {
            best.entry(e.id.as_str())
                .and_modify(|b| {
                    if rank(e) < rank(b) {
                        *b = e;
                    }
                })
                .or_insert(e);
        }
        let mut items: Vec<Item> = best
            .into_values()
            .map(|entry| Item {
                entry,
                fallback: entry.lang != ui,
            })
            .collect();
        items.sort_by(|a, b| {
            let key = |it: &Item| match &it.entry.lesson {
                Ok(l) => (0, l.order),
                Err(_) => (1, 0),
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| a.entry.id.cmp(&b.entry.id))
        });
        items
    }

    /// How keys are read right now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Help { .. } | Overlay::Problem { .. }) => return Mode::Help,
            Some(Overlay::Jump { .. }) => return Mode::Jump,
            Some(Overlay::Input { .. }) => return Mode::Input,
            None => {}
        }
        match &self.screen {
            Screen::Catalog => Mode::Catalog,
            Screen::Lesson(v) => {
                let ask = match v.current().and_then(|s| s.predict.as_ref()) {
                    _ if !v.waiting() => Ask::None,
                    Some(p) if p.answer.number().is_some() => Ask::Number,
                    _ => Ask::Choice,
                };
                if ask == Ask::Number && v.typing && !v.knob_focus {
                    Mode::Typing
                } else {
                    Mode::Lesson {
                        knobs: v.knob_focus,
                        ask,
                        play: v.playground,
                    }
                }
            }
        }
    }

    /// Shows a one-line message.
    pub fn say(&mut self, text: String, error: bool) {
        self.notice = Some(Notice { text, error });
    }

    /// Sets the lessons' language to `code` and the chrome to its string
    /// table, or English when there is none. Returns whether the chrome fell
    /// back to English.
    pub fn set_content(&mut self, code: &str) -> bool {
        self.content = code.to_string();
        match Lang::from_code(code).filter(|l| l.code() == code) {
            Some(l) => {
                self.lang = l;
                false
            }
            None => {
                self.lang = Lang::En;
                true
            }
        }
    }

    /// The text of `t` in the UI language.
    pub fn tr(&self, t: T) -> &'static str {
        tr(self.lang, t)
    }

    /// Whether the loop must keep drawing frames (a demo is training).
    pub fn animating(&self) -> bool {
        match &self.screen {
            Screen::Lesson(v) => v.trains(),
            Screen::Catalog => false,
        }
    }

    /// Plays `dt` of the current demo, spending at most about `budget`;
    /// returns whether the screen changed. Called by the event loop once
    /// per frame.
    pub fn train(&mut self, dt: Duration, budget: Duration) -> bool {
        let (size, lang) = (self.size, self.lang);
        match &mut self.screen {
            Screen::Lesson(v) if v.trains() => {
                let speed = v.speed;
                let changed = v.run.as_mut().is_some_and(|r| r.train(dt, budget, speed));
                // The verdict appears when the run ends: show it if the
                // prediction box is the last thing on the page.
                let verdict = v.current().is_some_and(|s| s.predict.is_some())
                    && v.state()
                        .is_some_and(|s| s.answer.is_some() && s.reveal == 0);
                if changed && verdict && !v.run.as_ref().is_some_and(|r| r.running()) {
                    v.scroll = super::views::lesson::max_scroll(size, v, &self.theme, lang);
                }
                changed
            }
            _ => false,
        }
    }
}

impl LessonView {
    /// Opens `lesson` at `step`, restoring the saved knob values and answers.
    pub fn open(
        lesson: Lesson,
        step: usize,
        progress: Option<&super::progress::LessonProgress>,
    ) -> LessonView {
        let mut steps = vec![StepState::default(); lesson.steps.len()];
        if let Some(lp) = progress {
            // The file is only as good as whoever wrote it last: keep the
            // knobs the step lets a student turn, with values its schema
            // accepts, choices that are one of the step's, and numbers
            // that read as one where the step asks for a number.
            for (i, st) in steps.iter_mut().enumerate() {
                let step = &lesson.steps[i];
                if let (Some(knobs), Some(demo)) = (lp.knobs.get(&i), &step.demo) {
                    for (k, text) in knobs {
                        if let Some(v) = parse_value(text).filter(|v| {
                            demo.knobs.contains(k) && demo.params.with(k, v.clone()).is_ok()
                        }) {
                            st.overrides.insert(k.clone(), v);
                        }
                    }
                }
                let saved = match step.predict.as_ref().map(|p| &p.answer) {
                    Some(Answer::Choice { .. }) => lp.answers.get(&i).map(|&c| Reply::Choice(c)),
                    Some(Answer::Number(_)) => lp
                        .numbers
                        .get(&i)
                        .map(|t| Reply::Number(t.trim().to_string())),
                    None => None,
                };
                st.answer =
                    saved.filter(|a| step.predict.as_ref().is_some_and(|p| a.fits(&p.answer)));
                if lp.seen.contains(&i) {
                    // A step seen before opens fully revealed.
                    st.reveal = lesson.steps[i].segments.len().saturating_sub(1);
                }
            }
        }
        let step = step.min(lesson.steps.len().saturating_sub(1));
        let mut v = LessonView {
            lesson,
            step,
            steps,
            run: None,
            run_error: None,
            scroll: 0,
            numbers_scroll: 0,
            knob: 0,
            knob_focus: false,
            numbers: false,
            chart: 0,
            speed: super::run::NORMAL_SPEED,
            typing: false,
            playground: false,
        };
        v.rebuild();
        v
    }

    /// The playground, its text in `lang`, with the knob values `overrides`
    /// (those that still validate).
    pub fn playground(lang: &str, overrides: &BTreeMap<String, Value>) -> LessonView {
        let mut v = LessonView::open(super::playground::lesson(lang), 0, None);
        v.playground = true;
        if let Some(demo) = v.current().and_then(|s| s.demo.clone()) {
            let st = &mut v.steps[0];
            for (k, val) in overrides {
                if demo.knobs.contains(k) && demo.params.with(k, val.clone()).is_ok() {
                    st.overrides.insert(k.clone(), val.clone());
                }
            }
            if !overrides.is_empty() {
                v.rebuild();
            }
        }
        v
    }

    /// The current step, if the lesson has any.
    pub fn current(&self) -> Option<&Step> {
        self.lesson.steps.get(self.step)
    }

    /// The current step's state.
    pub fn state(&self) -> Option<&StepState> {
        self.steps.get(self.step)
    }

    /// The knob names of the current step.
    pub fn knobs(&self) -> &[String] {
        self.current()
            .and_then(|s| s.demo.as_ref())
            .map_or(&[], |d| d.knobs.as_slice())
    }

    /// How many choices the current step's question offers (0 without one,
    /// or for a number).
    pub fn choices(&self) -> usize {
        self.current()
            .and_then(|s| s.predict.as_ref())
            .map_or(0, |p| p.answer.choices().len())
    }

    /// How to answer the current step's question, for "answer first"
    /// notices: `1-3`, or "type a number".
    pub fn how_to_answer(&self, lang: Lang) -> String {
        if self.number().is_some() {
            tr(lang, T::TypeANumber).to_string()
        } else {
            fmt(lang, T::ChoiceKeys, &[&self.choices()])
        }
    }

    /// The current step's question's numeric answer, if it asks for a number.
    pub fn number(&self) -> Option<&Number> {
        self.current()
            .and_then(|s| s.predict.as_ref())
            .and_then(|p| p.answer.number())
    }

    /// The step waits for the student's prediction before its demo runs.
    pub fn waiting(&self) -> bool {
        self.current().is_some_and(|s| s.predict.is_some())
            && self.state().is_some_and(|s| s.answer.is_none())
    }

    /// Whether the demo is advancing (not paused, replaying, waiting or done).
    pub fn trains(&self) -> bool {
        !self.waiting()
            && self
                .run
                .as_ref()
                .is_some_and(|r| !r.paused && r.scrub.is_none() && r.running())
    }

    /// The current step's lesson parameters with the student's overrides;
    /// an override that no longer validates (the lesson changed) is skipped.
    pub fn params(&self) -> Option<Params> {
        let spec = self.current()?.demo.as_ref()?;
        let mut p = spec.params.clone();
        for (k, v) in &self.state()?.overrides {
            if let Ok(q) = p.with(k, v.clone()) {
                p = q;
            }
        }
        Some(p)
    }

    /// Builds the current step's demo from iteration 0.
    pub fn rebuild(&mut self) {
        self.run = None;
        self.run_error = None;
        if let Some(p) = self.params() {
            let seconds = self
                .lesson
                .run_seconds
                .map_or(super::run::RUN_SECONDS, f64::from);
            match Run::new(p, seconds) {
                Ok(r) => self.run = Some(r),
                Err(e) => self.run_error = Some(e),
            }
        }
    }
}
