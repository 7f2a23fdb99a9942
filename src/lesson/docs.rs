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

/// A starter lesson that is coherent from the first `check`: one step on
/// the 3-sigma rule whose prose describes its gaussian demo's charts, whose
/// question is settled by a metric the kind reports, whose hint names a
/// knob the demo offers, and whose expect block proves the quoted number.
/// `order` is the file name's number prefix (`07-…` → 7), else 100.
pub fn starter(id: &str, title: &str, order: i64) -> String {
    format!(
        r#"+++
id = "{id}"
title = "{title}"
order = {order}
summary = "Where random weights land: the 3-sigma rule."
+++

## Weights from a Gaussian

Every weight starts as a draw from a normal distribution N(0, σ²), here
with σ = 0.01. The **histogram** chart fills in as the draws come; the
**coverage** chart shows the share of draws within 1, 2 and 3 σ of the mean
next to the exact values (dashed).

```predict
question = "What share of the draws lands within 3σ of the mean?"
choices = ["about 68 %", "about 95 %", "about 99.7 %"]
answer = 3
explanation = "For a Gaussian, 99.73 % of the mass lies within 3σ."
metric = "coverage_3sigma"
```

<!-- pause -->

About **99.7 %** of the draws land within 3σ: the 3-sigma rule.

```demo
kind = "gaussian"
mean = 0.0
std = 0.01
steps = 200
knobs = ["std", "batch"]
```

```expect
coverage_3sigma ≈ 0.9973 ± 0.003
```

```hint
Turn the `std` knob: the histogram widens or narrows, but the shares within
1, 2 and 3 σ stay the same.
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
        let parsed =
            super::super::parse::parse_str("new.md", "en", &starter("my-lesson", "My lesson", 7));
        let lesson = parsed.lesson.expect("starter parses");
        assert_eq!((lesson.id.as_str(), lesson.order), ("my-lesson", 7));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        // Coherent: the predict's metric, the hint's knob and the claim
        // belong to the demo.
        let step = &lesson.steps[0];
        let demo = step.demo.as_ref().unwrap();
        assert!(
            demo.knobs
                .iter()
                .any(|k| step.hints[0].contains(&format!("`{k}`")))
        );
        let outcomes = super::super::expect::verify(demo, step.expect.as_ref().unwrap()).unwrap();
        assert!(outcomes.iter().all(|o| o.passes(1.0)), "{outcomes:?}");
    }
}
