//! `nntutor run`: one step's demo, headless, as text charts or JSON lines.

use std::path::PathBuf;

use clap::Args;

use super::{Failure, catalog, out, report};
use nntutor::demo::{self, Params, Status, Value, schema::choices_help};
use nntutor::headless::{self, RunInfo};
use nntutor::i18n::{Lang, Msg};
use nntutor::lesson::{Diagnostic, Lesson, value_from_str};
use nntutor::msg;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Lesson id (see `nntutor list`) or path to a lesson file.
    lesson: String,
    /// Step number, 1-based.
    #[arg(long, default_value_t = 1)]
    step: usize,
    /// Iterations to run (overrides the step's `steps`).
    #[arg(long, value_name = "K")]
    steps: Option<u64>,
    /// Random seed (overrides the step's `seed`).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Override a demo key, e.g. `--set lr=0.5 --set init=zeros`; values are
    /// TOML (a bare word is a string).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Print progress every M iterations [default: a tenth of the run].
    #[arg(long, value_name = "M")]
    every: Option<usize>,
    /// JSON lines instead of text charts.
    #[arg(long)]
    json: bool,
    /// One JSON object at the end: the lesson, step, version, seed, every
    /// parameter and the final metrics, without panels (to hand in or grade).
    #[arg(long, conflicts_with_all = ["json", "csv"])]
    metrics_only: bool,
    /// The final numbers of one panel (by id, e.g. `loss`) as CSV.
    #[arg(long, value_name = "PANEL", conflicts_with = "json")]
    csv: Option<String>,
}

pub fn run(args: &RunArgs, dirs: &[PathBuf], lang: &str) -> Result<(), Failure> {
    let ui = Lang::for_lessons(lang);
    let lesson = find_lesson(&args.lesson, dirs, lang, ui)?;
    let n = lesson.steps.len();
    if args.step == 0 || args.step > n {
        return Err(Failure::Message(msg!(
            "lesson \"{id}\" has {n} {noun}; --step must be 1 to {n}",
            id = &lesson.id,
            n,
            noun = if n == 1 { msg!("step") } else { msg!("steps") }
        )));
    }
    let step = &lesson.steps[args.step - 1];
    let Some(spec) = &step.demo else {
        return Err(Failure::Message(msg!(
            "step {n} (\"{title}\") of \"{id}\" has no demo",
            n = args.step,
            title = &step.title,
            id = &lesson.id
        )));
    };
    let params = overrides(&spec.params, args, ui)?;
    let mut demo = demo::build(&params).map_err(|e| {
        Failure::Message(msg!(
            "demo cannot run: `{key}`: {problem}",
            key = &e.key,
            problem = e.message
        ))
    })?;
    // Without a `steps` key, --steps caps the iterations instead.
    let limit = match (args.steps, params.kind().key("steps")) {
        (Some(k), None) => usize::try_from(k).unwrap_or(usize::MAX).min(demo.total()),
        _ => demo.total(),
    };
    let every = args.every.unwrap_or(limit.div_ceil(10)).max(1);
    if let Some(id) = &args.csv
        && !params.strs("panels").contains(&id.as_str())
    {
        let shown = params.strs("panels").join(", ");
        return Err(Failure::Message(msg!(
            "--csv {id}: this step shows no such panel; its panels: {shown}",
            id,
            shown
        )));
    }
    let info = RunInfo::new(&lesson.id, args.step, &params);
    let quiet = args.metrics_only || args.csv.is_some();
    let mut printed = usize::MAX;
    while demo.status() == Status::Running && demo.iteration() < limit {
        let want = (every - demo.iteration() % every).min(limit - demo.iteration());
        if demo.advance(want) == 0 {
            break;
        }
        let it = demo.iteration();
        let last = demo.status() != Status::Running || it >= limit;
        if it % every == 0 && !last && !quiet && (args.json || args.every.is_some()) {
            let snap = demo.snapshot();
            out(&if args.json {
                headless::json_line(&info, &snap)
            } else {
                headless::metrics_line(&snap)
            });
            printed = it;
        }
    }
    let snap = demo.snapshot();
    if args.metrics_only {
        out(&headless::metrics_json(&info, &snap));
    } else if let Some(id) = &args.csv {
        if let Some(p) = snap.panels.iter().find(|p| &p.id == id) {
            out(headless::panel_csv(p, ui).trim_end_matches('\n'));
        }
    } else if args.json {
        if printed != snap.iteration || printed == usize::MAX {
            out(&headless::json_line(&info, &snap));
        }
    } else {
        out(&msg!(
            "{lesson} — step {n}/{total}: {title} (kind \"{kind}\")",
            lesson = &lesson.title,
            n = args.step,
            total = n,
            title = &step.title,
            kind = &info.kind
        )
        .text(ui));
        out(&headless::render_text(&snap, ui));
    }
    Ok(())
}

