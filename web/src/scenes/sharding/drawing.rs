//! Drawing the sharded store: the hash ring (or per-shard bins for routers without a ring),
//! the per-shard key-count bars with the 80 %/120 % thresholds, keys travelling between shards
//! as batches migrate, the scatter-gather of queries, the moved-key table and the charts.

use super::moves::MoveTable;
use super::query::{query_layer, QueryPlace};
use super::ShardingScene;
use crate::components::chart::{Chart, Line};
use crate::components::svg::{arrow_defs, ctl_button, Attr, El};
// `{}` of an f64 goes through Num (the same text for these numbers), so Rust's float
// formatter is not linked into the page.
use crate::fixed::{coord, fixed};
use crate::scenes::SceneView;
use scalelab_core::num_text::Num;
use scalelab_core::sharding::{
    key_hash, key_name, MigrationMode, RingRouter, Router, RouterKind, ShardEventKind, ShardId,
    ShardLoad, ShardingAction, ShardingEvent, ShardingModel,
};
use std::rc::Rc;
use yew::prelude::*;

// Two drawings side by side on a wide screen, stacked on a narrow one: the keys (ring or
// bins) and the shards (bars, migration, scatter-gather). Each keeps a legible scale.
const KEYS_W: f64 = 350.0;
const KEYS_H: f64 = 352.0;
const SHARDS_W: f64 = 460.0;
const TOP: f64 = 44.0;
const RING_CX: f64 = 175.0;
const RING_CY: f64 = 178.0;
const RING_R: f64 = 135.0;
/// Keys sit just inside the ring, virtual nodes on it.
const KEY_R: f64 = RING_R - 14.0;
const ROW_X: f64 = 64.0;
const BAR_X: f64 = 112.0;
const BAR_W: f64 = 150.0;
const ROW_END: f64 = 306.0;
const COORD_X: f64 = 424.0;
/// Keys drawn at most (a sample spread evenly over the key space).
const KEY_SAMPLE: u64 = 200;
/// Virtual-node markers drawn at most, over all shards.
const MAX_VNODES_DRAWN: u32 = 240;
/// Travelling key dots drawn at most.
const MAX_TRAVELLERS: usize = 120;
const TRAVEL_MS: f64 = 700.0;
/// Rows of shards drawn beyond the live-shard cap: draining shards still holding keys.
const DRAINING_ROWS: usize = 4;

/// A shard's colour (six-colour palette; the shape and label tell shards apart too).
pub fn shard_colour(id: u32) -> String {
    format!("var(--s{})", id % 6)
}

/// Eight shapes, so the first eight shards differ by shape alone (and any two of the first
/// twenty-four by shape or colour), besides their labels.
const SHAPES: usize = 8;

