//! The lesson player's ties to the page: fetching the lesson, keeping progress in
//! localStorage, and opening a step's state in the scene beside it. Each fails quietly where
//! the browser refuses (storage off in a private window): the lesson still plays.

use crate::browser::{self, window};
use crate::url_state::{parse_query, to_query, UrlState};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text at `url` (relative to the page), or why it could not be read.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let w = window().ok_or("no window")?;
    let response = JsFuture::from(w.fetch_with_str(url))
        .await
        .map_err(|_| format!("{url} could not be fetched"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response")?;
    if !response.ok() {
        return Err(format!(
            "{url} answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let text = response.text().map_err(|_| "the response has no text")?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{url} is not text"))
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok()?
}

/// The progress stored under `key`, if any.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Stores `value` under `key`.
pub fn save(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// Forgets `key`.
pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Now, as an ISO 8601 UTC time (the export's time column).
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// The link to `state` as a step of this lesson: the state's scene, settings, seed, actions
/// and step, with the page's lesson, embedding and theme kept and `at` set to `step` (from 1).
pub fn step_link(state: &str, step: u32) -> String {
    let (page, _) = parse_query(&browser::query());
    let (mut url, _) = parse_query(state);
    url = UrlState {
        embed: page.embed,
        theme: page.theme,
        parent: page.parent,
        lesson: page.lesson,
        at: step,
        ..url
    };
    to_query(&url, &crate::scenario::param_pairs(&url.params))
}

/// Shows `query` in the page: in place when it is the scene already on screen (a new history
/// entry, then `popstate`, which the scene's app follows), as a new page load when it is
/// another scene (its bundle must load). `replace` opens it without a history entry.
pub fn open(query: &str, replace: bool) {
    let Some(w) = window() else { return };
    let here = parse_query(&browser::query()).0.scene;
    let there = parse_query(query).0.scene;
    if here != there || here.is_none() {
        let loc = w.location();
        let url = browser::url_with_query(query);
        let _ = if replace {
            loc.replace(&url)
        } else {
            loc.assign(&url)
        };
        return;
    }
    if let Ok(history) = w.history() {
        let null = wasm_bindgen::JsValue::NULL;
        let _ = if replace {
            history.replace_state_with_url(&null, "", Some(query))
        } else {
            history.push_state_with_url(&null, "", Some(query))
        };
    }
    if let Ok(event) = web_sys::Event::new("popstate") {
        let _ = w.dispatch_event(&event);
    }
}

/// Whether the page shows the set-up of `state` (its scene, settings and seed), whatever the
/// student has done since (actions, steps).
pub fn shows_setup_of(state: &str) -> bool {
    crate::lesson::answer::same_setup(&browser::query(), state)
}
