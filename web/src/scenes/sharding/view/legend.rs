//! The legend: every drawn shard's marker, name and shape, then the key markers (unreadable,
//! stale, just moved) and the threshold flags.

use super::geometry::Rows;
use super::shapes::{shape, shape_name};
use crate::components::svg::{Attr, El};
use yew::prelude::*;

/// A shard's marker as a small inline picture.
fn icon(id: u32) -> Html {
    El::new("svg")
        .set(Attr::Class, "drawing")
        .set(Attr::ViewBox, "0 0 12 12")
        .set(Attr::Width, "12")
        .set(Attr::Height, "12")
        .set(Attr::AriaHidden, "true")
        .el(shape(id, 6.0, 6.0, 4.5, ""))
        .html()
}

const MARKS: [(&str, &str, &str); 4] = [
    ("color:var(--bad);font-weight:700", "✕", " unreadable key"),
    (
        "color:var(--warn);font-weight:700",
        "!",
        " stale key (lost update)",
    ),
    ("color:var(--accent)", "○", " key that just moved"),
    (
        "color:var(--warn)",
        "▲ ▼",
        " shard above 120 % / below 80 % of the average",
    ),
];

/// The legend for the drawn shard rows.
pub fn legend(rows: &Rows) -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            { for rows.loads.iter().map(|l| html! {
                <li>
                    { icon(l.shard.0) }
                    { format!(
                        "S{} = {} ({}){}",
                        l.shard.0,
                        l.shard.name(),
                        shape_name(l.shard.0),
                        if l.draining { ", draining" } else { "" }
                    ) }
                </li>
            }) }
            { for MARKS.iter().map(|&(style, mark, text)| html! {
                <li><span style={style}>{ mark }</span>{ text }</li>
            }) }
        </ul>
    }
}
