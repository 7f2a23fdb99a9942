//! End to end: the real binary in a real terminal (tmux), driven by keys.
//!
//! Each case starts `nntutor` in a detached tmux session of 100x30 under
//! `sh`, which prints `EXIT=<code>` and the terminal mode after the tutor
//! ends, so the test can see that the terminal came back: cooked mode
//! (`icanon echo`), primary screen, visible cursor. Skips with a notice
//! where tmux is absent on a developer's machine; in CI (`CI` set) a
//! missing tmux fails every case instead, so the suite cannot pass unrun.
#![cfg(feature = "tui")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use nntutor::lesson::Answer;

const BIN: &str = env!("CARGO_BIN_EXE_nntutor");

/// Whether the end-to-end test can run: tmux is installed and the binary is
/// the full CLI (`--help` lists `--lessons`). `NNTUTOR_E2E_FORCE=1` runs it
/// against any binary that opens the TUI (how the TUI branch was tested
/// before the CLI landed).
fn have_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux not found, and CI is set: the end-to-end terminal test must run in CI"
        );
        eprintln!(
            "NOTICE: tmux not found; skipping the end-to-end terminal test (CI installs tmux)"
        );
        return false;
    }
    if std::env::var_os("NNTUTOR_E2E_FORCE").is_some() {
        return true;
    }
    let help = Command::new(BIN).arg("--help").output();
    let cli = help.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("--lessons"));
    if !cli {
        eprintln!("NOTICE: {BIN} is not the full CLI yet; skipping the end-to-end terminal test");
    }
    cli
}

/// One tmux session running the tutor in its own folder (`home`, also its
/// data directory, so a file the tutor writes lands there), killed when
/// dropped.
struct Session {
    name: String,
    home: PathBuf,
    /// Leave `home` for a later session (progress restore).
    keep_home: bool,
}

impl Session {
    /// Starts `nntutor ARGS` with its own data directory and `LANG`.
    fn start(case: &str, args: &str, lang: &str, env: &str) -> Session {
        let name = format!("nntutor-e2e-{}-{case}", std::process::id());
        let home = std::env::temp_dir().join(&name);
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        Session::start_in(name, home, args, lang, env)
    }

    fn start_in(name: String, home: PathBuf, args: &str, lang: &str, env: &str) -> Session {
        Session::start_sized(name, home, args, lang, env, (100, 30))
    }

