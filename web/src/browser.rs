//! The few places the front end touches the browser directly: wall time, the URL, the
//! clipboard, downloads, the parent frame and media preferences. Each fails quietly: a
//! missing API must not take the scene down.

use wasm_bindgen::JsCast;

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Milliseconds from the page's time origin (monotonic).
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// The query string of the current location, including `?`.
pub fn query() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Replaces the address bar's query without reloading or adding history entries, and tells
/// the page (`scalelab:state` on the window): a lesson's panel checks its task against the
/// state the address now holds.
pub fn replace_query(query: &str) {
    let Some(w) = window() else { return };
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
    }
    if let Ok(event) = web_sys::Event::new(STATE_EVENT) {
        let _ = w.dispatch_event(&event);
    }
}

/// The event [`replace_query`] sends.
pub const STATE_EVENT: &str = "scalelab:state";

/// Asks the loader (its `scalelabLesson`, which loads the lessons bundle on first use) to
/// play the link's lesson in `slot`.
pub fn start_lesson(slot: &web_sys::Element) {
    if let Some((w, f)) = loader_function("scalelabLesson") {
        let _ = f.call1(&w, slot);
    }
}

/// The full URL for a query (what "Copy link" copies).
pub fn url_with_query(query: &str) -> String {
    let Some(loc) = window().map(|w| w.location()) else {
        return query.to_string();
    };
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    format!("{origin}{path}{query}")
}

pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Offers `contents` as a file download.
pub fn download(filename: &str, mime: &str, contents: &str) {
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(filename);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The function the loader (inline in `index.html`) defines as `window[name]`; `None` where
/// no loader runs (a test page).
fn loader_function(name: &str) -> Option<(web_sys::Window, js_sys::Function)> {
    let w = window()?;
    let f = js_sys::Reflect::get(&w, &name.into()).ok()?;
    let f = f.dyn_into::<js_sys::Function>().ok()?;
    Some((w, f))
}

/// Asks the files bundle (the loader's `scalelabExport`, which loads it on first use) to
/// save the run `query` describes, at `step`, as `format` (`csv` or `json`). Does nothing where
/// no loader runs (a test page).
pub fn export_from_link(query: &str, step: u64, format: &str) {
    if let Some((w, f)) = loader_function("scalelabExport") {
        let _ = f.call3(&w, &query.into(), &step.to_string().into(), &format.into());
    }
}

/// Reads the scenario file `file` (at most `max_bytes`) and asks the files bundle
/// (the loader's `scalelabOpen`, which loads it on first use) for the link that opens it
/// on this page (which keeps its embedding and theme); `done` gets that link's query or why
/// the file was refused.
pub fn open_scenario_file(
    file: web_sys::File,
    max_bytes: usize,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    open_file_with(
        "scalelabOpen",
        "the scenario files' code",
        file,
        max_bytes,
        done,
    );
}

/// Hands a lesson file the user picked to the lessons bundle (the loader's
/// `scalelabImportLesson`), which checks it, keeps it in this browser and answers with the
/// link that plays it, or with every problem that refused it.
pub fn open_lesson_file(
    file: web_sys::File,
    max_bytes: usize,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    open_file_with(
        "scalelabImportLesson",
        "the lesson player",
        file,
        max_bytes,
        done,
    );
}

/// Reads `file` (refused unread past `max_bytes`) and hands its text and this page's link to
/// the loader's on-demand function `loader`, whose promise gives the link that opens the
/// file, or throws its problems as text.
fn open_file_with(
    loader: &'static str,
    what: &'static str,
    file: web_sys::File,
    max_bytes: usize,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    let page_query = query();
    read_file_text(file, max_bytes, move |text| {
        let text = match text {
            Ok(text) => text,
            Err(e) => return done(Err(e)),
        };
        let Some((w, f)) = loader_function(loader) else {
            return done(Err("the page's loader did not run".into()));
        };
        let promise = f
            .call2(&w, &text.into(), &page_query.into())
            .ok()
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
        let Some(promise) = promise else {
            return done(Err(format!("{what} could not be started")));
        };
        wasm_bindgen_futures::spawn_local(async move {
            done(match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(query) => query.as_string().ok_or_else(|| "no link came back".into()),
                // The bundle throws its problems as text; a failed download throws an Error.
                Err(e) => Err(e
                    .as_string()
                    .unwrap_or_else(|| format!("{what} could not be loaded"))),
            });
        });
    });
}

/// Asked every frame while a scene plays: the media query list is made once and read live
/// (`matchMedia` builds a new one per call).
pub fn prefers_reduced_motion() -> bool {
    thread_local! {
        static QUERY: Option<web_sys::MediaQueryList> = window().and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        });
    }
    QUERY.with(|q| q.as_ref().is_some_and(web_sys::MediaQueryList::matches))
}

