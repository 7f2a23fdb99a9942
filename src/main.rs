//! `nntutor`: the tutor in the terminal (default), the free playground
//! (`play`), or `list`, `check`, `run` and `new` for instructors, pipes and CI.
//!
//! Exit codes: 0 success, 1 invalid input (a bad lesson, value or id), 2 a
//! usage error (from clap). A panic is a bug: the hook says so and exits 1.

mod cli;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use nntutor::i18n::Lang;
use nntutor::msg;

#[derive(Parser, Debug)]
#[command(
    name = "nntutor",
    version,
    propagate_version = true,
    about = "Why neural networks are initialized and regularized the way they are: live lessons in the terminal"
)]
struct Cli {
    /// A lesson file to open directly.
    file: Option<PathBuf>,
    /// A folder of lessons to add (repeatable); a lesson with the same id
    /// and language replaces the built-in one.
    #[arg(long = "lessons", value_name = "DIR", global = true)]
    lessons: Vec<PathBuf>,
    /// Language of lessons and interface: any language with a lessons
    /// folder (en, zh, …) [default: from LC_ALL / LANG, else en].
    #[arg(long, value_parser = lang_code, global = true)]
    lang: Option<String>,
    /// Do not read or write the progress file.
    #[arg(long)]
    no_save: bool,
    /// Colour theme.
    #[arg(long, value_enum, default_value_t = Theme::Dark)]
    theme: Theme,
    /// When to use colour; `auto` follows NO_COLOR, CLICOLOR_FORCE, TERM=dumb
    /// and whether the output is a terminal.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Open the free playground: TF Playground in the terminal.
    ///
    /// Pick the data set, input features, layers and widths, activation,
    /// optimizer, learning rate, regularization, dropout and batch size, and
    /// watch the decision boundary, the first hidden layer's units and the
    /// loss live. `s` saves the configuration as a lesson file in the
    /// current folder (nntutor-playground-N.md, never overwriting one). Also
    /// `p` on the lesson list.
    Play,
    /// List the lessons.
    List {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Validate lesson files or folders (none: the built-in lessons).
    /// Exit 0 when all are valid, 1 otherwise; warnings do not fail.
    Check {
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Also run every demo that has an ```expect block or a numeric
        /// ```predict answer and prove them (what `nntutor test` does).
        #[arg(long)]
        run: bool,
    },
    /// Check lesson files and prove every ```expect claim and numeric
    /// predicted answer by running the demos headless (`check --run`).
    /// Exit 0 when all hold.
    Test {
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Run one step's demo without the terminal UI and print its charts
    /// and metrics (or JSON lines).
    Run(cli::run::RunArgs),
    /// Check a student's `run --metrics-only` output: run the same lesson,
    /// step and parameters again and compare every metric. Exit 0 when they
    /// all match, 1 otherwise.
    Grade {
        /// The handed-in output (JSON; the last JSON line is used).
        file: PathBuf,
    },
    /// Show the saved progress: per lesson the step reached, steps seen and
    /// predictions right (`--json`: the progress file's contents).
    #[cfg(feature = "tui")]
    Progress {
        #[arg(long)]
        json: bool,
    },
    /// Write a starter lesson file that passes `check`.
    New {
        /// Lesson id (or a path ending in .md).
        name: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff); `nntutor man | man -l -` reads it.
    Man,
    /// Print the generated per-kind reference of docs/lesson-format.md.
    #[command(hide = true)]
    Docs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Theme {
    Dark,
    Light,
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        cli::err(&format!(
            "nntutor: internal error (this is a bug; please report it): {info}"
        ));
        std::process::exit(1);
    }));
    let args = Cli::parse();
    cli::set_color(match args.color {
        Color::Auto => nntutor::color::ColorChoice::Auto,
        Color::Always => nntutor::color::ColorChoice::Always,
        Color::Never => nntutor::color::ColorChoice::Never,
    });
    // Messages before the lesson language is settled follow --lang or the locale.
    let ui = Lang::for_lessons(
        &args
            .lang
            .clone()
            .unwrap_or_else(|| lang_from_env(&["en".into(), "zh".into()])),
    );
    let result = resolve_lang(&args).and_then(|lang| run(args, lang));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::Failure::Reported) => ExitCode::from(1),
        Err(cli::Failure::Message(m)) => {
            cli::err(&format!("nntutor: {}", m.text(ui)));
            ExitCode::from(1)
        }
    }
}

fn run(args: Cli, lang: String) -> Result<(), cli::Failure> {
    match args.command {
        Some(Command::List { json }) => cli::check::list(&args.lessons, &lang, json),
        Some(Command::Check { paths, run }) => cli::check::check(&paths, &args.lessons, &lang, run),
        Some(Command::Test { paths }) => cli::check::check(&paths, &args.lessons, &lang, true),
        Some(Command::Run(run)) => cli::run::run(&run, &args.lessons, &lang),
        Some(Command::New { name }) => cli::check::new_lesson(&name, &lang),
        Some(Command::Grade { file }) => cli::grade::grade(&file, &args.lessons, &lang),
        #[cfg(feature = "tui")]
        Some(Command::Progress { json }) => cli::check::progress(&args.lessons, &lang, json),
        Some(Command::Completions { shell }) => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "nntutor", &mut buf);
            cli::out(String::from_utf8_lossy(&buf).trim_end_matches('\n'));
            Ok(())
        }
        Some(Command::Man) => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| cli::Failure::Message(nntutor::i18n::Msg::verbatim(e.to_string())))?;
            cli::out(String::from_utf8_lossy(&buf).trim_end_matches('\n'));
            Ok(())
        }
        Some(Command::Docs) => {
            cli::out(nntutor::lesson::docs::kind_reference().trim_end_matches('\n'));
            Ok(())
        }
        Some(Command::Play) => tui(None, args.lessons, lang, args.no_save, args.theme, true),
        None => tui(
            args.file,
            args.lessons,
            lang,
            args.no_save,
            args.theme,
            false,
        ),
    }
}

