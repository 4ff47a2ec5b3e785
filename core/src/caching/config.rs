//! The caching scene's config and its teaching preset.

use super::error::{check_between, check_duration, check_exponent, check_ratio};
use super::{CachingError, EvictionPolicy, KeyWorkload, L2Policy};
use crate::sim::{ArrivalProcess, SimDuration};
use serde::{Deserialize, Serialize};

/// The in-process cache.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct L1Config {
    /// Which entry goes when L1 is full.
    pub policy: EvictionPolicy,
    /// Entries, 1 ..= `limits::MAX_CACHE_CAPACITY`.
    pub capacity: u64,
    /// Time for an in-memory lookup (~1 µs).
    pub latency: SimDuration,
}

impl Default for L1Config {
    fn default() -> Self {
        L1Config {
            policy: EvictionPolicy::Lru,
            capacity: 16,
            latency: SimDuration::from_micros(1),
        }
    }
}

impl L1Config {
    /// Checks every field, naming the first out of range.
    pub fn validate(&self) -> Result<(), CachingError> {
        super::check_capacity("L1 capacity", self.capacity)?;
        check_duration("L1 latency", self.latency)?;
        Ok(())
    }
}

/// The shared remote cache (Redis's role).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct L2Config {
    /// One network round trip to the L2.
    pub round_trip: SimDuration,
    /// `maxmemory` in bytes (`None`: unbounded). Each key costs its JSON bytes + 8 + 48.
    pub memory_limit: Option<u64>,
    /// `maxmemory-samples`: keys sampled per eviction (Redis default 5).
    pub samples: u32,
    /// `maxmemory-policy`: which key goes when a write needs room.
    pub policy: L2Policy,
    /// `lfu-log-factor` (Redis default 10): how slowly `allkeys-lfu`'s counter grows.
    pub lfu_log_factor: u32,
    /// `lfu-decay-time` (Redis default 1 minute): `allkeys-lfu`'s counter loses one per whole
    /// period since the key's last access; zero never decays.
    pub lfu_decay_time: SimDuration,
}

/// Largest accepted `lfu-log-factor`: at 1 000 a counter needs about 10 million hits to
/// pass 50, far beyond any run here.
pub const MAX_LFU_LOG_FACTOR: u64 = 1_000;

/// Bytes the L2 charges per key beyond its value and 8-byte key: a stand-in for Redis's dict
/// entry, object header and string header.
pub const ENTRY_OVERHEAD_BYTES: u64 = 48;

/// Bytes the L2 charges for a key whose value's JSON is `value_bytes` long: the JSON, the
/// 8-byte key and [`ENTRY_OVERHEAD_BYTES`].
pub const fn entry_bytes(value_bytes: u64) -> u64 {
    8 + value_bytes + ENTRY_OVERHEAD_BYTES
}

/// Smallest accepted memory limit: room for one small entry.
pub const MIN_MEMORY_LIMIT: u64 = entry_bytes(200);

impl Default for L2Config {
    fn default() -> Self {
        L2Config {
            round_trip: SimDuration::from_micros(500),
            memory_limit: Some(8 * 1024),
            samples: 5,
            policy: L2Policy::AllkeysLru,
            lfu_log_factor: 10,
            lfu_decay_time: SimDuration::from_secs(60),
        }
    }
}

impl L2Config {
    /// Checks every field, naming the first out of range.
    pub fn validate(&self) -> Result<(), CachingError> {
        check_duration("L2 round trip", self.round_trip)?;
        check_between("L2 maxmemory-samples", u64::from(self.samples), 1, 64)?;
        check_between(
            "L2 lfu-log-factor",
            u64::from(self.lfu_log_factor),
            0,
            MAX_LFU_LOG_FACTOR,
        )?;
        check_duration("L2 lfu-decay-time", self.lfu_decay_time)?;
        if let Some(limit) = self.memory_limit {
            if limit < MIN_MEMORY_LIMIT {
                return Err(CachingError::MemoryLimitTooSmall {
                    value: limit,
                    min: MIN_MEMORY_LIMIT,
                });
            }
        }
        Ok(())
    }
}

/// The database behind the caches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OriginConfig {
    /// Time for one read or write at the origin.
    pub latency: SimDuration,
}

impl Default for OriginConfig {
    fn default() -> Self {
        OriginConfig {
            latency: SimDuration::from_millis(20),
        }
    }
}

/// Cache warming, as the tutorial's: bounded concurrency, a fixed fetch latency, and the
/// time to live it sets each warmed key with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WarmingConfig {
    /// Fetches in flight at once (the tutorial's semaphore of 10).
    pub concurrency: u32,
    /// Time one warming fetch takes (the tutorial's 100 ms).
    pub fetch_latency: SimDuration,
    /// How long a warmed key lives in L1 (L2 keeps it twice as long): the tutorial's
    /// `Set(key, value, time.Hour)`, longer than an ordinary set's, so warmed keys outlast
    /// the traffic they were loaded for.
    pub ttl: SimDuration,
}

impl Default for WarmingConfig {
    fn default() -> Self {
        WarmingConfig {
            concurrency: 10,
            fetch_latency: SimDuration::from_millis(100),
            ttl: SimDuration::from_secs(3_600),
        }
    }
}

impl WarmingConfig {
    /// Checks every field, naming the first out of range.
    pub fn validate(&self) -> Result<(), CachingError> {
        check_between(
            "warming concurrency",
            u64::from(self.concurrency),
            1,
            10_000,
        )?;
        check_duration("warming fetch latency", self.fetch_latency)?;
        check_duration("warming TTL", self.ttl)?;
        Ok(())
    }
}

