//! Drawing the sharded store, one file per panel: the live figures and the loss banner, the
//! key drawing (hash ring, or per-shard bins for routers without a ring), the shard drawing
//! (key-count bars with the 80 %/120 % thresholds, keys travelling between shards as batches
//! migrate, the scatter-gather of queries), the legend, the actions, the moved-key table and
//! the charts. Everything shown is a readout of the core's model; this only draws it.
//!
//! Files import only files below them: panels use `geometry`, `shapes` and `keys`, and this
//! file composes the panels.

mod actions;
mod bins;
mod charts;
mod focus;
mod geometry;
mod key_drawing;
mod keys;
mod legend;
mod loss_banner;
mod migration;
mod moves;
mod query;
mod ring;
mod shapes;
mod shard_drawing;
mod shard_rows;
mod stats;

use super::build::{aggregate, fault, MAX_VNODES};
use super::Focus;
use crate::scenes::{Scene, SceneView};
use actions::actions;
use charts::charts;
use geometry::Rows;
use key_drawing::key_drawing;
use legend::legend;
use loss_banner::loss_banner;
use moves::MoveTable;
use scalelab_core::sharding::{RouterKind, ShardEventKind, ShardingAction, ShardingModel};
use shard_drawing::shard_drawing;
use stats::stats;
use yew::prelude::*;

/// Where the store is: keys in flight (and how batches are paced) or at rest.
fn status(sim: &ShardingModel) -> String {
    let m = sim.manager();
    if !m.is_migrating() {
        return "At rest: every key is on the shard its route (or the directory) points to."
            .to_string();
    }
    let per_step = sim.config().batch_interval_micros < sim.config().op_interval_micros;
    format!(
        "Migrating: {} keys still in flight — {}",
        m.keys_in_flight(),
        if per_step {
            "each Step moves one batch (up to 100 keys)."
        } else {
            "batches run between reads and writes."
        }
    )
}

/// The whole scene for one frame. Generic over the scene type, so this file need not name
/// the scene that calls it.
pub fn view<S>(v: SceneView<'_, S>) -> Html
where
    S: Scene<Model = ShardingModel, Action = ShardingAction, Focus = Focus>,
{
    let recent = v.aged();
    let sim = v.model;
    let rows = Rows::new(
        sim.manager().key_counts(),
        sim.average_live_keys(),
        sim.config().max_live_shards,
    );
    // Keys that just moved (a list: at most a few hundred recent events).
    let moved: Vec<&str> = recent
        .iter()
        .filter_map(|(_, e)| match &e.kind {
            ShardEventKind::KeyMoved { key, .. } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    let kind = sim.manager().router().kind();
    // The table's ring row uses the ring's own points, or the setting when another router runs.
    let vnodes = match kind {
        RouterKind::Ring { virtual_nodes } => virtual_nodes,
        _ => v.params.int("vnodes").clamp(1, MAX_VNODES) as u32,
    };
    let (on_click, on_key) = focus::handlers(&v.on_focus);
    html! {
        <div class="sharding">
            { stats(sim) }
            { loss_banner(sim) }
            <p style="margin:0.25rem 0;font-size:0.88rem">
                <strong>{ format!("Router: {}. ", kind.label()) }</strong>
                <span style="color:var(--muted)">{ status(sim) }</span>
            </p>
            <div style="display:flex;flex-wrap:wrap;gap:0.5rem 1rem;align-items:flex-start"
                onclick={on_click} onkeydown={on_key}>
                { key_drawing(sim, &rows, &moved, v.focus) }
                { shard_drawing(sim, &rows, &recent, v.reduced_motion, v.focus) }
            </div>
            { legend(&rows) }
            { actions(sim, &v.act, aggregate(v.params), fault(v.params)) }
            <MoveTable keys={sim.config().keys} shards={sim.live_shard_count()}
                virtual_nodes={vnodes} current={kind} />
            { charts(v.series) }
        </div>
    }
}
