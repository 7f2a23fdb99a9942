//! Every kind of wrong value a student or instructor can hand `nntutor run`:
//! one clear first line, exit 1 (2 for clap's usage errors), never a panic
//! (the panic hook would say "internal error"; a raw panic exits 101).

use std::time::Duration;

use assert_cmd::Command;

mod common;
use common::fixture;

fn good() -> String {
    fixture("good/en/three-sigma.md").display().to_string()
}

/// (exit code, stdout, stderr); asserts no panic and that no run hangs.
fn nntutor(args: &[&str]) -> (i32, String, String) {
    let out = common::nntutor()
        .timeout(Duration::from_secs(120))
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{args:?}: {err}"
    );
    let code = out.status.code().expect("exited, not killed");
    assert_ne!(code, 101, "{args:?}: {err}");
    (code, String::from_utf8_lossy(&out.stdout).into_owned(), err)
}

/// Asserts `run GOOD --steps 3 --set <set>` exits 1 with `first` as the
/// first stderr line and `help` (when given) in the help line.
fn bad_set(set: &str, first: &str, help: Option<&str>) {
    let g = good();
    let (code, _, err) = nntutor(&["run", &g, "--steps", "3", "--set", set]);
    assert_eq!(code, 1, "{set}: {err}");
    assert_eq!(err.lines().next().unwrap_or(""), first, "{set}: {err}");
    if let Some(h) = help {
        assert!(err.contains(&format!("= help: {h}")), "{set}: {err}");
    }
    // The caret line shows the argument itself.
    assert!(err.contains(&format!("| {set}")), "{set}: {err}");
}

#[test]
fn unknown_keys_suggest_the_closest() {
    bad_set(
        "sdt=1",
        "--set:1:1: error: unknown key `sdt` for kind \"gaussian\"",
        Some("valid keys: mean, std, batch, steps, bins, seed, panels, knobs; did you mean `std`?"),
    );
    bad_set(
        "Batch=3",
        "--set:1:1: error: unknown key `Batch` for kind \"gaussian\"",
        Some(
            "valid keys: mean, std, batch, steps, bins, seed, panels, knobs; did you mean `batch`?",
        ),
    );
    bad_set(
        "kind=train",
        "--set:1:1: error: the kind of a step's demo cannot be changed",
        None,
    );
}

#[test]
fn wrong_types_name_what_was_expected() {
    for (set, first) in [
        (
            "std=true",
            "--set:1:5: error: `std` must be a number, found a boolean true",
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
            "batch=[1, 2]",
            "--set:1:7: error: `batch` must be an integer, found a list [1, 2]",
        ),
        (
            "panels=1",
            "--set:1:8: error: `panels` must be a list of strings, found an integer 1",
        ),
        ("mean={a=1}", "--set:1:6: error: `mean` cannot be a table"),
        ("std=1979-05-27", "--set:1:5: error: `std` cannot be a date"),
    ] {
        bad_set(set, first, None);
    }
}

#[test]
fn out_of_range_values_show_the_range() {
    for (set, first, help) in [
        (
            "std=-1",
            "--set:1:5: error: `std` = -1 is out of range (0, 10]",
            "valid values: (0, 10]",
        ),
        (
            "std=0",
            "--set:1:5: error: `std` = 0 is out of range (0, 10]",
            "valid values: (0, 10]",
        ),
        (
            "batch=0",
            "--set:1:7: error: `batch` = 0 is out of range (1 to 100000)",
            "valid values: 1 to 100000",
        ),
        (
            "seed=-1",
            "--set:1:6: error: `seed` = -1 is out of range (0 to 9223372036854775807)",
            "valid values: 0 to 9223372036854775807",
        ),
        (
            "std=nan",
            "--set:1:5: error: `std` = NaN is not a finite number",
            "valid values: (0, 10]",
        ),
        (
            "std=1e400",
            "--set:1:5: error: `std` = inf is not a finite number",
            "valid values: (0, 10]",
        ),
        (
            "panels=[\"nope\"]",
            "--set:1:8: error: `panels` entry \"nope\" is not a valid choice",
            "valid choices: histogram, coverage",
        ),
        (
            "knobs=[\"lr\"]",
            "--set:1:7: error: `knobs` entry \"lr\" is not a valid choice",
            "valid knobs: mean, std, batch, steps, seed",
        ),
    ] {
        bad_set(set, first, Some(help));
    }
    bad_set(
        "steps=9223372036854775808",
        "--set:1:7: error: `steps` cannot be an integer this large (beyond ±9223372036854775807)",
        None,
    );
}

