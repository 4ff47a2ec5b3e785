//! What the caching model reports: its counters and statistics, and what an operation did.

use crate::caching::{CacheStats, EvictionPolicy, Key, L2Stats, OriginStats};
use crate::sim::{Percentiles, SimDuration};
use serde::{Deserialize, Serialize};

/// Request-level counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCounts {
    /// Requests that arrived (generated or injected).
    pub arrived: u64,
    /// Requests answered.
    pub completed: u64,
    /// Reads that arrived.
    pub reads: u64,
    /// Writes that arrived.
    pub writes: u64,
    /// Requests L1 answered.
    pub served_by_l1: u64,
    /// Requests L2 answered (write-behind writes among them).
    pub served_by_l2: u64,
    /// Requests the origin answered.
    pub served_by_origin: u64,
    /// Misses that waited on a load already in flight.
    pub coalesced: u64,
    /// Requests arrived and not yet answered.
    pub in_flight: u64,
}

/// Write-behind counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteBehindCounts {
    /// Writes waiting in the buffer now.
    pub buffered: u64,
    /// Buffered writes that reached the origin.
    pub flushed: u64,
    /// Writes dropped by crashes.
    pub lost: u64,
}

/// Everything the scene's dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachingStats {
    /// L1's counters (restarted when its policy or size changes).
    pub l1: CacheStats,
    /// L2's counters and memory use.
    pub l2: L2Stats,
    /// The origin's counters.
    pub origin: OriginStats,
    /// Request counters.
    pub requests: RequestCounts,
    /// Write-behind counters.
    pub write_behind: WriteBehindCounts,
    /// Read latency percentiles, in µs.
    pub read_latency: Percentiles,
    /// Mean read latency, in µs.
    pub mean_read_latency_us: f64,
}

/// What a warm-up will do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarmingPlan {
    /// Keys to load: those asked for, less duplicates and keys already cached.
    pub to_load: u64,
    /// Keys skipped.
    pub skipped: u64,
    /// ⌈to_load / concurrency⌉ × fetch latency.
    pub expected_duration: SimDuration,
}

/// What a policy switch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySwitch {
    /// The policy before.
    pub from: EvictionPolicy,
    /// The policy now.
    pub to: EvictionPolicy,
    /// Entries carried over.
    pub kept: u64,
    /// Entries dropped.
    pub dropped: u64,
}

/// What a write-behind crash lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrashReport {
    /// Keys whose latest write never reached the origin, ascending.
    pub lost_keys: Vec<Key>,
}