/// How writes reach the origin and the caches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum WritePolicy {
    /// Write the origin, then invalidate both cache levels (the next read reloads).
    #[default]
    CacheAside,
    /// Write the origin and both cache levels before answering.
    WriteThrough,
    /// Write both cache levels and answer at once; the origin gets the write `delay` later.
    /// Until then the origin is stale, and a crash loses the write.
    WriteBehind {
        /// How long a write waits in the buffer before it reaches the origin.
        delay: SimDuration,
    },
}

impl WritePolicy {
    /// The kebab-case name (its serde `kind` tag), e.g. `write-behind`.
    pub fn name(self) -> &'static str {
        match self {
            WritePolicy::CacheAside => "cache-aside",
            WritePolicy::WriteThrough => "write-through",
            WritePolicy::WriteBehind { .. } => "write-behind",
        }
    }

    /// Checks the write-behind delay.
    pub fn validate(&self) -> Result<(), CachingError> {
        if let WritePolicy::WriteBehind { delay } = self {
            check_duration("write-behind delay", *delay)?;
        }
        Ok(())
    }
}

/// Most app nodes the scene runs, each with its own L1.
pub const MAX_APP_NODES: u8 = 8;

/// What tells the other app nodes' L1s about a write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Invalidation {
    /// Nothing: another node's L1 keeps its old copy until its TTL or an eviction.
    #[default]
    None,
    /// The writing node publishes the key (Redis pub/sub's role); one L2 round trip later
    /// every other node drops it from its L1.
    Broadcast,
}

impl Invalidation {
    /// The kebab-case name, e.g. `broadcast`.
    pub fn name(self) -> &'static str {
        match self {
            Invalidation::None => "none",
            Invalidation::Broadcast => "broadcast",
        }
    }
}

/// Everything the caching scene needs. [`CachingConfig::default`] is the teaching preset: an
/// L1 LRU of 16 entries in front of a memory-limited L2, Zipf(1.0) keys over 200 keys, 90 %
/// reads, seed 42.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CachingConfig {
    /// Seeds every random stream of the model (arrivals, keys, read/write mix, L2 sampling).
    pub seed: u64,
    /// The in-process cache.
    pub l1: L1Config,
    /// The shared cache.
    pub l2: L2Config,
    /// The database behind them.
    pub origin: OriginConfig,
    /// Which keys requests ask for.
    pub workload: KeyWorkload,
    /// Fraction of requests that are reads (the rest are writes), in [0, 1].
    pub read_ratio: f64,
    /// When requests arrive; `None` = only requests injected by operations (step-by-step).
    pub arrivals: Option<ArrivalProcess>,
    /// How writes reach the origin and the caches.
    pub write_policy: WritePolicy,
    /// TTL of a `set` (a write, or a fill after an origin load) in L1; the L2 gets twice this,
    /// as the tutorial's.
    pub set_ttl: SimDuration,
    /// TTL of the L1 copy made when the L2 hits (the tutorial's fixed 5 minutes — note it ignores
    /// how long the L2 entry has left).
    pub refill_ttl: SimDuration,
    /// Request coalescing (singleflight): concurrent misses on one key share one origin load.
    pub coalescing: bool,
    /// Cache warming's concurrency and fetch time.
    pub warming: WarmingConfig,
    /// The Zipf exponent a live switch to a Zipf workload uses when the current workload has
    /// none (uniform, scan, a moving hot set); from a Zipf workload, a switch keeps its exponent.
    pub switch_exponent: f64,
    /// App nodes, 1 ..= [`MAX_APP_NODES`], each with its own L1 of the configured policy and
    /// capacity in front of the one L2; request `n` goes to node `(n - 1) mod app_nodes`.
    pub app_nodes: u8,
    /// What tells the other nodes' L1s about a write (no effect with one node).
    pub invalidation: Invalidation,
}

impl Default for CachingConfig {
    fn default() -> Self {
        CachingConfig {
            seed: 42,
            l1: L1Config::default(),
            l2: L2Config::default(),
            origin: OriginConfig::default(),
            workload: KeyWorkload::Zipf {
                keys: 200,
                exponent: 1.0,
            },
            read_ratio: 0.9,
            arrivals: Some(ArrivalProcess::Poisson { rate: 200.0 }),
            write_policy: WritePolicy::CacheAside,
            set_ttl: SimDuration::from_secs(60),
            refill_ttl: SimDuration::from_secs(300),
            coalescing: false,
            warming: WarmingConfig::default(),
            switch_exponent: 1.0,
            app_nodes: 1,
            invalidation: Invalidation::None,
        }
    }
}

impl CachingConfig {
    /// Checks every field, naming the first out of range.
    pub fn validate(&self) -> Result<(), CachingError> {
        self.l1.validate()?;
        self.l2.validate()?;
        check_duration("origin latency", self.origin.latency)?;
        self.workload.validate()?;
        check_ratio("read ratio", self.read_ratio)?;
        if let Some(arrivals) = &self.arrivals {
            arrivals.validate()?;
        }
        self.write_policy.validate()?;
        check_duration("set TTL", self.set_ttl)?;
        check_duration("refill TTL", self.refill_ttl)?;
        self.warming.validate()?;
        check_exponent(self.switch_exponent)?;
        check_between(
            "app nodes",
            u64::from(self.app_nodes),
            1,
            u64::from(MAX_APP_NODES),
        )?;
        Ok(())
    }
}
