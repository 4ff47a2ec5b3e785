//! Evicted entries leaving: a ghost of the entry sliding away and fading, with its reason as
//! a text badge (colour is never the only sign). Under reduced motion, just the badge.

use super::geometry::{Grid, L1_W, L1_X};
use super::style::{middle_text, progress, reason_colour, reason_label, LEAVE_MS};
use crate::components::svg::{Attr, El};
use crate::fixed::{attr, fixed};
use scalelab_core::caching::{EvictionReason, Key};
use yew::Html;

/// An entry evicted from the L1 slot at `(x, y)`, `age` ms ago.
pub fn l1_ghost(
    (x, y): (f64, f64),
    g: Grid,
    key: Key,
    reason: EvictionReason,
    age: f64,
    reduced: bool,
) -> Html {
    let (w, h, dense) = (g.w, g.h, g.dense);
    let colour = reason_colour(reason);
    let label = reason_label(reason);
    if reduced {
        let text = if dense {
            format!("{key} out: {label}")
        } else {
            format!("key:{key} out: {label}")
        };
        let bw = 6.0 + 5.0 * text.chars().count() as f64;
        return El::new("g")
            .set(Attr::Class, "ghost")
            .set(Attr::DataReason, label)
            .el(El::new("rect")
                .num(Attr::X, x)
                .num(Attr::Y, y + h - 8.0)
                .num(Attr::Width, bw)
                .set(Attr::Height, "12")
                .set(Attr::Rx, "6")
                .set(Attr::Fill, "var(--panel)")
                .set(Attr::Stroke, colour))
            .el(El::new("text")
                .num(Attr::X, x + 4.0)
                .num(Attr::Y, y + h + 1.0)
                .set(Attr::FontWeight, "700")
                .string(Attr::Style, format!("font-size:8.5px;fill:{colour}"))
                .text(text))
            .html();
    }
    let t = progress(age, LEAVE_MS, false);
    // It starts already a little off its slot, so the entry that took the slot stays legible.
    let (dx, dy) = ((0.12 + 0.4 * t) * w, (0.45 + 0.45 * t) * h);
    // Slots in the right half slide out to the left, so the ghost stays inside the drawing.
    let dx = if x + w / 2.0 > L1_X + L1_W / 2.0 {
        -dx
    } else {
        dx
    };
    let opacity = 1.0 - 0.75 * t;
    let badge = format!("out: {label}");
    // ~4.3 units per character of 7.5-unit bold text.
    let badge_w = (w - 4.0).max(6.0 + 4.3 * badge.chars().count() as f64);
    let key_label = if dense {
        key.to_string()
    } else {
        format!("key:{key}")
    };
    El::new("g")
        .set(Attr::Class, "ghost")
        .set(Attr::DataReason, label)
        .val(Attr::Opacity, attr(opacity, 2))
        .string(
            Attr::Transform,
            format!("translate({} {})", fixed(dx, 1), fixed(dy, 1)),
        )
        .el(El::new("rect")
            .num(Attr::X, x)
            .num(Attr::Y, y)
            .num(Attr::Width, w)
            .num(Attr::Height, h)
            .set(Attr::Rx, "4")
            .set(Attr::Fill, "var(--panel)")
            .set(Attr::FillOpacity, "0.85")
            .set(Attr::Stroke, colour)
            .set(Attr::StrokeWidth, "1.5")
            .set(Attr::StrokeDasharray, "4 2"))
        .el(middle_text(x + w / 2.0, y + h / 2.0)
            .set(Attr::FontWeight, "600")
            .string(Attr::Style, format!("font-size:9.5px;fill:{colour}"))
            .text(key_label))
        .el(El::new("rect")
            .num(Attr::X, x + 2.0)
            .num(Attr::Y, y + h - 12.0)
            .num(Attr::Width, badge_w)
            .set(Attr::Height, "10")
            .set(Attr::Rx, "5")
            .set(Attr::Fill, colour))
        .el(middle_text(x + 2.0 + badge_w / 2.0, y + h - 4.5)
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:7.5px;fill:var(--panel)")
            .text(badge))
        .html()
}

/// An entry evicted from the L2 cell at `(x, y)` (`w` wide), `age` ms ago: a badge drifting
/// down and right.
pub fn l2_ghost(
    (x, y): (f64, f64),
    w: f64,
    key: Key,
    reason: EvictionReason,
    age: f64,
    reduced: bool,
) -> Html {
    let colour = reason_colour(reason);
    let label = reason_label(reason);
    let t = progress(age, LEAVE_MS, reduced);
    let (dx, o) = if reduced {
        (0.0, 1.0)
    } else {
        (t * 14.0, 1.0 - 0.7 * t)
    };
    El::new("g")
        .set(Attr::Class, "ghost")
        .set(Attr::DataReason, label)
        .val(Attr::Opacity, attr(o, 2))
        .string(
            Attr::Transform,
            format!("translate({} {})", fixed(dx, 1), fixed(dx * 0.6, 1)),
        )
        .el(El::new("rect")
            .num(Attr::X, x)
            .num(Attr::Y, y + 4.0)
            .num(Attr::Width, w + 12.0)
            .set(Attr::Height, "12")
            .set(Attr::Rx, "6")
            .set(Attr::Fill, "var(--panel)")
            .set(Attr::Stroke, colour)
            .set(Attr::StrokeDasharray, "3 2"))
        .el(El::new("text")
            .num(Attr::X, x + 3.0)
            .num(Attr::Y, y + 13.0)
            .set(Attr::FontWeight, "700")
            .string(Attr::Style, format!("font-size:7.5px;fill:{colour}"))
            .text(format!("{key} {label}")))
        .html()
}
