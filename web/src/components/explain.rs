//! "What does this choice do?" under each choice of the settings form: the selected choice's
//! explainer (see [`crate::explainers`]), its texts fetched when a student first opens one.

use crate::explainers::{self, Texts};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ExplainProps {
    /// The scene's name (`balancing`).
    pub scene: &'static str,
    /// The setting's key (`strategy`).
    pub param: &'static str,
    /// The selected value (`round-robin`).
    pub value: AttrValue,
}

#[component]
pub fn Explain(p: &ExplainProps) -> Html {
    let open = use_state(|| false);
    let texts = use_state(|| None::<Texts>);
    let ontoggle = {
        let (open, texts) = (open.clone(), texts.clone());
        Callback::from(move |_: Event| {
            open.set(!*open);
            if texts.is_none() {
                let arrived = texts.clone();
                texts.set(Some(explainers::texts(move |t| arrived.set(Some(t)))));
            }
        })
    };
    let loaded = (*texts).clone().unwrap_or(Texts::Loading);
    let body = if *open {
        match &loaded {
            Texts::Ready(all) => {
                let key = explainers::key(p.scene, p.param, &p.value);
                match explainers::explainer(all, &key) {
                    Some(e) => html! {
                        <div class="explainer">
                            <h4>{ e.title }</h4>
                            <dl>
                                { for e.parts.into_iter().map(|(label, text)| html! {
                                    <><dt>{ label }</dt><dd>{ text }</dd></>
                                }) }
                            </dl>
                        </div>
                    },
                    None => {
                        html! { <p>{ explainers::label(&loaded, "failed", explainers::FAILED) }</p> }
                    }
                }
            }
            Texts::Loading => {
                html! { <p>{ explainers::label(&loaded, "loading", explainers::LOADING) }</p> }
            }
            Texts::Failed => html! { <p>{ explainers::FAILED }</p> },
        }
    } else {
        Html::default()
    };
    html! {
        <details class="explain" {ontoggle}>
            <summary>{ explainers::label(&loaded, "summary", explainers::SUMMARY) }</summary>
            { body }
        </details>
    }
}
