//! Drawing the scaling scene: live figures, the fleet (instances warming, ready, draining; the
//! ones just launched grow in, the ones just removed fade out) or the one vertical machine
//! sized by its cores, the decision log, the naive rule's missed scale-in, the comparison
//! cards and the charts.
//!
//! One file per panel. A panel imports only the files below it (`frame`, `text`, `geometry`,
//! `stat`, `action_button`, the drawings), never the view that composes it. The SVG redrawn
//! every frame (`fleet_svg`, `instance_box`, `machine_svg`) is built with `El`; the rest is
//! `html!`.

mod action_button;
mod charts;
mod compare_view;
mod decision_log;
mod fleet_svg;
mod frame;
mod geometry;
mod instance_box;
mod lane_actions;
mod lane_card;
mod live_stats;
mod load_actions;
mod machine_svg;
mod missed_banner;
mod pick;
mod single_view;
mod summary_table;
mod text;

pub use frame::Frame;
pub use text::mode_label;

use yew::prelude::*;

pub fn view(f: &Frame<'_>) -> Html {
    if f.model.is_comparison() {
        return compare_view::compare_view(f);
    }
    match f.model.lane(0) {
        Some(lane) => single_view::single_view(f, lane),
        None => html! { <p>{"Nothing to show."}</p> },
    }
}
