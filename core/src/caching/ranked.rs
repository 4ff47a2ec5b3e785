//! Policies that evict by a ranking rather than by list position: LFU and closest-expiry.
//!
//! Each entry carries a rank `(primary, tick)`; a [`RankHeap`] keeps ranks in order and the
//! smallest is evicted. O(log n) per operation — these policies are for comparison in the
//! playground, not the benchmarked hot path. `tick` is a logical access counter, so ties are
//! broken by recency and never by slot number or hashing.

use super::cache::{CacheEffect, CacheStats, Counters, EffectSink, EntryView, Key};
use super::lru::expired_or_full;
use super::policy::{impl_cache_via_policy, L1Policy};
use super::rank_heap::RankHeap;
use super::slab::{expires_view, expiry, Node, Slab, NIL};
use super::why::{keep_smallest, Eviction, OrderEntry, Standing};
use super::{CachingError, EvictionPolicy, EvictionReason, Region};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// How a policy ranks entries; the smallest rank is evicted first.
pub trait Ranking {
    /// The policy this ranking is.
    const POLICY: EvictionPolicy;
    /// Rank of a new entry.
    fn inserted(tick: u64, expires_at: u64) -> (u64, u64);
    /// New rank after a read hit (`None` = unchanged).
    fn read(old: (u64, u64), tick: u64) -> Option<(u64, u64)>;
    /// New rank after an overwrite.
    fn written(old: (u64, u64), tick: u64, expires_at: u64) -> (u64, u64);
    /// What the UI shows as frequency, if the policy counts uses.
    fn frequency(rank: (u64, u64)) -> Option<u64>;
    /// How an eviction's why shows a rank, `idle` accesses after its last one.
    fn standing(rank: (u64, u64), idle: u64) -> Standing;
}

/// Least frequently used; among equals the least recently used goes first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByFrequency;

impl Ranking for ByFrequency {
    const POLICY: EvictionPolicy = EvictionPolicy::Lfu;
    fn inserted(tick: u64, _: u64) -> (u64, u64) {
        (1, tick)
    }
    fn read(old: (u64, u64), tick: u64) -> Option<(u64, u64)> {
        Some((old.0.saturating_add(1), tick))
    }
    fn written(old: (u64, u64), tick: u64, _: u64) -> (u64, u64) {
        (old.0.saturating_add(1), tick)
    }
    fn frequency(rank: (u64, u64)) -> Option<u64> {
        Some(rank.0)
    }
    fn standing(rank: (u64, u64), idle: u64) -> Standing {
        Standing::Uses { uses: rank.0, idle }
    }
}

/// When full, evict the entry closest to expiry (entries without a TTL go last, oldest first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByExpiry;

impl Ranking for ByExpiry {
    const POLICY: EvictionPolicy = EvictionPolicy::Ttl;
    fn inserted(tick: u64, expires_at: u64) -> (u64, u64) {
        (expires_at, tick)
    }
    fn read(_: (u64, u64), _: u64) -> Option<(u64, u64)> {
        None
    }
    fn written(_: (u64, u64), tick: u64, expires_at: u64) -> (u64, u64) {
        (expires_at, tick)
    }
    fn frequency(_: (u64, u64)) -> Option<u64> {
        None
    }
    fn standing(rank: (u64, u64), idle: u64) -> Standing {
        Standing::Expires {
            at: expires_view(rank.0),
            idle,
        }
    }
}

/// An L1 cache that evicts the entry of smallest rank, by a [`Ranking`] (use count for LFU, expiry for TTL).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedCache<V, R> {
    slab: Slab<V, (u64, u64)>,
    /// `(rank.0, rank.1, slot)`, smallest evicted first.
    order: RankHeap,
    tick: u64,
    capacity: u32,
    counters: Counters,
    ranking: R,
}

/// Least frequently used (ties → least recently used).
pub type LfuCache<V> = RankedCache<V, ByFrequency>;
/// Evicts the entry closest to expiry when full.
pub type TtlCache<V> = RankedCache<V, ByExpiry>;

impl<V, R: Ranking + Default> RankedCache<V, R> {
    /// An empty cache of `capacity` entries (1 ..= `limits::MAX_CACHE_CAPACITY`).
    pub fn new(capacity: u64) -> Result<Self, CachingError> {
        Ok(Self::with_slots(super::check_capacity(
            "L1 capacity",
            capacity,
        )?))
    }

