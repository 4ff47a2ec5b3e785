//! One figure of a stat grid: its name and value.

use yew::prelude::*;

pub fn stat(k: &'static str, v: String) -> Html {
    html! {
        <div class="stat"><span class="k">{k}</span><span class="v">{v}</span></div>
    }
}
