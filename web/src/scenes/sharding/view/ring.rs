//! The hash ring: every shard's virtual nodes on the circle, the sampled keys just inside it at
//! their hash, each in its holder's shape, and each shard's label beside its first point.

use super::geometry::{ring_xy, KEY_R, MAX_VNODES_DRAWN, RING_CX, RING_CY, RING_R};
use super::keys::{key_marker, KeyDot};
use super::shapes::{shape, shard_colour};
use crate::components::svg::{Attr, El};
use scalelab_core::sharding::{RingRouter, ShardingModel};
use yew::prelude::*;

/// The ring for `ring`'s shards, with `keys` drawn and the keys in `moved` circled.
pub fn ring_drawing(
    sim: &ShardingModel,
    ring: &RingRouter,
    keys: &[KeyDot],
    moved: &[&str],
) -> Html {
    let shards = sim.manager().router().shards();
    let n = shards.len().max(1) as u32;
    let vnodes = ring.virtual_nodes();
    let per_shard = vnodes.min((MAX_VNODES_DRAWN / n).max(1));
    let caption = if per_shard < vnodes {
        format!("{per_shard} of {vnodes} vnodes/shard shown")
    } else {
        format!("{vnodes} virtual nodes per shard")
    };
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for less wasm.
    let mut g = El::new("g")
        .set(Attr::Class, "ring")
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
    for &id in &shards {
        for i in 0..per_shard {
            let (x, y) = ring_xy(RingRouter::point_of(id, i), RING_R);
            g = g.el(shape(id.0, x, y, 4.0, "vnode"));
        }
    }
    for k in keys {
        let (x, y) = ring_xy(k.hash, KEY_R);
        g = g.el(key_marker(k, x, y, moved.contains(&k.key.as_str()), 2.6));
    }
    for &id in &shards {
        let (x, y) = ring_xy(RingRouter::point_of(id, 0), RING_R + 15.0);
        g = g.el(El::new("text")
            .num(Attr::X, x)
            .num(Attr::Y, y + 4.0)
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "10")
            .set(Attr::FontWeight, "700")
            .string(Attr::Style, format!("fill:{}", shard_colour(id.0)))
            .text(format!("S{}", id.0)));
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
