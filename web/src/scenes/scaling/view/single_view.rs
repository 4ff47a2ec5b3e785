//! The one-set-up view: live figures, the fleet or machine, its actions and decisions, and
//! the charts.

use super::charts::single_charts;
use super::decision_log::decision_log;
use super::fleet_svg::fleet_svg;
use super::frame::Frame;
use super::geometry::WIDE;
use super::lane_actions::lane_actions;
use super::live_stats::live_stats;
use super::load_actions::load_actions;
use super::machine_svg::machine_svg;
use super::missed_banner::missed_banner;
use super::text::{lane_title, secs};
use scalelab_core::scaling::{Lane, ScalingMode};
use scalelab_core::Model;
use yew::prelude::*;

pub fn single_view(f: &Frame<'_>, lane: &Lane) -> Html {
    let sim = lane.service();
    let vertical = sim.mode() == ScalingMode::Vertical;
    let heading = format!("{} · t = {}", lane_title(lane), secs(sim.now()));
    // The naive rule's own count beside the fleet's: they differ once a scale-in missed.
    let belief = (sim.mode() == ScalingMode::ThresholdNaive).then(|| {
        format!(
            " · the rule believes it runs {} instances, {} are running",
            sim.believed_replicas(),
            sim.fleet().active_count()
        )
    });
    let drawing = if vertical {
        machine_svg(lane, &f.recent, f.pick(0), f.reduced_motion, WIDE)
    } else {
        fleet_svg(sim, &f.recent, f.pick(0), f.reduced_motion, WIDE)
    };
    html! {
        <div class="scaling">
            <p class="muted" style="margin: 0; font-size: 0.85rem;">{heading}{belief}</p>
            {live_stats(lane)}
            {missed_banner(lane)}
            {drawing}
            {lane_actions(sim, 0, f.act, true)}
            {load_actions(f.act, f.shape, f.peak, Some(sim.load()))}
            {decision_log(lane, "Decisions (newest first)")}
            {single_charts(f.series, sim.mode().resizes())}
        </div>
    }
}
