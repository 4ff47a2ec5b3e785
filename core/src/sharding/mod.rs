//! # Sharding
//!
//! Splitting a key space across shards, and what it costs to change the split.
//!
//! - [`ShardManager`] is the seed guide's manager (add shards, write, read, per-shard key
//!   counts) with a pluggable [`Router`]: the guide's **modulo-md5** (which the guide calls
//!   "consistent hashing" but is plain modulo), a consistent-hash **ring** with virtual nodes,
//!   **jump** consistent hash and **rendezvous** (highest random weight).
//! - [`movement`] / [`compare_routers`] count exactly which keys move when a shard is added or
//!   removed, for every router on the same key set.
//! - Rebalancing keeps every key readable in the default [`MigrationMode::Directory`]: a key
//!   that lives away from its hashed home is found through a directory updated as each key
//!   moves (CockroachDB/TiKV-style). [`MigrationMode::Naive`] is the guide's version: keys move
//!   while reads still hash to the old place, and the unreadable keys are counted.
//! - Scatter-gather queries ([`Filter`], [`QueryCost`]) show the cost of fan-out next to a
//!   single-shard query routed by key.
//! - [`ShardingModel`] puts it all on a discrete-event clock: a read/write stream while shards
//!   come and go and batches of keys migrate, built from a [`ShardingConfig`], driven by
//!   [`ShardingAction`]s and reporting [`ShardingEvent`]s.

mod action;
mod config;
mod events;
mod hash;
mod jump;
mod manager;
mod migration;
mod model;
mod modulo;
mod movement;
mod query;
mod rebalance;
mod rendezvous;
mod ring;
mod router;
mod shard;

pub use action::ShardingAction;
pub use config::{key_name, KeyPopularity, ShardingConfig};
pub use events::{RebalanceReason, ShardEventKind, ShardingEvent};
pub use hash::{fmix64, jump_hash, key_hash, md5_u128, stable_hash64};
pub use jump::JumpRouter;
pub use manager::{
    BatchReport, MigrationFinished, MigrationMode, ReadOutcome, ShardChange, ShardLoad,
    ShardManager, WriteReceipt, MAX_KEY_BYTES, MAX_VALUE_BYTES,
};
pub use model::{ShardStats, ShardingModel};
pub use modulo::ModuloRouter;
pub use movement::{
    compare_routers, movement, resize_movement, KeyMove, Movement, PairCount, ResizeMovement,
    RouterComparison, RouterMoves, MAX_TABLE_KEYS,
};
pub use query::{Filter, Gathered, LastQuery, QueryCost, QueryOutcome, QueryRow, ShardAnswer};
pub use rebalance::{plan_rebalance, RebalancePolicy, Transfer, MAX_BATCH_SIZE};
pub use rendezvous::RendezvousRouter;
pub use ring::RingRouter;
pub use router::{Router, RouterKind};
pub use shard::{Shard, ShardId, Versioned, MAX_SHARD_WEIGHT};

use crate::num_text::Num;
use thiserror::Error;

/// Everything that can go wrong configuring or operating a sharded store, each with the field
/// at fault and what is accepted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ShardingError {
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
    #[error("a sharded store needs at least one shard, but `{field}` is 0")]
    NoShards { field: &'static str },
    #[error("at most {max} shards are allowed, but {requested} were asked for")]
    TooManyShards { requested: u64, max: u64 },
    #[error("a hash ring needs at least one virtual node per shard, but `virtual_nodes` is 0")]
    NoVirtualNodes,
    #[error(
        "at most {max} virtual nodes per shard are allowed, but `virtual_nodes` is {requested}"
    )]
    TooManyVirtualNodes { requested: u64, max: u64 },
    #[error("there is no shard with id {shard} (shard-{shard})")]
    UnknownShard { shard: u32 },
    #[error("shard-{shard} is already in the router")]
    DuplicateShard { shard: u32 },
    #[error("shard-{shard} is the last shard: the data would have nowhere to go")]
    LastShard { shard: u32 },
    #[error("shard-{shard} is already being removed; its keys are still migrating")]
    ShardDraining { shard: u32 },
    #[error(
        "the Zipf exponent must be a finite number above 0 (1.0 is typical), but it is {}",
        Num(*.value)
    )]
    BadZipfExponent { value: f64 },
    #[error("`keys` must be at least 1, but it is 0")]
    NoKeys,
    #[error("at most {max} distinct keys are allowed, but {requested} were asked for")]
    TooManyKeys { requested: u64, max: u64 },
    #[error("a shard weight must be a finite number above 0 and at most {}, but it is {}", Num(*.max), Num(*.value))]
    BadWeight { value: f64, max: f64 },
    #[error("keys must not be empty")]
    EmptyKey,
    #[error("a key may be at most {max} bytes long, but this one is {len}")]
    KeyTooLong { len: u64, max: u64 },
    #[error("a value may be at most {max} bytes long, but this one is {len}")]
    ValueTooLong { len: u64, max: u64 },
    #[error(
        "a rebalance can only start when no keys are moving; {pending} keys are still migrating"
    )]
    MigrationInProgress { pending: u64 },
    #[error(
        "rebalance thresholds need low_percent < 100 < high_percent (the guide uses 80 and 120), \
         but they are low {low} and high {high}"
    )]
    BadThresholds { low: u32, high: u32 },
    #[error("`batch_size` must be between 1 and {max}, but it is {value}")]
    BadBatchSize { value: u32, max: u32 },
    #[error("the query filter is not usable: {reason}")]
    BadFilter { reason: String },
    #[error("every shard id up to {max} has been used; build a new store")]
    ShardIdsExhausted { max: u32 },
}
