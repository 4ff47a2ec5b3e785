//! The sampled keys the key drawing shows, and one key's marker: its holder's shape, or a
//! text marker when a read cannot find it (✕) or finds an older version (!).

use super::focus::focusable;
use super::geometry::KEY_SAMPLE;
use super::shapes::shape;
use crate::components::svg::{Attr, El};
use crate::scenes::sharding::Focus;
use scalelab_core::sharding::{key_hash, key_name, ShardingModel};
use yew::Html;

/// What the drawing needs to know about one sampled key.
#[derive(PartialEq)]
pub struct KeyDot {
    /// `key` is `user:<rank>`.
    pub rank: u64,
    pub key: String,
    pub hash: u64,
    /// The shard that holds it (the newest copy if a naive move left two).
    pub holder: Option<u32>,
    pub unreadable: bool,
    pub stale: bool,
}

pub fn sample_keys(sim: &ShardingModel) -> Vec<KeyDot> {
    let m = sim.manager();
    let keys = sim.config().keys.max(1);
    let n = keys.min(KEY_SAMPLE);
    (0..n)
        .map(|i| {
            let rank = i * keys / n;
            let key = key_name(rank);
            let holder = m.holder(&key).map(|s| s.0);
            let read = m.read(&key);
            KeyDot {
                hash: key_hash(&key),
                unreadable: read.is_unreadable(),
                stale: read.is_stale(),
                holder,
                rank,
                key,
            }
        })
        .collect()
}

/// A key: its owner's shape and colour, or a text marker when it is unreadable or stale;
/// selectable, and marked when `selected`.
pub fn key_marker(k: &KeyDot, x: f64, y: f64, just_moved: bool, r: f64, selected: bool) -> Html {
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
    focusable(Focus::Key(k.rank), k.key.clone(), selected, g.html())
}
