//! Each shard's marker — a colour from a six-colour palette *and* one of eight shapes — so
//! colour is never the only signal. Every drawing and the legend use these.

use crate::components::svg::{Attr, El};
use scalelab_core::sim::turn;
// Coordinates go through `coord`: the same text as `{}` for these numbers, without linking
// Rust's float formatter into the page.
use crate::fixed::coord;
use yew::prelude::*;

/// A shard's colour (six-colour palette; the shape and label tell shards apart too).
pub fn shard_colour(id: u32) -> String {
    format!("var(--s{})", id % 6)
}

/// Eight shapes, so the first eight shards differ by shape alone (and any two of the first
/// twenty-four by shape or colour), besides their labels.
const SHAPES: usize = 8;

pub fn shape_name(id: u32) -> &'static str {
    match id as usize % SHAPES {
        0 => "circle",
        1 => "square",
        2 => "triangle",
        3 => "diamond",
        4 => "triangle down",
        5 => "hexagon",
        6 => "cross",
        _ => "ring",
    }
}

fn polygon(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{},{}", coord(*x), coord(*y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A shard's marker: colour *and* shape, so colour is never the only signal.
pub fn shard_shape(id: u32, x: f64, y: f64, r: f64, class: &'static str) -> Html {
    shape(id, x, y, r, class).html()
}

/// [`shard_shape`] still being built, to add straight into its parent.
pub fn shape(id: u32, x: f64, y: f64, r: f64, class: &'static str) -> El {
    let fill = shard_colour(id);
    // Filled in the shard's colour and outlined in the panel's.
    let filled = |e: El, fill: String| {
        e.set(Attr::Class, class)
            .string(Attr::Fill, fill)
            .set(Attr::Stroke, "var(--panel)")
            .set(Attr::StrokeWidth, "0.6")
    };
    let poly = |pts: Vec<(f64, f64)>| {
        filled(
            El::new("polygon")
                .set(Attr::Class, class)
                .string(Attr::Points, polygon(&pts)),
            fill.clone(),
        )
    };
    match id as usize % SHAPES {
        0 => filled(
            El::new("circle")
                .num(Attr::Cx, x)
                .num(Attr::Cy, y)
                .num(Attr::R, r),
            fill.clone(),
        ),
        1 => filled(
            El::new("rect")
                .num(Attr::X, x - r * 0.9)
                .num(Attr::Y, y - r * 0.9)
                .num(Attr::Width, r * 1.8)
                .num(Attr::Height, r * 1.8),
            fill.clone(),
        ),
        2 => poly(vec![
            (x, y - r * 1.1),
            (x + r, y + r * 0.8),
            (x - r, y + r * 0.8),
        ]),
        3 => poly(vec![
            (x, y - r * 1.15),
            (x + r * 1.15, y),
            (x, y + r * 1.15),
            (x - r * 1.15, y),
        ]),
        4 => poly(vec![
            (x, y + r * 1.1),
            (x + r, y - r * 0.8),
            (x - r, y - r * 0.8),
        ]),
        5 => poly(
            (0..6)
                .map(|i| {
                    let a = std::f64::consts::FRAC_PI_3 * f64::from(i);
                    (x + r * 1.05 * turn::cos(a), y + r * 1.05 * turn::sin(a))
                })
                .collect(),
        ),
        6 => {
            let (a, b) = (r * 0.4, r * 1.1);
            poly(vec![
                (x - a, y - b),
                (x + a, y - b),
                (x + a, y - a),
                (x + b, y - a),
                (x + b, y + a),
                (x + a, y + a),
                (x + a, y + b),
                (x - a, y + b),
                (x - a, y + a),
                (x - b, y + a),
                (x - b, y - a),
                (x - a, y - a),
            ])
        }
        _ => El::new("circle")
            .set(Attr::Class, class)
            .num(Attr::Cx, x)
            .num(Attr::Cy, y)
            .num(Attr::R, r * 0.8)
            .set(Attr::Fill, "none")
            .string(Attr::Stroke, fill.clone())
            .num(Attr::StrokeWidth, (r * 0.5).max(1.0)),
    }
}
