//! One request pipeline end to end, for benchmarking the same workload natively and in wasm32:
//! a load balancer in front, a multi-level cache (L1 → L2 → origin) behind it, and a sharded
//! store behind the cache.
//!
//! [`run`] is pure and deterministic: the same `(requests, seed)` gives the same
//! [`PipelineSummary`] (counts and a digest) on every platform, so a timing taken natively and
//! one taken in the browser measure exactly the same work.

#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a benchmark workload on fixed presets (checked by its tests): no input reaches it"
)]

use crate::balancing::{Balancer, BalancerConfig, BalancerEvent};
use crate::caching::{CachingConfig, L1Config, L2Config, Level, MultiLevelCache};
use crate::sharding::{fmix64, Router, RouterKind};
use crate::sim::Digest;
use crate::Model;
use std::collections::HashMap;

/// Shards behind the cache (a ring with 100 virtual nodes each).
pub const SHARDS: u32 = 16;
/// L1 entries.
pub const L1_CAPACITY: u64 = 1_024;
/// L2 memory limit, bytes: room for a few thousand entries, so the L2 hits and also evicts.
pub const L2_MEMORY: u64 = 256 * 1024;
/// Distinct keys a client reads (keys are `client × KEYS_PER_CLIENT + k`).
pub const KEYS_PER_CLIENT: u64 = 64;

/// What a pipeline run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineSummary {
    /// Requests that ended at the balancer (completed, dropped or failed).
    pub finished: u64,
    /// Requests completed by a backend, each then read through the cache and routed.
    pub completed: u64,
    /// Balancer events processed.
    pub events: u64,
    /// Completed requests whose key the L1 cache served.
    pub l1_hits: u64,
    /// Completed requests whose key missed L1 and the L2 served.
    pub l2_hits: u64,
    /// Completed requests whose key missed both levels and was loaded from the origin.
    pub origin_loads: u64,
    /// Completed requests per shard, by shard id.
    pub per_shard: Vec<u64>,
    /// FNV-1a over (key, level, shard, latency) of every completed request.
    pub digest: u64,
}

/// Drives a [`Balancer`] (the default preset with `seed`) until `requests` requests have
/// finished. Each completed request reads its client's key through a [`MultiLevelCache`] at
/// the completion's simulated time and routes the key through a consistent-hash [`Router`].
pub fn run(requests: u64, seed: u64) -> PipelineSummary {
    let mut sim = Balancer::new(BalancerConfig {
        seed,
        ..BalancerConfig::default()
    })
    .expect("the default balancer preset is valid");
    let mut cache = MultiLevelCache::new(&CachingConfig {
        seed,
        l1: L1Config {
            capacity: L1_CAPACITY,
            ..L1Config::default()
        },
        l2: L2Config {
            memory_limit: Some(L2_MEMORY),
            ..L2Config::default()
        },
        ..CachingConfig::default()
    })
    .expect("the cache preset is valid");
    let router = Router::with_shards(RouterKind::Ring { virtual_nodes: 100 }, SHARDS)
        .expect("the router preset is valid");

    let mut summary = PipelineSummary {
        finished: 0,
        completed: 0,
        events: 0,
        l1_hits: 0,
        l2_hits: 0,
        origin_loads: 0,
        per_shard: vec![0; SHARDS as usize],
        digest: 0,
    };
    let mut digest = Digest::new();
    // Requests in flight → their client (only the arrival names the client).
    let mut in_flight: HashMap<u64, u32> = HashMap::new();
    let mut events = Vec::new();
    let mut cache_events = Vec::new();
    let mut name = KeyText::default();
    while sim.totals().finished() < requests {
        events.clear();
        sim.step_into(&mut events);
        summary.events += events.len() as u64;
        for event in &events {
            match event {
                BalancerEvent::RequestArrived {
                    request, client, ..
                } => {
                    in_flight.insert(*request, *client);
                }
                BalancerEvent::Dropped { request, .. } | BalancerEvent::Failed { request, .. } => {
                    in_flight.remove(request);
                }
                BalancerEvent::Completed { at, request, .. } => {
                    let client = in_flight.remove(request).unwrap_or(0);
                    let key = u64::from(client) * KEYS_PER_CLIENT
                        + fmix64(*request ^ seed) % KEYS_PER_CLIENT;
                    cache_events.clear();
                    let read = cache.get(key, *at, &mut cache_events);
                    match read.served_by {
                        Level::L1 => summary.l1_hits += 1,
                        Level::L2 => summary.l2_hits += 1,
                        Level::Origin => summary.origin_loads += 1,
                    }
                    let shard = router.route(name.of(key)).map_or(u32::MAX, |s| s.0);
                    if let Some(n) = summary.per_shard.get_mut(shard as usize) {
                        *n += 1;
                    }
                    summary.completed += 1;
                    digest.update_bytes(&key.to_le_bytes());
                    digest.update_bytes(&[read.served_by as u8]);
                    digest.update_bytes(&shard.to_le_bytes());
                    digest.update_bytes(&read.latency.0.to_le_bytes());
                }
                _ => {}
            }
        }
    }
    summary.finished = sim.totals().finished();
    summary.digest = digest.value();
    summary
}

/// A key's decimal text in a reused buffer (the router hashes key text), without allocating.
#[derive(Default)]
struct KeyText {
    buf: [u8; 20],
}

impl KeyText {
    fn of(&mut self, mut key: u64) -> &str {
        let mut i = self.buf.len();
        loop {
            i -= 1;
            self.buf[i] = b'0' + (key % 10) as u8;
            key /= 10;
            if key == 0 {
                break;
            }
        }
        // Only ASCII digits were written.
        std::str::from_utf8(&self.buf[i..]).unwrap_or("0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_every_level_is_used() {
        let a = run(20_000, 42);
        let b = run(20_000, 42);
        assert_eq!(a, b);
        assert!(a.finished >= 20_000);
        assert!(a.completed > 0 && a.completed <= a.finished);
        assert_eq!(a.l1_hits + a.l2_hits + a.origin_loads, a.completed);
        assert!(
            a.l1_hits > 0 && a.l2_hits > 0 && a.origin_loads > 0,
            "{a:?}"
        );
        assert_eq!(a.per_shard.iter().sum::<u64>(), a.completed);
        assert!(a.per_shard.iter().all(|&n| n > 0), "{a:?}");
        assert_ne!(run(20_000, 7).digest, a.digest);
    }

    #[test]
    fn key_text_is_decimal() {
        let mut t = KeyText::default();
        assert_eq!(t.of(0), "0");
        assert_eq!(t.of(1_234_567), "1234567");
        assert_eq!(t.of(u64::MAX), u64::MAX.to_string());
    }
}
