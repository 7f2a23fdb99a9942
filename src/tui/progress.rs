//! What a student has done, kept between runs: the last lesson and step,
//! steps seen, predictions, and knob values, in the XDG data directory.
//!
//! Writes are atomic (a temporary file in the same directory, then rename),
//! so a crash or a full disk never leaves a half-written file. An unreadable
//! file is renamed aside with a notice, never a crash. Two instances merge:
//! each save re-reads the file and replaces only the lessons this instance
//! changed more recently than the file's copy (a second window left on an
//! old step never overwrites a newer one), under an OS lock (`File::lock`
//! on `progress.json.lock`) so two saves never interleave their
//! read-merge-write. A save that cannot read the current file fails instead
//! of overwriting it, so the last good state is never lost.
//!
//! The file is JSON: `{"last": [lesson id, step], "lessons": {id: {"step",
//! "seen", "predictions", "answers", "numbers", "knobs", "changed"}}}`,
//! steps 0-based, answers 1-based, numbers as typed, knob values in TOML
//! syntax, `changed` in milliseconds since 1970. Values read back are
//! validated against the lesson when it opens (see `LessonView::open`).

use crate::i18n::Msg;
use crate::msg;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::demo::Value;

/// Everything saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The lesson id and 0-based step the student was last on.
    #[serde(default)]
    pub last: Option<(String, usize)>,
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
}

/// One lesson's saved state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// The 0-based step last shown.
    #[serde(default)]
    pub step: usize,
    /// 0-based steps the student has opened.
    #[serde(default)]
    pub seen: BTreeSet<usize>,
    /// 0-based step -> whether the prediction was right.
    #[serde(default)]
    pub predictions: BTreeMap<usize, bool>,
    /// 0-based step -> the 1-based choice given.
    #[serde(default)]
    pub answers: BTreeMap<usize, usize>,
    /// 0-based step -> the number given to a numeric question, as typed
    /// (`"0.95"`, `"1e-3"`). Text, like knob values: a hand-edited entry
    /// that is not a number is dropped when the lesson opens, where a bad
    /// JSON number would make the whole file unreadable.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub numbers: BTreeMap<usize, String>,
    /// 0-based step -> knob name -> value in TOML syntax (`0.02`, `"xavier-normal"`).
    #[serde(default)]
    pub knobs: BTreeMap<usize, BTreeMap<String, String>>,
    /// When this instance last changed the lesson, in milliseconds since
    /// 1970: the newer copy wins a merge.
    #[serde(default)]
    pub changed: u64,
}

/// Milliseconds since 1970, for [`LessonProgress::changed`].
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The largest progress file read; a bigger one is not ours (set aside).
const MAX_BYTES: u64 = 4 << 20;

/// The longest number a student may type: more digits than an f64 holds.
pub const MAX_TYPED: usize = 32;

