//! Latency statistics: percentiles are measured from simulated requests, not computed from a
//! formula.
//!
//! [`LatencyHistogram`] is cumulative and log-linear, with 16 sub-buckets per power of two, so
//! any reported percentile is within 1/16 ≈ 6 % of the true value; it is fixed-size, cheap to
//! clone for rewind snapshots, and takes weighted samples for tick-based models.
//! [`RecentLatencies`] keeps the last N samples exactly, for "live" percentiles that react to
//! a change within seconds.

use serde::{Deserialize, Serialize};

const SUB_BITS: u32 = 4;
const SUB: u64 = 1 << SUB_BITS;
/// Values below `SUB` get exact buckets; above, each power of two up to 2^40 µs (≈ 12 days)
/// gets `SUB` buckets. Larger values share the last bucket.
const BUCKETS: usize = (SUB as usize) * (41 - SUB_BITS as usize + 1);

#[inline]
fn bucket_of(v: u64) -> usize {
    if v < SUB {
        return v as usize;
    }
    let exp = 63 - v.leading_zeros(); // ≥ SUB_BITS
    let sub = (v >> (exp - SUB_BITS)) & (SUB - 1);
    let idx = ((exp - SUB_BITS + 1) as u64 * SUB + sub) as usize;
    idx.min(BUCKETS - 1)
}

/// The smallest value that falls in bucket `i` (what a percentile reports).
fn bucket_floor(i: usize) -> u64 {
    let i = i as u64;
    if i < SUB {
        return i;
    }
    let exp = i / SUB - 1 + u64::from(SUB_BITS);
    let sub = i % SUB;
    (1u64 << exp) | (sub << (exp - u64::from(SUB_BITS)))
}

/// Percentiles a scene shows, in microseconds; all zero when there are no samples.
///
/// From a [`LatencyHistogram`] a percentile is its bucket's lower edge (at most 1/16 below the
/// true value); from [`RecentLatencies`] it is exact (nearest rank).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Percentiles {
    /// The median latency, microseconds.
    pub p50: u64,
    /// The 95th percentile latency, microseconds.
    pub p95: u64,
    /// The 99th percentile latency, microseconds.
    pub p99: u64,
    /// The largest latency, microseconds (exact in both sources).
    pub max: u64,
    /// The number of samples the percentiles are taken over.
    pub count: u64,
}

/// Every latency recorded since the start, in microseconds, counted in log-linear buckets
/// (see the module docs): constant size however long the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyHistogram {
    counts: Vec<u64>,
    total: u64,
    sum: u64,
    max: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencyHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        LatencyHistogram {
            counts: vec![0; BUCKETS],
            total: 0,
            sum: 0,
            max: 0,
        }
    }

    /// Records one request that took `micros` microseconds. (Written out rather than as
    /// `record_n(micros, 1)` and inlined: a system answer records six of these.)
    #[inline]
    pub fn record(&mut self, micros: u64) {
        if let Some(c) = self.counts.get_mut(bucket_of(micros)) {
            *c = c.saturating_add(1);
        }
        self.total = self.total.saturating_add(1);
        self.sum = self.sum.saturating_add(micros);
        self.max = self.max.max(micros);
    }

    /// Records `n` requests that each took `micros`: what a tick-based model knows ("2 300
    /// requests were served in about 20 ms") without one call per request.
    pub fn record_n(&mut self, micros: u64, n: u64) {
        if n == 0 {
            return;
        }
        if let Some(c) = self.counts.get_mut(bucket_of(micros)) {
            *c = c.saturating_add(n);
        }
        self.total = self.total.saturating_add(n);
        self.sum = self.sum.saturating_add(micros.saturating_mul(n));
        self.max = self.max.max(micros);
    }

    /// Requests recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The mean latency in microseconds, from the sum of the samples rather than the buckets;
    /// 0 when empty.
    pub fn mean(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.sum as f64 / self.total as f64
        }
    }

    /// The latency at quantile `q` in [0, 1], microseconds: the lower edge of the bucket that
    /// holds it, never above the maximum (0 when empty).
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            seen = seen.saturating_add(c);
            if seen >= rank {
                return bucket_floor(i).min(self.max);
            }
        }
        self.max
    }

    /// Requests per latency band: band 0 is below `edges[0]` µs, band `i` from `edges[i-1]`
    /// up to `edges[i]`, the last band `edges[last]` and above (`edges.len() + 1` counts;
    /// `edges` ascending). A request counts in the band of its bucket's lower edge, so a
    /// request within 1/16 above an edge may count in the band below it.
    pub fn band_counts(&self, edges: &[u64]) -> Vec<u64> {
        let mut bands = vec![0u64; edges.len() + 1];
        for (i, &c) in self.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let floor = bucket_floor(i);
            let band = edges.partition_point(|&e| e <= floor);
            if let Some(b) = bands.get_mut(band) {
                *b = b.saturating_add(c);
            }
        }
        bands
    }

    /// The median, 95th and 99th percentiles, the maximum and the count.
    pub fn percentiles(&self) -> Percentiles {
        Percentiles {
            p50: self.quantile(0.50),
            p95: self.quantile(0.95),
            p99: self.quantile(0.99),
            max: self.max,
            count: self.total,
        }
    }
}

