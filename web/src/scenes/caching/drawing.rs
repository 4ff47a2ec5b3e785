//! Drawing the caches: L1 as a grid of slots (key, W-TinyLFU region, what the policy keeps
//! per entry), L2 as a grid of keys under its memory bar, the origin as a box to the right.
//! Recent events flash where they happened: hits in --ok, misses in --warn at their level,
//! L2 → L1 promotions as an arrow, evicted entries sliding out with their reason, origin
//! loads travelling to the database and back.

use super::model::CachingModel;
use super::{col, panels, CachingScene};
use crate::components::chart::{Chart, Line};
use crate::fixed::fixed;
use crate::scenes::SceneView;
use scalelab_core::caching::{
    CacheEvent, EntryView, EvictionPolicy, EvictionReason, Key, Level, PromotionKind, Region,
};
use scalelab_core::Model;
use std::collections::BTreeMap;
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

fn f(v: f64) -> String {
    fixed(v, 1)
}

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

/// The newest flash-worthy event per L1 slot, and the L1 evictions still leaving.
struct L1Marks<'a> {
    flash: BTreeMap<u32, (f64, &'a CacheEvent)>,
    ghosts: Vec<(f64, &'a CacheEvent)>,
    misses: Vec<(f64, Key)>,
}

fn l1_marks<'a>(recent: &[(f64, &'a CacheEvent)]) -> L1Marks<'a> {
    let mut m = L1Marks {
        flash: BTreeMap::new(),
        ghosts: Vec::new(),
        misses: Vec::new(),
    };
    for (age, e) in recent.iter().rev() {
        let e = *e;
        match e {
            CacheEvent::Hit {
                level: Level::L1,
                slot,
                ..
            }
            | CacheEvent::Inserted {
                level: Level::L1,
                slot,
                ..
            }
            | CacheEvent::Promoted { slot, .. }
                if *age < FLASH_MS =>
            {
                m.flash.entry(*slot).or_insert((*age, e));
            }
            CacheEvent::Evicted {
                level: Level::L1, ..
            } if *age < LEAVE_MS && m.ghosts.len() < MAX_GHOSTS => m.ghosts.push((*age, e)),
            CacheEvent::Miss {
                level: Level::L1,
                key,
                ..
            } if *age < FLASH_MS && m.misses.len() < 3 => m.misses.push((*age, *key)),
            _ => {}
        }
    }
    m
}

