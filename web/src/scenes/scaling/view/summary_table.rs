//! A comparison's totals, one row per lane: cost (and its excess over the cheapest lane),
//! latency, drops, time with no capacity and scaling actions, with the naive rule's missed
//! scale-ins.

use super::text::{lane_title, ms};
use crate::fixed::fixed;
use scalelab_core::scaling::{Lane, ScalingModel};
use yew::prelude::*;

const HEADINGS: [&str; 11] = [
    "Lane",
    "instance-s",
    "core-s",
    "over cheapest",
    "price",
    "p50",
    "p95",
    "p99",
    "dropped",
    "no capacity",
    "actions",
];

fn row(m: &ScalingModel, i: u32, lane: &Lane) -> Html {
    let s = lane.service().stats();
    let missed = lane.missed_count();
    let down = lane.downtime().as_secs_f64();
    let cells = [
        fixed(s.cost.instance_seconds, 0),
        fixed(s.cost.core_seconds, 0),
        format!("+{}", fixed(lane.extra_cost(m), 0)),
        fixed(s.cost.price, 2),
        ms(s.latency.p50),
        ms(s.latency.p95),
        ms(s.latency.p99),
        s.dropped.to_string(),
        format!("{} s", fixed(down, 0)),
        s.scale_actions.to_string(),
    ];
    html! {
        <tr data-lane={i.to_string()}>
            <th scope="row">
                {format!("{}. {}", i + 1, lane_title(lane))}
                if missed > 0 {
                    {" "}<span class="badge bad">{format!("⚠ {missed} missed")}</span>
                }
            </th>
            {for cells.into_iter().map(|c| html! { <td>{c}</td> })}
        </tr>
    }
}

pub fn summary_table(m: &ScalingModel) -> Html {
    html! {
        <table class="data" aria-label="Each lane's totals on the identical load">
            <thead>
                <tr>{for HEADINGS.iter().map(|h| html! { <th scope="col">{*h}</th> })}</tr>
            </thead>
            <tbody>
                {for m.lanes().iter().zip(0u32..).map(|(lane, i)| row(m, i, lane))}
            </tbody>
        </table>
    }
}
