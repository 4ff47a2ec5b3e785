//! L1 as a grid of slots: its heading (policy, fill), the region key or the "next out" hint
//! and every slot. What passes over it (rings on hits, the last misses, entries leaving) is
//! drawn on the marks layer ([`super::marks`]).

use super::build::policy_label;
use super::geometry::{Grid, L1_W, L1_X};
use super::l1_slot::{entry_note, slot, Slot, SlotEntry};
use super::legend::region_legend;
use crate::components::svg::{Attr, El};
use scalelab_core::caching::{CachingModel, EvictionPolicy, Key};
use scalelab_core::Model;
use yew::Html;

/// What the L1 drawing shows, read from the model.
#[derive(PartialEq)]
pub struct L1Shown {
    pub policy: EvictionPolicy,
    pub capacity: u64,
    /// Several app nodes: this is app-1's L1.
    pub many_nodes: bool,
    pub len: usize,
    /// Each slot's entry, by slot.
    pub slots: Vec<Option<SlotEntry>>,
    /// The slot the policy evicts next, when L1 is full.
    pub next_out: Option<u32>,
    pub selected: Option<Key>,
}

impl L1Shown {
    pub fn of(model: &CachingModel, g: Grid, selected: Option<Key>) -> L1Shown {
        let config = model.config();
        let policy = config.l1.policy;
        let entries = model.l1_entries();
        let full = entries.len() as u64 >= config.l1.capacity;
        // Keep order: the last entry is the one the policy would evict next (W-TinyLFU
        // decides by an admission contest instead, so it gets no marker).
        let next_out = (full && policy != EvictionPolicy::WTinyLfu)
            .then(|| entries.last().map(|e| e.slot))
            .flatten();
        let now_us = model.now().0;
        let mut slots: Vec<Option<SlotEntry>> = (0..g.slots).map(|_| None).collect();
        // Each entry's place in the keep order (1 = kept longest: under LRU the most
        // recently used) is what its note shows.
        for (i, e) in entries.iter().enumerate() {
            if let Some(at) = slots.get_mut(e.slot as usize) {
                let next = next_out == Some(e.slot);
                *at = Some(SlotEntry {
                    key: e.key,
                    region: e.region,
                    note: entry_note(i + 1, e, policy, next, now_us, g.dense),
                });
            }
        }
        L1Shown {
            policy,
            capacity: config.l1.capacity,
            many_nodes: config.app_nodes > 1,
            len: entries.len(),
            slots,
            next_out,
            selected,
        }
    }
}

/// The `<g class="l1">`.
pub fn l1_strip(l1: &L1Shown, g: Grid) -> Html {
    let (policy, next_out) = (l1.policy, l1.next_out);
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for much less wasm.
    let mut out = El::new("g")
        .set(Attr::Class, "l1")
        .el(El::new("text")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "16")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:12px")
            .text(if l1.many_nodes {
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
                l1.len,
                l1.capacity
            )))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L1_X + L1_W)
            .set(Attr::Y, "16")
            .set(Attr::TextAnchor, "end")
            .set(Attr::Style, "font-size:9.5px")
            .text("misses go on to L2 →"));
    out = out.child(if policy == EvictionPolicy::WTinyLfu {
        region_legend(L1_X, 46.0)
    } else if next_out.is_some() {
        El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "46")
            .set(Attr::Style, "font-size:9px")
            .text("dashed outline: the entry evicted next")
            .html()
    } else {
        Html::default()
    });
    for s in 0..g.slots {
        let Some(at) = g.xy(s) else {
            continue;
        };
        out = out.child(slot(
            Slot {
                slot: s,
                at,
                entry: l1.slots.get(s as usize).and_then(Option::as_ref),
                selected: l1.selected,
                next_out: next_out == Some(s),
            },
            g,
        ));
    }
    out.html()
}