#[test]
fn text_that_is_not_toml_is_a_string_and_refused_as_one() {
    for (set, first) in [
        (
            "std=[1,",
            "--set:1:5: error: `std` must be a number, found a string \"[1,\"",
        ),
        (
            "mean={",
            "--set:1:6: error: `mean` must be a number, found a string \"{\"",
        ),
        (
            "std=0.5 # c",
            "--set:1:5: error: `std` must be a number, found a string \"0.5 # c\"",
        ),
        (
            "std=0.5=1",
            "--set:1:5: error: `std` must be a number, found a string \"0.5=1\"",
        ),
        (
            "std=0x",
            "--set:1:5: error: `std` cannot be a malformed integer",
        ),
    ] {
        bad_set(set, first, None);
    }
}

#[test]
fn empty_values_and_missing_equals() {
    bad_set("std=", "--set:1:5: error: `std` cannot be empty", None);
    bad_set("std=   ", "--set:1:5: error: `std` cannot be empty", None);
    bad_set(
        "std",
        "--set:1:1: error: `std` is not of the form key=value",
        Some("e.g. --set lr=0.5"),
    );
    bad_set(
        "=1",
        "--set:1:1: error: `=1` has no key before `=`",
        Some("e.g. --set lr=0.5"),
    );
    let g = good();
    let (code, _, err) = nntutor(&["run", &g, "--steps", "3", "--set", ""]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with("--set:1:1: error: `` is not of the form key=value"),
        "{err}"
    );
}

