//! The headless view: a [`Snapshot`](crate::demo::Snapshot) as plain-text
//! charts (textplots) or JSON lines, for pipes, CI and the claim tests.

use serde_json::{Map, Value as Json, json};
use textplots::{Chart, LabelBuilder, LabelFormat, Plot, Shape};

use unicode_width::UnicodeWidthStr;

use crate::demo::{Metric, Panel, PanelBody, Snapshot, Status};
use crate::i18n::{Lang, Msg};
use crate::msg;

/// Which run a snapshot belongs to, for the JSON lines.
#[derive(Clone, Debug)]
pub struct RunInfo {
    pub lesson: String,
    /// 1-based step number, as the status line shows it.
    pub step: usize,
    pub kind: String,
    /// Every key of the demo as it ran (the lesson's values, `--set`,
    /// `--seed` and defaults resolved), so a run can be reproduced and graded.
    /// Keys the runs of a sweep set differently are in `runs` instead.
    pub params: Json,
    /// A step that runs several: each run's number, label, the suffix of
    /// its metrics (`""`, `"@2"`, …) and the keys it sets; `Null` otherwise.
    pub runs: Json,
}

impl RunInfo {
    /// The run of step `step` (1-based) of `lesson` with `params`.
    pub fn new(lesson: &str, step: usize, params: &crate::demo::Params) -> RunInfo {
        let swept = params.swept();
        let value = |v: &crate::demo::Value| serde_json::to_value(v).unwrap_or(Json::Null);
        let map: Map<String, Json> = params
            .iter()
            .filter(|(k, _)| !matches!(*k, "knobs" | "panels") && !swept.contains(k))
            .map(|(k, v)| (k.to_string(), value(v)))
            .collect();
        let runs: Vec<Json> = params
            .runs()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let set: Map<String, Json> = r
                    .set
                    .iter()
                    .map(|(k, v)| (k.to_string(), value(v)))
                    .collect();
                json!({
                    "run": i + 1,
                    "label": r.label,
                    "suffix": crate::demo::run_metric("", i),
                    "params": set,
                })
            })
            .collect();
        RunInfo {
            lesson: lesson.to_string(),
            step,
            kind: params.kind().name.to_string(),
            params: Json::Object(map),
            runs: if runs.is_empty() {
                Json::Null
            } else {
                Json::Array(runs)
            },
        }
    }
}

/// A series for textplots: drawn as points (else lines), and its points.
type PointSet = (bool, Vec<(f32, f32)>);

/// Chart size in braille dots (2×4 per character): 60×12 characters.
const CHART_W: u32 = 120;
const CHART_H: u32 = 48;

/// One JSON object (no newline) for `run --json`: run identity, iteration,
/// status, the metrics as an object, then the panels.
pub fn json_line(info: &RunInfo, snap: &Snapshot) -> String {
    json_object(info, snap, true)
}

/// The run's header and final metrics without panels (`--metrics-only`).
pub fn metrics_json(info: &RunInfo, snap: &Snapshot) -> String {
    json_object(info, snap, false)
}

fn json_object(info: &RunInfo, snap: &Snapshot, with_panels: bool) -> String {
    let mut metrics = Map::new();
    for (name, m) in &snap.metrics {
        metrics.insert(name.clone(), serde_json::to_value(m).unwrap_or(Json::Null));
    }
    let (status, diverged_at) = match snap.status {
        Some(Status::Running) | None => ("running", None),
        Some(Status::Done) => ("done", None),
        Some(Status::Diverged { at }) => ("diverged", Some(at)),
    };
    let mut obj = json!({
        "lesson": info.lesson,
        "step": info.step,
        "kind": info.kind,
        "version": env!("CARGO_PKG_VERSION"),
        "seed": info.params.get("seed").cloned().unwrap_or(Json::Null),
        "params": info.params,
        "iteration": snap.iteration,
        "total": snap.total,
        "status": status,
    });
    if !info.runs.is_null() {
        obj["runs"] = info.runs.clone();
    }
    if let Some(at) = diverged_at {
        obj["diverged_at"] = json!(at);
    }
    obj["metrics"] = Json::Object(metrics);
    if with_panels {
        obj["panels"] = serde_json::to_value(&snap.panels).unwrap_or(Json::Null);
    }
    obj.to_string()
}

