//! Drawing the system scene: the preset's story, live figures, the request path with the
//! requests moving through it, the chaos switches, where the latency went, and the charts.
//!
//! One file per panel. A panel imports only the files below it (`frame`, `text`,
//! `geometry`), never the view that composes it. The path drawing, redrawn every frame, is
//! built with `El`; the rest is `html!`.

mod breakdown;
mod charts;
mod frame;
mod geometry;
mod live_stats;
mod path_svg;
mod story;
mod switches;
mod text;

pub use frame::Frame;
pub use text::{narrate, push_chaos};

use yew::prelude::*;

pub fn view(f: &Frame<'_>) -> Html {
    html! {
        <div class="system">
            {story::story(f)}
            {f.keep.figures("system-live-stats", &|| live_stats::live_stats(f.model))}
            {path_svg::path_svg(f)}
            {switches::switches(f)}
            {f.keep.figures("system-breakdown", &|| breakdown::breakdown(f.model))}
            {charts::charts(f.series)}
        </div>
    }
}
