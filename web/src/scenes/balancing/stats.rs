//! The first lane's live figures, as a grid of labelled values.

use super::units::{moved, ms, sessions};
use crate::fixed::fixed;
use scalelab_core::balancing::LaneMetrics;
use yew::prelude::*;

/// The grid for lane `l`, with its balancer's throughput over the last second; the health
/// verdicts' flaps only when health checks run (`health_checked`), since without them no
/// verdict exists to flap.
pub fn stats(l: &LaneMetrics, recent_throughput: f64, health_checked: bool) -> Html {
    let figures = [
        Some(("p50 (live)", ms(l.recent_latency.p50))),
        Some(("p95 (live)", ms(l.recent_latency.p95))),
        Some(("p99 (live)", ms(l.recent_latency.p99))),
        Some(("throughput", format!("{}/s", fixed(recent_throughput, 0)))),
        Some(("dropped", l.dropped.to_string())),
        Some(("failed", l.failed.to_string())),
        Some(("in flight", l.in_flight.to_string())),
        health_checked.then(|| ("health verdict flaps", l.health_flaps.to_string())),
        Some(("sessions kept on their server", sessions(&l.clients))),
        Some(("clients moved since servers changed", moved(&l.clients))),
    ];
    html! {
        <div class="stat-grid" aria-label="Live figures for the first lane">
            { for figures.into_iter().flatten().map(|(k, v)| html! {
                <div class="stat"><span class="k">{k}</span><span class="v">{v}</span></div>
            }) }
        </div>
    }
}
