//! Drawing the scaling scene: live figures, the fleet (instances warming, ready, draining; the
//! ones just launched grow in, the ones just removed fade out) or the one vertical machine
//! sized by its cores, the decision log, the naive rule's missed scale-in, the comparison
//! cards and the charts.

use super::ScalingScene;
use crate::components::chart::{Chart, Line};
use crate::components::svg::{ctl_button, Attr, El};
// `{}` of an f64 goes through Num (the same text for these numbers), so Rust's float
// formatter is not linked into the page.
use crate::fixed::{attr, fixed};
use crate::player::RECENT_MS;
use crate::scenes::SceneView;
use scalelab_core::num_text::Num;
use scalelab_core::scaling::{
    col, Direction, Instance, InstanceState, Lane, LoadShape, Metric, Reason, Rule, ScalingAction,
    ScalingEvent, ScalingMode, ScalingModel, Service, ServiceEvent,
};
use scalelab_core::Model;
use std::rc::Rc;
use yew::prelude::*;

/// Drawing widths (viewBox units): the one-set-up view, and a lane card of a comparison.
/// Both keep 11-unit text legible in a 480 px wide container; [`MAX_CSS_WIDTH`] keeps them
/// from growing huge on a wide screen.
const WIDE: f64 = 520.0;
const NARROW: f64 = 360.0;
const MAX_CSS_WIDTH: &str = "max-width: 680px; margin: 0 auto;";
/// How long a launched instance takes to grow in, and a resize to change the box.
const GROW_MS: f64 = 500.0;
/// Most instance boxes drawn (a full fleet of 50 plus the ones draining fits).
const MAX_BOXES: usize = 120;
/// Buttons for removing a chosen instance.
const MAX_REMOVE_BUTTONS: usize = 12;

fn ms(us: u64) -> String {
    let v = us as f64 / 1_000.0;
    if v >= 100.0 {
        format!("{} ms", fixed(v, 0))
    } else {
        format!("{} ms", fixed(v, 1))
    }
}

fn secs(t: scalelab_core::sim::SimTime) -> String {
    format!("{} s", fixed(t.as_secs_f64(), 0))
}

fn mode_label(m: ScalingMode) -> &'static str {
    match m {
        ScalingMode::Manual => "manual",
        ScalingMode::Threshold => "threshold autoscaler",
        ScalingMode::ThresholdNaive => "threshold, naive scale-in",
        ScalingMode::Hpa => "Kubernetes HPA",
        ScalingMode::Vertical => "vertical (one machine)",
    }
}

fn lane_title(m: &ScalingModel, lane: u32, sim: &Service) -> String {
    let label = m.lane(lane).map_or("", |l| l.label());
    let mode = mode_label(sim.mode());
    if label.is_empty() || mode.contains(label) {
        mode.to_string()
    } else {
        format!("{label} — {mode}")
    }
}

fn stat(k: &'static str, v: String) -> El {
    El::new("div")
        .set(Attr::Class, "stat")
        .el(El::new("span").set(Attr::Class, "k").text(k))
        .el(El::new("span").set(Attr::Class, "v").text(v))
}

/// Eases 0 → 1 over `span` ms of age; 1 at once when motion is reduced.
fn progress(age: f64, span: f64, reduced: bool) -> f64 {
    if reduced {
        1.0
    } else {
        (age / span).clamp(0.0, 1.0)
    }
}

fn live_stats(sim: &Service, r: Option<&Lane>) -> Html {
    let s = sim.stats();
    let t = r.and_then(|r| r.last_tick()).unwrap_or_default();
    let vertical = sim.mode() == ScalingMode::Vertical;
    El::new("div")
        .set(Attr::Class, "stat-grid")
        .set(Attr::AriaLabel, "Live figures")
        .el(stat(
            "offered",
            format!("{}/s", fixed(t.rate(t.offered), 0)),
        ))
        .el(stat("ready capacity", format!("{}/s", s.capacity_rps)))
        .el(stat(
            "utilisation",
            format!("{} %", fixed(t.utilisation_pct, 0)),
        ))
        .el(stat("p95 (last 60 s)", ms(s.recent_latency.p95)))
        .el(stat("dropped so far", s.dropped.to_string()))
        .el(if vertical {
            stat("machine", format!("{} cores", sim.machine().cores()))
        } else {
            stat("ready (+warming)", format!("{} (+{})", s.ready, s.warming))
        })
        .el(stat(
            "cost so far",
            format!("{} core-s", fixed(s.cost.core_seconds, 0)),
        ))
        .html()
}