    /// An empty cache of `capacity` entries, already checked.
    pub(crate) fn with_slots(capacity: u32) -> Self {
        RankedCache {
            slab: Slab::with_capacity(capacity),
            order: RankHeap::new(),
            tick: 0,
            capacity,
            counters: Counters::default(),
            ranking: R::default(),
        }
    }

    fn next_tick(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }

    fn rerank(&mut self, slot: u32, rank: (u64, u64)) {
        if let Some(n) = self.slab.get_mut(slot) {
            n.meta = rank;
            // Replaces the slot's old rank.
            self.order.insert((rank.0, rank.1, slot));
        }
    }

    fn remove_slot<S: EffectSink>(&mut self, slot: u32, reason: EvictionReason, sink: &mut S) {
        let Some(n) = self.slab.get(slot) else {
            return;
        };
        let key = n.key;
        self.order.remove(slot);
        self.slab.index.remove(key);
        self.slab.release(slot);
        self.counters.evictions.count(reason);
        sink.push(CacheEffect::Evicted {
            key,
            slot,
            region: Region::Main,
            reason,
        });
    }
}

/// Writes the order a ranked cache's victim was chosen from into `e`, the smallest rank (the
/// victim) last; a cache larger than [`ORDER_LIMIT`](super::ORDER_LIMIT) lists its smallest.
/// One function for both rankings, so the page carries one copy.
#[inline(never)]
fn explain<V>(
    (slab, heap, tick): (&Slab<V, (u64, u64)>, &RankHeap, u64),
    policy: EvictionPolicy,
    standing: fn((u64, u64), u64) -> Standing,
    e: &mut Eviction,
    newcomer: Key,
    victim: u32,
    now: SimTime,
) {
    let Some(v) = slab.get(victim) else {
        return;
    };
    let reason = expired_or_full(v.expires_at, now);
    e.begin(
        now,
        policy,
        newcomer,
        v.key,
        reason,
        u64::from(slab.index.len()),
    );
    let rank = |x: &OrderEntry| {
        slab.get(x.slot)
            .map_or((0, 0, 0), |n| (n.meta.0, n.meta.1, x.slot))
    };
    for &(_, _, slot) in heap.items() {
        if let Some(n) = slab.get(slot) {
            let standing = standing(n.meta, tick.saturating_sub(n.meta.1));
            let entry = OrderEntry {
                key: n.key,
                slot,
                standing,
            };
            keep_smallest(&mut e.order, entry, rank);
        }
    }
    e.order.reverse();
}

impl<V: Clone, R: Ranking + Default> L1Policy<V> for RankedCache<V, R> {
    fn get_with<S: EffectSink>(&mut self, key: Key, now: SimTime, sink: &mut S) -> Option<&V> {
        let Some(slot) = self.slab.index.get(key) else {
            self.counters.misses += 1;
            sink.push(CacheEffect::Miss { key });
            return None;
        };
        let Some(rank) = self
            .slab
            .get(slot)
            .filter(|n| n.expires_at > now.0)
            .map(|n| n.meta)
        else {
            self.remove_slot(slot, EvictionReason::Expired, sink);
            self.counters.misses += 1;
            sink.push(CacheEffect::Miss { key });
            return None;
        };
        let tick = self.next_tick();
        if let Some(new_rank) = R::read(rank, tick) {
            self.rerank(slot, new_rank);
        }
        self.counters.hits += 1;
        sink.push(CacheEffect::Hit {
            key,
            slot,
            region: Region::Main,
        });
        self.slab.get(slot).map(|n| &n.value)
    }