fn shape_name(id: u32) -> &'static str {
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
        .map(|(x, y)| format!("{},{}", f(*x), f(*y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A shard's marker: colour *and* shape, so colour is never the only signal.
pub fn shard_shape(id: u32, x: f64, y: f64, r: f64, class: &'static str) -> Html {
    shape(id, x, y, r, class).html()
}

/// [`shard_shape`] still being built, to add straight into its parent.
fn shape(id: u32, x: f64, y: f64, r: f64, class: &'static str) -> El {
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
                    (x + r * 1.05 * a.cos(), y + r * 1.05 * a.sin())
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

fn f(v: f64) -> AttrValue {
    coord(v)
}

/// Angle on the ring for a 64-bit position, clockwise from the top.
fn ring_xy(pos: u64, r: f64) -> (f64, f64) {
    let a = pos as f64 / 18_446_744_073_709_551_616.0 * std::f64::consts::TAU
        - std::f64::consts::FRAC_PI_2;
    (RING_CX + r * a.cos(), RING_CY + r * a.sin())
}

/// What the drawing needs to know about one sampled key.
struct KeyDot {
    key: String,
    hash: u64,
    /// The shard that holds it (the newest copy if a naive move left two).
    holder: Option<u32>,
    unreadable: bool,
    stale: bool,
}

fn sample_keys(sim: &ShardingModel) -> Vec<KeyDot> {
    let m = sim.manager();
    let keys = sim.config().keys.max(1);
    let n = keys.min(KEY_SAMPLE);
    (0..n)
        .map(|i| {
            let key = key_name(i * keys / n);
            let holder = m.holder(&key).map(|s| s.0);
            let read = m.read(&key);
            KeyDot {
                hash: key_hash(&key),
                unreadable: read.is_unreadable(),
                stale: read.is_stale(),
                holder,
                key,
            }
        })
        .collect()
}

/// Shard rows: every shard still holding keys or in the router, in id order.
struct Rows {
    loads: Vec<ShardLoad>,
    row_h: f64,
}

impl Rows {
    fn new(loads: Vec<ShardLoad>, max_live: u32) -> Rows {
        let max_rows = max_live as usize + DRAINING_ROWS;
        let n = loads.len().clamp(1, max_rows);
        let row_h = (300.0 / n as f64).clamp(15.0, 30.0);
        Rows {
            loads: loads.into_iter().take(max_rows).collect(),
            row_h,
        }
    }
    fn y(&self, i: usize) -> f64 {
        TOP + 14.0 + (i as f64 + 0.5) * self.row_h
    }
    fn y_of(&self, id: u32) -> Option<f64> {
        self.loads
            .iter()
            .position(|l| l.shard.0 == id)
            .map(|i| self.y(i))
    }
    fn bottom(&self) -> f64 {
        TOP + 14.0 + self.loads.len() as f64 * self.row_h
    }
}

fn ring_drawing(sim: &ShardingModel, ring: &RingRouter, keys: &[KeyDot], moved: &[&str]) -> Html {
    let shards = sim.manager().router().shards();
    let n = shards.len().max(1) as u32;
    let vnodes = ring.virtual_nodes();
    let per_shard = vnodes.min((MAX_VNODES_DRAWN / n).max(1));
    let caption = if per_shard < vnodes {
        format!("{per_shard} of {vnodes} vnodes/shard shown")
    } else {
        format!("{vnodes} virtual nodes per shard")
    };
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for less wasm.
    let mut g = El::new("g")
        .set(Attr::Class, "ring")
        .el(El::new("circle")
            .num(Attr::Cx, RING_CX)
            .num(Attr::Cy, RING_CY)
            .num(Attr::R, RING_R)
            .set(Attr::Fill, "none")
            .set(Attr::Stroke, "var(--line)")
            .set(Attr::StrokeWidth, "2"))
        .el(El::new("circle")
            .num(Attr::Cx, RING_CX)
            .num(Attr::Cy, RING_CY)
            .num(Attr::R, KEY_R)
            .set(Attr::Fill, "none")
            .set(Attr::Stroke, "var(--line)")
            .set(Attr::StrokeWidth, "0.5")
            .set(Attr::StrokeDasharray, "2 3"));
    for &id in &shards {
        for i in 0..per_shard {
            let (x, y) = ring_xy(RingRouter::point_of(id, i), RING_R);
            g = g.el(shape(id.0, x, y, 4.0, "vnode"));
        }
    }
    for k in keys {
        let (x, y) = ring_xy(k.hash, KEY_R);
        g = g.el(key_marker(k, x, y, moved.contains(&k.key.as_str()), 2.6));
    }
    for &id in &shards {
        let (x, y) = ring_xy(RingRouter::point_of(id, 0), RING_R + 15.0);
        g = g.el(El::new("text")
            .num(Attr::X, x)
            .num(Attr::Y, y + 4.0)
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "10")
            .set(Attr::FontWeight, "700")
            .string(Attr::Style, format!("fill:{}", shard_colour(id.0)))
            .text(format!("S{}", id.0)));
    }
    g.el(El::new("text")
        .num(Attr::X, RING_CX)
        .num(Attr::Y, RING_CY - 6.0)
        .set(Attr::TextAnchor, "middle")
        .set(Attr::FontSize, "11")
        .set(Attr::FontWeight, "600")
        .text("hash ring"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, RING_CX)
            .num(Attr::Y, RING_CY + 9.0)
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "9")
            .text("0 at the top, clockwise"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, RING_CX)
            .num(Attr::Y, RING_CY + 21.0)
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "9")
            .text(caption))
        .html()
}

/// A key: its owner's shape and colour, or a text marker when it is unreadable or stale.
fn key_marker(k: &KeyDot, x: f64, y: f64, just_moved: bool, r: f64) -> El {
    let body = if k.unreadable {
        El::new("text")
            .num(Attr::X, x)
            .num(Attr::Y, y + 3.5)
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "10")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "fill:var(--bad)")
            .text("✕")
    } else {
        match k.holder {
            Some(id) => shape(id, x, y, r, "key"),
            None => El::new("circle")
                .num(Attr::Cx, x)
                .num(Attr::Cy, y)
                .set(Attr::R, "2")
                .set(Attr::Fill, "var(--muted)"),
        }
    };
    let mut g = El::new("g").string(Attr::DataKey, k.key.clone()).el(body);
    if k.stale && !k.unreadable {
        g = g.el(El::new("text")
            .num(Attr::X, x + 4.0)
            .num(Attr::Y, y - 2.0)
            .set(Attr::FontSize, "9")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "fill:var(--warn)")
            .text("!"));
    }
    if just_moved {
        g = g.el(El::new("circle")
            .num(Attr::Cx, x)
            .num(Attr::Cy, y)
            .set(Attr::R, "5.5")
            .set(Attr::Fill, "none")
            .set(Attr::Stroke, "var(--accent)")
            .set(Attr::StrokeWidth, "1.2"));
    }
    g
}

