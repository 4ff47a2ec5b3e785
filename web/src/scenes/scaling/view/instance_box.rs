//! One instance of the fleet drawing, and the "ghost" of one that has just gone, laid out on
//! the fleet's grid. Redrawn every frame: built with `El`.

use super::geometry::{progress, transform, GROW_MS, WIDE};
use super::pick::Pick;
use crate::components::svg::{Attr, El};
use crate::fixed::{attr, fixed};
use crate::player::RECENT_MS;
use scalelab_core::scaling::{Instance, InstanceState, ScalingEvent, Service, ServiceEvent};
use scalelab_core::Model;
use yew::Html;

/// Where the boxes go: columns, box size, and whether boxes are compact.
pub struct Grid {
    pub width: f64,
    pub cols: usize,
    pub w: f64,
    pub h: f64,
    pub compact: bool,
}

pub fn grid_for(n: usize, width: f64) -> Grid {
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

pub fn instance_box(
    g: &Grid,
    i: usize,
    inst: &Instance,
    sim: &Service,
    recent: &[(f64, &ScalingEvent)],
    pick: Pick<'_>,
    reduced: bool,
) -> Html {
    let lane = pick.lane;
    let (x, y) = cell(g, i);
    let now = sim.now();
    let load = inst.utilisation(sim.config().tick);
    let queue = inst.queue_share();
    let (state, tone) = match inst.state {
        InstanceState::Ready => (format!("ready · {} %", fixed(load * 100.0, 0)), None),
        InstanceState::Warming => {
            let left = inst.warm_left(now).as_secs_f64();
            (format!("warming · {} s", fixed(left, 0)), Some("warn"))
        }
        InstanceState::Draining => (format!("draining, {} left", inst.backlog), Some("bad")),
    };
    let warm = inst.warm_progress(now);
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
        .set(
            Attr::DataState,
            match inst.state {
                InstanceState::Ready => "Ready",
                InstanceState::Warming => "Warming",
                InstanceState::Draining => "Draining",
            },
        )
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

/// A box that has just gone: removed instances fading out, and the name the naive rule
/// tried to remove although it did not exist.
pub fn ghost(
    g: &Grid,
    i: usize,
    name: &str,
    note: &str,
    bad: bool,
    age: f64,
    reduced: bool,
) -> Html {
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
