//! The vertical machine: a box sized by its cores (growing or shrinking when just resized),
//! its cores lit by utilisation, its queue, and its status — down while it is resized.
//! Redrawn every frame: built with `El`.

use super::geometry::{progress, GROW_MS, MAX_CSS_WIDTH};
use super::pick::Pick;
use super::text::secs;
use crate::components::svg::{Attr, El};
use crate::fixed::fixed;
use scalelab_core::num_text::Num;
use scalelab_core::scaling::{InstanceState, Lane, ScalingEvent, ServiceEvent};
use yew::Html;

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

pub fn machine_svg(
    l: &Lane,
    recent: &[(f64, &ScalingEvent)],
    pick: Pick<'_>,
    reduced: bool,
    width: f64,
) -> Html {
    let lane = pick.lane;
    let sim = l.service();
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
    let t = l.last_tick().unwrap_or_default();
    let util = (t.utilisation_pct / 100.0).clamp(0.0, 1.0);
    let queue = inst.map(|i| i.queue_share()).unwrap_or(0.0);
    let status = if resizing {
        let (dir, from, to) = match l.last_resize() {
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
    let svg = El::new("svg")
        .set(Attr::Class, "drawing machine")
        .set(Attr::Style, MAX_CSS_WIDTH)
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", Num(width), fixed(height, 0)),
        )
        // A group, not an image: the machine is a button that selects it.
        .set(Attr::Role, "group")
        .string(Attr::AriaLabel, aria.clone())
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
            .text(status));
    let mut body = El::new("g")
        .el(El::new("rect")
            .set(Attr::Class, if resizing { "box bad" } else { "box" })
            .num(Attr::X, x)
            .num(Attr::Y, y)
            .num(Attr::Width, w)
            .num(Attr::Height, h)
            .set(Attr::Rx, "8"))
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
        body = body.el(El::new("rect")
            .set(Attr::Class, if on { "bar" } else { "link" })
            .num(Attr::X, cx)
            .num(Attr::Y, cy)
            .string(Attr::Width, Num(sq).to_string())
            .string(Attr::Height, Num(sq).to_string())
            .set(Attr::Rx, "2")
            .opt(Attr::Fill, (!on).then_some("none")));
    }
    let body = body
        .el(El::new("rect")
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
        .html();
    let body = match inst {
        Some(i) => pick.wrap(i.id, aria, body),
        None => body,
    };
    svg.child(body)
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