/// The naive rule's bug, kept on screen once it has happened: the fleet stays bigger than the
/// rule believes.
fn missed_banner(sim: &Service, r: Option<&Lane>) -> Html {
    let Some(r) = r else {
        return Html::default();
    };
    let Some(ServiceEvent::ScaleInMissed {
        t,
        name,
        believed,
        actual,
    }) = r.last_missed()
    else {
        return Html::default();
    };
    let mut out = El::new("div")
        .set(Attr::Class, "notices")
        .set(Attr::Role, "alert")
        .set(Attr::Style,
            "border-color: var(--bad); border-left-width: 6px;",
        )
        .el(El::new("strong")
            .set(Attr::Style, "color: var(--bad);")
            .text("⚠ Scale-in missed"))
        .text(format!(
            " at {}: tried to remove {name} which no longer exists. Nothing was removed, \
                but the naive rule now believes it runs {believed} instances while {actual} were running \
                ({} now). ",
            secs(*t),
            sim.fleet().active_count()
        ));
    if r.missed_count() > 1 {
        out = out.text(format!("This has happened {} times. ", r.missed_count()));
    }
    out.el(El::new("span").set(Attr::Class, "muted").text(
        "The guide deletes the instance named instance_<count>; after a removal out of order that name is gone.",
    ))
    .html()
}

// ---- the fleet ------------------------------------------------------------------------

struct Grid {
    width: f64,
    cols: usize,
    w: f64,
    h: f64,
    compact: bool,
}

fn grid_for(n: usize, width: f64) -> Grid {
    // Full boxes while they fit, compact ones (number and bars) for a big fleet.
    let full = if width < WIDE { 3 } else { 4 };
    let cols = match n {
        _ if n <= 3 * full => full,
        _ if n <= 6 * full => 2 * full,
        _ => 3 * full,
    };
    let w = (width - 8.0) / cols as f64 - 8.0;
    let compact = cols > full;
    Grid {
        width,
        cols,
        w,
        h: if compact { 54.0 } else { 72.0 },
        compact,
    }
}

fn cell(g: &Grid, i: usize) -> (f64, f64) {
    let (c, r) = (i % g.cols, i / g.cols);
    (8.0 + c as f64 * (g.w + 8.0), 8.0 + r as f64 * (g.h + 8.0))
}

/// The instance's name shortened to fit a small box.
fn short_name(name: &str, compact: bool) -> String {
    if compact {
        format!("#{}", name.trim_start_matches("instance_"))
    } else {
        name.to_string()
    }
}

