//! Makes a drawn instance selectable: a focusable group around its box that selects it on a
//! click, Enter or Space, and is marked `data-focused` while it is the one inspected.

use yew::prelude::*;

/// Which lane a drawing shows, what is selected, and how to select.
#[derive(Clone, Copy)]
pub struct Pick<'a> {
    pub lane: u32,
    pub focus: Option<(u32, u32)>,
    pub on_focus: &'a Callback<Option<(u32, u32)>>,
}

impl Pick<'_> {
    /// Whether instance `id` of this lane is the one inspected.
    pub fn is_focused(&self, id: u32) -> bool {
        self.focus == Some((self.lane, id))
    }

    /// `inner` (an instance's drawing) as a button that selects instance `id`, read out as
    /// `label`.
    pub fn wrap(&self, id: u32, label: String, inner: Html) -> Html {
        let key = (self.lane, id);
        let focused = self.is_focused(id);
        let (click, press) = (self.on_focus.clone(), self.on_focus.clone());
        let onclick = Callback::from(move |_: MouseEvent| click.emit(Some(key)));
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                // Space here selects; it must not also reach the play/pause shortcut.
                e.prevent_default();
                e.stop_propagation();
                press.emit(Some(key));
            }
        });
        html! {
            <g
                class="pick"
                role="button"
                tabindex="0"
                aria-label={label}
                aria-pressed={if focused { "true" } else { "false" }}
                data-focusable=""
                data-focused={focused.then_some("")}
                {onclick}
                {onkeydown}
            >
                { inner }
            </g>
        }
    }
}
