//! "What does this choice do?" under each choice of the settings form: the selected choice's
//! explainer (see [`crate::explainers`]). A plain function, not a component: the settings form
//! holds the texts (fetched when a student first opens an explainer) and passes them in.

use crate::explainers::{self, Texts};
use yew::prelude::*;

/// The explainer of `scene`'s setting `param` at `value`; `load` asks for the texts the first
/// time it opens. Closed, the browser shows only its summary.
pub fn explain(texts: &Texts, scene: &str, param: &str, value: &str, load: &Callback<()>) -> Html {
    // One shape for every state (one `html!` instead of one per case: each costs the page
    // its own element-building code): a message while there is no explainer to show.
    let (explainer, message) = match texts {
        Texts::Ready(all) => {
            match explainers::explainer(all, &explainers::key(scene, param, value)) {
                Some(e) => (e, None),
                None => (Default::default(), Some(explainers::FAILED)),
            }
        }
        Texts::Loading => (Default::default(), Some(explainers::LOADING)),
        Texts::Failed => (Default::default(), Some(explainers::FAILED)),
    };
    let load = load.clone();
    html! {
        <details class="explain" ontoggle={Callback::from(move |_: Event| load.emit(()))}>
            <summary>{ explainers::SUMMARY }</summary>
            if let Some(message) = message {
                <p>{ message }</p>
            } else {
                <h4>{ explainer.title }</h4>
                <dl>
                    { for explainer.parts.into_iter().map(|(label, text)| html! {
                        <><dt>{ label }</dt><dd>{ text }</dd></>
                    }) }
                </dl>
            }
        </details>
    }
}
