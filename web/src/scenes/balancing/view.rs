//! The balancing scene's page: live figures, the drawing (or, in a race, the board and lane
//! strips), the fault-injection buttons and the charts.

use super::charts::charts;
use super::lane_strips::lane_strips;
use super::race_board::race_board;
use super::server_actions::{ServerActions, ServerButtons};
use super::server_row::ServerFocus;
use super::single::single_drawing;
use super::stats::stats;
use super::strategy_switch::StrategySwitch;
use crate::components::memo::memo;
use crate::scenes::{Scene, SceneView};
use scalelab_core::balancing::{BalancingAction, BalancingEvent, BalancingModel, LaneMetrics};
use yew::prelude::*;

/// The page for `v`. Generic over the scene only so this file does not name the scene type
/// that composes it; there is one scene, so one copy.
pub fn view<S>(v: SceneView<'_, S>) -> Html
where
    S: Scene<
        Model = BalancingModel,
        Event = BalancingEvent,
        Action = BalancingAction,
        Focus = ServerFocus,
    >,
{
    let model = v.model;
    let Some(first) = model.lane(0) else {
        return html! { <p>{"No lanes."}</p> };
    };
    // One metrics snapshot per frame: a single lane's summary is taken from it rather than
    // computed again by `lane_metrics`.
    let m = first.metrics();
    let is_race = model.is_race();
    let lanes = if is_race {
        model.lane_metrics()
    } else {
        vec![LaneMetrics::of(0, &m)]
    };
    let buttons: Vec<ServerButtons> = m.servers.iter().map(ServerButtons::of).collect();
    let figures = lanes
        .first()
        .map(|l| {
            let checked = first.config().active_health.is_some();
            stats(l, m.recent_throughput, checked)
        })
        .unwrap_or_default();
    let drawing = if is_race {
        html! { <>{race_board(&lanes)}{lane_strips(model, v.focus, &v.on_focus)}</> }
    } else {
        single_drawing(
            &m,
            model,
            v.recent,
            v.now_ms,
            v.reduced_motion,
            (v.focus, &v.on_focus),
        )
    };
    html! {
        <div class="balancing">
            {figures}
            {drawing}
            { memo(ServerActions { servers: buttons, act: v.act.clone() }) }
            if !is_race {
                { memo(StrategySwitch { current: m.strategy, act: v.act.clone() }) }
            }
            {charts(v.series, model, &lanes, is_race)}
        </div>
    }
}
