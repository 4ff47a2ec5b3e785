//! What passes over the drawings while a run plays: rings on L1 slots and L2 cells just hit,
//! filled or promoted, the last misses, evicted entries leaving with their reason, L2 → L1
//! promotions and the loads travelling to the origin and back.
//!
//! Each drawing has these on its marks layer ([`crate::components::svg::marks_layer`]).

use super::geometry::{
    l2_cell_w, l2_xy, Grid, L1_W, L1_X, L2_CELL_H, L2_W, L2_X, MAX_GHOSTS, MAX_L2_CELLS,
};
use super::ghost::{l1_ghost, l2_ghost};
use super::l1_strip::L1Shown;
use super::l2_grid::L2Shown;
use super::origin_box::origin_busy;
use super::promotions::promotions;
use super::style::{fade, middle_text, outline, FLASH_MS, LEAVE_MS};
use super::traffic::traffic;
use crate::components::svg::{Attr, El};
use crate::fixed::attr;
use scalelab_core::caching::{CachingEvent, EvictionReason, Key, Level, PromotionKind};
use yew::Html;

/// The newest flash-worthy event per L1 slot (indexed by slot: a plain table is far less
/// wasm than a map), and the L1 evictions still leaving.
struct L1Marks<'a> {
    flash: Vec<Option<(f64, &'a CachingEvent)>>,
    ghosts: Vec<(f64, &'a CachingEvent)>,
    misses: Vec<(f64, Key)>,
}

fn l1_marks<'a>(recent: &[(f64, &'a CachingEvent)], slots: u32) -> L1Marks<'a> {
    let mut m = L1Marks {
        flash: vec![None; slots as usize],
        ghosts: Vec::new(),
        misses: Vec::new(),
    };
    for (age, e) in recent.iter().rev() {
        let e = *e;
        match e {
            // App-1's L1 only: the other nodes' L1s are drawn in the nodes panel.
            CachingEvent::Hit {
                level: Level::L1,
                slot,
                node: 0,
                ..
            }
            | CachingEvent::Inserted {
                level: Level::L1,
                slot,
                node: 0,
                ..
            }
            | CachingEvent::Promoted { slot, node: 0, .. }
                if *age < FLASH_MS =>
            {
                // Newest first: the first event seen for a slot is the one shown.
                if let Some(mark @ None) = m.flash.get_mut(*slot as usize) {
                    *mark = Some((*age, e));
                }
            }
            CachingEvent::Evicted {
                level: Level::L1,
                node: 0,
                ..
            } if *age < LEAVE_MS && m.ghosts.len() < MAX_GHOSTS => m.ghosts.push((*age, e)),
            CachingEvent::Miss {
                level: Level::L1,
                key,
                node: 0,
                ..
            } if *age < FLASH_MS && m.misses.len() < 3 => m.misses.push((*age, *key)),
            _ => {}
        }
    }
    m
}

/// The last few L1 misses, top right: "✕ miss key:7, key:9" (or "key:7, ×3").
fn misses_line(misses: &[(f64, Key)], reduced: bool) -> Option<El> {
    let (age, _) = misses.first()?;
    let o = fade(*age, FLASH_MS, reduced);
    let mut keys: Vec<String> = Vec::new();
    for (_, k) in misses {
        let name = format!("key:{k}");
        if !keys.contains(&name) {
            keys.push(name);
        }
    }
    if keys.len() == 1 && misses.len() > 1 {
        keys.push(format!("×{}", misses.len()));
    }
    Some(
        El::new("text")
            .num(Attr::X, L1_X + L1_W - 8.0)
            .set(Attr::Y, "62")
            .set(Attr::TextAnchor, "end")
            .set(Attr::FontWeight, "600")
            .val(Attr::Opacity, attr(o, 2))
            .set(Attr::Style, "font-size:10px;fill:var(--warn)")
            .kid(format!("✕ miss {}", keys.join(", "))),
    )
}

/// The ring and tag of a recent hit, insert or promotion on a slot, if the slot still holds
/// that key (it may have been reused since).
fn slot_flash(
    (x, y): (f64, f64),
    g: Grid,
    age: f64,
    e: &CachingEvent,
    key_here: Option<Key>,
    reduced: bool,
) -> Option<El> {
    let (tag, colour, key) = match e {
        CachingEvent::Hit { key, .. } => ("hit", "var(--ok)", *key),
        CachingEvent::Inserted { key, .. } => ("new", "var(--accent)", *key),
        CachingEvent::Promoted { key, promotion, .. } => (
            match promotion {
                PromotionKind::L2ToL1 => "L2→L1",
                PromotionKind::WindowToProbation => "→prob",
                PromotionKind::ProbationToProtected => "→prot",
            },
            "var(--accent)",
            *key,
        ),
        _ => return None,
    };
    (key_here == Some(key)).then(|| {
        let o = fade(age, FLASH_MS, reduced);
        El::new("g")
            .val(Attr::Opacity, attr(o, 2))
            .set(Attr::Class, "flash")
            .set(Attr::DataFlash, tag)
            .el(outline((x, y, g.w, g.h), 1.5, "5")
                .set(Attr::Stroke, colour)
                .set(Attr::StrokeWidth, "2.5"))
            .el(El::new("rect")
                .num(Attr::X, x + g.w - 30.0)
                .num(Attr::Y, y - 7.0)
                .set(Attr::Width, "30")
                .set(Attr::Height, "11")
                .set(Attr::Rx, "5")
                .set(Attr::Fill, "var(--panel)")
                .set(Attr::Stroke, colour))
            .el(middle_text(x + g.w - 15.0, y + 1.5)
                .set(Attr::FontWeight, "700")
                .string(Attr::Style, format!("font-size:8px;fill:{colour}"))
                .text(tag))
    })
}