fn instance_box(
    g: &Grid,
    i: usize,
    inst: &Instance,
    sim: &Service,
    recent: &[(f64, &ScalingEvent)],
    lane: u32,
    reduced: bool,
) -> Html {
    let (x, y) = cell(g, i);
    let now = sim.now();
    let tick_s = sim.config().tick.as_secs_f64().max(1e-9);
    let per_tick = inst.capacity_rps as f64 * tick_s;
    let load = if per_tick > 0.0 {
        (inst.served_last as f64 / per_tick).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let queue = (inst.backlog as f64 / inst.queue_limit.max(1) as f64).clamp(0.0, 1.0);
    let (state, tone) = match inst.state {
        InstanceState::Ready => (format!("ready · {} %", fixed(load * 100.0, 0)), None),
        InstanceState::Warming => {
            let left = inst.ready_at.0.saturating_sub(now.0) as f64 / 1e6;
            (format!("warming · {} s", fixed(left, 0)), Some("warn"))
        }
        InstanceState::Draining => (format!("draining, {} left", inst.backlog), Some("bad")),
    };
    let warm = match inst.state {
        InstanceState::Warming => {
            let total = inst.ready_at.0.saturating_sub(inst.launched_at.0).max(1) as f64;
            (now.0.saturating_sub(inst.launched_at.0) as f64 / total).clamp(0.0, 1.0)
        }
        _ => 1.0,
    };
    // Grow in when just launched.
    let launched_age = recent.iter().rev().find_map(|(age, e)| match &e.event {
        ServiceEvent::InstanceLaunched { id, .. } if e.lane == lane && *id == inst.id => Some(*age),
        _ => None,
    });
    let k = launched_age
        .map(|a| progress(a, GROW_MS, reduced))
        .unwrap_or(1.0);
    let just_ready = recent.iter().any(|(_, e)| {
        e.lane == lane
            && matches!(&e.event, ServiceEvent::InstanceReady { id, .. } if *id == inst.id)
    });
    let (cx, cy) = (x + g.w / 2.0, y + g.h / 2.0);
    let scale = 0.4 + 0.6 * k;
    let bar_w = g.w - 12.0;
    let label = short_name(&inst.name, g.compact);
    let state_short = match inst.state {
        InstanceState::Ready => format!("{}%", fixed(load * 100.0, 0)),
        InstanceState::Warming => "warm".to_string(),
        InstanceState::Draining => "drain".to_string(),
    };
    let warming = inst.state == InstanceState::Warming;
    let mut out = El::new("g")
        .set(Attr::Class, "instance")
        .string(Attr::DataId, inst.id.to_string())
        .string(Attr::DataState, format!("{:?}", inst.state))
        .val(Attr::Opacity, attr(k, 2))
        .string(Attr::Transform, transform(cx, cy, scale))
        .el(El::new("rect")
            .set(
                Attr::Class,
                match tone {
                    Some("warn") => "box warn",
                    Some(_) => "box bad",
                    None => "box",
                },
            )
            .num(Attr::X, x)
            .num(Attr::Y, y)
            .num(Attr::Width, g.w)
            .num(Attr::Height, g.h)
            .set(Attr::Rx, "6"))
        .el(El::new("text")
            .num(Attr::X, x + 6.0)
            .num(Attr::Y, y + 14.0)
            .set(Attr::FontWeight, "600")
            .set(Attr::FontSize, if g.compact { "11" } else { "12" })
            .text(label))
        .el(if g.compact {
            El::new("text")
                .set(Attr::Class, "muted")
                .num(Attr::X, x + 6.0)
                .num(Attr::Y, y + 28.0)
                .set(Attr::FontSize, "10")
                .text(state_short)
        } else {
            El::new("text")
                .set(Attr::Class, "muted")
                .num(Attr::X, x + 6.0)
                .num(Attr::Y, y + 30.0)
                .set(Attr::FontSize, "11")
                .text(state)
        })
        .el(El::new("rect")
            .set(Attr::Class, "link")
            .num(Attr::X, x + 6.0)
            .num(Attr::Y, y + g.h - 20.0)
            .num(Attr::Width, bar_w)
            .set(Attr::Height, "6")
            .set(Attr::Fill, "none"))
        // Warm-up progress while warming, the load after.
        .el(El::new("rect")
            .set(Attr::Class, if warming { "bar queue" } else { "bar" })
            .num(Attr::X, x + 6.0)
            .num(Attr::Y, y + g.h - 20.0)
            .num(Attr::Width, bar_w * if warming { warm } else { load })
            .set(Attr::Height, "6"))
        .el(El::new("rect")
            .set(Attr::Class, "bar queue")
            .num(Attr::X, x + 6.0)
            .num(Attr::Y, y + g.h - 11.0)
            .num(Attr::Width, bar_w * queue)
            .set(Attr::Height, "3"));
    if just_ready && !g.compact {
        out = out.el(El::new("text")
            .num(Attr::X, x + g.w - 6.0)
            .num(Attr::Y, y + 14.0)
            .set(Attr::TextAnchor, "end")
            .set(Attr::Fill, "var(--ok)")
            .set(Attr::FontSize, "10")
            .set(Attr::FontWeight, "700")
            .text("✓ ready"));
    }
    out.html()
}

/// Scales a box about its centre.
fn transform(cx: f64, cy: f64, scale: f64) -> String {
    format!(
        "translate({} {}) scale({}) translate({} {})",
        fixed(cx, 1),
        fixed(cy, 1),
        fixed(scale, 3),
        fixed(-cx, 1),
        fixed(-cy, 1)
    )
}

/// A box that has just gone: removed instances fading out, and the name the naive rule
/// tried to remove although it did not exist.
fn ghost(g: &Grid, i: usize, name: &str, note: &str, bad: bool, age: f64, reduced: bool) -> Html {
    let (x, y) = cell(g, i);
    let k = progress(age, RECENT_MS, reduced);
    let opacity = if reduced { 0.8 } else { 1.0 - 0.85 * k };
    let (cx, cy) = (x + g.w / 2.0, y + g.h / 2.0);
    let scale = if reduced { 1.0 } else { 1.0 - 0.3 * k };
    El::new("g")
        .set(Attr::Class, "ghost")
        .val(Attr::Opacity, attr(opacity, 2))
        .string(Attr::Transform, transform(cx, cy, scale))
        .el(El::new("rect")
            .set(Attr::Class, "box bad")
            .num(Attr::X, x)
            .num(Attr::Y, y)
            .num(Attr::Width, g.w)
            .num(Attr::Height, g.h)
            .set(Attr::Rx, "6")
            .set(Attr::Fill, "none"))
        .el(El::new("text")
            .num(Attr::X, x + 6.0)
            .num(Attr::Y, y + 14.0)
            .set(Attr::FontWeight, "600")
            .set(Attr::FontSize, "10")
            .set(Attr::Fill, if bad { "var(--bad)" } else { "var(--muted)" })
            .text(if bad {
                format!("⚠ {}", short_name(name, g.compact))
            } else {
                short_name(name, g.compact)
            }))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, x + 6.0)
            .num(Attr::Y, y + 29.0)
            .set(Attr::FontSize, "9")
            .text(note.to_string()))
        .html()
}

fn fleet_svg(
    sim: &Service,
    recent: &[(f64, &ScalingEvent)],
    lane: u32,
    reduced: bool,
    width: f64,
) -> Html {
    let instances = sim.instances();
    let ghosts: Vec<(f64, String, &'static str, bool)> = recent
        .iter()
        .filter(|(_, e)| e.lane == lane)
        .filter_map(|(age, e)| match &e.event {
            ServiceEvent::InstanceRemoved { name, .. } => {
                Some((*age, name.clone(), "removed", false))
            }
            ServiceEvent::ScaleInMissed { name, .. } => {
                Some((*age, name.clone(), "✕ no longer exists", true))
            }
            _ => None,
        })
        .take(8)
        .collect();
    let n = (instances.len() + ghosts.len()).min(MAX_BOXES);
    let g = grid_for(n, width);
    let rows = n.div_ceil(g.cols).max(1);
    let height = 24.0 + rows as f64 * (g.h + 8.0);
    let s = sim.stats();
    let aria = format!(
        "Fleet: {} ready, {} warming up, {} draining; ready capacity {} requests per second",
        s.ready, s.warming, s.draining, s.capacity_rps
    );
    let mut svg = El::new("svg")
        .set(Attr::Class, "drawing fleet")
        .set(Attr::Style, MAX_CSS_WIDTH)
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", Num(g.width), fixed(height, 0)),
        )
        .set(Attr::Role, "img")
        .string(Attr::AriaLabel, aria);
    for (i, inst) in instances.iter().take(MAX_BOXES).enumerate() {
        svg = svg.child(instance_box(&g, i, inst, sim, recent, lane, reduced));
    }
    for (j, (age, name, note, bad)) in ghosts
        .iter()
        .enumerate()
        .take(MAX_BOXES.saturating_sub(instances.len()))
    {
        svg = svg.child(ghost(
            &g,
            instances.len() + j,
            name,
            note,
            *bad,
            *age,
            reduced,
        ));
    }
    svg.el(El::new("text")
        .set(Attr::Class, "muted")
        .set(Attr::X, "8")
        .val(Attr::Y, attr(height - 5.0, 0))
        .set(Attr::FontSize, "9.5")
        .text("bar: load, or warm-up while warming · thin: queue · dashed: not serving"))
        .html()
}

