//! Messages about the input: what in a link or a form was rejected, and why. A plain function,
//! not a component: the list is short and mostly empty, and a component's glue (its runners,
//! props wrapper and comparison) cost more page than the redraw it would skip.

use yew::prelude::*;

/// The notices panel for `messages`; nothing when there are none.
pub fn notices(messages: &[String]) -> Html {
    if messages.is_empty() {
        return html! {};
    }
    html! {
        <div class="notices" role="alert">
            <strong>{ "Some parts of the link were not used; the defaults apply instead. " }</strong>
            <ul>{ for messages.iter().map(|m| html! { <li>{ m.clone() }</li> }) }</ul>
        </div>
    }
}