/// What recent events left on the grid.
struct L2Marks {
    /// The newest mark per shown cell: age, tag, colour.
    flash: Vec<Option<(f64, &'static str, &'static str)>>,
    ghosts: Vec<(f64, Key, usize, EvictionReason)>,
    miss: Option<(f64, Key)>,
}

fn l2_marks(recent: &[(f64, &CachingEvent)], shown: &[Key]) -> L2Marks {
    // Where a shown key's cell is (a scan of at most MAX_L2_CELLS keys per event: less wasm
    // than a map, and fast enough).
    let index = |key: &Key| shown.iter().position(|k| k == key);
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

/// The ring round cell `i` of a key hit (`tag` "hit") or inserted ("new") `age` ms ago.
fn flash_ring(
    i: usize,
    (age, tag, colour): (f64, &'static str, &'static str),
    reduced: bool,
) -> El {
    let (x, y) = l2_xy(i);
    outline((x, y, l2_cell_w(), L2_CELL_H), 1.0, "3")
        .set(Attr::Stroke, colour)
        .set(Attr::StrokeWidth, "2.2")
        .val(Attr::Opacity, attr(fade(age, FLASH_MS, reduced), 2))
        .set(Attr::DataFlash, tag)
}

/// The L1 drawing's marks: the last misses, a ring on each slot just hit, filled or promoted
/// (while it still holds that key), the entries leaving and the promotions arriving.
pub fn l1_layer(l1: &L1Shown, recent: &[(f64, &CachingEvent)], reduced: bool, g: Grid) -> El {
    let marks = l1_marks(recent, g.slots);
    // One place per slot: a ring is keyed by its slot.
    let flashes = (0..g.slots)
        .map(|s| {
            let flash = marks.flash.get(s as usize).copied().flatten();
            let here = l1
                .slots
                .get(s as usize)
                .and_then(|e| e.as_ref().map(|e| e.key));
            match (flash, g.xy(s)) {
                (Some((age, e)), Some(at)) => slot_flash(at, g, age, e, here, reduced),
                _ => None,
            }
            .map_or_else(Html::default, El::html)
        })
        .collect();
    let mut ghosts = Vec::new();
    for (age, e) in &marks.ghosts {
        if let CachingEvent::Evicted {
            key, slot, reason, ..
        } = e
        {
            if let Some(at) = g.xy(*slot) {
                ghosts.push(l1_ghost(at, g, *key, *reason, *age, reduced));
            }
        }
    }
    El::new("g")
        .maybe(misses_line(&marks.misses, reduced))
        .list(flashes)
        .list(ghosts)
        .list(promotions(recent, reduced, g))
}

/// The L2 drawing's marks: the last miss, a ring on each cell just hit or filled, the keys
/// leaving, and the loads on the link to the origin.
pub fn l2_layer(l2: &L2Shown, recent: &[(f64, &CachingEvent)], reduced: bool) -> El {
    let shown = l2.keys.len().min(MAX_L2_CELLS);
    let marks = l2_marks(recent, l2.keys.get(..shown).unwrap_or_default());
    let w = l2_cell_w();
    // One place per cell: a ring is keyed by its cell.
    let flashes = (marks.flash.iter().enumerate())
        .map(|(i, flash)| flash.map_or_else(Html::default, |f| flash_ring(i, f, reduced).html()))
        .collect();
    let ghosts = (marks.ghosts.iter())
        .map(|(age, key, i, reason)| l2_ghost(l2_xy(*i), w, *key, *reason, *age, reduced))
        .collect();
    El::new("g")
        .maybe(marks.miss.map(|(age, key)| {
            El::new("text")
                .num(Attr::X, L2_X + L2_W)
                .set(Attr::Y, "16")
                .set(Attr::TextAnchor, "end")
                .set(Attr::FontWeight, "600")
                .val(Attr::Opacity, attr(fade(age, FLASH_MS, reduced), 2))
                .set(Attr::Style, "font-size:10px;fill:var(--warn)")
                .kid(format!("✕ miss key:{key}"))
        }))
        .list(flashes)
        .list(ghosts)
        .child(traffic(recent, reduced))
        .maybe(origin_busy(recent))
}
