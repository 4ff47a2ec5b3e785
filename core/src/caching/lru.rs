//! True LRU and the well-known caching tutorial's "LRU" (really FIFO), sharing one recency list.
//!
//! True LRU moves an entry to the front on every *access*, so it evicts the entry accessed
//! least recently. The tutorial's cache evicts the entry with the oldest `CreatedAt`: reads
//! never move anything, so it is FIFO by creation time — kept here as `fifo-naive`. (A `set`
//! re-creates the tutorial's item with a fresh `CreatedAt`, so writes move an entry to the front in
//! both.) The two differ by a single const flag, so the naive variant costs nothing extra.
//!
//! Layout for speed (benchmarked against the `lru` crate): nodes in a `Vec` slab linked by
//! `u32` slots, a hash index with a one-multiply integer hasher (never iterated), and an eviction
//! that reuses the victim's slot in place — no allocation per operation once full.
//!
//! Each node also keeps the access clock (hits and writes) at its last access: the
//! recency an eviction's why reports ("untouched for 41 accesses"), and what tells which
//! entry true LRU would have evicted when the naive FIFO evicts another.

use super::cache::{CacheEffect, CacheStats, Counters, EffectSink, EntryView, Key};
use super::policy::{impl_cache_via_policy, L1Policy};
use super::slab::{expires_view, expiry, List, Node, Slab, NIL};
use super::why::{Eviction, OrderEntry, Standing, ORDER_LIMIT};
use super::{CachingError, EvictionPolicy, EvictionReason, Region};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// A cache ordered by one list; `TOUCH_ON_GET` decides whether reads refresh recency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListCache<V, const TOUCH_ON_GET: bool> {
    /// Each node's meta is the access clock at its last access.
    slab: Slab<V, u64>,
    /// Head = most recently used (LRU) or created (FIFO); the tail is the next victim.
    order: List,
    capacity: u32,
    counters: Counters,
    /// Hits and writes so far.
    clock: u64,
}

/// Least recently *used* (reference behaviour).
pub type LruCache<V> = ListCache<V, true>;
/// Oldest *created* first: what the tutorial's "LRU" actually does.
pub type FifoNaiveCache<V> = ListCache<V, false>;

impl<V, const TOUCH_ON_GET: bool> ListCache<V, TOUCH_ON_GET> {
    /// An empty cache of `capacity` entries (1 ..= `limits::MAX_CACHE_CAPACITY`).
    pub fn new(capacity: u64) -> Result<Self, CachingError> {
        Ok(Self::with_slots(super::check_capacity(
            "L1 capacity",
            capacity,
        )?))
    }

    /// An empty cache of `capacity` entries, already checked.
    pub(crate) fn with_slots(capacity: u32) -> Self {
        ListCache {
            slab: Slab::with_capacity(capacity),
            order: List::default(),
            capacity,
            counters: Counters::default(),
            clock: 0,
        }
    }

