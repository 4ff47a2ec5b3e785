//! What makes an L1 slot or an L2 cell selectable: focusable with Tab, selected by a click,
//! Enter or Space (then the inspector shows its key's state), and outlined while selected.

use crate::fixed::coord;
use scalelab_core::caching::Key;
use yew::prelude::*;

/// The selection as the drawing gets it: which key is selected, and how to select another.
#[derive(Clone, Copy)]
pub struct Focus<'a> {
    pub key: Option<Key>,
    pub on: &'a Callback<Option<Key>>,
}

/// `inner` (the drawing of `key` in the box `x, y, w, h`) inside a `<g role="button">` that
/// selects `key`. One `html!` for both levels: each use of the macro costs the page a copy.
pub fn focusable(
    inner: Html,
    key: Key,
    label: String,
    (x, y, w, h): (f64, f64, f64, f64),
    f: Focus<'_>,
) -> Html {
    let selected = f.key == Some(key);
    let click = f.on.reform(move |_: MouseEvent| Some(key));
    let on = f.on.clone();
    let keydown = Callback::from(move |e: KeyboardEvent| {
        if matches!(e.key().as_str(), "Enter" | " ") {
            // Space also means play/pause to the page: here it selects, and only that.
            e.prevent_default();
            e.stop_propagation();
            on.emit(Some(key));
        }
    });
    html! {
        <g data-focusable="" data-focused={selected.then_some("")} tabindex="0" role="button"
            aria-label={label} aria-pressed={if selected { "true" } else { "false" }}
            onclick={click} onkeydown={keydown}>
            {inner}
            if selected {
                <rect x={coord(x - 3.0)} y={coord(y - 3.0)} width={coord(w + 6.0)}
                    height={coord(h + 6.0)} rx="5" fill="none" stroke="var(--accent)"
                    stroke-width="2" stroke-dasharray="4 2" />
            }
        </g>
    }
}
