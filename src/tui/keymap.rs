//! The keymap as data: one table feeds both the dispatcher and the help
//! overlay, so the two can never disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::i18n::T;
use super::msg::Msg;

/// Where a binding applies; the dispatcher tries the active contexts in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    Global,
    Catalog,
    Lesson,
    /// The knob panel has focus (after Tab): ←/→ change the value.
    Knobs,
    /// The playground is open (`nntutor play`, or `p` on the lesson list).
    Playground,
    /// The step's multiple-choice question is waiting for an answer.
    Predict,
    /// The step's numeric question is waiting; the student has not started
    /// typing (or left the field with Esc): lesson keys work.
    Number,
    /// The step's numeric question is waiting, and its field takes the
    /// characters typed.
    Typing,
    /// The step index overlay is open.
    Jump,
    /// The help overlay is open: these keys scroll it, any other closes it.
    Help,
}

impl Ctx {
    /// All contexts in the order the help overlay lists them.
    pub const ALL: [Ctx; 10] = [
        Ctx::Global,
        Ctx::Catalog,
        Ctx::Lesson,
        Ctx::Knobs,
        Ctx::Playground,
        Ctx::Predict,
        Ctx::Number,
        Ctx::Typing,
        Ctx::Jump,
        Ctx::Help,
    ];

    /// The help overlay's heading for this context.
    pub fn title(self) -> T {
        match self {
            Ctx::Global => T::CtxGlobal,
            Ctx::Catalog => T::CtxCatalog,
            Ctx::Lesson => T::CtxLesson,
            Ctx::Knobs => T::CtxKnobs,
            Ctx::Playground => T::CtxPlayground,
            Ctx::Predict => T::CtxPredict,
            Ctx::Typing => T::CtxTyping,
            Ctx::Number => T::CtxNumber,
            Ctx::Jump => T::CtxJump,
            Ctx::Help => T::CtxHelp,
        }
    }
}

/// A key a binding listens to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A printable character (shift is part of the character).
    Char(char),
    /// Control plus a letter.
    Ctrl(char),
    /// A named key (arrows, Enter, Esc, Tab, F-keys, …).
    Code(KeyCode),
    /// Any of the digits 1-9; the binding's `Msg::Answer` gets the digit.
    Digits,
    /// A character of a number (digits, `-`, `+`, `.`, `e`, `E`); the
    /// binding's `Msg::InputChar` gets it.
    NumberChars,
}

/// Whether `c` can be part of a number a student types (`-1.5e-3`).
pub fn number_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')
}

impl Key {
    /// Whether a pressed key event is this key.
    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        match self {
            Key::Char(c) => ev.code == KeyCode::Char(c) && !ctrl && !alt,
            Key::Ctrl(c) => {
                ctrl && matches!(ev.code, KeyCode::Char(k) if k.eq_ignore_ascii_case(&c))
            }
            Key::Code(code) => ev.code == code && !ctrl && !alt,
            Key::Digits => matches!(ev.code, KeyCode::Char('1'..='9')) && !ctrl && !alt,
            Key::NumberChars => {
                matches!(ev.code, KeyCode::Char(c) if number_char(c)) && !ctrl && !alt
            }
        }
    }

    /// How the help overlay and the status line name the key (ASCII only).
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Digits => "1-9".into(),
            Key::NumberChars => "0-9 - . e".into(),
            Key::Code(code) => match code {
                KeyCode::Left => "Left".into(),
                KeyCode::Right => "Right".into(),
                KeyCode::Up => "Up".into(),
                KeyCode::Down => "Down".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::PageDown => "PgDn".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Backspace => "Backspace".into(),
                KeyCode::Tab => "Tab".into(),
                KeyCode::BackTab => "Shift-Tab".into(),
                KeyCode::F(n) => format!("F{n}"),
                other => format!("{other:?}"),
            },
        }
    }
}

/// One row of the keymap: keys, where, what they do, and how help says it.
#[derive(Debug)]
pub struct Binding {
    pub ctx: Ctx,
    pub keys: &'static [Key],
    pub msg: Msg,
    pub help: T,
    /// Shown in the status line's key hints under this short name.
    pub hint: Option<T>,
}

use Key::{Char as C, Code, Ctrl};

