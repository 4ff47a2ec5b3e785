//! Latency percentiles over *weighted* samples.
//!
//! A tick-based model knows "2 300 requests were served with latencies spread between 20 ms and
//! 1.4 s" rather than 2 300 separate requests. Cumulative percentiles use the kernel's
//! `LatencyHistogram::record_n`; this file keeps the exact per-tick and recent-window ones.

use crate::heapsort::heapsort;
use crate::sim::Percentiles;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Exact nearest-rank percentiles of `(latency µs, count)` samples.
pub fn weighted_percentiles(samples: &[(u64, u64)]) -> Percentiles {
    let mut v: Vec<(u64, u64)> = samples.iter().copied().filter(|s| s.1 > 0).collect();
    // The crate's small heapsort rather than `sort_unstable` (wasm size; see `heapsort`).
    heapsort(&mut v);
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
    heapsort(samples);
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
