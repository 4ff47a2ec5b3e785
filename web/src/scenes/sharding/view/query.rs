//! The scatter-gather layer of the drawing: the coordinator, a fan-out line to every shard the
//! latest query asked, each shard's answer (count, or an aggregate's partial, and latency) once
//! it has arrived, and the gather with the merged answer and the total latency (slowest shard
//! plus the merge). The query's progress is the
//! model's own readout ([`LastQuery`]); recent events only animate the pulses.

use super::shapes::{shard_colour, shard_shape};
use crate::components::svg::{Attr, El};
// Coordinates go through Num: the same text as `{}` for these (tens to hundreds of viewBox
// units), without linking Rust's float formatter into the page.
use crate::fixed::fixed;
use scalelab_core::num_text::Num;
use scalelab_core::sharding::{LastQuery, ShardEventKind, ShardId, ShardingEvent};
use yew::prelude::*;

/// A panel-coloured outline under text, so labels stay legible where lines cross them.
const HALO: &str = "paint-order:stroke;stroke:var(--panel);stroke-width:3px;stroke-linejoin:round";

/// How long a request or answer pulse takes along its line.
const PULSE_MS: f64 = 600.0;

/// Where the layer is drawn: the shard rows' ends and the coordinator's centre.
pub struct QueryPlace<'a> {
    /// (shard id, row centre y) for every drawn shard row.
    pub rows: &'a [(u32, f64)],
    /// Where the shard rows end (lines start there).
    pub row_end_x: f64,
    pub coord_x: f64,
    pub coord_y: f64,
}

fn ms(us: u64) -> String {
    format!("{} ms", fixed(us as f64 / 1_000.0, 2))
}

