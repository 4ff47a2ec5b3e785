//! The race board: one row per lane, the same requests, live percentiles side by side.

use super::units::ms;
use crate::components::svg::{Attr, El};
use scalelab_core::balancing::LaneMetrics;
use yew::prelude::*;

/// The board for `lanes`.
pub fn race_board(lanes: &[LaneMetrics]) -> Html {
    let mut head = El::new("tr");
    for h in [
        "Lane (strategy)",
        "p50",
        "p95",
        "p99",
        "done",
        "dropped",
        "failed",
        "in flight",
    ] {
        head = head.el(El::new("th").set(Attr::Scope, "col").text(h));
    }
    let mut body = El::new("tbody");
    for l in lanes {
        body = body.el(El::new("tr")
            .string(Attr::DataLane, l.lane.to_string())
            .el(El::new("th").set(Attr::Scope, "row").text(format!(
                "{}. {}",
                l.lane + 1,
                l.strategy.label()
            )))
            .el(El::new("td").text(ms(l.recent_latency.p50)))
            .el(El::new("td").text(ms(l.recent_latency.p95)))
            .el(El::new("td").text(ms(l.recent_latency.p99)))
            .el(El::new("td").text(l.completed.to_string()))
            .el(El::new("td").text(l.dropped.to_string()))
            .el(El::new("td").text(l.failed.to_string()))
            .el(El::new("td").text(l.in_flight.to_string())));
    }
    El::new("table")
        .set(Attr::Class, "data race")
        .set(
            Attr::AriaLabel,
            "Race: the same requests, one lane per strategy",
        )
        .el(El::new("thead").el(head))
        .el(body)
        .html()
}
