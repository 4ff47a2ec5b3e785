//! # Sharding
//!
//! Splitting a key space across shards, and what it costs to change the split.
//!
//! - [`ShardManager`] is the well-known tutorial's manager (add shards, write, read, per-shard key
//!   counts) with a pluggable [`Router`]: the tutorial's **modulo-md5** (which the tutorial calls
//!   "consistent hashing" but is plain modulo), a consistent-hash **ring** with virtual nodes,
//!   **jump** consistent hash and **rendezvous** (highest random weight).
//! - [`movement`] / [`compare_routers`] count exactly which keys move when a shard is added or
//!   removed, for every router on the same key set.
//! - Rebalancing keeps every key readable in the default [`MigrationMode::Directory`]: a key
//!   that lives away from its hashed home is found through a directory updated as each key
//!   moves (CockroachDB/TiKV-style). [`MigrationMode::Naive`] is the tutorial's version: keys move
//!   while reads still hash to the old place, and the unreadable keys are counted.
//! - Scatter-gather queries ([`Filter`], [`QueryCost`]) show the cost of fan-out next to a
//!   single-shard query routed by key; cross-shard aggregates ([`Aggregate`]: COUNT, SUM,
//!   top-k) merge each shard's [`Partial`] at the coordinator.
//! - A shard can be made slow or failed ([`ShardFault`]): a scatter-gather then waits for the
//!   slow shard, or returns a partial answer that names the failed one; its keys stay on it.
//! - Every route can say why: [`RouteTrace`] holds a router's inputs and steps (the hash and
//!   the vnode for a ring, the jumps, every rendezvous score, `hash % n` for modulo) and
//!   [`RouteDecision`] adds where the key lives while keys migrate; [`FanOutDecision`] and
//!   [`RebalanceDecision`] explain a scatter-gather and a load rebalance.
//! - [`ShardingModel`] puts it all on a discrete-event clock: a read/write stream while shards
//!   come and go and batches of keys migrate, built from a [`ShardingConfig`], driven by
//!   [`ShardingAction`]s and reporting [`ShardingEvent`]s.

mod action;
mod aggregate;
mod config;
mod decision;
mod events;
mod fault;
mod hash;
mod jump;
mod manager;
mod migration;
mod model;
mod modulo;
mod movement;
mod query;
mod rebalance;
mod rebalance_decision;
mod rendezvous;
mod ring;
mod route_trace;
mod router;
mod shard;

pub use action::ShardingAction;
pub use aggregate::{
    record_score, Aggregate, AggregateAnswer, AggregateOutcome, Partial, Ranked, MAX_TOP_K,
};
pub use config::{key_name, KeyPopularity, ShardingConfig};
pub use decision::{FanOutDecision, Placement, RouteDecision, RouteOp, ShardingDecision};
pub use events::{RebalanceReason, ShardEventKind, ShardingEvent};
pub use fault::{ShardFault, MAX_SLOW_FACTOR};
pub use hash::{fmix64, guide_int, jump_hash, key_hash, md5_u128, stable_hash64};
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
pub use rebalance_decision::{LoadVerdict, RebalanceDecision, ShardVerdict};
pub use rendezvous::RendezvousRouter;
pub use ring::RingRouter;
pub use route_trace::{
    JumpStep, RendezvousScore, RouteTrace, ShortHex, TraceWhy, Vnode, VnodeName,
};
pub use router::{Router, RouterKind};
pub use shard::{Shard, ShardId, Versioned, MAX_SHARD_WEIGHT};

use crate::num_text::Num;
use thiserror::Error;