/// Routers without a ring: one bin per shard holding its sampled keys.
/// Returns the drawing and the height it needs.
fn bins_drawing(rows: &Rows, keys: &[KeyDot], moved: &[&str], kind: RouterKind) -> (Html, f64) {
    let n = rows.loads.len().max(1);
    let (x0, x1, y0) = (6.0, KEYS_W - 6.0, 20.0);
    let cw = (x1 - x0) / n as f64;
    let narrow = cw < 26.0;
    // The sampled keys of one shard, in sample order (a scan per bin: less wasm than a map).
    let of_shard = |id: u32| keys.iter().filter(move |k| k.holder == Some(id));
    let lost: Vec<&KeyDot> = keys.iter().filter(|k| k.holder.is_none()).collect();
    let step = if cw > 60.0 { 9.0 } else { 7.0 };
    let per_row = (((cw - 6.0) / step).floor() as usize).max(1);
    // Bins as tall as the fullest one needs, within the drawing.
    let fullest = rows
        .loads
        .iter()
        .map(|l| of_shard(l.shard.0).count())
        .max()
        .unwrap_or(0);
    let needed = 26.0 + (fullest.div_ceil(per_row) as f64) * step + 24.0;
    let y1 = y0 + needed.clamp(120.0, KEYS_H - 34.0 - y0);
    let fits = (((y1 - y0 - 40.0) / step).floor() as usize).max(1) * per_row;
    let title = match kind {
        RouterKind::ModuloMd5 => "MD5(key) mod N: no ring, one bin per shard",
        RouterKind::Jump => "jump hash: buckets 0…N−1, no ring",
        _ => "rendezvous: each key picks its highest-scoring shard",
    };
    let mut out = El::new("g").set(Attr::Class, "bins").el(El::new("text")
        .set(Attr::Class, "muted")
        .num(Attr::X, x0)
        .set(Attr::Y, "12")
        .set(Attr::FontSize, "10")
        .text(title));
    for (i, l) in rows.loads.iter().enumerate() {
        let x = x0 + i as f64 * cw;
        let id = l.shard.0;
        let count = of_shard(id).count();
        let mut bin = El::new("g")
            .set(Attr::Class, "bin")
            .string(Attr::DataShard, id.to_string())
            .el(El::new("rect")
                .set(Attr::Class, if l.draining { "box warn" } else { "box" })
                .num(Attr::X, x + 1.0)
                .num(Attr::Y, y0)
                .num(Attr::Width, cw - 2.0)
                .num(Attr::Height, y1 - y0)
                .set(Attr::Rx, "4"));
        bin = if narrow {
            bin.el(shape(id, x + cw / 2.0, y0 + 7.0, 3.0, ""))
                .el(El::new("text")
                    .num(Attr::X, x + cw / 2.0)
                    .num(Attr::Y, y0 + 19.0)
                    .set(Attr::TextAnchor, "middle")
                    .set(Attr::FontSize, "8")
                    .set(Attr::FontWeight, "700")
                    .text(id.to_string()))
        } else {
            bin.el(shape(id, x + 8.0, y0 + 10.0, 4.0, ""))
                .el(El::new("text")
                    .num(Attr::X, x + 15.0)
                    .num(Attr::Y, y0 + 14.0)
                    .set(Attr::FontSize, "10")
                    .set(Attr::FontWeight, "700")
                    .text(format!("S{id}")))
        };
        for (j, k) in of_shard(id).take(fits).enumerate() {
            let kx = x + 3.0 + step / 2.0 + (j % per_row) as f64 * step;
            let ky = y0 + 26.0 + (j / per_row) as f64 * step;
            bin = bin.el(key_marker(
                k,
                kx,
                ky,
                moved.contains(&k.key.as_str()),
                step * 0.37,
            ));
        }
        if count > fits {
            bin = bin.el(El::new("text")
                .set(Attr::Class, "muted")
                .num(Attr::X, x + 3.0)
                .num(Attr::Y, y1 - 16.0)
                .set(Attr::FontSize, "9")
                .text(format!("+{}", count - fits)));
        }
        out = out.el(bin.el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, x + cw / 2.0)
            .num(Attr::Y, y1 - 4.0)
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "9")
            .text(l.keys.to_string())));
    }
    if !lost.is_empty() {
        out = out.el(El::new("text")
            .num(Attr::X, x0)
            .num(Attr::Y, y1 + 14.0)
            .set(Attr::FontSize, "10")
            .set(Attr::Style, "fill:var(--bad)")
            .text(format!("✕ {} sampled keys held by no shard", lost.len())));
    }
    (out.html(), y1 + 20.0)
}