macro_rules! bind {
    ($ctx:ident, [$($k:expr),+], $msg:expr, $help:ident) => {
        Binding { ctx: Ctx::$ctx, keys: &[$($k),+], msg: $msg, help: T::$help, hint: None }
    };
    ($ctx:ident, [$($k:expr),+], $msg:expr, $help:ident, $hint:ident) => {
        Binding { ctx: Ctx::$ctx, keys: &[$($k),+], msg: $msg, help: T::$help, hint: Some(T::$hint) }
    };
}

/// Every key binding of the tutor.
pub static KEYMAP: &[Binding] = &[
    bind!(
        Help,
        [Code(KeyCode::Up), C('k')],
        Msg::ScrollUp,
        KeyScrollUp
    ),
    bind!(
        Help,
        [Code(KeyCode::Down), C('j')],
        Msg::ScrollDown,
        KeyScrollDown
    ),
    bind!(Help, [Code(KeyCode::PageUp)], Msg::PageUp, KeyPageUp),
    bind!(Help, [Code(KeyCode::PageDown)], Msg::PageDown, KeyPageDown),
    bind!(
        Predict,
        [Key::Digits],
        Msg::Answer(0),
        KeyAnswer,
        HintAnswer
    ),
    bind!(
        Number,
        [Key::NumberChars],
        Msg::InputChar('0'),
        KeyTypeNumber
    ),
    bind!(
        Number,
        [Code(KeyCode::Enter)],
        Msg::TypeAnswer,
        KeyTypeAgain,
        HintAnswer
    ),
    bind!(
        Typing,
        [Key::NumberChars],
        Msg::InputChar('0'),
        KeyTypeNumber
    ),
    bind!(
        Typing,
        [Code(KeyCode::Enter)],
        Msg::InputSubmit,
        KeySubmitNumber,
        HintAnswer
    ),
    bind!(
        Typing,
        [Code(KeyCode::Backspace)],
        Msg::InputBackspace,
        KeyDeleteChar
    ),
    bind!(
        Typing,
        [Code(KeyCode::Esc)],
        Msg::InputCancel,
        KeyLeaveField,
        HintLeaveField
    ),
    bind!(Knobs, [Code(KeyCode::Right)], Msg::KnobUp, KeyInc),
    bind!(Knobs, [Code(KeyCode::Left)], Msg::KnobDown, KeyDec),
    bind!(
        Jump,
        [Code(KeyCode::Up), C('k')],
        Msg::SelectPrev,
        KeyJumpUp
    ),
    bind!(
        Jump,
        [Code(KeyCode::Down), C('j')],
        Msg::SelectNext,
        KeyJumpDown
    ),
    bind!(Jump, [Code(KeyCode::Enter)], Msg::Open, KeyJumpGo),
    bind!(Catalog, [Code(KeyCode::Up), C('k')], Msg::SelectPrev, KeyUp),
    bind!(
        Catalog,
        [Code(KeyCode::Down), C('j')],
        Msg::SelectNext,
        KeyDown
    ),
    bind!(
        Catalog,
        [Code(KeyCode::Enter), Code(KeyCode::Right), C('l')],
        Msg::Open,
        KeyOpen,
        HintOpen
    ),
    bind!(
        Catalog,
        [C('p')],
        Msg::OpenPlayground,
        KeyPlayground,
        HintPlayground
    ),
    bind!(
        Playground,
        [C('s')],
        Msg::SavePlayground,
        KeySavePlayground,
        HintSave
    ),
    bind!(
        Lesson,
        [Code(KeyCode::Right), C('l'), C('n')],
        Msg::Forward,
        KeyNext,
        HintNext
    ),
    bind!(
        Lesson,
        [Code(KeyCode::Left), C('p')],
        Msg::PrevStep,
        KeyPrev
    ),
    bind!(Lesson, [C('f')], Msg::RevealAll, KeyReveal),
    bind!(Lesson, [C(' ')], Msg::PauseResume, KeyPause, HintPause),
    bind!(Lesson, [C('>')], Msg::Faster, KeyFaster),
    bind!(Lesson, [C('<')], Msg::Slower, KeySlower),
    bind!(Lesson, [C('.')], Msg::StepOnce, KeyStepOnce),
    bind!(Lesson, [C('r')], Msg::Restart, KeyRestart),
    bind!(Lesson, [C('R')], Msg::ResetKnobs, KeyReset),
    bind!(
        Lesson,
        [Code(KeyCode::Up), C('k')],
        Msg::ScrollUp,
        KeyScrollUp
    ),
    bind!(
        Lesson,
        [Code(KeyCode::Down), C('j')],
        Msg::ScrollDown,
        KeyScrollDown
    ),
    bind!(Lesson, [Code(KeyCode::PageUp)], Msg::PageUp, KeyPageUp),
    bind!(
        Lesson,
        [Code(KeyCode::PageDown)],
        Msg::PageDown,
        KeyPageDown
    ),
    bind!(
        Lesson,
        [Code(KeyCode::Tab)],
        Msg::NextKnob,
        KeyNextKnob,
        HintKnobs
    ),
    bind!(Lesson, [Code(KeyCode::BackTab)], Msg::PrevKnob, KeyPrevKnob),
    bind!(Lesson, [C('+'), C('=')], Msg::KnobUp, KeyInc),
    bind!(Lesson, [C('-'), C('_')], Msg::KnobDown, KeyDec),
    bind!(Lesson, [Code(KeyCode::Enter)], Msg::EditKnob, KeyEdit),
    bind!(Lesson, [C('h')], Msg::NextHint, KeyHint),
    bind!(Lesson, [C('t')], Msg::ToggleNumbers, KeyNumbers),
    bind!(Lesson, [C('c')], Msg::NextChart, KeyNextChart),
    bind!(Lesson, [C('[')], Msg::ScrubBack(1), KeyScrubBack),
    bind!(Lesson, [C(']')], Msg::ScrubForward(1), KeyScrubFwd),
    bind!(Lesson, [C('{')], Msg::ScrubBack(10), KeyScrubBackFar),
    bind!(Lesson, [C('}')], Msg::ScrubForward(10), KeyScrubFwdFar),
    bind!(Lesson, [C('g'), Ctrl('p')], Msg::OpenJump, KeyJump),
    bind!(Global, [C('?')], Msg::ToggleHelp, KeyHelp, HintHelp),
    bind!(Global, [Code(KeyCode::Esc)], Msg::Back, KeyBack),
    bind!(Global, [C('L')], Msg::SwitchLang, KeyLang),
    bind!(
        Global,
        [Ctrl('r'), Code(KeyCode::F(5))],
        Msg::ReloadRequested,
        KeyReload
    ),
    bind!(Global, [Ctrl('z')], Msg::Suspend, KeySuspend),
    bind!(Global, [C('q'), Ctrl('c')], Msg::Quit, KeyQuit, HintQuit),
];

