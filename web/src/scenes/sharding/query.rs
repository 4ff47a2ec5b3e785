//! The scatter-gather layer of the drawing: the coordinator, a fan-out line to every shard a
//! query asked, each shard's answer (count and latency) as it arrives, and the gather with the
//! total latency (slowest shard plus the merge).
//!
//! Query events are rare and each one matters after its animation is over, so this small
//! component remembers the latest query's events it has been shown (forgetting any that lie
//! in the future after a step back).

use super::drawing::{shard_colour, shard_shape};
use crate::components::svg::{Attr, El};
// Coordinates go through Num: the same text as `{}` for these (tens to hundreds of viewBox
// units), without linking Rust's float formatter into the page.
use crate::fixed::fixed;
use scalelab_core::num_text::Num;
use scalelab_core::sharding::{ShardEvent, ShardEventKind};
use std::rc::Rc;
use yew::prelude::*;

/// A panel-coloured outline under text, so labels stay legible where lines cross them.
const HALO: &str = "paint-order:stroke;stroke:var(--panel);stroke-width:3px;stroke-linejoin:round";

/// How long a request or answer pulse takes along its line.
const PULSE_MS: f64 = 600.0;

type Answer = (u64, u64, u64, u64);

/// The answer of `shard`, if it has answered.
fn answer_of(answers: &[(u32, Answer)], shard: u32) -> Option<&Answer> {
    answers.iter().find(|(s, _)| *s == shard).map(|(_, a)| a)
}

/// Records (or replaces) the answer of `shard`, keeping shard order.
fn set_answer(answers: &mut Vec<(u32, Answer)>, shard: u32, answer: Answer) {
    let at = answers.iter().position(|(s, _)| *s >= shard);
    match at.and_then(|i| answers.get_mut(i)) {
        Some(slot) if slot.0 == shard => slot.1 = answer,
        _ => answers.insert(at.unwrap_or(answers.len()), (shard, answer)),
    }
}

/// The latest query, as far as it has got.
#[derive(Debug, Clone, PartialEq)]
struct LastQuery {
    id: u64,
    /// Simulated time (µs) the query was sent.
    at: u64,
    /// What was asked: a filter description or a key.
    what: String,
    /// Routed to one shard (a key query) rather than scattered.
    single: bool,
    asked: Vec<u32>,
    /// (shard, (arrival µs, matched, scanned, latency µs)), in shard order: a few shards, so
    /// a sorted list (far less wasm than a map).
    answers: Vec<(u32, Answer)>,
    /// (arrival µs, rows, latency µs)
    gathered: Option<(u64, u64, u64)>,
}

#[derive(Properties, PartialEq, Clone)]
pub struct QueryLayerProps {
    /// Query events from the recent window, with their age in ms (oldest first).
    pub events: Rc<Vec<(f64, ShardEvent)>>,
    /// The model's clock, in µs.
    pub now_micros: u64,
    /// (shard id, row centre y) for every drawn shard row.
    pub rows: Rc<Vec<(u32, f64)>>,
    /// Where the shard rows end (lines start there).
    pub row_end_x: f64,
    pub coord_x: f64,
    pub coord_y: f64,
    pub reduced_motion: bool,
}

fn ms(us: u64) -> String {
    format!("{} ms", fixed(us as f64 / 1_000.0, 2))
}

