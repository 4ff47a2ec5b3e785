//! The preset's story above the drawing: its title, whether the incident has started yet,
//! and its explainer (what to watch and why), the explainers' page in a frame so the text
//! stays out of the bundle, as every choice's does.

use super::frame::Frame;
use crate::components::explain;
use scalelab_core::Model;
use yew::prelude::*;

pub fn story(f: &Frame<'_>) -> Html {
    let Some((name, title)) = f.story else {
        return html! {
            <p class="muted system-intro">
                {"A steady day: requests flow from the clients through the balancer to an app \
                  instance, which asks its own cache (L1), then the shared cache (L2), then the \
                  key's shard. Pull a chaos switch below, or pick an incident in the settings."}
            </p>
        };
    };
    let when = match f.model.config().schedule.first() {
        Some(s) if s.at > f.model.now() => format!(
            "The incident starts at {} of simulated time; press + to speed up and get there sooner.",
            s.at
        ),
        Some(s) => format!("The incident started at {}.", s.at),
        None => String::new(),
    };
    html! {
        <section class="story explain" aria-label="The incident">
            <strong>{title}</strong>{" · "}<span>{when}</span>
            {explain::frame("system", "preset", "incident", name)}
        </section>
    }
}
