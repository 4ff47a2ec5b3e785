//! The lessons bundle. The loader (inline in `index.html`) loads it when a page's link names
//! a lesson (`lesson=<id>`), so a page without one never downloads the lesson player, its Markdown
//! reader or the simulations it re-runs to grade answers ([`scalelab_web::lesson_player`]).

use wasm_bindgen::prelude::*;

/// Plays the link's lesson in `slot`, the room the scene's page made for it.
#[wasm_bindgen]
pub fn start_lesson(slot: web_sys::Element) {
    scalelab_web::lesson_player::mount(slot);
}

/// Checks the lesson file `text` a student picked, keeps it in this browser and gives the
/// link that plays it; throws every problem that refused it, one per line.
#[wasm_bindgen]
pub fn import_lesson(text: &str, _page_query: &str) -> Result<String, String> {
    scalelab_web::lesson_player::import(text)
}

fn main() {}
