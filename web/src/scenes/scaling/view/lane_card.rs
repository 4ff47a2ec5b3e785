//! One lane of a comparison as a card: its figures, its fleet or machine, its actions and
//! decisions.

use super::decision_log::decision_log;
use super::fleet_svg::fleet_svg;
use super::frame::Frame;
use super::geometry::NARROW;
use super::lane_actions::lane_actions;
use super::machine_svg::machine_svg;
use super::missed_banner::missed_banner;
use super::text::{lane_title, ms};
use crate::components::stat::stat;
use crate::fixed::fixed;
use scalelab_core::scaling::{Lane, ScalingMode};
use yew::prelude::*;

pub fn lane_card(f: &Frame<'_>, i: u32, lane: &Lane) -> Html {
    let sim = lane.service();
    let s = sim.stats();
    let t = lane.last_tick().unwrap_or_default();
    let drawing = if sim.mode() == ScalingMode::Vertical {
        machine_svg(lane, &f.recent, f.pick(i), f.reduced_motion, NARROW)
    } else {
        fleet_svg(sim, &f.recent, f.pick(i), f.reduced_motion, NARROW)
    };
    html! {
        <figure
            class="lane"
            style="margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem;"
        >
            <figcaption style="font-weight: 600;">
                {format!("{}. {}", i + 1, lane_title(lane))}
            </figcaption>
            <div class="stat-grid" style="grid-template-columns: repeat(2, minmax(0, 1fr));">
                {stat("capacity", format!("{}/s", s.capacity_rps))}
                {stat("utilisation", format!("{} %", fixed(t.utilisation_pct, 0)))}
                {stat("p95 (60 s)", ms(s.recent_latency.p95))}
                {stat("cost", format!("{} core-s", fixed(s.cost.core_seconds, 0)))}
            </div>
            {missed_banner(lane)}
            {drawing}
            {lane_actions(sim, i, f.act, false)}
            {decision_log(lane, "Decisions")}
        </figure>
    }
}
