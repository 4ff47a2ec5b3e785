//! The L1 in-memory cache with a switchable eviction policy.

use super::cache::{Cache, CacheStats, EffectSink, EntryView, Key};
use super::events::{Level, LevelSink};
use super::lru::{FifoNaiveCache, LruCache};
use super::policy::{impl_cache_via_policy, L1Policy};
use super::ranked::{LfuCache, TtlCache};
use super::tinylfu::WTinyLfuCache;
use super::{CachingError, EvictionPolicy};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// An L1 cache under any [`EvictionPolicy`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum L1Cache<V> {
    /// Under [`EvictionPolicy::Lru`].
    Lru(LruCache<V>),
    /// Under [`EvictionPolicy::FifoNaive`].
    FifoNaive(FifoNaiveCache<V>),
    /// Under [`EvictionPolicy::Lfu`].
    Lfu(LfuCache<V>),
    /// Under [`EvictionPolicy::Ttl`].
    Ttl(TtlCache<V>),
    /// Under [`EvictionPolicy::WTinyLfu`].
    WTinyLfu(WTinyLfuCache<V>),
}

macro_rules! each {
    ($self:expr, $c:ident => $body:expr) => {
        match $self {
            L1Cache::Lru($c) => $body,
            L1Cache::FifoNaive($c) => $body,
            L1Cache::Lfu($c) => $body,
            L1Cache::Ttl($c) => $body,
            L1Cache::WTinyLfu($c) => $body,
        }
    };
}

impl<V: Clone> L1Cache<V> {
    /// An empty cache of `capacity` entries under `policy`. The capacity is checked once
    /// here rather than in each policy's constructor: one error path in the page, not five.
    pub fn new(policy: EvictionPolicy, capacity: u64) -> Result<Self, CachingError> {
        let slots = super::check_capacity("L1 capacity", capacity)?;
        Ok(match policy {
            EvictionPolicy::Lru => L1Cache::Lru(LruCache::with_slots(slots)),
            EvictionPolicy::FifoNaive => L1Cache::FifoNaive(FifoNaiveCache::with_slots(slots)),
            EvictionPolicy::Lfu => L1Cache::Lfu(LfuCache::with_slots(slots)),
            EvictionPolicy::Ttl => L1Cache::Ttl(TtlCache::with_slots(slots)),
            EvictionPolicy::WTinyLfu => L1Cache::WTinyLfu(WTinyLfuCache::with_slots(slots)),
        })
    }

    /// The policy it evicts by.
    pub fn policy(&self) -> EvictionPolicy {
        match self {
            L1Cache::Lru(_) => EvictionPolicy::Lru,
            L1Cache::FifoNaive(_) => EvictionPolicy::FifoNaive,
            L1Cache::Lfu(_) => EvictionPolicy::Lfu,
            L1Cache::Ttl(_) => EvictionPolicy::Ttl,
            L1Cache::WTinyLfu(_) => EvictionPolicy::WTinyLfu,
        }
    }

    /// The same contents under another policy (and capacity): fresh entries are re-inserted
    /// from the one this cache would evict first to the one it would keep longest, so the
    /// most valuable survive if the new capacity is smaller. Statistics start again at zero,
    /// so the new policy's hit rate is its own. Returns the cache and how many entries it kept.
    pub fn rebuilt(
        &self,
        policy: EvictionPolicy,
        capacity: u64,
        now: SimTime,
    ) -> Result<(Self, u64), CachingError> {
        let mut next = L1Cache::new(policy, capacity)?;
        // The fresh entries in keep order come from `entries`, the list the page draws, and
        // each value from its slot: one copy of every policy's ordering in the page, not a
        // second one for the rebuild.
        let mut fresh: Vec<(Key, V, Option<SimTime>)> = self
            .entries()
            .into_iter()
            .filter(|e| e.expires_at.is_none_or(|at| at > now))
            .filter_map(|e| Some((e.key, self.value_at(e.slot)?.clone(), e.expires_at)))
            .collect();
        fresh.truncate(capacity as usize);
        // The refill's effects are dropped, but they go through the sink type the model's
        // own L1 writes use: a `Discard` sink here would instantiate every policy's
        // `set_with` a second time in the wasm bundle.
        let mut dropped = Vec::new();
        for (key, value, expires_at) in fresh.into_iter().rev() {
            let ttl = expires_at.map(|at| at.since(now));
            let mut sink = LevelSink {
                out: &mut dropped,
                level: Level::L1,
                request: None,
                node: 0,
                why: None,
            };
            next.set_with(key, value, ttl, now, &mut sink);
            dropped.clear();
        }
        let kept = next.len();
        Ok((next, kept))
    }
}

impl<V: Clone> L1Policy<V> for L1Cache<V> {
    fn get_with<S: EffectSink>(&mut self, key: Key, now: SimTime, sink: &mut S) -> Option<&V> {
        each!(self, c => c.get_with(key, now, sink))
    }
    fn set_with<S: EffectSink>(
        &mut self,
        key: Key,
        value: V,
        ttl: Option<SimDuration>,
        now: SimTime,
        sink: &mut S,
    ) {
        each!(self, c => c.set_with(key, value, ttl, now, sink))
    }
    fn delete_with<S: EffectSink>(&mut self, key: Key, sink: &mut S) -> bool {
        each!(self, c => c.delete_with(key, sink))
    }
    fn clear_with<S: EffectSink>(&mut self, sink: &mut S) {
        each!(self, c => c.clear_with(sink))
    }
    fn contains(&self, key: Key, now: SimTime) -> bool {
        each!(self, c => c.contains(key, now))
    }
    fn capacity(&self) -> u64 {
        each!(self, c => c.capacity())
    }
    fn entries(&self) -> Vec<EntryView> {
        each!(self, c => c.entries())
    }
    fn value_at(&self, slot: u32) -> Option<&V> {
        each!(self, c => c.value_at(slot))
    }
}

impl<V: Clone> L1Cache<V> {
    pub(crate) fn stats_snapshot(&self) -> CacheStats {
        each!(self, c => c.stats_snapshot())
    }

    pub(crate) fn entry_count(&self) -> u64 {
        each!(self, c => c.entry_count())
    }
}

impl_cache_via_policy!([V: Clone] L1Cache<V>);
