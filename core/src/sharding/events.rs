//! What the sharding scene reports, one discrete event at a time, with a one-line English
//! narration for screen readers.

use super::{Aggregate, Partial, ShardId};
use crate::sim::SimTime;
use serde::{Deserialize, Serialize};

/// Why keys started moving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RebalanceReason {
    /// Keys whose route now points at the new shard follow it.
    ShardAdded {
        /// The new shard.
        shard: ShardId,
    },
    /// The removed shard's keys go to their new owners.
    ShardRemoved {
        /// The removed shard.
        shard: ShardId,
    },
    /// The threshold rebalance (above 120 % / below 80 % of the average).
    LoadImbalance,
}

/// An event and when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardingEvent {
    /// The simulated time it happened.
    pub at: SimTime,
    /// What happened.
    pub kind: ShardEventKind,
}

/// Everything that can happen in the sharding scene.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ShardEventKind {
    /// A client wrote `key`; it was stored on `shard` as `version`.
    Write {
        /// The key written.
        key: String,
        /// Where it was stored.
        shard: ShardId,
        /// The version the store gave it.
        version: u64,
    },
    /// A client read `key` from `shard` and got its latest value.
    Read {
        /// The key read.
        key: String,
        /// Where the read looked.
        shard: ShardId,
        /// The value found.
        value: String,
        /// Its version, the latest.
        version: u64,
    },
    /// A read of a key nobody has written yet.
    ReadMiss {
        /// The key read.
        key: String,
        /// Where the read looked.
        shard: ShardId,
    },
    /// A read of a key that *was* written, but `expected_shard` (where the read looked) does
    /// not have it: the naive migration lost track of it.
    Unreadable {
        /// The key read.
        key: String,
        /// Where the read looked.
        expected_shard: ShardId,
    },
    /// A read that found an older version than the last write (a lost update).
    StaleRead {
        /// The key read.
        key: String,
        /// Where the read looked.
        shard: ShardId,
        /// The version found.
        version: u64,
        /// The version last written.
        latest_version: u64,
    },
    /// One key moved during a migration batch.
    KeyMoved {
        /// The key moved.
        key: String,
        /// The shard it left.
        from: ShardId,
        /// The shard it went to.
        to: ShardId,
    },
    /// One migration step finished; `rebalance` marks a load-rebalance batch.
    BatchMoved {
        /// Keys moved in the batch.
        count: u64,
        /// The shard they left.
        from: ShardId,
        /// The shard they went to.
        to: ShardId,
        /// A load-rebalance batch, rather than keys following a router change.
        rebalance: bool,
    },
    /// A shard joined the router; keys whose route now points at it will move.
    ShardAdded {
        /// The new shard.
        shard: ShardId,
        /// Keys queued to move (every key in flight, after re-planning).
        keys_to_move: u64,
    },
    /// The shard left the router; its keys will migrate before it retires.
    ShardRemoved {
        /// The removed shard.
        shard: ShardId,
        /// Keys queued to move (every key in flight, after re-planning).
        keys_to_move: u64,
    },
    /// A removed shard has handed over its last key and is gone.
    ShardRetired {
        /// The retired shard.
        shard: ShardId,
    },
    /// Keys started moving, for `reason`.
    RebalanceStarted {
        /// Why they move.
        reason: RebalanceReason,
        /// Keys to move.
        keys_to_move: u64,
    },
    /// The store is at rest again; `unreadable` and `stale` count written keys a read now
    /// cannot find / finds only in an older version (zero in directory mode).
    RebalanceFinished {
        /// Keys moved since the store was last at rest.
        moved: u64,
        /// Written keys a read cannot find.
        unreadable: u64,
        /// Written keys a read finds only in an older version.
        stale: u64,
    },
    /// A filter query was sent to every shard.
    QueryScattered {
        /// The query's number.
        query: u64,
        /// The filter, in words.
        filter: String,
        /// The shards asked, in id order.
        shards: Vec<ShardId>,
    },
    /// A key query was routed to one shard.
    QueryRouted {
        /// The query's number.
        query: u64,
        /// The key asked for.
        key: String,
        /// The shard that owns it.
        shard: ShardId,
    },
    /// One shard's answer to a query arrived at the coordinator.
    QueryShardAnswered {
        /// The query's number.
        query: u64,
        /// The shard answering.
        shard: ShardId,
        /// Records that matched on this shard.
        count: u64,
        /// Keys the shard looked at.
        scanned: u64,
        /// From sending the query to this answer.
        latency_micros: u64,
    },
    /// The coordinator merged the answers: `latency_micros` is the slowest shard plus merge.
    QueryGathered {
        /// The query's number.
        query: u64,
        /// Records returned, one per key.
        total: u64,
        /// Shards that answered.
        shards: u64,
        /// From sending the query to the merged answer.
        latency_micros: u64,
    },
    /// A shard that is down refused its part of a cross-shard query.
    QueryShardFailed {
        /// The query's number.
        query: u64,
        /// The shard that is down.
        shard: ShardId,
    },
    /// A client read or write failed because the shard holding the key is down.
    ShardUnavailable {
        /// The key.
        key: String,
        /// The shard that is down.
        shard: ShardId,
        /// A write (else a read).
        write: bool,
    },
    /// An aggregate was sent to every shard.
    AggregateScattered {
        /// The query's number.
        query: u64,
        /// What it computes.
        aggregate: Aggregate,
        /// The shards asked, in id order.
        shards: Vec<ShardId>,
    },
    /// One shard's partial answer to an aggregate arrived at the coordinator.
    AggregateShardAnswered {
        /// The query's number.
        query: u64,
        /// The shard answering.
        shard: ShardId,
        /// Its partial over the records it holds.
        partial: Partial,
        /// From sending the query to this answer.
        latency_micros: u64,
    },
    /// The coordinator merged the partials: `latency_micros` is the slowest shard plus merge.
    AggregateGathered {
        /// The query's number.
        query: u64,
        /// What was computed.
        aggregate: Aggregate,
        /// The merged answer, over the shards that answered.
        result: Partial,
        /// Shards that answered.
        shards: u64,
        /// Shards that were down, whose share is unknown: the result is then partial.
        missing: Vec<ShardId>,
        /// From sending the query to the merged answer.
        latency_micros: u64,
    },
}

