//! Property test of the parser, the validator and the demo builders on
//! hostile input: no panic, every input handled in bounded time, and no
//! input makes the program allocate more than [`MAX_ALLOC`] at once.
//!
//! `cargo test` runs 256 cases; `NNTUTOR_FUZZ_CASES=200000 cargo test
//! --release --test fuzz` runs a long campaign (see docs/lesson-format.md).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use nntutor::demo;
use nntutor::lesson::{Answer, parse_bytes, value_from_str};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Counts live heap bytes and their high-water mark, so a demo that would
/// allocate gigabytes for an in-range value fails the test instead of the
/// machine.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: defers every call to `System`, only counting sizes on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Most heap one input may add at its peak. The kinds' own guards cap a
/// `train` step near 256 MB of buffers whatever its runs, and a `depth`
/// run at 64 MB (8 runs: 512 MB), plus the parser's copies. More is a
/// guard that failed.
const MAX_ALLOC: usize = 640 << 20;

/// `key = value` lines for every kind, each in range, at an edge, or just
/// outside it, so structured inputs reach every builder.
const KEY_LINES: &[&str] = &[
    "steps = 3\n",
    "steps = 1\n",
    "seed = 0\n",
    "seed = 9223372036854775807\n",
    "samples = 5000\n",
    "samples = 10000\n",
    "samples = 4\n",
    "test_samples = 10000\n",
    "layers = [1, 1024, 1]\n",
    "layers = [1, 1024, 1024, 1024, 1024, 1024, 1024, 1]\n",
    "layers = [2, 64, 2]\n",
    "layers = [20, 8, 1]\n",
    "layers = 50\n",
    "width = 1024\n",
    "width = 1\n",
    "dataset = \"spirals\"\n",
    "dataset = \"sparse\"\n",
    "dataset = \"sine-poly\"\n",
    "features = 200\n",
    "relevant = 200\n",
    "lr = 100\n",
    "init_scale = 100\n",
    "init = \"zeros\"\n",
    "init = \"kaiming-normal\"\n",
    "activation = \"relu\"\n",
    "keep_prob = 1e-300\n",
    "keep_prob = 1\n",
    "l1 = 10\n",
    "l2 = 10\n",
    "degree = 20\n",
    "max_degree = 20\n",
    "datasets = 2000\n",
    "noise = 5\n",
    "inputs = 10000\n",
    "batch = 100000\n",
    "batch = 1000\n",
    "std = 10\n",
    "std = 5e-324\n",
    "mean = -10\n",
    "bins = 200\n",
    "stretch = 20\n",
    "angle = -180\n",
    "max_lambda = 100\n",
    "lambda = 100\n",
    "w1_star = -10\n",
    "mode = \"unscaled\"\n",
    "panels = []\n",
    "knobs = [\"steps\"]\n",
];

/// What may end a structured block: nothing, a sweep, `[[run]]` tables
/// (last, since every key below a `[[run]]` line is the run's), and the
/// panel that compares runs.
const TAILS: &[&str] = &[
    "",
    "",
    "sweep.seed = [1, 2, 3, 4, 5, 6, 7, 8]\n",
    "sweep.steps = [1, 2]\n",
    "panels = [\"diff\"]\nsweep.lr = [0.1, 0.2]\n",
    "panels = [\"diff\"]\n",
    "\n[[run]]\nlr = 0.5\n\n[[run]]\nlayers = [1, 8, 1]\n",
    "\n[[run]]\nl2_mode = \"coupled\"\n\n[[run]]\nl2_mode = \"decoupled\"\nl2 = 10\n",
];

/// A well-formed lesson whose one demo block is a random kind with random
/// key lines: most pass the parser, so the validator and `build` see them.
fn structured() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(demo::kind_names()),
        prop::collection::vec(prop::sample::select(KEY_LINES), 0..6),
        prop::sample::select(TAILS),
    )
        .prop_map(|(kind, lines, tail)| {
            format!(
                "+++\nid = \"f\"\ntitle = \"f\"\norder = 1\n+++\n\n## S\n\nWords.\n\n```demo\nkind = \"{kind}\"\n{}{tail}```\n",
                lines.concat()
            )
            .into_bytes()
        })
}

/// A valid lesson the mutations start from: every block kind once.
const SEED: &str = include_str!("fixtures/good/en/three-sigma.md");

/// Fragments that steer random text toward the parser's interesting paths.
const TOKENS: &[&str] = &[
    "+++\n",
    "## ",
    "## Step\n",
    "```demo\n",
    "```predict\n",
    "```hint\n",
    "```\n",
    "~~~\n",
    "<!-- pause -->\n",
    "kind = \"gaussian\"\n",
    "kind = ",
    "std = ",
    "steps = ",
    "knobs = [",
    "panels = [\"histogram\"]\n",
    "id = \"x\"\n",
    "title = \"t\"\n",
    "order = 1\n",
    "answer = ",
    "tolerance = ",
    "\"5%\"",
    "choices = [\"a\", \"b\"]\n",
    "question = \"q\"\n",
    "explanation = \"e\"\n",
    "metric = \"std\"\n",
    "= ",
    "\"",
    "[",
    "]",
    "{",
    "}",
    "[[",
    "]]",
    "\n",
    "\r\n",
    "1e400",
    "-0.0",
    "nan",
    "inf",
    "9223372036854775808",
    "0x7f",
    "1_000",
    "true",
    "1979-05-27T07:32:00Z",
    "\u{feff}",
    "权重",
    "\u{0}",
    "'''",
    "\"\"\"",
    "\\u00e9",
    "#",
    " ",
    "\t",
];

