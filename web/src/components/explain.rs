//! "What does this choice do?" under each choice of the settings form. The explainer itself is
//! the explainers' page (`web/explain/`, which renders `explainers.en.json`) in a frame, opened
//! at the selected choice: the texts and their rendering stay out of every scene's bundle, and a
//! closed explainer's frame is not even loaded.

use crate::explainers;
use yew::prelude::*;

/// The explainer of `scene`'s setting `param` (labelled `label`) at `value`.
pub fn explain(scene: &str, param: &str, label: &str, value: &str) -> Html {
    let src = format!(
        "explain/explain.html#{}",
        explainers::key(scene, param, value)
    );
    html! {
        <details class="explain">
            <summary>{ explainers::SUMMARY }</summary>
            <iframe {src} title={format!("What this {label} choice does")} loading="lazy"></iframe>
        </details>
    }
}
