//! If a Rust panic ever happens, show an error panel instead of a blank or frozen page.

use wasm_bindgen::JsCast;

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        show_panel(&message);
        web_sys::console::error_1(&message.into());
    }));
}

fn show_panel(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let Ok(panel) = document.create_element("div") else {
        return;
    };
    panel.set_class_name("error-panel");
    let _ = panel.set_attribute("role", "alert");
    // Text only: nothing from the panic message is ever parsed as HTML.
    let title = document.create_element("h2").ok();
    if let Some(t) = &title {
        t.set_text_content(Some("Something went wrong in the simulation"));
        let _ = panel.append_child(t);
    }
    if let Ok(p) = document.create_element("p") {
        p.set_text_content(Some(
            "The playground stopped to avoid showing wrong results. Reload the page to start again; \
             if this link always fails, please report it with the details below.",
        ));
        let _ = panel.append_child(&p);
    }
    if let Ok(pre) = document.create_element("pre") {
        pre.set_text_content(Some(message));
        let _ = panel.append_child(&pre);
    }
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href("?");
            a.set_text_content(Some("Back to the start page"));
            let _ = panel.append_child(&a);
        }
    }
    let _ = body.append_child(&panel);
}
