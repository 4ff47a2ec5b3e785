//! Messages about the input: what in a link or a form was rejected, and why.

use crate::components::svg::El;
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
            { El::new("strong").text("Some parts of the link were not used; the defaults apply instead. ").html() }
            <ul>{ for p.messages.iter().map(|m| html! { { El::new("li").kid(m.clone()).html() } }) }</ul>
        </div>
    }
}
