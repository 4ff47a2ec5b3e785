//! What makes an L1 slot or an L2 cell selectable: focusable with Tab, selected by a click,
//! Enter or Space (then the inspector shows its key's state), and outlined while selected;
//! one pair of handlers on the drawings reads which (the shared selection,
//! [`crate::components::select`]).

use crate::components::select::{select_handlers, selectable};
use crate::fixed::coord;
use scalelab_core::caching::Key;
use yew::prelude::*;

/// The selection as the drawing gets it: which key is selected, and how to select another.
#[derive(Clone, Copy)]
pub struct Focus<'a> {
    pub key: Option<Key>,
    pub on: &'a Callback<Option<Key>>,
}

/// `inner` (the drawing of `key` in the box `x, y, w, h`) as a selectable item whose code is
/// the key; the drawings' handlers ([`handlers`]) select it. Outlined while selected.
pub fn focusable(
    inner: Html,
    key: Key,
    label: String,
    (x, y, w, h): (f64, f64, f64, f64),
    selected_key: Option<Key>,
) -> Html {
    let selected = selected_key == Some(key);
    let inner = if selected {
        html! {
            <>
                {inner}
                <rect x={coord(x - 3.0)} y={coord(y - 3.0)} width={coord(w + 6.0)}
                    height={coord(h + 6.0)} rx="5" fill="none" stroke="var(--accent)"
                    stroke-width="2" stroke-dasharray="4 2" />
            </>
        }
    } else {
        inner
    };
    selectable(key.to_string(), label, selected, inner)
}

/// The drawings' click and key handlers: a click, Enter or Space on a slot or cell selects
/// its key.
pub fn handlers(f: Focus<'_>) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    select_handlers(f.on, |code| code.parse::<Key>().ok())
}
