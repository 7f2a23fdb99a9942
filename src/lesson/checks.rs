//! Checks across a lesson and beyond its own text: translation drift
//! against the English original, and building every demo.

use super::source::Source;
use super::{Answer, Diagnostic, Lesson, Number, Step};
use crate::demo;
use crate::i18n::Msg;
use crate::msg;

/// The first way `translated` differs from its `original` in what must not
/// be translated: step count, demo kinds and parameters, knobs, pause
/// segments, predict blocks (presence, form, choice count, answer and
/// tolerance, metric) and hint count. Reported on the translated file.
pub fn drift(
    original: &Lesson,
    original_path: &str,
    translated: &Lesson,
    src: &Source,
) -> Option<Diagnostic> {
    let help = msg!(
        "a translation keeps its original's steps, pauses, demo blocks, knobs, predict answers and hints exactly; compare with {path}",
        path = original_path
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
                msg!("translation has {m} steps; the original has {n}", m, n),
            )
            .with_help(help),
        );
    }
    let heads: Vec<usize> = translated.steps.iter().map(|s| s.line).collect();
    for (i, (o, t)) in original.steps.iter().zip(&translated.steps).enumerate() {
        let end = heads.get(i + 1).map_or(src.line_count() + 1, |&l| l);
        if let Some((line, message)) = step_drift(i + 1, o, t, src, end) {
            return Some(src.error_line(line, message).with_help(help.clone()));
        }
    }
    None
}

/// The first difference between one step and its translation, as the line
/// to report it at and the message. `end` is the line after the translated
/// step's last one.
fn step_drift(n: usize, o: &Step, t: &Step, src: &Source, end: usize) -> Option<(usize, Msg)> {
    match (&o.demo, &t.demo) {
        (None, None) => {}
        (Some(_), None) => {
            return Some((
                t.line,
                msg!("step {n} has no demo; the original's has one", n),
            ));
        }
        (None, Some(td)) => {
            return Some((
                td.line,
                msg!("step {n} has a demo; the original's has none", n),
            ));
        }
        (Some(od), Some(td)) => {
            if od.kind.name != td.kind.name {
                let message = msg!(
                    "step {n}'s demo is kind \"{kind}\"; the original's is \"{original}\"",
                    n,
                    kind = td.kind.name,
                    original = od.kind.name
                );
                return Some((td.line, message));
            }
            let differs = od
                .params
                .iter()
                .zip(td.params.iter())
                .find(|((_, a), (_, b))| a != b);
            if let Some(((key, a), (_, b))) = differs {
                return Some((
                    key_line(src, td.line, key),
                    msg!(
                        "step {n}'s demo sets `{key}` = {value}; the original sets {original}",
                        n,
                        key = key.to_string(),
                        value = b.to_string(),
                        original = a.to_string()
                    ),
                ));
            }
            // Labels may be translated; what each run sets may not.
            let sets = |p: &crate::demo::Params| -> Vec<String> {
                p.runs()
                    .iter()
                    .map(|r| {
                        let set: Vec<String> =
                            r.set.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                        set.join(", ")
                    })
                    .collect()
            };
            let (runs, original) = (sets(&td.params), sets(&od.params));
            if runs != original {
                let message = msg!(
                    "step {n}'s runs set [{runs}]; the original's set [{original}]",
                    n,
                    runs = runs.join("; "),
                    original = original.join("; ")
                );
                return Some((td.line, message));
            }
            if od.knobs != td.knobs {
                let message = msg!(
                    "step {n}'s knobs are [{knobs}]; the original's are [{original}]",
                    n,
                    knobs = td.knobs.join(", "),
                    original = od.knobs.join(", ")
                );
                return Some((td.line, message));
            }
        }
    }
    let (a, b) = (o.segments.len(), t.segments.len());
    if a != b {
        let message = msg!(
            "step {n} has {b} pause-separated segments; the original's has {a} (`<!-- pause -->` markers are kept in a translation)",
            n,
            b,
            a
        );
        return Some((t.line, message));
    }
    let predict_at = fences(src, t.line, end, "predict").first().copied();
    match (&o.predict, &t.predict) {
        (None, None) => {}
        (Some(_), None) => {
            return Some((
                t.line,
                msg!("step {n} has no predict block; the original's has one", n),
            ));
        }
        (None, Some(_)) => {
            let message = msg!("step {n} has a predict block; the original's has none", n);
            return Some((predict_at.unwrap_or(t.line), message));
        }
        (Some(op), Some(tp)) => {
            let at = predict_at.unwrap_or(t.line);
            if let Some(message) = answer_drift(n, &op.answer, &tp.answer) {
                let key = match (&op.answer, &tp.answer) {
                    (Answer::Choice { choices: a, .. }, Answer::Choice { choices: b, .. })
                        if a.len() != b.len() =>
                    {
                        "choices"
                    }
                    (Answer::Number(a), Answer::Number(b)) if a.value == b.value => "tolerance",
                    _ => "answer",
                };
                return Some((key_line(src, at, key), message));
            }
            if op.metric != tp.metric {
                let show = |m: &Option<String>| match m {
                    Some(m) => Msg::verbatim(format!("\"{m}\"")),
                    None => msg!("no metric"),
                };
                let message = msg!(
                    "step {n}'s predict is settled by {metric}; the original's by {original}",
                    n,
                    metric = show(&tp.metric),
                    original = show(&op.metric)
                );
                return Some((key_line(src, at, "metric"), message));
            }
        }
    }
    // Claims are numbers about the demo: a translation states the same ones.
    fn claims(s: &Step) -> Option<(Vec<&str>, usize, u64)> {
        s.expect.as_ref().map(|e| {
            let c: Vec<&str> = e.claims.iter().map(|c| c.text.as_str()).collect();
            (c, e.seeds, e.hold.to_bits())
        })
    }
    if claims(o) != claims(t) {
        let at = fences(src, t.line, end, "expect").first().copied();
        let message = msg!(
            "step {n}'s expect block differs from the original's; claims are copied, not translated",
            n
        );
        return Some((at.unwrap_or(t.line), message));
    }
    let (a, b) = (o.hints.len(), t.hints.len());
    if a != b {
        let hints = fences(src, t.line, end, "hint");
        let line = if b > a { hints.get(a).copied() } else { None };
        let message = msg!("step {n} has {b} hints; the original's has {a}", n, b, a);
        return Some((line.unwrap_or(t.line), message));
    }
    None
}

