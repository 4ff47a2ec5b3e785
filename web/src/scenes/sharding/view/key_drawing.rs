//! The left drawing: the keys by hash — on the ring for the ring router, in one bin per shard
//! for the others — labelled for screen readers with what it shows.

use super::bins::bins_drawing;
use super::geometry::{Rows, KEYS_H, KEYS_W};
use super::keys::sample_keys;
use super::ring::ring_drawing;
use crate::components::svg::{Attr, El};
use crate::fixed::coord;
use crate::scenes::sharding::Focus;
use scalelab_core::num_text::Num;
use scalelab_core::sharding::{Router, ShardingModel};
use yew::prelude::*;

/// The key drawing for the model's present; `moved` lists the keys that just moved.
pub fn key_drawing(sim: &ShardingModel, rows: &Rows, moved: &[&str], focus: Option<Focus>) -> Html {
    let keys = sample_keys(sim);
    let router = sim.manager().router();
    let kind = router.kind();
    let what = match router {
        Router::Ring(_) => "Hash ring with each shard's virtual nodes",
        _ => "One bin per shard",
    };
    let label = format!(
        "{what}: {} of {} keys drawn by hash, each in its shard's colour and shape and selectable; {} unreadable and {} stale keys",
        keys.len(),
        sim.config().keys,
        sim.unreadable_count(),
        sim.stale_count(),
    );
    let (main, keys_h) = match router {
        Router::Ring(r) => (ring_drawing(sim, r, keys, moved, focus), KEYS_H),
        _ => bins_drawing(rows, &keys, moved, kind, focus),
    };
    El::new("svg")
        .set(Attr::Class, "drawing")
        .set(Attr::Style, "flex:1 1 300px;width:auto;min-width:0")
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", Num(KEYS_W), coord(keys_h)),
        )
        .set(Attr::Role, "group")
        .string(Attr::AriaLabel, label)
        .child(main)
        .html()
}
