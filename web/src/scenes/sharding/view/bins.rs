//! Routers without a ring (modulo, jump, rendezvous): one bin per shard holding its sampled
//! keys, with the count underneath and the keys no shard holds called out.

use super::geometry::{Rows, KEYS_H, KEYS_W};
use super::keys::{key_marker, KeyDot};
use super::shapes::shape;
use crate::components::svg::{Attr, El};
use crate::scenes::sharding::Focus;
use scalelab_core::sharding::RouterKind;
use yew::prelude::*;

/// Routers without a ring: one bin per shard holding its sampled keys.
/// Returns the drawing and the height it needs.
pub fn bins_drawing(
    rows: &Rows,
    keys: &[KeyDot],
    moved: &[&str],
    kind: RouterKind,
    focus: Option<Focus>,
) -> (Html, f64) {
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
            bin = bin.child(key_marker(
                k,
                kx,
                ky,
                moved.contains(&k.key.as_str()),
                step * 0.37,
                focus == Some(Focus::Key(k.rank)),
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