fn remember(memo: &mut Option<LastQuery>, events: &[(f64, ShardEvent)], now: u64) {
    if memo.as_ref().is_some_and(|q| q.at > now) {
        *memo = None;
    }
    for (_, e) in events {
        let at = e.at.as_micros();
        match &e.kind {
            ShardEventKind::QueryScattered {
                query,
                filter,
                shards,
            } if memo.as_ref().is_none_or(|q| *query > q.id) => {
                *memo = Some(LastQuery {
                    id: *query,
                    at,
                    what: filter.clone(),
                    single: false,
                    asked: shards.iter().map(|s| s.0).collect(),
                    answers: Vec::new(),
                    gathered: None,
                });
            }
            ShardEventKind::QueryRouted { query, key, shard }
                if memo.as_ref().is_none_or(|q| *query > q.id) =>
            {
                *memo = Some(LastQuery {
                    id: *query,
                    at,
                    what: key.clone(),
                    single: true,
                    asked: vec![shard.0],
                    answers: Vec::new(),
                    gathered: None,
                });
            }
            ShardEventKind::QueryShardAnswered {
                query,
                shard,
                count,
                scanned,
                latency_micros,
            } => {
                if let Some(q) = memo.as_mut().filter(|q| q.id == *query) {
                    set_answer(
                        &mut q.answers,
                        shard.0,
                        (at, *count, *scanned, *latency_micros),
                    );
                }
            }
            ShardEventKind::QueryGathered {
                query,
                total,
                latency_micros,
                ..
            } => {
                if let Some(q) = memo.as_mut().filter(|q| q.id == *query) {
                    q.gathered = Some((at, *total, *latency_micros));
                }
            }
            _ => {}
        }
    }
    // After a step back, forget what has not happened yet.
    if let Some(q) = memo.as_mut() {
        q.answers.retain(|(_, a)| a.0 <= now);
        if q.gathered.is_some_and(|g| g.0 > now) {
            q.gathered = None;
        }
    }
}

