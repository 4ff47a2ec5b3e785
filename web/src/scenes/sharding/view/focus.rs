//! Selecting a shard or a key in the drawings: each selectable item is a Tab stop with a
//! button role and a name, and one click handler and one key handler on the drawings' box read
//! which item the event came from (rather than a handler per item, redrawn every frame).

use super::super::Focus;
use yew::prelude::*;

/// `child` as a selectable item: focusable, named `label`, marked when it is the one selected.
pub fn focusable(focus: Focus, label: String, selected: bool, child: Html) -> Html {
    html! {
        <g tabindex="0" role="button" aria-label={label} aria-pressed={if selected { "true" } else { "false" }}
            data-focusable={focus.code()} data-focused={selected.then_some("")}>
            { child }
        </g>
    }
}

/// The selectable item an event came from.
fn picked(e: &Event) -> Option<Focus> {
    let target: web_sys::Element = e.target_dyn_into()?;
    let item = target.closest("[data-focusable]").ok().flatten()?;
    Focus::parse(&item.get_attribute("data-focusable")?)
}

/// The drawings' click and key handlers: a click, Enter or Space on an item selects it.
/// Enter and Space are kept from the page's shortcuts (Space would also play or pause).
pub fn handlers(on_focus: &Callback<Option<Focus>>) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let (on_click, on_key) = (on_focus.clone(), on_focus.clone());
    (
        Callback::from(move |e: MouseEvent| {
            if let Some(f) = picked(&e) {
                on_click.emit(Some(f));
            }
        }),
        Callback::from(move |e: KeyboardEvent| {
            if !matches!(e.key().as_str(), "Enter" | " ") {
                return;
            }
            if let Some(f) = picked(&e) {
                e.prevent_default();
                e.stop_propagation();
                on_key.emit(Some(f));
            }
        }),
    )
}
