//! L2 as a grid of keys in storage order under its memory bar, and a count of the keys past
//! the grid. What passes over it (rings on hits and inserts, the last miss, keys leaving) is
//! drawn on the marks layer ([`super::marks`]).

use super::focus::focusable;
use super::geometry::{l2_bottom, l2_cell_w, l2_xy, L2_CELL_H, L2_W, L2_X, MAX_L2_CELLS, TOP};
use super::style::middle_text;
use crate::components::memo::{memo, View};
use crate::components::svg::{Attr, El};
use crate::fixed::fixed;
use scalelab_core::caching::{CacheStats, CachingModel, Key, L2Policy, L2Stats};
use yew::Html;

/// The grid's cells: the shown keys in storage order, the selected one outlined. Drawn
/// through [`memo`], so a frame draws the cells again only when a key comes, goes or moves,
/// or the selection changes.
#[derive(PartialEq)]
struct L2Cells {
    keys: Vec<Key>,
    selected: Option<Key>,
}

impl View for L2Cells {
    fn view(&self) -> Html {
        let w = l2_cell_w();
        let mut cells = Vec::with_capacity(self.keys.len());
        for (i, &key) in self.keys.iter().enumerate() {
            let (x, y) = l2_xy(i);
            let name = key.to_string();
            let cell = El::new("g")
                .set(Attr::Class, "cell")
                .string(Attr::DataKey, name.clone())
                .el(El::new("rect")
                    .set(Attr::Class, "box")
                    .num(Attr::X, x)
                    .num(Attr::Y, y)
                    .num(Attr::Width, w)
                    .num(Attr::Height, L2_CELL_H)
                    .set(Attr::Rx, "3"))
                .el(middle_text(x + w / 2.0, y + 11.5)
                    .set(Attr::Style, "font-size:9px")
                    .text(name));
            let label = format!("L2: key:{key}. Select to inspect.");
            cells.push(focusable(
                cell.html(),
                key,
                label,
                (x, y, w, L2_CELL_H),
                self.selected,
            ));
        }
        El::new("g").list(cells).html()
    }
}

/// The bottom of the grid of `keys` keys, with its "… more" line when they do not all fit.
pub fn grid_bottom(keys: usize) -> f64 {
    let bottom = l2_bottom(keys.min(MAX_L2_CELLS));
    if keys > MAX_L2_CELLS {
        bottom + 16.0
    } else {
        bottom
    }
}

/// What the grid shows, read from the model.
#[derive(PartialEq)]
pub struct L2Shown {
    /// Every key in storage order.
    pub keys: Vec<Key>,
    pub stats: L2Stats,
    pub policy: L2Policy,
    pub selected: Option<Key>,
}

impl L2Shown {
    pub fn of(model: &CachingModel, selected: Option<Key>) -> L2Shown {
        let mut stats = model.cache().l2_stats();
        // The grid draws none of the hit and miss counters, which move on every lookup.
        stats.cache = CacheStats {
            len: stats.cache.len,
            ..CacheStats::default()
        };
        L2Shown {
            keys: model.l2_keys().into_iter().map(|(k, _)| k).collect(),
            stats,
            policy: model.cache().l2().policy(),
            selected,
        }
    }
}

/// The `<g class="l2">`.
pub fn l2_grid(l2: &L2Shown) -> Html {
    let (s, keys) = (&l2.stats, &l2.keys);
    let shown = keys.len().min(MAX_L2_CELLS);
    let limit = s.memory_limit.unwrap_or(0).max(1);
    let used = (s.used_bytes as f64 / limit as f64).clamp(0.0, 1.0);
    let bar_w = L2_W - 10.0;
    let kib = |b: u64| b as f64 / 1024.0;
    let mut mem = match s.memory_limit {
        Some(l) => format!(
            "{} of {} KiB · {} keys",
            fixed(kib(s.used_bytes), 1),
            fixed(kib(l), 1),
            keys.len()
        ),
        None => format!(
            "{} KiB · {} keys (by number)",
            fixed(kib(s.used_bytes), 1),
            keys.len()
        ),
    };
    if s.refused_writes > 0 {
        mem.push_str(&format!(" · {} writes refused (OOM)", s.refused_writes));
    }
    let out = El::new("g")
        .set(Attr::Class, "l2")
        .el(El::new("text")
            .num(Attr::X, L2_X)
            .set(Attr::Y, "16")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:12px")
            .text("L2 · shared"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L2_X)
            .set(Attr::Y, "31")
            .set(Attr::Style, "font-size:10px")
            .kid(format!(
                "Redis role · {} · {} ms round trip",
                l2.policy,
                fixed(s.round_trip.as_micros() as f64 / 1e3, 1)
            )));
    let out = out
        .el(El::new("rect")
            .set(Attr::Class, "link")
            .num(Attr::X, L2_X + 5.0)
            .set(Attr::Y, "40")
            .num(Attr::Width, bar_w)
            .set(Attr::Height, "9")
            .set(Attr::Fill, "none")
            .set(Attr::Rx, "2"))
        .el(El::new("rect")
            .set(Attr::Class, if used > 0.95 { "bar queue" } else { "bar" })
            .num(Attr::X, L2_X + 5.0)
            .set(Attr::Y, "40")
            .num(Attr::Width, bar_w * used)
            .set(Attr::Height, "9")
            .set(Attr::Rx, "2"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L2_X + 5.0)
            .set(Attr::Y, "62")
            .set(Attr::Style, "font-size:9.5px")
            .kid(mem));
    let more = (keys.len() > shown).then(|| {
        let y = l2_bottom(shown) + 10.0;
        El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L2_X + 5.0)
            .num(Attr::Y, y)
            .set(Attr::Style, "font-size:9.5px")
            .kid(format!("… and {} more keys", keys.len() - shown))
    });
    let out = out
        .maybe(keys.is_empty().then(|| {
            El::new("text")
                .set(Attr::Class, "muted")
                .num(Attr::X, L2_X + 5.0)
                .num(Attr::Y, TOP + 12.0)
                .set(Attr::Style, "font-size:10px")
                .text("empty")
        }))
        .child(memo(L2Cells {
            keys: keys.iter().take(shown).copied().collect(),
            selected: l2.selected,
        }))
        .maybe(more);
    out.html()
}