/// A panel's numbers as CSV with a header row: `series,x,y` for charts,
/// `lo,hi,count` for histograms, `category,group,value` for bars, `x,y,value`
/// for heat grids (cell indices), the table's own header for tables.
pub fn panel_csv(panel: &crate::demo::Panel, lang: Lang) -> String {
    use crate::demo::PanelBody;
    let q = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let mut row = |cells: &[String]| {
        out.push_str(&cells.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    };
    match &panel.body {
        PanelBody::Series { series } => {
            row(&["series".into(), "x".into(), "y".into()]);
            for s in series {
                let name = s.name.text(lang);
                for p in &s.points {
                    row(&[name.clone(), p[0].to_string(), p[1].to_string()]);
                }
            }
        }
        PanelBody::Histogram { bins, .. } => {
            row(&["lo".into(), "hi".into(), "count".into()]);
            for b in bins {
                row(&[b.lo.to_string(), b.hi.to_string(), b.count.to_string()]);
            }
        }
        PanelBody::Bars { categories, groups } => {
            row(&["category".into(), "group".into(), "value".into()]);
            for g in groups {
                let name = g.name.text(lang);
                for (c, v) in categories.iter().zip(&g.values) {
                    row(&[c.clone(), name.clone(), v.to_string()]);
                }
            }
        }
        PanelBody::Heat { nx, values, .. } => {
            row(&["x".into(), "y".into(), "value".into()]);
            for (i, v) in values.iter().enumerate() {
                row(&[
                    (i % nx.max(&1)).to_string(),
                    (i / nx.max(&1)).to_string(),
                    v.to_string(),
                ]);
            }
        }
        PanelBody::Table { header, rows } => {
            let (header, rows) = table_text(header, rows, lang);
            row(&header);
            for r in &rows {
                row(r);
            }
        }
    }
    out
}

/// One line of metrics, for progress output every M iterations.
pub fn metrics_line(snap: &Snapshot) -> String {
    let mut parts = vec![format!("iteration {}/{}", snap.iteration, snap.total)];
    parts.extend(
        snap.metrics
            .iter()
            .filter(|(n, _)| n != "iteration")
            .map(|(n, m)| format!("{n}={}", metric_text(m, 4))),
    );
    parts.join("  ")
}

/// The whole snapshot as text in `lang`: status, every panel, then the
/// metrics (whose names are keys, so they stay as they are).
pub fn render_text(snap: &Snapshot, lang: Lang) -> String {
    let mut out = msg!(
        "iteration {n} of {total}",
        n = snap.iteration,
        total = snap.total
    )
    .text(lang);
    match snap.status {
        Some(Status::Diverged { at }) => {
            out.push('\n');
            out.push_str(&msg!(
                "diverged at iteration {at}: a loss or weight became NaN or infinite, so the run stopped; the charts keep the last finite values",
                at
            )
            .text(lang));
        }
        Some(Status::Done) => out.push_str(&msg!(" (done)").text(lang)),
        _ => {}
    }
    out.push_str("\n\n");
    for panel in &snap.panels {
        out.push_str(&render_panel(panel, lang));
        out.push('\n');
    }
    out.push_str(&msg!("metrics:").text(lang));
    out.push('\n');
    let width = snap.metrics.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, m) in &snap.metrics {
        out.push_str(&format!("  {name:<width$}  {}\n", metric_text(m, 12)));
    }
    out
}

/// A metric's value: numbers compact, arrays with at most `max` entries.
fn metric_text(m: &Metric, max: usize) -> String {
    match m {
        Metric::Num(x) => num(*x),
        Metric::Nums(v) => {
            let mut items: Vec<String> = v.iter().take(max).map(|x| num(*x)).collect();
            if v.len() > max {
                items.push(format!("… ({})", v.len()));
            }
            format!("[{}]", items.join(", "))
        }
        Metric::Text(s) => s.clone(),
        Metric::Bool(b) => b.to_string(),
    }
}

