//! `list`, `check` and `new`: the instructor's commands.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Failure, out, report};
use nntutor::i18n::{Lang, Msg};
use nntutor::lesson::{Catalog, Entry, catalog, checks, docs};
use nntutor::msg;

/// `nntutor list [--json]`: one line (or object) per lesson.
pub fn list(dirs: &[PathBuf], lang: &str, as_json: bool) -> Result<(), Failure> {
    let ui = Lang::for_lessons(lang);
    let catalog = super::catalog(dirs, &[])?;
    let entries = catalog.lessons(lang);
    if as_json {
        let items: Vec<_> = entries.iter().map(|e| entry_json(e)).collect();
        out(&serde_json::Value::Array(items).to_string());
        return Ok(());
    }
    if entries.is_empty() {
        out(&msg!("no lessons found").text(ui));
    }
    let w = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
    for e in entries {
        let line = match &e.lesson {
            Ok(l) => format!(
                "{:<w$}  {}  {}{}",
                e.id,
                e.lang,
                msg!("{title} ({n} steps)", title = &l.title, n = l.steps.len()).text(ui),
                if e.lang != lang {
                    format!("  {}", msg!("[not translated]").text(ui))
                } else {
                    String::new()
                }
            ),
            Err(d) => format!(
                "{:<w$}  {}  {}",
                e.id,
                e.lang,
                msg!(
                    "BROKEN: {problem}",
                    problem = d
                        .first()
                        .map_or_else(|| msg!("invalid").text(ui), |d| d.line_text(ui))
                )
                .text(ui)
            ),
        };
        out(&line);
    }
    Ok(())
}

