//! The narration under a scene: the last few things that happened, in words, announced to
//! screen readers as they arrive. A plain function, not a component: its lines change with
//! nearly every frame, so a component's comparison would only add work.

use yew::prelude::*;

/// The narration panel for `lines`, newest first.
pub fn narration<'a>(lines: impl Iterator<Item = &'a String>) -> Html {
    html! {
        <div class="narration" role="log" aria-live="polite" aria-label="What just happened">
            { for lines.map(|line| html! { <p>{ line.clone() }</p> }) }
        </div>
    }
}
