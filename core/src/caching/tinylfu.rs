//! W-TinyLFU, as in Caffeine: a small LRU *window* in front of a segmented-LRU *main* space,
//! with a frequency sketch deciding who gets into main.
//!
//! New entries land in the window (1 % of capacity). When the window overflows, its LRU entry
//! (the *candidate*) moves to main's probation segment; if the cache is then over capacity the
//! candidate contests probation's LRU entry (the *victim*): the candidate is admitted only if
//! the sketch says it is strictly more popular, otherwise it is evicted. A hit in probation
//! promotes to protected (80 % of main); protected overflow demotes back to probation. So a
//! one-off scan churns through the window and loses every contest, while the hot set stays in
//! protected — plain LRU would have flushed it. (Caffeine also adapts the window size by hill
//! climbing and admits rare warm candidates at random; this teaching version keeps the
//! reference's fixed 1 % window and strict comparison.)

use super::cache::{CacheEffect, CacheStats, Counters, EffectSink, EntryView, Key};
use super::policy::{impl_cache_via_policy, L1Policy};
use super::sketch::FrequencySketch;
use super::slab::{expires_view, expiry, List, Node, Slab, NIL};
use super::why::{Duel, Eviction, OrderEntry, Standing, ORDER_LIMIT};
use super::{CachingError, EvictionPolicy, EvictionReason, Region};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// How W-TinyLFU splits its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSizes {
    /// Entries in the admission window.
    pub window: u64,
    /// Entries in main's protected segment.
    pub protected: u64,
    /// Entries in main's probation segment.
    pub probation: u64,
}

impl RegionSizes {
    /// Caffeine's split: `window = max − ⌊0.99 · max⌋`, `protected = ⌊0.8 · (max − window)⌋`,
    /// probation the rest. Integer arithmetic, so 100 → 1 / 79 / 20 exactly.
    pub fn for_capacity(capacity: u64) -> Self {
        let main = capacity.saturating_mul(99) / 100;
        let window = capacity - main;
        let protected = main.saturating_mul(80) / 100;
        RegionSizes {
            window,
            protected,
            probation: main - protected,
        }
    }
}

/// Caffeine's W-TinyLFU eviction (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WTinyLfuCache<V> {
    slab: Slab<V, Region>,
    window: List,
    probation: List,
    protected: List,
    sizes: RegionSizes,
    capacity: u32,
    sketch: FrequencySketch,
    counters: Counters,
}

/// The list holding `region` (main-only policies never use `Region::Main` here).
fn list_of<'a>(
    window: &'a mut List,
    probation: &'a mut List,
    protected: &'a mut List,
    region: Region,
) -> &'a mut List {
    match region {
        Region::Window | Region::Main => window,
        Region::Probation => probation,
        Region::Protected => protected,
    }
}

impl<V> WTinyLfuCache<V> {
    /// An empty cache of `capacity` entries, split as [`RegionSizes::for_capacity`] says.
    pub fn new(capacity: u64) -> Result<Self, CachingError> {
        Ok(Self::with_slots(super::check_capacity(
            "L1 capacity",
            capacity,
        )?))
    }

    /// An empty cache of `capacity` entries, already checked.
    pub(crate) fn with_slots(capacity: u32) -> Self {
        WTinyLfuCache {
            slab: Slab::with_capacity(capacity),
            window: List::default(),
            probation: List::default(),
            protected: List::default(),
            sizes: RegionSizes::for_capacity(u64::from(capacity)),
            capacity,
            sketch: FrequencySketch::new(capacity),
            counters: Counters::default(),
        }
    }

    /// How its capacity is split.
    pub fn region_sizes(&self) -> RegionSizes {
        self.sizes
    }

    /// The popularity estimate its admission filter uses.
    pub fn sketch(&self) -> &FrequencySketch {
        &self.sketch
    }

    /// Number of entries currently in `region`.
    pub fn region_len(&self, region: Region) -> u64 {
        u64::from(match region {
            Region::Window | Region::Main => self.window.len,
            Region::Probation => self.probation.len,
            Region::Protected => self.protected.len,
        })
    }

    fn region_of(&self, slot: u32) -> Region {
        self.slab.get(slot).map_or(Region::Window, |n| n.meta)
    }

