//! The event loop and everything that touches the terminal, the file
//! system or signals.
//!
//! Rules it keeps (each has a real bug behind it): the terminal is restored
//! exactly once on every exit path (quit, error return, panic, Ctrl-C,
//! SIGTERM, SIGHUP), and progress is saved first; Ctrl-Z and SIGTSTP leave
//! raw mode before the process stops and `fg` restores it and redraws;
//! a run plays at its pace and the loop wakes only twice a second when
//! nothing animates; queued events are drained before one render; frames
//! are wrapped in synchronized updates.

use std::io::{self, IsTerminal, Stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, MouseEventKind,
};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use super::TuiOptions;
use super::app::{App, Screen};
use super::i18n::{Lang, T, fmt};
use super::keymap;
use super::msg::Msg;
use super::progress::Store;
use super::theme::{Theme, ThemeName};
use super::update::{Cmd, update};

/// Time between frames while a demo trains (~30 fps).
pub const FRAME: Duration = Duration::from_millis(33);
/// Training time per frame; the rest of the frame is for input and drawing.
pub const TRAIN_BUDGET: Duration = Duration::from_millis(12);
/// The most wall time one frame may play: after a stall (a suspended
/// process, a slow terminal) the run resumes where it was.
const MAX_FRAME_GAP: Duration = Duration::from_millis(100);
/// How often an idle loop looks at the file watcher (only when watching).
const WATCH_POLL: Duration = Duration::from_millis(300);
/// Quiet time after a file change before reloading (editors write in bursts).
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Progress is written at most this often (and always on quit): holding
/// `+` on a knob must not fsync a file per key repeat.
const SAVE_EVERY: Duration = Duration::from_millis(500);

/// Whether the terminal is in raw/alternate mode and needs restoring.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// A terminating signal's number, for the loop to save, restore and exit.
static EXIT_SIGNAL: AtomicI32 = AtomicI32::new(0);
/// Set when the process continues after a stop: the screen must be redrawn.
static REDRAW: AtomicBool = AtomicBool::new(false);
/// How long an idle loop sleeps between looks at the signal flags.
const IDLE_POLL: Duration = Duration::from_millis(500);

/// Leaves raw mode and the alternate screen, shows the cursor. Safe to call
/// from any exit path and any thread; only the first call does anything.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(
            io::stdout(),
            DisableMouseCapture,
            LeaveAlternateScreen,
            cursor::Show
        );
    }
}

/// Raw mode, the alternate screen, mouse capture and a hidden cursor again,
/// after a suspend; the next frame is drawn whole.
#[cfg(unix)]
fn resume() {
    if !ACTIVE.swap(true, Ordering::SeqCst) {
        let _ = enable_raw_mode();
        let _ = execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            cursor::Hide
        );
    }
    REDRAW.store(true, Ordering::SeqCst);
}

/// Leaves the terminal as the shell expects it, stops the process (as
/// Ctrl-Z would in a cooked terminal), and resumes when continued.
#[cfg(unix)]
fn suspend() {
    restore();
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
    resume();
}

#[cfg(not(unix))]
fn suspend() {}

/// Restores the terminal when dropped: covers normal return and `?` errors.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// The UI language: the option if given, else `LC_ALL`, `LC_MESSAGES`, `LANG`.
pub fn pick_lang(opt: &str) -> Lang {
    if let Some(l) = Lang::from_code(opt) {
        return l;
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::from_code(&v))
        .unwrap_or(Lang::En)
}

/// Builds the app from the options without touching the terminal: reads
/// progress, opens the requested lesson. Used by `run` and by tests.
pub fn app_from_options(opts: &TuiOptions) -> (App, Store) {
    let store = Store {
        path: if opts.no_save {
            None
        } else {
            opts.progress_path.clone().or_else(Store::default_path)
        },
    };
    let (progress, aside) = store.load();
    let lang = pick_lang(&opts.lang);
    let theme = Theme::for_mode(
        ThemeName::parse(&opts.theme).unwrap_or_default(),
        opts.color,
    );
    let mut app = App::new(opts.catalog.clone(), lang, theme, progress);
    // A lesson language without a UI string table (an instructor's `fr/`):
    // its lessons, with English chrome, said once the first screen is up
    // (opening a lesson clears notices).
    let chrome_fallback =
        app.catalog.languages().iter().any(|l| l == &opts.lang) && app.set_content(&opts.lang);
    app.can_reload = opts.reload.is_some();
    if let Some(id) = &opts.open
        && let Some(i) = app.items().iter().position(|it| &it.entry.id == id)
    {
        app.selected = i;
        update(&mut app, Msg::Open);
    }
    if opts.play {
        update(&mut app, Msg::OpenPlayground);
    }
    if chrome_fallback {
        app.say(fmt(Lang::En, T::LangSwitchedNoChrome, &[&opts.lang]), false);
    }
    if let Some(aside) = aside {
        app.say(fmt(lang, T::ProgressSetAside, &[&aside.text(lang)]), true);
    }
    (app, store)
}

