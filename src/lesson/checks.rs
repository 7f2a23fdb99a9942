//! Checks across a lesson and beyond its own text: translation drift
//! against the English original, and building every demo.

use super::source::Source;
use super::{Diagnostic, Lesson};
use crate::demo;

/// The first way `translated` differs from its `original` in what must not
/// be translated: step count, demo kinds and parameters, knobs. Reported on
/// the translated file.
pub fn drift(
    original: &Lesson,
    original_path: &str,
    translated: &Lesson,
    src: &Source,
) -> Option<Diagnostic> {
    let help = format!(
        "a translation keeps its original's steps, demo blocks and knobs exactly; compare with {original_path}"
    );
    let (n, m) = (original.steps.len(), translated.steps.len());
    if n != m {
        let line = translated
            .steps
            .get(n)
            .or(translated.steps.last())
            .map_or(1, |s| s.line);
        return Some(
            src.error_line(
                line,
                format!("translation has {m} steps; the original has {n}"),
            )
            .with_help(help),
        );
    }
    for (i, (o, t)) in original.steps.iter().zip(&translated.steps).enumerate() {
        let at = |line: usize, message: String| {
            Some(src.error_line(line, message).with_help(help.clone()))
        };
        match (&o.demo, &t.demo) {
            (None, None) => {}
            (Some(_), None) => {
                return at(
                    t.line,
                    format!("step {} has no demo; the original's has one", i + 1),
                );
            }
            (None, Some(td)) => {
                return at(
                    td.line,
                    format!("step {} has a demo; the original's has none", i + 1),
                );
            }
            (Some(od), Some(td)) => {
                if od.kind.name != td.kind.name {
                    return at(
                        td.line,
                        format!(
                            "step {}'s demo is kind \"{}\"; the original's is \"{}\"",
                            i + 1,
                            td.kind.name,
                            od.kind.name
                        ),
                    );
                }
                let differs = od
                    .params
                    .iter()
                    .zip(td.params.iter())
                    .find(|((_, a), (_, b))| a != b);
                if let Some(((key, a), (_, b))) = differs {
                    return at(
                        key_line(src, td.line, key),
                        format!(
                            "step {}'s demo sets `{key}` = {b}; the original sets {a}",
                            i + 1
                        ),
                    );
                }
                if od.knobs != td.knobs {
                    return at(
                        td.line,
                        format!(
                            "step {}'s knobs are [{}]; the original's are [{}]",
                            i + 1,
                            td.knobs.join(", "),
                            od.knobs.join(", ")
                        ),
                    );
                }
            }
        }
    }
    None
}

/// The line of `key = …` inside the demo block opening at `fence`, or the
/// fence itself when the key is left at its default.
fn key_line(src: &Source, fence: usize, key: &str) -> usize {
    (fence + 1..=src.line_count())
        .map(|l| (l, src.line_text(l).trim_start()))
        .take_while(|(_, t)| !t.starts_with("```") && !t.starts_with("~~~"))
        .find(|(_, t)| {
            t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(fence, |(l, _)| l)
}

/// Builds every step's demo, reporting the cross-key problems a schema
/// cannot see (e.g. `layers` against the data set) at the demo's fence.
/// Building allocates the experiment, so this runs in `check`, not on every
/// catalog load.
pub fn build_all(lesson: &Lesson, text: Option<&str>) -> Vec<Diagnostic> {
    let src = Source::new(&lesson.origin, text.unwrap_or(""));
    lesson
        .steps
        .iter()
        .filter_map(|s| s.demo.as_ref())
        .filter_map(|d| {
            let e = demo::build(&d.params).err()?;
            let message = format!("demo cannot run: `{}`: {}", e.key, e.message);
            let diag = if text.is_some() {
                src.error_line(d.line, message)
            } else {
                Diagnostic::error(&lesson.origin, d.line, 1, message)
            };
            Some(diag.with_help_opt(e.help))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{Demo, KindSpec, ParamError, Params};
    use crate::lesson::{DemoSpec, Step};

    fn refuse(_: &Params) -> Result<Box<dyn Demo>, ParamError> {
        Err(ParamError::new(
            "layers",
            "first layer must be 1 for dataset \"sine\"",
        ))
    }

    /// A kind whose build always fails, as `train` does for mismatched layers.
    static REFUSING: KindSpec = KindSpec {
        name: "refusing",
        summary: "",
        keys: &[],
        metrics: &[],
        panels: &[],
        build: refuse,
    };

    #[test]
    fn build_errors_point_at_the_demo_fence() {
        let text = "+++\n\n## S\n\n```demo\nkind = \"refusing\"\n```\n";
        let lesson = Lesson {
            id: "x".into(),
            title: "x".into(),
            order: 1,
            summary: None,
            lang: "en".into(),
            origin: "x.md".into(),
            steps: vec![Step {
                title: "S".into(),
                segments: vec![String::new()],
                demo: Some(DemoSpec {
                    kind: &REFUSING,
                    params: REFUSING.validate(&[]).unwrap(),
                    knobs: vec![],
                    line: 5,
                }),
                predict: None,
                hints: vec![],
                line: 3,
            }],
        };
        let d = build_all(&lesson, Some(text));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (5, 1));
        assert!(
            d[0].message.contains("`layers`: first layer must be 1"),
            "{}",
            d[0]
        );
        assert_eq!(d[0].source_line.as_deref(), Some("```demo"));
    }
}
