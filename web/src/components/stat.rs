//! One figure of a scene's live figures (`stat-grid`): its name and value.

use yew::prelude::*;

/// A figure; `style` marks one that should be zero and is not.
pub fn figure(k: &'static str, v: String, style: Option<&'static str>) -> Html {
    html! {
        <div class="stat" {style}><span class="k">{k}</span><span class="v">{v}</span></div>
    }
}

/// A plain figure.
pub fn stat(k: &'static str, v: String) -> Html {
    figure(k, v, None)
}
