//! Drawing the caches: L1 as a grid of slots (key, W-TinyLFU region, what the policy keeps
//! per entry), L2 as a grid of keys under its memory bar, the origin as a box to the right.
//! Recent events flash where they happened: hits in --ok, misses in --warn at their level,
//! L2 → L1 promotions as an arrow, evicted entries sliding out with their reason, origin
//! loads travelling to the database and back.

use super::{panels, CachingScene};
use crate::components::chart::{Chart, Line};
use crate::components::svg::{arrow_defs, Attr, El};
use crate::fixed::{attr, fixed};
use crate::scenes::SceneView;
use scalelab_core::caching::{
    CachingEvent, CachingModel, EntryView, EvictionPolicy, EvictionReason, Key, Level,
    PromotionKind, Region, HIT_WINDOW,
};
use scalelab_core::Model;
use yew::prelude::*;

/// Two drawings side by side that wrap into a column on a narrow screen, so text stays legible
/// from 480 px: L1 in one, L2 and the origin in the other. Both are this wide (viewBox units).
const WIDTH: f64 = 350.0;
const L1_X: f64 = 8.0;
const L1_W: f64 = 330.0;
const L2_X: f64 = 8.0;
const L2_W: f64 = 222.0;
const OR_X: f64 = 252.0;
const OR_W: f64 = 90.0;
/// Top of the first row of slots / cells.
const TOP: f64 = 76.0;
/// A flash (hit, insert, promotion) lasts this long; an evicted entry takes this to leave;
/// an origin load's dot takes this to travel.
const FLASH_MS: f64 = 700.0;
const LEAVE_MS: f64 = 1_000.0;
const TRAVEL_MS: f64 = 600.0;
/// Most L2 cells drawn; the rest are counted.
const MAX_L2_CELLS: usize = 120;
const L2_COLS: usize = 6;
const L2_CELL_H: f64 = 16.0;
const L2_PITCH: f64 = 19.0;
/// Most ghosts and dots drawn at once.
const MAX_GHOSTS: usize = 24;
const MAX_DOTS: usize = 60;

/// 0 → 1 over `span` ms of age; the end state at once when motion is reduced.
fn progress(age: f64, span: f64, reduced: bool) -> f64 {
    if reduced {
        1.0
    } else {
        (age / span).clamp(0.0, 1.0)
    }
}

/// A flash fades out, unless motion is reduced (then it simply disappears at the end).
fn fade(age: f64, span: f64, reduced: bool) -> f64 {
    if reduced {
        1.0
    } else {
        (1.0 - age / span).clamp(0.15, 1.0)
    }
}

pub fn reason_label(r: EvictionReason) -> &'static str {
    match r {
        EvictionReason::Capacity => "capacity",
        EvictionReason::Expired => "expiry",
        EvictionReason::Explicit => "explicit",
    }
}

fn reason_colour(r: EvictionReason) -> &'static str {
    match r {
        EvictionReason::Capacity => "var(--warn)",
        EvictionReason::Expired => "var(--muted)",
        EvictionReason::Explicit => "var(--accent)",
    }
}

fn region_colour(r: Region) -> Option<&'static str> {
    match r {
        Region::Main => None,
        Region::Window => Some("var(--s1)"),
        Region::Probation => Some("var(--s3)"),
        Region::Protected => Some("var(--s0)"),
    }
}

fn region_short(r: Region) -> &'static str {
    match r {
        Region::Main => "",
        Region::Window => "win",
        Region::Probation => "prob",
        Region::Protected => "prot",
    }
}

/// The L1 grid's shape for a capacity.
#[derive(Clone, Copy)]
struct Grid {
    cols: u32,
    w: f64,
    h: f64,
    gap: f64,
    dense: bool,
    slots: u32,
}