#[test]
fn the_first_bad_set_of_several_is_reported() {
    let g = good();
    let (code, _, err) = nntutor(&[
        "run", &g, "--set", "std=0.5", "--set", "batch=-2", "--set", "bins=3",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("--set:1:7: error: `batch` = -2 is out of range"),
        "{err}"
    );
    // Good values still run, trimmed around `=`.
    let (code, out, err) = nntutor(&["run", &g, "--steps", "3", "--set", " std = 0.5 "]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("iteration 3 of 3 (done)"), "{out}");
}

#[test]
fn step_numbers_outside_the_lesson() {
    let g = good();
    for step in ["0", "99"] {
        let (code, _, err) = nntutor(&["run", &g, "--step", step]);
        assert_eq!(code, 1, "{err}");
        assert_eq!(
            err.trim_end(),
            "nntutor: lesson \"three-sigma\" has 2 steps; --step must be 1 to 2"
        );
    }
    for step in ["-1", "two", "99999999999999999999999"] {
        let (code, _, err) = nntutor(&["run", &g, "--step", step]);
        assert_eq!(code, 2, "--step {step}: {err}");
        assert!(
            err.contains("invalid value") || err.contains("unexpected argument"),
            "{err}"
        );
    }
}

#[test]
fn iteration_counts_outside_the_range() {
    let g = good();
    let (code, _, err) = nntutor(&["run", &g, "--steps", "0"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "nntutor: --steps: `steps` = 0 is out of range (1 to 100000)"
    );
    for huge in ["100001", "18446744073709551615"] {
        let (code, _, err) = nntutor(&["run", &g, "--steps", huge]);
        assert_eq!(code, 1, "{huge}: {err}");
        assert!(
            err.starts_with("nntutor: --steps: `steps` = ") && err.contains("is out of range"),
            "{err}"
        );
    }
    let (code, _, err) = nntutor(&["run", &g, "--steps", "18446744073709551616"]);
    assert_eq!(code, 2, "{err}");
    // --every 0 is read as every iteration, not a division by zero.
    let (code, out, err) = nntutor(&["run", &g, "--steps", "3", "--every", "0"]);
    assert_eq!(code, 0, "{err}");
    for at in [
        "iteration 1/3 ",
        "iteration 2/3 ",
        "iteration 3 of 3 (done)",
    ] {
        assert!(out.contains(at), "{at}: {out}");
    }
    // The largest seed is accepted.
    let (code, _, err) = nntutor(&["run", &g, "--steps", "2", "--seed", "18446744073709551615"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn lessons_that_cannot_be_found() {
    let (code, _, err) = nntutor(&["run", "no-such-lesson"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("nntutor: no lesson \"no-such-lesson\" (known lessons: "),
        "{err}"
    );
    let (code, _, err) = nntutor(&["run", "zero-int"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `zero-init`?"), "{err}");
    let (code, _, err) = nntutor(&["run", "missing/lesson.md"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "nntutor: missing/lesson.md: no such lesson file"
    );
    let (code, _, err) = nntutor(&["run", "nowhere.md"]);
    assert_eq!(code, 1);
    assert_eq!(err.trim_end(), "nntutor: nowhere.md: no such lesson file");
}

#[test]
fn folders_where_a_lesson_file_belongs() {
    for dir in [
        fixture("good").display().to_string(),
        format!("{}/", fixture("good").display()),
    ] {
        let (code, _, err) = nntutor(&["run", &dir]);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.starts_with(&format!("nntutor: {dir}: is a folder, not a lesson file;")),
            "{err}"
        );
    }
    // The folder named without a slash, from its parent: still a folder.
    let out = Command::cargo_bin("nntutor")
        .unwrap()
        .env("NO_COLOR", "1")
        .current_dir(fixture(""))
        .args(["run", "good"])
        .output()
        .unwrap();
    let (code, err) = (out.status.code(), String::from_utf8_lossy(&out.stderr));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("good: is a folder"), "{err}");
    // A --lessons folder without lessons, and one that is a file.
    let empty = std::env::temp_dir().join(format!("nntutor-values-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let e = empty.display().to_string();
    let (code, out, err) = nntutor(&["--lessons", &e, "list"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "BROKEN: {e}:1:1: error: no lesson files (*.md) in this folder"
        )),
        "{out}"
    );
    let (code, _, err) = nntutor(&["--lessons", &e, "run", "x"]);
    assert_eq!(code, 1);
    assert!(err.contains("no lesson \"x\""), "{err}");
    let _ = std::fs::remove_dir_all(&empty);
    let (code, _, err) = nntutor(&["--lessons", &good(), "list"]);
    assert_eq!(code, 1);
    assert!(err.contains("not a folder"), "{err}");
}

#[test]
fn a_step_without_a_demo_and_a_refused_build() {
    let dir = std::env::temp_dir().join(format!("nntutor-values-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("nodemo.md");
    std::fs::write(
        &path,
        "+++\nid = \"nodemo\"\ntitle = \"t\"\norder = 1\n+++\n\n## Words only\n\nText.\n\n## Train\n\nText.\n\n```demo\nkind = \"train\"\n```\n",
    )
    .unwrap();
    let p = path.display().to_string();
    let (code, _, err) = nntutor(&["run", &p]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "nntutor: step 1 (\"Words only\") of \"nodemo\" has no demo"
    );
    // In range key by key, refused across keys by the kind's build.
    let (code, _, err) = nntutor(&["run", &p, "--step", "2", "--set", "layers=[2, 5, 1]"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("nntutor: demo cannot run: `layers`:"),
        "{err}"
    );
    let (code, _, err) = nntutor(&[
        "run",
        &p,
        "--step",
        "2",
        "--set",
        "layers=[1, 512, 512, 512, 512, 512, 512, 1]",
        "--set",
        "samples=5000",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("MB") && err.contains("GFLOP"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn arguments_that_are_not_utf8_are_usage_errors() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"std=\xff");
    let out = Command::cargo_bin("nntutor")
        .unwrap()
        .arg("run")
        .arg(good())
        .arg("--set")
        .arg(bad)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("invalid UTF-8"), "{err}");
}
