//! Caching: an L1 in-memory cache with pluggable eviction, an L2 in Redis's role, an origin,
//! and a discrete-event model of the multi-level read and write paths.
//!
//! Where the well-known caching tutorial goes wrong, its behaviour is kept as a named variant:
//! its "LRU" is
//! [`EvictionPolicy::FifoNaive`] (evicts the oldest *created* entry); the reference LRU evicts
//! the least recently *accessed*.
//!
//! - [`Cache`]: the tutorial's interface (get / set with TTL / delete / clear / stats);
//! - [`L1Cache`] over [`EvictionPolicy`]: [`LruCache`], [`FifoNaiveCache`], [`LfuCache`],
//!   [`TtlCache`], [`WTinyLfuCache`];
//! - [`L2Store`]: serialized values, per-key TTL, memory limit with Redis-style sampled eviction
//!   under a [`L2Policy`] (`allkeys-lru`, `allkeys-lfu`, `volatile-ttl`, `noeviction`);
//! - [`Origin`]: the database behind the caches;
//! - [`MultiLevelCache`]: L1 → L2 → origin, refills and write-both, as the tutorial's;
//! - [`CachingModel`]: the [`crate::Model`] over all of it — workloads, write policies, warming,
//!   coalescing, crashes — with the page's readouts (windowed hit rates, warm-up progress,
//!   a stampede's cost, lost writes) and its [`crate::Metrics`]; with several app nodes
//!   (`app_nodes`), each has its own L1 in front of the one L2, a write on one leaves the
//!   others' copies stale, and an [`Invalidation`] broadcast drops them one L2 round trip later;
//! - [`CachingRace`]: the scene's model — one [`CachingModel`] per L1 policy, all fed the same
//!   key trace, with a [`RaceLane`] row per lane for the race board;
//! - [`CachingAction`]: its operations as data, for the timeline's replay log;
//! - [`Eviction`] and [`ReadPath`]: why, as data — the L1 policy's order when it chose a
//!   victim (with W-TinyLFU's admission [`Duel`]) and the levels a read went through — each
//!   with its one-line "why" (`Display`), read from [`CachingModel::last_eviction`] and
//!   [`CachingModel::last_read`].

mod action;
mod cache;
mod config;
mod error;
mod events;
mod eviction;
mod index;
mod keys;
mod l1;
mod l2;
mod l2_policy;
mod lru;
mod metrics;
mod model;
mod origin;
mod policy;
mod race;
mod rank_heap;
mod ranked;
mod readout;
mod sketch;
mod slab;
mod tiered;
mod tinylfu;
mod warming;
mod why;

pub use action::{CachingAction, MAX_L1_RESIZE};
pub use cache::{
    Cache, CacheEffect, CacheStats, Discard, EffectSink, EntryView, EvictionCounts, EvictionReason,
    Key, KeyName, Region,
};
pub use config::{
    CachingConfig, Invalidation, L1Config, L2Config, OriginConfig, WarmingConfig, WritePolicy,
    ENTRY_OVERHEAD_BYTES, MAX_APP_NODES, MAX_LFU_LOG_FACTOR, MIN_MEMORY_LIMIT,
};
pub(crate) use error::check_capacity;
pub use error::CachingError;
pub use events::{CachingEvent, Level, Op, PromotionKind};
pub use eviction::EvictionPolicy;
pub use keys::{KeyGenerator, KeyWorkload, WorkloadKind};
pub use l1::L1Cache;
pub use l2::{L2Stats, L2Store, StoredJson, EVICTION_POOL_SIZE};
pub use l2_policy::{lfu_decayed, lfu_log_incr, L2Policy, LFU_INIT_VAL, OOM_ERROR};
pub use lru::{FifoNaiveCache, ListCache, LruCache};
pub use model::{
    CachingModel, CachingStats, CrashReport, PolicySwitch, RequestCounts, WarmingPlan,
    WriteBehindCounts,
};
pub use origin::{Origin, OriginStats, Value, SHORTEST_VALUE_JSON_BYTES};
pub use policy::L1Policy;
pub(crate) use race::concat;
pub use race::{CachingRace, CachingRaceConfig, RaceLane, MAX_RACE_LANES};
pub use ranked::{ByExpiry, ByFrequency, LfuCache, RankedCache, Ranking, TtlCache};
pub use readout::{LostWrite, StampedeCost, WarmingProgress, HIT_WINDOW};
pub use sketch::FrequencySketch;
pub use tiered::{MultiLevelCache, ReadOutcome};
pub use tinylfu::{RegionSizes, WTinyLfuCache};
pub use warming::warming_duration;
pub use why::{
    Duel, Eviction, L2Candidate, L2Eviction, L2Standing, OrderEntry, ReadPath, ReadRoute,
    RecordingSink, Standing, ORDER_LIMIT,
};
