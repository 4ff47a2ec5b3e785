//! The well-known caching tutorial's multi-level cache: L1 (in-process) → L2 (shared, Redis's
//! role) → origin.
//!
//! Reads try L1, then L2, then load from the origin. An L2 hit is copied into L1 with the
//! tutorial's fixed refill TTL (5 minutes); a `set` writes L1 with its TTL and L2 with twice it;
//! delete and clear act on both levels. The discrete-event [`super::CachingModel`] drives the same
//! steps one event at a time; this type runs them back to back, for tests and simple use.

use super::events::LevelSink;
use super::why::{Eviction, L2Eviction, Recorder};
use super::{
    Cache, CacheStats, CachingConfig, CachingError, CachingEvent, Key, L1Cache, L1Policy, L2Stats,
    L2Store, Level, Origin, OriginStats, PromotionKind, Value,
};
use crate::sim::{SimDuration, SimRng, SimTime};
use serde::{Deserialize, Serialize};

/// RNG stream for the L2's eviction sampling.
pub(crate) const STREAM_L2_SAMPLING: u64 = 4;

/// What a read through all levels returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOutcome {
    /// The value read.
    pub value: Value,
    /// The level that had it.
    pub served_by: Level,
    /// L1 time, plus an L2 round trip on an L1 miss, plus the origin's latency on an L2 miss.
    pub latency: SimDuration,
}

/// L1 → L2 → origin as one cache, as the tutorial's multi-level cache: a read tries each
/// level in turn and fills the levels above, a write goes to the origin and both levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiLevelCache {
    /// App-1's L1: the only one by default.
    pub(crate) l1: L1Cache<Value>,
    /// The L1s of app-2 onwards, each of the same policy and capacity as app-1's.
    #[serde(default)]
    pub(crate) peers: Vec<L1Cache<Value>>,
    pub(crate) l2: L2Store<Value>,
    pub(crate) origin: Origin,
    l1_latency: SimDuration,
    set_ttl: SimDuration,
    refill_ttl: SimDuration,
    /// The L1's last eviction by its policy, recorded while the model steps with events.
    #[serde(skip)]
    pub(crate) why: Recorder,
}

impl MultiLevelCache {
    /// The three levels for `config` (its L1, L2, origin and TTLs; the rest is the model's).
    pub fn new(config: &CachingConfig) -> Result<Self, CachingError> {
        config.l1.validate()?;
        config.l2.validate()?;
        let mut peers = Vec::new();
        for _ in 1..config.app_nodes {
            peers.push(L1Cache::new(config.l1.policy, config.l1.capacity)?);
        }
        Ok(MultiLevelCache {
            l1: L1Cache::new(config.l1.policy, config.l1.capacity)?,
            peers,
            l2: L2Store::new(&config.l2, SimRng::derive(config.seed, STREAM_L2_SAMPLING))?,
            origin: Origin::new(config.origin.latency),
            l1_latency: config.l1.latency,
            set_ttl: config.set_ttl,
            refill_ttl: config.refill_ttl,
            why: Recorder::default(),
        })
    }

    /// The in-process cache.
    pub fn l1(&self) -> &L1Cache<Value> {
        &self.l1
    }
    /// App node `node`'s L1 (0 = app-1; a node past the last is app-1's).
    pub fn l1_on(&self, node: u8) -> &L1Cache<Value> {
        usize::from(node)
            .checked_sub(1)
            .and_then(|i| self.peers.get(i))
            .unwrap_or(&self.l1)
    }
    /// App nodes, each with its own L1.
    pub fn nodes(&self) -> u8 {
        (self.peers.len() + 1) as u8
    }
    /// The shared cache.
    pub fn l2(&self) -> &L2Store<Value> {
        &self.l2
    }
    /// The database.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
    /// Time for an L1 lookup.
    pub fn l1_latency(&self) -> SimDuration {
        self.l1_latency
    }
    /// TTL of a `set` in L1 (the L2 gets twice this).
    pub fn set_ttl(&self) -> SimDuration {
        self.set_ttl
    }
    /// TTL of the L1 copy made when the L2 hits.
    pub fn refill_ttl(&self) -> SimDuration {
        self.refill_ttl
    }
    /// L1's counters.
    pub fn l1_stats(&self) -> CacheStats {
        self.l1.stats()
    }
    /// L2's counters and memory use.
    pub fn l2_stats(&self) -> L2Stats {
        self.l2.l2_stats()
    }
    /// The origin's counters.
    pub fn origin_stats(&self) -> OriginStats {
        self.origin.stats()
    }

    /// The L1's last eviction recorded while the model stepped with events (`None` before
    /// the first).
    pub fn last_eviction(&self) -> Option<&Eviction> {
        self.why.last.as_ref()
    }

    /// The L2's last eviction recorded while the model stepped with events, with its
    /// eviction pool (`None` before the first).
    pub fn last_l2_eviction(&self) -> Option<&L2Eviction> {
        self.why.last_l2.as_ref()
    }