/// Lines in `from..to` that open a fenced block with info string `info`.
fn fences(src: &Source, from: usize, to: usize, info: &str) -> Vec<usize> {
    let mut open = false;
    let mut found = Vec::new();
    for l in from..to.min(src.line_count() + 1) {
        let t = src.line_text(l).trim();
        let Some(rest) = t.strip_prefix("```").or_else(|| t.strip_prefix("~~~")) else {
            continue;
        };
        if !open && rest.trim() == info {
            found.push(l);
        }
        open = !open;
    }
    found
}

/// How a translation's answer differs from its original's, if it does:
/// the form, the number of choices, the right choice, or the number and
/// its tolerance (copied exactly, like claims).
fn answer_drift(n: usize, original: &Answer, translated: &Answer) -> Option<Msg> {
    let form = |a: &Answer| match a {
        Answer::Choice { .. } => msg!("a choice"),
        Answer::Number(_) => msg!("a number"),
    };
    match (original, translated) {
        (
            Answer::Choice {
                choices: oc,
                right: or,
            },
            Answer::Choice {
                choices: tc,
                right: tr,
            },
        ) => {
            if oc.len() != tc.len() {
                Some(msg!(
                    "step {n}'s predict has {count} choices; the original's has {original}",
                    n,
                    count = tc.len(),
                    original = oc.len()
                ))
            } else if or != tr {
                Some(msg!(
                    "step {n}'s predict sets `answer` = {answer}; the original sets {original}",
                    n,
                    answer = tr + 1,
                    original = or + 1
                ))
            } else {
                None
            }
        }
        (Answer::Number(o), Answer::Number(t)) => {
            if o.value != t.value {
                Some(msg!(
                    "step {n}'s predict sets `answer` = {answer}; the original sets {original}",
                    n,
                    answer = &t.text,
                    original = &o.text
                ))
            } else if o.tolerance != t.tolerance {
                let pm = |x: &Number| x.show("±");
                Some(msg!(
                    "step {n}'s predict accepts {answer}; the original accepts {original}",
                    n,
                    answer = pm(t),
                    original = pm(o)
                ))
            } else {
                None
            }
        }
        (o, t) => Some(msg!(
            "step {n}'s predict asks for {form}; the original's for {original}",
            n,
            form = form(t),
            original = form(o)
        )),
    }
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
            let message = msg!(
                "demo cannot run: `{key}`: {problem}",
                key = &e.key,
                problem = e.message
            );
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
    use crate::lesson::DemoSpec;

    fn refuse(_: &Params) -> Result<Box<dyn Demo>, ParamError> {
        Err(ParamError::new("layers", msg!("1 input")))
    }

    /// A kind whose build always fails, as `train` does for mismatched layers.
    static REFUSING: KindSpec = KindSpec {
        name: "refusing",
        summary: "",
        keys: &[],
        metrics: &[],
        panels: &[],
        build: refuse,
        check: crate::demo::schema::accept,
        check_step: crate::demo::schema::accept,
    };

    #[test]
    fn build_errors_point_at_the_demo_fence() {
        let text = "+++\n\n## S\n\n```demo\nkind = \"refusing\"\n```\n";
        let lesson = Lesson {
            id: "x".into(),
            title: "x".into(),
            order: 1,
            summary: None,
            run_seconds: None,
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
                expect: None,
                line: 3,
            }],
        };
        let d = build_all(&lesson, Some(text));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (5, 1));
        assert!(
            d[0].message.to_string().ends_with("`layers`: 1 input"),
            "{}",
            d[0]
        );
        assert_eq!(d[0].source_line.as_deref(), Some("```demo"));
    }
}
