//! Messages about the input: what in a link or a form was rejected, and why.

use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct NoticesProps {
    pub messages: Vec<String>,
}

#[component]
pub fn Notices(p: &NoticesProps) -> Html {
    if p.messages.is_empty() {
        return html! {};
    }
    html! {
        <div class="notices" role="alert">
            <strong>{ "Some parts of the link were not used; the defaults apply instead. " }</strong>
            <ul>{ for p.messages.iter().map(|m| html! { <li>{ m.clone() }</li> }) }</ul>
        </div>
    }
}