impl Grid {
    fn new(capacity: u64) -> Grid {
        let slots = capacity.clamp(1, super::build::MAX_CAPACITY as u64) as u32;
        let (cols, h, dense) = match slots {
            0..=16 => (4, 40.0, false),
            17..=36 => (6, 38.0, false),
            _ => (8, 30.0, true),
        };
        let gap = 6.0;
        let w = (L1_W - 16.0 - gap * f64::from(cols - 1)) / f64::from(cols);
        Grid {
            cols,
            w,
            h,
            gap,
            dense,
            slots,
        }
    }

    fn xy(&self, slot: u32) -> Option<(f64, f64)> {
        (slot < self.slots).then(|| {
            let c = slot % self.cols;
            let r = slot / self.cols;
            (
                L1_X + 8.0 + f64::from(c) * (self.w + self.gap),
                TOP + f64::from(r) * (self.h + self.gap),
            )
        })
    }

    fn bottom(&self) -> f64 {
        let rows = self.slots.div_ceil(self.cols);
        TOP + f64::from(rows) * (self.h + self.gap)
    }
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

/// A text centred on `x`.
fn middle_text(x: f64, y: f64) -> El {
    El::new("text")
        .num(Attr::X, x)
        .num(Attr::Y, y)
        .set(Attr::TextAnchor, "middle")
}

/// The ring and tag of a recent hit, insert or promotion on an L1 slot, if the slot still
/// holds that key (it may have been reused since).
fn slot_flash(
    x: f64,
    y: f64,
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

fn l2_xy(i: usize) -> (f64, f64) {
    let w = l2_cell_w();
    let c = (i % L2_COLS) as f64;
    let r = (i / L2_COLS) as f64;
    (L2_X + 5.0 + c * (w + 3.0), TOP + r * L2_PITCH)
}

fn l2_cell_w() -> f64 {
    (L2_W - 10.0 - 3.0 * (L2_COLS as f64 - 1.0)) / L2_COLS as f64
}

/// What an entry's second line says: its region, its use count, its time left, or that the
/// policy will evict it next.
fn entry_note(
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
        EvictionPolicy::Lru | EvictionPolicy::FifoNaive => {}
    }
    if next_out && (!dense || parts.is_empty()) {
        parts.push(if dense {
            "out".into()
        } else {
            "next out".into()
        });
    }
    parts.join(" · ")
}

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
            CachingEvent::Hit {
                level: Level::L1,
                slot,
                ..
            }
            | CachingEvent::Inserted {
                level: Level::L1,
                slot,
                ..
            }
            | CachingEvent::Promoted { slot, .. }
                if *age < FLASH_MS =>
            {
                // Newest first: the first event seen for a slot is the one shown.
                if let Some(mark @ None) = m.flash.get_mut(*slot as usize) {
                    *mark = Some((*age, e));
                }
            }
            CachingEvent::Evicted {
                level: Level::L1, ..
            } if *age < LEAVE_MS && m.ghosts.len() < MAX_GHOSTS => m.ghosts.push((*age, e)),
            CachingEvent::Miss {
                level: Level::L1,
                key,
                ..
            } if *age < FLASH_MS && m.misses.len() < 3 => m.misses.push((*age, *key)),
            _ => {}
        }
    }
    m
}