// ---- the vertical machine ---------------------------------------------------------------

fn log2(c: u32) -> f64 {
    f64::from(31u32.saturating_sub(c.max(1).leading_zeros()))
}

/// The machine's box for `doublings` = log2(cores) in a drawing `width` wide: 1 core is
/// small, 32 fill the drawing.
fn machine_size(doublings: f64, width: f64) -> (f64, f64) {
    let w = (width * 0.4 + width * 0.11 * doublings)
        .min(width - 16.0)
        .max(150.0);
    (w, 72.0 + 14.0 * doublings)
}

fn machine_svg(
    sim: &Service,
    r: Option<&Lane>,
    recent: &[(f64, &ScalingEvent)],
    lane: u32,
    reduced: bool,
    width: f64,
) -> Html {
    let m = sim.machine();
    let spec = m.spec();
    let inst = sim.instances().first();
    let resizing = inst.is_some_and(|i| i.state != InstanceState::Ready);
    // Grow or shrink from the old size when just resized.
    let step = log2(spec.cores);
    let shown = recent
        .iter()
        .rev()
        .find_map(|(age, e)| match &e.event {
            ServiceEvent::Resized { from_cores, .. } if e.lane == lane => {
                let k = progress(*age, GROW_MS, reduced);
                Some(log2(*from_cores) + (step - log2(*from_cores)) * k)
            }
            _ => None,
        })
        .unwrap_or(step);
    let (w, h) = machine_size(shown, width);
    let (_, h_max) = machine_size(log2(m.max_cores()), width);
    let x = (width - w) / 2.0;
    let y = 22.0;
    let height = y + h_max + 22.0;
    let t = r.and_then(|r| r.last_tick()).unwrap_or_default();
    let util = (t.utilisation_pct / 100.0).clamp(0.0, 1.0);
    let queue = inst
        .map(|i| (i.backlog as f64 / i.queue_limit.max(1) as f64).clamp(0.0, 1.0))
        .unwrap_or(0.0);
    let status = if resizing {
        let (dir, from, to) = match r.and_then(|r| r.last_resize()) {
            Some(ServiceEvent::Resized {
                from_cores,
                to_cores,
                ..
            }) => {
                let d = if to_cores > from_cores { "up" } else { "down" };
                (d, *from_cores, *to_cores)
            }
            _ => ("", spec.cores, spec.cores),
        };
        let back = inst.map(|i| secs(i.ready_at)).unwrap_or_default();
        format!("⚠ resizing {dir} — down ({from} → {to} cores) until {back}")
    } else {
        format!(
            "running · {} % busy · {} req/s",
            fixed(util * 100.0, 0),
            m.capacity_rps()
        )
    };
    // Core squares, lit by utilisation.
    let sq = 14.0;
    let per_row = (((w - 20.0) / (sq + 4.0)).floor() as u32).clamp(1, 16);
    let lit = (util * f64::from(spec.cores)).round() as u32;
    let aria = format!(
        "One machine with {} cores serving up to {} requests per second; {status}",
        spec.cores,
        m.capacity_rps()
    );
    let bar_w = w - 20.0;
    let mut svg = El::new("svg")
        .set(Attr::Class, "drawing machine")
        .set(Attr::Style, MAX_CSS_WIDTH)
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", Num(width), fixed(height, 0)),
        )
        .set(Attr::Role, "img")
        .string(Attr::AriaLabel, aria)
        .el(El::new("rect")
            .set(Attr::Class, if resizing { "box bad" } else { "box" })
            .num(Attr::X, x)
            .num(Attr::Y, y)
            .num(Attr::Width, w)
            .num(Attr::Height, h)
            .set(Attr::Rx, "8"))
        .el(El::new("text")
            .num(Attr::X, width / 2.0)
            .set(Attr::Y, "13")
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "11")
            .set(
                Attr::Fill,
                if resizing {
                    "var(--bad)"
                } else {
                    "var(--muted)"
                },
            )
            .set(Attr::FontWeight, if resizing { "700" } else { "400" })
            .text(status))
        .el(El::new("text")
            .num(Attr::X, x + 10.0)
            .num(Attr::Y, y + 20.0)
            .set(Attr::FontWeight, "600")
            .text(format!(
                "machine · {} cores · {} GiB",
                spec.cores,
                spec.memory_mb / 1_024
            )));
    for c in 0..spec.cores.min(64) {
        let cx = x + 10.0 + f64::from(c % per_row) * (sq + 4.0);
        let cy = y + 32.0 + f64::from(c / per_row) * (sq + 4.0);
        let on = !resizing && c < lit;
        svg = svg.el(El::new("rect")
            .set(Attr::Class, if on { "bar" } else { "link" })
            .num(Attr::X, cx)
            .num(Attr::Y, cy)
            .string(Attr::Width, Num(sq).to_string())
            .string(Attr::Height, Num(sq).to_string())
            .set(Attr::Rx, "2")
            .opt(Attr::Fill, (!on).then_some("none")));
    }
    svg.el(El::new("rect")
        .set(Attr::Class, "link")
        .num(Attr::X, x + 10.0)
        .num(Attr::Y, y + h - 12.0)
        .num(Attr::Width, bar_w)
        .set(Attr::Height, "5")
        .set(Attr::Fill, "none"))
        .el(El::new("rect")
            .set(Attr::Class, "bar queue")
            .num(Attr::X, x + 10.0)
            .num(Attr::Y, y + h - 12.0)
            .num(Attr::Width, bar_w * queue)
            .set(Attr::Height, "5"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, width / 2.0)
            .num(Attr::Y, height - 6.0)
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "10")
            .text(format!(
                "{} req/s per core · {}–{} cores · squares: busy cores · bar: queue",
                m.rps_per_core(),
                m.min_cores(),
                m.max_cores()
            )))
        .html()
}