/// The per-shard key-count bars, with the guide's thresholds drawn as lines.
fn shard_rows(rows: &Rows) -> Html {
    let live: Vec<u64> = rows
        .loads
        .iter()
        .filter(|l| !l.draining)
        .map(|l| l.keys)
        .collect();
    let avg = if live.is_empty() {
        0.0
    } else {
        live.iter().sum::<u64>() as f64 / live.len() as f64
    };
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
        let flag = if l.draining {
            " ⇢ draining"
        } else if v > avg * 1.2 {
            " ▲"
        } else if v < avg * 0.8 {
            " ▼"
        } else {
            ""
        };
        out = out.el(El::new("g")
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
                    .text(flag))));
    }
    if avg > 0.0 {
        out = out
            .el(threshold(0.8, "80 %", "4 3"))
            .el(threshold(1.0, "avg", "1 2"))
            .el(threshold(1.2, "120 %", "4 3"));
    }
    out.html()
}

/// Keys travelling from their old shard's row to their new one, and each batch as an arrow.
/// An event with its age in ms.
type Aged<'a> = (f64, &'a ShardingEvent);

fn migration(rows: &Rows, recent: &[(f64, &ShardingEvent)], reduced_motion: bool) -> Html {
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
                        f(sx),
                        f(sy),
                        f(cx),
                        f(cy),
                        f(ex),
                        f(ey)
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

fn stats(sim: &ShardingModel, unreadable: u64, stale: u64) -> Html {
    let m = sim.manager();
    let s = sim.stats();
    let stat = |k: &'static str, v: String| {
        El::new("div")
            .set(Attr::Class, "stat")
            .el(El::new("span").set(Attr::Class, "k").text(k))
            .el(El::new("span").set(Attr::Class, "v").text(v))
    };
    let warn_stat = |k: &'static str, v: u64| {
        let style = if v > 0 {
            "border-color:var(--bad);color:var(--bad)"
        } else {
            ""
        };
        El::new("div")
            .set(Attr::Class, "stat")
            .set(Attr::Style, style)
            .el(El::new("span").set(Attr::Class, "k").text(k))
            .el(El::new("span").set(Attr::Class, "v").text(if v > 0 {
                format!("⚠ {v}")
            } else {
                v.to_string()
            }))
    };
    El::new("div")
        .set(Attr::Class, "stat-grid")
        .set(Attr::AriaLabel, "Live figures")
        .el(stat("reads", s.reads.to_string()))
        .el(stat("writes", s.writes.to_string()))
        .el(warn_stat("unreadable keys", unreadable))
        .el(warn_stat("stale keys", stale))
        .el(stat("keys moved", s.keys_moved.to_string()))
        .el(stat("in flight", m.keys_in_flight().to_string()))
        .el(stat("directory size", m.directory_len().to_string()))
        .el(stat("max / avg", fixed(sim.imbalance(), 2)))
        .html()
}