/// A number in at most ~10 characters: integers as such, else 4 significant digits.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x == x.trunc() && x.abs() < 1e9 {
        return format!("{}", x as i64);
    }
    let a = x.abs();
    if (1e-3..1e5).contains(&a) {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{x:.3e}")
    }
}

/// One panel in `lang`: title, axes, and its body as a chart or text.
pub fn render_panel(panel: &Panel, lang: Lang) -> String {
    let t = |m: Msg| m.text(lang);
    let mut out = format!("── {} ──\n", panel.title.text(lang));
    match &panel.body {
        PanelBody::Series { series } => {
            let sets: Vec<PointSet> = series
                .iter()
                .map(|s| {
                    let pts = s
                        .points
                        .iter()
                        .map(|p| (p[0] as f32, p[1] as f32))
                        .collect();
                    (s.mark == crate::demo::Mark::Points, pts)
                })
                .collect();
            out.push_str(&chart(panel, &sets, lang));
            // One line per name group (the many fits of one model are one).
            let mut listed = 0;
            for (s, &group) in series.iter().zip(&crate::demo::name_groups(series)) {
                if group < listed {
                    continue;
                }
                listed += 1;
                let line = match s.points.last() {
                    Some(p) => msg!(
                        "{name}: {n} points, last ({x}, {y})",
                        name = &s.name,
                        n = s.points.len(),
                        x = num(p[0]),
                        y = num(p[1])
                    ),
                    None => msg!("{name}: no points", name = &s.name),
                };
                out.push_str(&format!("  {}\n", t(line)));
            }
        }
        PanelBody::Histogram {
            bins,
            bands,
            markers,
        } => {
            let pts: Vec<(f32, f32)> = bins
                .iter()
                .map(|b| (((b.lo + b.hi) / 2.0) as f32, b.count as f32))
                .collect();
            out.push_str(&chart(panel, &[(false, pts)], lang));
            let total: f64 = bins.iter().map(|b| b.count).sum();
            let summary = msg!(
                "{bins} bins, {n} samples in range",
                bins = bins.len(),
                n = num(total)
            );
            out.push_str(&format!("  {}\n", t(summary)));
            for b in bands {
                let line = msg!(
                    "band {label}: [{lo}, {hi}]",
                    label = &b.label,
                    lo = num(b.lo),
                    hi = num(b.hi)
                );
                out.push_str(&format!("  {}\n", t(line)));
            }
            for m in markers {
                let line = msg!("marker {label}: {x}", label = &m.label, x = num(m.x));
                out.push_str(&format!("  {}\n", t(line)));
            }
        }
        PanelBody::Bars { categories, groups } => {
            out.push_str(&bars(categories, groups, lang));
        }
        PanelBody::Heat {
            nx,
            ny,
            values,
            shade,
            overlay,
        } => out.push_str(&heat(panel, (*nx, *ny, values, shade), overlay, lang)),
        PanelBody::Table { header, rows } => {
            let (header, rows) = table_text(header, rows, lang);
            out.push_str(&table(&header, &rows))
        }
    }
    out
}