/// A number as a student types it (`0.95`, `-1.5e-3`, `.5`), if it is one:
/// finite, at most [`MAX_TYPED`] characters, and only digits, signs, `.`
/// and `e` (so not `inf` or `nan`, which Rust's parser would accept).
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || t.len() > MAX_TYPED || !t.chars().all(super::keymap::number_char) {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Parses a knob value saved in TOML syntax back into a [`Value`].
pub fn parse_value(text: &str) -> Option<Value> {
    let table: toml::Table = toml::from_str(&format!("v = {text}")).ok()?;
    Value::from_toml(table.get("v")?)
}

/// Where progress lives and whether it may be written.
#[derive(Clone, Debug)]
pub struct Store {
    /// `None` with `--no-save` or when no data directory is known.
    pub path: Option<PathBuf>,
}

impl Store {
    /// `$XDG_DATA_HOME/nntutor/progress.json` (or the platform's data dir).
    pub fn default_path() -> Option<PathBuf> {
        dirs::data_dir().map(|d| d.join("nntutor").join("progress.json"))
    }

    /// Reads the saved progress. A missing file is a fresh start; an
    /// unreadable one is renamed to `progress.json.bad-<unix time>` and the
    /// returned notice says where it went (or why it stayed in place).
    pub fn load(&self) -> (Progress, Option<Msg>) {
        let Some(path) = &self.path else {
            return (Progress::default(), None);
        };
        match read(path) {
            Ok(p) => (p, None),
            Err(ReadError::Missing) => (Progress::default(), None),
            Err(ReadError::Bad | ReadError::Io(_)) => (Progress::default(), Some(set_aside(path))),
        }
    }

    /// Reads the saved progress without touching the file (no setting
    /// aside), for `nntutor progress`: a missing file is empty progress.
    pub fn peek(&self) -> Result<Progress, Msg> {
        let Some(path) = &self.path else {
            return Ok(Progress::default());
        };
        match read(path) {
            Ok(p) => Ok(p),
            Err(ReadError::Missing) => Ok(Progress::default()),
            Err(ReadError::Bad) => Err(msg!(
                "{path}: not a progress file (the tutor sets it aside when it next starts)",
                path = path.display().to_string()
            )),
            Err(ReadError::Io(e)) => Err(msg!(
                "{file}: {error}",
                file = path.display().to_string(),
                error = e.to_string()
            )),
        }
    }

    /// Saves `progress`, replacing on disk only the lessons in `touched` (and
    /// `last`), so a second instance's work on other lessons survives.
    pub fn save(&self, progress: &Progress, touched: &BTreeSet<String>) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let _lock = Lock::take(path);
        let mut merged = match read(path) {
            Ok(p) => p,
            Err(ReadError::Missing) => Progress::default(),
            // Corrupted since it was loaded: keep it for the student, then
            // write ours.
            Err(ReadError::Bad) => {
                set_aside(path);
                Progress::default()
            }
            // Possibly good but unreadable right now: overwriting it could
            // drop another instance's lessons.
            Err(ReadError::Io(e)) => return Err(e),
        };
        merged.last = progress.last.clone();
        for id in touched {
            match progress.lessons.get(id) {
                // Another window changed this lesson since: its copy stays.
                Some(lp)
                    if merged
                        .lessons
                        .get(id)
                        .is_some_and(|d| d.changed > lp.changed) => {}
                Some(lp) => {
                    merged.lessons.insert(id.clone(), lp.clone());
                }
                None => {
                    merged.lessons.remove(id);
                }
            }
        }
        let json = serde_json::to_string_pretty(&merged).map_err(std::io::Error::other)?;
        write_atomic(path, json.as_bytes())
    }
}

enum ReadError {
    Missing,
    /// The bytes are not progress JSON (truncated, garbage).
    Bad,
    /// The file exists but cannot be read (a folder, permissions, I/O).
    Io(std::io::Error),
}

fn read(path: &Path) -> Result<Progress, ReadError> {
    if fs::metadata(path).is_ok_and(|m| m.len() > MAX_BYTES) {
        return Err(ReadError::Bad);
    }
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Io(e)),
    };
    serde_json::from_slice(&bytes).map_err(|_| ReadError::Bad)
}

/// Renames an unreadable progress file to `<name>.bad-<unix time>[-k]`
/// (never over an earlier one) and says where it went, or why it could not.
fn set_aside(path: &Path) -> Msg {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path
        .file_name()
        .map_or_else(|| "progress".into(), |n| n.to_string_lossy().into_owned());
    let aside = (0..100)
        .map(|k| {
            let suffix = if k == 0 {
                String::new()
            } else {
                format!("-{k}")
            };
            path.with_file_name(format!("{name}.bad-{stamp}{suffix}"))
        })
        .find(|p| p.symlink_metadata().is_err());
    match aside.map(|a| fs::rename(path, &a).map(|()| a)) {
        Some(Ok(a)) => Msg::verbatim(a.display().to_string()),
        Some(Err(e)) => msg!(
            "{path} (could not move it: {error}; left in place)",
            path = path.display().to_string(),
            error = e.to_string()
        ),
        None => msg!("{path} (left in place)", path = path.display().to_string()),
    }
}

/// An exclusive OS lock on `progress.json.lock`, held for one
/// read-merge-write and released when dropped (or when the process dies:
/// the OS drops it, so no stale lock can freeze saving, whatever the file's
/// timestamp). Best effort: if the lock file cannot be opened, the save
/// goes ahead without it (the rename stays atomic; only the merge could
/// miss a lesson).
struct Lock(Option<fs::File>);

impl Lock {
    fn take(path: &Path) -> Lock {
        let lock = path.with_file_name(format!(
            "{}.lock",
            path.file_name()
                .map_or_else(|| "progress".into(), |n| n.to_string_lossy())
        ));
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .ok()
            .filter(|f| f.lock().is_ok());
        Lock(file)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(f) = &self.0 {
            let _ = f.unlock();
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, and renames
/// it over `path`: readers see the old file or the new one, never a mix.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Unique per process and per call: two threads (or two instances)
    // never write into the same temporary file.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.{n}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("progress"),
        std::process::id()
    ));
    write_via(&tmp, path, bytes)
}

