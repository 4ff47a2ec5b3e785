//! The hash ring: every shard's virtual nodes on the circle, the sampled keys just inside it at
//! their hash, each in its holder's shape, each shard's label beside its first point, and the
//! walk of the selected key (or of the latest request) clockwise to the vnode it lands on.

use super::geometry::{ring_xy, KEY_R, MAX_VNODES_DRAWN, RING_CX, RING_CY, RING_R};
use super::keys::{key_marker, KeyDot};
use super::shapes::{shape, shard_colour};
use crate::components::memo::{memo, View};
use crate::components::svg::{Attr, El};
use crate::fixed::coord;
use crate::scenes::sharding::Focus;
use scalelab_core::sharding::{key_name, RingRouter, RouteTrace, ShardId, ShardingModel};
use yew::prelude::*;

/// The ring for `ring`'s shards, with `keys` drawn and the keys in `moved` circled.
///
/// The circle with its virtual nodes, and the keys, are each drawn through [`memo`]: again
/// only when what it shows changes (a shard added or removed, a key moved, read stale or
/// selected), not on every frame of play, so a frame redraws only the route of the latest
/// request.
pub fn ring_drawing(
    sim: &ShardingModel,
    ring: &RingRouter,
    keys: Vec<KeyDot>,
    moved: &[&str],
    focus: Option<Focus>,
) -> Html {
    let shards: Vec<u32> = sim
        .manager()
        .router()
        .shards()
        .iter()
        .map(|s| s.0)
        .collect();
    let n = shards.len().max(1) as u32;
    let vnodes = ring.virtual_nodes();
    let per_shard = vnodes.min((MAX_VNODES_DRAWN / n).max(1));
    let keys: Vec<RingKey> = keys
        .into_iter()
        .map(|dot| RingKey {
            moved: moved.contains(&dot.key.as_str()),
            selected: focus == Some(Focus::Key(dot.rank)),
            dot,
        })
        .collect();
    let mut g = El::new("g")
        .set(Attr::Class, "ring")
        .child(memo(RingCircle {
            shards,
            per_shard,
            vnodes,
        }))
        .child(memo(RingKeys { keys }));
    if let Some(walk) = ring_walk(sim, focus) {
        g = g.el(walk);
    }
    g.html()
}

#[derive(PartialEq)]
struct RingCircle {
    shards: Vec<u32>,
    /// Virtual nodes drawn per shard (at most [`MAX_VNODES_DRAWN`] in all).
    per_shard: u32,
    /// Virtual nodes per shard on the ring.
    vnodes: u32,
}

/// The circle, every shard's drawn virtual nodes, each shard's label beside its first point
/// and the ring's captions.
impl View for RingCircle {
    fn view(&self) -> Html {
        let p = self;
        let caption = if p.per_shard < p.vnodes {
            format!("{} of {} vnodes/shard shown", p.per_shard, p.vnodes)
        } else {
            format!("{} virtual nodes per shard", p.vnodes)
        };
        // Children go straight into the group (no `html!` per element, no collected lists):
        // the same DOM for less wasm.
        let mut g = El::new("g")
            .el(El::new("circle")
                .num(Attr::Cx, RING_CX)
                .num(Attr::Cy, RING_CY)
                .num(Attr::R, RING_R)
                .set(Attr::Fill, "none")
                .set(Attr::Stroke, "var(--line)")
                .set(Attr::StrokeWidth, "2"))
            .el(El::new("circle")
                .num(Attr::Cx, RING_CX)
                .num(Attr::Cy, RING_CY)
                .num(Attr::R, KEY_R)
                .set(Attr::Fill, "none")
                .set(Attr::Stroke, "var(--line)")
                .set(Attr::StrokeWidth, "0.5")
                .set(Attr::StrokeDasharray, "2 3"));
        for &id in &p.shards {
            for i in 0..p.per_shard {
                let (x, y) = ring_xy(RingRouter::point_of(ShardId(id), i), RING_R);
                g = g.el(shape(id, x, y, 4.0, "vnode"));
            }
        }
        for &id in &p.shards {
            let (x, y) = ring_xy(RingRouter::point_of(ShardId(id), 0), RING_R + 15.0);
            g = g.el(El::new("text")
                .num(Attr::X, x)
                .num(Attr::Y, y + 4.0)
                .set(Attr::TextAnchor, "middle")
                .set(Attr::FontSize, "10")
                .set(Attr::FontWeight, "700")
                .string(Attr::Style, format!("fill:{}", shard_colour(id)))
                .text(format!("S{id}")));
        }
        g.el(El::new("text")
            .num(Attr::X, RING_CX)
            .num(Attr::Y, RING_CY - 6.0)
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "11")
            .set(Attr::FontWeight, "600")
            .text("hash ring"))
            .el(El::new("text")
                .set(Attr::Class, "muted")
                .num(Attr::X, RING_CX)
                .num(Attr::Y, RING_CY + 9.0)
                .set(Attr::TextAnchor, "middle")
                .set(Attr::FontSize, "9")
                .text("0 at the top, clockwise"))
            .el(El::new("text")
                .set(Attr::Class, "muted")
                .num(Attr::X, RING_CX)
                .num(Attr::Y, RING_CY + 21.0)
                .set(Attr::TextAnchor, "middle")
                .set(Attr::FontSize, "9")
                .text(caption))
            .html()
    }
}