/// Runs the tutor in the terminal until the student quits.
pub fn run(opts: TuiOptions) -> anyhow::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        bail!(
            "nntutor needs an interactive terminal; to print a step's charts and metrics without one, use `nntutor run LESSON` (add --json for JSON lines)"
        );
    }
    let (mut app, store) = app_from_options(&opts);
    let (tx, rx) = mpsc::channel::<()>();
    let _watcher = watch(&opts.watch, tx).map_err(|e| {
        update(&mut app, Msg::WatchFailed(e.to_string()));
    });
    let watching = _watcher.as_ref().is_ok_and(Option::is_some);

    let mut terminal = enter().context("cannot set up the terminal")?;
    let _guard = Guard;
    let size = terminal.size()?;
    update(&mut app, Msg::Resize(size.width, size.height));
    let mut saver = Saver {
        store,
        pending: false,
        last: Instant::now(),
        failed: false,
    };
    let mut dirty = true;
    let mut next_frame = Instant::now();
    let mut played: Option<Instant> = None;
    let mut change: Option<Instant> = None;
    // Fault injection for the end-to-end test: proves a panic restores the terminal.
    let panic_test = std::env::var_os("NNTUTOR_TEST_PANIC").is_some();
    loop {
        if dirty {
            draw(&mut terminal, &app)?;
            dirty = false;
            if panic_test && !app.animating() {
                panic!("NNTUTOR_TEST_PANIC is set: panicking on purpose");
            }
        }
        if app.quit {
            break;
        }
        let now = Instant::now();
        let save_due = saver
            .pending
            .then(|| (saver.last + SAVE_EVERY).saturating_duration_since(now));
        let timeout = if app.animating() {
            Some(next_frame.saturating_duration_since(now))
        } else if let Some(t) = change {
            Some((t + DEBOUNCE).saturating_duration_since(now))
        } else if watching {
            Some(WATCH_POLL)
        } else {
            // Nothing animates and nothing is watched: sleep until a key,
            // looking at the signal flags twice a second.
            Some(IDLE_POLL)
        };
        let timeout = match (timeout, save_due) {
            (Some(t), Some(s)) => Some(t.min(s)),
            (t, s) => t.or(s),
        };
        let ready = match timeout {
            Some(t) => event::poll(t.min(IDLE_POLL))?,
            None => true,
        };
        if EXIT_SIGNAL.load(Ordering::SeqCst) != 0 {
            break;
        }
        if REDRAW.swap(false, Ordering::SeqCst) {
            terminal.clear()?;
            dirty = true;
        }
        if ready {
            // Drain every queued event, then draw once.
            loop {
                let ev = event::read()?;
                for msg in to_msgs(&app, ev) {
                    dirty = true;
                    for cmd in update(&mut app, msg) {
                        run_cmd(&mut app, &mut saver, &opts, cmd);
                    }
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        while rx.try_recv().is_ok() {
            change = Some(Instant::now());
        }
        if let Some(t) = change
            && t.elapsed() >= DEBOUNCE
        {
            change = None;
            run_cmd(&mut app, &mut saver, &opts, Cmd::Reload);
            dirty = true;
        }
        if saver.pending && saver.last.elapsed() >= SAVE_EVERY {
            dirty |= saver.flush(&mut app);
        }
        if !app.animating() {
            played = None;
        } else if Instant::now() >= next_frame {
            // The pace clock runs only while the demo plays: a pause, a
            // prediction or a slow frame never turns into a burst of
            // iterations afterwards.
            let now = Instant::now();
            let dt = played.map_or(FRAME, |t| now - t).min(MAX_FRAME_GAP);
            played = Some(now);
            dirty |= app.train(dt, TRAIN_BUDGET);
            next_frame = now + FRAME;
        }
    }
    saver.flush(&mut app);
    drop(terminal);
    restore();
    match EXIT_SIGNAL.load(Ordering::SeqCst) {
        0 => Ok(()),
        sig => std::process::exit(128 + sig),
    }
}

/// Enters raw mode and the alternate screen, and installs the panic hook
/// and signal handler that restore the terminal.
fn enter() -> anyhow::Result<Terminal<CrosstermBackend<Stdout>>> {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev(info);
    }));
    install_signal_handler();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        cursor::Hide
    )?;
    Ok(Terminal::new(CrosstermBackend::new(io::stdout()))?)
}

/// SIGTERM, SIGHUP (terminal closed), SIGINT and SIGQUIT ask the loop to
/// save progress, restore the terminal and exit (within half a second); if
/// it has not after two, this thread restores and exits itself. SIGTSTP
/// suspends as Ctrl-Z does; SIGCONT redraws.
#[cfg(unix)]
fn install_signal_handler() {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let Ok(mut signals) =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])
    else {
        return;
    };
    std::thread::spawn(move || {
        for sig in signals.forever() {
            match sig {
                SIGTSTP => suspend(),
                SIGCONT => resume(),
                _ => {
                    EXIT_SIGNAL.store(sig, Ordering::SeqCst);
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_secs(2));
                        restore();
                        std::process::exit(128 + sig);
                    });
                }
            }
        }
    });
}

/// Elsewhere the console restores itself when the process ends; Ctrl-C
/// arrives as a key in raw mode.
#[cfg(not(unix))]
fn install_signal_handler() {}

