//! The two drawings side by side: L1 in one, L2, the origin and the link between them in the
//! other, each described for a screen reader and each under its layer of passing marks
//! ([`super::marks`]); with several app nodes, a third with every node's L1.

use super::focus::{handlers, Focus};
use super::geometry::{Grid, MAX_L2_CELLS, TOP, WIDTH};
use super::l1_strip::{l1_strip, L1Shown};
use super::l2_grid::{grid_bottom, l2_grid, L2Shown};
use super::marks::{l1_layer, l2_layer};
use super::nodes::nodes;
use super::origin_box::{origin_box, OriginShown, ORIGIN_H};
use super::traffic::link;
use crate::components::memo::{memo, View};
use crate::components::svg::{arrow_defs, marks_layer, Attr, El};
use crate::fixed::fixed;
use scalelab_core::caching::{CachingEvent, CachingModel};
use yew::prelude::*;

/// A drawing `height` units tall: its `svg` (`class`, described by `aria`, with its
/// arrowhead and its `parts`).
fn drawing_svg(class: &'static str, height: f64, aria: String, arrow: Html, parts: El) -> Html {
    El::new("svg")
        .set(Attr::Class, class)
        .string(Attr::ViewBox, view_box(height))
        // A group, not an image: its slots and cells are buttons a student selects.
        .set(Attr::Role, "group")
        .string(Attr::AriaLabel, aria)
        .child(arrow)
        .el(parts)
        .html()
}

/// The viewBox of a drawing `height` units tall.
fn view_box(height: f64) -> String {
    // Through `fixed`: an `f64` in `format!` would link Rust's float formatter.
    format!("0 0 {} {}", fixed(WIDTH, 0), fixed(height, 0))
}

/// A drawing (its kept `svg`) under the `svg.marks` layer of what passes over it, in a box
/// that takes the drawing's size and keeps its layout and paint to itself.
fn stack(svg: Html, height: f64, marks: El) -> Html {
    El::new("div")
        .set(Attr::Class, "drawing-stack")
        .child(svg)
        .el(marks_layer(view_box(height)).el(marks))
        .html()
}

/// What the L1 drawing shows, read from the model each frame and drawn through [`memo`]:
/// drawn again only when an entry comes, goes or changes its note (its place in the keep
/// order, its use count, its time left), or the selection moves.
#[derive(PartialEq)]
struct L1Drawing {
    l1: L1Shown,
    height: f64,
}

impl View for L1Drawing {
    fn view(&self) -> Html {
        let l1 = &self.l1;
        let aria = format!(
            "L1 cache ({}) with {} of {} slots used.",
            l1.policy.name(),
            l1.len,
            l1.capacity,
        );
        drawing_svg(
            "drawing caching-l1",
            self.height,
            aria,
            arrow_defs("caching-arrow-accent", "var(--accent)"),
            El::new("g").child(l1_strip(l1, Grid::new(l1.capacity))),
        )
    }
}

/// What the L2 drawing with the origin shows, read from the model each frame and drawn
/// through [`memo`]: drawn again only when a key comes, goes or moves, memory use or the
/// origin's counts change, or the selection moves (the model steps on most frames; most
/// steps change none of these).
#[derive(PartialEq)]
struct L2Drawing {
    l2: L2Shown,
    origin: OriginShown,
    height: f64,
}

impl View for L2Drawing {
    fn view(&self) -> Html {
        let s = &self.l2.stats;
        let aria = format!(
            "L2 cache with {} keys using {} KiB; behind it the origin, which has served {} loads.",
            self.l2.keys.len(),
            fixed(s.used_bytes as f64 / 1024.0, 1),
            self.origin.stats.loads
        );
        drawing_svg(
            "drawing caching-l2",
            self.height,
            aria,
            arrow_defs("caching-arrow", "var(--muted)"),
            El::new("g")
                .child(l2_grid(&self.l2))
                .child(origin_box(&self.origin))
                .child(link()),
        )
    }
}

/// How many keys the L2 drawing keeps room for: as many as the L2's memory holds (past the
/// grid, its "… more" line), so the drawing keeps one size while a run fills the L2. A drawing
/// that grew row by row laid out every cell again, and everything after it, many times a
/// minute. It grows only if the L2 ever holds more (`held`).
fn l2_room(m: &CachingModel, held: usize) -> usize {
    let most = m
        .l2_most_keys()
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    most.min(MAX_L2_CELLS + 1).max(held)
}

pub fn drawings(
    m: &CachingModel,
    recent: &[(f64, &CachingEvent)],
    reduced: bool,
    focus: Focus<'_>,
) -> Html {
    let g = Grid::new(m.config().l1.capacity);
    // Read from the model once: the drawing compares it with the last frame's, the marks
    // layer finds its slots and cells in it.
    let (l1, l2) = (L1Shown::of(m, g, focus.key), L2Shown::of(m, focus.key));
    let l1_height = g.bottom() + 10.0;
    let l2_height = grid_bottom(l2_room(m, l2.keys.len())).max(TOP + ORIGIN_H) + 14.0;
    let (l1_marks, l2_marks) = (
        l1_layer(&l1, recent, reduced, g),
        l2_layer(&l2, recent, reduced),
    );
    let l1 = memo(L1Drawing {
        l1,
        height: l1_height,
    });
    let l2 = memo(L2Drawing {
        l2,
        origin: OriginShown::of(m),
        height: l2_height,
    });
    let l1 = stack(l1, l1_height, l1_marks);
    let l2 = stack(l2, l2_height, l2_marks);
    let (onclick, onkeydown) = handlers(focus);
    html! {
        <div
            class="caching-drawings"
            style="display:flex;flex-wrap:wrap;gap:0.5rem 1.25rem;align-items:flex-start"
            {onclick} {onkeydown}
        >
            {l1}
            {l2}
            {nodes(m, recent, reduced)}
        </div>
    }
}
