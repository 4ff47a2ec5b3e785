//! The request path: clients → load balancer → app instances (each with its L1) → the shared
//! L2 → the shards, each tier's state in its box, and requests travelling through it. A dot
//! retraces one answered request's trip hop by hop, out to the level that answered it and
//! back, coloured by that level; ✕ marks a request dropped or failed where it happened.
//! Redrawn every frame: built with `El`.

use super::frame::Frame;
use super::geometry::{along, Layout, Rect, MAX_ROWS, WIDTH};
use crate::components::select::{select_handlers, selectable};
use crate::components::svg::{marks_layer, Attr, El};
use crate::fixed::{attr, fixed};
use crate::scenes::system::inspect::instance_name;
use crate::scenes::system::Focus;
use scalelab_core::caching::Cache;
use scalelab_core::num_text::Num;
use scalelab_core::system::{Answer, DropPoint, FailReason, SystemEvent, SystemModel};
use scalelab_core::Model;
use yew::prelude::*;

/// A trip's length on the drawing's clock: the player's standard motion (which the scene's
/// `MOTION_SIM_MS` sets to 110 ms of simulated time: 1.1 s on screen at 1/10×).
const TRIP_MS: f64 = 700.0;
/// How long a ✕ stays.
const MARK_MS: f64 = 700.0;
/// Most dots drawn: above it, every second (fourth, …) request by id is drawn, so each drawn
/// dot keeps its whole trip instead of flickering.
const MAX_DOTS: usize = 48;

fn rect(r: Rect, class: &'static str) -> El {
    El::new("rect")
        .set(Attr::Class, class)
        .num(Attr::X, r.x)
        .num(Attr::Y, r.y)
        .num(Attr::Width, r.w)
        .num(Attr::Height, r.h)
        .set(Attr::Rx, "5")
}

fn text(x: f64, y: f64, s: String) -> El {
    El::new("text").num(Attr::X, x).num(Attr::Y, y).text(s)
}

fn line(a: (f64, f64), b: (f64, f64)) -> El {
    El::new("line")
        .set(Attr::Class, "link")
        .num(Attr::X1, a.0)
        .num(Attr::Y1, a.1)
        .num(Attr::X2, b.0)
        .num(Attr::Y2, b.1)
}

/// Where on an instance row its L1 sits (the right end of its box).
fn l1_chip(r: Rect) -> Rect {
    Rect {
        x: r.x + r.w - 44.0,
        y: r.y + 3.0,
        w: 40.0,
        h: r.h - 6.0,
    }
}

/// The class a dot of each answer takes (its colour, with the legend's).
fn dot_class(a: Answer) -> &'static str {
    match a {
        Answer::L1 => "dot a-l1",
        Answer::L2 => "dot a-l2",
        Answer::Shard => "dot a-shard",
        Answer::Coalesced => "dot a-coalesced",
        Answer::Write => "dot a-write",
    }
}

pub fn path_svg(f: &Frame<'_>) -> Html {
    let m = f.model;
    let instances = m.instances();
    let layout = Layout::new(instances.len(), m.shards().len());
    let height = layout.height();
    let aria = format!(
        "The request path: {} app instances serving, the L2 {}, {} shards. Dots are requests \
         travelling to the level that answered them and back.",
        m.ready_instances(),
        if m.l2_down() { "down" } else { "up" },
        m.shards().len()
    );
    let view_box = format!("0 0 {} {}", Num(WIDTH), fixed(height, 0));
    let mut svg = El::new("svg")
        .set(Attr::Class, "drawing system-path")
        .string(Attr::ViewBox, view_box.clone())
        .set(Attr::Role, "group")
        .string(Attr::AriaLabel, aria);
    svg = headings(svg, &layout);
    svg = links(svg, m, &layout);
    svg = single_boxes(svg, m, &layout);
    for (i, inst) in instances.iter().take(MAX_ROWS).enumerate() {
        let selected = f.focus == Some(Focus::Instance(inst.id));
        svg = svg.child(instance_row(m, inst, layout.instance(i), selected));
    }
    svg = svg.maybe((instances.len() > MAX_ROWS).then(|| {
        let r = layout.instance(MAX_ROWS);
        text(
            r.x + 6.0,
            r.y + 14.0,
            format!("+{} more", instances.len() - MAX_ROWS),
        )
        .set(Attr::Class, "muted")
    }));
    for (s, shard) in m.shards().iter().enumerate().take(MAX_ROWS) {
        let selected = f.focus == Some(Focus::Shard(s as u32));
        svg = svg.child(shard_row(m, s, shard, layout.shard(s), selected));
    }
    svg = svg.maybe((m.shards().len() > MAX_ROWS).then(|| {
        let r = layout.shard(MAX_ROWS);
        text(
            r.x + 6.0,
            r.y + 14.0,
            format!("+{} more", m.shards().len() - MAX_ROWS),
        )
        .set(Attr::Class, "muted")
    }));
    svg = svg.el(legend(&layout));
    // The requests' dots and the ✕ marks move on every frame: on the marks layer.
    let marks = marks_layer(view_box).list(requests(f, &layout));
    let (onclick, onkeydown) = select_handlers(f.on_focus, Focus::parse);
    html! {
        <div class="drawing-box drawing-stack" {onclick} {onkeydown}>{svg.html()}{marks.html()}</div>
    }
}