fn l1_panel(model: &CachingModel, recent: &[(f64, &CacheEvent)], reduced: bool, g: Grid) -> Html {
    let sim = model.sim();
    let policy = sim.config().l1.policy;
    let entries = sim.l1_entries();
    let full = entries.len() as u64 >= sim.config().l1.capacity;
    // Keep order: the last entry is the one the policy would evict next (W-TinyLFU decides
    // by an admission contest instead, so it gets no marker).
    let next_out = (full && policy != EvictionPolicy::WTinyLfu)
        .then(|| entries.last().map(|e| e.slot))
        .flatten();
    let by_slot: BTreeMap<u32, &EntryView> = entries.iter().map(|e| (e.slot, e)).collect();
    let marks = l1_marks(recent);
    let now_us = sim.now().0;
    let slots = (0..g.slots).filter_map(|slot| {
        let (x, y) = g.xy(slot)?;
        let entry = by_slot.get(&slot);
        let body = match entry {
            Some(e) => {
                let note = entry_note(e, policy, next_out == Some(slot), now_us, g.dense);
                let label = if g.dense { e.key.to_string() } else { format!("key:{}", e.key) };
                let tint = region_colour(e.region).map(|c| html! {
                    <rect x={f(x)} y={f(y)} width="4" height={f(g.h)} fill={c} />
                });
                html! { <>
                    <rect class={classes!("box", (next_out == Some(slot)).then_some("warn"))} x={f(x)} y={f(y)} width={f(g.w)} height={f(g.h)} rx="4" />
                    { for tint }
                    <text x={f(x + g.w / 2.0)} y={f(y + if g.dense { 13.0 } else { 16.0 })} text-anchor="middle"
                        font-weight="600" style={if g.dense { "font-size:9.5px" } else { "font-size:11px" }}>{ label }</text>
                    <text class="muted" x={f(x + g.w / 2.0)} y={f(y + g.h - if g.dense { 6.0 } else { 8.0 })} text-anchor="middle"
                        style={if g.dense { "font-size:7.5px" } else { "font-size:9px" }}>{ note }</text>
                </> }
            }
            None => html! { <>
                <rect class="box" x={f(x)} y={f(y)} width={f(g.w)} height={f(g.h)} rx="4" stroke-dasharray="3 3" opacity="0.6" />
                if !g.dense {
                    <text class="muted" x={f(x + g.w / 2.0)} y={f(y + g.h / 2.0 + 3.0)} text-anchor="middle" style="font-size:9px">{ "empty" }</text>
                }
            </> },
        };
        let flash = marks.flash.get(&slot).and_then(|(age, e)| {
            let key_here = entry.map(|en| en.key);
            let (tag, colour, key) = match e {
                CacheEvent::Hit { key, .. } => ("hit", "var(--ok)", *key),
                CacheEvent::Inserted { key, .. } => ("new", "var(--accent)", *key),
                CacheEvent::Promoted { key, promotion, .. } => (
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
            // Only if the slot still holds that key (it may have been reused since).
            (key_here == Some(key)).then(|| {
                let o = fade(*age, FLASH_MS, reduced);
                html! {
                    <g opacity={fixed(o, 2)} class="flash" data-flash={tag}>
                        <rect x={f(x - 1.5)} y={f(y - 1.5)} width={f(g.w + 3.0)} height={f(g.h + 3.0)} rx="5"
                            fill="none" stroke={colour} stroke-width="2.5" />
                        <rect x={f(x + g.w - 30.0)} y={f(y - 7.0)} width="30" height="11" rx="5" fill="var(--panel)" stroke={colour} />
                        <text x={f(x + g.w - 15.0)} y={f(y + 1.5)} text-anchor="middle" font-weight="700" style={format!("font-size:8px;fill:{}", colour)}>{ tag }</text>
                    </g>
                }
            })
        });
        Some(html! {
            <g class="slot" data-slot={slot.to_string()} data-key={entry.map(|e| e.key.to_string()).unwrap_or_default()}>
                { body }
                { for flash }
            </g>
        })
    }).collect::<Html>();
    let ghosts = marks
        .ghosts
        .iter()
        .filter_map(|(age, e)| {
            let CacheEvent::Evicted {
                key, slot, reason, ..
            } = e
            else {
                return None;
            };
            let (x, y) = g.xy(*slot)?;
            Some(ghost(x, y, g.w, g.h, *key, *reason, *age, reduced, g.dense))
        })
        .collect::<Html>();
    let misses = marks.misses.first().map(|(age, _)| {
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
        html! {
            <text x={f(L1_X + L1_W - 8.0)} y="62" text-anchor="end" font-weight="600"
                opacity={fixed(o, 2)} style="font-size:10px;fill:var(--warn)">{ format!("✕ miss {}", keys.join(", ")) }</text>
        }
    });
    let label = super::build::policy_label(policy);
    html! {
        <g class="l1">
            <text x={f(L1_X)} y="16" font-weight="700" style="font-size:12px">{ "L1 · in-process" }</text>
            <text class="muted" x={f(L1_X)} y="31" style="font-size:10px">{ format!("{label} · {}/{} entries", entries.len(), sim.config().l1.capacity) }</text>
            <text class="muted" x={f(L1_X + L1_W)} y="16" text-anchor="end" style="font-size:9.5px">{ "misses go on to L2 →" }</text>
            if policy == EvictionPolicy::WTinyLfu {
                { region_legend(L1_X, 46.0) }
            } else if next_out.is_some() {
                <text class="muted" x={f(L1_X)} y="46" style="font-size:9px">{ "dashed outline: the entry evicted next" }</text>
            }
            { for misses }
            { slots }
            { ghosts }
        </g>
    }
}

fn region_legend(x: f64, y: f64) -> Html {
    let items = [
        (Region::Window, "window"),
        (Region::Probation, "probation"),
        (Region::Protected, "protected"),
    ];
    html! { <g class="legend-regions">
        { for items.iter().enumerate().map(|(i, (r, name))| {
            let xi = x + i as f64 * 70.0;
            html! { <>
                <rect x={f(xi)} y={f(y - 8.0)} width="8" height="8" fill={region_colour(*r).unwrap_or("none")} />
                <text x={f(xi + 11.0)} y={f(y)} style="font-size:9px">{ *name }</text>
            </> }
        }) }
    </g> }
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
        return html! {
            <g class="ghost" data-reason={label}>
                <rect x={f(x)} y={f(y + h - 8.0)} width={f(bw)} height="12" rx="6" fill="var(--panel)" stroke={colour} />
                <text x={f(x + 4.0)} y={f(y + h + 1.0)} font-weight="700" style={format!("font-size:8.5px;fill:{}", colour)}>{ text }</text>
            </g>
        };
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
    html! {
        <g class="ghost" data-reason={label} opacity={fixed(opacity, 2)} transform={format!("translate({} {})", fixed(dx, 1), fixed(dy, 1))}>
            <rect x={f(x)} y={f(y)} width={f(w)} height={f(h)} rx="4" fill="var(--panel)" fill-opacity="0.85"
                stroke={colour} stroke-width="1.5" stroke-dasharray="4 2" />
            <text x={f(x + w / 2.0)} y={f(y + h / 2.0)} text-anchor="middle" font-weight="600" style={format!("font-size:9.5px;fill:{}", colour)}>{ key_label }</text>
            <rect x={f(x + 2.0)} y={f(y + h - 12.0)} width={f(badge_w)} height="10" rx="5" fill={colour} />
            <text x={f(x + 2.0 + badge_w / 2.0)} y={f(y + h - 4.5)} text-anchor="middle" font-weight="700" style="font-size:7.5px;fill:var(--panel)">{ badge }</text>
        </g>
    }
}

fn l2_panel(model: &CachingModel, recent: &[(f64, &CacheEvent)], reduced: bool) -> (Html, f64) {
    let sim = model.sim();
    let s = sim.stats().l2;
    let keys = sim.l2_keys();
    let shown = keys.len().min(MAX_L2_CELLS);
    let index: BTreeMap<Key, usize> = keys
        .iter()
        .take(shown)
        .enumerate()
        .map(|(i, (k, _))| (*k, i))
        .collect();
    let w = l2_cell_w();
    let limit = s.memory_limit.unwrap_or(0).max(1);
    let used = (s.used_bytes as f64 / limit as f64).clamp(0.0, 1.0);
    let bar_w = L2_W - 10.0;
    // Newest mark per shown key, and ghosts of evictions.
    let mut flash: BTreeMap<usize, (f64, &str, &str)> = BTreeMap::new();
    let mut ghosts = Vec::new();
    let mut misses = Vec::new();
    for (age, e) in recent.iter().rev() {
        let e = *e;
        match e {
            CacheEvent::Hit {
                level: Level::L2,
                key,
                ..
            } if *age < FLASH_MS => {
                if let Some(i) = index.get(key) {
                    flash.entry(*i).or_insert((*age, "hit", "var(--ok)"));
                }
            }
            CacheEvent::Inserted {
                level: Level::L2,
                key,
                ..
            } if *age < FLASH_MS => {
                if let Some(i) = index.get(key) {
                    flash.entry(*i).or_insert((*age, "new", "var(--accent)"));
                }
            }
            CacheEvent::Evicted {
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
            CacheEvent::Miss {
                level: Level::L2,
                key,
                ..
            } if *age < FLASH_MS && misses.is_empty() => {
                misses.push((*age, *key));
            }
            _ => {}
        }
    }
    let cells = keys.iter().take(shown).enumerate().map(|(i, (k, _))| {
        let (x, y) = l2_xy(i);
        let mark = flash.get(&i).map(|(age, tag, colour)| {
            let o = fade(*age, FLASH_MS, reduced);
            html! {
                <rect x={f(x - 1.0)} y={f(y - 1.0)} width={f(w + 2.0)} height={f(L2_CELL_H + 2.0)} rx="3" fill="none"
                    stroke={*colour} stroke-width="2.2" opacity={fixed(o, 2)} data-flash={*tag} />
            }
        });
        html! {
            <g class="cell" data-key={k.to_string()}>
                <rect class="box" x={f(x)} y={f(y)} width={f(w)} height={f(L2_CELL_H)} rx="3" />
                <text x={f(x + w / 2.0)} y={f(y + 11.5)} text-anchor="middle" style="font-size:9px">{ k.to_string() }</text>
                { for mark }
            </g>
        }
    }).collect::<Html>();
    let ghost_html = ghosts.iter().map(|(age, key, i, reason)| {
        let (x, y) = l2_xy(*i);
        let colour = reason_colour(*reason);
        let label = reason_label(*reason);
        let t = progress(*age, LEAVE_MS, reduced);
        let (dx, o) = if reduced { (0.0, 1.0) } else { (t * 14.0, 1.0 - 0.7 * t) };
        html! {
            <g class="ghost" data-reason={label} opacity={fixed(o, 2)} transform={format!("translate({} {})", fixed(dx, 1), fixed(dx * 0.6, 1))}>
                <rect x={f(x)} y={f(y + 4.0)} width={f(w + 12.0)} height="12" rx="6" fill="var(--panel)" stroke={colour} stroke-dasharray="3 2" />
                <text x={f(x + 3.0)} y={f(y + 13.0)} font-weight="700" style={format!("font-size:7.5px;fill:{}", colour)}>{ format!("{key} {label}") }</text>
            </g>
        }
    }).collect::<Html>();
    let miss_html = misses.iter().map(|(age, key)| {
        let o = fade(*age, FLASH_MS, reduced);
        html! {
            <text x={f(L2_X + L2_W)} y="16" text-anchor="end" font-weight="600"
                opacity={fixed(o, 2)} style="font-size:10px;fill:var(--warn)">{ format!("✕ miss key:{key}") }</text>
        }
    }).collect::<Html>();
    let rows = shown.div_ceil(L2_COLS) as f64;
    let mut bottom = TOP + rows * L2_PITCH;
    let more = (keys.len() > shown).then(|| {
        let y = bottom + 10.0;
        bottom += 16.0;
        html! { <text class="muted" x={f(L2_X + 5.0)} y={f(y)} style="font-size:9.5px">{ format!("… and {} more keys", keys.len() - shown) }</text> }
    });
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
    let html = html! {
        <g class="l2">
            <text x={f(L2_X)} y="16" font-weight="700" style="font-size:12px">{ "L2 · shared" }</text>
            <text class="muted" x={f(L2_X)} y="31" style="font-size:10px">{ format!("Redis role · {} ms round trip", fixed(s.round_trip.as_micros() as f64 / 1e3, 1)) }</text>
            { miss_html }
            <rect class="link" x={f(L2_X + 5.0)} y="40" width={f(bar_w)} height="9" fill="none" rx="2" />
            <rect class={classes!("bar", (used > 0.95).then_some("queue"))} x={f(L2_X + 5.0)} y="40" width={f(bar_w * used)} height="9" rx="2" />
            <text class="muted" x={f(L2_X + 5.0)} y="62" style="font-size:9.5px">{ mem }</text>
            if keys.is_empty() {
                <text class="muted" x={f(L2_X + 5.0)} y={f(TOP + 12.0)} style="font-size:10px">{ "empty" }</text>
            }
            { cells }
            { ghost_html }
            { for more }
        </g>
    };
    (html, bottom)
}

fn origin_box(model: &CachingModel, recent: &[(f64, &CacheEvent)], reduced: bool) -> (Html, f64) {
    let sim = model.sim();
    let s = sim.stats();
    let h = 150.0;
    let y0 = TOP;
    let started: Vec<f64> = recent
        .iter()
        .filter_map(|(age, e)| matches!(e, CacheEvent::OriginLoadStarted { .. }).then_some(*age))
        .filter(|age| *age < TRAVEL_MS * 2.0)
        .collect();
    let busy = !started.is_empty();
    let cx = OR_X + OR_W / 2.0;
    let html = html! {
        <g class="origin">
            <text x={f(OR_X)} y="16" font-weight="700" style="font-size:12px">{ "Origin" }</text>
            <text class="muted" x={f(OR_X)} y="31" style="font-size:10px">{ format!("database · {} ms", sim.cache().origin().latency().as_millis()) }</text>
            <rect class="box" x={f(OR_X)} y={f(y0)} width={f(OR_W)} height={f(h)} rx="8"
                style={busy.then_some("stroke:var(--accent);stroke-width:2.5")} />
            <text x={f(cx)} y={f(y0 + 22.0)} text-anchor="middle" font-weight="600">{ "DB" }</text>
            <text x={f(cx)} y={f(y0 + 44.0)} text-anchor="middle" style="font-size:10px">{ format!("{} loads", s.origin.loads) }</text>
            <text x={f(cx)} y={f(y0 + 58.0)} text-anchor="middle" style="font-size:10px">{ format!("{} writes", s.origin.writes) }</text>
            <text class="muted" x={f(cx)} y={f(y0 + 72.0)} text-anchor="middle" style="font-size:9px">{ format!("{} warm loads", s.origin.warm_loads) }</text>
            if busy {
                <text x={f(cx)} y={f(y0 + 96.0)} text-anchor="middle" font-weight="700" style="font-size:10px;fill:var(--accent)">{ format!("loading ×{}", started.len()) }</text>
            }
            if s.origin.stale_reads > 0 {
                <text x={f(cx)} y={f(y0 + 112.0)} text-anchor="middle" style="font-size:9px;fill:var(--warn)">{ format!("{} stale read{}", s.origin.stale_reads, if s.origin.stale_reads == 1 { "" } else { "s" }) }</text>
            }
        </g>
    };
    let _ = reduced;
    (html, y0 + h)
}

/// Links between the levels, and the dots of origin loads and warm fetches.
fn traffic(recent: &[(f64, &CacheEvent)], reduced: bool) -> Html {
    let y = TOP + 24.0;
    let from = (L2_X + L2_W - 2.0, y);
    let to = (OR_X, y);
    let links = html! { <>
        <line class="link" x1={f(from.0)} y1={f(y)} x2={f(to.0)} y2={f(y)} marker-end="url(#caching-arrow)" />
        <text class="muted" x={f((from.0 + to.0) / 2.0)} y={f(y - 4.0)} text-anchor="middle" style="font-size:8.5px">{ "miss" }</text>
    </> };
    let dots = recent
        .iter()
        .rev()
        .filter_map(|(age, e)| {
            let t = progress(*age, TRAVEL_MS, reduced);
            let (a, b, class, label) = match e {
                CacheEvent::OriginLoadStarted { .. } if *age < TRAVEL_MS => (from, to, "dot", None),
                CacheEvent::OriginLoadFinished { waiters, .. } if *age < TRAVEL_MS => (
                    to,
                    (L2_X + L2_W - 2.0, y + 14.0),
                    "dot ok",
                    (*waiters > 1).then(|| format!("→ {waiters} waiting")),
                ),
                CacheEvent::WarmFetchFinished { .. } if *age < TRAVEL_MS => {
                    (to, (L2_X + L2_W - 2.0, y + 14.0), "dot ok", None)
                }
                CacheEvent::CoalescedWait { .. } if *age < FLASH_MS => {
                    return Some(html! {
                        <text x={f(from.0 + 2.0)} y={f(y + 14.0)} style="font-size:8.5px;fill:var(--accent)">{ "+1 waits" }</text>
                    })
                }
                _ => return None,
            };
            let (x, yy) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            Some(html! { <>
                <circle class={class} cx={f(x)} cy={f(yy)} r="3.5" />
                if let Some(l) = label {
                    <text x={f(x)} y={f(yy + 12.0)} font-weight="700" style="font-size:8.5px;fill:var(--ok)">{ l }</text>
                }
            </> })
        })
        .take(MAX_DOTS)
        .collect::<Html>();
    html! { <g class="traffic">{ links }{ dots }</g> }
}

/// L2 → L1 promotions: an arrow from the L2 side (the drawing's top right, where the L2
/// drawing continues) to the slot the entry landed in.
fn promotions(recent: &[(f64, &CacheEvent)], reduced: bool, g: Grid) -> Html {
    recent
        .iter()
        .rev()
        .filter_map(|(age, e)| match e {
            CacheEvent::Promoted {
                slot,
                promotion: PromotionKind::L2ToL1,
                ..
            } if *age < FLASH_MS => {
                let (x, y) = g.xy(*slot)?;
                let (x0, y0) = (WIDTH - 4.0, TOP - 10.0);
                let (x1, y1) = (x + g.w, y + g.h / 2.0);
                let o = fade(*age, FLASH_MS, reduced);
                let t = progress(*age, FLASH_MS * 0.6, reduced);
                Some(html! {
                    <g class="promotion" opacity={fixed(o, 2)}>
                        <line x1={f(x0)} y1={f(y0)} x2={f(x1)} y2={f(y1)} stroke="var(--accent)" stroke-width="1.4"
                            stroke-dasharray="4 3" marker-end="url(#caching-arrow-accent)" />
                        if !reduced {
                            <circle class="dot" cx={f(x0 + (x1 - x0) * t)} cy={f(y0 + (y1 - y0) * t)} r="3" />
                        }
                    </g>
                })
            }
            _ => None,
        })
        .take(8)
        .collect()
}

fn drawings(v: &SceneView<'_, CachingScene>) -> Html {
    let m = v.model;
    let sim = m.sim();
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
        pct(m.readout().l1.rate()),
    );
    let l2_aria = format!("L2 cache with {} keys using {} KiB, hit rate {}; behind it the origin, which has served {} loads.", s.l2.cache.len, fixed(s.l2.used_bytes as f64 / 1024.0, 1), pct(m.readout().l2.rate()), s.origin.loads);
    let style = "flex:1 1 300px;min-width:0;max-width:560px;height:auto";
    html! {
        <div class="caching-drawings" style="display:flex;flex-wrap:wrap;gap:0.5rem 1.25rem;align-items:flex-start">
            <svg class="drawing caching-l1" viewBox={format!("0 0 {WIDTH} {}", fixed(l1_height, 0))} role="img" aria-label={l1_aria} {style}>
                <defs>
                    <marker id="caching-arrow-accent" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--accent)" />
                    </marker>
                </defs>
                { l1 }
                { promotions(&recent, reduced, g) }
            </svg>
            <svg class="drawing caching-l2" viewBox={format!("0 0 {WIDTH} {}", fixed(l2_height, 0))} role="img" aria-label={l2_aria} {style}>
                <defs>
                    <marker id="caching-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--muted)" />
                    </marker>
                </defs>
                { l2 }
                { origin }
                { traffic(&recent, reduced) }
            </svg>
        </div>
    }
}

pub fn view(v: SceneView<'_, CachingScene>) -> Html {
    let rows = v.series.clone();
    html! {
        <div class="caching">
            { panels::stats(v.model) }
            { drawings(&v) }
            { panels::status(v.model) }
            { panels::actions(v.model, v.params, &v.act) }
            { panels::counters(v.model) }
            <div class="charts">
                <Chart title={format!("Hit rate over the last {} lookups", super::model::WINDOW)} rows={rows.clone()} y_max={Some(1.0)} percent={true} lines={vec![
                    Line { column: col::L1, label: "L1".into() },
                    Line { column: col::L2, label: "L2".into() },
                    Line { column: col::OVERALL, label: "overall (reads not sent to origin)".into() },
                ]} />
                <Chart title="Origin loads (total)" rows={rows.clone()} lines={vec![
                    Line { column: col::ORIGIN_LOADS, label: "loads".into() },
                ]} />
                <Chart title="Evictions by reason (total, L1 + L2)" rows={rows.clone()} lines={vec![
                    Line { column: col::EVICT_CAPACITY, label: "capacity".into() },
                    Line { column: col::EVICT_EXPIRED, label: "expiry".into() },
                    Line { column: col::EVICT_EXPLICIT, label: "explicit".into() },
                ]} />
                <Chart title="L1 entries" rows={rows} lines={vec![
                    Line { column: col::L1_LEN, label: "entries".into() },
                ]} />
            </div>
        </div>
    }
}
