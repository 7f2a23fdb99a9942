//! Embeds every lesson under `lessons/<lang>/*.md` in the binary: writes an
//! `include_bytes!` table to `$OUT_DIR/embedded_lessons.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    // Read when the script runs, not when it is compiled: a compiled build
    // script reused by another checkout sharing the target directory would
    // otherwise embed the first checkout's lessons.
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = root.as_path();
    let lessons = root.join("lessons");
    // A directory makes cargo rescan its whole tree: new files re-embed.
    println!("cargo:rerun-if-changed=lessons");
    println!("cargo:rerun-if-changed=build.rs");
    let mut files = Vec::new();
    if let Ok(langs) = std::fs::read_dir(&lessons) {
        for lang in langs.flatten().filter(|e| e.path().is_dir()) {
            let Ok(entries) = std::fs::read_dir(lang.path()) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                let readme = path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("readme.md"));
                if path.extension().is_some_and(|x| x == "md") && !readme {
                    files.push((lang.file_name().to_string_lossy().into_owned(), path));
                }
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// Lessons embedded at build time: (language, path, bytes).\npub static EMBEDDED: &[(&str, &str, &[u8])] = &[\n",
    );
    for (lang, path) in &files {
        let rel = path.strip_prefix(root).unwrap_or(path);
        writeln!(
            out,
            "    ({lang:?}, {:?}, include_bytes!({:?})),",
            rel.display().to_string(),
            path.display().to_string()
        )
        .expect("write to String");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo"))
        .join("embedded_lessons.rs");
    std::fs::write(dest, out).expect("write embedded_lessons.rs");
}