/// The last `capacity` latencies, exactly.
///
/// A ring over a buffer that grows to `capacity` and then stays: recording (once per completed
/// request) overwrites the oldest sample in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentLatencies {
    /// Oldest first until full; after that, `next` is the oldest.
    samples: Vec<u64>,
    /// Where the next sample goes once the buffer is full.
    next: u32,
    capacity: u32,
}

impl RecentLatencies {
    /// An empty window of the last `capacity` latencies (at least 1).
    pub fn new(capacity: u32) -> Self {
        RecentLatencies {
            samples: Vec::with_capacity(capacity as usize),
            next: 0,
            capacity: capacity.max(1),
        }
    }

    /// Records a latency in microseconds, replacing the oldest once the window is full.
    pub fn record(&mut self, micros: u64) {
        if (self.samples.len() as u32) < self.capacity {
            self.samples.push(micros);
            return;
        }
        if let Some(slot) = self.samples.get_mut(self.next as usize) {
            *slot = micros;
        }
        self.next += 1;
        if self.next >= self.capacity {
            self.next = 0;
        }
    }

    /// Samples held (at most the capacity).
    pub fn len(&self) -> u32 {
        self.samples.len() as u32
    }

    /// True before the first sample.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The exact mean over the window in microseconds; 0 when empty.
    pub fn mean(&self) -> f64 {
        if self.samples.is_empty() {
            0.0
        } else {
            self.samples.iter().sum::<u64>() as f64 / self.samples.len() as f64
        }
    }

    /// Exact nearest-rank percentiles over the window.
    ///
    /// Each rank is selected, not sorted for (`select_nth`, linear on average): the metrics
    /// are sampled thousands of times a second while fast-forwarding, and a full sort of the
    /// 1 000-sample window was 3 % of that time in the browser.
    pub fn percentiles(&self) -> Percentiles {
        let mut v: Vec<u64> = self.samples.clone();
        let n = v.len();
        if n == 0 {
            return Percentiles {
                p50: 0,
                p95: 0,
                p99: 0,
                max: 0,
                count: 0,
            };
        }
        let rank = |q: f64| ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
        // Ranks in increasing order, each selected within the part above the previous one.
        let mut at = |r: usize, from: usize| -> u64 {
            match v.get_mut(from..) {
                Some(rest) if r >= from => select_nth(rest, r - from).unwrap_or(0),
                _ => 0,
            }
        };
        let (r50, r95, r99) = (rank(0.50), rank(0.95), rank(0.99));
        let p50 = at(r50, 0);
        let p95 = at(r95, r50);
        let p99 = at(r99, r95);
        let max = at(n - 1, r99);
        Percentiles {
            p50,
            p95,
            p99,
            max,
            count: n as u64,
        }
    }
}