// ---- the decision log -------------------------------------------------------------------

fn rule_short(r: Rule) -> &'static str {
    match r {
        Rule::Threshold => "threshold",
        Rule::ThresholdNaive => "naive threshold",
        Rule::Hpa => "HPA",
        Rule::Vertical => "vertical",
    }
}

fn reading(metric: Metric, value: f64, threshold: f64) -> String {
    match metric {
        Metric::Cpu => format!("CPU {} % (line {} %)", fixed(value, 0), fixed(threshold, 0)),
        Metric::Memory => format!(
            "memory {} % (line {} %)",
            fixed(value, 0),
            fixed(threshold, 0)
        ),
        Metric::RequestRate => format!("{} req/s (line {})", fixed(value, 0), fixed(threshold, 0)),
        Metric::Replicas => format!(
            "{} replicas (bound {})",
            fixed(value, 0),
            fixed(threshold, 0)
        ),
    }
}

/// `(badge tone, badge text, line)` for one log entry.
fn log_line(e: &ServiceEvent) -> (&'static str, &'static str, String) {
    let at = secs(e.time());
    match e {
        ServiceEvent::Decision { rule, metric, value, threshold, current, desired, reason, .. } => {
            let unit = if *rule == Rule::Vertical { "cores" } else { "instances" };
            let change = if current == desired {
                format!("keeps {current} {unit}")
            } else {
                format!("{current} → {desired} {unit}")
            };
            let tone = if matches!(reason, Reason::AtMax) { "warn" } else { "ok" };
            (tone, "decision", format!("{at} · {}: {} — {change}: {reason}", rule_short(*rule), reading(*metric, *value, *threshold)))
        }
        ServiceEvent::CooldownBlocked { rule, until, wanted, .. } => {
            let way = match (rule, wanted) {
                (Rule::Vertical, d) => d.to_string(),
                (_, Direction::Up) => "out".to_string(),
                (_, Direction::Down) => "in".to_string(),
            };
            ("warn", "cooldown", format!("{at} · {} wants to scale {way}, cooling down until {}", rule_short(*rule), secs(*until)))
        }
        ServiceEvent::StabilisationHeld { recommended, held_at, window, .. } => (
            "warn",
            "held",
            format!("{at} · HPA recommends {recommended} but holds {held_at} (highest of the last {window})"),
        ),
        ServiceEvent::RateLimited { wanted, allowed, direction, .. } => (
            "warn",
            "rate-limited",
            format!("{at} · HPA wanted {wanted}, its scale-{direction} policy allows {allowed}"),
        ),
        ServiceEvent::ScaleInMissed { name, believed, actual, .. } => (
            "bad",
            "⚠ missed",
            format!("{at} · tried to remove {name} which no longer exists — believes {believed}, {actual} running"),
        ),
        ServiceEvent::Resized { from_cores, to_cores, downtime, lost, .. } => (
            "bad",
            "resize",
            format!("{at} · {from_cores} → {to_cores} cores: down for {downtime}, {lost} queued requests lost"),
        ),
        ServiceEvent::LoadChanged { .. } => ("ok", "load", format!("{at} · the load changed")),
        ServiceEvent::ModeChanged { from, to, .. } => ("ok", "mode", format!("{at} · {from} → {to}")),
        other => ("ok", "event", other.to_string()),
    }
}