/// What the app is doing, which decides how keys are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Catalog,
    Lesson {
        knobs: bool,
        ask: Ask,
        /// The lesson is the playground (`s` saves it).
        play: bool,
    },
    /// Typing a numeric answer: characters go to the field (other keys,
    /// such as the arrows, work as in the lesson).
    Typing,
    /// The help overlay: any key closes it.
    Help,
    Jump,
    /// Typing a knob value: characters go to the prompt.
    Input,
}

/// The question a lesson step waits on, as the keys see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// None waits (answered, or the step has none).
    None,
    /// Multiple choice: the digits answer.
    Choice,
    /// A number, not being typed (not started, or the field left with
    /// Esc): a number's characters and Enter start typing.
    Number,
}

impl Mode {
    /// The contexts active in this mode, most specific first.
    pub fn contexts(self) -> Vec<Ctx> {
        match self {
            Mode::Catalog => vec![Ctx::Catalog, Ctx::Global],
            Mode::Lesson { knobs, ask, play } => {
                let mut v = Vec::new();
                match ask {
                    Ask::Choice => v.push(Ctx::Predict),
                    // The knob panel's Enter types a knob value, and its
                    // `-` lowers the knob.
                    Ask::Number if !knobs => v.push(Ctx::Number),
                    _ => {}
                }
                if knobs {
                    v.push(Ctx::Knobs);
                }
                if play {
                    v.push(Ctx::Playground);
                }
                v.extend([Ctx::Lesson, Ctx::Global]);
                v
            }
            Mode::Typing => vec![Ctx::Typing, Ctx::Lesson, Ctx::Global],
            Mode::Jump => vec![Ctx::Jump, Ctx::Global],
            Mode::Help => vec![Ctx::Help],
            Mode::Input => vec![Ctx::Global],
        }
    }
}