    fn start_sized(
        name: String,
        home: PathBuf,
        args: &str,
        lang: &str,
        env: &str,
        (w, h): (u16, u16),
    ) -> Session {
        let script = format!(
            "cd '{}' && env XDG_DATA_HOME='{}' HOME='{}' LANG={lang} LC_ALL= {env} '{BIN}' {args}; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 600",
            home.display(),
            home.display(),
            home.display()
        );
        let st = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                &script,
            ])
            .status()
            .unwrap();
        assert!(st.success(), "tmux new-session failed");
        Session {
            name,
            home,
            keep_home: false,
        }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let st = Command::new("tmux")
                .args(["send-keys", "-t", &self.name, k])
                .status()
                .unwrap();
            assert!(st.success());
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    /// Resizes the window and waits for the tutor to redraw at that width.
    fn resize(&self, w: u16, h: u16) {
        let st = Command::new("tmux")
            .args([
                "resize-window",
                "-t",
                &self.name,
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
            ])
            .status()
            .unwrap();
        assert!(st.success());
        std::thread::sleep(Duration::from_millis(300));
    }

    fn display(&self, format: &str) -> String {
        let out = Command::new("tmux")
            .args(["display", "-p", "-t", &self.name, format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits up to 10 s for the screen to satisfy `pred`; returns the screen.
    fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait(text, |s| s.contains(text))
    }

    /// The tutor's process id (the child of the pane's shell).
    fn tutor_pid(&self) -> String {
        let sh = self.display("#{pane_pid}");
        let out = Command::new("pgrep").args(["-P", &sh]).output().unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// Asserts the tutor exited with `code` and left the terminal as it found it.
    fn assert_restored(&self, code: &str) {
        let s = self.wait_for("EXIT=");
        assert!(
            s.contains(&format!("EXIT={code}")),
            "exit code; screen:\n{s}"
        );
        let s = self.wait("the stty line", |s| s.contains("icanon"));
        assert!(
            s.contains("icanon") && !s.contains("-icanon"),
            "raw mode left on:\n{s}"
        );
        assert!(!s.contains("-echo"), "echo left off:\n{s}");
        assert_eq!(
            self.display("#{alternate_on}"),
            "0",
            "still on the alternate screen"
        );
        assert_eq!(self.display("#{cursor_flag}"), "1", "cursor left hidden");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
        if !self.keep_home {
            let _ = std::fs::remove_dir_all(&self.home);
        }
    }
}

/// A braille dot pattern: some chart has drawn data.
fn has_chart(s: &str) -> bool {
    s.chars().any(|c| ('\u{2801}'..='\u{28FF}').contains(&c))
}

/// A chart or a table has drawn data: braille dots, or a panel row holding a
/// number with three decimals (the `graph` kind's table, `-2.000`).
fn has_data(s: &str) -> bool {
    has_chart(s)
        || s.lines().filter(|l| l.contains('│')).any(|l| {
            let b = l.as_bytes();
            (1..b.len().saturating_sub(3)).any(|i| {
                b[i] == b'.'
                    && b[i - 1].is_ascii_digit()
                    && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            })
        })
}

/// Opens the first lesson from the list and waits for its first step.
fn open_first(s: &Session) {
    s.wait_for("Lessons");
    s.keys(&["Enter"]);
    s.wait("step 1/", |x| x.contains("step 1/") && has_data(x));
}

#[test]
fn open_step_switch_language_and_quit() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("basic", "", "en_US.UTF-8", "");
    open_first(&s);
    // Forward reveals the rest of the step first, then moves on: `f` shows
    // all of step 1 so one Right reaches step 2.
    s.keys(&["f", "Right"]);
    s.wait_for("step 2/");
    s.keys(&["?"]);
    s.wait_for("Keys");
    s.keys(&["Escape"]);
    s.keys(&["L"]);
    let zh = s.wait_for("第 2/");
    assert!(zh.contains("步"), "{zh}");
    s.keys(&["L", "q"]);
    s.assert_restored("0");
}

#[test]
fn knob_change_and_progress_restore() {
    if !have_tmux() {
        return;
    }
    let mut s = Session::start("progress", "", "en_US.UTF-8", "");
    open_first(&s);
    s.keys(&["Tab", "+"]);
    // The first lesson's first knob (`noise` of neuron, a data-set key)
    // restarts the run.
    s.wait("the first knob's next value", |x| {
        x.contains(": run restarted")
    });
    s.keys(&["q"]);
    s.assert_restored("0");
    let (name, home) = (format!("{}-again", s.name), s.home.clone());
    s.keep_home = true;
    drop(s);
    let again = Session::start_in(name, home, "", "en_US.UTF-8", "");
    again.wait_for("Continue where you left off");
    again.keys(&["q"]);
    again.assert_restored("0");
}

#[test]
fn ctrl_c_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("ctrlc", "", "en_US.UTF-8", "");
    open_first(&s);
    s.keys(&["C-c"]);
    s.assert_restored("0");
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    if !have_tmux() {
        return;
    }
    for (sig, code) in [("TERM", "143"), ("HUP", "129")] {
        let mut s = Session::start(&format!("sig{sig}"), "", "en_US.UTF-8", "");
        open_first(&s);
        // Move on and signal at once, before the half-second save is due:
        // the progress must still reach the disk.
        s.keys(&["f", "Right"]);
        s.wait_for("step 2/");
        let pid = s.tutor_pid();
        assert!(!pid.is_empty());
        let st = Command::new("kill")
            .args([&format!("-{sig}"), &pid])
            .status()
            .unwrap();
        assert!(st.success());
        s.assert_restored(code);
        let (name, home) = (format!("{}-again", s.name), s.home.clone());
        s.keep_home = true;
        drop(s);
        let again = Session::start_in(name, home.clone(), "", "en_US.UTF-8", "");
        let screen = again.wait_for("Continue where you left off");
        assert!(
            screen.contains("step 2"),
            "SIG{sig} lost the step:\n{screen}"
        );
        again.keys(&["q"]);
        again.assert_restored("0");
        let _ = std::fs::remove_dir_all(home);
    }
}

