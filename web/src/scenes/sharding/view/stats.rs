//! The live figures above the drawings: reads, writes, the keys lost right now, keys moved and
//! in flight, the directory's size and the imbalance.

use crate::components::stat::{figure, stat};
use crate::fixed::fixed;
use scalelab_core::sharding::ShardingModel;
use yew::prelude::*;

/// A count that should be zero: marked in the warning colour, with ⚠, when it is not.
fn warn_stat(k: &'static str, v: u64) -> Html {
    if v > 0 {
        figure(
            k,
            format!("⚠ {v}"),
            Some("border-color:var(--bad);color:var(--bad)"),
        )
    } else {
        stat(k, v.to_string())
    }
}

/// The stat grid for the model's present.
pub fn stats(sim: &ShardingModel) -> Html {
    let m = sim.manager();
    let s = sim.stats();
    html! {
        <div class="stat-grid" aria-label="Live figures">
            { stat("reads", s.reads.to_string()) }
            { stat("writes", s.writes.to_string()) }
            { warn_stat("unreadable keys", sim.unreadable_count()) }
            { warn_stat("stale keys", sim.stale_count()) }
            { stat("keys moved", s.keys_moved.to_string()) }
            { stat("in flight", m.keys_in_flight().to_string()) }
            { stat("directory size", m.directory_len().to_string()) }
            { stat("max / avg", fixed(sim.imbalance(), 2)) }
        </div>
    }
}