/// A textplots chart of point sets, axes from the panel or the data.
/// Returns a note instead when there is nothing finite to draw.
fn chart(panel: &Panel, sets: &[PointSet], lang: Lang) -> String {
    let all = sets
        .iter()
        .flat_map(|(_, p)| p.iter())
        .filter(|p| p.0.is_finite() && p.1.is_finite());
    let (mut x0, mut x1, mut y0, mut y1) = (
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
    );
    for &(x, y) in all {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if let Some([lo, hi]) = panel.x.bounds {
        (x0, x1) = (lo as f32, hi as f32);
    }
    if let Some([lo, hi]) = panel.y.bounds {
        (y0, y1) = (lo as f32, hi as f32);
    }
    if !(x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite()) {
        return format!("  {}\n", msg!("(no data yet)").text(lang));
    }
    let (x0, x1) = widen(x0, x1);
    let (y0, y1) = widen(y0, y1);
    let shapes: Vec<Shape> = sets
        .iter()
        .map(|(points, p)| {
            if *points {
                Shape::Points(p)
            } else {
                Shape::Lines(p)
            }
        })
        .collect();
    // textplots panics below 32×3 dots; the constants stay above that.
    let mut chart = Chart::new_with_y_range(CHART_W.max(32), CHART_H.max(3), x0, x1, y0, y1);
    let mut c = chart
        .x_label_format(LabelFormat::Custom(Box::new(|v| num(v as f64))))
        .y_label_format(LabelFormat::Custom(Box::new(|v| num(v as f64))));
    for s in &shapes {
        c = c.lineplot(s);
    }
    c.axis();
    c.figures();
    format!("  {}\n{}", axes(panel, lang), c)
}

/// "y: label   x: label".
fn axes(panel: &Panel, lang: Lang) -> String {
    msg!("y: {y}   x: {x}", y = &panel.y.label, x = &panel.x.label).text(lang)
}

/// A range with room: equal ends would divide by zero inside textplots.
fn widen(lo: f32, hi: f32) -> (f32, f32) {
    if hi > lo {
        (lo, hi)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    }
}

/// Grouped bars as rows: one line per category and group, bar length
/// proportional to |value|.
fn bars(categories: &[String], groups: &[crate::demo::BarGroup], lang: Lang) -> String {
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter())
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let cw = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let names: Vec<String> = groups.iter().map(|g| g.name.text(lang)).collect();
    let gw = names.iter().map(|n| n.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (i, cat) in categories.iter().enumerate() {
        for (g, name) in groups.iter().zip(&names) {
            let v = g.values.get(i).copied().unwrap_or(f64::NAN);
            let len = if max > 0.0 && v.is_finite() {
                (v.abs() / max * 40.0).round() as usize
            } else {
                0
            };
            let pad = " ".repeat(gw - name.width());
            out.push_str(&format!(
                "  {cat:<cw$}  {name}{pad}  {:<40}  {}\n",
                "█".repeat(len),
                num(v)
            ));
        }
    }
    out
}

/// A heat grid as shaded characters (row 0 at the bottom), at most 60×20.
fn heat(
    panel: &Panel,
    (nx, ny, values, shade): (usize, usize, &[f64], &Msg),
    overlay: &[crate::demo::Series],
    lang: Lang,
) -> String {
    const SHADES: &[char] = &[' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];
    if nx == 0 || ny == 0 || values.len() < nx * ny {
        return format!("  {}\n", msg!("(empty grid)").text(lang));
    }
    let finite = values.iter().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, |a, &b| a.min(b));
    let hi = finite.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let (cols, rows) = (nx.min(60), ny.min(20));
    let mut out = format!(
        "  {}   {}\n",
        axes(panel, lang),
        msg!(
            "shade, {what}: low ' ' … '@' high ({lo} … {hi})",
            what = shade,
            lo = num(lo),
            hi = num(hi)
        )
        .text(lang)
    );
    for r in (0..rows).rev() {
        let y = r * ny / rows;
        out.push_str("  |");
        for c in 0..cols {
            let x = c * nx / cols;
            let v = values[y * nx + x];
            let k = if v.is_finite() && hi > lo {
                (((v - lo) / (hi - lo)) * (SHADES.len() - 1) as f64).round() as usize
            } else {
                0
            };
            out.push(SHADES[k.min(SHADES.len() - 1)]);
        }
        out.push_str("|\n");
    }
    for s in overlay {
        let line = msg!(
            "overlay {name}: {n} points",
            name = &s.name,
            n = s.points.len()
        );
        out.push_str(&format!("  {}\n", line.text(lang)));
    }
    out
}

/// A text table with aligned columns (widths in characters).
/// A table's cells as text in `lang`.
pub fn table_text(
    header: &[Msg],
    rows: &[Vec<Msg>],
    lang: Lang,
) -> (Vec<String>, Vec<Vec<String>>) {
    let line = |r: &[Msg]| r.iter().map(|m| m.text(lang)).collect::<Vec<_>>();
    (line(header), rows.iter().map(|r| line(r)).collect())
}

fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let n = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0; n];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |row: &[String]| {
        let cells: Vec<String> = (0..n)
            .map(|i| {
                let c = row.get(i).map_or("", String::as_str);
                format!("{c:<w$}", w = widths[i])
            })
            .collect();
        format!("  {}\n", cells.join("  ").trim_end())
    };
    let mut out = line(header);
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{Axis, Series};

    fn panel(body: PanelBody) -> Panel {
        Panel {
            id: "p".into(),
            title: Msg::verbatim("t"),
            x: Axis::new(Msg::verbatim("x")),
            y: Axis::new(Msg::verbatim("y")),
            body,
        }
    }

    #[test]
    fn charts_survive_degenerate_data() {
        for pts in [vec![], vec![[1.0, 1.0]], vec![[0.0, 1e30], [1e-30, -1e30]]] {
            let p = panel(PanelBody::Series {
                series: vec![Series::line(msg!("train"), pts)],
            });
            assert!(render_panel(&p, Lang::En).starts_with("── t ──"));
        }
    }

    #[test]
    fn points_outside_fixed_bounds_and_every_body_render() {
        let mut p = panel(PanelBody::Series {
            series: vec![Series::points(
                msg!("train"),
                [[-5.0, 9.0], [0.5, 0.5], [7.0, -3.0]],
            )],
        });
        p.x = Axis::bounded(Msg::verbatim("x"), 0.0, 1.0);
        p.y = Axis::bounded(Msg::verbatim("y"), 0.0, 1.0);
        assert!(render_panel(&p, Lang::En).contains("train: 3 points"));
        assert!(render_panel(&p, Lang::Zh).contains("训练集：3 个点"));
        let bodies = [
            PanelBody::Bars {
                categories: vec!["bias²".into(), "variance".into()],
                groups: vec![crate::demo::BarGroup {
                    name: msg!("variance"),
                    values: vec![f64::NAN],
                }],
            },
            PanelBody::Heat {
                nx: 3,
                ny: 2,
                values: vec![0.0, 1.0, f64::INFINITY, 2.0, 3.0, 4.0],
                shade: msg!("loss"),
                overlay: vec![],
            },
            PanelBody::Heat {
                nx: 5,
                ny: 5,
                values: vec![1.0],
                shade: msg!("loss"),
                overlay: vec![],
            },
            PanelBody::Table {
                header: vec![Msg::verbatim("权重"), Msg::verbatim("b")],
                rows: vec![
                    vec![Msg::verbatim("1")],
                    vec![
                        Msg::verbatim("2"),
                        Msg::verbatim("3"),
                        Msg::verbatim("extra"),
                    ],
                ],
            },
            PanelBody::Histogram {
                bins: vec![],
                bands: vec![],
                markers: vec![],
            },
        ];
        for body in bodies {
            let text = render_panel(&panel(body), Lang::Zh);
            assert!(text.lines().count() >= 2, "{text}");
        }
    }

    #[test]
    fn diverged_is_said_in_words_and_json() {
        let snap = Snapshot {
            iteration: 12,
            total: 100,
            status: Some(Status::Diverged { at: 12 }),
            metrics: vec![("train_loss".into(), Metric::Num(f64::NAN))],
            panels: vec![],
        };
        assert!(render_text(&snap, Lang::En).contains("diverged at iteration 12"));
        assert!(render_text(&snap, Lang::Zh).contains("在第 12 次迭代发散"));
        let info = RunInfo {
            lesson: "l".into(),
            step: 1,
            kind: "k".into(),
            params: json!({"seed": 3}),
            runs: Json::Null,
        };
        let v: Json = serde_json::from_str(&json_line(&info, &snap)).unwrap();
        assert_eq!(v["status"], "diverged");
        assert_eq!(v["diverged_at"], 12);
        assert!(v["metrics"]["train_loss"].is_null());
    }

    #[test]
    fn numbers_stay_short() {
        for x in [0.0, 1.0, -3.5, 1e-12, 123456.789, 1e300, 0.1234567] {
            assert!(num(x).len() <= 10, "{x} -> {}", num(x));
        }
    }
}
