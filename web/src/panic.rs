//! What a Rust panic leaves behind. In a release bundle std is built with
//! `panic=immediate-abort` (xtask/src/run.rs), so a panic is a bare wasm trap and the page's
//! loader (inline in `index.html`) shows the error panel. In a debug or stable build the panic
//! message exists, so it goes to the console first, for whoever reports the bug; the trap
//! that follows still brings up the same panel.

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}
