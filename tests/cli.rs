//! The `nntutor` binary end to end: diagnostics, JSON lines, exit codes
//! (0 ok, 1 invalid input, 2 usage), never a panic.

use predicates::prelude::*;

mod common;
use common::{fixture, nntutor};

fn good() -> String {
    fixture("good/en/three-sigma.md").display().to_string()
}

/// stderr of a failing run; asserts exit code `code` and no panic.
fn stderr_of(args: &[&str], code: i32) -> String {
    let out = nntutor().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
    err
}

#[test]
fn check_prints_exact_first_lines_for_fixtures() {
    let cases = [
        (
            "unknown_key.md",
            "13:1: error: unknown key `sdt` for kind \"gaussian\"",
        ),
        (
            "negative_std.md",
            "13:7: error: `std` = -0.5 is out of range (0, 10]",
        ),
        (
            "unknown_kind.md",
            "12:8: error: unknown demo kind \"gausian\"",
        ),
        (
            "two_demos.md",
            "16:1: error: a step may have only one demo block",
        ),
        ("empty.md", "1:1: error: lesson file is empty"),
        (
            "not_utf8.md",
            "7:7: error: file is not valid UTF-8 (byte 0xe9)",
        ),
    ];
    for (file, rest) in cases {
        let path = fixture(&format!("bad_lessons/{file}"))
            .display()
            .to_string();
        let err = stderr_of(&["check", &path], 1);
        assert_eq!(err.lines().next().unwrap(), format!("{path}:{rest}"));
        assert!(file == "empty.md" || err.contains("^"), "caret: {err}");
    }
    let err = stderr_of(
        &[
            "check",
            &fixture("bad_lessons/unknown_key.md").display().to_string(),
        ],
        1,
    );
    assert!(err.contains("help: valid keys: mean, std, batch, steps, bins, seed, panels, knobs; did you mean `std`?"), "{err}");
}

#[test]
fn check_folders_and_exit_codes() {
    let err = stderr_of(&["check", &fixture("good").display().to_string()], 0);
    assert!(
        err.contains("checked 2 lesson files: 2 valid, 0 invalid"),
        "{err}"
    );
    let err = stderr_of(&["check", &fixture("bad_lessons").display().to_string()], 1);
    assert!(err.contains("invalid"), "{err}");
    stderr_of(&["check", &fixture("drift").display().to_string()], 1);
    let err = stderr_of(&["check", "/no/such/lesson.md"], 1);
    assert!(err.contains("no such file or folder"), "{err}");
    // The embedded lessons (whatever ships) are valid.
    stderr_of(&["check"], 0);
}

#[test]
fn run_json_lines_have_the_contract_shape() {
    let out = nntutor()
        .args([
            "run",
            &good(),
            "--step",
            "1",
            "--steps",
            "40",
            "--every",
            "10",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let iterations: Vec<u64> = lines
        .iter()
        .map(|v| v["iteration"].as_u64().unwrap())
        .collect();
    assert_eq!(iterations, [10, 20, 30, 40]);
    for v in &lines {
        assert_eq!(v["lesson"], "three-sigma");
        assert_eq!(v["step"], 1);
        assert_eq!(v["kind"], "gaussian");
        assert!(v["metrics"]["coverage_3sigma"].is_number());
        assert!(v["panels"].is_array());
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.first().map(|k| k.as_str()), Some("lesson"));
        assert_eq!(keys.last().map(|k| k.as_str()), Some("panels"));
    }
    assert_eq!(lines.last().unwrap()["status"], "done");
    assert_eq!(lines.last().unwrap()["metrics"]["samples"], 40.0 * 50.0);
}

#[test]
fn run_by_id_with_seed_and_set() {
    let dir = fixture("good").display().to_string();
    let run = |seed: &str| {
        nntutor()
            .args([
                "--lessons",
                &dir,
                "run",
                "three-sigma",
                "--steps",
                "5",
                "--seed",
                seed,
                "--set",
                "batch=7",
                "--json",
            ])
            .output()
            .unwrap()
    };
    let (a, b, c) = (run("1"), run("1"), run("2"));
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "same seed, same numbers");
    assert_ne!(a.stdout, c.stdout);
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&a.stdout).lines().last().unwrap()).unwrap();
    assert_eq!(last["metrics"]["samples"], 35.0);
}

