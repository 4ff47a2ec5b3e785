//! Scalelab's front end. The simulation lives in `scalelab-core`; this crate only drives it
//! and draws.

use yew::prelude::*;

#[component]
pub fn App() -> Html {
    html! {
        <main class="landing">
            <h1>{ "Scalelab" }</h1>
            <p>{ "An interactive playground for learning how systems scale." }</p>
        </main>
    }
}