    /// The next access's clock value.
    #[inline(always)]
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    fn remove_slot<S: EffectSink>(
        &mut self,
        key: Key,
        slot: u32,
        reason: EvictionReason,
        sink: &mut S,
    ) {
        self.slab.index.remove(key);
        self.order.unlink(&mut self.slab.nodes, slot);
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

/// Writes the order a list cache's victim (its tail) was chosen from into `e`: most recent
/// (LRU) or newest (FIFO) first, the victim last. FIFO also walks the rest of the list for the
/// entry true LRU would have evicted. One function for both policies, so the page carries one
/// copy.
#[inline(never)]
fn explain<V>(
    slab: &Slab<V, u64>,
    order: &List,
    clock: u64,
    lru: bool,
    e: &mut Eviction,
    newcomer: Key,
    now: SimTime,
) {
    let Some(v) = slab.get(order.tail) else {
        return;
    };
    let policy = if lru {
        EvictionPolicy::Lru
    } else {
        EvictionPolicy::FifoNaive
    };
    let reason = expired_or_full(v.expires_at, now);
    e.begin(now, policy, newcomer, v.key, reason, u64::from(order.len));
    let mut least = v;
    let mut at = order.tail;
    while let Some(n) = slab.get(at) {
        if e.order.len() < ORDER_LIMIT {
            e.order.push(OrderEntry {
                key: n.key,
                slot: at,
                standing: Standing::Idle {
                    idle: clock.saturating_sub(n.meta),
                },
            });
        } else if lru {
            break;
        }
        if n.meta < least.meta {
            least = n;
        }
        at = n.prev;
    }
    e.order.reverse();
    if !lru {
        e.least_recent = Some(least.key);
    }
}

/// Why a full cache's chosen victim leaves: it had expired, or the cache needs the room.
#[inline(always)]
pub(crate) fn expired_or_full(expires_at: u64, now: SimTime) -> EvictionReason {
    if expires_at <= now.0 {
        EvictionReason::Expired
    } else {
        EvictionReason::Capacity
    }
}

impl<V: Clone, const TOUCH_ON_GET: bool> L1Policy<V> for ListCache<V, TOUCH_ON_GET> {
    #[inline]
    fn get_with<S: EffectSink>(&mut self, key: Key, now: SimTime, sink: &mut S) -> Option<&V> {
        let Some(slot) = self.slab.index.get(key) else {
            self.counters.misses += 1;
            sink.push(CacheEffect::Miss { key });
            return None;
        };
        let clock = self.clock + 1;
        let fresh = match self.slab.get_mut(slot) {
            Some(n) if n.expires_at > now.0 => {
                n.meta = clock;
                true
            }
            _ => false,
        };
        if !fresh {
            self.remove_slot(key, slot, EvictionReason::Expired, sink);
            self.counters.misses += 1;
            sink.push(CacheEffect::Miss { key });
            return None;
        }
        self.clock = clock;
        if TOUCH_ON_GET {
            self.order.move_to_front(&mut self.slab.nodes, slot);
        }
        self.counters.hits += 1;
        sink.push(CacheEffect::Hit {
            key,
            slot,
            region: Region::Main,
        });
        self.slab.get(slot).map(|n| &n.value)
    }

    #[inline]
    fn set_with<S: EffectSink>(
        &mut self,
        key: Key,
        value: V,
        ttl: Option<SimDuration>,
        now: SimTime,
        sink: &mut S,
    ) {
        let expires_at = expiry(now, ttl);
        let clock = self.tick();
        if let Some(slot) = self.slab.index.get(key) {
            if let Some(n) = self.slab.get_mut(slot) {
                n.value = value;
                n.expires_at = expires_at;
                n.meta = clock;
            }
            self.order.move_to_front(&mut self.slab.nodes, slot);
            sink.push(CacheEffect::Updated {
                key,
                slot,
                region: Region::Main,
                expires_at: expires_view(expires_at),
            });
            return;
        }
        let slot = if self.order.len >= self.capacity {
            // Full: overwrite the victim's node in place and keep its slot.
            let victim = self.order.tail;
            if let Some(e) = sink.eviction() {
                explain(
                    &self.slab,
                    &self.order,
                    self.clock,
                    TOUCH_ON_GET,
                    e,
                    key,
                    now,
                );
            }
            let Some(node) = self.slab.get_mut(victim) else {
                return;
            };
            let reason = expired_or_full(node.expires_at, now);
            let old_key = node.key;
            node.key = key;
            node.value = value;
            node.expires_at = expires_at;
            node.meta = clock;
            self.slab.index.remove(old_key);
            self.counters.evictions.count(reason);
            sink.push(CacheEffect::Evicted {
                key: old_key,
                slot: victim,
                region: Region::Main,
                reason,
            });
            self.order.move_to_front(&mut self.slab.nodes, victim);
            victim
        } else {
            let slot = self.slab.alloc(Node {
                key,
                value,
                expires_at,
                prev: NIL,
                next: NIL,
                meta: clock,
            });
            self.order.push_front(&mut self.slab.nodes, slot);
            slot
        };
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
                self.remove_slot(key, slot, EvictionReason::Explicit, sink);
                true
            }
            None => false,
        }
    }

