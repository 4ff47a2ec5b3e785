//! The keyboard help dialog (`?`). A plain function, not a component: it is drawn only while
//! open, so a component's glue (its runners, props wrapper and comparison) would skip no work.

use yew::prelude::*;

pub const SHORTCUTS: [(&str, &str); 9] = [
    ("Space", "play / pause"),
    ("→", "step forward one event"),
    ("←", "step back one event"),
    ("+", "faster"),
    ("−", "slower"),
    ("R", "reset to the start"),
    ("L", "copy a link to this state"),
    ("C / J", "export CSV / JSON"),
    ("?", "show or hide this help"),
];

/// The dialog; `on_close` closes it.
pub fn help(on_close: &Callback<()>) -> Html {
    let close = on_close.clone();
    html! {
        <div class="help" role="dialog" aria-modal="false" aria-labelledby="help-title">
            <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
            <dl>
                { for SHORTCUTS.iter().map(|(k, what)| html! {
                    <><dt><kbd>{ *k }</kbd></dt><dd>{ *what }</dd></>
                }) }
            </dl>
            <p>{ "Every control is also reachable with Tab. Links reproduce the exact state: scene, settings, seed, actions and step." }</p>
            <button type="button" class="ctl" onclick={Callback::from(move |_| close.emit(()))}>{ "Close" }</button>
        </div>
    }
}