/// The layer for the model's latest query; `recent` holds recent events with their age in ms.
pub fn query_layer(
    query: Option<&LastQuery>,
    recent: &[(f64, &ShardingEvent)],
    place: &QueryPlace<'_>,
    reduced_motion: bool,
) -> Html {
    let (cx, cy) = (place.coord_x, place.coord_y);
    let row_y = |id: u32| place.rows.iter().find(|(s, _)| *s == id).map(|(_, y)| *y);
    // The coordinator box, with what it knows listed underneath (right-aligned to the edge).
    let coordinator = |lines: Vec<String>| {
        let right = cx + 32.0;
        let mut g = El::new("g")
            .set(Attr::Class, "coordinator")
            .el(El::new("rect")
                .set(Attr::Class, "box")
                .string(Attr::X, Num(cx - 32.0).to_string())
                .string(Attr::Y, Num(cy - 14.0).to_string())
                .set(Attr::Width, "64")
                .set(Attr::Height, "28")
                .set(Attr::Rx, "8"))
            .el(El::new("text")
                .string(Attr::X, Num(cx).to_string())
                .string(Attr::Y, Num(cy + 4.0).to_string())
                .set(Attr::TextAnchor, "middle")
                .set(Attr::FontWeight, "600")
                .set(Attr::FontSize, "10")
                .text("coordinator"));
        for (i, l) in lines.into_iter().enumerate() {
            g = g.el(El::new("text")
                .string(Attr::X, Num(right).to_string())
                .string(Attr::Y, Num(cy + 26.0 + 12.0 * i as f64).to_string())
                .set(Attr::TextAnchor, "end")
                .set(Attr::FontSize, "9.5")
                .set(Attr::Style, HALO)
                .text(l));
        }
        g
    };
    let Some(q) = query else {
        return El::new("g")
            .set(Attr::Class, "query")
            .set(Attr::DataQuery, "none")
            .el(coordinator(vec!["no query yet".into()]))
            .html();
    };
    let slowest = q.slowest().map(|a| a.shard);
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for less wasm.
    let mut out = El::new("g")
        .set(Attr::Class, "query")
        .string(Attr::DataQuery, q.id.to_string())
        .string(Attr::DataGathered, q.gathered.is_some().to_string());
    for &ShardId(s) in &q.shards {
        let Some(y) = row_y(s) else {
            continue;
        };
        let answer = q.answer(ShardId(s));
        let down = q.failed.contains(&ShardId(s));
        let is_slowest = q.routed || (slowest == Some(ShardId(s)) && q.gathered.is_some());
        let width = if is_slowest { "2" } else { "1" };
        // An aggregate's answer is the shard's partial: its count, its sum or its own top k.
        let label = match answer {
            Some(a) => format!(
                "{} · {}ms",
                match (q.aggregate, q.partial(ShardId(s))) {
                    (Some(agg), Some(p)) => p.figure(&agg),
                    _ => a.matched.to_string(),
                },
                fixed(a.latency_micros as f64 / 1_000.0, 2)
            ),
            None if down => "down: no answer".to_string(),
            None => "asking…".to_string(),
        };
        out = out.el(El::new("g")
            .string(Attr::DataShard, s.to_string())
            .el(El::new("line")
                .string(Attr::X1, Num(cx - 32.0).to_string())
                .string(Attr::Y1, Num(cy).to_string())
                .string(Attr::X2, Num(place.row_end_x).to_string())
                .string(Attr::Y2, Num(y).to_string())
                .string(
                    Attr::Stroke,
                    if down {
                        "var(--bad)".to_string()
                    } else {
                        shard_colour(s)
                    },
                )
                .set(Attr::StrokeWidth, width)
                .set(
                    Attr::StrokeDasharray,
                    if answer.is_some() { "none" } else { "4 3" },
                )
                .set(Attr::Opacity, "0.8"))
            .el(El::new("text")
                .string(Attr::X, Num(place.row_end_x + 2.0).to_string())
                .string(Attr::Y, Num(y - 3.0).to_string())
                .set(Attr::FontSize, "9")
                .set(Attr::Style, HALO)
                .set(Attr::FontWeight, if is_slowest { "700" } else { "400" })
                .text(label)));
    }
    let mut text = vec![format!("query {}", q.id)];
    let rows = |n: u64| {
        if n == 1 {
            "1 row".to_string()
        } else {
            format!("{n} rows")
        }
    };
    match q.gathered {
        Some(g) if q.routed => {
            let shard = q
                .shards
                .first()
                .map(|s| format!(" from S{} only", s.0))
                .unwrap_or_default();
            text.push(format!("{}{shard}", rows(g.rows)));
            text.push(format!("total {}", ms(g.latency_micros)));
        }
        Some(g) => {
            match (q.aggregate, &q.result) {
                (Some(agg), Some(r)) => {
                    // A down shard's share is unknown: the figure is what the others gave.
                    let unknown = if q.is_partial() { " + ?" } else { "" };
                    text.push(format!("merged: {}{unknown}", r.figure(&agg)));
                }
                _ => text.push(format!("gathered {}", rows(g.rows))),
            }
            for s in &q.failed {
                text.push(format!("PARTIAL: S{} down, its share unknown", s.0));
            }
            text.push(format!("total {}", ms(g.latency_micros)));
            if let Some(slow) = q.slowest() {
                text.push(format!(
                    "= slowest S{} {}",
                    slow.shard.0,
                    ms(slow.latency_micros)
                ));
                text.push(format!(
                    "+ merge {}",
                    ms(g.latency_micros.saturating_sub(slow.latency_micros))
                ));
            }
        }
        None => text.push(format!("{}/{} answered", q.answers.len(), q.shards.len())),
    }
    let what = if q.routed {
        format!("one key: {} → 1 shard", q.asked_for)
    } else {
        format!("{} → all {} shards", q.asked_for, q.shards.len())
    };
    out = out.el(coordinator(text)).el(El::new("text")
        .string(Attr::X, Num(cx + 32.0).to_string())
        .set(Attr::Y, "16")
        .set(Attr::TextAnchor, "end")
        .set(Attr::FontSize, "10")
        .text(format!("Last query: {what}")));
    if reduced_motion {
        return out.html();
    }
    // Pulses: the request out to each shard, each answer back.
    for (age, e) in recent.iter().filter(|(age, _)| *age < PULSE_MS) {
        let t = (age / PULSE_MS).clamp(0.0, 1.0);
        let (targets, outward): (Vec<u32>, bool) = match &e.kind {
            ShardEventKind::QueryScattered { query, shards, .. } if *query == q.id => {
                (shards.iter().map(|s| s.0).collect(), true)
            }
            ShardEventKind::QueryRouted { query, shard, .. } if *query == q.id => {
                (vec![shard.0], true)
            }
            ShardEventKind::QueryShardAnswered { query, shard, .. } if *query == q.id => {
                (vec![shard.0], false)
            }
            _ => continue,
        };
        for s in targets {
            let Some(y) = row_y(s) else {
                continue;
            };
            let f = if outward { t } else { 1.0 - t };
            let x = (cx - 32.0) + (place.row_end_x - (cx - 32.0)) * f;
            let yy = cy + (y - cy) * f;
            out = out.child(shard_shape(s, x, yy, 3.5, "pulse"));
        }
    }
    out.html()
}