#[component]
pub fn QueryLayer(p: &QueryLayerProps) -> Html {
    let memo = use_mut_ref(|| None::<LastQuery>);
    let query = {
        let mut m = memo.borrow_mut();
        remember(&mut m, &p.events, p.now_micros);
        m.clone()
    };
    let (cx, cy) = (p.coord_x, p.coord_y);
    let row_y = |id: u32| p.rows.iter().find(|(s, _)| *s == id).map(|(_, y)| *y);
    // The coordinator box, with what it knows listed underneath (right-aligned to the edge).
    let coordinator = |lines: Vec<String>| {
        let right = cx + 32.0;
        let mut g = El::new("g")
            .set(Attr::Class, "coordinator")
            .el(El::new("rect")
                .set(Attr::Class, "box")
                .string(Attr::X, Num(cx - 32.0).to_string())
                .string(Attr::Y, Num(cy - 14.0).to_string())
                .set(Attr::Width, "64")
                .set(Attr::Height, "28")
                .set(Attr::Rx, "8"))
            .el(El::new("text")
                .string(Attr::X, Num(cx).to_string())
                .string(Attr::Y, Num(cy + 4.0).to_string())
                .set(Attr::TextAnchor, "middle")
                .set(Attr::FontWeight, "600")
                .set(Attr::FontSize, "10")
                .text("coordinator"));
        for (i, l) in lines.into_iter().enumerate() {
            g = g.el(El::new("text")
                .string(Attr::X, Num(right).to_string())
                .string(Attr::Y, Num(cy + 26.0 + 12.0 * i as f64).to_string())
                .set(Attr::TextAnchor, "end")
                .set(Attr::FontSize, "9.5")
                .set(Attr::Style, HALO)
                .text(l));
        }
        g
    };
    let Some(q) = query else {
        return El::new("g")
            .set(Attr::Class, "query")
            .set(Attr::DataQuery, "none")
            .el(coordinator(vec!["no query yet".into()]))
            .html();
    };
    let slowest = q.answers.iter().max_by_key(|(_, a)| a.3).map(|(s, _)| *s);
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for less wasm.
    let mut out = El::new("g")
        .set(Attr::Class, "query")
        .string(Attr::DataQuery, q.id.to_string())
        .string(Attr::DataGathered, q.gathered.is_some().to_string());
    for &s in &q.asked {
        let Some(y) = row_y(s) else {
            continue;
        };
        let answer = answer_of(&q.answers, s);
        let is_slowest = q.single || (slowest == Some(s) && q.gathered.is_some());
        let width = if is_slowest { "2" } else { "1" };
        let label = match answer {
            Some((_, count, _, lat)) => format!("{count} · {}ms", fixed(*lat as f64 / 1_000.0, 2)),
            None => "asking…".to_string(),
        };
        out = out.el(El::new("g")
            .string(Attr::DataShard, s.to_string())
            .el(El::new("line")
                .string(Attr::X1, Num(cx - 32.0).to_string())
                .string(Attr::Y1, Num(cy).to_string())
                .string(Attr::X2, Num(p.row_end_x).to_string())
                .string(Attr::Y2, Num(y).to_string())
                .string(Attr::Stroke, shard_colour(s))
                .set(Attr::StrokeWidth, width)
                .set(
                    Attr::StrokeDasharray,
                    if answer.is_some() { "none" } else { "4 3" },
                )
                .set(Attr::Opacity, "0.8"))
            .el(El::new("text")
                .string(Attr::X, Num(p.row_end_x + 2.0).to_string())
                .string(Attr::Y, Num(y - 3.0).to_string())
                .set(Attr::FontSize, "9")
                .set(Attr::Style, HALO)
                .set(Attr::FontWeight, if is_slowest { "700" } else { "400" })
                .text(label)));
    }
    let mut text = vec![format!("query {}", q.id)];
    let rows = |n: u64| {
        if n == 1 {
            "1 row".to_string()
        } else {
            format!("{n} rows")
        }
    };
    match q.gathered {
        Some((_, total, lat)) if q.single => {
            let shard = q
                .asked
                .first()
                .map(|s| format!(" from S{s} only"))
                .unwrap_or_default();
            text.push(format!("{}{shard}", rows(total)));
            text.push(format!("total {}", ms(lat)));
        }
        Some((_, total, lat)) => {
            let slow = slowest.and_then(|s| answer_of(&q.answers, s).map(|a| (s, a.3)));
            text.push(format!("gathered {}", rows(total)));
            text.push(format!("total {}", ms(lat)));
            if let Some((s, slow)) = slow {
                text.push(format!("= slowest S{s} {}", ms(slow)));
                text.push(format!("+ merge {}", ms(lat.saturating_sub(slow))));
            }
        }
        None => text.push(format!("{}/{} answered", q.answers.len(), q.asked.len())),
    }
    let what = if q.single {
        format!("one key: {} → 1 shard", q.what)
    } else {
        format!("{} → all {} shards", q.what, q.asked.len())
    };
    out = out.el(coordinator(text)).el(El::new("text")
        .string(Attr::X, Num(cx + 32.0).to_string())
        .set(Attr::Y, "16")
        .set(Attr::TextAnchor, "end")
        .set(Attr::FontSize, "10")
        .text(format!("Last query: {what}")));
    if p.reduced_motion {
        return out.html();
    }
    // Pulses: the request out to each shard, each answer back.
    for (age, e) in p.events.iter().filter(|(age, _)| *age < PULSE_MS) {
        let t = (age / PULSE_MS).clamp(0.0, 1.0);
        let (targets, outward): (Vec<u32>, bool) = match &e.kind {
            ShardEventKind::QueryScattered { query, shards, .. } if *query == q.id => {
                (shards.iter().map(|s| s.0).collect(), true)
            }
            ShardEventKind::QueryRouted { query, shard, .. } if *query == q.id => {
                (vec![shard.0], true)
            }
            ShardEventKind::QueryShardAnswered { query, shard, .. } if *query == q.id => {
                (vec![shard.0], false)
            }
            _ => continue,
        };
        for s in targets {
            let Some(y) = row_y(s) else {
                continue;
            };
            let f = if outward { t } else { 1.0 - t };
            let x = (cx - 32.0) + (p.row_end_x - (cx - 32.0)) * f;
            let yy = cy + (y - cy) * f;
            out = out.child(shard_shape(s, x, yy, 3.5, "pulse"));
        }
    }
    out.html()
}
