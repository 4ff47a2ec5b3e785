//! Selecting an item in a drawing: each selectable item is a Tab stop with a button role and
//! a name, and one click handler and one key handler on the drawing's box read which item the
//! event came from (its `data-focusable` code), rather than a pair of handlers per item,
//! made again and registered again on every frame.

use super::svg::{Attr, El};
use yew::prelude::*;

/// `child` as a selectable item: focusable, named `label`, marked when `selected`; `code` is
/// what the drawing's handlers read back to know which item it is.
pub fn selectable(code: String, label: String, selected: bool, child: Html) -> Html {
    El::new("g")
        .set(Attr::Tabindex, "0")
        .set(Attr::Role, "button")
        .string(Attr::AriaLabel, label)
        .set(Attr::AriaPressed, if selected { "true" } else { "false" })
        .string(Attr::DataFocusable, code)
        .opt(Attr::DataFocused, selected.then_some(""))
        .child(child)
        .html()
}

/// The code of the selectable item an event came from.
fn picked(e: &Event) -> Option<String> {
    let target: web_sys::Element = e.target_dyn_into()?;
    let item = target.closest("[data-focusable]").ok().flatten()?;
    item.get_attribute("data-focusable")
}

/// A drawing's click and key handlers: a click, Enter or Space on an item selects the item
/// `parse` reads from its code. Enter and Space are kept from the page's shortcuts (Space
/// would also play or pause).
pub fn select_handlers<F: 'static>(
    on_select: &Callback<Option<F>>,
    parse: fn(&str) -> Option<F>,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let (on_click, on_key) = (on_select.clone(), on_select.clone());
    (
        Callback::from(move |e: MouseEvent| {
            if let Some(f) = picked(&e).as_deref().and_then(parse) {
                on_click.emit(Some(f));
            }
        }),
        Callback::from(move |e: KeyboardEvent| {
            if !matches!(e.key().as_str(), "Enter" | " ") {
                return;
            }
            if let Some(f) = picked(&e).as_deref().and_then(parse) {
                e.prevent_default();
                e.stop_propagation();
                on_key.emit(Some(f));
            }
        }),
    )
}
