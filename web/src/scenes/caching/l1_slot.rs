//! One L1 slot: its entry's key and what the policy keeps for it (region, use count, time
//! left, or that it goes next), or "empty"; and a ring on it for a recent hit, insert or
//! promotion.

use super::focus::{focusable, Focus};
use super::geometry::Grid;
use super::style::{fade, middle_text, region_colour, region_short, FLASH_MS};
use crate::components::svg::{Attr, El};
use crate::fixed::{attr, fixed};
use scalelab_core::caching::{CachingEvent, EntryView, EvictionPolicy, Key, PromotionKind};
use yew::Html;

/// What a slot shows and how.
pub struct Slot<'a> {
    pub slot: u32,
    pub at: (f64, f64),
    /// The entry and its rank in the keep order (1 = kept longest).
    pub entry: Option<(usize, &'a EntryView)>,
    pub focus: Focus<'a>,
    pub policy: EvictionPolicy,
    /// The policy evicts this entry next.
    pub next_out: bool,
    pub now_us: u64,
    /// The newest flash-worthy event on this slot and its age.
    pub flash: Option<(f64, &'a CachingEvent)>,
    pub reduced: bool,
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
fn entry_note(
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

/// The ring and tag of a recent hit, insert or promotion on a slot, if the slot still holds
/// that key (it may have been reused since).
fn slot_flash(
    (x, y): (f64, f64),
    g: Grid,
    age: f64,
    e: &CachingEvent,
    key_here: Option<Key>,
    reduced: bool,
) -> Option<Html> {
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
            .el(El::new("rect")
                .num(Attr::X, x - 1.5)
                .num(Attr::Y, y - 1.5)
                .num(Attr::Width, g.w + 3.0)
                .num(Attr::Height, g.h + 3.0)
                .set(Attr::Rx, "5")
                .set(Attr::Fill, "none")
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
            .html()
    })
}

/// The slot's `<g class="slot">`.
pub fn slot(s: Slot<'_>, g: Grid) -> Html {
    let (x, y) = s.at;
    let mut el = El::new("g")
        .set(Attr::Class, "slot")
        .string(Attr::DataSlot, s.slot.to_string())
        .string(
            Attr::DataKey,
            s.entry.map(|(_, e)| e.key.to_string()).unwrap_or_default(),
        );
    let cx = x + g.w / 2.0;
    match s.entry {
        Some((rank, e)) => {
            let note = entry_note(rank, e, s.policy, s.next_out, s.now_us, g.dense);
            let label = if g.dense {
                e.key.to_string()
            } else {
                format!("key:{}", e.key)
            };
            el =
                el.el(
                    slot_box(x, y, g).set(Attr::Class, if s.next_out { "box warn" } else { "box" })
                );
            if let Some(c) = region_colour(e.region) {
                el = el.el(El::new("rect")
                    .num(Attr::X, x)
                    .num(Attr::Y, y)
                    .set(Attr::Width, "4")
                    .num(Attr::Height, g.h)
                    .set(Attr::Fill, c));
            }
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
                    .text(note));
        }
        None => {
            el = el.el(slot_box(x, y, g)
                .set(Attr::Class, "box")
                .set(Attr::StrokeDasharray, "3 3")
                .set(Attr::Opacity, "0.6"));
            if !g.dense {
                el = el.el(middle_text(cx, y + g.h / 2.0 + 3.0)
                    .set(Attr::Class, "muted")
                    .set(Attr::Style, "font-size:9px")
                    .text("empty"));
            }
        }
    }
    let key_here = s.entry.map(|(_, e)| e.key);
    if let Some(flash) = s
        .flash
        .and_then(|(age, e)| slot_flash(s.at, g, age, e, key_here, s.reduced))
    {
        el = el.child(flash);
    }
    match key_here {
        Some(key) => {
            let label = format!("L1 slot {}: key:{key}. Select to inspect.", s.slot);
            focusable(el.html(), key, label, (x, y, g.w, g.h), s.focus.key)
        }
        None => el.html(),
    }
}