fn headings(mut svg: El, l: &Layout) -> El {
    let y = l.heading_y();
    for (x, s) in [
        (l.clients().x, "clients"),
        (l.balancer().x, "load balancer"),
        (l.instance(0).x, "app tier · its L1s"),
        (l.l2().x, "shared cache"),
        (l.shard(0).x, "sharded store"),
    ] {
        svg = svg.el(text(x, y, s.to_string())
            .set(Attr::Class, "muted")
            .set(Attr::FontWeight, "600"));
    }
    svg
}

fn links(mut svg: El, m: &SystemModel, l: &Layout) -> El {
    svg = svg.el(line(l.clients().right(), l.balancer().left()));
    let n = m.instances().len().min(MAX_ROWS);
    for i in 0..n {
        let r = l.instance(i);
        svg = svg.el(line(l.balancer().right(), r.left()));
        svg = svg.el(line(r.right(), l.l2().left()));
    }
    for s in 0..m.shards().len().min(MAX_ROWS) {
        svg = svg.el(line(l.l2().right(), l.shard(s).left()));
    }
    svg
}

fn single_boxes(svg: El, m: &SystemModel, l: &Layout) -> El {
    let (c, b, l2) = (l.clients(), l.balancer(), l.l2());
    let l2_class = if m.l2_down() { "box down" } else { "box" };
    let l2_state = if m.l2_down() {
        "DOWN".to_string()
    } else {
        format!("{} entries", m.l2_entries())
    };
    let hit = m.l2_hit_rate().map_or_else(
        || "hits –".to_string(),
        |r| format!("hits {} %", fixed(r * 100.0, 0)),
    );
    svg.el(rect(c, "box"))
        .el(text(c.x + 8.0, c.y + 18.0, "clients".to_string()))
        .el(
            text(c.x + 8.0, c.y + 34.0, format!("{} sent", m.stats().arrived))
                .set(Attr::Class, "muted"),
        )
        .el(rect(b, "box"))
        .el(text(b.x + 8.0, b.y + 18.0, "balancer".to_string()))
        .el(text(
            b.x + 8.0,
            b.y + 34.0,
            m.config().balancer.strategy.name().to_string(),
        )
        .set(Attr::Class, "muted")
        .set(Attr::FontSize, "9"))
        .el(rect(l2, l2_class))
        .el(text(l2.x + 8.0, l2.y + 18.0, "L2 (Redis)".to_string()))
        .el(text(l2.x + 8.0, l2.y + 34.0, l2_state))
        .el(text(l2.x + 8.0, l2.y + 50.0, hit).set(Attr::Class, "muted"))
}

fn instance_row(
    m: &SystemModel,
    inst: &scalelab_core::system::Instance,
    r: Rect,
    selected: bool,
) -> Html {
    let now = m.now();
    let name = instance_name(inst.id);
    // Short enough to fit beside the L1 chip: "app-2 · 12 req · ×10", "app-3 · booting".
    let (class, shown, state) = if !inst.ready(now) {
        ("box booting", format!("{name} · booting"), ", booting")
    } else if inst.slow > 1 {
        (
            "box warn",
            format!("{name} · {} req · ×{}", inst.in_flight, inst.slow),
            ", slowed",
        )
    } else {
        ("box", format!("{name} · {} req", inst.in_flight), "")
    };
    let chip = l1_chip(r);
    let label = format!(
        "{name}{state}, holding {} requests, L1 {} entries",
        inst.in_flight,
        inst.l1.len()
    );
    let drawn = El::new("g")
        .el(rect(r, class))
        .el(text(r.x + 6.0, r.y + 14.0, shown))
        .el(rect(chip, "chip"))
        .el(
            text(chip.x + 3.0, chip.y + 11.0, format!("L1 {}", inst.l1.len()))
                .set(Attr::FontSize, "9"),
        )
        .html();
    selectable(Focus::Instance(inst.id).code(), label, selected, drawn)
}

fn shard_row(
    m: &SystemModel,
    s: usize,
    shard: &scalelab_core::system::Shard,
    r: Rect,
    selected: bool,
) -> Html {
    let share = m.shard_load(s as u32).unwrap_or(0.0).clamp(0.0, 1.0);
    let (class, state) = if shard.down {
        ("box down", " DOWN".to_string())
    } else if shard.slow > 1 {
        ("box warn", format!(" {}× slow", shard.slow))
    } else {
        ("box", String::new())
    };
    let label = format!("shard {s}{state}, {} per second", fixed(shard.rate, 0));
    let drawn = El::new("g")
        .el(rect(r, class))
        .el(El::new("rect")
            .set(Attr::Class, "bar")
            .num(Attr::X, r.x + 2.0)
            .num(Attr::Y, r.y + r.h - 5.0)
            .num(Attr::Width, (r.w - 4.0) * share)
            .set(Attr::Height, "3"))
        .el(text(
            r.x + 6.0,
            r.y + 13.0,
            format!("shard {s} · {}/s{state}", fixed(shard.rate, 0)),
        ))
        .html();
    selectable(Focus::Shard(s as u32).code(), label, selected, drawn)
}