/// The lesson named by an id or a path; a broken one prints its diagnostics.
fn find_lesson(name: &str, dirs: &[PathBuf], lang: &str, ui: Lang) -> Result<Lesson, Failure> {
    let path = PathBuf::from(name);
    let looks_like_path =
        name.ends_with(".md") || name.contains(std::path::MAIN_SEPARATOR) || name.contains('/');
    if path.is_dir() {
        return Err(Failure::Message(msg!(
            "{name}: is a folder, not a lesson file; use `--lessons {name} run ID` with an id from `nntutor --lessons {name} list`",
            name
        )));
    }
    // `exists` is false for a dangling link; a FIFO or device exists and is
    // refused by the catalog with a diagnostic, never read.
    if path.exists() || looks_like_path {
        if !path.exists() {
            return Err(Failure::Message(msg!("{name}: no such lesson file", name)));
        }
        let catalog = catalog(dirs, std::slice::from_ref(&path))?;
        let origin = path.display().to_string();
        let entry = catalog
            .entries
            .iter()
            .find(|e| e.origin == origin)
            .ok_or_else(|| Failure::Message(msg!("{name}: not loaded", name)))?;
        return match &entry.lesson {
            Ok(l) => Ok(l.clone()),
            Err(d) => {
                report(d, ui);
                Err(Failure::Reported)
            }
        };
    }
    let catalog = catalog(dirs, &[])?;
    match catalog.get(name, lang) {
        Some(e) => match &e.lesson {
            Ok(l) => Ok(l.clone()),
            Err(d) => {
                report(d, ui);
                Err(Failure::Reported)
            }
        },
        None => {
            let ids: Vec<&str> = catalog
                .lessons(lang)
                .iter()
                .map(|e| e.id.as_str())
                .collect();
            let help = if ids.is_empty() {
                msg!("no lessons are installed; add a folder with --lessons DIR")
            } else {
                choices_help(name, &ids, msg!("known lessons"))
            };
            Err(Failure::Message(msg!(
                "no lesson \"{name}\" ({help})",
                name,
                help
            )))
        }
    }
}

/// The step's parameters with --seed, --steps and every --set applied.
/// A bad --set prints a diagnostic pointing into the argument.
fn overrides(base: &Params, args: &RunArgs, ui: Lang) -> Result<Params, Failure> {
    let kind = base.kind();
    let mut params = base.clone();
    if let Some(seed) = args.seed
        && kind.key("seed").is_some()
    {
        params = params
            .with("seed", Value::Int(i64::try_from(seed).unwrap_or(i64::MAX)))
            .map_err(|e| Failure::Message(option_error("--seed", e.message)))?;
    }
    if let Some(k) = args.steps
        && kind.key("steps").is_some()
    {
        params = params
            .with("steps", Value::Int(i64::try_from(k).unwrap_or(i64::MAX)))
            .map_err(|e| Failure::Message(option_error("--steps", e.message)))?;
    }
    for arg in &args.set {
        params = apply_set(&params, arg, ui)?;
    }
    Ok(params)
}

/// "--seed: …": a command-line option's value refused by the schema.
fn option_error(option: &str, problem: Msg) -> Msg {
    msg!("{option}: {problem}", option, problem)
}

/// Applies one `key=value`; errors are shown like a lesson diagnostic with
/// the argument as the source line.
fn apply_set(params: &Params, arg: &str, ui: Lang) -> Result<Params, Failure> {
    let kind = params.kind();
    let fail = |col: usize, width: usize, message: Msg, help: Option<Msg>| {
        let d = Diagnostic::error("--set", 1, col, message)
            .with_source(arg, width)
            .with_help_opt(help);
        report([&d], ui);
        Failure::Reported
    };
    let example = || Some(msg!("e.g. --set lr=0.5"));
    let Some((key, raw)) = arg.split_once('=') else {
        return Err(fail(
            1,
            arg.chars().count(),
            msg!("`{arg}` is not of the form key=value", arg),
            example(),
        ));
    };
    let (key, value_col) = (key.trim(), key.chars().count() + 2);
    if key.is_empty() {
        return Err(fail(
            1,
            1,
            msg!("`{arg}` has no key before `=`", arg),
            example(),
        ));
    }
    let value_width = raw.chars().count();
    if key == "kind" {
        return Err(fail(
            1,
            4,
            msg!("the kind of a step's demo cannot be changed"),
            None,
        ));
    }
    let Some(_) = kind.key(key) else {
        let names: Vec<&str> = kind.keys.iter().map(|k| k.name).collect();
        return Err(fail(
            1,
            key.chars().count(),
            msg!(
                "unknown key `{name}` for kind \"{kind}\"",
                name = key,
                kind = kind.name
            ),
            Some(choices_help(key, &names, msg!("valid keys"))),
        ));
    };
    let value = value_from_str(raw.trim());
    let value = value.map_err(|t| {
        fail(
            value_col,
            value_width,
            msg!("`{key}` cannot be {found}", key, found = t),
            None,
        )
    })?;
    params
        .with(key, value)
        .map_err(|e| fail(value_col, value_width, e.message, e.help))
}