fn lesson_like() -> impl Strategy<Value = Vec<u8>> {
    let tokens = prop::collection::vec(prop::sample::select(TOKENS), 0..120)
        .prop_map(|t| t.concat().into_bytes());
    let mutated = (prop::collection::vec(
        (any::<prop::sample::Index>(), any::<u8>(), 0u8..4),
        0..12,
    ),)
        .prop_map(|(edits,)| {
            let mut bytes = SEED.as_bytes().to_vec();
            for (at, byte, op) in edits {
                let i = at.index(bytes.len() + 1);
                match op {
                    0 => bytes.insert(i, byte),
                    1 if i < bytes.len() => {
                        bytes.remove(i);
                    }
                    2 if i < bytes.len() => bytes[i] = byte,
                    _ => {
                        // Duplicate a slice: repeated blocks and headings.
                        let j = (i + usize::from(byte)).min(bytes.len());
                        let chunk = bytes[i..j].to_vec();
                        bytes.splice(i..i, chunk);
                    }
                }
            }
            bytes
        });
    let raw = prop::collection::vec(any::<u8>(), 0..600);
    prop_oneof![3 => mutated, 3 => tokens, 1 => raw, 3 => structured()]
}

#[test]
fn parser_never_panics_and_stays_fast() {
    let cases = std::env::var("NNTUTOR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let started = Instant::now();
    let slowest = std::cell::Cell::new(Duration::ZERO);
    let valid = std::cell::Cell::new(0u32);
    let (built, refused) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let heaviest = std::cell::Cell::new(0usize);
    let slowest_build = std::cell::Cell::new(Duration::ZERO);
    runner
        .run(&lesson_like(), |bytes| {
            let t = Instant::now();
            let base = LIVE.load(Ordering::Relaxed);
            PEAK.store(base, Ordering::Relaxed);
            let parsed = parse_bytes("fuzz.md", "en", &bytes);
            let parse_took = t.elapsed();
            // Inputs are at most a few KB: a parse near a second is a hang
            // or a quadratic blow-up, not noise.
            prop_assert!(
                parse_took < Duration::from_secs(1),
                "parse took {parse_took:?}"
            );
            slowest.set(slowest.get().max(parse_took));
            let t = Instant::now();
            if let Ok(lesson) = &parsed.lesson {
                valid.set(valid.get() + 1);
                // Everything a valid lesson hands on must be well formed.
                for step in &lesson.steps {
                    if let Some(p) = &step.predict {
                        match &p.answer {
                            Answer::Choice { choices, right } => {
                                prop_assert!(*right < choices.len());
                            }
                            Answer::Number(n) => {
                                prop_assert!(n.value.is_finite() && n.margin() >= 0.0);
                            }
                        }
                    }
                    // Validated parameters either build or are refused with
                    // a ParamError naming a real key.
                    if let Some(spec) = &step.demo {
                        match demo::build(&spec.params) {
                            Ok(d) => {
                                built.set(built.get() + 1);
                                prop_assert!(d.iteration() == 0 && d.total() >= 1);
                            }
                            Err(e) => {
                                refused.set(refused.get() + 1);
                                prop_assert!(spec.kind.key(&e.key).is_some(), "{e:?}");
                            }
                        }
                    }
                }
            }
            let used = PEAK.load(Ordering::Relaxed).saturating_sub(base);
            heaviest.set(heaviest.get().max(used));
            prop_assert!(used < MAX_ALLOC, "{used} bytes at once");
            for d in parsed
                .lesson
                .as_ref()
                .err()
                .into_iter()
                .flatten()
                .chain(&parsed.warnings)
            {
                prop_assert!(d.line >= 1 && d.col >= 1);
                let _ = d.render(nntutor::i18n::Lang::Zh, false);
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = value_from_str(text.get(..text.len().min(64)).unwrap_or(""));
            // Building fills at most the guards' few hundred MB with random
            // weights: about a second in the test profile on a busy core.
            // Minutes would be a hang.
            let build_took = t.elapsed();
            slowest_build.set(slowest_build.get().max(build_took));
            prop_assert!(
                build_took < Duration::from_secs(10),
                "build took {build_took:?}"
            );
            Ok(())
        })
        .unwrap();
    eprintln!(
        "fuzz: {cases} inputs in {:?}, slowest parse {:?}, slowest build {:?}, \
         {} parsed as valid lessons, {} demos built, {} refused by build, \
         peak {:.1} MB for one input",
        started.elapsed(),
        slowest.get(),
        slowest_build.get(),
        valid.get(),
        built.get(),
        refused.get(),
        heaviest.get() as f64 / 1048576.0
    );
    // The generator must reach the validator, not only the first checks.
    assert!(cases < 100 || (valid.get() > 0 && built.get() > 0));
    // About one input in 200 is refused by a builder's cross-key guard.
    assert!(cases < 2000 || refused.get() > 0);
}

#[test]
fn deep_nesting_and_giant_values_are_refused() {
    let deep = "[".repeat(100_000);
    // Not TOML, so a bare string: the point is that it returns at all.
    let _ = value_from_str(&deep);
    let lesson = format!(
        "+++\nid = \"d\"\ntitle = \"d\"\norder = 1\n+++\n\n## S\n\n```demo\nkind = \"gaussian\"\nstd = {deep}\n```\n"
    );
    let t = Instant::now();
    let parsed = parse_bytes("deep.md", "en", lesson.as_bytes());
    assert!(parsed.lesson.is_err());
    assert!(t.elapsed() < Duration::from_secs(2));
    let nested = format!("{}1{}", "[".repeat(50), "]".repeat(50));
    let lesson = lesson.replace(&deep, &nested);
    let errs = parse_bytes("nested.md", "en", lesson.as_bytes())
        .lesson
        .unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
}
