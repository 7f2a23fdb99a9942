//! Lesson paths that are not ordinary files, and folders mixing good and
//! broken lessons: each broken one is listed with one diagnostic, the good
//! ones still list and run, and nothing hangs (root reads every file, so
//! "unreadable" is made with folders, dangling links, FIFOs and devices).

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use nntutor::lesson::Catalog;

mod common;
use common::{TempDir, fixture};

fn nntutor() -> Command {
    let mut c = common::nntutor();
    // A FIFO or device read without a guard would block or never end.
    c.timeout(Duration::from_secs(60));
    c
}

/// Runs nntutor; returns (exit code, stdout, stderr), asserting no panic.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = nntutor().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "{args:?}: exit {code}: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
    (code, String::from_utf8_lossy(&out.stdout).into_owned(), err)
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the call's duration.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// The single error of the one entry a path loads as.
fn only_error(path: &Path) -> nntutor::lesson::Diagnostic {
    let c = Catalog::load_only(&[path.to_path_buf()]);
    assert_eq!(c.entries.len(), 1, "{}", path.display());
    let errs = c.entries[0].lesson.as_ref().expect_err("broken");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!((errs[0].line, errs[0].col), (1, 1), "{}", errs[0]);
    errs[0].clone()
}

#[test]
fn paths_that_are_not_lesson_files_give_one_error_each() {
    let dir = TempDir::new("bad-kinds");
    let dangling = dir.0.join("dangling.md");
    std::os::unix::fs::symlink(dir.0.join("gone.md"), &dangling).unwrap();
    let d = only_error(&dangling);
    assert!(
        d.message.to_string().contains("cannot read the file"),
        "{d}"
    );
    let fifo = dir.0.join("pipe.md");
    mkfifo(&fifo);
    let d = only_error(&fifo);
    assert!(d.message.to_string().contains("not a regular file"), "{d}");
    // A character device that never ends: refused before any read.
    let d = only_error(Path::new("/dev/zero"));
    assert!(d.message.to_string().contains("not a regular file"), "{d}");
    // A folder named like a lesson, given as a file to the TUI's loader.
    let folder = dir.0.join("folder.md");
    std::fs::create_dir(&folder).unwrap();
    let c = Catalog::load(&[], std::slice::from_ref(&folder));
    let e = c
        .entries
        .iter()
        .find(|e| e.origin == folder.display().to_string())
        .unwrap();
    let errs = e.lesson.as_ref().unwrap_err();
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].message.to_string().contains("is a folder"),
        "{}",
        errs[0]
    );
    assert_eq!(c.broken(), 1, "the embedded lessons still load");
}

#[test]
fn check_and_run_on_odd_paths_exit_1_without_hanging() {
    let dir = TempDir::new("bad-cli");
    let fifo = dir.0.join("pipe.md");
    mkfifo(&fifo);
    let dangling = dir.0.join("dangling.md");
    std::os::unix::fs::symlink(dir.0.join("gone.md"), &dangling).unwrap();
    for p in [&fifo, &dangling] {
        let p = p.display().to_string();
        let (code, _, err) = run(&["check", &p]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains(&format!("{p}:1:1: error:")), "{err}");
        let (code, _, err) = run(&["run", &p]);
        assert_eq!(code, 1, "{err}");
    }
    let (code, _, err) = run(&["check", "/dev/zero"]);
    assert_eq!(code, 1);
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn a_folder_mixing_good_and_broken_lessons() {
    let dir = TempDir::new("bad-mixed");
    let bad = ["negative_std.md", "not_utf8.md", "two_demos.md", "empty.md"];
    for f in bad {
        std::fs::copy(fixture(&format!("bad_lessons/{f}")), dir.0.join(f)).unwrap();
    }
    std::fs::copy(
        fixture("good/en/three-sigma.md"),
        dir.0.join("three-sigma.md"),
    )
    .unwrap();
    mkfifo(&dir.0.join("pipe.md"));
    // A link back up the tree is walked once, not into a loop of copies.
    std::os::unix::fs::symlink(&dir.0, dir.0.join("loop")).unwrap();
    let d = dir.0.display().to_string();

    let (code, out, err) = run(&["--lessons", &d, "list"]);
    assert_eq!(code, 0, "{err}");
    let broken: Vec<&str> = out.lines().filter(|l| l.contains("BROKEN")).collect();
    assert_eq!(broken.len(), bad.len() + 1, "{out}");
    for f in bad.iter().chain(&["pipe.md"]) {
        let path = dir.0.join(f).display().to_string();
        assert!(
            broken
                .iter()
                .any(|l| l.contains(&format!("BROKEN: {path}:"))),
            "{f} not listed as broken:\n{out}"
        );
    }
    assert!(
        out.lines()
            .any(|l| l.starts_with("three-sigma ") && l.contains("(2 steps)")),
        "{out}"
    );
    // Every shipped lesson still lists as working.
    assert!(out.lines().any(|l| l.starts_with("zero-init ")), "{out}");

    let (code, _, err) = run(&["check", &d]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "checked {} lesson files: 1 valid, {} invalid ({} errors, 0 warnings)",
            bad.len() + 2,
            bad.len() + 1,
            bad.len() + 1
        )),
        "{err}"
    );

    let (code, out, err) = run(&["--lessons", &d, "run", "three-sigma", "--steps", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("iteration 5 of 5 (done)"), "{out}");
}

#[test]
fn deep_and_wide_folders_load() {
    // 1,000 lessons in one folder: all load, in order.
    let wide = TempDir::new("bad-wide");
    let text = std::fs::read_to_string(fixture("good/en/three-sigma.md")).unwrap();
    for i in 0..1000 {
        let t = text
            .replace("id = \"three-sigma\"", &format!("id = \"l{i:04}\""))
            .replace("order = 2", &format!("order = {i}"));
        std::fs::write(wide.0.join(format!("l{i:04}.md")), t).unwrap();
    }
    let c = Catalog::load_only(std::slice::from_ref(&wide.0));
    assert_eq!(c.entries.len(), 1000);
    assert_eq!(c.broken(), 0);
    assert_eq!(c.entries[999].id, "l0999");
    assert_eq!(c.lessons("en").len(), 1000);

    // Deep nesting: lessons down to the walk's depth limit load; deeper
    // folders are not searched (a guard against runaway trees).
    let deep = TempDir::new("bad-deep");
    let mut at = deep.0.clone();
    for level in 0..12 {
        let t = text.replace("id = \"three-sigma\"", &format!("id = \"d{level}\""));
        std::fs::write(at.join(format!("d{level}.md")), t).unwrap();
        at = at.join(format!("level{level}"));
        std::fs::create_dir(&at).unwrap();
    }
    let c = Catalog::load_only(std::slice::from_ref(&deep.0));
    assert_eq!(c.broken(), 0);
    let ids: Vec<&str> = c.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 9, "depth 0..=8: {ids:?}");
    assert!(ids.contains(&"d8") && !ids.contains(&"d9"), "{ids:?}");
}