fn draw(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &App) -> io::Result<()> {
    execute!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    let r = terminal
        .draw(|f| f.render_widget(app, f.area()))
        .map(|_| ());
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    r
}

/// The messages a terminal event means.
fn to_msgs(app: &App, ev: Event) -> Vec<Msg> {
    match ev {
        Event::Key(k) => keymap::dispatch(app.mode(), &k).into_iter().collect(),
        Event::Mouse(m) => {
            let in_lesson = matches!(app.screen, Screen::Lesson(_)) && app.overlay.is_none();
            match m.kind {
                MouseEventKind::ScrollUp if in_lesson => vec![Msg::ScrollUp; 3],
                MouseEventKind::ScrollDown if in_lesson => vec![Msg::ScrollDown; 3],
                MouseEventKind::ScrollUp => vec![Msg::SelectPrev],
                MouseEventKind::ScrollDown => vec![Msg::SelectNext],
                _ => vec![],
            }
        }
        Event::Resize(w, h) => vec![Msg::Resize(w, h)],
        _ => vec![],
    }
}

/// Writes progress when asked, at most every [`SAVE_EVERY`].
struct Saver {
    store: Store,
    pending: bool,
    last: Instant,
    failed: bool,
}

impl Saver {
    /// Saves now; returns whether a notice appeared.
    fn flush(&mut self, app: &mut App) -> bool {
        self.pending = false;
        self.last = Instant::now();
        match self.store.save(&app.progress, &app.touched) {
            Ok(()) => {
                self.failed = false;
                false
            }
            Err(e) => {
                // Say it once, not on every step: a read-only home is a
                // setting, not news.
                let first = !self.failed;
                if first {
                    app.say(fmt(app.lang, T::ProgressSaveFailed, &[&e]), true);
                }
                self.failed = true;
                first
            }
        }
    }
}

/// Carries out a command from `update`.
fn run_cmd(app: &mut App, saver: &mut Saver, opts: &TuiOptions, cmd: Cmd) {
    match cmd {
        Cmd::Save => saver.pending = true,
        Cmd::Suspend => {
            saver.flush(app);
            suspend();
        }
        Cmd::SavePlayground {
            params,
            knobs,
            lang,
        } => {
            // Named as the student will type it: the file is in the current folder.
            let saved = super::playground::save(std::path::Path::new("."), &params, &knobs, &lang)
                .map(|p| {
                    p.file_name().map_or_else(
                        || p.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    )
                })
                .map_err(|e| e.to_string());
            update(app, Msg::PlaygroundSaved(saved));
        }
        Cmd::Reload => {
            if let Some(reload) = &opts.reload {
                let catalog = reload();
                update(app, Msg::CatalogReloaded(catalog));
            }
        }
    }
}

/// Watches `paths` (folders recursively, files through their folder);
/// every change sends `()` on `tx`. `Ok(None)` when there is nothing to watch.
fn watch(
    paths: &[PathBuf],
    tx: mpsc::Sender<()>,
) -> notify::Result<Option<notify::RecommendedWatcher>> {
    use notify::{EventKind, RecursiveMode, Watcher};
    if paths.is_empty() {
        return Ok(None);
    }
    let mut w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && matches!(
                ev.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
            )
        {
            let _ = tx.send(());
        }
    })?;
    for p in paths {
        if p.is_dir() {
            w.watch(p, RecursiveMode::Recursive)?;
        } else {
            // Editors replace files by rename: watch the folder, not the inode.
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            w.watch(dir, RecursiveMode::NonRecursive)?;
        }
    }
    Ok(Some(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Catalog;
    use crate::tui::progress::Progress;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent};

    fn wheel(kind: MouseEventKind) -> Event {
        Event::Mouse(MouseEvent {
            kind,
            column: 0,
            row: 0,
            modifiers: KeyModifiers::NONE,
        })
    }

    #[test]
    fn events_become_messages() {
        let app = App::new(
            Catalog::default(),
            Lang::En,
            Theme::default(),
            Progress::default(),
        );
        assert!(matches!(
            to_msgs(&app, wheel(MouseEventKind::ScrollDown))[..],
            [Msg::SelectNext]
        ));
        assert!(matches!(
            to_msgs(&app, Event::Resize(3, 4))[..],
            [Msg::Resize(3, 4)]
        ));
        let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert!(to_msgs(&app, Event::Key(release)).is_empty());
        assert!(to_msgs(&app, wheel(MouseEventKind::Moved)).is_empty());
    }

    #[test]
    fn restore_without_a_terminal_does_nothing_and_options_build_an_app() {
        // Not active: restore must not touch the terminal (and not panic).
        restore();
        let opts = TuiOptions {
            no_save: true,
            lang: "zh".into(),
            theme: "light".into(),
            open: Some("missing".into()),
            ..TuiOptions::default()
        };
        let (app, store) = app_from_options(&opts);
        assert!(store.path.is_none());
        assert_eq!(app.lang, Lang::Zh);
        assert!(matches!(app.screen, Screen::Catalog));
        assert_eq!(pick_lang("en"), Lang::En);
    }
}
