//! The first lane's live figures, as a grid of labelled values.

use super::units::{moved, ms, sessions};
use crate::fixed::fixed;
use scalelab_core::balancing::LaneMetrics;
use yew::prelude::*;

/// The grid for lane `l`, with its balancer's throughput over the last second.
pub fn stats(l: &LaneMetrics, recent_throughput: f64) -> Html {
    let figures = [
        ("p50 (live)", ms(l.recent_latency.p50)),
        ("p95 (live)", ms(l.recent_latency.p95)),
        ("p99 (live)", ms(l.recent_latency.p99)),
        ("throughput", format!("{}/s", fixed(recent_throughput, 0))),
        ("dropped", l.dropped.to_string()),
        ("failed", l.failed.to_string()),
        ("in flight", l.in_flight.to_string()),
        ("health verdict flaps", l.health_flaps.to_string()),
        ("sessions kept on their server", sessions(&l.clients)),
        ("clients moved since servers changed", moved(&l.clients)),
    ];
    html! {
        <div class="stat-grid" aria-label="Live figures for the first lane">
            { for figures.into_iter().map(|(k, v)| html! {
                <div class="stat"><span class="k">{k}</span><span class="v">{v}</span></div>
            }) }
        </div>
    }
}