    pub(crate) fn replace_l1(&mut self, l1: L1Cache<Value>) {
        self.l1 = l1;
    }

    /// Replaces every node's L1 (app-1's first).
    pub(crate) fn replace_peers(&mut self, peers: Vec<L1Cache<Value>>) {
        self.peers = peers;
    }

    /// Step 1 of a read.
    pub fn read_l1(
        &mut self,
        key: Key,
        now: SimTime,
        request: Option<u64>,
        out: &mut Vec<CachingEvent>,
    ) -> Option<Value> {
        self.read_l1_on(0, key, now, request, out)
    }

    /// Step 1 of a read on app node `node`: its own L1.
    pub fn read_l1_on(
        &mut self,
        node: u8,
        key: Key,
        now: SimTime,
        request: Option<u64>,
        out: &mut Vec<CachingEvent>,
    ) -> Option<Value> {
        let mut sink = LevelSink {
            out,
            level: Level::L1,
            request,
            node,
            why: None,
        };
        node_l1(&mut self.l1, &mut self.peers, node)
            .get_with(key, now, &mut sink)
            .copied()
    }

    /// Step 2 of a read: on an L2 hit, refill L1 with the refill TTL.
    pub fn read_l2(
        &mut self,
        key: Key,
        now: SimTime,
        request: Option<u64>,
        out: &mut Vec<CachingEvent>,
    ) -> Option<Value> {
        self.read_l2_on(0, key, now, request, out)
    }

    /// Step 2 of a read on app node `node`: on an L2 hit, refill its L1.
    pub fn read_l2_on(
        &mut self,
        node: u8,
        key: Key,
        now: SimTime,
        request: Option<u64>,
        out: &mut Vec<CachingEvent>,
    ) -> Option<Value> {
        let value = self.l2.get_with(
            key,
            now,
            &mut LevelSink {
                out: &mut *out,
                level: Level::L2,
                request,
                node: 0,
                why: None,
            },
        )?;
        self.put_l1(node, key, value, Some(self.refill_ttl), now, out);
        let slot = out.iter().rev().find_map(|e| match e {
            CachingEvent::Inserted {
                key: k,
                level: Level::L1,
                slot,
                node: n,
                ..
            }
            | CachingEvent::Updated {
                key: k,
                level: Level::L1,
                slot,
                node: n,
                ..
            } if *k == key && *n == node => Some(*slot),
            _ => None,
        });
        if let Some(slot) = slot {
            out.push(CachingEvent::Promoted {
                key,
                slot,
                promotion: PromotionKind::L2ToL1,
                node,
            });
        }
        Some(value)
    }

    fn put_l1(
        &mut self,
        node: u8,
        key: Key,
        value: Value,
        ttl: Option<SimDuration>,
        now: SimTime,
        out: &mut Vec<CachingEvent>,
    ) {
        // The "why" of an eviction is recorded for app-1's L1, the one the page details.
        let mut sink = LevelSink {
            out,
            level: Level::L1,
            request: None,
            node,
            why: (node == 0).then_some(&mut self.why),
        };
        node_l1(&mut self.l1, &mut self.peers, node).set_with(key, value, ttl, now, &mut sink);
    }

    /// The tutorial's `Set` with the configured set TTL: L1 with it, L2 with twice it.
    pub fn set(&mut self, key: Key, value: Value, now: SimTime, out: &mut Vec<CachingEvent>) {
        self.set_with_ttl(key, value, Some(self.set_ttl), now, out);
    }

    /// The tutorial's `Set(key, value, ttl)`: L1 with `ttl`, L2 with `2 × ttl`.
    pub fn set_with_ttl(
        &mut self,
        key: Key,
        value: Value,
        ttl: Option<SimDuration>,
        now: SimTime,
        out: &mut Vec<CachingEvent>,
    ) {
        self.set_on(0, key, value, ttl, now, out);
    }

    /// A `Set` made by app node `node`: its own L1 with `ttl`, the shared L2 with `2 × ttl`.
    pub fn set_on(
        &mut self,
        node: u8,
        key: Key,
        value: Value,
        ttl: Option<SimDuration>,
        now: SimTime,
        out: &mut Vec<CachingEvent>,
    ) {
        self.put_l1(node, key, value, ttl, now, out);
        let mut sink = LevelSink {
            out,
            level: Level::L2,
            request: None,
            node: 0,
            why: Some(&mut self.why),
        };
        let l2_ttl = ttl.map(|t| t.saturating_mul(2));
        self.l2.set_with(key, &value, l2_ttl, now, &mut sink);
    }

    /// Removes `key` from both levels (from every node's L1).
    pub fn delete(&mut self, key: Key, out: &mut Vec<CachingEvent>) {
        self.drop_l1(0, key, out);
        for node in 1..self.nodes() {
            self.drop_l1(node, key, out);
        }
        self.delete_l2(key, out);
    }