/// The prominent line about lost keys: naive mode in the warning colour with a marker.
fn loss_banner(sim: &ShardingModel, unreadable: u64, stale: u64) -> Html {
    let s = sim.stats();
    match sim.config().mode {
        MigrationMode::Naive => El::new("div")
            .set(Attr::Class, "notices")
            .set(Attr::Role, "status")
            .string(Attr::DataUnreadable, unreadable.to_string())
            .string(Attr::DataStale, stale.to_string())
            .el(El::new("strong").set(Attr::Style, "color:var(--bad)").text(format!(
                "⚠ Naive migration (as the guide): {unreadable} unreadable keys, {stale} stale keys right now."
            )))
            .text(format!(
                " Reads follow the hash only, so a key that moved (or has not moved yet) is not found; {} reads so far came back empty, {} returned an old version.",
                s.unreadable_reads, s.stale_reads
            ))
            .html(),
        MigrationMode::Directory => {
            let ok = unreadable == 0 && stale == 0;
            El::new("p")
                .set(Attr::Style, "margin:0.25rem 0;font-size:0.88rem")
                .set(Attr::Role, "status")
                .string(Attr::DataUnreadable, unreadable.to_string())
                .string(Attr::DataStale, stale.to_string())
                .el(El::new("span")
                    .set(Attr::Class, if ok { "badge ok" } else { "badge bad" })
                    .text(if ok { "✓ lossless" } else { "⚠ keys lost" }))
                .text(format!(
                    " Directory migration: {unreadable} unreadable, {stale} stale keys — reads check the directory ({} entries) before the hash.",
                    sim.manager().directory_len()
                ))
                .html()
        }
    }
}

