//! The load buttons, for every lane at once: a surge, a quiet spell, and back to the load the
//! settings ask for.

use super::action_button::{action_button, Look};
use crate::scenes::scaling::build::{shape_name, MAX_RATE, MIN_RATE};
use scalelab_core::scaling::{LoadShape, ScalingAction};
use scalelab_core::sim::ArrivalProcess;
use yew::prelude::*;

/// `shape` and `peak` are the settings' load; `current` is the load running now.
pub fn load_actions(
    act: &Callback<ScalingAction>,
    shape: LoadShape,
    peak: u32,
    current: Option<&ArrivalProcess>,
) -> Html {
    let surge = peak.saturating_mul(2).min(MAX_RATE as u32);
    let quiet = (peak / 9).max(MIN_RATE as u32);
    let changed = current.is_some_and(|c| *c != shape.process(peak));
    html! {
        <div class="actions" role="group" aria-label="Change the load">
            {action_button(
                act,
                format!("Surge: {surge} req/s"),
                ScalingAction::SetLoad { shape: LoadShape::Constant, peak: surge },
                Look::Plain,
                true,
            )}
            {action_button(
                act,
                format!("Quiet: {quiet} req/s"),
                ScalingAction::SetLoad { shape: LoadShape::Constant, peak: quiet },
                Look::Plain,
                true,
            )}
            {action_button(
                act,
                format!("Back to the {} load", shape_name(shape)),
                ScalingAction::SetLoad { shape, peak },
                Look::Plain,
                changed,
            )}
        </div>
    }
}