    /// A delete made by app node `node`: its own L1 and the shared L2; the other nodes'
    /// L1s keep their copies.
    pub fn delete_on(&mut self, node: u8, key: Key, out: &mut Vec<CachingEvent>) {
        self.drop_l1(node, key, out);
        self.delete_l2(key, out);
    }

    fn delete_l2(&mut self, key: Key, out: &mut Vec<CachingEvent>) {
        let mut sink = LevelSink {
            out,
            level: Level::L2,
            request: None,
            node: 0,
            why: None,
        };
        self.l2.delete_with(key, &mut sink);
    }

    /// Removes `key` from app node `node`'s L1 only; whether it was there.
    pub fn drop_l1(&mut self, node: u8, key: Key, out: &mut Vec<CachingEvent>) -> bool {
        let mut sink = LevelSink {
            out,
            level: Level::L1,
            request: None,
            node,
            why: None,
        };
        node_l1(&mut self.l1, &mut self.peers, node).delete_with(key, &mut sink)
    }

    /// Clears both levels (every node's L1).
    pub fn clear(&mut self, out: &mut Vec<CachingEvent>) {
        let mut sink = LevelSink {
            out,
            level: Level::L1,
            request: None,
            node: 0,
            why: None,
        };
        self.l1.clear_with(&mut sink);
        for (i, peer) in self.peers.iter_mut().enumerate() {
            sink.node = (i + 1) as u8;
            peer.clear_with(&mut sink);
        }
        sink.node = 0;
        sink.level = Level::L2;
        self.l2.flush_with(&mut sink);
    }

    /// Present and fresh in L1 or L2 (no lookup counted).
    pub fn is_cached(&self, key: Key, now: SimTime) -> bool {
        self.l1.contains(key, now) || self.l2.contains(key, now)
    }

    /// The whole read path at once: L1, L2 (refilling L1), else the origin (then `set`).
    pub fn get(&mut self, key: Key, now: SimTime, out: &mut Vec<CachingEvent>) -> ReadOutcome {
        let mut latency = self.l1_latency;
        if let Some(value) = self.read_l1(key, now, None, out) {
            return ReadOutcome {
                value,
                served_by: Level::L1,
                latency,
            };
        }
        latency = SimDuration(latency.0.saturating_add(self.l2.round_trip().0));
        if let Some(value) = self.read_l2(key, now, None, out) {
            return ReadOutcome {
                value,
                served_by: Level::L2,
                latency,
            };
        }
        latency = SimDuration(latency.0.saturating_add(self.origin.latency().0));
        let value = self.origin.load(key);
        self.set(key, value, now, out);
        ReadOutcome {
            value,
            served_by: Level::Origin,
            latency,
        }
    }
}

/// App node `node`'s L1 among app-1's and the peers' (a node past the last is app-1's).
fn node_l1<'a>(
    l1: &'a mut L1Cache<Value>,
    peers: &'a mut [L1Cache<Value>],
    node: u8,
) -> &'a mut L1Cache<Value> {
    match usize::from(node)
        .checked_sub(1)
        .and_then(|i| peers.get_mut(i))
    {
        Some(peer) => peer,
        None => l1,
    }
}

/// The multi-level cache is itself a [`Cache`]: `get` always finds a value (a full miss loads
/// from the origin), so its stats count a hit at either level as a hit and only origin loads as
/// misses; evictions are summed over both levels and `len` is the L2's (the larger level).
impl Cache<Value> for MultiLevelCache {
    fn get(&mut self, key: Key, now: SimTime) -> Option<Value> {
        Some(MultiLevelCache::get(self, key, now, &mut Vec::new()).value)
    }
    fn set(&mut self, key: Key, value: Value, ttl: Option<SimDuration>, now: SimTime) {
        self.set_with_ttl(key, value, ttl, now, &mut Vec::new());
    }
    fn delete(&mut self, key: Key) -> bool {
        let mut out = Vec::new();
        MultiLevelCache::delete(self, key, &mut out);
        !out.is_empty()
    }
    fn clear(&mut self) {
        MultiLevelCache::clear(self, &mut Vec::new());
    }
    fn stats(&self) -> CacheStats {
        let (l1, l2) = (self.l1.stats(), self.l2.stats());
        let hits = l1.hits + l2.hits;
        let lookups = hits + l2.misses;
        CacheStats {
            hits,
            misses: l2.misses,
            evictions: super::EvictionCounts {
                capacity: l1.evictions.capacity + l2.evictions.capacity,
                expired: l1.evictions.expired + l2.evictions.expired,
                explicit: l1.evictions.explicit + l2.evictions.explicit,
            },
            hit_rate: if lookups == 0 {
                0.0
            } else {
                hits as f64 / lookups as f64
            },
            len: l2.len,
            capacity: None,
        }
    }
    fn len(&self) -> u64 {
        self.l2.len()
    }
}
