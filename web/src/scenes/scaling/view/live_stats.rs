//! The one-set-up view's live figures: offered load, capacity, utilisation, latency, drops,
//! the fleet or machine, and the cost so far.

use super::text::ms;
use crate::components::stat::stat;
use crate::fixed::fixed;
use scalelab_core::scaling::{Lane, ScalingMode};
use yew::prelude::*;

pub fn live_stats(lane: &Lane) -> Html {
    let sim = lane.service();
    let s = sim.stats();
    let t = lane.last_tick().unwrap_or_default();
    let fleet = if sim.mode() == ScalingMode::Vertical {
        stat("machine", format!("{} cores", sim.machine().cores()))
    } else if sim.mode() == ScalingMode::Hybrid {
        let h = sim.hybrid_why();
        stat(
            "machines (ceiling)",
            format!(
                "{} × {} cores ({})",
                h.machines, h.machine_cores, h.ceiling_cores
            ),
        )
    } else {
        stat("ready (+warming)", format!("{} (+{})", s.ready, s.warming))
    };
    html! {
        <div class="stat-grid" aria-label="Live figures">
            {stat("offered", format!("{}/s", fixed(t.rate(t.offered), 0)))}
            {stat("ready capacity", format!("{}/s", s.capacity_rps))}
            {stat("utilisation", format!("{} %", fixed(t.utilisation_pct, 0)))}
            {stat("p95 (last 60 s)", ms(s.recent_latency.p95))}
            {stat("dropped so far", s.dropped.to_string())}
            {fleet}
            {stat("cost so far", format!("{} core-s", fixed(s.cost.core_seconds, 0)))}
        </div>
    }
}