/// Tells an embedding page how tall the widget is and which state it shows. Only these two
/// facts leave the frame, and only to the parent's configured origin when the link names one
/// (`parent=`); without one, to any parent (they are the shareable link anyway).
pub fn post_height_to_parent(height: f64, query: &str, parent_origin: Option<&str>) {
    let Some(w) = window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if parent == w {
        return;
    }
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"scalelab:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.ceil().into());
    let _ = js_sys::Reflect::set(&msg, &"state".into(), &query.into());
    let _ = parent.post_message(&msg, parent_origin.unwrap_or("*"));
}

/// Listens for commands from the embedding page: only from the parent window, only from the
/// exact origin the link configured (`parent=`), only in the documented shape
/// ([`crate::embed_msg`]). Anything else is ignored; a message in our shape that fails its
/// checks is reported on the console for the course author.
pub fn listen_to_parent(
    parent_origin: String,
    on_command: impl Fn(crate::embed_msg::ParentCommand) + 'static,
) -> Option<gloo_events::EventListener> {
    use crate::embed_msg::{accept_origin, read_command, MessageError, MAX_MESSAGE_BYTES};
    let w = window()?;
    let parent = w.parent().ok().flatten()?;
    if parent == w {
        return None;
    }
    Some(gloo_events::EventListener::new(&w, "message", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        let from_parent = e
            .source()
            .is_some_and(|s| js_sys::Object::is(&s, parent.as_ref()));
        if !from_parent || !accept_origin(Some(&parent_origin), &e.origin()) {
            return;
        }
        // A string is JSON text, parsed by the browser; an object is read as posted.
        let mut data = e.data();
        if let Some(text) = data.as_string() {
            if text.len() > MAX_MESSAGE_BYTES {
                let err = MessageError::TooLong { bytes: text.len() };
                web_sys::console::warn_1(&format!("Scalelab ignored a message: {err}").into());
                return;
            }
            let Ok(parsed) = js_sys::JSON::parse(&text) else {
                return;
            };
            data = parsed;
        }
        match message_fields(&data).map_or(Err(MessageError::NotOurs), |f| read_command(&f)) {
            Ok(cmd) => on_command(cmd),
            Err(MessageError::NotOurs) => {}
            Err(err) => {
                web_sys::console::warn_1(&format!("Scalelab ignored a message: {err}").into())
            }
        }
    }))
}

/// A posted message's own fields, in order, as [`crate::embed_msg::read_command`] reads them;
/// `None` when it is not a plain object (an array, a string, a number: some other script's).
fn message_fields(data: &wasm_bindgen::JsValue) -> Option<Vec<(String, crate::embed_msg::Field)>> {
    use crate::embed_msg::Field;
    if !data.is_object() || js_sys::Array::is_array(data) {
        return None;
    }
    let entries = js_sys::Object::entries(data.unchecked_ref());
    let mut fields = Vec::new();
    for entry in entries.iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let field = if let Some(s) = value.as_string() {
            Field::Text(s)
        } else if let Some(n) = value.as_f64() {
            Field::Number(n)
        } else if value.is_null() || value.is_undefined() {
            Field::Other("null".into())
        } else if let Some(b) = value.as_bool() {
            Field::Other(b.to_string())
        } else if js_sys::Array::is_array(&value) {
            Field::Other("a list".into())
        } else {
            Field::Other("an object".into())
        };
        fields.push((key, field));
    }
    Some(fields)
}

/// Opens `query` as a new page load (the loader then starts that scene's bundle).
pub fn navigate_to_query(query: &str) {
    if let Some(w) = window() {
        let _ = w.location().set_search(query);
    }
}

/// Reads a file the user picked as text, refusing it unread when it is over `max_bytes`.
pub fn read_file_text(
    file: web_sys::File,
    max_bytes: usize,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    let size = file.size();
    // NaN (never from a real file) is refused too.
    if size.is_nan() || size > max_bytes as f64 {
        done(Err(format!(
            "the file is {} MB; at most {} MB is read",
            crate::fixed::fixed(size / 1e6, 1),
            crate::fixed::fixed(max_bytes as f64 / 1e6, 0)
        )));
        return;
    }
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(promise).await;
        done(match text.ok().and_then(|t| t.as_string()) {
            Some(t) => Ok(t),
            None => Err("the file could not be read as text".into()),
        });
    });
}

/// Height of the document's content, for the embed message.
pub fn content_height() -> f64 {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .map(|e| e.scroll_height() as f64)
        .unwrap_or(0.0)
}

/// Sets `data-theme` on `<html>` ("light", "dark", or removed to follow the system).
pub fn set_theme(theme: Option<&str>) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = match theme {
            Some(t) => root.set_attribute("data-theme", t),
            None => root.remove_attribute("data-theme"),
        };
    }
}

pub fn current_theme() -> Option<String> {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"))
}

pub fn system_prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}