    fn relocate<S: EffectSink>(&mut self, slot: u32, to: Region, sink: &mut S) {
        let from = self.region_of(slot);
        list_of(
            &mut self.window,
            &mut self.probation,
            &mut self.protected,
            from,
        )
        .unlink(&mut self.slab.nodes, slot);
        list_of(
            &mut self.window,
            &mut self.probation,
            &mut self.protected,
            to,
        )
        .push_front(&mut self.slab.nodes, slot);
        let key = match self.slab.get_mut(slot) {
            Some(n) => {
                n.meta = to;
                n.key
            }
            None => return,
        };
        sink.push(CacheEffect::Moved {
            key,
            slot,
            from,
            to,
        });
    }

    /// An access: refresh recency within the region, promoting probation → protected.
    fn touch<S: EffectSink>(&mut self, slot: u32, sink: &mut S) {
        match self.region_of(slot) {
            Region::Probation => {
                self.relocate(slot, Region::Protected, sink);
                if u64::from(self.protected.len) > self.sizes.protected {
                    let demoted = self.protected.tail;
                    self.relocate(demoted, Region::Probation, sink);
                }
            }
            region => list_of(
                &mut self.window,
                &mut self.probation,
                &mut self.protected,
                region,
            )
            .move_to_front(&mut self.slab.nodes, slot),
        }
    }

    fn remove_slot<S: EffectSink>(&mut self, slot: u32, reason: EvictionReason, sink: &mut S) {
        let Some((key, region)) = self.slab.get(slot).map(|n| (n.key, n.meta)) else {
            return;
        };
        list_of(
            &mut self.window,
            &mut self.probation,
            &mut self.protected,
            region,
        )
        .unlink(&mut self.slab.nodes, slot);
        self.slab.index.remove(key);
        self.slab.release(slot);
        self.counters.evictions.count(reason);
        sink.push(CacheEffect::Evicted {
            key,
            slot,
            region,
            reason,
        });
    }

    fn key_of(&self, slot: u32) -> Key {
        self.slab.get(slot).map_or(0, |n| n.key)
    }

    /// Starts `e` with the segments as they stand before the candidate leaves the window:
    /// protected, probation, then window, each most recent first, with the sketch's estimates.
    /// The candidate is the window's last entry and probation's last is the victim it duels,
    /// so a cache too large to list whole still lists both.
    fn explain(&self, e: &mut Eviction, newcomer: Key, now: SimTime) {
        let held = u64::from(self.slab.index.len());
        e.begin(
            now,
            EvictionPolicy::WTinyLfu,
            newcomer,
            newcomer,
            EvictionReason::Capacity,
            held,
        );
        for list in [&self.window, &self.probation, &self.protected] {
            let mut at = list.tail;
            while let Some(n) = self.slab.get(at) {
                if e.order.len() >= ORDER_LIMIT {
                    break;
                }
                e.order.push(OrderEntry {
                    key: n.key,
                    slot: at,
                    standing: Standing::Segment {
                        region: n.meta,
                        frequency: self.sketch.frequency(n.key),
                    },
                });
                at = n.prev;
            }
        }
        e.order.reverse();
    }

    /// After inserting `newcomer`: spill the window's overflow into probation, then, if over
    /// capacity, let the sketch decide between the candidate and probation's victim.
    fn make_room<S: EffectSink>(&mut self, newcomer: Key, now: SimTime, sink: &mut S) {
        if u64::from(self.window.len) <= self.sizes.window {
            return;
        }
        let candidate = self.window.tail;
        let full = self.slab.index.len() > self.capacity;
        if full {
            if let Some(e) = sink.eviction() {
                self.explain(e, newcomer, now);
            }
        }
        self.relocate(candidate, Region::Probation, sink);
        if !full {
            return;
        }
        let mut victim = self.probation.tail;
        if victim == candidate {
            victim = self.protected.tail;
        }
        let (loser, reason, duel) = if victim == NIL {
            // Main holds nothing but the candidate (capacity 1): nothing to contest.
            (candidate, EvictionReason::Capacity, None)
        } else if self.slab.get(victim).is_some_and(|n| n.expires_at <= now.0) {
            (victim, EvictionReason::Expired, None)
        } else {
            let (ck, vk) = (self.key_of(candidate), self.key_of(victim));
            let (cf, vf) = (self.sketch.frequency(ck), self.sketch.frequency(vk));
            let admitted = cf > vf;
            sink.push(CacheEffect::AdmissionContest {
                candidate: ck,
                candidate_frequency: cf,
                victim: vk,
                victim_frequency: vf,
                admitted,
            });
            let duel = Duel {
                candidate: ck,
                candidate_frequency: cf,
                victim: vk,
                victim_frequency: vf,
                admitted,
            };
            (
                if admitted { victim } else { candidate },
                EvictionReason::Capacity,
                Some(duel),
            )
        };
        if let Some(e) = sink.eviction() {
            e.victim = self.key_of(loser);
            e.reason = reason;
            e.duel = duel;
        }
        self.remove_slot(loser, reason, sink);
    }

