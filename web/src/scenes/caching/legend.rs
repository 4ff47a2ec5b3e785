//! The W-TinyLFU region key above the L1 grid: a swatch and a name per region.

use super::style::region_colour;
use crate::components::svg::{Attr, El};
use scalelab_core::caching::Region;
use yew::Html;

pub fn region_legend(x: f64, y: f64) -> Html {
    let items = [
        (Region::Window, "window"),
        (Region::Probation, "probation"),
        (Region::Protected, "protected"),
    ];
    let mut out = El::new("g").set(Attr::Class, "legend-regions");
    for (i, (r, name)) in items.iter().enumerate() {
        let xi = x + i as f64 * 70.0;
        out = out
            .el(El::new("rect")
                .num(Attr::X, xi)
                .num(Attr::Y, y - 8.0)
                .set(Attr::Width, "8")
                .set(Attr::Height, "8")
                .set(Attr::Fill, region_colour(*r).unwrap_or("none")))
            .el(El::new("text")
                .num(Attr::X, xi + 11.0)
                .num(Attr::Y, y)
                .set(Attr::Style, "font-size:9px")
                .text(*name));
    }
    out.html()
}
