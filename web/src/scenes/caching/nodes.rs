//! The app nodes, when there are several: one L1 strip per node with the keys it holds, a
//! stale read of one in the warning colour and marked "!", the node's stale reads, and the
//! invalidation on its way.

use super::geometry::{L1_W, L1_X, WIDTH};
use super::style::{fade, FLASH_MS};
use crate::components::svg::{Attr, El};
use crate::fixed::{attr, fixed};
use scalelab_core::caching::{CachingEvent, CachingModel, Level};
use yew::Html;

const COLS: u32 = 16;
const CELL_W: f64 = (L1_W - 16.0 - 2.0 * (COLS - 1) as f64) / COLS as f64;
const PITCH: f64 = 16.0;
const TOP: f64 = 46.0;

/// The `<svg>` of every node's L1, or nothing with one node.
pub fn nodes(m: &CachingModel, recent: &[(f64, &CachingEvent)], reduced: bool) -> Option<Html> {
    let config = m.config();
    let count = config.app_nodes;
    if count < 2 {
        return None;
    }
    let capacity = config.l1.capacity.min(u64::from(COLS) * 4) as u32;
    let row_h = 22.0 + f64::from(capacity.div_ceil(COLS)) * PITCH;
    let stale: u64 = m.stale_reads_by_node().iter().sum();
    let height = TOP + f64::from(count) * row_h;
    let mut out = El::new("svg")
        .set(Attr::Class, "drawing caching-nodes")
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", fixed(WIDTH, 0), fixed(height, 0)),
        )
        .set(Attr::Role, "img")
        .set(
            Attr::AriaLabel,
            "Every app node's L1; the line above it counts the stale reads and invalidations.",
        )
        .set(
            Attr::Style,
            "flex:1 1 300px;min-width:0;max-width:560px;height:auto",
        )
        .el(El::new("text")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "16")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:12px")
            .text("App nodes (round robin)"))
        .el(El::new("text")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "31")
            .set(Attr::Style, "font-size:10px")
            .kid(format!(
                "invalidation: {} · {stale} stale reads · {} invalidations sent",
                config.invalidation.name(),
                m.invalidations_sent()
            )));
    // A message on its way: the writer published the key; the others drop it one L2 round
    // trip later.
    let sent = recent.iter().rev().find_map(|(age, e)| match **e {
        CachingEvent::InvalidationSent { key, node, .. } if *age < FLASH_MS => {
            Some((*age, key, node))
        }
        _ => None,
    });
    out = out.maybe(sent.map(|(age, key, from)| {
        El::new("text")
            .num(Attr::X, L1_X + L1_W)
            .set(Attr::Y, "16")
            .set(Attr::TextAnchor, "end")
            .val(Attr::Opacity, attr(fade(age, FLASH_MS, reduced), 2))
            .set(Attr::Style, "font-size:10px;fill:var(--accent)")
            .kid(format!("app-{} → all: drop key:{key}", u32::from(from) + 1))
    }));
    for node in 0..count {
        let y = TOP + f64::from(node) * row_h;
        let entries = m.l1_entries_on(node);
        let stale_here = m.stale_reads_by_node().get(usize::from(node)).copied();
        out = out.el(El::new("text")
            .num(Attr::X, L1_X)
            .num(Attr::Y, y + 10.0)
            .set(Attr::FontWeight, "600")
            .set(Attr::Style, "font-size:10px")
            .kid(format!(
                "app-{} L1 · {}/{} · {} stale reads",
                u32::from(node) + 1,
                entries.len(),
                config.l1.capacity,
                stale_here.unwrap_or(0)
            )));
        let mut cells = Vec::new();
        for e in entries.iter().filter(|e| e.slot < capacity) {
            let x = L1_X + 8.0 + f64::from(e.slot % COLS) * (CELL_W + 2.0);
            let cy = y + 16.0 + f64::from(e.slot / COLS) * PITCH;
            // The newest L1 read of this entry on this node: marked when it was stale (the
            // copy is older than the origin's).
            let flash = recent
                .iter()
                .rev()
                .take_while(|(age, _)| *age < FLASH_MS)
                .find_map(|(_, ev)| match **ev {
                    CachingEvent::RequestCompleted {
                        node: n,
                        key,
                        served_by: Level::L1,
                        stale,
                        ..
                    } if n == node && key == e.key => Some(stale.is_some()),
                    _ => None,
                });
            cells.push(
                El::new("rect")
                    .num(Attr::X, x)
                    .num(Attr::Y, cy)
                    .num(Attr::Width, CELL_W)
                    .num(Attr::Height, PITCH - 3.0)
                    .set(Attr::Rx, "2")
                    .set(
                        Attr::Style,
                        if flash == Some(true) {
                            "fill:var(--warn);fill-opacity:.4;stroke:var(--warn)"
                        } else {
                            "fill:none;stroke:var(--muted)"
                        },
                    )
                    .html(),
            );
            cells.push(
                El::new("text")
                    .num(Attr::X, x + CELL_W / 2.0)
                    .num(Attr::Y, cy + 10.0)
                    .set(Attr::TextAnchor, "middle")
                    .set(Attr::Style, "font-size:8px")
                    .kid(if flash == Some(true) {
                        format!("{}!", e.key)
                    } else {
                        e.key.to_string()
                    })
                    .html(),
            );
        }
        out = out.list(cells);
    }
    Some(out.html())
}