fn decision_log(r: Option<&Lane>, title: &'static str) -> Html {
    let entries: Vec<&ServiceEvent> = r
        .map(|r| r.decision_log().rev().collect())
        .unwrap_or_default();
    let out = El::new("section")
        .set(Attr::Class, "decision-log")
        .set(Attr::AriaLabel, title)
        .el(El::new("h3")
            .set(
                Attr::Style,
                "font-size: 0.85rem; margin: 0.5rem 0 0.25rem; color: var(--muted);",
            )
            .text(title));
    if entries.is_empty() {
        return out
            .el(El::new("p")
                .set(Attr::Class, "muted")
                .set(Attr::Style, "font-size: 0.82rem; margin: 0;")
                .text("No decisions yet."))
            .html();
    }
    let mut list = El::new("ol").set(
        Attr::Style,
        "list-style: none; padding: 0; margin: 0; font-size: 0.82rem; display: grid; gap: 0.2rem;",
    );
    for e in entries {
        let (tone, badge, line) = log_line(e);
        list = list.el(El::new("li")
            .el(El::new("span")
                .set(
                    Attr::Class,
                    match tone {
                        "warn" => "badge warn",
                        "bad" => "badge bad",
                        _ => "badge ok",
                    },
                )
                .text(badge))
            .text(" ")
            .text(line));
    }
    out.el(list).html()
}

// ---- actions ----------------------------------------------------------------------------

fn button(
    act: &Callback<ScalingAction>,
    label: String,
    action: ScalingAction,
    class: &'static str,
    enabled: bool,
) -> Html {
    let act = act.clone();
    ctl_button(class, label, Callback::from(move |_| act.emit(action)))
        .opt(Attr::Disabled, (!enabled).then_some("disabled"))
        .html()
}

fn lane_actions(sim: &Service, lane: u32, act: &Callback<ScalingAction>, single: bool) -> Html {
    if sim.mode() == ScalingMode::Vertical {
        let m = sim.machine();
        let ready = sim
            .instances()
            .first()
            .is_some_and(|i| i.state == InstanceState::Ready);
        return El::new("div")
            .set(Attr::Class, "actions")
            .set(Attr::Role, "group")
            .set(Attr::AriaLabel, "Resize the machine")
            .child(button(
                act,
                format!(
                    "Resize up ({} → {} cores)",
                    m.cores(),
                    m.cores().saturating_mul(2)
                ),
                ScalingAction::ResizeUp { lane },
                "",
                ready && m.can_scale_up(),
            ))
            .child(button(
                act,
                format!("Resize down ({} → {} cores)", m.cores(), m.cores() / 2),
                ScalingAction::ResizeDown { lane },
                "",
                ready && m.can_scale_down(),
            ))
            .html();
    }
    let active: Vec<&Instance> = sim.instances().iter().filter(|i| i.is_active()).collect();
    let can_remove = active.len() > 1;
    let mut fleet = El::new("div")
        .set(Attr::Class, "actions")
        .set(Attr::Role, "group")
        .set(Attr::AriaLabel, "Change the fleet by hand")
        .child(button(
            act,
            "Add instance".into(),
            ScalingAction::Add { lane },
            "",
            true,
        ))
        .child(button(
            act,
            "Remove least loaded".into(),
            ScalingAction::Remove { lane, id: None },
            "danger",
            can_remove,
        ));
    if single {
        for mode in [
            ScalingMode::Manual,
            ScalingMode::Threshold,
            ScalingMode::ThresholdNaive,
            ScalingMode::Hpa,
        ] {
            if mode != sim.mode() {
                fleet = fleet.child(button(
                    act,
                    format!("Switch to {}", mode_label(mode)),
                    ScalingAction::SetMode { lane, mode },
                    "",
                    true,
                ));
            }
        }
    }
    if !(single && can_remove) {
        return fleet.html();
    }
    let note = |e: El| {
        e.set(Attr::Class, "muted")
            .set(Attr::Style, "font-size: 0.82rem; align-self: center;")
    };
    let mut chosen = El::new("div")
        .set(Attr::Class, "actions")
        .set(Attr::Role, "group")
        .set(Attr::AriaLabel, "Remove a chosen instance")
        .el(note(El::new("span")).text("Remove:"));
    for i in active.iter().take(MAX_REMOVE_BUTTONS) {
        chosen = chosen.child(button(
            act,
            i.name.clone(),
            ScalingAction::Remove {
                lane,
                id: Some(i.id),
            },
            "danger",
            true,
        ));
    }
    if active.len() > MAX_REMOVE_BUTTONS {
        chosen =
            chosen
                .el(note(El::new("span"))
                    .text(format!("… {} more", active.len() - MAX_REMOVE_BUTTONS)));
    }
    Html::from(yew::virtual_dom::VList::with_children(
        vec![fleet.html(), chosen.html()],
        None,
    ))
}

