//! What makes an L1 slot or an L2 cell selectable: focusable with Tab, selected by a click,
//! Enter or Space (then the inspector shows its key's state), and outlined while selected;
//! one pair of handlers on the drawings reads which (the shared selection,
//! [`crate::components::select`]).

use super::style::outline;
use crate::components::select::{select_handlers, selectable};
use crate::components::svg::Attr;
use scalelab_core::caching::Key;
use std::rc::Rc;
use yew::prelude::*;
use yew::virtual_dom::VList;

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
        let ring = outline((x, y, w, h), 3.0, "5")
            .set(Attr::Stroke, "var(--accent)")
            .set(Attr::StrokeWidth, "2")
            .set(Attr::StrokeDasharray, "4 2");
        Html::VList(Rc::new(VList::with_children(
            vec![inner, ring.html()],
            None,
        )))
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
