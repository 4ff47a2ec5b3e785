//! The per-shard key-count bars, with the rebalance thresholds (80 % and 120 % of the live
//! shards' average) drawn as lines and each shard above or below them flagged.

use super::focus::focusable;
use super::geometry::{Rows, BAR_W, BAR_X, ROW_X, TOP};
use super::shapes::{shape, shard_colour};
use crate::components::svg::{Attr, El};
use crate::scenes::sharding::Focus;
use scalelab_core::sharding::ShardFault;
use yew::prelude::*;

/// The bars for every drawn shard row, each selectable; `focus` marks the selected one.
pub fn shard_rows(rows: &Rows, focus: Option<Focus>) -> Html {
    let avg = rows.average;
    let max = rows.loads.iter().map(|l| l.keys).max().unwrap_or(0) as f64;
    let scale = max.max(avg * 1.4).max(1.0);
    let bx = |v: f64| BAR_X + (v / scale).clamp(0.0, 1.0) * BAR_W;
    let h = (rows.row_h - 6.0).max(6.0);
    let top = TOP + 12.0;
    let bottom = rows.bottom();
    // Labels: 80 % to the left of its line, 120 % to the right, the average below.
    let threshold = |pct: f64, label: &'static str, dash: &'static str| {
        let x = bx(avg * pct);
        let (tx, ty, anchor) = if pct < 1.0 {
            (x - 2.0, top - 2.0, "end")
        } else if pct > 1.0 {
            (x + 2.0, top - 2.0, "start")
        } else {
            (x, bottom + 10.0, "middle")
        };
        El::new("g")
            .set(Attr::Class, "threshold")
            .el(El::new("line")
                .num(Attr::X1, x)
                .num(Attr::Y1, top)
                .num(Attr::X2, x)
                .num(Attr::Y2, bottom)
                .set(Attr::Stroke, "var(--ink)")
                .set(Attr::StrokeWidth, "1")
                .set(Attr::StrokeDasharray, dash)
                .set(Attr::Opacity, "0.7"))
            .el(El::new("text")
                .num(Attr::X, tx)
                .num(Attr::Y, ty)
                .set(Attr::TextAnchor, anchor)
                .set(Attr::FontSize, "9")
                .text(label))
    };
    let mut out = El::new("g")
        .set(Attr::Class, "shard-rows")
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, ROW_X - 50.0)
            .num(Attr::Y, TOP - 12.0)
            .set(Attr::FontSize, "10")
            .text("keys per shard"));
    for (i, l) in rows.loads.iter().enumerate() {
        let y = rows.y(i);
        let id = l.shard.0;
        let v = l.keys as f64;
        let fault = format!(" ✕ {}", l.fault);
        let flag = if l.fault != ShardFault::Healthy {
            fault.as_str()
        } else if l.draining {
            " ⇢ draining"
        } else if v > avg * 1.2 {
            " ▲"
        } else if v < avg * 0.8 {
            " ▼"
        } else {
            ""
        };
        let row = El::new("g")
            .set(Attr::Class, "shard-row")
            .string(Attr::DataShard, id.to_string())
            .string(Attr::DataKeys, l.keys.to_string())
            .el(shape(id, ROW_X + 5.0, y, 4.5, ""))
            .el(El::new("text")
                .num(Attr::X, ROW_X + 13.0)
                .num(Attr::Y, y + 4.0)
                .set(Attr::FontSize, "11")
                .set(Attr::FontWeight, "700")
                .text(format!("S{id}")))
            .el(El::new("rect")
                .set(Attr::Class, if l.draining { "box warn" } else { "box" })
                .num(Attr::X, BAR_X)
                .num(Attr::Y, y - h / 2.0)
                .num(Attr::Width, BAR_W)
                .num(Attr::Height, h))
            .el(El::new("rect")
                .num(Attr::X, BAR_X)
                .num(Attr::Y, y - h / 2.0)
                .num(Attr::Width, bx(v) - BAR_X)
                .num(Attr::Height, h)
                .string(Attr::Fill, shard_colour(id))
                .set(Attr::Opacity, "0.85"))
            .el(El::new("text")
                .num(Attr::X, BAR_X + BAR_W + 4.0)
                .num(Attr::Y, y + 4.0)
                .set(Attr::FontSize, "10")
                .text(l.keys.to_string())
                .el(El::new("tspan")
                    .set(
                        Attr::Fill,
                        if flag.is_empty() {
                            "var(--ink)"
                        } else {
                            "var(--warn)"
                        },
                    )
                    .set(Attr::FontSize, "9")
                    .text(flag)));
        let state = match (l.fault, l.draining) {
            (ShardFault::Healthy, true) => ", draining".to_string(),
            (ShardFault::Healthy, false) => String::new(),
            (fault, _) => format!(", {fault}"),
        };
        out = out.child(focusable(
            Focus::Shard(id),
            format!("shard-{id}: {} keys{state}", l.keys),
            focus == Some(Focus::Shard(id)),
            row.html(),
        ));
    }
    if avg > 0.0 {
        out = out
            .el(threshold(0.8, "80 %", "4 3"))
            .el(threshold(1.0, "avg", "1 2"))
            .el(threshold(1.2, "120 %", "4 3"));
    }
    out.html()
}
