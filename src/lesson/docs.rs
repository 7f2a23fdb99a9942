//! Text generated from the kind registry: the per-kind reference tables of
//! `docs/lesson-format.md` and the starter lesson of `nntutor new`.
//!
//! Generated, so the docs cannot drift from the schema: a test compares the
//! file with [`kind_reference`] as every new kind lands.

use crate::demo::{Apply, DefaultValue, KINDS, KindSpec, Ty};

/// Marks around the generated part of `docs/lesson-format.md`.
pub const BEGIN: &str = "<!-- BEGIN GENERATED KINDS: `NNTUTOR_UPDATE_DOCS=1 cargo test --test parse docs` rewrites this part -->";
pub const END: &str = "<!-- END GENERATED KINDS -->";

/// One section per kind: summary, keys table, panels, metrics.
pub fn kind_reference() -> String {
    let mut out = String::new();
    for kind in KINDS {
        out.push_str(&kind_section(kind));
    }
    out
}

fn kind_section(kind: &KindSpec) -> String {
    let mut s = format!("### `{}`\n\n{}\n\n", kind.name, kind.summary);
    s.push_str("| Name | Type | Default | Range | Live/restart | Purpose |\n");
    s.push_str("|---|---|---|---|---|---|\n");
    for key in kind.keys {
        let ty = match key.ty {
            Ty::Bool => "bool",
            Ty::Int { .. } => "int",
            Ty::Float { .. } => "float",
            Ty::Choice(_) => "string",
            Ty::IntList { .. } => "int list",
            Ty::ChoiceList(_) | Ty::KeyList => "string list",
        };
        let apply = match key.apply {
            Apply::Live => "live",
            Apply::Restart => "restart",
            Apply::Fixed => "fixed",
        };
        s.push_str(&format!(
            "| `{}` | {ty} | `{}` | {} | {apply} | {} |\n",
            key.name,
            default_text(&key.default),
            cell(&key.range_text(kind).to_string()),
            cell(key.doc),
        ));
    }
    s.push_str("\nPanels (for `panels`):\n\n");
    for p in kind.panels {
        s.push_str(&format!("- `{}`: {}\n", p.name, cell(p.doc)));
    }
    s.push_str("\nMetrics (for a predict block's `metric`, and `run --json`):\n\n");
    for m in kind.metrics {
        s.push_str(&format!("- `{}`: {}\n", m.name, cell(m.doc)));
    }
    s.push('\n');
    s
}

fn default_text(d: &DefaultValue) -> String {
    let v = d.value().to_string();
    if v.len() > 60 {
        format!("{}…", v.chars().take(57).collect::<String>())
    } else {
        v
    }
}

/// Table cells may not contain `|` or newlines.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Replaces the generated part of `doc` (between [`BEGIN`] and [`END`]).
/// `None` when the marks are missing.
pub fn with_reference(doc: &str) -> Option<String> {
    let start = doc.find(BEGIN)? + BEGIN.len();
    let end = doc[start..].find(END)? + start;
    Some(format!(
        "{}\n\n{}{}",
        &doc[..start],
        kind_reference(),
        &doc[end..]
    ))
}

/// A starter lesson for `nntutor new NAME`: every block once, valid as is.
pub fn starter(id: &str) -> String {
    let kind = KINDS.first().map_or("gaussian", |k| k.name);
    let demo = match crate::demo::kind(kind) {
        Some(k) if k.name == "gaussian" => {
            "kind = \"gaussian\"\nmean = 0.0\nstd = 0.01\nsteps = 200\nknobs = [\"std\", \"batch\"]"
                .to_string()
        }
        _ => format!("kind = \"{kind}\""),
    };
    let metric = crate::demo::kind(kind)
        .and_then(|k| k.metrics.iter().find(|m| m.name != "iteration"))
        .map_or(String::new(), |m| format!("metric = \"{}\"\n", m.name));
    let title = id.replace(['-', '_'], " ");
    format!(
        r#"+++
id = "{id}"
title = "{title}"
order = 100
summary = "One sentence on what the student will learn."
+++

## What to watch

Tell the student what the chart shows and what to look at first.

<!-- pause -->

This part appears on the next key press.

```predict
question = "What will the chart show after a few hundred samples?"
choices = ["A bell curve", "A flat line"]
answer = 1
explanation = "Samples of a Gaussian pile up around the mean."
{metric}```

```demo
{demo}
```

```hint
Change a knob with + and − and watch the chart restart.
```
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_has_a_table_row_per_key() {
        let text = kind_reference();
        for kind in KINDS {
            for key in kind.keys {
                assert!(
                    text.contains(&format!("| `{}` |", key.name)),
                    "{}",
                    key.name
                );
            }
        }
    }

    #[test]
    fn starter_passes_the_parser_without_warnings() {
        let parsed = super::super::parse::parse_str("new.md", "en", &starter("my-lesson"));
        let lesson = parsed.lesson.expect("starter parses");
        assert_eq!(lesson.id, "my-lesson");
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }
}