fn l1_panel(model: &CachingModel, recent: &[(f64, &CachingEvent)], reduced: bool, g: Grid) -> Html {
    let sim = model;
    let policy = sim.config().l1.policy;
    let entries = sim.l1_entries();
    let full = entries.len() as u64 >= sim.config().l1.capacity;
    // Keep order: the last entry is the one the policy would evict next (W-TinyLFU decides
    // by an admission contest instead, so it gets no marker).
    let next_out = (full && policy != EvictionPolicy::WTinyLfu)
        .then(|| entries.last().map(|e| e.slot))
        .flatten();
    let mut by_slot: Vec<Option<&EntryView>> = vec![None; g.slots as usize];
    for e in &entries {
        if let Some(at) = by_slot.get_mut(e.slot as usize) {
            *at = Some(e);
        }
    }
    let marks = l1_marks(recent, g.slots);
    let now_us = sim.now().0;
    let label = super::build::policy_label(policy);
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for much less wasm.
    let mut out = El::new("g")
        .set(Attr::Class, "l1")
        .el(El::new("text")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "16")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:12px")
            .text("L1 · in-process"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, L1_X)
            .set(Attr::Y, "31")
            .set(Attr::Style, "font-size:10px")
            .kid(format!(
                "{label} · {}/{} entries",
                entries.len(),
                sim.config().l1.capacity
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
    if let Some((age, _)) = marks.misses.first() {
        let o = fade(*age, FLASH_MS, reduced);
        let mut keys: Vec<String> = Vec::new();
        for (_, k) in &marks.misses {
            let name = format!("key:{k}");
            if !keys.contains(&name) {
                keys.push(name);
            }
        }
        if keys.len() == 1 && marks.misses.len() > 1 {
            keys.push(format!("×{}", marks.misses.len()));
        }
        out = out.el(El::new("text")
            .num(Attr::X, L1_X + L1_W - 8.0)
            .set(Attr::Y, "62")
            .set(Attr::TextAnchor, "end")
            .set(Attr::FontWeight, "600")
            .val(Attr::Opacity, attr(o, 2))
            .set(Attr::Style, "font-size:10px;fill:var(--warn)")
            .kid(format!("✕ miss {}", keys.join(", "))));
    }
    for slot in 0..g.slots {
        let Some((x, y)) = g.xy(slot) else {
            continue;
        };
        let entry = by_slot.get(slot as usize).copied().flatten();
        let mut el = El::new("g")
            .set(Attr::Class, "slot")
            .string(Attr::DataSlot, slot.to_string())
            .string(
                Attr::DataKey,
                entry.map(|e| e.key.to_string()).unwrap_or_default(),
            );
        let cx = x + g.w / 2.0;
        match entry {
            Some(e) => {
                let out = next_out == Some(slot);
                let note = entry_note(e, policy, out, now_us, g.dense);
                let label = if g.dense {
                    e.key.to_string()
                } else {
                    format!("key:{}", e.key)
                };
                el =
                    el.el(slot_box(x, y, g).set(Attr::Class, if out { "box warn" } else { "box" }));
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
        if let Some(flash) = marks
            .flash
            .get(slot as usize)
            .copied()
            .flatten()
            .and_then(|(age, e)| slot_flash(x, y, g, age, e, entry.map(|en| en.key), reduced))
        {
            el = el.child(flash);
        }
        out = out.child(el.html());
    }
    for (age, e) in &marks.ghosts {
        let CachingEvent::Evicted {
            key, slot, reason, ..
        } = e
        else {
            continue;
        };
        if let Some((x, y)) = g.xy(*slot) {
            out = out.child(ghost(x, y, g.w, g.h, *key, *reason, *age, reduced, g.dense));
        }
    }
    out.html()
}

fn region_legend(x: f64, y: f64) -> Html {
    let items = [
        (Region::Window, "window"),
        (Region::Probation, "probation"),
        (Region::Protected, "protected"),
    ];
    let mut out = El::new("g").set(Attr::Class, "legend-regions");
    for (i, (r, name)) in items.iter().enumerate() {
        let xi = x + i as f64 * 70.0;
        out = out
            .el(El::new("rect")
                .num(Attr::X, xi)
                .num(Attr::Y, y - 8.0)
                .set(Attr::Width, "8")
                .set(Attr::Height, "8")
                .set(Attr::Fill, region_colour(*r).unwrap_or("none")))
            .el(El::new("text")
                .num(Attr::X, xi + 11.0)
                .num(Attr::Y, y)
                .set(Attr::Style, "font-size:9px")
                .text(*name));
    }
    out.html()
}

/// An evicted entry leaving its slot: a ghost sliding down and right, fading, with its
/// reason as a text badge. Under reduced motion, just the badge at the slot.
#[allow(clippy::too_many_arguments)]
fn ghost(
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    key: Key,
    reason: EvictionReason,
    age: f64,
    reduced: bool,
    dense: bool,
) -> Html {
    let colour = reason_colour(reason);
    let label = reason_label(reason);
    if reduced {
        let text = if dense {
            format!("{key} out: {label}")
        } else {
            format!("key:{key} out: {label}")
        };
        let bw = 6.0 + 5.0 * text.chars().count() as f64;
        return El::new("g")
            .set(Attr::Class, "ghost")
            .set(Attr::DataReason, label)
            .el(El::new("rect")
                .num(Attr::X, x)
                .num(Attr::Y, y + h - 8.0)
                .num(Attr::Width, bw)
                .set(Attr::Height, "12")
                .set(Attr::Rx, "6")
                .set(Attr::Fill, "var(--panel)")
                .set(Attr::Stroke, colour))
            .el(El::new("text")
                .num(Attr::X, x + 4.0)
                .num(Attr::Y, y + h + 1.0)
                .set(Attr::FontWeight, "700")
                .string(Attr::Style, format!("font-size:8.5px;fill:{colour}"))
                .text(text))
            .html();
    }
    let t = progress(age, LEAVE_MS, false);
    // It starts already a little off its slot, so the entry that took the slot stays legible.
    let (dx, dy) = ((0.12 + 0.4 * t) * w, (0.45 + 0.45 * t) * h);
    // Slots in the right half slide out to the left, so the ghost stays inside the drawing.
    let dx = if x + w / 2.0 > L1_X + L1_W / 2.0 {
        -dx
    } else {
        dx
    };
    let opacity = 1.0 - 0.75 * t;
    let badge = format!("out: {label}");
    // ~4.3 units per character of 7.5-unit bold text.
    let badge_w = (w - 4.0).max(6.0 + 4.3 * badge.chars().count() as f64);
    let key_label = if dense {
        key.to_string()
    } else {
        format!("key:{key}")
    };
    El::new("g")
        .set(Attr::Class, "ghost")
        .set(Attr::DataReason, label)
        .val(Attr::Opacity, attr(opacity, 2))
        .string(
            Attr::Transform,
            format!("translate({} {})", fixed(dx, 1), fixed(dy, 1)),
        )
        .el(El::new("rect")
            .num(Attr::X, x)
            .num(Attr::Y, y)
            .num(Attr::Width, w)
            .num(Attr::Height, h)
            .set(Attr::Rx, "4")
            .set(Attr::Fill, "var(--panel)")
            .set(Attr::FillOpacity, "0.85")
            .set(Attr::Stroke, colour)
            .set(Attr::StrokeWidth, "1.5")
            .set(Attr::StrokeDasharray, "4 2"))
        .el(middle_text(x + w / 2.0, y + h / 2.0)
            .set(Attr::FontWeight, "600")
            .string(Attr::Style, format!("font-size:9.5px;fill:{colour}"))
            .text(key_label))
        .el(El::new("rect")
            .num(Attr::X, x + 2.0)
            .num(Attr::Y, y + h - 12.0)
            .num(Attr::Width, badge_w)
            .set(Attr::Height, "10")
            .set(Attr::Rx, "5")
            .set(Attr::Fill, colour))
        .el(middle_text(x + 2.0 + badge_w / 2.0, y + h - 4.5)
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:7.5px;fill:var(--panel)")
            .text(badge))
        .html()
}

fn l2_panel(model: &CachingModel, recent: &[(f64, &CachingEvent)], reduced: bool) -> (Html, f64) {
    let sim = model;
    let s = sim.stats().l2;
    let keys = sim.l2_keys();
    let shown = keys.len().min(MAX_L2_CELLS);
    // Where a shown key's cell is (a scan of at most MAX_L2_CELLS keys per event: less wasm
    // than a map, and fast enough).
    let index = |key: &Key| keys.iter().take(shown).position(|(k, _)| k == key);
    let w = l2_cell_w();
    let limit = s.memory_limit.unwrap_or(0).max(1);
    let used = (s.used_bytes as f64 / limit as f64).clamp(0.0, 1.0);
    let bar_w = L2_W - 10.0;
    // Newest mark per shown key, and ghosts of evictions.
    let mut flash: Vec<Option<(f64, &str, &str)>> = vec![None; shown];
    let mut ghosts = Vec::new();
    let mut misses = Vec::new();
    for (age, e) in recent.iter().rev() {
        let e = *e;
        match e {
            CachingEvent::Hit {
                level: Level::L2,
                key,
                ..
            } if *age < FLASH_MS => {
                if let Some(mark @ None) = index(key).and_then(|i| flash.get_mut(i)) {
                    *mark = Some((*age, "hit", "var(--ok)"));
                }
            }
            CachingEvent::Inserted {
                level: Level::L2,
                key,
                ..
            } if *age < FLASH_MS => {
                if let Some(mark @ None) = index(key).and_then(|i| flash.get_mut(i)) {
                    *mark = Some((*age, "new", "var(--accent)"));
                }
            }
            CachingEvent::Evicted {
                level: Level::L2,
                key,
                slot,
                reason,
                ..
            } if *age < LEAVE_MS && ghosts.len() < MAX_GHOSTS / 2 => {
                ghosts.push((
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
            } if *age < FLASH_MS && misses.is_empty() => {
                misses.push((*age, *key));
            }
            _ => {}
        }
    }
    let rows = shown.div_ceil(L2_COLS) as f64;
    let mut bottom = TOP + rows * L2_PITCH;
    let kib = |b: u64| b as f64 / 1024.0;
    let mem = match s.memory_limit {
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
                "Redis role · {} ms round trip",
                fixed(s.round_trip.as_micros() as f64 / 1e3, 1)
            )));
    for (age, key) in &misses {
        let o = fade(*age, FLASH_MS, reduced);
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
    for (i, (k, _)) in keys.iter().take(shown).enumerate() {
        let (x, y) = l2_xy(i);
        let name = k.to_string();
        let mut cell = El::new("g")
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
        if let Some((age, tag, colour)) = flash.get(i).copied().flatten() {
            let o = fade(age, FLASH_MS, reduced);
            cell = cell.el(El::new("rect")
                .num(Attr::X, x - 1.0)
                .num(Attr::Y, y - 1.0)
                .num(Attr::Width, w + 2.0)
                .num(Attr::Height, L2_CELL_H + 2.0)
                .set(Attr::Rx, "3")
                .set(Attr::Fill, "none")
                .set(Attr::Stroke, colour)
                .set(Attr::StrokeWidth, "2.2")
                .val(Attr::Opacity, attr(o, 2))
                .set(Attr::DataFlash, tag));
        }
        out = out.child(cell.html());
    }
    for (age, key, i, reason) in &ghosts {
        let (x, y) = l2_xy(*i);
        let colour = reason_colour(*reason);
        let label = reason_label(*reason);
        let t = progress(*age, LEAVE_MS, reduced);
        let (dx, o) = if reduced {
            (0.0, 1.0)
        } else {
            (t * 14.0, 1.0 - 0.7 * t)
        };
        out = out.el(El::new("g")
            .set(Attr::Class, "ghost")
            .set(Attr::DataReason, label)
            .val(Attr::Opacity, attr(o, 2))
            .string(
                Attr::Transform,
                format!("translate({} {})", fixed(dx, 1), fixed(dx * 0.6, 1)),
            )
            .child(
                El::new("rect")
                    .num(Attr::X, x)
                    .num(Attr::Y, y + 4.0)
                    .num(Attr::Width, w + 12.0)
                    .set(Attr::Height, "12")
                    .set(Attr::Rx, "6")
                    .set(Attr::Fill, "var(--panel)")
                    .set(Attr::Stroke, colour)
                    .set(Attr::StrokeDasharray, "3 2")
                    .html(),
            )
            .child(
                El::new("text")
                    .num(Attr::X, x + 3.0)
                    .num(Attr::Y, y + 13.0)
                    .set(Attr::FontWeight, "700")
                    .string(Attr::Style, format!("font-size:7.5px;fill:{colour}"))
                    .text(format!("{key} {label}"))
                    .html(),
            ));
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

fn origin_box(model: &CachingModel, recent: &[(f64, &CachingEvent)], reduced: bool) -> (Html, f64) {
    let sim = model;
    let s = sim.stats();
    let h = 150.0;
    let y0 = TOP;
    let started: Vec<f64> = recent
        .iter()
        .filter_map(|(age, e)| matches!(e, CachingEvent::OriginLoadStarted { .. }).then_some(*age))
        .filter(|age| *age < TRAVEL_MS * 2.0)
        .collect();
    let busy = !started.is_empty();
    let cx = OR_X + OR_W / 2.0;
    let mut out = El::new("g")
        .set(Attr::Class, "origin")
        .el(El::new("text")
            .num(Attr::X, OR_X)
            .set(Attr::Y, "16")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:12px")
            .text("Origin"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, OR_X)
            .set(Attr::Y, "31")
            .set(Attr::Style, "font-size:10px")
            .kid(format!(
                "database · {} ms",
                sim.cache().origin().latency().as_millis()
            )))
        .el(El::new("rect")
            .set(Attr::Class, "box")
            .num(Attr::X, OR_X)
            .num(Attr::Y, y0)
            .num(Attr::Width, OR_W)
            .num(Attr::Height, h)
            .set(Attr::Rx, "8")
            .opt(
                Attr::Style,
                busy.then_some("stroke:var(--accent);stroke-width:2.5"),
            ))
        .el(middle_text(cx, y0 + 22.0)
            .set(Attr::FontWeight, "600")
            .text("DB"))
        .el(middle_text(cx, y0 + 44.0)
            .set(Attr::Style, "font-size:10px")
            .kid(format!("{} loads", s.origin.loads)))
        .el(middle_text(cx, y0 + 58.0)
            .set(Attr::Style, "font-size:10px")
            .kid(format!("{} writes", s.origin.writes)))
        .el(middle_text(cx, y0 + 72.0)
            .set(Attr::Class, "muted")
            .set(Attr::Style, "font-size:9px")
            .kid(format!("{} warm loads", s.origin.warm_loads)));
    if busy {
        out = out.el(middle_text(cx, y0 + 96.0)
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:10px;fill:var(--accent)")
            .kid(format!("loading ×{}", started.len())));
    }
    if s.origin.stale_reads > 0 {
        out = out.el(middle_text(cx, y0 + 112.0)
            .set(Attr::Style, "font-size:9px;fill:var(--warn)")
            .kid(format!(
                "{} stale read{}",
                s.origin.stale_reads,
                if s.origin.stale_reads == 1 { "" } else { "s" }
            )));
    }
    let _ = reduced;
    (out.html(), y0 + h)
}

/// Links between the levels, and the dots of origin loads and warm fetches.
fn traffic(recent: &[(f64, &CachingEvent)], reduced: bool) -> Html {
    let y = TOP + 24.0;
    let from = (L2_X + L2_W - 2.0, y);
    let to = (OR_X, y);
    let mut out = El::new("g")
        .set(Attr::Class, "traffic")
        .el(El::new("line")
            .set(Attr::Class, "link")
            .num(Attr::X1, from.0)
            .num(Attr::Y1, y)
            .num(Attr::X2, to.0)
            .num(Attr::Y2, y)
            .set(Attr::MarkerEnd, "url(#caching-arrow)"))
        .el(middle_text((from.0 + to.0) / 2.0, y - 4.0)
            .set(Attr::Class, "muted")
            .set(Attr::Style, "font-size:8.5px")
            .text("miss"));
    // At most MAX_DOTS marks, newest first.
    let mut drawn = 0;
    for (age, e) in recent.iter().rev() {
        if drawn >= MAX_DOTS {
            break;
        }
        let t = progress(*age, TRAVEL_MS, reduced);
        let (a, b, class, label) = match e {
            CachingEvent::OriginLoadStarted { .. } if *age < TRAVEL_MS => (from, to, "dot", None),
            CachingEvent::OriginLoadFinished { waiters, .. } if *age < TRAVEL_MS => (
                to,
                (L2_X + L2_W - 2.0, y + 14.0),
                "dot ok",
                (*waiters > 1).then(|| format!("→ {waiters} waiting")),
            ),
            CachingEvent::WarmFetchFinished { .. } if *age < TRAVEL_MS => {
                (to, (L2_X + L2_W - 2.0, y + 14.0), "dot ok", None)
            }
            CachingEvent::CoalescedWait { .. } if *age < FLASH_MS => {
                drawn += 1;
                out = out.el(El::new("text")
                    .num(Attr::X, from.0 + 2.0)
                    .num(Attr::Y, y + 14.0)
                    .set(Attr::Style, "font-size:8.5px;fill:var(--accent)")
                    .text("+1 waits"));
                continue;
            }
            _ => continue,
        };
        drawn += 1;
        let (x, yy) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        out = out.el(El::new("circle")
            .set(Attr::Class, class)
            .num(Attr::Cx, x)
            .num(Attr::Cy, yy)
            .set(Attr::R, "3.5"));
        if let Some(l) = label {
            out = out.el(El::new("text")
                .num(Attr::X, x)
                .num(Attr::Y, yy + 12.0)
                .set(Attr::FontWeight, "700")
                .set(Attr::Style, "font-size:8.5px;fill:var(--ok)")
                .kid(l));
        }
    }
    out.html()
}

/// L2 → L1 promotions, added to `svg`: an arrow from the L2 side (the drawing's top right,
/// where the L2 drawing continues) to the slot the entry landed in.
fn promotions(mut svg: El, recent: &[(f64, &CachingEvent)], reduced: bool, g: Grid) -> El {
    let mut drawn = 0;
    for (age, e) in recent.iter().rev() {
        if drawn >= 8 {
            break;
        }
        let CachingEvent::Promoted {
            slot,
            promotion: PromotionKind::L2ToL1,
            ..
        } = e
        else {
            continue;
        };
        if *age >= FLASH_MS {
            continue;
        }
        let Some((x, y)) = g.xy(*slot) else {
            continue;
        };
        drawn += 1;
        let (x0, y0) = (WIDTH - 4.0, TOP - 10.0);
        let (x1, y1) = (x + g.w, y + g.h / 2.0);
        let o = fade(*age, FLASH_MS, reduced);
        let t = progress(*age, FLASH_MS * 0.6, reduced);
        let mut arrow = El::new("g")
            .set(Attr::Class, "promotion")
            .val(Attr::Opacity, attr(o, 2))
            .el(El::new("line")
                .num(Attr::X1, x0)
                .num(Attr::Y1, y0)
                .num(Attr::X2, x1)
                .num(Attr::Y2, y1)
                .set(Attr::Stroke, "var(--accent)")
                .set(Attr::StrokeWidth, "1.4")
                .set(Attr::StrokeDasharray, "4 3")
                .set(Attr::MarkerEnd, "url(#caching-arrow-accent)"));
        if !reduced {
            arrow = arrow.el(El::new("circle")
                .set(Attr::Class, "dot")
                .num(Attr::Cx, x0 + (x1 - x0) * t)
                .num(Attr::Cy, y0 + (y1 - y0) * t)
                .set(Attr::R, "3"));
        }
        svg = svg.child(arrow.html());
    }
    svg
}

/// One of the two drawings' `svg`, with its arrowhead.
fn drawing_svg(class: &'static str, height: f64, aria: String, arrow: Html) -> El {
    El::new("svg")
        .set(Attr::Class, class)
        // Both through `fixed`: an `f64` in `format!` would link Rust's float formatter.
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", fixed(WIDTH, 0), fixed(height, 0)),
        )
        .set(Attr::Role, "img")
        .string(Attr::AriaLabel, aria)
        .set(
            Attr::Style,
            "flex:1 1 300px;min-width:0;max-width:560px;height:auto",
        )
        .child(arrow)
}

fn drawings(v: &SceneView<'_, CachingScene>) -> Html {
    let m = v.model;
    let sim = m;
    let g = Grid::new(sim.config().l1.capacity);
    let reduced = v.reduced_motion;
    let recent = v.aged();
    let l1 = l1_panel(m, &recent, reduced, g);
    let (l2, l2_bottom) = l2_panel(m, &recent, reduced);
    let (origin, origin_bottom) = origin_box(m, &recent, reduced);
    let l1_height = g.bottom() + 10.0;
    let l2_height = l2_bottom.max(origin_bottom) + 14.0;
    let s = sim.stats();
    let pct = |r: Option<f64>| {
        r.map(|r| format!("{}%", fixed(r * 100.0, 0)))
            .unwrap_or_else(|| "—".into())
    };
    let l1_aria = format!(
        "L1 cache ({}) with {} of {} slots used; hit rate {} over the last lookups.",
        sim.config().l1.policy.name(),
        s.l1.len,
        sim.config().l1.capacity,
        pct(m.recent_l1_hit_rate()),
    );
    let l2_aria = format!("L2 cache with {} keys using {} KiB, hit rate {}; behind it the origin, which has served {} loads.", s.l2.cache.len, fixed(s.l2.used_bytes as f64 / 1024.0, 1), pct(m.recent_l2_hit_rate()), s.origin.loads);
    let l1_svg = drawing_svg(
        "drawing caching-l1",
        l1_height,
        l1_aria,
        arrow_defs("caching-arrow-accent", "var(--accent)"),
    )
    .child(l1);
    let l2_svg = drawing_svg(
        "drawing caching-l2",
        l2_height,
        l2_aria,
        arrow_defs("caching-arrow", "var(--muted)"),
    )
    .child(l2)
    .child(origin)
    .child(traffic(&recent, reduced));
    El::new("div")
        .set(Attr::Class, "caching-drawings")
        .set(
            Attr::Style,
            "display:flex;flex-wrap:wrap;gap:0.5rem 1.25rem;align-items:flex-start",
        )
        .child(promotions(l1_svg, &recent, reduced, g).html())
        .child(l2_svg.html())
        .html()
}

/// One chart: a single `html!` component expansion shared by the four.
fn chart(
    title: AttrValue,
    rows: &std::rc::Rc<Vec<(f64, Vec<f64>)>>,
    percent: bool,
    lines: Vec<Line>,
) -> Html {
    let rows = rows.clone();
    let y_max = percent.then_some(1.0);
    html! { <Chart {title} {rows} {y_max} {percent} {lines} /> }
}

fn line(column: usize, label: &'static str) -> Line {
    Line {
        column,
        label: label.into(),
    }
}

pub fn view(v: SceneView<'_, CachingScene>) -> Html {
    let rows = v.series;
    let out = El::new("div")
        .set(Attr::Class, "caching")
        .child(panels::stats(v.model))
        .child(drawings(&v))
        .child(panels::status(v.model))
        .child(panels::actions(v.model, v.params, &v.act));
    panels::counters(out, v.model)
        .el(El::new("div")
            .set(Attr::Class, "charts")
            .child(chart(
                format!("Hit rate over the last {} lookups", HIT_WINDOW).into(),
                rows,
                true,
                vec![
                    line(CachingModel::COL_L1_HIT_RATE, "L1"),
                    line(CachingModel::COL_L2_HIT_RATE, "L2"),
                    line(
                        CachingModel::COL_OVERALL_HIT_RATE,
                        "overall (reads not sent to origin)",
                    ),
                ],
            ))
            .child(chart(
                "Origin loads (total)".into(),
                rows,
                false,
                vec![line(CachingModel::COL_ORIGIN_LOADS, "loads")],
            ))
            .child(chart(
                "Evictions by reason (total, L1 + L2)".into(),
                rows,
                false,
                vec![
                    line(CachingModel::COL_EVICTIONS_CAPACITY, "capacity"),
                    line(CachingModel::COL_EVICTIONS_EXPIRED, "expiry"),
                    line(CachingModel::COL_EVICTIONS_EXPLICIT, "explicit"),
                ],
            ))
            .child(chart(
                "L1 entries".into(),
                rows,
                false,
                vec![line(CachingModel::COL_L1_LEN, "entries")],
            )))
        .html()
}
