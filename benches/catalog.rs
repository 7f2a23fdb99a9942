//! Opening an instructor's folder: `Catalog::load` (embedded lessons plus
//! the folder, every file parsed and validated, duplicates and translations
//! checked) on (a) 1,000 lesson files in one folder and (b) 1,000 files
//! spread over a chain of 8 nested folders, the deepest the catalog searches.
//! Target: under 1 s each.
//!
//! The files are the shipped English lessons (real prose, several demo
//! blocks each) copied with fresh ids, so every one is valid and distinct.

mod common;

use std::path::{Path, PathBuf};

use common::{Clock, wall_and_cpu};
use criterion::{Criterion, criterion_group, criterion_main};
use nntutor::lesson::Catalog;

const FILES: usize = 1000;
/// Folders in the nested chain (the catalog's own limit is 8 below the root).
const NESTING: usize = 8;

/// The shipped English lessons' texts.
fn templates() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/en");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("lessons/en")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("lesson text"))
        .collect();
    assert!(!texts.is_empty(), "no shipped lessons to copy");
    texts
}

/// Lesson `i`: template `i mod n` with its front matter's id replaced.
fn lesson(templates: &[String], i: usize) -> String {
    let text = &templates[i % templates.len()];
    text.lines()
        .map(|line| {
            if line.starts_with("id = ") {
                format!("id = \"bench-{i:04}\"")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes the lessons into `folders` (round robin) under a fresh temp root.
fn write(name: &str, folders: &[PathBuf], templates: &[String]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("nntutor-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for f in folders {
        std::fs::create_dir_all(root.join(f)).expect("temp folder");
    }
    for i in 0..FILES {
        let dir = root.join(&folders[i % folders.len()]);
        std::fs::write(dir.join(format!("{i:04}.md")), lesson(templates, i)).expect("write");
    }
    root
}

fn bench(c: &mut Criterion) {
    let templates = templates();
    let flat = write("flat", &[PathBuf::from("en")], &templates);
    let chain: Vec<PathBuf> = (1..=NESTING)
        .map(|depth| {
            let mut p = PathBuf::from("en");
            for d in 1..depth {
                p.push(format!("level{d}"));
            }
            p
        })
        .collect();
    let nested = write("nested", &chain, &templates);
    for (name, root) in [("flat", &flat), ("nested", &nested)] {
        let dirs = [root.join("en")];
        let catalog = Catalog::load(&dirs, &[]);
        let ok = catalog.entries.iter().filter(|e| e.lesson.is_ok()).count();
        assert!(ok >= FILES, "{name}: only {ok} lessons loaded");
        wall_and_cpu(
            c,
            &format!("catalog/load_{FILES}_lessons_{name}"),
            Clock::Process,
            || Catalog::load(&dirs, &[]),
        );
    }
    let _ = std::fs::remove_dir_all(flat);
    let _ = std::fs::remove_dir_all(nested);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