    fn set_with<S: EffectSink>(
        &mut self,
        key: Key,
        value: V,
        ttl: Option<SimDuration>,
        now: SimTime,
        sink: &mut S,
    ) {
        let expires_at = expiry(now, ttl);
        let tick = self.next_tick();
        if let Some(slot) = self.slab.index.get(key) {
            let Some(n) = self.slab.get_mut(slot) else {
                return;
            };
            n.value = value;
            n.expires_at = expires_at;
            let rank = R::written(n.meta, tick, expires_at);
            self.rerank(slot, rank);
            sink.push(CacheEffect::Updated {
                key,
                slot,
                region: Region::Main,
                expires_at: expires_view(expires_at),
            });
            return;
        }
        if self.slab.index.len() >= self.capacity {
            if let Some((_, _, victim)) = self.order.first() {
                if let Some(e) = sink.eviction() {
                    let order = (&self.slab, &self.order, self.tick);
                    explain(order, R::POLICY, R::standing, e, key, victim, now);
                }
                let expired = self.slab.get(victim).is_some_and(|n| n.expires_at <= now.0);
                let reason = if expired {
                    EvictionReason::Expired
                } else {
                    EvictionReason::Capacity
                };
                self.remove_slot(victim, reason, sink);
            }
        }
        let rank = R::inserted(tick, expires_at);
        let slot = self.slab.alloc(Node {
            key,
            value,
            expires_at,
            prev: NIL,
            next: NIL,
            meta: rank,
        });
        self.order.insert((rank.0, rank.1, slot));
        self.slab.index.insert(key, slot);
        sink.push(CacheEffect::Inserted {
            key,
            slot,
            region: Region::Main,
            expires_at: expires_view(expires_at),
        });
    }

    fn delete_with<S: EffectSink>(&mut self, key: Key, sink: &mut S) -> bool {
        match self.slab.index.get(key) {
            Some(slot) => {
                self.remove_slot(slot, EvictionReason::Explicit, sink);
                true
            }
            None => false,
        }
    }

    fn clear_with<S: EffectSink>(&mut self, sink: &mut S) {
        let entries = u64::from(self.slab.index.len());
        self.counters.evictions.explicit += entries;
        self.slab.clear();
        self.order.clear();
        sink.push(CacheEffect::Cleared { entries });
    }

    fn contains(&self, key: Key, now: SimTime) -> bool {
        self.slab.holds_live(key, now)
    }

    fn capacity(&self) -> u64 {
        u64::from(self.capacity)
    }

    fn entries(&self) -> Vec<EntryView> {
        self.order
            .descending()
            .into_iter()
            .filter_map(|(_, _, slot)| {
                self.slab.get(slot).map(|n| EntryView {
                    key: n.key,
                    slot,
                    region: Region::Main,
                    expires_at: expires_view(n.expires_at),
                    frequency: R::frequency(n.meta),
                })
            })
            .collect()
    }

    fn value_at(&self, slot: u32) -> Option<&V> {
        self.slab.get(slot).map(|n| &n.value)
    }
}

impl<V, R> RankedCache<V, R> {
    pub(crate) fn stats_snapshot(&self) -> CacheStats {
        self.counters.snapshot(
            u64::from(self.slab.index.len()),
            Some(u64::from(self.capacity)),
        )
    }

    pub(crate) fn entry_count(&self) -> u64 {
        u64::from(self.slab.index.len())
    }
}

impl_cache_via_policy!([V: Clone, R: Ranking + Default] RankedCache<V, R>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caching::Cache;

    #[test]
    fn lfu_breaks_frequency_ties_by_recency() {
        let mut c = LfuCache::<u64>::new(2).unwrap();
        let t = SimTime::ZERO;
        c.set(1, 1, None, t);
        c.set(2, 2, None, t);
        // Both used once; 1 is older, so it goes.
        let mut fx = Vec::new();
        c.set_with(3, 3, None, t, &mut fx);
        assert!(matches!(fx[0], CacheEffect::Evicted { key: 1, .. }));
    }

    #[test]
    fn ttl_policy_evicts_the_entry_closest_to_expiry() {
        let mut c = TtlCache::<u64>::new(3).unwrap();
        let t = SimTime::ZERO;
        c.set(1, 1, Some(SimDuration::from_secs(30)), t);
        c.set(2, 2, Some(SimDuration::from_secs(10)), t);
        c.set(3, 3, None, t);
        let mut fx = Vec::new();
        c.set_with(4, 4, Some(SimDuration::from_secs(60)), t, &mut fx);
        assert!(matches!(
            fx[0],
            CacheEffect::Evicted {
                key: 2,
                reason: EvictionReason::Capacity,
                ..
            }
        ));
    }
}
