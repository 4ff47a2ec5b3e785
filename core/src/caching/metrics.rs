//! The caching model's metric series: what the page charts and an export writes, one row per
//! step shown.

use super::CachingModel;
use crate::model::Metrics;

impl CachingModel {
    /// Column of [`Metrics::metrics`]: L1's hit rate over the last
    /// [`HIT_WINDOW`](super::HIT_WINDOW) lookups.
    pub const COL_L1_HIT_RATE: usize = 0;
    /// Column: L2's hit rate over its last lookups.
    pub const COL_L2_HIT_RATE: usize = 1;
    /// Column: the share of the last reads a cache answered.
    pub const COL_OVERALL_HIT_RATE: usize = 2;
    /// Column: origin loads so far.
    pub const COL_ORIGIN_LOADS: usize = 3;
    /// Column: capacity evictions so far, L1 + L2.
    pub const COL_EVICTIONS_CAPACITY: usize = 4;
    /// Column: expiries so far, L1 + L2.
    pub const COL_EVICTIONS_EXPIRED: usize = 5;
    /// Column: explicit removals (deletes, clears, invalidations) so far, L1 + L2.
    pub const COL_EVICTIONS_EXPLICIT: usize = 6;
    /// Column: entries in L1 now.
    pub const COL_L1_LEN: usize = 7;
    /// Column: bytes the L2 uses now.
    pub const COL_L2_BYTES: usize = 8;
    /// Column: misses that waited on a load in flight so far.
    pub const COL_COALESCED_WAITS: usize = 9;
    /// Column: L1's lifetime hit rate (restarted when its policy or size changes).
    pub const COL_L1_HIT_RATE_TOTAL: usize = 10;
    /// Column: L2's lifetime hit rate.
    pub const COL_L2_HIT_RATE_TOTAL: usize = 11;
}

impl Metrics for CachingModel {
    const METRIC_NAMES: &'static [&'static str] = &[
        "l1_hit_rate",
        "l2_hit_rate",
        "overall_hit_rate",
        "origin_loads",
        "evictions_capacity",
        "evictions_expired",
        "evictions_explicit",
        "l1_len",
        "l2_bytes",
        "coalesced_waits",
        "l1_hit_rate_total",
        "l2_hit_rate_total",
    ];

    /// The windowed hit rates are `NaN` before their first lookup; every other column always
    /// has a value.
    fn metrics(&self) -> Vec<f64> {
        let cache = self.cache();
        let l1 = cache.l1_stats();
        let l2 = cache.l2_stats();
        let l2_cache = l2.cache;
        let rate = |r: Option<f64>| r.unwrap_or(f64::NAN);
        vec![
            rate(self.recent_l1_hit_rate()),
            rate(self.recent_l2_hit_rate()),
            rate(self.recent_hit_rate()),
            cache.origin_stats().loads as f64,
            (l1.evictions.capacity + l2_cache.evictions.capacity) as f64,
            (l1.evictions.expired + l2_cache.evictions.expired) as f64,
            (l1.evictions.explicit + l2_cache.evictions.explicit) as f64,
            l1.len as f64,
            l2.used_bytes as f64,
            self.coalesced_waits() as f64,
            l1.hit_rate,
            l2_cache.hit_rate,
        ]
    }
}
