//! Upper bounds on every size a user controls.
//!
//! A URL or an imported file can ask for anything; these keep each model small enough to step
//! within a frame in the browser. Validation rejects larger values with a message naming the
//! bound, so nothing downstream has to guard against absurd sizes.

/// Servers behind one balancer (and instances an autoscaler may run).
pub const MAX_SERVERS: u64 = 256;
/// Distinct clients in a population.
pub const MAX_CLIENTS: u64 = 100_000;
/// Requests per simulated second offered by a workload.
pub const MAX_RATE_PER_SEC: f64 = 10_000_000.0;
/// Concurrency slots or queue places on one server.
pub const MAX_SERVER_SLOTS: u64 = 100_000;
/// A request's service cost, in microseconds (one hour).
pub const MAX_COST_MICROS: f64 = 3_600_000_000.0;
/// Any configured period or duration, in microseconds (one simulated week).
pub const MAX_DURATION_MICROS: u64 = 7 * 24 * 3_600 * 1_000_000;
/// Shards in a cluster.
pub const MAX_SHARDS: u64 = 1_024;
/// Virtual nodes per shard on a hash ring.
pub const MAX_VIRTUAL_NODES: u64 = 1_000;
/// Entries a cache level may hold.
pub const MAX_CACHE_CAPACITY: u64 = 1_000_000;
/// Distinct keys a workload draws from.
pub const MAX_KEYS: u64 = 1_000_000;
/// Strategies raced side by side.
pub const MAX_RACE_LANES: u64 = 16;
