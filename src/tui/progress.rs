//! What a student has done, kept between runs: the last lesson and step,
//! steps seen, predictions, and knob values, in the XDG data directory.
//!
//! Writes are atomic (a temporary file in the same directory, then rename),
//! so a crash or a full disk never leaves a half-written file. An unreadable
//! file is renamed aside with a notice, never a crash. Two instances merge:
//! each save re-reads the file and only replaces the lessons this instance
//! touched.

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
    /// 0-based step -> knob name -> value in TOML syntax (`0.02`, `"xavier-normal"`).
    #[serde(default)]
    pub knobs: BTreeMap<usize, BTreeMap<String, String>>,
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
    /// returned notice says where it went.
    pub fn load(&self) -> (Progress, Option<String>) {
        let Some(path) = &self.path else {
            return (Progress::default(), None);
        };
        match read(path) {
            Ok(p) => (p, None),
            Err(ReadError::Missing) => (Progress::default(), None),
            Err(ReadError::Bad) => {
                let stamp = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let aside = path.with_extension(format!("json.bad-{stamp}"));
                let shown = match fs::rename(path, &aside) {
                    Ok(()) => aside.display().to_string(),
                    Err(_) => path.display().to_string(),
                };
                (Progress::default(), Some(shown))
            }
        }
    }

    /// Saves `progress`, replacing on disk only the lessons in `touched` (and
    /// `last`), so a second instance's work on other lessons survives.
    pub fn save(&self, progress: &Progress, touched: &BTreeSet<String>) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut merged = read(path).unwrap_or_default();
        merged.last = progress.last.clone();
        for id in touched {
            match progress.lessons.get(id) {
                Some(lp) => merged.lessons.insert(id.clone(), lp.clone()),
                None => merged.lessons.remove(id),
            };
        }
        let json = serde_json::to_string_pretty(&merged).map_err(std::io::Error::other)?;
        write_atomic(path, json.as_bytes())
    }
}

enum ReadError {
    Missing,
    Bad,
}

fn read(path: &Path) -> Result<Progress, ReadError> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(_) => return Err(ReadError::Bad),
    };
    serde_json::from_slice(&bytes).map_err(|_| ReadError::Bad)
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, and renames
/// it over `path`: readers see the old file or the new one, never a mix.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("progress"),
        std::process::id()
    ));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
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
    fn a_garbage_file_is_set_aside_with_a_notice() {
        let d = temp_dir("garbage");
        let path = d.join("progress.json");
        fs::write(&path, b"{\"last\": [\"zero-in").unwrap();
        let store = Store {
            path: Some(path.clone()),
        };
        let (p, notice) = store.load();
        assert_eq!(p, Progress::default());
        let aside = notice.expect("a notice");
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
}
