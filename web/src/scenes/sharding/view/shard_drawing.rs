//! The right drawing: the per-shard bars, the keys migrating between shard rows and the
//! scatter-gather of the latest query, labelled for screen readers with every shard's count.

use super::geometry::{Rows, COORD_X, ROW_END, SHARDS_W, TOP};
use super::migration::migration;
use super::query::{query_layer, QueryPlace};
use super::shard_rows::shard_rows;
use crate::components::svg::{arrow_defs, Attr, El};
use crate::fixed::coord;
use crate::scenes::sharding::Focus;
use scalelab_core::num_text::Num;
use scalelab_core::sharding::{ShardingEvent, ShardingModel};
use yew::prelude::*;

/// The shard drawing for the model's present; `recent` holds recent events with their age in
/// ms.
pub fn shard_drawing(
    sim: &ShardingModel,
    rows: &Rows,
    recent: &[(f64, &ShardingEvent)],
    reduced_motion: bool,
    focus: Option<Focus>,
) -> Html {
    let m = sim.manager();
    let row_pos: Vec<(u32, f64)> = rows
        .loads
        .iter()
        .enumerate()
        .map(|(i, l)| (l.shard.0, rows.y(i)))
        .collect();
    let coord_y = (TOP + 14.0 + rows.bottom()) / 2.0;
    let place = QueryPlace {
        rows: &row_pos,
        row_end_x: ROW_END,
        coord_x: COORD_X,
        coord_y,
    };
    let shards_h = (rows.bottom() + 18.0).max(coord_y + 84.0).max(200.0);
    let counts = rows
        .loads
        .iter()
        .map(|l| format!("S{} {}", l.shard.0, l.keys))
        .collect::<Vec<_>>()
        .join(", ");
    let moving = if m.is_migrating() {
        format!("; {} keys still moving", m.keys_in_flight())
    } else {
        String::new()
    };
    let label = format!(
        "Keys per shard with the 80 % and 120 % of average thresholds, each shard selectable: {counts}{moving}; the query coordinator fans out to the shards",
    );
    El::new("svg")
        .set(Attr::Class, "drawing")
        .set(Attr::Style, "flex:1.3 1 380px;width:auto;min-width:0")
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", Num(SHARDS_W), coord(shards_h)),
        )
        .set(Attr::Role, "group")
        .string(Attr::AriaLabel, label)
        .child(arrow_defs("shard-arrow", "var(--ink)"))
        .child(shard_rows(rows, focus))
        .child(migration(rows, recent, reduced_motion))
        .child(query_layer(
            sim.last_query(),
            recent,
            &place,
            reduced_motion,
        ))
        .html()
}
