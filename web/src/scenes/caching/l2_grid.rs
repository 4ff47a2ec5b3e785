//! L2 as a grid of keys in storage order under its memory bar, with hits and inserts ringed,
//! the last miss named, evicted keys leaving, and a count of the keys past the grid.

use super::focus::{focusable, Focus};
use super::geometry::{
    l2_bottom, l2_cell_w, l2_xy, L2_CELL_H, L2_W, L2_X, MAX_GHOSTS, MAX_L2_CELLS, TOP,
};
use super::ghost::l2_ghost;
use super::style::{fade, middle_text, FLASH_MS, LEAVE_MS};
use crate::components::memo::{memo, View};
use crate::components::svg::{Attr, El};
use crate::fixed::{attr, fixed};
use scalelab_core::caching::{CachingEvent, CachingModel, EvictionReason, Key, Level};
use yew::Html;

/// What recent events left on the grid.
struct L2Marks {
    /// The newest mark per shown cell: age, tag, colour.
    flash: Vec<Option<(f64, &'static str, &'static str)>>,
    ghosts: Vec<(f64, Key, usize, EvictionReason)>,
    miss: Option<(f64, Key)>,
}

fn l2_marks(recent: &[(f64, &CachingEvent)], shown: &[(Key, u64)]) -> L2Marks {
    // Where a shown key's cell is (a scan of at most MAX_L2_CELLS keys per event: less wasm
    // than a map, and fast enough).
    let index = |key: &Key| shown.iter().position(|(k, _)| k == key);
    let mut m = L2Marks {
        flash: vec![None; shown.len()],
        ghosts: Vec::new(),
        miss: None,
    };
    for (age, e) in recent.iter().rev() {
        match e {
            CachingEvent::Hit {
                level: Level::L2,
                key,
                ..
            } if *age < FLASH_MS => {
                if let Some(mark @ None) = index(key).and_then(|i| m.flash.get_mut(i)) {
                    *mark = Some((*age, "hit", "var(--ok)"));
                }
            }
            CachingEvent::Inserted {
                level: Level::L2,
                key,
                ..
            } if *age < FLASH_MS => {
                if let Some(mark @ None) = index(key).and_then(|i| m.flash.get_mut(i)) {
                    *mark = Some((*age, "new", "var(--accent)"));
                }
            }
            CachingEvent::Evicted {
                level: Level::L2,
                key,
                slot,
                reason,
                ..
            } if *age < LEAVE_MS && m.ghosts.len() < MAX_GHOSTS / 2 => {
                m.ghosts.push((
                    *age,
                    *key,
                    (*slot as usize).min(MAX_L2_CELLS.saturating_sub(1)),
                    *reason,
                ));
            }
            CachingEvent::Miss {
                level: Level::L2,
                key,
                ..
            } if *age < FLASH_MS && m.miss.is_none() => m.miss = Some((*age, *key)),
            _ => {}
        }
    }
    m
}

/// The grid's cells: the shown keys in storage order, the selected one outlined. Drawn
/// through [`memo`], so a frame draws the cells again only when a key comes, goes or moves,
/// or the selection changes; the marks of recent hits and inserts are drawn over them.
#[derive(PartialEq)]
struct L2Cells {
    keys: Vec<Key>,
    selected: Option<Key>,
}

impl View for L2Cells {
    fn view(&self) -> Html {
        let w = l2_cell_w();
        let mut cells = El::new("g");
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
            cells = cells.child(focusable(
                cell.html(),
                key,
                label,
                (x, y, w, L2_CELL_H),
                self.selected,
            ));
        }
        cells.html()
    }
}

/// The ring round cell `i` of a key hit (`tag` "hit") or inserted ("new") `age` ms ago.
fn flash_ring(i: usize, (age, tag, colour): (f64, &'static str, &'static str), reduced: bool) -> El {
    let (x, y) = l2_xy(i);
    let w = l2_cell_w();
    El::new("rect")
        .num(Attr::X, x - 1.0)
        .num(Attr::Y, y - 1.0)
        .num(Attr::Width, w + 2.0)
        .num(Attr::Height, L2_CELL_H + 2.0)
        .set(Attr::Rx, "3")
        .set(Attr::Fill, "none")
        .set(Attr::Stroke, colour)
        .set(Attr::StrokeWidth, "2.2")
        .val(Attr::Opacity, attr(fade(age, FLASH_MS, reduced), 2))
        .set(Attr::DataFlash, tag)
}

/// The `<g class="l2">` and the bottom of what it drew.
pub fn l2_grid(
    model: &CachingModel,
    recent: &[(f64, &CachingEvent)],
    reduced: bool,
    focus: Focus<'_>,
) -> (Html, f64) {
    let s = model.cache().l2_stats();
    let keys = model.l2_keys();
    let shown = keys.len().min(MAX_L2_CELLS);
    let marks = l2_marks(recent, keys.get(..shown).unwrap_or_default());
    let limit = s.memory_limit.unwrap_or(0).max(1);
    let used = (s.used_bytes as f64 / limit as f64).clamp(0.0, 1.0);
    let bar_w = L2_W - 10.0;
    let mut bottom = l2_bottom(shown);
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
    let mut out = El::new("g")
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
                model.cache().l2().policy(),
                fixed(s.round_trip.as_micros() as f64 / 1e3, 1)
            )));
    if let Some((age, key)) = marks.miss {
        let o = fade(age, FLASH_MS, reduced);
        out = out.el(El::new("text")
            .num(Attr::X, L2_X + L2_W)
            .set(Attr::Y, "16")
            .set(Attr::TextAnchor, "end")
            .set(Attr::FontWeight, "600")
            .val(Attr::Opacity, attr(o, 2))
            .set(Attr::Style, "font-size:10px;fill:var(--warn)")
            .kid(format!("✕ miss key:{key}")));
    }
    out = out
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
    if keys.is_empty() {
        out = out.el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L2_X + 5.0)
            .num(Attr::Y, TOP + 12.0)
            .set(Attr::Style, "font-size:10px")
            .text("empty"));
    }
    out = out.child(memo(L2Cells {
        keys: keys.iter().take(shown).map(|(k, _)| *k).collect(),
        selected: focus.key,
    }));
    for (i, flash) in marks.flash.iter().enumerate() {
        if let Some(flash) = flash {
            out = out.el(flash_ring(i, *flash, reduced));
        }
    }
    let w = l2_cell_w();
    for (age, key, i, reason) in &marks.ghosts {
        out = out.child(l2_ghost(l2_xy(*i), w, *key, *reason, *age, reduced));
    }
    if keys.len() > shown {
        let y = bottom + 10.0;
        bottom += 16.0;
        out = out.el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L2_X + 5.0)
            .num(Attr::Y, y)
            .set(Attr::Style, "font-size:9.5px")
            .kid(format!("… and {} more keys", keys.len() - shown)));
    }
    (out.html(), bottom)
}
