//! The scenario files bundle. The loader (inline in `index.html`) loads it on a page's first export
//! or import, so a page that is only watched never downloads the code that writes or reads a file:
//! an export re-simulates the run the page's link describes and saves it
//! ([`scalelab_web::export::from_query`]); an import checks a scenario file and gives the link that
//! opens it ([`scalelab_web::scenario::open`]).

use wasm_bindgen::prelude::*;

/// Saves the export of the run a page shows, its link's `query` at `step` (a whole number as
/// text: a page may be past the step a link holds), in `format` (`csv` or `json`), as a
/// download; returns the file's name. Throws the problem as text otherwise.
#[wasm_bindgen]
pub fn export_run(query: &str, step: &str, format: &str) -> Result<String, String> {
    let format = scalelab_web::export::Format::parse(format)
        .ok_or_else(|| format!("unknown export format {format:?}"))?;
    let step = step
        .parse::<u64>()
        .map_err(|_| format!("the step {step:?} is not a whole number"))?;
    let file = scalelab_web::export::from_query(query, step, format)?;
    scalelab_web::browser::download(&file.name, file.mime, &file.text);
    Ok(file.name)
}

/// The link (a query) that opens the scenario file `text` on the page whose own link is
/// `page_query`. Throws every problem that refused the file, as one sentence.
#[wasm_bindgen]
pub fn open_scenario(text: &str, page_query: &str) -> Result<String, String> {
    scalelab_web::scenario::open(text, page_query)
}

fn main() {}