fn load_actions(
    v: &SceneView<'_, ScalingScene>,
    current: Option<&scalelab_core::sim::ArrivalProcess>,
) -> Html {
    let shape = super::build::shape(v.params);
    let peak = super::build::peak(v.params);
    let configured = shape.process(peak);
    let surge = peak.saturating_mul(2).min(super::build::MAX_RATE as u32);
    let quiet = (peak / 9).max(super::build::MIN_RATE as u32);
    let changed = current.is_some_and(|c| *c != configured);
    El::new("div")
        .set(Attr::Class, "actions")
        .set(Attr::Role, "group")
        .set(Attr::AriaLabel, "Change the load")
        .child(button(
            &v.act,
            format!("Surge: {surge} req/s"),
            ScalingAction::SetLoad {
                shape: LoadShape::Constant,
                peak: surge,
            },
            "",
            true,
        ))
        .child(button(
            &v.act,
            format!("Quiet: {quiet} req/s"),
            ScalingAction::SetLoad {
                shape: LoadShape::Constant,
                peak: quiet,
            },
            "",
            true,
        ))
        .child(button(
            &v.act,
            format!("Back to the {} load", super::build::shape_name(shape)),
            ScalingAction::SetLoad { shape, peak },
            "",
            changed,
        ))
        .html()
}

// ---- views ------------------------------------------------------------------------------

fn rows(v: &SceneView<'_, ScalingScene>) -> Rc<Vec<(f64, Vec<f64>)>> {
    v.series.clone()
}

fn l(column: usize, label: &str) -> Line {
    Line {
        column,
        label: label.to_string().into(),
    }
}

/// One chart: a single `html!` component expansion shared by all of them.
fn chart(
    title: &'static str,
    rows: &Rc<Vec<(f64, Vec<f64>)>>,
    y_max: Option<f64>,
    lines: Vec<Line>,
) -> Html {
    let rows = rows.clone();
    html! { <Chart {title} {rows} {y_max} {lines} /> }
}

fn single_view(v: &SceneView<'_, ScalingScene>, sim: &Service) -> Html {
    let recent = v.aged();
    let m = v.model;
    let r = m.lane(0);
    let vertical = sim.mode() == ScalingMode::Vertical;
    let rows = &rows(v);
    let naive = sim.mode() == ScalingMode::ThresholdNaive;
    let mut heading = El::new("p")
        .set(Attr::Class, "muted")
        .set(Attr::Style, "margin: 0; font-size: 0.85rem;")
        .text(format!(
            "{} · t = {}",
            lane_title(m, 0, sim),
            secs(sim.now())
        ));
    if naive {
        heading = heading.text(format!(
            " · the rule believes it runs {} instances, {} are running",
            sim.believed_replicas(),
            sim.fleet().active_count()
        ));
    }
    El::new("div")
        .set(Attr::Class, "scaling")
        .el(heading)
        .child(live_stats(sim, r))
        .child(missed_banner(sim, r))
        .child(if vertical {
            machine_svg(sim, r, &recent, 0, v.reduced_motion, WIDE)
        } else {
            fleet_svg(sim, &recent, 0, v.reduced_motion, WIDE)
        })
        .child(lane_actions(sim, 0, &v.act, true))
        .child(load_actions(v, Some(sim.load())))
        .child(decision_log(r, "Decisions (newest first)"))
        .el(El::new("div")
            .set(Attr::Class, "charts")
            .child(chart(
                "Offered load vs ready capacity (req/s)",
                rows,
                None,
                vec![
                    l(col::OFFERED, "offered"),
                    l(col::CAPACITY, "ready capacity"),
                    l(col::SERVED, "served"),
                    l(col::DROPPED, "dropped"),
                ],
            ))
            .child(chart(
                "p95 latency per tick (ms)",
                rows,
                None,
                vec![l(col::P95, "p95")],
            ))
            .child(chart(
                "Utilisation of ready capacity (%)",
                rows,
                Some(100.0),
                vec![l(col::UTILISATION, "utilisation")],
            ))
            .child(if vertical {
                chart("Cores billed", rows, None, vec![l(col::CORES, "cores")])
            } else {
                chart(
                    "Instances",
                    rows,
                    None,
                    vec![l(col::READY, "ready"), l(col::WARMING, "warming")],
                )
            })
            .child(chart(
                "Cost so far (core-seconds)",
                rows,
                None,
                vec![l(col::COST, "core-seconds")],
            )))
        .html()
}

fn summary_table(m: &ScalingModel) -> Html {
    let mut head = El::new("tr");
    for h in [
        "Lane",
        "instance-s",
        "core-s",
        "price",
        "p50",
        "p95",
        "p99",
        "dropped",
        "no capacity",
        "actions",
    ] {
        head = head.el(El::new("th").set(Attr::Scope, "col").text(h));
    }
    let mut body = El::new("tbody");
    for i in 0..m.lane_count() {
        let Some(sim) = m.lane(i).map(|l| l.service()) else {
            continue;
        };
        let s = sim.stats();
        let down = m.lane(i).map(|r| r.downtime().as_secs_f64()).unwrap_or(0.0);
        let missed = m.lane(i).map(|r| r.missed_count()).unwrap_or(0);
        let mut name = El::new("th").set(Attr::Scope, "row").text(format!(
            "{}. {}",
            i + 1,
            lane_title(m, i, sim)
        ));
        if missed > 0 {
            name = name.text(" ").el(El::new("span")
                .set(Attr::Class, "badge bad")
                .text(format!("⚠ {missed} missed")));
        }
        body = body.el(El::new("tr")
            .string(Attr::DataLane, i.to_string())
            .el(name)
            .el(El::new("td").text(fixed(s.cost.instance_seconds, 0)))
            .el(El::new("td").text(fixed(s.cost.core_seconds, 0)))
            .el(El::new("td").text(fixed(s.cost.price, 2)))
            .el(El::new("td").text(ms(s.latency.p50)))
            .el(El::new("td").text(ms(s.latency.p95)))
            .el(El::new("td").text(ms(s.latency.p99)))
            .el(El::new("td").text(s.dropped.to_string()))
            .el(El::new("td").text(format!("{} s", fixed(down, 0))))
            .el(El::new("td").text(s.scale_actions.to_string())));
    }
    El::new("table")
        .set(Attr::Class, "data")
        .set(Attr::AriaLabel, "Each lane's totals on the identical load")
        .el(El::new("thead").el(head))
        .el(body)
        .html()
}