fn entry_json(e: &Entry) -> serde_json::Value {
    match &e.lesson {
        Ok(l) => json!({
            "id": e.id, "lang": e.lang, "origin": e.origin, "ok": true,
            "title": l.title, "order": l.order, "summary": l.summary,
            "steps": l.steps.iter().map(|s| s.title.clone()).collect::<Vec<_>>(),
            "warnings": e.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
        Err(d) => json!({
            "id": e.id, "lang": e.lang, "origin": e.origin, "ok": false,
            "errors": d.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
    }
}

/// `nntutor check [PATH]...`: diagnostics on stderr, a summary line, and
/// failure if any file has an error.
/// `lang` is the language of the diagnostics and the summary line.
pub fn check(paths: &[PathBuf], dirs: &[PathBuf], lang: &str, run: bool) -> Result<(), Failure> {
    let ui = Lang::for_lessons(lang);
    let paths: Vec<PathBuf> = paths.iter().chain(dirs).cloned().collect();
    let catalog = if paths.is_empty() {
        Catalog::embedded()
    } else {
        for p in &paths {
            // A dangling link does exist: the catalog lists it as broken.
            if p.symlink_metadata().is_err() {
                return Err(Failure::Message(msg!(
                    "{path}: no such file or folder",
                    path = p.display().to_string()
                )));
            }
        }
        Catalog::load_only(&paths)
    };
    let mut errors = 0;
    let mut warnings = 0;
    let mut broken = 0;
    let (mut claims_held, mut claims_failed) = (0, 0);
    for e in &catalog.entries {
        let mut diags = match &e.lesson {
            Ok(l) => checks::build_all(l, source_text(&e.origin).as_deref()),
            Err(d) => d.clone(),
        };
        if let (true, Ok(l)) = (run && diags.is_empty(), &e.lesson) {
            let (proven, failed) = claims(l, source_text(&e.origin).as_deref(), &mut diags);
            claims_held += proven;
            claims_failed += failed;
        }
        if !diags.is_empty() {
            broken += 1;
        }
        errors += diags.len();
        warnings += e.warnings.len();
        diags.extend(e.warnings.iter().cloned());
        diags.sort_by_key(|d| (d.line, d.col));
        report(&diags, ui);
    }
    let files = catalog.entries.len();
    // English nouns agree with their counts; Chinese nouns have no plural.
    let count = |n: usize, one: fn(usize) -> Msg, many: fn(usize) -> Msg| {
        if n == 1 { one(n) } else { many(n) }
    };
    super::err(
        &msg!(
            "checked {files}: {valid} valid, {broken} invalid ({errors}, {warnings})",
            files = count(
                files,
                |n| msg!("{n} lesson file", n),
                |n| msg!("{n} lesson files", n)
            ),
            valid = files - broken,
            broken,
            errors = count(errors, |n| msg!("{n} error", n), |n| msg!("{n} errors", n)),
            warnings = count(
                warnings,
                |n| msg!("{n} warning", n),
                |n| msg!("{n} warnings", n)
            )
        )
        .text(ui),
    );
    if run {
        super::err(
            &msg!(
                "claims: {held} held, {failed} failed",
                held = claims_held,
                failed = claims_failed
            )
            .text(ui),
        );
    }
    if broken > 0 {
        Err(Failure::Reported)
    } else {
        Ok(())
    }
}

/// A lesson's text again, for carets under build errors.
fn source_text(origin: &str) -> Option<String> {
    match catalog::embedded_text(origin) {
        Some(text) => Some(text.to_string()),
        None => std::fs::read_to_string(origin).ok(),
    }
}

/// `nntutor new NAME`: writes `NAME.md` (or the given `.md` path).
pub fn new_lesson(name: &str, lang: &str) -> Result<(), Failure> {
    let path = if name.ends_with(".md") {
        PathBuf::from(name)
    } else {
        PathBuf::from(format!("{name}.md"))
    };
    let stem = Path::new(&path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `07-my-lesson.md`: the number orders the catalog, it is not the id.
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    let order = stem[..digits].parse::<i64>().unwrap_or(100);
    let stem = stem[digits..]
        .trim_start_matches(['-', '_', ' '])
        .to_string();
    let id: String = stem
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_string();
    if id.is_empty() || id.len() > 64 {
        return Err(Failure::Message(msg!(
            "`{name}` does not make a lesson id: use letters, digits and `-`",
            name
        )));
    }
    if path.exists() {
        return Err(Failure::Message(msg!(
            "{path} already exists; not overwriting it",
            path = path.display().to_string()
        )));
    }
    let title = {
        let words = id.replace(['-', '_'], " ");
        let mut c = words.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    std::fs::write(&path, docs::starter(&id, &title, order)).map_err(|e| {
        Failure::Message(msg!(
            "cannot write {path}: {error}",
            path = path.display().to_string(),
            error = e.to_string()
        ))
    })?;
    out(&msg!(
        "wrote {path} (id \"{id}\"); check it with `nntutor check {path}`",
        path = path.display().to_string(),
        id
    )
    .text(Lang::for_lessons(lang)));
    Ok(())
}

/// `nntutor progress [--json]`: what the student has done, read without
/// changing the file.
#[cfg(feature = "tui")]
pub fn progress(dirs: &[PathBuf], lang: &str, json: bool) -> Result<(), Failure> {
    let ui = Lang::for_lessons(lang);
    let store = nntutor::tui::progress::Store {
        path: nntutor::tui::progress::Store::default_path(),
    };
    let saved = store.peek().map_err(Failure::Message)?;
    if json {
        out(&serde_json::to_string_pretty(&saved).unwrap_or_default());
        return Ok(());
    }
    let catalog = super::catalog(dirs, &[])?;
    if saved.lessons.is_empty() {
        out(&msg!("no progress saved yet").text(ui));
        return Ok(());
    }
    for entry in catalog.lessons(lang) {
        let (Some(lp), Ok(lesson)) = (saved.lessons.get(&entry.id), &entry.lesson) else {
            continue;
        };
        let n = lesson.steps.len();
        let asked = lesson.steps.iter().filter(|s| s.predict.is_some()).count();
        let right = lp.predictions.values().filter(|r| **r).count();
        out(&msg!(
            "{id}  step {step}/{n}, {seen} of {n} steps seen, {right} of {asked} predictions right",
            id = &entry.id,
            step = (lp.step + 1).min(n),
            n,
            seen = lp.seen.iter().filter(|&&s| s < n).count(),
            right,
            asked
        )
        .text(ui));
    }
    Ok(())
}

/// Proves every ```expect claim of `lesson` and every numeric predicted
/// answer with a `metric`; one that does not hold becomes an error at its
/// line (a claim's, or the answer's) with what was measured. Returns how
/// many held and how many failed.
fn claims(
    lesson: &nntutor::lesson::Lesson,
    text: Option<&str>,
    diags: &mut Vec<nntutor::lesson::Diagnostic>,
) -> (usize, usize) {
    use nntutor::lesson::{expect, short};
    let src = nntutor::lesson::source::Source::new(&lesson.origin, text.unwrap_or(""));
    let (mut held, mut failed) = (0, 0);
    for (ex, outcomes) in expect::prove(lesson) {
        let outcomes = match outcomes {
            Ok(o) => o,
            Err(m) => {
                failed += ex.claims.len();
                diags.push(
                    src.error_line(ex.line, msg!("the demo cannot run: {problem}", problem = m)),
                );
                continue;
            }
        };
        for (c, o) in ex.claims.iter().zip(outcomes) {
            if o.passes(ex.hold) {
                held += 1;
                continue;
            }
            failed += 1;
            let measured = match &o.measured {
                Ok(x) => msg!("measured {value}", value = format!("{x}")),
                Err(m) => m.clone(),
            };
            let message = if o.runs > 1 {
                msg!(
                    "claim `{claim}` holds for {held} of {runs} seeds, needs {need}; {measured} with seed {seed}",
                    claim = &c.text,
                    held = o.held,
                    runs = o.runs,
                    need = (ex.hold * o.runs as f64 - 1e-9).ceil() as usize,
                    measured,
                    seed = o.seed
                )
            } else {
                msg!(
                    "claim `{claim}` does not hold: {measured}",
                    claim = &c.text,
                    measured
                )
            };
            let d = nntutor::lesson::Diagnostic::error(&lesson.origin, c.line, c.col, message)
                .with_source(src.line_text(c.line), c.text.chars().count());
            diags.push(d);
        }
    }
    for proof in expect::prove_answers(lesson) {
        if proof.holds() {
            held += 1;
            continue;
        }
        failed += 1;
        let n = proof.number;
        let (low, high) = n.bounds();
        let message = match &proof.measured {
            Ok(x) => msg!(
                "the predicted answer {answer} does not hold: the step's run measured {metric} = {value}, outside {low} to {high}",
                answer = n.show("±"),
                metric = proof.metric,
                value = short(*x),
                low = short(low),
                high = short(high)
            ),
            Err(m) => msg!(
                "the predicted answer {answer} cannot be checked: {problem}",
                answer = n.show("±"),
                problem = m
            ),
        };
        let d = nntutor::lesson::Diagnostic::error(&lesson.origin, n.line, n.col, message)
            .with_source(src.line_text(n.line), n.text.chars().count().max(1));
        diags.push(d);
    }
    (held, failed)
}