fn actions(sim: &ShardingModel, act: &Callback<ShardingAction>) -> Html {
    let m = sim.manager();
    let live = m.live_shards();
    let migrating = m.is_migrating();
    let keys = sim.config().keys.max(1);
    let rank = (sim.stats().queries.wrapping_mul(7_919).wrapping_add(17)) % keys;
    let button = |label: String,
                  action: ShardingAction,
                  class: &'static str,
                  disabled: bool,
                  title: &'static str| {
        let act = act.clone();
        ctl_button(
            class,
            label,
            Callback::from(move |_| act.emit(action.clone())),
        )
        .opt(Attr::Disabled, disabled.then_some("disabled"))
        .set(Attr::Title, title)
        .html()
    };
    let last = live.last().copied();
    let on_pick = {
        let act = act.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(shard) = select.value().parse::<u32>() {
                act.emit(ShardingAction::RemoveShard { shard });
            }
            select.set_value("");
        })
    };
    let mut options = yew::virtual_dom::VList::new();
    for s in &live {
        options.add_child(
            El::new("option")
                .string(Attr::Value, s.0.to_string())
                .text(format!("S{} ({})", s.0, s.name()))
                .html(),
        );
    }
    let mut out = El::new("div")
        .set(Attr::Class, "actions")
        .set(Attr::Role, "group")
        .set(Attr::AriaLabel, "Shard operations and queries")
        .child(button(
            "Add shard".into(),
            ShardingAction::AddShard,
            "",
            !sim.can_add_shard(),
            "Add a shard; the keys that now hash to it migrate batch by batch",
        ));
    if let Some(ShardId(id)) = last {
        out = out.child(button(
            format!("Remove S{id}"),
            ShardingAction::RemoveShard { shard: id },
            "danger",
            live.len() <= 1,
            "Take the last shard out of the router; its keys migrate to their new owners",
        ));
    }
    out.child(html! {
        <select class="ctl" aria-label="Remove a chosen shard" onchange={on_pick} disabled={live.len() <= 1}>
            <option value="" selected=true>{ "Remove shard…" }</option>
            { options }
        </select>
    })
    .child(button(
        "Rebalance (120 % / 80 %)".into(),
        ShardingAction::Rebalance,
        "",
        migrating,
        "The guide's load rebalance: shards above 120 % of the average give keys to shards below 80 %",
    ))
    .child(button(
        "Run query: score 100–199".into(),
        ShardingAction::QueryRange { min: 100, max: 199 },
        "",
        false,
        "A range filter cannot be routed by hash: scatter to every shard, gather the answers",
    ))
    .child(button(
        "Run query: keys user:1…".into(),
        ShardingAction::QueryPrefix { digits: 1 },
        "",
        false,
        "A key-prefix filter: hashing scatters neighbouring keys, so every shard is asked",
    ))
    .child(button(
        format!("Query one key (user:{rank})"),
        ShardingAction::QueryKey { rank },
        "",
        false,
        "A single key is routed to the one shard that owns it",
    ))
    .html()
}

fn legend(rows: &Rows) -> Html {
    let mut out = El::new("ul")
        .set(Attr::Class, "legend")
        .set(Attr::AriaLabel, "Legend");
    for l in &rows.loads {
        out = out.el(El::new("li")
            .el(El::new("svg")
                .set(Attr::Class, "drawing")
                .set(Attr::ViewBox, "0 0 12 12")
                .set(Attr::Width, "12")
                .set(Attr::Height, "12")
                .set(Attr::AriaHidden, "true")
                .el(shape(l.shard.0, 6.0, 6.0, 4.5, "")))
            .text(format!(
                "S{} = {} ({}){}",
                l.shard.0,
                l.shard.name(),
                shape_name(l.shard.0),
                if l.draining { ", draining" } else { "" }
            )));
    }
    for (style, mark, text) in [
        ("color:var(--bad);font-weight:700", "✕", " unreadable key"),
        (
            "color:var(--warn);font-weight:700",
            "!",
            " stale key (lost update)",
        ),
        ("color:var(--accent)", "○", " key that just moved"),
        (
            "color:var(--warn)",
            "▲ ▼",
            " shard above 120 % / below 80 % of the average",
        ),
    ] {
        out = out.el(El::new("li")
            .el(El::new("span").set(Attr::Style, style).text(mark))
            .text(text));
    }
    out.html()
}

