//! One L1 slot: its entry's key and what the policy keeps for it (region, use count, time
//! left, or that it goes next), or "empty".

use super::focus::focusable;
use super::geometry::Grid;
use super::style::{middle_text, region_colour, region_short};
use crate::components::svg::{Attr, El};
use crate::fixed::fixed;
use scalelab_core::caching::{EntryView, EvictionPolicy, Key, Region};
use yew::Html;

/// An entry as its slot shows it.
#[derive(PartialEq)]
pub struct SlotEntry {
    pub key: Key,
    pub region: Region,
    /// The line under the key: see [`entry_note`].
    pub note: String,
}

/// What a slot shows and how.
pub struct Slot<'a> {
    pub slot: u32,
    pub at: (f64, f64),
    pub entry: Option<&'a SlotEntry>,
    pub selected: Option<Key>,
    /// The policy evicts this entry next.
    pub next_out: bool,
}

/// A slot's outline (its class and dashes are added by the caller).
fn slot_box(x: f64, y: f64, g: Grid) -> El {
    El::new("rect")
        .num(Attr::X, x)
        .num(Attr::Y, y)
        .num(Attr::Width, g.w)
        .num(Attr::Height, g.h)
        .set(Attr::Rx, "4")
}

/// What an entry's second line says: its recency (or insertion) rank, its region, its use
/// count, its time left, or that the policy will evict it next.
pub fn entry_note(
    rank: usize,
    e: &EntryView,
    policy: EvictionPolicy,
    next_out: bool,
    now_us: u64,
    dense: bool,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    match policy {
        EvictionPolicy::WTinyLfu => parts.push(if dense {
            region_short(e.region).to_string()
        } else {
            e.region.name().to_string()
        }),
        EvictionPolicy::Lfu => {
            if let Some(n) = e.frequency {
                parts.push(if dense {
                    format!("f{n}")
                } else {
                    format!("used {n}×")
                });
            }
        }
        EvictionPolicy::Ttl => {
            if let Some(t) = e.expires_at {
                let left = t.0.saturating_sub(now_us) as f64 / 1e6;
                parts.push(if dense {
                    format!("{}s", fixed(left, 0))
                } else {
                    format!("{} s left", fixed(left, 0))
                });
            }
        }
        EvictionPolicy::Lru | EvictionPolicy::FifoNaive => parts.push(format!("#{rank}")),
    }
    if next_out && !dense {
        parts.push(if dense {
            "out".into()
        } else {
            "next out".into()
        });
    }
    parts.join(" · ")
}

/// The slot's `<g class="slot">`.
pub fn slot(s: Slot<'_>, g: Grid) -> Html {
    let (x, y) = s.at;
    let mut el = El::new("g")
        .set(Attr::Class, "slot")
        .string(Attr::DataSlot, s.slot.to_string())
        .string(
            Attr::DataKey,
            s.entry.map(|e| e.key.to_string()).unwrap_or_default(),
        );
    let cx = x + g.w / 2.0;
    match s.entry {
        Some(e) => {
            let label = if g.dense {
                e.key.to_string()
            } else {
                format!("key:{}", e.key)
            };
            el =
                el.el(
                    slot_box(x, y, g).set(Attr::Class, if s.next_out { "box warn" } else { "box" })
                );
            el = el.maybe(region_colour(e.region).map(|c| {
                El::new("rect")
                    .num(Attr::X, x)
                    .num(Attr::Y, y)
                    .set(Attr::Width, "4")
                    .num(Attr::Height, g.h)
                    .set(Attr::Fill, c)
            }));
            let (ly, ny) = if g.dense { (13.0, 6.0) } else { (16.0, 8.0) };
            el = el
                .el(middle_text(cx, y + ly)
                    .set(Attr::FontWeight, "600")
                    .set(
                        Attr::Style,
                        if g.dense {
                            "font-size:9.5px"
                        } else {
                            "font-size:11px"
                        },
                    )
                    .text(label))
                .el(middle_text(cx, y + g.h - ny)
                    .set(Attr::Class, "muted")
                    .set(
                        Attr::Style,
                        if g.dense {
                            "font-size:7.5px"
                        } else {
                            "font-size:9px"
                        },
                    )
                    .text(e.note.clone()));
        }
        None => {
            el = el.el(slot_box(x, y, g)
                .set(Attr::Class, "box")
                .set(Attr::StrokeDasharray, "3 3")
                .set(Attr::Opacity, "0.6"));
            el = el.maybe((!g.dense).then(|| {
                middle_text(cx, y + g.h / 2.0 + 3.0)
                    .set(Attr::Class, "muted")
                    .set(Attr::Style, "font-size:9px")
                    .text("empty")
            }));
        }
    }
    match s.entry.map(|e| e.key) {
        Some(key) => {
            let label = format!("L1 slot {}: key:{key}. Select to inspect.", s.slot);
            focusable(el.html(), key, label, (x, y, g.w, g.h), s.selected)
        }
        None => el.html(),
    }
}
