//! Latency percentiles over *weighted* samples.
//!
//! A tick-based model knows "2 300 requests were served with latencies spread between 20 ms and
//! 1.4 s" rather than 2 300 separate requests. `sim::LatencyHistogram` records one sample per
//! call with `u32` buckets, so feeding it a count would cost one call per request and overflow on
//! long busy runs. This is the same log-linear layout (16 sub-buckets per power of two, within
//! 1/16 of the true value) with a `record_n` and `u64` counts; it reports `sim::Percentiles`.
//! (A `record_n` on the kernel histogram would make this helper unnecessary.)

use crate::sim::Percentiles;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

const SUB_BITS: u32 = 4;
const SUB: u64 = 1 << SUB_BITS;
const BUCKETS: usize = (SUB as usize) * (41 - SUB_BITS as usize + 1);

fn bucket_of(v: u64) -> usize {
    if v < SUB {
        return v as usize;
    }
    let exp = 63 - v.leading_zeros();
    let sub = (v >> (exp - SUB_BITS)) & (SUB - 1);
    let idx = ((exp - SUB_BITS + 1) as u64 * SUB + sub) as usize;
    idx.min(BUCKETS - 1)
}

fn bucket_floor(i: usize) -> u64 {
    let i = i as u64;
    if i < SUB {
        return i;
    }
    let exp = i / SUB - 1 + u64::from(SUB_BITS);
    let sub = i % SUB;
    (1u64 << exp) | (sub << (exp - u64::from(SUB_BITS)))
}

/// A cumulative log-linear latency histogram with weighted recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedHistogram {
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

impl Default for WeightedHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl WeightedHistogram {
    pub fn new() -> Self {
        WeightedHistogram {
            counts: vec![0; BUCKETS],
            total: 0,
            max: 0,
        }
    }

    /// Records `n` requests that each took `micros`.
    pub fn record_n(&mut self, micros: u64, n: u64) {
        if n == 0 {
            return;
        }
        if let Some(c) = self.counts.get_mut(bucket_of(micros)) {
            *c = c.saturating_add(n);
        }
        self.total = self.total.saturating_add(n);
        self.max = self.max.max(micros);
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    /// The value at quantile `q` in [0, 1] (0 when empty), nearest rank.
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

/// Exact nearest-rank percentiles of `(latency µs, count)` samples.
pub fn weighted_percentiles(samples: &[(u64, u64)]) -> Percentiles {
    let mut v: Vec<(u64, u64)> = samples.iter().copied().filter(|s| s.1 > 0).collect();
    v.sort_unstable();
    let total = v.iter().fold(0u64, |a, s| a.saturating_add(s.1));
    let at = |q: f64| -> u64 {
        if total == 0 {
            return 0;
        }
        let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
        let mut seen = 0u64;
        for &(lat, n) in &v {
            seen = seen.saturating_add(n);
            if seen >= rank {
                return lat;
            }
        }
        v.last().map_or(0, |s| s.0)
    };
    Percentiles {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        max: v.last().map_or(0, |s| s.0),
        count: total,
    }
}

/// The weighted samples of the last `ticks` ticks, for "live" percentiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RecentWindow {
    ticks: VecDeque<Vec<(u64, u64)>>,
    capacity: u32,
}

impl RecentWindow {
    pub(crate) fn new(capacity: u32) -> Self {
        RecentWindow {
            ticks: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub(crate) fn push(&mut self, samples: Vec<(u64, u64)>) {
        if self.ticks.len() as u32 >= self.capacity {
            self.ticks.pop_front();
        }
        self.ticks.push_back(samples);
    }

    pub(crate) fn percentiles(&self) -> Percentiles {
        let all: Vec<(u64, u64)> = self.ticks.iter().flatten().copied().collect();
        weighted_percentiles(&all)
    }
}

/// Merges samples with equal latency (instances of one fleet usually agree), sorted.
pub(crate) fn merge_samples(samples: &mut Vec<(u64, u64)>) {
    samples.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(samples.len());
    for &(lat, n) in samples.iter() {
        match merged.last_mut() {
            Some(last) if last.0 == lat => last.1 = last.1.saturating_add(n),
            _ => merged.push((lat, n)),
        }
    }
    *samples = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_recording_matches_single_recording() {
        let mut w = WeightedHistogram::new();
        let mut k = crate::sim::LatencyHistogram::new();
        for (v, n) in [(1_000u64, 90u64), (5_000, 9), (80_000, 1)] {
            w.record_n(v, n);
            for _ in 0..n {
                k.record(v);
            }
        }
        assert_eq!(w.percentiles(), k.percentiles());
        // Bucket floors: within 1/16 below the recorded value.
        let p = w.percentiles();
        assert!((938..=1_000).contains(&p.p50), "{p:?}");
        assert!((4_688..=5_000).contains(&p.p95), "{p:?}");
        assert_eq!(p.max, 80_000);
    }

    #[test]
    fn exact_weighted_percentiles() {
        let p = weighted_percentiles(&[(30, 5), (10, 90), (20, 5)]);
        assert_eq!((p.p50, p.p95, p.p99, p.max, p.count), (10, 20, 30, 30, 100));
        assert_eq!(weighted_percentiles(&[]).p95, 0);
    }

    #[test]
    fn window_forgets_old_ticks() {
        let mut w = RecentWindow::new(2);
        w.push(vec![(1_000_000, 100)]);
        w.push(vec![(10, 1)]);
        w.push(vec![(20, 1)]);
        assert_eq!(w.percentiles().max, 20);
    }

    #[test]
    fn merge_adds_equal_latencies() {
        let mut s = vec![(5, 1), (3, 2), (5, 4)];
        merge_samples(&mut s);
        assert_eq!(s, vec![(3, 2), (5, 5)]);
    }
}