pub fn view(v: SceneView<'_, ShardingScene>) -> Html {
    let recent = v.aged();
    let sim = v.model;
    let m = sim.manager();
    let rows = Rows::new(m.key_counts(), sim.config().max_live_shards);
    let keys = sample_keys(sim);
    let (unreadable, stale) = (sim.unreadable_count(), sim.stale_count());
    // Keys that just moved (a list: at most a few hundred recent events).
    let moved: Vec<&str> = v
        .recent
        .iter()
        .filter_map(|(_, e)| match &e.kind {
            ShardEventKind::KeyMoved { key, .. } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    let kind = m.router().kind();
    let (main, keys_h) = match m.router() {
        Router::Ring(r) => (ring_drawing(sim, r, &keys, &moved), KEYS_H),
        _ => bins_drawing(&rows, &keys, &moved, kind),
    };
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
    let keys_label = format!(
        "{}: {} of {} keys drawn by hash, each in its shard's colour and shape; {unreadable} unreadable and {stale} stale keys",
        if matches!(kind, RouterKind::Ring { .. }) { "Hash ring with each shard's virtual nodes" } else { "One bin per shard" },
        keys.len(),
        sim.config().keys,
    );
    let shards_label = format!(
        "Keys per shard with the 80 % and 120 % of average thresholds: {counts}{}; the query coordinator fans out to the shards",
        if m.is_migrating() { format!("; {} keys still moving", m.keys_in_flight()) } else { String::new() },
    );
    let status = if m.is_migrating() {
        let per_step = sim.config().batch_interval_micros < sim.config().op_interval_micros;
        format!(
            "Migrating: {} keys still in flight — {}",
            m.keys_in_flight(),
            if per_step {
                "each Step moves one batch (up to 100 keys)."
            } else {
                "batches run between reads and writes."
            }
        )
    } else {
        "At rest: every key is on the shard its route (or the directory) points to.".to_string()
    };
    let series = v.series.clone();
    let n_live = sim.live_shard_count();
    let vnodes = match kind {
        RouterKind::Ring { virtual_nodes } => virtual_nodes,
        _ => v.params.int("vnodes").clamp(1, super::build::MAX_VNODES) as u32,
    };
    let line = |column: usize, label: &'static str| Line {
        column,
        label: label.into(),
    };
    El::new("div")
        .set(Attr::Class, "sharding")
        .child(stats(sim, unreadable, stale))
        .child(loss_banner(sim, unreadable, stale))
        .el(El::new("p")
            .set(Attr::Style, "margin:0.25rem 0;font-size:0.88rem")
            .el(El::new("strong").text(format!("Router: {}. ", kind.label())))
            .el(El::new("span").set(Attr::Style, "color:var(--muted)").text(status)))
        .el(El::new("div")
            .set(Attr::Style,
                "display:flex;flex-wrap:wrap;gap:0.5rem 1rem;align-items:flex-start",
            )
            .el(El::new("svg")
                .set(Attr::Class, "drawing")
                .set(Attr::Style, "flex:1 1 300px;width:auto;min-width:0")
                .string(Attr::ViewBox, format!("0 0 {} {}", Num(KEYS_W), f(keys_h)))
                .set(Attr::Role, "img")
                .string(Attr::AriaLabel, keys_label)
                .child(main))
            .el(El::new("svg")
                .set(Attr::Class, "drawing")
                .set(Attr::Style, "flex:1.3 1 380px;width:auto;min-width:0")
                .string(Attr::ViewBox, format!("0 0 {} {}", Num(SHARDS_W), f(shards_h)))
                .set(Attr::Role, "img")
                .string(Attr::AriaLabel, shards_label)
                .child(arrow_defs("shard-arrow", "var(--ink)"))
                .child(shard_rows(&rows))
                .child(migration(&rows, &recent, v.reduced_motion))
                .child(query_layer(sim.last_query(), &recent, &place, v.reduced_motion))))
        .child(legend(&rows))
        .child(actions(sim, &v.act))
        .child(html! { <MoveTable keys={sim.config().keys} shards={n_live} virtual_nodes={vnodes} current={kind} /> })
        .el(El::new("div")
            .set(Attr::Class, "charts")
            .child(chart(
                "Keys per shard: max / average",
                &series,
                vec![line(ShardingModel::COL_IMBALANCE, "max/avg")],
            ))
            .child(chart(
                "Unreadable and stale keys",
                &series,
                vec![line(ShardingModel::COL_UNREADABLE_KEYS, "unreadable"), line(ShardingModel::COL_STALE_KEYS, "stale")],
            ))
            .child(chart(
                "Keys moved",
                &series,
                vec![line(ShardingModel::COL_KEYS_MOVED, "moved so far"), line(ShardingModel::COL_KEYS_IN_FLIGHT, "in flight")],
            ))
            .child(chart(
                "Reads per second (average)",
                &series,
                vec![line(ShardingModel::COL_READS_PER_S, "reads/s")],
            )))
        .html()
}

/// One chart: a single `html!` component expansion shared by the four.
fn chart(title: &'static str, rows: &Rc<Vec<(f64, Vec<f64>)>>, lines: Vec<Line>) -> Html {
    let rows = rows.clone();
    html! { <Chart {title} {rows} {lines} /> }
}
