//! A scene action as a button: `<button type="button" class="ctl">`, or `class="ctl danger"`
//! for one that takes capacity away.

use scalelab_core::scaling::ScalingAction;
use yew::prelude::*;

/// How a button looks. Each is a literal class: a `class={…}` expression would link yew's
/// `Classes` set into the page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Look {
    Plain,
    Danger,
}

pub fn action_button(
    act: &Callback<ScalingAction>,
    label: String,
    action: ScalingAction,
    look: Look,
    enabled: bool,
) -> Html {
    let act = act.clone();
    let onclick = Callback::from(move |_: MouseEvent| act.emit(action));
    let disabled = !enabled;
    match look {
        Look::Plain => html! {
            <button type="button" class="ctl" {disabled} {onclick}>{label}</button>
        },
        Look::Danger => html! {
            <button type="button" class="ctl danger" {disabled} {onclick}>{label}</button>
        },
    }
}
