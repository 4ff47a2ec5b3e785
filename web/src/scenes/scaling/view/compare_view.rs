//! The comparison view: every lane on the identical load, as a table of totals, a card per
//! lane and charts of the lanes side by side (the first three).

use super::charts::compare_charts;
use super::frame::Frame;
use super::lane_card::lane_card;
use super::load_actions::load_actions;
use super::summary_table::summary_table;
use super::text::secs;
use scalelab_core::Model;
use yew::prelude::*;

pub fn compare_view(f: &Frame<'_>) -> Html {
    let m = f.model;
    let name = |i: u32| match m.lane(i).map(|l| l.label()) {
        Some(l) if !l.is_empty() => l.to_string(),
        _ => format!("lane {}", i + 1),
    };
    let heading = format!(
        "The identical requests, tick by tick, offered to each lane · t = {}",
        secs(m.now())
    );
    let current = m.lane(0).map(|l| l.service().load());
    html! {
        <div class="scaling compare">
            <p class="muted" style="margin: 0; font-size: 0.85rem;">{heading}</p>
            {summary_table(m)}
            {load_actions(f.act, f.shape, f.peak, current)}
            <div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0.75rem; margin-top: 0.5rem;">
                {for m.lanes().iter().zip(0u32..).map(|(lane, i)| lane_card(f, i, lane))}
            </div>
            {compare_charts(f.series, &name(0), &name(1), (m.lane_count() > 2).then(|| name(2)).as_deref())}
        </div>
    }
}
