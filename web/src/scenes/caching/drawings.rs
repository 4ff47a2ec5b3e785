//! The two drawings side by side: L1 in one (with the promotions into it), L2, the origin and
//! the traffic between them in the other, each described for a screen reader; with several
//! app nodes, a third with every node's L1.

use super::focus::{handlers, Focus};
use super::geometry::{Grid, WIDTH};
use super::l1_strip::l1_strip;
use super::l2_grid::l2_grid;
use super::nodes::nodes;
use super::origin_box::origin_box;
use super::promotions::promotions;
use super::style::pct;
use super::traffic::traffic;
use crate::components::svg::{arrow_defs, Attr, El};
use crate::fixed::fixed;
use scalelab_core::caching::{CachingEvent, CachingModel};
use yew::prelude::*;

/// One of the two drawings' `svg`, with its arrowhead.
fn drawing_svg(class: &'static str, height: f64, aria: String, arrow: Html) -> El {
    El::new("svg")
        .set(Attr::Class, class)
        // Both through `fixed`: an `f64` in `format!` would link Rust's float formatter.
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", fixed(WIDTH, 0), fixed(height, 0)),
        )
        // A group, not an image: its slots and cells are buttons a student selects.
        .set(Attr::Role, "group")
        .string(Attr::AriaLabel, aria)
        .set(
            Attr::Style,
            "flex:1 1 300px;min-width:0;max-width:560px;height:auto",
        )
        .child(arrow)
}

pub fn drawings(
    m: &CachingModel,
    recent: &[(f64, &CachingEvent)],
    reduced: bool,
    focus: Focus<'_>,
) -> Html {
    let config = m.config();
    let g = Grid::new(config.l1.capacity);
    let l1 = l1_strip(m, recent, reduced, g, focus);
    let (l2, l2_bottom) = l2_grid(m, recent, reduced, focus);
    let (origin, origin_bottom) = origin_box(m, recent);
    let l1_height = g.bottom() + 10.0;
    let l2_height = l2_bottom.max(origin_bottom) + 14.0;
    let s = m.stats();
    let l1_aria = format!(
        "L1 cache ({}) with {} of {} slots used; hit rate {} over the last lookups.",
        config.l1.policy.name(),
        s.l1.len,
        config.l1.capacity,
        pct(m.recent_l1_hit_rate()),
    );
    let l2_aria = format!(
        "L2 cache with {} keys using {} KiB, hit rate {}; behind it the origin, which has served {} loads.",
        s.l2.cache.len,
        fixed(s.l2.used_bytes as f64 / 1024.0, 1),
        pct(m.recent_l2_hit_rate()),
        s.origin.loads
    );
    let l1_svg = drawing_svg(
        "drawing caching-l1",
        l1_height,
        l1_aria,
        arrow_defs("caching-arrow-accent", "var(--accent)"),
    )
    .child(l1);
    let l1_svg = promotions(l1_svg, recent, reduced, g).html();
    let l2_svg = drawing_svg(
        "drawing caching-l2",
        l2_height,
        l2_aria,
        arrow_defs("caching-arrow", "var(--muted)"),
    )
    .child(l2)
    .child(origin)
    .child(traffic(recent, reduced))
    .html();
    let (onclick, onkeydown) = handlers(focus);
    html! {
        <div
            class="caching-drawings"
            style="display:flex;flex-wrap:wrap;gap:0.5rem 1.25rem;align-items:flex-start"
            {onclick} {onkeydown}
        >
            {l1_svg}
            {l2_svg}
            {nodes(m, recent, reduced)}
        </div>
    }
}
