//! L1 as a grid of slots: its heading (policy, fill), the region key or the "next out" hint,
//! the last misses, every slot, and the entries still leaving.

use super::build::policy_label;
use super::focus::Focus;
use super::geometry::{Grid, L1_W, L1_X, MAX_GHOSTS};
use super::ghost::l1_ghost;
use super::l1_slot::{slot, Slot};
use super::legend::region_legend;
use super::style::{fade, FLASH_MS, LEAVE_MS};
use crate::components::svg::{Attr, El};
use crate::fixed::attr;
use scalelab_core::caching::{CachingEvent, CachingModel, EntryView, EvictionPolicy, Key, Level};
use scalelab_core::Model;
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

/// The `<g class="l1">`.
pub fn l1_strip(
    model: &CachingModel,
    recent: &[(f64, &CachingEvent)],
    reduced: bool,
    g: Grid,
    focus: Focus<'_>,
) -> Html {
    let config = model.config();
    let policy = config.l1.policy;
    let entries = model.l1_entries();
    let full = entries.len() as u64 >= config.l1.capacity;
    // Keep order: the last entry is the one the policy would evict next (W-TinyLFU decides
    // by an admission contest instead, so it gets no marker).
    let next_out = (full && policy != EvictionPolicy::WTinyLfu)
        .then(|| entries.last().map(|e| e.slot))
        .flatten();
    // Each slot's entry and its place in the keep order (1 = kept longest: under LRU the
    // most recently used).
    let mut by_slot: Vec<Option<(usize, &EntryView)>> = vec![None; g.slots as usize];
    for (i, e) in entries.iter().enumerate() {
        if let Some(at) = by_slot.get_mut(e.slot as usize) {
            *at = Some((i + 1, e));
        }
    }
    let marks = l1_marks(recent, g.slots);
    let now_us = model.now().0;
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for much less wasm.
    let mut out = El::new("g")
        .set(Attr::Class, "l1")
        .el(El::new("text")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "16")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:12px")
            .text(if config.app_nodes > 1 {
                "app-1 L1 · in-process"
            } else {
                "L1 · in-process"
            }))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "31")
            .set(Attr::Style, "font-size:10px")
            .kid(format!(
                "{} · {}/{} entries",
                policy_label(policy),
                entries.len(),
                config.l1.capacity
            )))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L1_X + L1_W)
            .set(Attr::Y, "16")
            .set(Attr::TextAnchor, "end")
            .set(Attr::Style, "font-size:9.5px")
            .text("misses go on to L2 →"));
    if policy == EvictionPolicy::WTinyLfu {
        out = out.child(region_legend(L1_X, 46.0));
    } else if next_out.is_some() {
        out = out.el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "46")
            .set(Attr::Style, "font-size:9px")
            .text("dashed outline: the entry evicted next"));
    }
    if let Some(line) = misses_line(&marks.misses, reduced) {
        out = out.el(line);
    }
    for s in 0..g.slots {
        let Some(at) = g.xy(s) else {
            continue;
        };
        out = out.child(slot(
            Slot {
                slot: s,
                at,
                entry: by_slot.get(s as usize).copied().flatten(),
                focus,
                policy,
                next_out: next_out == Some(s),
                now_us,
                flash: marks.flash.get(s as usize).copied().flatten(),
                reduced,
            },
            g,
        ));
    }
    for (age, e) in &marks.ghosts {
        let CachingEvent::Evicted {
            key, slot, reason, ..
        } = e
        else {
            continue;
        };
        if let Some(at) = g.xy(*slot) {
            out = out.child(l1_ghost(at, g, *key, *reason, *age, reduced));
        }
    }
    out.html()
}
