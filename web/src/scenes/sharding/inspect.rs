//! The sharding scene's inspector: the model's latest decision in full (the ring's hash and
//! vnodes, jump hash's jumps, every rendezvous score, |MD5 as an int| mod n, or each shard's load against
//! the rebalance thresholds) and the selected shard's or key's state. Every figure is a readout
//! of the core's decisions; this only lays them out.

use crate::components::inspector::{DecisionTable, FactList, Inspection};
use scalelab_core::num_text::Fixed;
use scalelab_core::sharding::{
    guide_int, key_name, LoadVerdict, RouteDecision, RouteOp, RouteTrace, ShardId,
    ShardingDecision, ShardingModel, VnodeName,
};
use std::fmt::Display;

/// What a student can select in the drawings: a shard row or bin, or a sampled key (by rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Shard(u32),
    Key(u64),
}

impl Focus {
    /// The `data-focusable` value the drawings give the item: `s3`, `k42`.
    pub fn code(self) -> String {
        match self {
            Focus::Shard(id) => format!("s{id}"),
            Focus::Key(rank) => format!("k{rank}"),
        }
    }

    /// [`Focus::code`] read back.
    pub fn parse(code: &str) -> Option<Focus> {
        let (kind, n) = code.split_at_checked(1)?;
        match kind {
            "s" => n.parse().ok().map(Focus::Shard),
            "k" => n.parse().ok().map(Focus::Key),
            _ => None,
        }
    }
}

pub fn inspect(sim: &ShardingModel, focus: Option<Focus>) -> Inspection {
    Inspection {
        decision: sim.last_decision().map(decision_table),
        focus: focus.and_then(|f| match f {
            Focus::Shard(id) => shard_facts(sim, ShardId(id)),
            Focus::Key(rank) => Some(key_facts(sim, rank)),
        }),
        selectable: "a shard or a key",
    }
}

/// A hash or ring position by its top 24 bits, "0x0aa42c…": enough to see the key's hash
/// fall between the two vnodes (the why sentence gives 16 bits), and narrow enough for the
/// side panel's table.
fn hex(v: u64) -> String {
    format!("0x{:06x}…", v >> 40)
}

/// One table row, each cell as its `Display` writes it (one shared function for every row).
fn row(chosen: bool, cells: &[&dyn Display]) -> (bool, Vec<String>) {
    (chosen, cells.iter().map(|c| c.to_string()).collect())
}

fn decision_table(d: ShardingDecision<'_>) -> DecisionTable {
    let mut t = DecisionTable {
        why: d.to_string(),
        ..DecisionTable::default()
    };
    match d {
        ShardingDecision::Route(r) => {
            let what = match r.op {
                RouteOp::Read => "Read of",
                RouteOp::Write => "Write of",
                RouteOp::Query { .. } => "Query for",
            };
            t.caption = format!("{what} {}, at {}", r.key, r.at);
            route_rows(&mut t, r);
        }
        ShardingDecision::FanOut(f) => t.caption = format!("Query {}, at {}", f.query, f.at),
        ShardingDecision::Rebalance(r) => {
            t.caption = format!("Rebalance, at {}", r.at);
            t.columns = vec!["shard", "keys", "% of average", "verdict"];
            for v in &r.loads {
                let verdict = match v.load {
                    LoadVerdict::Above => "gives",
                    LoadVerdict::Below => "takes",
                    LoadVerdict::Within => "stays",
                };
                let percent = Fixed(r.percent_of_average(v.keys), 0);
                let moves = v.load != LoadVerdict::Within;
                t.rows
                    .push(row(moves, &[&v.shard, &v.keys, &percent, &verdict]));
            }
        }
    }
    t
}

/// The router's inputs and steps as table rows: MD5 mod n, the ring's vnodes round the key's
/// hash, each jump, or every rendezvous score.
fn route_rows(t: &mut DecisionTable, r: &RouteDecision) {
    match &r.trace {
        RouteTrace::Modulo {
            hash,
            shards,
            slot,
            shard,
        } => {
            // The guide's Go `int` is the digest's low 64 bits, signed; |h| mod n is the slot.
            t.columns = vec![
                "MD5(key)",
                "h: low 64 bits, signed",
                "|h| mod n",
                "slot",
                "shard",
            ];
            let md5 = format!("0x{:016x}{:016x}", (hash >> 64) as u64, *hash as u64);
            let h = guide_int(*hash);
            t.rows.push(row(true, &[&md5, &h, shards, slot, shard]));
        }
        RouteTrace::Ring {
            hash,
            vnode,
            before,
            wrapped,
        } => {
            t.columns = vec!["point", "what", "position"];
            t.rows = vec![
                row(
                    false,
                    &[&"vnode before", &VnodeName(*before), &hex(before.position)],
                ),
                row(false, &[&"key", &r.key, &hex(*hash)]),
                row(
                    true,
                    &[
                        &"first vnode ≥ key",
                        &VnodeName(*vnode),
                        &hex(vnode.position),
                    ],
                ),
            ];
            if *wrapped {
                t.formula = Some("past the last vnode: wraps to the first".into());
            }
        }
        RouteTrace::Jump { buckets, jumps, .. } => {
            t.columns = vec!["jump", "from bucket", "to"];
            for (i, j) in jumps.iter().enumerate() {
                let last = j.to >= u64::from(*buckets);
                t.rows.push(row(last, &[&(i + 1), &j.from, &j.to]));
            }
        }
        RouteTrace::Rendezvous {
            weighted, scores, ..
        } => {
            t.columns = vec!["shard", "score", "weight"];
            let winner = r.trace.shard();
            for s in scores {
                let score = Fixed(if *weighted { s.weighted } else { s.fraction() }, 4);
                let weight = Fixed(s.weight, 1);
                t.rows
                    .push(row(Some(s.shard) == winner, &[&s.shard, &score, &weight]));
            }
            t.formula = Some(
                if *weighted {
                    "score = −weight / ln(hash(key, shard) as a fraction)"
                } else {
                    "score = hash(key, shard) as a fraction of 2^64"
                }
                .into(),
            );
        }
    }
}

fn shard_facts(sim: &ShardingModel, id: ShardId) -> Option<FactList> {
    let s = sim.manager().shard(id)?;
    let average = sim.average_live_keys().max(1.0);
    let percent = Fixed(s.key_count() as f64 * 100.0 / average, 0);
    Some(FactList {
        title: id.to_string(),
        facts: vec![
            ("keys", s.key_count().to_string()),
            ("load", format!("{percent} % of the average")),
            (
                "state",
                if s.draining {
                    "removed, handing its keys over"
                } else {
                    "live: takes new keys"
                }
                .into(),
            ),
        ],
    })
}

fn key_facts(sim: &ShardingModel, rank: u64) -> FactList {
    let key = key_name(rank);
    let m = sim.manager();
    let name = |s: Option<ShardId>| s.map_or("none".to_string(), |s| s.to_string());
    let route = m.router().trace(&key).map(|t| t.why(&key).to_string());
    let version = m.read(&key).latest_version;
    FactList {
        facts: vec![
            ("hash and owner", route.unwrap_or_default()),
            ("reads go to", name(m.locate(&key))),
            ("held by", name(m.holder(&key))),
            (
                "version",
                version.map_or("never written".to_string(), |v| v.to_string()),
            ),
        ],
        title: key,
    }
}
