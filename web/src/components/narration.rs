//! The narration under a scene: the last few things that happened, in words, announced to
//! screen readers as they arrive.

use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct NarrationProps {
    /// Newest first.
    pub lines: Vec<String>,
}

#[component]
pub fn Narration(p: &NarrationProps) -> Html {
    html! {
        <div class="narration" role="log" aria-live="polite" aria-label="What just happened">
            { for p.lines.iter().map(|line| html! { <p>{ line.clone() }</p> }) }
        </div>
    }
}