    fn keep_order(&self) -> Vec<u32> {
        let nodes = &self.slab.nodes;
        let mut order = self.protected.slots(nodes);
        order.extend(self.window.slots(nodes));
        order.extend(self.probation.slots(nodes));
        order
    }
}

impl<V: Clone> L1Policy<V> for WTinyLfuCache<V> {
    fn get_with<S: EffectSink>(&mut self, key: Key, now: SimTime, sink: &mut S) -> Option<&V> {
        let Some(slot) = self.slab.index.get(key) else {
            self.counters.misses += 1;
            sink.push(CacheEffect::Miss { key });
            return None;
        };
        if self.slab.get(slot).is_none_or(|n| n.expires_at <= now.0) {
            self.remove_slot(slot, EvictionReason::Expired, sink);
            self.counters.misses += 1;
            sink.push(CacheEffect::Miss { key });
            return None;
        }
        self.sketch.increment(key);
        self.counters.hits += 1;
        sink.push(CacheEffect::Hit {
            key,
            slot,
            region: self.region_of(slot),
        });
        self.touch(slot, sink);
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
        self.sketch.increment(key);
        if let Some(slot) = self.slab.index.get(key) {
            if let Some(n) = self.slab.get_mut(slot) {
                n.value = value;
                n.expires_at = expires_at;
            }
            sink.push(CacheEffect::Updated {
                key,
                slot,
                region: self.region_of(slot),
                expires_at: expires_view(expires_at),
            });
            self.touch(slot, sink);
            return;
        }
        let slot = self.slab.alloc(Node {
            key,
            value,
            expires_at,
            prev: NIL,
            next: NIL,
            meta: Region::Window,
        });
        self.window.push_front(&mut self.slab.nodes, slot);
        self.slab.index.insert(key, slot);
        sink.push(CacheEffect::Inserted {
            key,
            slot,
            region: Region::Window,
            expires_at: expires_view(expires_at),
        });
        self.make_room(key, now, sink);
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
        self.window = List::default();
        self.probation = List::default();
        self.protected = List::default();
        sink.push(CacheEffect::Cleared { entries });
    }

    fn contains(&self, key: Key, now: SimTime) -> bool {
        self.slab.holds_live(key, now)
    }

    fn capacity(&self) -> u64 {
        u64::from(self.capacity)
    }

    fn entries(&self) -> Vec<EntryView> {
        self.keep_order()
            .into_iter()
            .filter_map(|slot| {
                self.slab.get(slot).map(|n| EntryView {
                    key: n.key,
                    slot,
                    region: n.meta,
                    expires_at: expires_view(n.expires_at),
                    frequency: Some(u64::from(self.sketch.frequency(n.key))),
                })
            })
            .collect()
    }

    fn value_at(&self, slot: u32) -> Option<&V> {
        self.slab.get(slot).map(|n| &n.value)
    }
}

impl<V> WTinyLfuCache<V> {
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

impl_cache_via_policy!([V: Clone] WTinyLfuCache<V>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caching::{Cache, Discard};

    #[test]
    fn caffeine_region_sizes() {
        assert_eq!(
            RegionSizes::for_capacity(100),
            RegionSizes {
                window: 1,
                protected: 79,
                probation: 20
            }
        );
        let one = RegionSizes::for_capacity(1);
        assert_eq!((one.window, one.protected, one.probation), (1, 0, 0));
    }

    #[test]
    fn a_second_hit_in_probation_promotes_to_protected() {
        let mut c = WTinyLfuCache::<u64>::new(100).unwrap();
        let t = SimTime::ZERO;
        c.set(1, 1, None, t);
        c.set(2, 2, None, t); // pushes 1 out of the 1-entry window into probation
        assert_eq!(c.region_len(Region::Probation), 1);
        let mut fx = Vec::new();
        assert!(c.get_with(1, t, &mut fx).is_some());
        assert!(fx.contains(&CacheEffect::Moved {
            key: 1,
            slot: 0,
            from: Region::Probation,
            to: Region::Protected
        }));
        assert_eq!(c.region_len(Region::Protected), 1);
        assert!(c.get_with(2, t, &mut Discard).is_some());
    }

    #[test]
    fn capacity_one_never_overflows() {
        let mut c = WTinyLfuCache::<u64>::new(1).unwrap();
        for k in 0..10 {
            c.set(k, k, None, SimTime::ZERO);
            assert_eq!(c.len(), 1);
        }
    }
}
