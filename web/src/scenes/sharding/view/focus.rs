//! Selecting a shard or a key in the drawings, through the shared selection
//! ([`crate::components::select`]): an item's code is its [`Focus::code`].

use super::super::Focus;
use crate::components::select::{select_handlers, selectable};
use yew::prelude::*;

/// `child` as a selectable item: focusable, named `label`, marked when it is the one selected.
pub fn focusable(focus: Focus, label: String, selected: bool, child: Html) -> Html {
    selectable(focus.code(), label, selected, child)
}

/// The drawings' click and key handlers: a click, Enter or Space on an item selects it.
pub fn handlers(
    on_focus: &Callback<Option<Focus>>,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    select_handlers(on_focus, Focus::parse)
}