/// Writes `bytes` into `tmp`, syncs, renames it to `path`; removes `tmp`
/// on any failure, leaving `path` as it was.
fn write_via(tmp: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let result = (|| {
        let mut f = fs::File::create(tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("nntutor-progress-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn sample() -> Progress {
        let mut p = Progress {
            last: Some(("zero-init".into(), 2)),
            ..Progress::default()
        };
        let lp = p.lessons.entry("zero-init".into()).or_default();
        lp.step = 2;
        lp.seen.extend([0, 1, 2]);
        lp.predictions.insert(1, true);
        lp.knobs
            .entry(1)
            .or_default()
            .insert("init".into(), "\"xavier-normal\"".into());
        p
    }

    #[test]
    fn saves_and_loads_the_same_progress() {
        let d = temp_dir("roundtrip");
        let store = Store {
            path: Some(d.join("sub").join("progress.json")),
        };
        let p = sample();
        store
            .save(&p, &BTreeSet::from(["zero-init".to_string()]))
            .unwrap();
        let (back, notice) = store.load();
        assert_eq!(back, p);
        assert!(notice.is_none());
        assert_eq!(
            parse_value(&back.lessons["zero-init"].knobs[&1]["init"]),
            Some(Value::Str("xavier-normal".into()))
        );
    }

    #[test]
    fn typed_numbers_read_only_as_finite_numbers() {
        for (text, x) in [
            ("0.95", 0.95),
            (" -1.5e-3 ", -1.5e-3),
            (".5", 0.5),
            ("5.", 5.0),
            ("+2E3", 2000.0),
            ("0", 0.0),
        ] {
            assert_eq!(parse_number(text), Some(x), "{text:?}");
        }
        let long = "1".repeat(MAX_TYPED + 1);
        for bad in [
            "", " ", "-", ".", "e5", "1e", "1.2.3", "inf", "NaN", "infinity", "1e999", "0x10",
            "1,5", "1 000", "٣", &long,
        ] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_garbage_file_is_set_aside_with_a_notice() {
        let d = temp_dir("garbage");
        let path = d.join("progress.json");
        fs::write(&path, b"{\"last\": [\"zero-in").unwrap();
        let store = Store {
            path: Some(path.clone()),
        };
        let (p, notice) = store.load();
        assert_eq!(p, Progress::default());
        let aside = notice.expect("a notice").to_string();
        assert!(aside.contains("bad-"), "{aside}");
        assert!(!path.exists());
        assert_eq!(fs::read(&aside).unwrap(), b"{\"last\": [\"zero-in");
    }

    #[test]
    fn saving_keeps_lessons_another_instance_wrote() {
        let d = temp_dir("merge");
        let store = Store {
            path: Some(d.join("progress.json")),
        };
        let mut other = Progress::default();
        other.lessons.entry("dropout".into()).or_default().step = 3;
        store
            .save(&other, &BTreeSet::from(["dropout".to_string()]))
            .unwrap();
        store
            .save(&sample(), &BTreeSet::from(["zero-init".to_string()]))
            .unwrap();
        let (back, _) = store.load();
        assert_eq!(back.lessons["dropout"].step, 3);
        assert_eq!(back.lessons["zero-init"].step, 2);
    }

    #[test]
    fn an_unwritable_directory_is_an_error_not_a_panic() {
        let store = Store {
            path: Some(PathBuf::from("/proc/nntutor-cannot-write/progress.json")),
        };
        assert!(store.save(&sample(), &BTreeSet::new()).is_err());
        let none = Store { path: None };
        assert!(none.save(&sample(), &BTreeSet::new()).is_ok());
    }

    fn store(path: &Path) -> Store {
        Store {
            path: Some(path.to_path_buf()),
        }
    }

    fn touched(id: &str) -> BTreeSet<String> {
        BTreeSet::from([id.to_string()])
    }

    /// Loading `bytes` as the progress file starts fresh, names where the
    /// file went, keeps it byte for byte, and the next save is valid.
    fn bad_file_is_kept_aside(name: &str, bytes: &[u8]) {
        let d = temp_dir(name);
        let path = d.join("progress.json");
        fs::write(&path, bytes).unwrap();
        let (p, notice) = store(&path).load();
        assert_eq!(p, Progress::default());
        let aside = PathBuf::from(notice.expect("a notice").to_string());
        assert_eq!(fs::read(&aside).unwrap(), bytes, "{name}");
        store(&path).save(&sample(), &touched("zero-init")).unwrap();
        assert_eq!(store(&path).load(), (sample(), None));
    }

    #[test]
    fn a_truncated_file_is_kept_aside() {
        let d = temp_dir("trunc-src");
        let path = d.join("progress.json");
        store(&path).save(&sample(), &touched("zero-init")).unwrap();
        let full = fs::read(&path).unwrap();
        for cut in [0, 1, full.len() / 2, full.len() - 1] {
            bad_file_is_kept_aside(&format!("trunc-{cut}"), &full[..cut]);
        }
    }

    #[test]
    fn garbage_bytes_are_kept_aside() {
        bad_file_is_kept_aside("bin", b"\xff\xfe\x00\x01PK\x03\x04");
        bad_file_is_kept_aside("wrong-shape", b"{\"lessons\": [1, 2, 3]}");
        bad_file_is_kept_aside("null", b"null");
    }

    #[test]
    fn two_bad_files_in_one_second_never_overwrite_each_other() {
        let d = temp_dir("twice");
        let path = d.join("progress.json");
        fs::write(&path, b"first").unwrap();
        let a = store(&path).load().1.unwrap().to_string();
        fs::write(&path, b"second").unwrap();
        let b = store(&path).load().1.unwrap().to_string();
        assert_ne!(a, b);
        assert_eq!(fs::read(&a).unwrap(), b"first");
        assert_eq!(fs::read(&b).unwrap(), b"second");
    }

    #[test]
    fn a_folder_where_the_file_belongs() {
        let d = temp_dir("folder");
        let path = d.join("progress.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep.txt"), b"mine").unwrap();
        // Saving never deletes or writes into it.
        assert!(store(&path).save(&sample(), &touched("zero-init")).is_err());
        assert_eq!(fs::read(path.join("keep.txt")).unwrap(), b"mine");
        // Loading moves it aside, contents intact, and says where.
        let (p, notice) = store(&path).load();
        assert_eq!(p, Progress::default());
        let aside = PathBuf::from(notice.unwrap().to_string());
        assert_eq!(fs::read(aside.join("keep.txt")).unwrap(), b"mine");
        store(&path).save(&sample(), &touched("zero-init")).unwrap();
        assert_eq!(store(&path).load().0, sample());
    }

    /// Whether this process can write into a folder it made read-only
    /// (root can), decided by trying.
    fn bypasses_permissions(dir: &Path) -> bool {
        let probe = dir.join(".probe");
        let ok = fs::write(&probe, b"x").is_ok();
        let _ = fs::remove_file(&probe);
        ok
    }

    #[test]
    fn a_read_only_folder_keeps_the_last_good_file() {
        use std::os::unix::fs::PermissionsExt;
        let d = temp_dir("readonly");
        let path = d.join("progress.json");
        store(&path).save(&sample(), &touched("zero-init")).unwrap();
        let good = fs::read(&path).unwrap();
        fs::set_permissions(&d, fs::Permissions::from_mode(0o500)).unwrap();
        let privileged = bypasses_permissions(&d);
        let mut next = sample();
        next.lessons.get_mut("zero-init").unwrap().step = 4;
        if privileged {
            // Root writes anyway; the same failing write is reached through
            // a folder path that runs through a regular file.
            fs::set_permissions(&d, fs::Permissions::from_mode(0o700)).unwrap();
            let blocked = store(&path.join("progress.json"));
            let err = blocked.save(&next, &touched("zero-init")).unwrap_err();
            // create_dir_all finds a file where the folder belongs.
            assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists, "{err}");
            let (p, notice) = blocked.load();
            assert_eq!(p, Progress::default());
            assert!(notice.unwrap().to_string().contains("left in place"));
        } else {
            let err = store(&path).save(&next, &touched("zero-init")).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
            assert_eq!(store(&path).load(), (sample(), None));
            fs::set_permissions(&d, fs::Permissions::from_mode(0o700)).unwrap();
        }
        assert_eq!(fs::read(&path).unwrap(), good);
        // The lock file stays (removing a file others may hold a lock on
        // would race); no temporary file does.
        let mut left: Vec<_> = fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert!(
            left == ["progress.json"] || left == ["progress.json", "progress.json.lock"],
            "{left:?}"
        );
    }

    #[test]
    fn a_full_disk_leaves_the_old_file_and_no_temporary() {
        let d = temp_dir("full");
        let path = d.join("progress.json");
        store(&path).save(&sample(), &touched("zero-init")).unwrap();
        let good = fs::read(&path).unwrap();
        // Every write to /dev/full fails with ENOSPC, like a full disk.
        let tmp = d.join(".progress.json.tmp");
        std::os::unix::fs::symlink("/dev/full", &tmp).unwrap();
        let err = write_via(&tmp, &path, &vec![b' '; 1 << 16]).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28), "{err}: ENOSPC");
        assert_eq!(fs::read(&path).unwrap(), good);
        assert!(tmp.symlink_metadata().is_err(), "temporary removed");
    }

    #[test]
    fn a_lock_file_with_any_timestamp_does_not_block_saving() {
        let d = temp_dir("stale");
        let path = d.join("progress.json");
        let lock = fs::File::create(d.join("progress.json.lock")).unwrap();
        // A future timestamp froze the old lock-file heuristic for seconds.
        let future = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
        lock.set_modified(future).unwrap();
        let t = std::time::Instant::now();
        store(&path).save(&sample(), &touched("zero-init")).unwrap();
        assert!(t.elapsed() < std::time::Duration::from_millis(500));
    }

    #[test]
    fn an_older_window_never_overwrites_a_newer_step() {
        let d = temp_dir("windows");
        let path = d.join("progress.json");
        let s = store(&path);
        let at = |step: usize, changed: u64| {
            let mut p = Progress::default();
            p.lessons.insert(
                "zero-init".into(),
                LessonProgress {
                    step,
                    changed,
                    ..LessonProgress::default()
                },
            );
            p
        };
        // Window B moved to step 4 at t = 2000; window A, last changed at
        // t = 1000 on step 1, saves afterwards (another lesson, say).
        s.save(&at(4, 2000), &touched("zero-init")).unwrap();
        s.save(&at(1, 1000), &touched("zero-init")).unwrap();
        assert_eq!(s.load().0.lessons["zero-init"].step, 4);
        // A newer change of A's wins.
        s.save(&at(2, 3000), &touched("zero-init")).unwrap();
        assert_eq!(s.load().0.lessons["zero-init"].step, 2);
    }

    #[test]
    fn an_oversized_file_is_set_aside() {
        let d = temp_dir("huge");
        let path = d.join("progress.json");
        let f = fs::File::create(&path).unwrap();
        f.set_len(MAX_BYTES + 1).unwrap();
        let (p, notice) = store(&path).load();
        assert_eq!(p, Progress::default());
        assert!(notice.is_some());
        assert!(!path.exists());
    }

    /// Two writers save their own lesson in turn, each time one step
    /// further, while a reader polls: every read is valid JSON and no
    /// lesson's step ever goes back (a lost update would reset one).
    #[test]
    fn concurrent_writers_never_lose_each_others_lessons() {
        let d = temp_dir("concurrent");
        let path = d.join("progress.json");
        let rounds = 150;
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let writers: Vec<_> = ["a", "b"]
                .into_iter()
                .map(|id| {
                    let path = &path;
                    s.spawn(move || {
                        let mut p = Progress::default();
                        for step in 1..=rounds {
                            p.lessons.entry(id.into()).or_default().step = step;
                            p.last = Some((id.into(), step));
                            store(path).save(&p, &touched(id)).unwrap();
                        }
                    })
                })
                .collect();
            let reader = s.spawn(|| {
                let mut seen = BTreeMap::<String, usize>::new();
                let mut reads = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let Ok(bytes) = fs::read(&path) else { continue };
                    let p: Progress = serde_json::from_slice(&bytes)
                        .unwrap_or_else(|e| panic!("invalid JSON on disk: {e}"));
                    for (id, lp) in p.lessons {
                        let before = seen.insert(id.clone(), lp.step).unwrap_or(0);
                        assert!(lp.step >= before, "{id} went back {before} -> {}", lp.step);
                    }
                    reads += 1;
                }
                reads
            });
            // Stop the reader before any failure propagates, so a failing
            // writer cannot leave it polling forever.
            let results: Vec<_> = writers.into_iter().map(|w| w.join()).collect();
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            let reads = reader.join().unwrap();
            assert!(results.iter().all(Result::is_ok), "a writer failed");
            assert!(reads > 0);
        });
        let (p, notice) = store(&path).load();
        assert!(notice.is_none());
        assert_eq!(p.lessons["a"].step, rounds);
        assert_eq!(p.lessons["b"].step, rounds);
    }
}
