//! What the sharding scene reports, one discrete event at a time, with a one-line English
//! narration for screen readers.

use super::ShardId;
use crate::sim::SimTime;
use serde::{Deserialize, Serialize};

/// Why keys started moving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RebalanceReason {
    /// Keys whose route now points at the new shard follow it.
    ShardAdded { shard: ShardId },
    /// The removed shard's keys go to their new owners.
    ShardRemoved { shard: ShardId },
    /// The guide's threshold rebalance (above 120 % / below 80 % of the average).
    LoadImbalance,
}

/// An event and when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardingEvent {
    pub at: SimTime,
    pub kind: ShardEventKind,
}

/// Everything that can happen in the sharding scene.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ShardEventKind {
    /// A client wrote `key`; it was stored on `shard` as `version`.
    Write {
        key: String,
        shard: ShardId,
        version: u64,
    },
    /// A client read `key` from `shard` and got its latest value.
    Read {
        key: String,
        shard: ShardId,
        value: String,
        version: u64,
    },
    /// A read of a key nobody has written yet.
    ReadMiss {
        key: String,
        shard: ShardId,
    },
    /// A read of a key that *was* written, but `expected_shard` (where the read looked) does
    /// not have it: the naive migration lost track of it.
    Unreadable {
        key: String,
        expected_shard: ShardId,
    },
    /// A read that found an older version than the last write (a lost update).
    StaleRead {
        key: String,
        shard: ShardId,
        version: u64,
        latest_version: u64,
    },
    /// One key moved during a migration batch.
    KeyMoved {
        key: String,
        from: ShardId,
        to: ShardId,
    },
    /// One migration step finished; `rebalance` marks a load-rebalance batch.
    BatchMoved {
        count: u64,
        from: ShardId,
        to: ShardId,
        rebalance: bool,
    },
    ShardAdded {
        shard: ShardId,
        keys_to_move: u64,
    },
    /// The shard left the router; its keys will migrate before it retires.
    ShardRemoved {
        shard: ShardId,
        keys_to_move: u64,
    },
    /// A removed shard has handed over its last key and is gone.
    ShardRetired {
        shard: ShardId,
    },
    RebalanceStarted {
        reason: RebalanceReason,
        keys_to_move: u64,
    },
    /// The store is at rest again; `unreadable` and `stale` count written keys a read now
    /// cannot find / finds only in an older version (zero in directory mode).
    RebalanceFinished {
        moved: u64,
        unreadable: u64,
        stale: u64,
    },
    /// A filter query was sent to every shard.
    QueryScattered {
        query: u64,
        filter: String,
        shards: Vec<ShardId>,
    },
    /// A key query was routed to one shard.
    QueryRouted {
        query: u64,
        key: String,
        shard: ShardId,
    },
    QueryShardAnswered {
        query: u64,
        shard: ShardId,
        count: u64,
        scanned: u64,
        latency_micros: u64,
    },
    /// The coordinator merged the answers: `latency_micros` is the slowest shard plus merge.
    QueryGathered {
        query: u64,
        total: u64,
        shards: u64,
        latency_micros: u64,
    },
}

impl ShardEventKind {
    /// One English sentence.
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
        }
    }
}

impl ShardingEvent {
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