impl ShardEventKind {
    /// One English sentence.
    // Inlined into its one caller in the page, which narrates only some kinds: the sentences
    // of the others then drop out of the page's wasm (about 2 KB).
    #[inline(always)]
    pub fn narrate(&self) -> String {
        use ShardEventKind::*;
        match self {
            Write {
                key,
                shard,
                version,
            } => format!("Wrote {key} to {shard} (version {version})."),
            Read {
                key,
                shard,
                value,
                version,
            } => format!("Read {key} from {shard}: \"{value}\" (version {version}, the latest)."),
            ReadMiss { key, shard } => {
                format!("Read {key} from {shard}: not found, it was never written.")
            }
            Unreadable {
                key,
                expected_shard,
            } => format!(
                "Read {key} from {expected_shard}: not found, although it was written — \
                 the key moved and reads no longer find it."
            ),
            StaleRead {
                key,
                shard,
                version,
                latest_version,
            } => format!(
                "Read {key} from {shard}: got version {version}, but version {latest_version} \
                 was written later — an update was lost."
            ),
            KeyMoved { key, from, to } => format!("Moved {key} from {from} to {to}."),
            BatchMoved {
                count,
                from,
                to,
                rebalance,
            } => {
                let what = if *rebalance {
                    "rebalancing load"
                } else {
                    "following the router"
                };
                format!("Moved a batch of {count} keys from {from} to {to}, {what}.")
            }
            ShardAdded {
                shard,
                keys_to_move,
            } => format!("Added {shard}; {keys_to_move} keys must move."),
            ShardRemoved {
                shard,
                keys_to_move,
            } => format!("Removed {shard} from the router; {keys_to_move} keys must move."),
            ShardRetired { shard } => format!("{shard} handed over its last key and is gone."),
            RebalanceStarted {
                reason,
                keys_to_move,
            } => {
                let why = match reason {
                    RebalanceReason::ShardAdded { shard } => format!("{shard} was added"),
                    RebalanceReason::ShardRemoved { shard } => format!("{shard} was removed"),
                    RebalanceReason::LoadImbalance => {
                        "shards are above 120 % or below 80 % of the average".to_string()
                    }
                };
                format!("Rebalancing started because {why}: {keys_to_move} keys to move.")
            }
            RebalanceFinished {
                moved,
                unreadable,
                stale,
            } => format!(
                "Rebalancing finished: {moved} keys moved, {unreadable} keys unreadable, \
                 {stale} keys with a lost update."
            ),
            QueryScattered {
                query,
                filter,
                shards,
            } => format!(
                "Query {query} ({filter}) sent to all {} shards.",
                shards.len()
            ),
            QueryRouted { query, key, shard } => {
                format!("Query {query} for {key} routed to {shard} only.")
            }
            QueryShardAnswered {
                query,
                shard,
                count,
                scanned,
                latency_micros,
            } => format!(
                "{shard} answered query {query}: {count} matches after scanning {scanned} keys, \
                 {latency_micros} µs."
            ),
            QueryGathered {
                query,
                total,
                shards,
                latency_micros,
            } => format!(
                "Query {query} gathered {total} results from {shards} shards in \
                 {latency_micros} µs (the slowest shard plus the merge)."
            ),
            AggregateScattered {
                query,
                aggregate,
                shards,
            } => format!(
                "Query {query} ({aggregate}) sent to all {} shards.",
                shards.len()
            ),
            AggregateShardAnswered {
                query,
                shard,
                partial,
                latency_micros,
            } => format!(
                "{shard} answered query {query} with its partial over {} records, {latency_micros} µs.",
                partial.count
            ),
            AggregateGathered {
                query,
                aggregate,
                result,
                shards,
                missing,
                latency_micros,
            } => {
                let figure = match aggregate {
                    Aggregate::TopK { .. } => result.ranking(),
                    _ => result.figure(aggregate),
                };
                let mut line = format!(
                    "Query {query}: {aggregate} = {figure} from {shards} shards in \
                     {latency_micros} µs (the slowest shard plus the merge)."
                );
                for shard in missing {
                    line.push_str(&format!(
                        " PARTIAL: {shard} is down, so its share is unknown."
                    ));
                }
                line
            }
            QueryShardFailed { query, shard } => format!(
                "{shard} is down and refused query {query}: its part of the answer is missing."
            ),
            ShardUnavailable { key, shard, write } => format!(
                "The {} of {key} failed: {shard} is down (the key is safe on it and comes back \
                 when the fault is cleared).",
                if *write { "write" } else { "read" }
            ),
        }
    }
}

impl ShardingEvent {
    /// One English sentence with the simulated time: `At 1.500s: Read user:7 …`.
    pub fn narrate(&self) -> String {
        format!("At {}: {}", self.at, self.kind.narrate())
    }
}

impl core::fmt::Display for ShardingEvent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.narrate())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narration_and_serde_tags() {
        let e = ShardingEvent {
            at: SimTime::from_millis(1_500),
            kind: ShardEventKind::Unreadable {
                key: "user:7".into(),
                expected_shard: ShardId(2),
            },
        };
        assert_eq!(
            e.to_string(),
            "At 1.500s: Read user:7 from shard-2: not found, although it was written — \
             the key moved and reads no longer find it."
        );
        let json = serde_json::to_string(&e.kind).unwrap();
        assert!(json.starts_with(r#"{"type":"unreadable""#), "{json}");
        let started = ShardEventKind::RebalanceStarted {
            reason: RebalanceReason::ShardAdded { shard: ShardId(4) },
            keys_to_move: 12,
        };
        assert_eq!(
            started.narrate(),
            "Rebalancing started because shard-4 was added: 12 keys to move."
        );
    }
}