    fn clear_with<S: EffectSink>(&mut self, sink: &mut S) {
        let entries = u64::from(self.order.len);
        self.counters.evictions.explicit += entries;
        self.slab.clear();
        self.order = List::default();
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
            .slots(&self.slab.nodes)
            .into_iter()
            .filter_map(|slot| {
                self.slab.get(slot).map(|n| EntryView {
                    key: n.key,
                    slot,
                    region: Region::Main,
                    expires_at: expires_view(n.expires_at),
                    frequency: None,
                })
            })
            .collect()
    }

    fn value_at(&self, slot: u32) -> Option<&V> {
        self.slab.get(slot).map(|n| &n.value)
    }
}

impl<V, const TOUCH_ON_GET: bool> ListCache<V, TOUCH_ON_GET> {
    pub(crate) fn stats_snapshot(&self) -> CacheStats {
        self.counters
            .snapshot(u64::from(self.order.len), Some(u64::from(self.capacity)))
    }

    pub(crate) fn entry_count(&self) -> u64 {
        u64::from(self.order.len)
    }
}

impl_cache_via_policy!([V: Clone, const TOUCH_ON_GET: bool] ListCache<V, TOUCH_ON_GET>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caching::{Cache, Discard};

    fn access<P: L1Policy<u64>>(c: &mut P, key: Key, evicted: &mut Vec<Key>) {
        let mut fx = Vec::new();
        if c.get_with(key, SimTime::ZERO, &mut fx).is_none() {
            c.set_with(key, key, None, SimTime::ZERO, &mut fx);
        }
        for e in fx {
            if let CacheEffect::Evicted { key, .. } = e {
                evicted.push(key);
            }
        }
    }

    #[test]
    fn lru_evicts_least_recently_used_and_fifo_oldest_created() {
        // a b c a d with capacity 3.
        let (a, b, c, d) = (1, 2, 3, 4);
        let mut lru = LruCache::<u64>::new(3).unwrap();
        let mut fifo = FifoNaiveCache::<u64>::new(3).unwrap();
        let (mut ev_lru, mut ev_fifo) = (vec![], vec![]);
        for k in [a, b, c, a, d] {
            access(&mut lru, k, &mut ev_lru);
            access(&mut fifo, k, &mut ev_fifo);
        }
        assert_eq!(ev_lru, vec![b]);
        assert_eq!(ev_fifo, vec![a]);
    }

    #[test]
    fn eviction_reuses_the_victims_slot() {
        let mut lru = LruCache::<u64>::new(2).unwrap();
        let mut fx = Vec::new();
        lru.set_with(1, 1, None, SimTime::ZERO, &mut fx);
        lru.set_with(2, 2, None, SimTime::ZERO, &mut fx);
        fx.clear();
        lru.set_with(3, 3, None, SimTime::ZERO, &mut fx);
        assert_eq!(
            fx,
            vec![
                CacheEffect::Evicted {
                    key: 1,
                    slot: 0,
                    region: Region::Main,
                    reason: EvictionReason::Capacity
                },
                CacheEffect::Inserted {
                    key: 3,
                    slot: 0,
                    region: Region::Main,
                    expires_at: None
                }
            ]
        );
        assert_eq!(lru.len(), 2);
        assert!(lru.get_with(1, SimTime::ZERO, &mut Discard).is_none());
    }

    #[test]
    fn a_deserialized_cache_rebuilds_its_index_without_freed_slots() {
        let mut lru = LruCache::<u64>::new(3).unwrap();
        for k in [1, 2, 3] {
            lru.set(k, k * 10, None, SimTime::ZERO);
        }
        lru.delete(2);
        let json = serde_json::to_string(&lru).unwrap();
        assert!(
            !json.contains("index"),
            "the hash index is never serialized"
        );
        let mut back: LruCache<u64> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, lru);
        assert_eq!(back.get(2, SimTime::ZERO), None);
        assert_eq!(back.get(3, SimTime::ZERO), Some(30));
        let mut fx = Vec::new();
        back.set_with(4, 40, None, SimTime::ZERO, &mut fx);
        assert!(matches!(
            fx[0],
            CacheEffect::Inserted {
                key: 4,
                slot: 1,
                ..
            }
        ));
    }
}