fn lane_card(v: &SceneView<'_, ScalingScene>, lane: u32, sim: &Service) -> Html {
    let recent = v.aged();
    let m = v.model;
    let r = m.lane(lane);
    let s = sim.stats();
    let t = r.and_then(|r| r.last_tick()).unwrap_or_default();
    El::new("figure")
        .set(Attr::Class, "lane")
        .set(
            Attr::Style,
            "margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem;",
        )
        .el(El::new("figcaption")
            .set(Attr::Style, "font-weight: 600;")
            .text(format!("{}. {}", lane + 1, lane_title(m, lane, sim))))
        .el(El::new("div")
            .set(Attr::Class, "stat-grid")
            .set(
                Attr::Style,
                "grid-template-columns: repeat(2, minmax(0, 1fr));",
            )
            .el(stat("capacity", format!("{}/s", s.capacity_rps)))
            .el(stat(
                "utilisation",
                format!("{} %", fixed(t.utilisation_pct, 0)),
            ))
            .el(stat("p95 (60 s)", ms(s.recent_latency.p95)))
            .el(stat(
                "cost",
                format!("{} core-s", fixed(s.cost.core_seconds, 0)),
            )))
        .child(missed_banner(sim, r))
        .child(if sim.mode() == ScalingMode::Vertical {
            machine_svg(sim, r, &recent, lane, v.reduced_motion, NARROW)
        } else {
            fleet_svg(sim, &recent, lane, v.reduced_motion, NARROW)
        })
        .child(lane_actions(sim, lane, &v.act, false))
        .child(decision_log(r, "Decisions"))
        .html()
}

/// A chart line labelled with text made at run time.
fn l_owned(column: usize, label: String) -> Line {
    Line {
        column,
        label: label.into(),
    }
}

fn compare_view(v: &SceneView<'_, ScalingScene>) -> Html {
    let m = v.model;
    let rows = &rows(v);
    let name = |i: u32| {
        let l = m.lane(i).map_or("", |l| l.label());
        if l.is_empty() {
            format!("lane {}", i + 1)
        } else {
            l.to_string()
        }
    };
    let (a, b) = (name(0), name(1));
    let mut cards = El::new("div").set(Attr::Style,
        "display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0.75rem; margin-top: 0.5rem;",
    );
    for i in 0..m.lane_count() {
        if let Some(sim) = m.lane(i).map(|l| l.service()) {
            cards = cards.child(lane_card(v, i, sim));
        }
    }
    let pair = |ca: usize, cb: usize| vec![l(ca, &a), l(cb, &b)];
    El::new("div")
        .set(Attr::Class, "scaling compare")
        .el(El::new("p")
            .set(Attr::Class, "muted")
            .set(Attr::Style, "margin: 0; font-size: 0.85rem;")
            .text(format!(
                "The identical requests, tick by tick, offered to each lane · t = {}",
                secs(m.now())
            )))
        .child(summary_table(m))
        .child(load_actions(v, m.lane(0).map(|s| s.service().load())))
        .el(cards)
        .el(El::new("div")
            .set(Attr::Class, "charts")
            .child(chart(
                "Offered load vs ready capacity (req/s)",
                rows,
                None,
                vec![
                    l(col::OFFERED, "offered"),
                    l_owned(col::CAPACITY, format!("{a} capacity")),
                    l_owned(col::L2_CAPACITY, format!("{b} capacity")),
                ],
            ))
            .child(chart(
                "p95 latency per tick (ms)",
                rows,
                None,
                pair(col::P95, col::L2_P95),
            ))
            .child(chart(
                "Dropped (req/s)",
                rows,
                None,
                pair(col::DROPPED, col::L2_DROPPED),
            ))
            .child(chart(
                "Cost so far (core-seconds)",
                rows,
                None,
                pair(col::COST, col::L2_COST),
            ))
            .child(chart(
                "Cores billed",
                rows,
                None,
                pair(col::CORES, col::L2_CORES),
            )))
        .html()
}

pub fn view(v: SceneView<'_, ScalingScene>) -> Html {
    let m = v.model;
    if m.is_comparison() {
        return compare_view(&v);
    }
    match m.lane(0).map(|l| l.service()) {
        Some(sim) => single_view(&v, sim),
        None => El::new("p").text("Nothing to show.").html(),
    }
}