/// SIGTSTP (as `kill -TSTP` or a job-control shell sends) leaves raw mode
/// and the alternate screen before the process stops; SIGCONT (`fg`)
/// brings both back and redraws the lesson.
#[test]
fn stop_and_continue_give_the_terminal_back_and_redraw() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("tstp", "", "en_US.UTF-8", "");
    open_first(&s);
    let pid = s.tutor_pid();
    let kill = |sig: &str| {
        let st = Command::new("kill").args([sig, &pid]).status().unwrap();
        assert!(st.success());
    };
    kill("-TSTP");
    let start = Instant::now();
    while s.display("#{alternate_on}") != "0" {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "still on the alternate screen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    assert!(
        state.split_whitespace().nth(2) == Some("T"),
        "not stopped: {state}"
    );
    kill("-CONT");
    let start = Instant::now();
    while s.display("#{alternate_on}") != "1" {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "not back on the alternate screen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    s.wait("the lesson redrawn", |x| {
        x.contains("step 1/") && has_data(x)
    });
    s.keys(&["q"]);
    s.assert_restored("0");
}

#[test]
fn a_panic_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("panic", "", "en_US.UTF-8", "NNTUTOR_TEST_PANIC=1");
    s.assert_restored("1");
    let screen = s.screen();
    assert!(
        screen.contains("panicking on purpose"),
        "the panic message is readable:\n{screen}"
    );
}

#[test]
fn resizing_to_1x1_and_back_while_training() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("resize", "", "en_US.UTF-8", "");
    open_first(&s);
    s.keys(&["r"]);
    for _ in 0..10 {
        for (w, h) in [("1", "1"), ("100", "30"), ("20", "5"), ("100", "30")] {
            let _ = Command::new("tmux")
                .args(["resize-window", "-t", &s.name, "-x", w, "-y", h])
                .status();
            std::thread::sleep(Duration::from_millis(30));
        }
    }
    let screen = s.wait("a redrawn lesson", |x| x.contains("step 1/") && has_data(x));
    assert!(!screen.contains("too small"), "{screen}");
    s.keys(&["q"]);
    s.assert_restored("0");
}

