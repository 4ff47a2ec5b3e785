//! Keys travelling from their old shard's row to their new one, and each path's newest batch
//! as an arrow with its count.

use super::geometry::{Rows, MAX_TRAVELLERS, ROW_X, TRAVEL_MS};
use super::shapes::{shape, shard_colour};
use crate::components::svg::{Attr, El};
use crate::fixed::coord;
use scalelab_core::sharding::{ShardEventKind, ShardingEvent};
use yew::prelude::*;

/// An event with its age in ms.
type Aged<'a> = (f64, &'a ShardingEvent);

/// The migration layer for the recent events (`recent`: each with its age in ms).
pub fn migration(rows: &Rows, recent: &[(f64, &ShardingEvent)], reduced_motion: bool) -> Html {
    let lane = ROW_X - 6.0;
    let curve = |y0: f64, y1: f64| {
        let bulge = (18.0 + (y1 - y0).abs() * 0.25).min(lane - 4.0);
        (lane, y0, lane - bulge, (y0 + y1) / 2.0, lane, y1)
    };
    // The newest batch per (from, to) pair; older ones on the same path would overlap it.
    // Kept in (from, to) order, the order they are drawn in; a sorted list is less wasm than
    // a map.
    let mut newest: Vec<((u32, u32), Aged)> = Vec::new();
    for (age, e) in recent {
        if let ShardEventKind::BatchMoved { from, to, .. } = &e.kind {
            let path = (from.0, to.0);
            let at = newest.iter().position(|(p, _)| *p >= path);
            match at.and_then(|i| newest.get_mut(i)) {
                Some(slot) if slot.0 == path => slot.1 = (*age, e),
                _ => newest.insert(at.unwrap_or(newest.len()), (path, (*age, e))),
            }
        }
    }
    let mut out = El::new("g").set(Attr::Class, "migration");
    for (_, (age, e)) in &newest {
        let ShardEventKind::BatchMoved {
            count,
            from,
            to,
            rebalance,
        } = &e.kind
        else {
            continue;
        };
        let (Some(y0), Some(y1)) = (rows.y_of(from.0), rows.y_of(to.0)) else {
            continue;
        };
        let (sx, sy, cx, cy, ex, ey) = curve(y0, y1);
        let fade = if reduced_motion {
            1.0
        } else {
            (1.0 - age / 1_200.0).clamp(0.2, 1.0)
        };
        out = out.el(El::new("g")
            .set(Attr::Class, "batch")
            .num(Attr::Opacity, fade)
            .el(El::new("path")
                .string(
                    Attr::D,
                    format!(
                        "M{} {} Q{} {} {} {}",
                        coord(sx),
                        coord(sy),
                        coord(cx),
                        coord(cy),
                        coord(ex),
                        coord(ey)
                    ),
                )
                .set(Attr::Fill, "none")
                .string(Attr::Stroke, shard_colour(to.0))
                .set(Attr::StrokeWidth, "1.5")
                .set(Attr::MarkerEnd, "url(#shard-arrow)"))
            .el(El::new("text")
                .num(Attr::X, cx * 0.5 + lane * 0.5 - 3.0)
                .num(Attr::Y, cy + 3.0)
                .set(Attr::TextAnchor, "end")
                .set(Attr::FontSize, "9")
                .text(format!(
                    "{count}{}",
                    if *rebalance { " (load)" } else { "" }
                ))));
    }
    if reduced_motion {
        return out.html();
    }
    // The newest key moves first; `j` staggers them (counted over every move shown or not).
    let moves = recent.iter().rev().filter_map(|(age, e)| match &e.kind {
        ShardEventKind::KeyMoved { from, to, .. } => Some((*age, from.0, to.0)),
        _ => None,
    });
    for (j, (age, from, to)) in moves.take(MAX_TRAVELLERS).enumerate() {
        let delay = (j % 100) as f64 * 4.0;
        let t = ((age - delay) / TRAVEL_MS).clamp(0.0, 1.0);
        if t >= 1.0 {
            continue;
        }
        let (Some(y0), Some(y1)) = (rows.y_of(from), rows.y_of(to)) else {
            continue;
        };
        let (sx, sy, cx, cy, ex, ey) = curve(y0, y1);
        let u = 1.0 - t;
        let x = u * u * sx + 2.0 * u * t * cx + t * t * ex;
        let y = u * u * sy + 2.0 * u * t * cy + t * t * ey;
        out = out.el(shape(to, x, y, 2.8, "traveller"));
    }
    out.html()
}