#[test]
fn run_text_draws_charts_and_metrics() {
    nntutor()
        .args(["run", &good(), "--steps", "20"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "── share of weights within μ ± kσ ──",
        ))
        .stdout(predicate::str::contains("coverage_3sigma"))
        .stdout(predicate::str::contains("iteration 20 of 20 (done)"));
}

#[test]
fn bad_set_values_are_diagnosed() {
    let g = good();
    let cases = [
        (
            "learning_rate=0.1",
            "--set:1:1: error: unknown key `learning_rate` for kind \"gaussian\"",
        ),
        (
            "std=-1",
            "--set:1:5: error: `std` = -1 is out of range (0, 10]",
        ),
        (
            "steps=many",
            "--set:1:7: error: `steps` must be an integer, found a string \"many\"",
        ),
        (
            "batch=1.5",
            "--set:1:7: error: `batch` must be an integer, found a number 1.5",
        ),
        (
            "panels=[\"nope\"]",
            "--set:1:8: error: `panels` entry \"nope\" is not a valid choice",
        ),
        (
            "std",
            "--set:1:1: error: `std` is not of the form key=value",
        ),
        (
            "kind=depth",
            "--set:1:1: error: the kind of a step's demo cannot be changed",
        ),
        ("std=", "--set:1:5: error: `std` cannot be empty"),
        ("mean={a=1}", "--set:1:6: error: `mean` cannot be a table"),
    ];
    for (set, first) in cases {
        let err = stderr_of(&["run", &g, "--set", set], 1);
        assert_eq!(err.lines().next().unwrap(), first, "{set}");
    }
}