/// A lesson file in the documented format, with a reveal and a prediction.
fn write_lesson(dir: &Path, prose: &str) -> PathBuf {
    let path = dir.join("99-e2e.md");
    let text = format!(
        "+++\nid = \"e2e-test\"\ntitle = \"End to end\"\norder = 99\n+++\n\n## First step\n\n{prose}\n\n<!-- pause -->\n\nRevealed later.\n\n```demo\nkind = \"gaussian\"\nstd = 0.01\nsteps = 50\nknobs = [\"std\"]\n```\n\n## Second step\n\nPredict it.\n\n```predict\nquestion = \"How many?\"\nchoices = [\"none\", \"some\"]\nanswer = 2\nexplanation = \"Because of the tails.\"\n```\n\n```demo\nkind = \"gaussian\"\nsteps = 50\n```\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn reveal_predict_and_live_reload_of_a_lesson_file() {
    if !have_tmux() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("nntutor-e2e-lesson-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = write_lesson(&dir, "Original prose.");
    let s = Session::start("file", &format!("'{}'", file.display()), "en_US.UTF-8", "");
    s.wait_for("Original prose.");
    assert!(!s.screen().contains("Revealed later."));
    s.keys(&["Right"]);
    s.wait_for("Revealed later.");
    // Live reload keeps the step.
    write_lesson(&dir, "Edited prose.");
    s.wait_for("Edited prose.");
    assert!(s.screen().contains("step 1/2"));
    // A broken save keeps the last good version and shows where it broke.
    std::fs::write(&file, "+++\nid = \"e2e-test\"\n").unwrap();
    let broken = s.wait_for("reload failed");
    assert!(
        broken.contains("Edited prose.") && broken.contains("99-e2e.md:"),
        "{broken}"
    );
    // The whole diagnostic, not just its first line, in a window.
    let whole = s.wait_for("The lesson file has a problem");
    assert!(whole.contains("-->") || whole.contains("help:"), "{whole}");
    // Fixed again: the stale notice and the window go.
    write_lesson(&dir, "Edited again.");
    s.wait("the fixed file", |x| {
        x.contains("Edited again.")
            && !x.contains("reload failed")
            && !x.contains("The lesson file has a problem")
    });
    s.keys(&["f", "Right"]);
    s.wait_for("waiting for your prediction");
    s.keys(&["2"]);
    // The verdict wraps in the prose pane, so look for both halves.
    s.wait("the verdict", |x| {
        x.contains("You chose 2") && x.contains("held.")
    });
    s.keys(&["q"]);
    s.assert_restored("0");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A numeric question typed at 100x30: its first digit starts the field,
/// a letter is then refused with a notice (and does not quit), the number
/// shows in the field as typed, Enter starts the run, and its end brings
/// the verdict against the lesson's answer with what the run measured.
#[test]
fn a_number_typed_into_a_numeric_question_gets_its_verdict() {
    if !have_tmux() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("nntutor-e2e-number-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("98-number.md");
    std::fs::write(
        &file,
        "+++\nid = \"e2e-number\"\ntitle = \"Numbers\"\norder = 98\n+++\n\n## Within 3 sigma\n\nCount the draws.\n\n```predict\nquestion = \"What fraction lands within 3σ?\"\nanswer = 0.9973\ntolerance = 0.01\nmetric = \"coverage_3sigma\"\nexplanation = \"The 3-sigma rule.\"\n```\n\n```demo\nkind = \"gaussian\"\nstd = 1.0\nsteps = 40\nseed = 7\n```\n",
    )
    .unwrap();
    let s = Session::start(
        "number",
        &format!("--no-save '{}'", file.display()),
        "en_US.UTF-8",
        "",
    );
    s.wait_for("Your answer:");
    s.keys(&["0"]);
    s.wait_for("Your answer: 0_");
    s.keys(&["q"]);
    s.wait_for("only digits, -, . and e make a number");
    s.keys(&[".", "9", "5"]);
    let typed = s.wait_for("Your answer: 0.95_");
    assert!(typed.contains("waiting for your prediction"), "{typed}");
    assert_eq!(iteration(&typed).0, 0, "held until Enter:\n{typed}");
    s.keys(&["Enter"]);
    let verdict = s.wait("the verdict", |x| {
        x.contains("This run") && x.contains("| done")
    });
    // The prose column's words (the charts stand to its right).
    let flat = verdict
        .lines()
        .filter_map(|l| l.split(['│', '┌', '└']).next())
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    for part in [
        "You said 0.95. Not this time. The answer is 0.9973 +/- 0.01:",
        "0.9873 to 1.0073 counts",
        "coverage_3sigma =",
    ] {
        assert!(flat.contains(part), "{part:?}:\n{verdict}");
    }
    s.keys(&["q"]);
    s.assert_restored("0");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An instructor's French translation of [`write_lesson`]'s lesson: same
/// steps, pauses, demo and predict blocks, French prose.
fn write_french(dir: &Path) {
    let fr = dir.join("fr");
    std::fs::create_dir_all(&fr).unwrap();
    let text = "+++\nid = \"e2e-test\"\ntitle = \"De bout en bout\"\norder = 99\n+++\n\n## Premier pas\n\nProse en français.\n\n<!-- pause -->\n\nRévélé plus tard.\n\n```demo\nkind = \"gaussian\"\nstd = 0.01\nsteps = 50\nknobs = [\"std\"]\n```\n\n## Deuxième pas\n\nPrédisez-le.\n\n```predict\nquestion = \"Combien ?\"\nchoices = [\"aucun\", \"quelques-uns\"]\nanswer = 2\nexplanation = \"À cause des queues.\"\n```\n\n```demo\nkind = \"gaussian\"\nsteps = 50\n```\n";
    std::fs::write(fr.join("99-e2e.md"), text).unwrap();
}

#[test]
fn a_third_language_folder_cycles_with_english_and_chinese() {
    if !have_tmux() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("nntutor-e2e-fr-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("en")).unwrap();
    write_lesson(&dir.join("en"), "English prose.");
    write_french(&dir);
    let args = format!(
        "--lessons '{}' --lang fr '{}'",
        dir.display(),
        dir.join("fr/99-e2e.md").display()
    );
    let s = Session::start("fr", &args, "en_US.UTF-8", "");
    // French lessons, English chrome and English chart labels: the tool has
    // no French strings, and says so.
    let fr = s.wait("the French step", |x| {
        x.contains("Prose en français.") && has_chart(x)
    });
    assert!(
        fr.contains("step 1/2") && fr.contains("De bout en bout"),
        "{fr}"
    );
    assert!(fr.contains("interface stays in English"), "{fr}");
    assert!(fr.contains("weights drawn from N(0, 0.01²)"), "{fr}");
    s.keys(&["Right"]);
    s.wait_for("Révélé plus tard.");
    // L cycles through the lesson languages in order (en, fr, zh) and keeps
    // the step and the reveal. There is no Chinese version of this lesson:
    // its French text stays, while the chrome and the chart labels turn Chinese.
    s.keys(&["L"]);
    let zh = s.wait_for("第 1/2 步");
    assert!(zh.contains("这一课没有「中文」版本"), "{zh}");
    assert!(
        zh.contains("Révélé plus tard.") && zh.contains("抽取"),
        "{zh}"
    );
    s.keys(&["L"]);
    let en = s.wait("English", |x| {
        x.contains("English prose.") && x.contains("step 1/2")
    });
    assert!(
        en.contains("Revealed later.") && en.contains("weights drawn from"),
        "{en}"
    );
    s.keys(&["L"]);
    let fr = s.wait("French again", |x| x.contains("Prose en français."));
    assert!(
        fr.contains("Révélé plus tard.") && fr.contains("step 1/2"),
        "{fr}"
    );
    s.keys(&["q"]);
    s.assert_restored("0");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Prose as the TUI shows it: no Markdown emphasis or code marks.
fn plain(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '*' | '`' | '_'))
        .collect()
}

/// The first few words of `s` (characters, for Chinese): a prefix that fits
/// on one wrapped line at 80 columns.
fn lead(s: &str) -> String {
    let p = plain(s);
    if p.is_ascii() {
        p.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    } else {
        p.chars().take(6).collect()
    }
}

/// The `iteration X/Y` (or `迭代 X/Y`) of the status line.
fn iteration(screen: &str) -> (usize, usize) {
    let status = screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let at = status
        .find("iteration ")
        .map(|i| i + "iteration ".len())
        .or_else(|| status.find("迭代 ").map(|i| i + "迭代 ".len()))
        .unwrap_or_else(|| panic!("no iteration in the status line: {status}"));
    let field = status[at..].split_whitespace().next().unwrap_or("");
    let (x, y) = field.split_once('/').unwrap_or(("", ""));
    (x.parse().unwrap(), y.parse().unwrap())
}

/// Every shipped step that asks a question, at 80x24 and 100x30: the whole
/// question is on screen on arrival, the status line names no metric before
/// the answer, and half a second after answering the run is under way but
/// not over (it plays at a pace a person can follow).
fn predictions_fit_and_runs_play(lang: &str, locale: &str) {
    if !have_tmux() {
        return;
    }
    let catalog = nntutor::lesson::Catalog::embedded();
    let mut checked = 0;
    for entry in &catalog.entries {
        let Ok(lesson) = &entry.lesson else { continue };
        if lesson.lang != lang {
            continue;
        }
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(lesson.origin.trim_start_matches("embedded:"));
        for (i, step) in lesson.steps.iter().enumerate() {
            let Some(p) = &step.predict else { continue };
            let name = format!(
                "nntutor-e2e-{}-q-{}-{}-{i}",
                std::process::id(),
                lang,
                lesson.id
            );
            let home = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&home).unwrap();
            let args = format!("--no-save '{}'", file.display());
            let s = Session::start_sized(name, home, &args, locale, "", (80, 24));
            s.wait("the first step", |x| x.contains(" 1/"));
            s.keys(&["g"]);
            for _ in 0..i {
                s.keys(&["Down"]);
            }
            s.keys(&["Enter"]);
            let here = format!(" {}/{}", i + 1, lesson.steps.len());
            for (w, h) in [(80, 24), (100, 30)] {
                s.resize(w, h);
                let screen = s.wait("the step", |x| x.contains(&here));
                let at = format!("{} step {}, {w}x{h}", lesson.id, i + 1);
                let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(
                    flat.contains(&lead(&p.question)),
                    "{at}: question\n{screen}"
                );
                for (k, c) in p.answer.choices().iter().enumerate() {
                    let shown = format!("{}. {}", k + 1, lead(c));
                    assert!(flat.contains(&shown), "{at}: choice {shown:?}\n{screen}");
                }
                if p.answer.number().is_some() {
                    let field = if lang == "zh" {
                        "你的答案："
                    } else {
                        "Your answer:"
                    };
                    assert!(flat.contains(field), "{at}: the answer field\n{screen}");
                }
                let status = screen.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
                if let Some(m) = &p.metric {
                    assert!(
                        !status.contains(m.as_str()),
                        "{at}: {m} before the answer\n{status}"
                    );
                }
            }
            match &p.answer {
                Answer::Choice { right, .. } => s.keys(&[&(right + 1).to_string()]),
                // Typed character by character, as a student would.
                Answer::Number(n) => {
                    let typed = n.text.trim().to_string();
                    let chars: Vec<String> = typed.chars().map(String::from).collect();
                    let mut keys: Vec<&str> = chars.iter().map(String::as_str).collect();
                    keys.push("Enter");
                    s.keys(&keys);
                }
            }
            // The first iteration comes after run_seconds / total at 1x:
            // a quarter of a second for most steps, two for a step of the
            // `graph` kind, which plays one node per iteration.
            let start = Instant::now();
            let (x, y) = loop {
                std::thread::sleep(Duration::from_millis(250));
                let (x, y) = iteration(&s.screen());
                if x > 0 || start.elapsed() > Duration::from_secs(4) {
                    break (x, y);
                }
            };
            assert!(
                x > 0 && x < y,
                "{} step {}: iteration {x}/{y} four seconds after answering",
                lesson.id,
                i + 1
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} questions found");
}

#[test]
fn english_predictions_fit_and_runs_play() {
    predictions_fit_and_runs_play("en", "en_US.UTF-8");
}

#[test]
fn chinese_predictions_fit_and_runs_play() {
    predictions_fit_and_runs_play("zh", "zh_CN.UTF-8");
}

/// Zero-init step 1 before and after the answer: the chart title hides the
/// count it asks about; the run can be slowed, stepped, sped up to the end,
/// and its replay offers at least 50 moments.
#[test]
fn the_answer_waits_and_a_run_can_be_watched_and_replayed() {
    if !have_tmux() {
        return;
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/en/01-zero-init.md");
    let s = Session::start(
        "watch",
        &format!("--no-save '{}'", file.display()),
        "en_US.UTF-8",
        "",
    );
    let before = s.wait_for("waiting for your prediction");
    assert!(
        before.contains("? distinct of 5 first-layer units"),
        "{before}"
    );
    assert!(!before.contains("distinct_hidden_units"), "{before}");
    s.keys(&["3", "<", "<"]);
    let slow = s.wait_for("running 0.25x");
    let (x0, _) = iteration(&slow);
    std::thread::sleep(Duration::from_millis(1000));
    let (x1, _) = iteration(&s.screen());
    // 600 iterations in 6 s at 1x: a quarter of 100 per second.
    assert!(
        (x1 - x0) >= 10 && (x1 - x0) <= 60,
        "{x0} -> {x1} in 1 s at 0.25x"
    );
    s.keys(&["Space", "."]);
    let paused = s.wait_for("paused");
    let (p0, _) = iteration(&paused);
    s.keys(&["."]);
    let (p1, _) = iteration(&s.wait("one more iteration", |x| iteration(x).0 > p0));
    assert_eq!(p1, p0 + 1);
    s.keys(&["Space", ">", ">", ">", ">", ">", ">", ">"]);
    let done = s.wait_for("| done");
    assert!(done.contains("iteration 600/600"), "{done}");
    assert!(done.contains("distinct_hidden_units 1"), "{done}");
    s.keys(&["{"]);
    let replay = s.wait_for("replay ");
    let field = replay
        .split("replay ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let (_, moments) = field.split_once('/').unwrap();
    let moments: usize = moments.parse().unwrap();
    assert!(moments >= 50, "{moments} moments to replay\n{replay}");
    s.keys(&["q"]);
    s.assert_restored("0");
}

/// `nntutor play`: the playground opens on its decision boundary, a knob
/// turns, `s` writes a lesson file into the current folder that `check`
/// passes, and the screen keeps the boundary. Then the same in Chinese at
/// 80x24.
#[test]
fn play_turns_a_knob_saves_a_lesson_and_shows_the_boundary() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("play", "play", "en_US.UTF-8", "");
    s.wait("the playground's charts", |x| {
        x.contains("Playground") && x.contains("fit") && has_chart(x)
    });
    // Knob 1 is the data set: circles, then xor.
    s.keys(&["Tab", "+"]);
    s.wait("the next data set", |x| {
        x.contains("dataset = xor") && x.contains("run restarted")
    });
    s.keys(&["s"]);
    s.wait_for("saved as nntutor-playground-1.md");
    let path = s.home.join("nntutor-playground-1.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("dataset = \"xor\""), "{text}");
    let check = Command::new(BIN).arg("check").arg(&path).output().unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    // A second save never overwrites the first.
    s.keys(&["s"]);
    s.wait_for("saved as nntutor-playground-2.md");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let screen = s.wait("the boundary after saving", has_chart);
    assert!(screen.contains("fit"), "{screen}");
    s.keys(&["q"]);
    s.assert_restored("0");

    let name = format!("nntutor-e2e-{}-play-zh", std::process::id());
    let home = std::env::temp_dir().join(&name);
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let zh = Session::start_sized(name, home, "play", "zh_CN.UTF-8", "", (80, 24));
    zh.wait("the playground in Chinese", |x| {
        x.contains("练习场") && has_chart(x)
    });
    zh.keys(&["s"]);
    zh.wait_for("已保存为课程文件 nntutor-playground-1.md");
    assert!(zh.home.join("nntutor-playground-1.md").is_file());
    zh.keys(&["q"]);
    zh.assert_restored("0");
}