/// The points of a trip from the clients to the level that answered and back.
fn trip(l: &Layout, row: usize, answer: Answer, shard: Option<u32>) -> Vec<(f64, f64)> {
    let inst = l.instance(row);
    let mut out = vec![
        l.clients().right(),
        l.balancer().mid(),
        inst.left(),
        l1_chip(inst).mid(),
    ];
    let to_store = matches!(answer, Answer::Shard | Answer::Coalesced | Answer::Write);
    if answer != Answer::L1 {
        out.push(l.l2().left());
        out.push(l.l2().mid());
        if let Some(s) = shard.filter(|_| to_store) {
            let sr = l.shard((s as usize).min(MAX_ROWS));
            out.push(l.l2().right());
            out.push(sr.left());
            out.push(l.l2().right());
        }
        out.push(l.l2().left());
    }
    out.push(inst.left());
    out.push(l.balancer().mid());
    out.push(l.clients().right());
    out
}

/// The requests on their trips (every `every`-th by id when there are many) and the drops and
/// failures, newest last.
fn requests(f: &Frame<'_>, l: &Layout) -> Vec<Html> {
    let mut marks = Vec::new();
    let m = f.model;
    let answered = f
        .recent
        .iter()
        .filter(|(age, e)| *age < TRIP_MS && matches!(e, SystemEvent::Answered { .. }))
        .count();
    // Draw every `every`-th request by id: a power of two, so it changes rarely.
    let every = answered.div_ceil(MAX_DOTS).max(1).next_power_of_two() as u64;
    for (age, e) in &f.recent {
        match e {
            SystemEvent::Answered {
                request,
                instance,
                answer,
                shard,
                ..
            } if *age < TRIP_MS && request % every == 0 => {
                let Some(row) = m.instances().iter().position(|i| i.id == *instance) else {
                    continue;
                };
                let points = trip(l, row.min(MAX_ROWS), *answer, *shard);
                // Reduced motion: the dot rests where it was answered instead of travelling.
                let t = if f.reduced_motion { 0.5 } else { age / TRIP_MS };
                let (x, y) = along(&points, t);
                marks.push(
                    El::new("circle")
                        .set(Attr::Class, dot_class(*answer))
                        .num(Attr::Cx, x)
                        .num(Attr::Cy, y)
                        .set(Attr::R, "3.5")
                        .html(),
                );
            }
            SystemEvent::Dropped { point, .. } if *age < MARK_MS => {
                let (x, y) = match point {
                    DropPoint::NoInstance | DropPoint::AppQueue => l.balancer().right(),
                    DropPoint::ShardQueue => l.l2().right(),
                };
                marks.push(cross(x + 6.0, y - age / MARK_MS * 14.0, age).html());
            }
            SystemEvent::Failed { reason, .. } if *age < MARK_MS => {
                let (x, y) = match reason {
                    FailReason::InstanceKilled => l.instance(0).left(),
                    FailReason::ShardDown => l.shard(0).left(),
                };
                marks.push(cross(x - 10.0, y - 8.0 + age / MARK_MS * 14.0, age).html());
            }
            _ => {}
        }
    }
    marks
}

/// A red ✕, fading as it ages.
fn cross(x: f64, y: f64, age: &f64) -> El {
    El::new("text")
        .set(Attr::Class, "cross")
        .num(Attr::X, x)
        .num(Attr::Y, y)
        .val(Attr::Opacity, attr(1.0 - age / MARK_MS, 2))
        .text("✕")
}

fn legend(l: &Layout) -> El {
    let y = l.legend_y();
    let mut g = El::new("g").set(Attr::FontSize, "10");
    let mut x = 8.0;
    g = g.el(text(
        x,
        y,
        "a dot is a request's trip, coloured by who answered:".to_string(),
    )
    .set(Attr::Class, "muted"));
    x += 268.0;
    for (class, name) in [
        ("dot a-l1", "its L1"),
        ("dot a-l2", "L2"),
        ("dot a-shard", "a shard"),
        ("dot a-coalesced", "coalesced"),
        ("dot a-write", "a write"),
    ] {
        g = g
            .el(El::new("circle")
                .set(Attr::Class, class)
                .num(Attr::Cx, x)
                .num(Attr::Cy, y - 3.5)
                .set(Attr::R, "4"))
            .el(text(x + 7.0, y, name.to_string()));
        x += 22.0 + name.len() as f64 * 6.0;
    }
    g.el(text(x, y, "✕ dropped or failed".to_string()).set(Attr::Class, "cross-key"))
}
