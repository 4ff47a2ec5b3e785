//! L2 → L1 promotions: an arrow from the L2 side (the L1 drawing's top right, where the L2
//! drawing continues) to the slot the entry landed in, with a dot travelling along it.

use super::geometry::{Grid, TOP, WIDTH};
use super::style::{fade, progress, FLASH_MS};
use crate::components::svg::{Attr, El};
use crate::fixed::attr;
use scalelab_core::caching::{CachingEvent, PromotionKind};
use yew::Html;

/// How many promotions are drawn at once, newest first.
pub const MAX_PROMOTIONS: usize = 8;

/// The last (at most [`MAX_PROMOTIONS`]) promotions' arrows.
pub fn promotions(recent: &[(f64, &CachingEvent)], reduced: bool, g: Grid) -> Vec<Html> {
    let mut arrows = Vec::new();
    let mut drawn = 0;
    for (age, e) in recent.iter().rev() {
        if drawn >= MAX_PROMOTIONS {
            break;
        }
        let CachingEvent::Promoted {
            slot,
            promotion: PromotionKind::L2ToL1,
            node: 0,
            ..
        } = e
        else {
            continue;
        };
        if *age >= FLASH_MS {
            continue;
        }
        let Some((x, y)) = g.xy(*slot) else {
            continue;
        };
        drawn += 1;
        let (x0, y0) = (WIDTH - 4.0, TOP - 10.0);
        let (x1, y1) = (x + g.w, y + g.h / 2.0);
        let o = fade(*age, FLASH_MS, reduced);
        let t = progress(*age, FLASH_MS * 0.6, reduced);
        let mut arrow = El::new("g")
            .set(Attr::Class, "promotion")
            .val(Attr::Opacity, attr(o, 2))
            .el(El::new("line")
                .num(Attr::X1, x0)
                .num(Attr::Y1, y0)
                .num(Attr::X2, x1)
                .num(Attr::Y2, y1)
                .set(Attr::Stroke, "var(--accent)")
                .set(Attr::StrokeWidth, "1.4")
                .set(Attr::StrokeDasharray, "4 3")
                .set(Attr::MarkerEnd, "url(#caching-arrow-accent)"));
        if !reduced {
            arrow = arrow.el(El::new("circle")
                .set(Attr::Class, "dot")
                .num(Attr::Cx, x0 + (x1 - x0) * t)
                .num(Attr::Cy, y0 + (y1 - y0) * t)
                .set(Attr::R, "3"));
        }
        arrows.push(arrow.html());
    }
    arrows
}
