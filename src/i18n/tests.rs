use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;

#[test]
fn arguments_fill_placeholders_and_nested_messages_follow_the_language() {
    let what = msg!("demo block");
    let m = msg!("unknown key `{key}` in {what}", key = "lr", what);
    assert_eq!(m.to_string(), "unknown key `lr` in demo block");
    assert_eq!(m.text(Lang::Zh), "demo 代码块中有未知的键 `lr`");
    assert_eq!(Msg::verbatim("as {is}").text(Lang::Zh), "as {is}");
}

#[test]
fn masked_messages_hide_measurements_and_keep_settings() {
    let note = msg!(
        "unknown key `{key}` in {what}",
        key = measured(0.25),
        what = msg!("demo block")
    );
    let m = msg!(
        "{distinct} distinct of {width} first-layer units{note}",
        distinct = measured(1),
        width = 5usize,
        note
    );
    assert_eq!(
        m.to_string(),
        "1 distinct of 5 first-layer unitsunknown key `0.25` in demo block"
    );
    assert_eq!(
        m.masked().to_string(),
        "? distinct of 5 first-layer unitsunknown key `?` in demo block"
    );
    assert_eq!(
        m.masked().text(Lang::Zh),
        m.text(Lang::Zh).replace('1', "?").replace("0.25", "?")
    );
}

#[test]
fn language_codes_from_the_environment() {
    assert_eq!(Lang::from_code("zh_CN.UTF-8"), Some(Lang::Zh));
    assert_eq!(Lang::from_code("en_US.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::from_code("C"), Some(Lang::En));
    assert_eq!(Lang::from_code("fr_FR"), None);
    assert_eq!(Lang::for_lessons("fr"), Lang::En);
}

/// Every `msg!("…")` template literal in `src/`, with the file it is in.
fn templates_in_source() -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for t in literals_after(&text, concat!("msg", "!(")) {
                    found.insert(t, path.display().to_string());
                }
            }
        }
    }
    found
}

/// The string literals that directly follow `marker` (and whitespace).
fn literals_after(text: &str, marker: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(marker) {
        let rest = text[at + marker.len()..].trim_start();
        let Some(body) = rest.strip_prefix('"') else {
            continue;
        };
        let mut lit = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => lit.push('\n'),
                    Some(other) => lit.push(other),
                    None => break,
                },
                c => lit.push(c),
            }
        }
        out.push(lit);
    }
    out
}

#[test]
fn every_template_has_a_chinese_entry_with_the_same_placeholders() {
    let used = templates_in_source();
    assert!(
        used.len() > 50,
        "the scan found only {} templates",
        used.len()
    );
    let table: BTreeMap<_, _> = zh::ENTRIES.iter().copied().collect();
    assert_eq!(table.len(), zh::ENTRIES.len(), "a template is listed twice");
    let missing: Vec<_> = used
        .iter()
        .filter(|(t, _)| !table.contains_key(t.as_str()) && !only_placeholders(t))
        .map(|(t, file)| format!("{file}: {t:?}"))
        .collect();
    assert!(
        missing.is_empty(),
        "no Chinese for:\n{}",
        missing.join("\n")
    );
    let unused: Vec<_> = table.keys().filter(|t| !used.contains_key(**t)).collect();
    assert!(unused.is_empty(), "entries no code uses: {unused:#?}");
    for (en, zh) in &table {
        let a: BTreeSet<_> = placeholders(en).collect();
        let b: BTreeSet<_> = placeholders(zh).collect();
        assert_eq!(a, b, "placeholders differ: {en:?} vs {zh:?}");
    }
}

fn only_placeholders(template: &str) -> bool {
    let mut rest = template.to_string();
    for p in placeholders(template) {
        rest = rest.replace(&format!("{{{p}}}"), "");
    }
    rest.trim().chars().all(|c| !c.is_alphabetic())
}