/// The message a key event means in `mode`, if any. Only presses count
/// (Windows also reports releases and repeats would double a step).
pub fn dispatch(mode: Mode, ev: &KeyEvent) -> Option<Msg> {
    if ev.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl_c = Key::Ctrl('c').matches(ev);
    match mode {
        Mode::Input if !ctrl_c => {
            return match ev.code {
                KeyCode::Enter => Some(Msg::InputSubmit),
                KeyCode::Esc => Some(Msg::InputCancel),
                KeyCode::Backspace => Some(Msg::InputBackspace),
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    Some(Msg::InputChar(c))
                }
                _ => None,
            };
        }
        _ => {}
    }
    let plain = !ev
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    for ctx in mode.contexts() {
        // Typing a number, every other character goes to the field too (it
        // refuses them), so pasted text or a stray `q` runs no command.
        if let (Mode::Typing, true, KeyCode::Char(c)) = (mode, ctx != Ctx::Typing && plain, ev.code)
        {
            return Some(Msg::InputChar(c));
        }
        for b in KEYMAP.iter().filter(|b| b.ctx == ctx) {
            if let Some(k) = b.keys.iter().find(|k| k.matches(ev)) {
                return Some(match (k, &b.msg, ev.code) {
                    (Key::Digits, Msg::Answer(_), KeyCode::Char(c)) => {
                        Msg::Answer(c.to_digit(10).unwrap_or(1) as usize)
                    }
                    (Key::NumberChars, Msg::InputChar(_), KeyCode::Char(c)) => Msg::InputChar(c),
                    (Key::Digits | Key::NumberChars, ..) => return None,
                    _ => b.msg.clone(),
                });
            }
        }
    }
    // In help, every key not bound to scrolling closes it.
    (mode == Mode::Help).then_some(if ctrl_c { Msg::Quit } else { Msg::ToggleHelp })
}

/// The status line's key hints for `mode`: `(key label, short name)` pairs.
/// While a number is typed, a character key types (`q` does not quit), so
/// only the field's keys and named keys are offered.
pub fn hints(mode: Mode) -> Vec<(String, T)> {
    mode.contexts()
        .iter()
        .flat_map(|&ctx| KEYMAP.iter().filter(move |b| b.ctx == ctx))
        .filter(|b| {
            mode != Mode::Typing || b.ctx == Ctx::Typing || !matches!(b.keys[0], Key::Char(_))
        })
        .filter_map(|b| b.hint.map(|h| (b.keys[0].label(), h)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn only_presses_dispatch() {
        let mut ev = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert!(matches!(dispatch(Mode::Catalog, &ev), Some(Msg::Quit)));
        ev.kind = KeyEventKind::Release;
        assert!(dispatch(Mode::Catalog, &ev).is_none());
        ev.kind = KeyEventKind::Repeat;
        assert!(dispatch(Mode::Catalog, &ev).is_none());
    }

    #[test]
    fn ctrl_c_quits_in_every_mode() {
        let ev = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [
            Mode::Catalog,
            Mode::Lesson {
                knobs: true,
                ask: Ask::Choice,
                play: false,
            },
            Mode::Typing,
            Mode::Help,
            Mode::Jump,
            Mode::Input,
        ] {
            assert!(matches!(dispatch(mode, &ev), Some(Msg::Quit)), "{mode:?}");
        }
    }

    #[test]
    fn knob_focus_takes_the_arrows_and_digits_answer() {
        let right = press(KeyCode::Right, KeyModifiers::NONE);
        let lesson = |knobs| Mode::Lesson {
            knobs,
            ask: Ask::None,
            play: false,
        };
        assert!(matches!(
            dispatch(lesson(false), &right),
            Some(Msg::Forward)
        ));
        assert!(matches!(dispatch(lesson(true), &right), Some(Msg::KnobUp)));
        let two = press(KeyCode::Char('2'), KeyModifiers::NONE);
        let predict = Mode::Lesson {
            knobs: false,
            ask: Ask::Choice,
            play: false,
        };
        assert!(matches!(dispatch(predict, &two), Some(Msg::Answer(2))));
        assert!(dispatch(lesson(false), &two).is_none());
    }

    #[test]
    fn no_key_is_bound_twice_in_contexts_active_together() {
        let modes = [
            Mode::Catalog,
            Mode::Lesson {
                knobs: false,
                ask: Ask::None,
                play: false,
            },
            Mode::Lesson {
                knobs: false,
                ask: Ask::None,
                play: true,
            },
            Mode::Jump,
        ];
        for mode in modes {
            let ctxs = mode.contexts();
            let mut seen: Vec<Key> = Vec::new();
            for b in KEYMAP.iter().filter(|b| ctxs.contains(&b.ctx)) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice in {mode:?}");
                    seen.push(*k);
                }
            }
        }
    }
}