/// Checks the shape of a `--lang` value (a folder name such as `zh` or
/// `pt-br`); whether lessons exist in it is known only after loading.
fn lang_code(s: &str) -> Result<String, String> {
    let code = s.to_ascii_lowercase();
    let mut parts = code.split('-');
    let base_ok = parts
        .next()
        .is_some_and(|b| (2..=3).contains(&b.len()) && b.bytes().all(|c| c.is_ascii_lowercase()));
    if base_ok && parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric())) {
        Ok(code)
    } else {
        Err("expected a language code such as `en`, `zh` or `pt-br`".into())
    }
}

/// The language to use: `--lang` if lessons exist in it (else exit 1 with
/// the available ones), else the locale's language if there is a folder
/// for it, else English. `check` reads every language, so it takes any.
fn resolve_lang(args: &Cli) -> Result<String, cli::Failure> {
    if matches!(
        args.command,
        Some(
            Command::Check { .. }
                | Command::Test { .. }
                | Command::New { .. }
                | Command::Docs
                | Command::Completions { .. }
                | Command::Man
                | Command::Grade { .. }
        )
    ) {
        let known = ["en".to_string(), "zh".to_string()];
        return Ok(args.lang.clone().unwrap_or_else(|| lang_from_env(&known)));
    }
    let files: Vec<PathBuf> = args.file.iter().cloned().collect();
    let available = nntutor::lesson::Catalog::load(&args.lessons, &files).languages();
    match &args.lang {
        Some(l) if available.contains(l) => Ok(l.clone()),
        Some(l) => Err(cli::Failure::Message(msg!(
            "--lang {code}: no lessons in that language; available: {list}",
            code = l,
            list = available.join(", ")
        ))),
        None => Ok(lang_from_env(&available)),
    }
}

/// The locale's language (LC_ALL, then LC_MESSAGES, then LANG) when a
/// lessons folder exists for it (`pt_BR` tries `pt-br`, then `pt`), else `en`.
fn lang_from_env(available: &[String]) -> String {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let tag = locale
        .split(['.', '@'])
        .next()
        .unwrap_or("")
        .replace('_', "-");
    let base = tag.split('-').next().unwrap_or("").to_string();
    [tag, base]
        .into_iter()
        .find(|c| available.contains(c))
        .unwrap_or_else(|| "en".into())
}

/// Starts the terminal UI, or says why it cannot.
fn tui(
    file: Option<PathBuf>,
    dirs: Vec<PathBuf>,
    lang: String,
    no_save: bool,
    theme: Theme,
    play: bool,
) -> Result<(), cli::Failure> {
    if let Some(f) = file.as_ref().filter(|f| !f.is_file()) {
        let name = f.display().to_string();
        // `nntutor lsit` is a typo for a command more often than a file.
        let commands: Vec<String> = Cli::command()
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| c.get_name().to_string())
            .collect();
        let near = commands
            .iter()
            .filter(|c| strsim::damerau_levenshtein(&name, c) <= 2)
            .min_by_key(|c| strsim::damerau_levenshtein(&name, c));
        return Err(cli::Failure::Message(match near {
            Some(command) => msg!(
                "{name}: no such lesson file; did you mean the command `{command}`?",
                name,
                command
            ),
            None => msg!("{name}: no such lesson file", name),
        }));
    }
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(cli::Failure::Message(msg!(
            "the tutor needs a terminal, but stdin or stdout is not one; for plain-text output use `nntutor run LESSON` (see `nntutor list`)"
        )));
    }
    #[cfg(feature = "tui")]
    {
        let files: Vec<PathBuf> = file.iter().cloned().collect();
        let catalog = nntutor::lesson::Catalog::load(&dirs, &files);
        let open = file.as_ref().and_then(|f| {
            let origin = f.display().to_string();
            catalog
                .entries
                .iter()
                .find(|e| e.origin == origin)
                .map(|e| e.id.clone())
        });
        let reload: nntutor::tui::Reloader = {
            let (dirs, files) = (dirs.clone(), files.clone());
            std::sync::Arc::new(move || nntutor::lesson::Catalog::load(&dirs, &files))
        };
        let mut watch = dirs;
        watch.extend(files);
        let options = nntutor::tui::TuiOptions {
            catalog,
            lang,
            open,
            play,
            watch,
            no_save,
            theme: match theme {
                Theme::Dark => "dark".into(),
                Theme::Light => "light".into(),
            },
            color: nntutor::color::from_env(cli::color(), true),
            reload: Some(reload),
            progress_path: None,
        };
        nntutor::tui::run(options).map_err(|e| {
            cli::Failure::Message(msg!(
                "{error}; for plain-text output use `nntutor run LESSON`",
                error = format!("{e:#}")
            ))
        })
    }
    #[cfg(not(feature = "tui"))]
    {
        let _ = (file, dirs, lang, no_save, theme, play);
        Err(cli::Failure::Message(msg!(
            "this build has no terminal UI (built without the `tui` feature); use `nntutor run LESSON` for plain-text output"
        )))
    }
}
