//! A lane's own actions: resize the machine, or add, remove and (in the one-set-up view)
//! switch the rule and remove a chosen instance.

use super::action_button::{action_button, Look};
use super::text::mode_label;
use scalelab_core::scaling::{Instance, InstanceState, ScalingAction, ScalingMode, Service};
use yew::prelude::*;

/// Buttons for removing a chosen instance.
const MAX_REMOVE_BUTTONS: usize = 12;

/// The horizontal rules a one-set-up lane may switch between mid-run.
const SWITCHABLE: [ScalingMode; 4] = [
    ScalingMode::Manual,
    ScalingMode::Threshold,
    ScalingMode::ThresholdNaive,
    ScalingMode::Hpa,
];

fn resize_actions(sim: &Service, lane: u32, act: &Callback<ScalingAction>) -> Html {
    let m = sim.machine();
    let ready = sim
        .instances()
        .first()
        .is_some_and(|i| i.state == InstanceState::Ready);
    let (cores, up, down) = (m.cores(), m.cores().saturating_mul(2), m.cores() / 2);
    html! {
        <div class="actions" role="group" aria-label="Resize the machine">
            {action_button(
                act,
                format!("Resize up ({cores} → {up} cores)"),
                ScalingAction::ResizeUp { lane },
                Look::Plain,
                ready && m.can_scale_up(),
            )}
            {action_button(
                act,
                format!("Resize down ({cores} → {down} cores)"),
                ScalingAction::ResizeDown { lane },
                Look::Plain,
                ready && m.can_scale_down(),
            )}
        </div>
    }
}

/// Every active instance as a "remove this one" button (the first few).
fn remove_chosen(active: &[&Instance], lane: u32, act: &Callback<ScalingAction>) -> Html {
    let more = active.len().saturating_sub(MAX_REMOVE_BUTTONS);
    let note = "font-size: 0.82rem; align-self: center;";
    html! {
        <div class="actions" role="group" aria-label="Remove a chosen instance">
            <span class="muted" style={note}>{"Remove:"}</span>
            {for active.iter().take(MAX_REMOVE_BUTTONS).map(|i| action_button(
                act,
                i.name.clone(),
                ScalingAction::Remove { lane, id: Some(i.id) },
                Look::Danger,
                true,
            ))}
            if more > 0 {
                <span class="muted" style={note}>{format!("… {more} more")}</span>
            }
        </div>
    }
}

pub fn lane_actions(sim: &Service, lane: u32, act: &Callback<ScalingAction>, single: bool) -> Html {
    match sim.mode() {
        ScalingMode::Vertical => return resize_actions(sim, lane, act),
        // The hybrid rule alone decides between a resize and one more machine.
        ScalingMode::Hybrid => return html! {},
        _ => {}
    }
    let active: Vec<&Instance> = sim.instances().iter().filter(|i| i.is_active()).collect();
    let can_remove = active.len() > 1;
    let switches = SWITCHABLE
        .into_iter()
        .filter(|mode| single && *mode != sim.mode());
    html! {
        <>
            <div class="actions" role="group" aria-label="Change the fleet by hand">
                {action_button(act, "Add instance".into(), ScalingAction::Add { lane }, Look::Plain, true)}
                {action_button(
                    act,
                    "Remove least loaded".into(),
                    ScalingAction::Remove { lane, id: None },
                    Look::Danger,
                    can_remove,
                )}
                {for switches.map(|mode| action_button(
                    act,
                    format!("Switch to {}", mode_label(mode)),
                    ScalingAction::SetMode { lane, mode },
                    Look::Plain,
                    true,
                ))}
            </div>
            if single && can_remove {
                {remove_chosen(&active, lane, act)}
            }
        </>
    }
}
