//! The race board: one row per lane, the same requests, live percentiles side by side.

use super::units::{moved, ms, sessions};
use scalelab_core::balancing::LaneMetrics;
use yew::prelude::*;

/// The columns' headings, after the lane's.
const COLUMNS: [&str; 9] = [
    "p50",
    "p95",
    "p99",
    "done",
    "dropped",
    "failed",
    "in flight",
    "sessions kept on their server",
    "clients moved since servers changed",
];

/// The board for `lanes`. Headings and cells are written from arrays: one `html!` element per
/// kind of cell rather than one per cell, which keeps the page's wasm smaller.
pub fn race_board(lanes: &[LaneMetrics]) -> Html {
    html! {
        <table class="data race" aria-label="Race: the same requests, one lane per strategy">
            <thead>
                <tr>
                    <th scope="col">{"Lane (strategy)"}</th>
                    { for COLUMNS.iter().map(|h| html! { <th scope="col">{*h}</th> }) }
                </tr>
            </thead>
            <tbody>
                { for lanes.iter().map(|l| html! {
                    <tr data-lane={l.lane.to_string()}>
                        <th scope="row">{format!("{}. {}", l.lane + 1, l.strategy.label())}</th>
                        { for [
                            ms(l.recent_latency.p50),
                            ms(l.recent_latency.p95),
                            ms(l.recent_latency.p99),
                            l.completed.to_string(),
                            l.dropped.to_string(),
                            l.failed.to_string(),
                            l.in_flight.to_string(),
                            sessions(&l.clients),
                            moved(&l.clients),
                        ].into_iter().map(|v| html! { <td>{v}</td> }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
