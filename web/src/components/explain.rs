//! "What does this choice do?" under each choice of the settings form. The explainer itself is
//! the explainers' page (`web/explain/`, which renders `explainers.en.json`) in a frame, opened
//! at the selected choice: the texts and their rendering stay out of every scene's bundle, and a
//! closed explainer's frame is not even loaded.

use crate::explainers;
use yew::prelude::*;

/// The explainer of `scene`'s setting `param` (labelled `label`) at `value`, closed.
pub fn explain(scene: &str, param: &str, label: &str, value: &str) -> Html {
    html! {
        <details class="explain">
            <summary>{ explainers::SUMMARY }</summary>
            { frame(scene, param, label, value) }
        </details>
    }
}

/// The explainers' page in a frame, opened at `scene`'s setting `param` = `value`.
pub fn frame(scene: &str, param: &str, label: &str, value: &str) -> Html {
    let src = format!(
        "explain/explain.html#{}",
        explainers::key(scene, param, value)
    );
    html! {
        <iframe {src} title={format!("What this {label} choice does")} loading="lazy"></iframe>
    }
}