/// Everything that can go wrong configuring or operating a sharded store, each with the field
/// at fault and what is accepted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ShardingError {
    /// A shared simulation bound (a rate, a count, a duration) is out of range.
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
    /// A store or a router was asked for zero shards.
    #[error("a sharded store needs at least one shard, but `{field}` is 0")]
    NoShards {
        /// The setting that is 0.
        field: &'static str,
    },
    /// More shards than allowed (the store's 1 024, or the config's live-shard cap).
    #[error("at most {max} shards are allowed, but {requested} were asked for")]
    TooManyShards {
        /// Shards there would be.
        requested: u64,
        /// The limit.
        max: u64,
    },
    /// A ring with no points for a shard could route nothing to it.
    #[error("a hash ring needs at least one virtual node per shard, but `virtual_nodes` is 0")]
    NoVirtualNodes,
    /// More ring points per shard than allowed.
    #[error(
        "at most {max} virtual nodes per shard are allowed, but `virtual_nodes` is {requested}"
    )]
    TooManyVirtualNodes {
        /// The points asked for.
        requested: u64,
        /// The limit.
        max: u64,
    },
    /// No live or draining shard has this id.
    #[error("there is no shard with id {shard} (shard-{shard})")]
    UnknownShard {
        /// The id asked for.
        shard: u32,
    },
    /// A router already holds this shard.
    #[error("shard-{shard} is already in the router")]
    DuplicateShard {
        /// The shard's id.
        shard: u32,
    },
    /// Removing the only shard would leave the keys nowhere to live.
    #[error("shard-{shard} is the last shard: the data would have nowhere to go")]
    LastShard {
        /// The shard's id.
        shard: u32,
    },
    /// The shard was already removed and still hands its keys over.
    #[error("shard-{shard} is already being removed; its keys are still migrating")]
    ShardDraining {
        /// The shard's id.
        shard: u32,
    },
    /// A Zipf popularity needs a finite exponent above 0.
    #[error(
        "the Zipf exponent must be a finite number above 0 (1.0 is typical), but it is {}",
        Num(*.value)
    )]
    BadZipfExponent {
        /// The exponent given.
        value: f64,
    },
    /// The key space is empty.
    #[error("`keys` must be at least 1, but it is 0")]
    NoKeys,
    /// More distinct keys than a store holds.
    #[error("at most {max} distinct keys are allowed, but {requested} were asked for")]
    TooManyKeys {
        /// Distinct keys there would be.
        requested: u64,
        /// The limit.
        max: u64,
    },
    /// A rendezvous weight that is not a finite number in `(0, max]`.
    #[error("a shard weight must be a finite number above 0 and at most {}, but it is {}", Num(*.max), Num(*.value))]
    BadWeight {
        /// The weight given.
        value: f64,
        /// The largest weight accepted.
        max: f64,
    },
    /// An empty key.
    #[error("keys must not be empty")]
    EmptyKey,
    /// A key longer than [`MAX_KEY_BYTES`].
    #[error("a key may be at most {max} bytes long, but this one is {len}")]
    KeyTooLong {
        /// The key's length in bytes.
        len: u64,
        /// The limit.
        max: u64,
    },
    /// A value longer than [`MAX_VALUE_BYTES`].
    #[error("a value may be at most {max} bytes long, but this one is {len}")]
    ValueTooLong {
        /// The value's length in bytes.
        len: u64,
        /// The limit.
        max: u64,
    },
    /// A load rebalance, or failing a shard, needs a store at rest: it waits for keys in flight.
    #[error(
        "this needs a store at rest (a rebalance, or failing a shard), but {pending} keys are \
         still migrating"
    )]
    MigrationInProgress {
        /// Keys still to move.
        pending: u64,
    },
    /// Rebalance thresholds that do not bracket the average.
    #[error(
        "rebalance thresholds need low_percent < 100 < high_percent (the guide uses 80 and 120), \
         but they are low {low} and high {high}"
    )]
    BadThresholds {
        /// The lower threshold, in percent of the average.
        low: u32,
        /// The upper threshold, in percent of the average.
        high: u32,
    },
    /// A migration batch size out of range.
    #[error("`batch_size` must be between 1 and {max}, but it is {value}")]
    BadBatchSize {
        /// The size given.
        value: u32,
        /// The largest size accepted ([`MAX_BATCH_SIZE`]).
        max: u32,
    },
    /// A query filter that cannot match as written.
    #[error("the query filter is not usable: {reason}")]
    BadFilter {
        /// What is wrong with it.
        reason: String,
    },
    /// A slow-down factor out of range.
    #[error("a slow-down factor must be 2 to {max}, but it is {value}")]
    BadSlowFactor {
        /// The factor given.
        value: u32,
        /// The largest factor accepted ([`MAX_SLOW_FACTOR`]).
        max: u32,
    },
    /// The shard that holds the key, or that keys would move from or to, is down.
    #[error("shard-{shard} is down: its keys are safe on it, but out of reach until it is healed")]
    ShardDown {
        /// The shard that is down.
        shard: u32,
    },
    /// Shard ids are never reused, and every id has been handed out.
    #[error("every shard id up to {max} has been used; build a new store")]
    ShardIdsExhausted {
        /// The last id.
        max: u32,
    },
}