/// One sampled key on the ring, with whether it just moved and whether it is selected.
#[derive(PartialEq)]
struct RingKey {
    dot: KeyDot,
    moved: bool,
    selected: bool,
}

#[derive(PartialEq)]
struct RingKeys {
    keys: Vec<RingKey>,
}

/// The sampled keys just inside the ring, at their hash, each in its holder's shape.
impl View for RingKeys {
    fn view(&self) -> Html {
        let mut g = El::new("g");
        for k in &self.keys {
            let (x, y) = ring_xy(k.dot.hash, KEY_R);
            g = g.child(key_marker(&k.dot, x, y, k.moved, 2.6, k.selected));
        }
        g.html()
    }
}

/// The clockwise walk of the selected key, or else of the latest request, drawn just outside
/// the ring: a faint arc over the stretch its vnode owns (from the vnode before it), a strong
/// one from the key's hash to the vnode, and a ring round that vnode.
fn ring_walk(sim: &ShardingModel, focus: Option<Focus>) -> Option<El> {
    let focused = match focus {
        Some(Focus::Key(rank)) => sim.manager().router().trace(&key_name(rank)),
        _ => None,
    };
    let trace = focused.as_ref().or(sim.last_route().map(|d| &d.trace))?;
    let RouteTrace::Ring {
        hash,
        vnode,
        before,
        ..
    } = *trace
    else {
        return None;
    };
    let r = RING_R + 7.0;
    let (vx, vy) = ring_xy(vnode.position, RING_R);
    Some(
        El::new("g")
            .set(Attr::Class, "ring-walk")
            .set(Attr::AriaHidden, "true")
            .el(arc(before.position, vnode.position, r, "1.5", "0.35"))
            .el(arc(hash, vnode.position, r, "3", "0.9"))
            .el(El::new("circle")
                .num(Attr::Cx, vx)
                .num(Attr::Cy, vy)
                .set(Attr::R, "6.5")
                .set(Attr::Fill, "none")
                .set(Attr::Stroke, "var(--accent)")
                .set(Attr::StrokeWidth, "2")),
    )
}

/// An arc of radius `r` clockwise from ring position `from` to `to`.
fn arc(from: u64, to: u64, r: f64, width: &'static str, opacity: &'static str) -> El {
    let (x1, y1) = ring_xy(from, r);
    let (x2, y2) = ring_xy(to, r);
    let large = if to.wrapping_sub(from) > u64::MAX / 2 {
        "1"
    } else {
        "0"
    };
    El::new("path")
        .string(
            Attr::D,
            format!(
                "M{} {}A{r2} {r2} 0 {large} 1 {} {}",
                coord(x1),
                coord(y1),
                coord(x2),
                coord(y2),
                r2 = coord(r)
            ),
        )
        .set(Attr::Fill, "none")
        .set(Attr::Stroke, "var(--accent)")
        .set(Attr::StrokeWidth, width)
        .set(Attr::Opacity, opacity)
}
