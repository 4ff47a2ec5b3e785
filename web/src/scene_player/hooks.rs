//! The player's ties to the page around it: keyboard shortcuts, commands from an embedding
//! page, and the address bar kept in step with what is on screen. Each is an effect the
//! player component runs (a plain function returning the hook, which the component calls
//! unconditionally, as every hook is called).

use super::commands::{key_control, Cmd, Dispatch};
use super::state::Holder;
use crate::browser;
use crate::scenes::Scene;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The shortcuts the help lists, on the whole document.
pub fn use_key_shortcuts<S: Scene>(dispatch: Dispatch<S>) -> impl Hook<Output = ()> {
    use_effect_with((), move |_| {
        let listener = browser::window().and_then(|w| w.document()).map(|doc| {
            // Not passive: Space must not scroll the page when it means play/pause.
            let options = gloo_events::EventListenerOptions::enable_prevent_default();
            gloo_events::EventListener::new_with_options(&doc, "keydown", options, move |e| {
                if let Some(ke) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                    if let Some(control) = key_control(ke) {
                        ke.prevent_default();
                        dispatch(Cmd::Control(control));
                    }
                }
            })
        });
        move || drop(listener)
    })
}

/// Commands from the embedding page: in embed mode with `parent=` only (see `embed_msg`).
pub fn use_parent_commands<S: Scene>(
    holder: &Rc<RefCell<Holder<S>>>,
    dispatch: Dispatch<S>,
) -> impl Hook<Output = ()> {
    let (embed, parent) = {
        let h = holder.borrow();
        (h.url.embed, h.url.parent.clone())
    };
    use_effect_with((), move |_| {
        let listener = parent
            .filter(|_| embed)
            .and_then(|origin| browser::listen_to_parent(origin, move |cmd| dispatch(cmd.into())));
        move || drop(listener)
    })
}

/// How often the address follows a lesson's scene while it plays, in milliseconds.
const LESSON_SYNC_MS: f64 = 400.0;

/// Keeps the address bar (and an embedding parent) in step with what is on screen, except
/// while playing, when the URL would change sixty times a second — but for a lesson's scene,
/// whose task the lesson checks against the address as the student plays: then a few times a
/// second.
pub fn use_url_sync<S: Scene>(holder: Rc<RefCell<Holder<S>>>) -> impl Hook<Output = ()> {
    use_effect(move || {
        let mut h = holder.borrow_mut();
        let now = browser::now_ms();
        let lesson_due = h.url.lesson.is_some() && now - h.written_at_ms >= LESSON_SYNC_MS;
        if !h.player.playing || lesson_due {
            let q = h.query();
            if q != h.last_written_query {
                browser::replace_query(&q);
                h.last_written_query = q;
                h.written_at_ms = now;
            }
        }
        if h.url.embed {
            browser::post_height_to_parent(
                browser::content_height(),
                &h.last_written_query,
                h.url.parent.as_deref(),
            );
        }
    })
}
