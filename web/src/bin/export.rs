//! The export bundle. `web/loader.js` loads it on a page's first CSV or JSON export, so a page
//! that is only watched never downloads the exports' code: it re-simulates the run the page's
//! link describes and saves it ([`scalelab_web::export::from_query`]).

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

fn main() {}