#[test]
fn bad_lessons_steps_and_files_exit_1() {
    let err = stderr_of(&["run", "no-such-lesson"], 1);
    assert!(err.contains("no lesson \"no-such-lesson\""), "{err}");
    let err = stderr_of(
        &[
            "--lessons",
            &fixture("good").display().to_string(),
            "run",
            "three-sigm",
        ],
        1,
    );
    assert!(err.contains("did you mean `three-sigma`?"), "{err}");
    let err = stderr_of(&["run", "missing/lesson.md"], 1);
    assert!(err.contains("no such lesson file"), "{err}");
    let err = stderr_of(&["run", &good(), "--step", "3"], 1);
    assert!(err.contains("has 2 steps; --step must be 1 to 2"), "{err}");
    stderr_of(&["run", &good(), "--step", "0"], 1);
    let bad = fixture("bad_lessons/negative_std.md").display().to_string();
    let err = stderr_of(&["run", &bad], 1);
    assert!(err.contains("13:7: error"), "{err}");
    let err = stderr_of(&["--lessons", "/no/such/dir", "list"], 1);
    assert!(err.contains("not a folder"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    stderr_of(&["run"], 2);
    stderr_of(&["--lang", "not a code", "list"], 2);
    stderr_of(&["run", "x", "--step", "two"], 2);
    stderr_of(&["frobnicate", "extra"], 2);
}

#[test]
fn without_a_terminal_the_tui_says_so() {
    let err = stderr_of(&[], 1);
    assert!(
        err.contains("needs a terminal") && err.contains("nntutor run"),
        "{err}"
    );
}

#[test]
fn play_is_a_command_with_help_and_needs_a_terminal() {
    let err = stderr_of(&["play"], 1);
    assert!(err.contains("needs a terminal"), "{err}");
    let err = stderr_of(&["play", "--lang", "zh"], 1);
    assert!(err.contains("终端"), "{err}");
    nntutor()
        .args(["play", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("playground").and(predicate::str::contains("lesson file")),
        );
}

#[test]
fn list_shows_lessons_and_translations() {
    let dir = fixture("good").display().to_string();
    nntutor()
        .args(["--lessons", &dir, "list", "--lang", "zh"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^three-sigma +zh +3σ 原则（2 步）$").unwrap());
    let out = nntutor()
        .args(["--lessons", &dir, "list", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "three-sigma")
        .unwrap();
    assert_eq!(item["lang"], "en");
    assert_eq!(item["ok"], true);
    assert_eq!(item["steps"].as_array().unwrap().len(), 2);
    // The language follows LANG when --lang is absent.
    nntutor()
        .env("LANG", "zh_CN.UTF-8")
        .args(["--lessons", &dir, "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("3σ 原则"));
}

#[test]
fn new_writes_a_lesson_that_passes_check() {
    let dir = std::env::temp_dir().join(format!("nntutor-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    nntutor()
        .current_dir(&dir)
        .args(["new", "my-lesson"])
        .assert()
        .success();
    let err = stderr_of(
        &["check", &dir.join("my-lesson.md").display().to_string()],
        0,
    );
    assert!(err.contains("0 warnings"), "{err}");
    // Never overwrites.
    let out = nntutor()
        .current_dir(&dir)
        .args(["new", "my-lesson"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hidden_docs_command_prints_the_kind_tables() {
    nntutor()
        .arg("docs")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| Name | Type | Default | Range | Live/restart | Purpose |",
        ));
}

#[test]
fn empty_folders_and_missing_files_are_clear() {
    let dir = std::env::temp_dir().join(format!("nntutor-empty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let err = stderr_of(&["check", &dir.display().to_string()], 1);
    assert!(
        err.contains("no lesson files (*.md) in this folder"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let err = stderr_of(&["/no/such/lesson.md"], 1);
    assert!(err.contains("no such lesson file"), "{err}");
    // `--lessons` folders are checked too.
    let err = stderr_of(
        &["--lessons", &fixture("good").display().to_string(), "check"],
        0,
    );
    assert!(err.contains("2 valid"), "{err}");
}

/// A language added as a folder is usable with `--lang` and from the
/// locale; a language without lessons is refused with the available list.
#[test]
fn a_language_folder_makes_its_code_usable() {
    let tmp = std::env::temp_dir().join(format!("nntutor-lang-fr-{}", std::process::id()));
    let fr = tmp.join("fr");
    std::fs::create_dir_all(&fr).unwrap();
    let en = std::fs::read_to_string(fixture("good/en/three-sigma.md")).unwrap();
    std::fs::write(
        fr.join("three-sigma.md"),
        en.replace(
            "title = \"The 3-sigma rule\"",
            "title = \"La règle des 3 sigmas\"",
        ),
    )
    .unwrap();
    let dir = tmp.display().to_string();
    nntutor()
        .args(["--lessons", &dir, "list", "--lang", "fr"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^three-sigma +fr +La règle des 3 sigmas").unwrap());
    nntutor()
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["--lessons", &dir, "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("La règle des 3 sigmas"));
    // The same locale without a fr folder falls back to English.
    nntutor()
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("La règle").not());
    let err = stderr_of(&["--lang", "fr", "list"], 1);
    assert!(
        err.contains("--lang fr: no lessons in that language; available: en, zh"),
        "{err}"
    );
    let err = stderr_of(&["--lessons", &dir, "--lang", "de", "list"], 1);
    assert!(err.contains("available: en, fr, zh"), "{err}");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// With `--lang zh` the tool's own summary and list marks are Chinese; the
/// diagnostics stay English.
#[test]
fn check_and_list_speak_chinese_with_lang_zh() {
    let good = fixture("good").display().to_string();
    let err = stderr_of(&["--lang", "zh", "check", &good], 0);
    assert!(
        err.contains("检查了 2 个课程文件：2 个有效，0 个无效（0 个错误，0 个警告）"),
        "{err}"
    );
    let err = stderr_of(
        &[
            "--lang",
            "zh",
            "check",
            &fixture("drift").display().to_string(),
        ],
        1,
    );
    // The diagnostic is the tool's own text, so it is Chinese too, labels
    // included; the location stays machine-readable.
    assert!(
        err.contains("1 个无效") && err.contains("原文设置的是"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("drift") && l.contains(": 错误: 第 ")),
        "{err}"
    );
    assert!(err.contains("帮助: 译文必须原样保留"), "{err}");
    // An English-only lesson is marked untranslated, in Chinese.
    let tmp = std::env::temp_dir().join(format!("nntutor-lang-zh-{}", std::process::id()));
    std::fs::create_dir_all(tmp.join("en")).unwrap();
    let en = std::fs::read_to_string(fixture("good/en/three-sigma.md")).unwrap();
    std::fs::write(
        tmp.join("en/only-en.md"),
        en.replace("id = \"three-sigma\"", "id = \"only-en\""),
    )
    .unwrap();
    let dir = tmp.display().to_string();
    let out = nntutor()
        .args(["--lessons", &dir, "--lang", "zh", "list"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("only-en") && l.ends_with("[未翻译]")),
        "{text}"
    );
    assert!(!text.contains("[not translated]"), "{text}");
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn command_line_errors_and_headless_text_follow_lang_zh() {
    let err = stderr_of(&["--lang", "zh", "run", "zero-init", "--step", "9"], 1);
    assert_eq!(
        err.trim_end(),
        "nntutor: 课程 \"zero-init\" 有 5 步；--step 必须是 1 到 5"
    );
    let err = stderr_of(&["--lang", "zh", "run", "zero-init", "--set", "lr=abc"], 1);
    assert!(
        err.starts_with("--set:1:4: 错误: `lr` 必须是数值，实际是字符串 \"abc\""),
        "{err}"
    );
    let out = nntutor()
        .args(["--lang", "zh", "run", "random-init", "--steps", "3"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("── 从 N(0, 0.01²) 抽取 "), "{text}");
    assert!(text.contains("指标："), "{text}");
    // JSON stays English whatever the language: scripts match on it.
    let out = nntutor()
        .args([
            "--lang",
            "zh",
            "run",
            "random-init",
            "--steps",
            "3",
            "--json",
        ])
        .output()
        .unwrap();
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("\"label\":\"weight value\""), "{json}");
}

/// Every command on lessons with OSC 52 (clipboard), ESC[2J (clear),
/// OSC 8 (hyperlink) and a C1 CSI in every field: no escape, BEL or C1
/// byte reaches stdout or stderr.
#[test]
fn lesson_text_never_reaches_the_terminal_with_control_characters() {
    let dir = fixture("hostile");
    let file = fixture("hostile/en/hostile.md");
    let bad = fixture("hostile/en/hostile-bad.md");
    let (dir, file, bad) = (
        dir.display().to_string(),
        file.display().to_string(),
        bad.display().to_string(),
    );
    let runs: [&[&str]; 7] = [
        &["--lessons", &dir, "list"],
        &["--lessons", &dir, "list", "--json"],
        &["--lessons", &dir, "run", "hostile"],
        &["--lessons", &dir, "run", "hostile", "--json"],
        &["run", &file],
        &["check", &dir],
        &["check", &bad],
    ];
    for args in runs {
        let out = nntutor().args(args).output().unwrap();
        for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| {
                    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
                })
                .collect();
            assert!(bad.is_empty(), "{args:?} {what}: {bad:?}\n{text}");
        }
        let all = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(!all.contains("panicked"), "{args:?}: {all}");
    }
    // The words around the escapes survive.
    let list = nntutor()
        .args(["--lessons", &dir, "list"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("Title \u{fffd}]52;c;"),
        "{}",
        String::from_utf8_lossy(&list.stdout)
    );
}

/// Output that cannot be written: a full disk on stdout is an error (exit 1
/// with a message), on stderr it is ignored (no abort), and a closed pipe
/// ends the program quietly (exit 0).
#[test]
fn full_disks_and_closed_pipes() {
    use std::process::Stdio;
    let bin = env!("CARGO_BIN_EXE_nntutor");
    let full = || Stdio::from(std::fs::File::create("/dev/full").unwrap());
    let out = std::process::Command::new(bin)
        .arg("list")
        .stdout(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the output"));
    for args in [&["check"][..], &["nosuch-lesson"], &["run", "nosuch"]] {
        let st = std::process::Command::new(bin)
            .args(args)
            .stdout(Stdio::null())
            .stderr(full())
            .status()
            .unwrap();
        assert!(matches!(st.code(), Some(0 | 1)), "{args:?}: {st:?}");
    }
    // `run` writes more than a pipe holds; the reader leaves after one line.
    let mut child = std::process::Command::new(bin)
        .args(["run", "zero-init", "--every", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn version_everywhere_completions_man_and_a_near_miss_command() {
    for args in [
        &["--version"][..],
        &["run", "--version"],
        &["check", "--version"],
    ] {
        nntutor()
            .args(args)
            .assert()
            .success()
            .stdout(predicate::str::contains("0.1.0"));
    }
    nntutor()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_nntutor()"));
    nntutor()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH nntutor 1"));
    let err = stderr_of(&["lsit"], 1);
    assert!(err.contains("did you mean the command `list`?"), "{err}");
    let err = stderr_of(&["no-such-lesson.md"], 1);
    assert!(!err.contains("did you mean"), "{err}");
}

/// A subfolder that cannot be read is listed as broken with the reason, so
/// `check` fails, and the lessons beside it still load. Root reads every
/// folder, so as root the check runs as `nobody` (setpriv, util-linux).
#[test]
fn an_unreadable_subfolder_is_reported_and_fails_check() {
    use std::os::unix::fs::PermissionsExt;
    let dir = common::TempDir::new("unreadable");
    let sub = dir.0.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(
        fixture("good/en/three-sigma.md"),
        dir.0.join("three-sigma.md"),
    )
    .unwrap();
    std::fs::copy(fixture("good/en/three-sigma.md"), sub.join("other.md")).unwrap();
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
    let bin = env!("CARGO_BIN_EXE_nntutor");
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        std::process::Command::new(bin)
    };
    let out = cmd
        .arg("check")
        .arg(&dir.0)
        .env("LANG", "C")
        .output()
        .unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("sub:1:1: error: cannot read the folder"),
        "{err}"
    );
    assert!(err.contains("1 valid, 1 invalid"), "{err}");
}

/// One colour policy: `--color always` and CLICOLOR_FORCE colour the
/// diagnostics of a pipe; NO_COLOR, TERM=dumb and `--color never` don't.
#[test]
fn the_colour_policy_of_diagnostics() {
    let bad = fixture("bad_lessons/unknown_key.md").display().to_string();
    let coloured = |args: &[&str], env: &[(&str, &str)], remove_no_color: bool| {
        let mut c = nntutor();
        if remove_no_color {
            c.env_remove("NO_COLOR");
        }
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.args(args).arg("check").arg(&bad).output().unwrap();
        String::from_utf8_lossy(&out.stderr).contains('\u{1b}')
    };
    assert!(coloured(&["--color", "always"], &[], false));
    assert!(!coloured(
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")],
        true
    ));
    assert!(coloured(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("TERM", "xterm")],
        true
    ));
    assert!(!coloured(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        false
    ));
    assert!(!coloured(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")],
        true
    ));
    assert!(!coloured(&[], &[], true), "a pipe is not a terminal");
}

/// A run says what produced it (lesson, step, version, seed, every
/// parameter); `--metrics-only` prints just that and the final metrics;
/// `grade` reruns it and accepts exactly the numbers those parameters give.
#[test]
fn gradable_runs_metrics_only_csv_and_grade() {
    let dir = common::TempDir::new("grade");
    let run = nntutor()
        .args([
            "run",
            "l1-l2",
            "--step",
            "3",
            "--set",
            "l1=1.5",
            "--metrics-only",
        ])
        .output()
        .unwrap();
    assert!(run.status.success());
    let text = String::from_utf8(run.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (v["lesson"].as_str(), v["step"].as_u64()),
        (Some("l1-l2"), Some(3))
    );
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["params"]["l1"], 1.5);
    assert_eq!(v["seed"], v["params"]["seed"]);
    assert!(v.get("panels").is_none() && v["metrics"]["zero_weights"].is_number());
    let good = dir.0.join("good.json");
    std::fs::write(&good, &text).unwrap();
    nntutor()
        .args(["grade", &good.display().to_string()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "reproduced: lesson \"l1-l2\" step 3",
        ));
    // One number edited, or the parameters changed after the run: refused.
    let mut edited = v.clone();
    edited["metrics"]["zero_weights"] = serde_json::json!(99.0);
    let mut other = v.clone();
    other["params"]["l1"] = serde_json::json!(0.5);
    for (name, bad) in [("edited", edited), ("other", other)] {
        let f = dir.0.join(format!("{name}.json"));
        std::fs::write(&f, bad.to_string()).unwrap();
        let err = stderr_of(&["grade", &f.display().to_string()], 1);
        assert!(err.contains("not reproduced"), "{name}: {err}");
    }
    // --json lines carry the same header.
    let json = nntutor()
        .args(["run", "zero-init", "--json"])
        .output()
        .unwrap();
    let last: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&json.stdout)
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(last["params"]["init"], "zeros");
    assert!(last["panels"].is_array());
    // --csv: one panel's numbers.
    let csv = nntutor()
        .args(["run", "zero-init", "--csv", "loss"])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("series,x,y\ntrain,0,"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("test,600,")), "{csv}");
    let err = stderr_of(&["run", "zero-init", "--csv", "nope"], 1);
    assert!(err.contains("its panels: hidden-units, fit, loss"), "{err}");
}

/// `progress` reads the file the TUI writes (the documented format) and
/// never moves or changes it, even when it is broken.
#[test]
fn progress_shows_and_exports_without_touching_the_file() {
    let dir = common::TempDir::new("progress-cmd");
    let file = dir.0.join("nntutor").join("progress.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let saved = r#"{"last": ["zero-init", 2], "lessons": {"zero-init": {"step": 2, "seen": [0, 1, 2], "predictions": {"0": true}, "answers": {"0": 3}, "knobs": {}, "changed": 1}}}"#;
    std::fs::write(&file, saved).unwrap();
    let home = dir.0.display().to_string();
    nntutor()
        .env("XDG_DATA_HOME", &home)
        .arg("progress")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "zero-init  step 3/5, 3 of 5 steps seen, 1 of 2 predictions right",
        ));
    let out = nntutor()
        .env("XDG_DATA_HOME", &home)
        .args(["progress", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lessons"]["zero-init"]["answers"]["0"], 3);
    std::fs::write(&file, "{ not json").unwrap();
    let err = nntutor()
        .env("XDG_DATA_HOME", &home)
        .arg("progress")
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&err.stderr).contains("not a progress file"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{ not json");
}

/// ```expect claims are proven by `test` (= `check --run`): a false claim
/// is an error at its line with what was measured; `check` alone only
/// validates them (names, syntax) without running.
#[test]
fn expect_claims_are_proven_at_their_lines() {
    let f = fixture("expect/claims.md").display().to_string();
    nntutor().args(["check", &f]).assert().success();
    for args in [["test", &f], ["check", "--run"]] {
        let mut a: Vec<&str> = args.to_vec();
        if a[0] == "check" {
            a.push(&f);
        }
        let err = stderr_of(&a, 1);
        assert!(
            err.contains("claims.md:32:1: error: claim `coverage_3sigma > 0.999` holds for 0 of 5 seeds, needs 5; measured 0.99"),
            "{err}"
        );
        assert!(err.contains("claims: 8 held, 1 failed"), "{err}");
        assert_eq!(err.matches("error: claim").count(), 1, "{err}");
    }
    // Claims naming what the kind does not report are parse errors.
    let dir = common::TempDir::new("expect-bad");
    let bad = dir.0.join("bad.md");
    std::fs::write(
        &bad,
        "+++\nid = \"b\"\ntitle = \"b\"\norder = 1\n+++\n\n## S\n\n```demo\nkind = \"gaussian\"\n```\n\n```expect\ncoverage_3sigmma > 0.99\nmean ≈ 0\nstd >\n```\n",
    )
    .unwrap();
    let err = stderr_of(&["check", &bad.display().to_string()], 1);
    assert!(
        err.contains("14:1: error: kind \"gaussian\" reports no metric `coverage_3sigmma`"),
        "{err}"
    );
    assert!(err.contains("did you mean `coverage_3sigma`?"), "{err}");
    assert!(err.contains("15:1: error: ≈ needs a tolerance"), "{err}");
    assert!(err.contains("16:1: error:"), "{err}");
}

/// A numeric predicted answer with a `metric` is proven like a claim: the
/// step's run must land within `answer ± tolerance`, else an error at the
/// `answer` value with what the run measured.
#[test]
fn numeric_answers_are_proven_at_their_answer_line() {
    let f = fixture("expect/numeric.md").display().to_string();
    nntutor().args(["check", &f]).assert().success();
    let err = stderr_of(&["test", &f], 1);
    assert!(
        err.contains("numeric.md:31:10: error: the predicted answer 0.95 ± 1% does not hold: the step's run measured coverage_3sigma = 0.9964, outside 0.9405 to 0.9595"),
        "{err}"
    );
    assert!(
        err.contains("numeric.md:49:10: error: the predicted answer 0.5 ± 0.5 cannot be checked: `layer_std` is a list of numbers"),
        "{err}"
    );
    assert!(err.contains("claims: 1 held, 2 failed"), "{err}");
    // The caret is under the answer as written.
    assert!(
        err.contains("31 | answer = 0.95\n   |          ^^^^"),
        "{err}"
    );
    let zh = stderr_of(&["test", "--lang", "zh", &f], 1);
    assert!(
        zh.contains("预测答案 0.95 ± 1% 不成立：这一步的运行测得 coverage_3sigma = 0.9964，不在 0.9405 到 0.9595 之间"),
        "{zh}"
    );
}