/// The `k`-th smallest of `values` (0-based), leaving every smaller value before position `k`
/// and every larger one after it, as `select_nth_unstable` does; `None` when `k` is past the
/// end. Quickselect with a median-of-three pivot and a three-way partition (so a window of
/// equal latencies, as a fixed request cost gives, takes one pass). Written out rather than
/// `select_nth_unstable`, whose median-of-medians fallback and partitions are ~2 KB of wasm
/// per page; both are linear on average and the value selected is the same.
pub(crate) fn select_nth(values: &mut [u64], k: usize) -> Option<u64> {
    let (mut lo, mut hi) = (0, values.len());
    if k >= hi {
        return None;
    }
    while hi - lo > 1 {
        let (a, b, c) = (
            *values.get(lo)?,
            *values.get(lo + (hi - lo) / 2)?,
            *values.get(hi - 1)?,
        );
        let pivot = a.max(b).min(a.min(b).max(c));
        // [lo, lt) < pivot, [lt, i) == pivot, [gt, hi) > pivot.
        let (mut lt, mut i, mut gt) = (lo, lo, hi);
        while i < gt {
            let x = *values.get(i)?;
            if x < pivot {
                values.swap(lt, i);
                lt += 1;
                i += 1;
            } else if x > pivot {
                gt -= 1;
                values.swap(i, gt);
            } else {
                i += 1;
            }
        }
        if k < lt {
            hi = lt;
        } else if k >= gt {
            lo = gt;
        } else {
            return Some(pivot);
        }
    }
    values.get(k).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The same value as a sort, and the same split around it.
        #[test]
        fn select_nth_agrees_with_a_sort(
            mut v in proptest::collection::vec(0u64..50, 1..300),
            k in 0usize..300,
        ) {
            let mut sorted = v.clone();
            sorted.sort_unstable();
            let got = select_nth(&mut v, k);
            proptest::prop_assert_eq!(got, sorted.get(k).copied());
            if let Some(x) = got {
                proptest::prop_assert!(v[..k].iter().all(|&y| y <= x));
                proptest::prop_assert!(v[k + 1..].iter().all(|&y| y >= x));
            }
        }
    }

    #[test]
    fn buckets_are_monotone_and_floors_round_trip() {
        let mut last = 0;
        for v in 0..100_000u64 {
            let b = bucket_of(v);
            assert!(b >= last);
            last = b;
            assert!(bucket_floor(b) <= v);
        }
        for i in 0..BUCKETS - 1 {
            assert_eq!(bucket_of(bucket_floor(i)), i);
        }
    }

    #[test]
    fn bands_count_every_request_once_by_its_bucket() {
        let mut h = LatencyHistogram::new();
        // 999 µs is below the 1 ms edge; 1 000 µs's bucket starts at 992, so it is too;
        // 1 024 µs starts its own bucket, above the edge.
        for (us, n) in [
            (0, 3),
            (999, 1),
            (1_000, 1),
            (1_024, 2),
            (4_999, 4),
            (3_000_000, 5),
        ] {
            h.record_n(us, n);
        }
        assert_eq!(h.band_counts(&[1_000, 2_000, 5_000]), vec![5, 2, 4, 5]);
        assert_eq!(h.band_counts(&[]), vec![16]);
        assert_eq!(LatencyHistogram::new().band_counts(&[1, 2]), vec![0, 0, 0]);
    }

    #[test]
    fn histogram_percentiles_are_within_a_sixteenth() {
        let mut h = LatencyHistogram::new();
        for v in 1..=10_000u64 {
            h.record(v);
        }
        let p = h.percentiles();
        for (got, want) in [(p.p50, 5_000.0), (p.p95, 9_500.0), (p.p99, 9_900.0)] {
            let err = (got as f64 - want).abs() / want;
            assert!(err <= 1.0 / 16.0, "got {got}, want ≈{want}");
        }
        assert_eq!(p.max, 10_000);
        assert_eq!(p.count, 10_000);
    }

    #[test]
    fn weighted_recording_matches_single_recording() {
        let mut w = LatencyHistogram::new();
        let mut k = LatencyHistogram::new();
        for (v, n) in [(1_000u64, 90u64), (5_000, 9), (80_000, 1)] {
            w.record_n(v, n);
            for _ in 0..n {
                k.record(v);
            }
        }
        assert_eq!(w, k);
        let p = w.percentiles();
        assert!((938..=1_000).contains(&p.p50), "{p:?}");
        assert!((4_688..=5_000).contains(&p.p95), "{p:?}");
        assert_eq!(p.max, 80_000);
    }

    #[test]
    fn recent_window_is_exact_and_bounded() {
        let mut r = RecentLatencies::new(100);
        for v in 1..=1_000u64 {
            r.record(v);
        }
        assert_eq!(r.len(), 100);
        let p = r.percentiles();
        assert_eq!(p.p50, 950);
        assert_eq!(p.p99, 999);
        assert_eq!(p.max, 1_000);
    }

    proptest::proptest! {
        /// Selecting each rank gives what sorting the window would (nearest rank).
        #[test]
        fn selected_percentiles_match_sorting(
            samples in proptest::collection::vec(0u64..5_000, 0..300),
            window in 1u32..200,
        ) {
            let mut r = RecentLatencies::new(window);
            for v in &samples {
                r.record(*v);
            }
            let mut v = r.samples.clone();
            v.sort_unstable();
            let at = |q: f64| {
                if v.is_empty() {
                    return 0;
                }
                let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
                v[rank - 1]
            };
            let p = r.percentiles();
            proptest::prop_assert_eq!(
                (p.p50, p.p95, p.p99, p.max, p.count),
                (at(0.5), at(0.95), at(0.99), v.last().copied().unwrap_or(0), v.len() as u64)
            );
        }
    }
}
