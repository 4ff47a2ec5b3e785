//! The first lane's live figures, as a grid of labelled values.

use super::units::ms;
use crate::components::svg::{Attr, El};
use crate::fixed::fixed;
use scalelab_core::balancing::LaneMetrics;
use yew::prelude::*;

/// The grid for lane `l`, with its balancer's throughput over the last second.
pub fn stats(l: &LaneMetrics, recent_throughput: f64) -> Html {
    let mut grid = El::new("div")
        .set(Attr::Class, "stat-grid")
        .set(Attr::AriaLabel, "Live figures for the first lane");
    for (k, v) in [
        ("p50 (live)", ms(l.recent_latency.p50)),
        ("p95 (live)", ms(l.recent_latency.p95)),
        ("p99 (live)", ms(l.recent_latency.p99)),
        ("throughput", format!("{}/s", fixed(recent_throughput, 0))),
        ("dropped", l.dropped.to_string()),
        ("failed", l.failed.to_string()),
        ("in flight", l.in_flight.to_string()),
    ] {
        grid = grid.el(El::new("div")
            .set(Attr::Class, "stat")
            .el(El::new("span").set(Attr::Class, "k").text(k))
            .el(El::new("span").set(Attr::Class, "v").text(v)));
    }
    grid.html()
}
