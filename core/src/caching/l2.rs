//! The L2 cache in Redis's role: shared, remote (a round trip per call), values serialized.
//!
//! As the tutorial marshals values to JSON before `SET`, entries here are `serde_json` bytes
//! and are decoded on every hit, by the value type's own reader ([`StoredJson`]): it reads
//! exactly what serde_json writes for it and refuses anything else. A general JSON parser
//! here cost either the page (serde_json's, monomorphized per type) or the simulation's speed
//! (miniserde's `dyn` visitors made the 1 M-request pipeline 19 % slower in wasm).
//! TTL is per key and checked lazily on read. With a memory limit the store evicts under its
//! [`L2Policy`], as Redis's `evict.c` does: it never scans all keys but samples
//! `maxmemory-samples` (5) random keys into a 16-entry *eviction pool* ordered by a score and
//! evicts the pool's best-scored key that still exists — an approximation whose quality grows
//! with the sample count. The score is the idle time (`allkeys-lru`), 255 less the decayed LFU
//! counter (`allkeys-lfu`), or how near the expiry is (`volatile-ttl`, which samples only keys
//! with a TTL). `noeviction`, and `volatile-ttl` with no key to evict, refuse the write with
//! Redis's OOM error and count it. Sampling and the LFU increments draw from the model's
//! `SimRng`, so it is all deterministic.
//!
//! `allkeys-lru` stores first and then evicts while over the limit (its newcomer, idle 0, is
//! the last key it would pick); the other policies make room before they store, as Redis
//! runs its eviction before a write, so they can refuse a write without touching the store.

use super::cache::{CacheEffect, CacheStats, Counters, EffectSink, Key, Region};
use super::config::{entry_bytes, L2Config};
use super::index::KeyIndex;
use super::l2_policy::{lfu_decayed, lfu_log_incr, L2Policy, LFU_INIT_VAL};
use super::slab::expiry;
use super::why::{L2Candidate, L2Eviction, L2Standing};
use super::{Cache, CachingError, Discard, EvictionReason};
use crate::sim::{SimDuration, SimRng, SimTime};
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;
use std::rc::Rc;

/// Redis's `EVPOOL_SIZE`.
pub const EVICTION_POOL_SIZE: usize = 16;
/// Sampling rounds per eviction before giving up (only reachable if the store is empty).
const MAX_SAMPLING_ROUNDS: u32 = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    key: Key,
    /// The value's JSON, shared between copies: a timeline snapshot of the store copies
    /// thousands of entries, and a count increment each is what keeps that a plain copy (a
    /// `Vec` each made it an allocation each, most of the system scene's snapshot time).
    bytes: Rc<[u8]>,
    expires_at: u64,
    /// The store's access clock at the last read or write (Redis's LRU clock).
    last_access: u64,
    /// `allkeys-lfu`'s logarithmic access counter (Redis's `LOG_C`).
    #[serde(default)]
    lfu: u8,
    /// When `lfu` last changed (Redis's last decrement time), in µs.
    #[serde(default)]
    ldt: u64,
}

impl Entry {
    fn size(&self) -> u64 {
        entry_bytes(self.bytes.len() as u64)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct PoolEntry {
    idle: u64,
    key: Key,
}

/// L2 statistics: the common cache counters plus memory use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct L2Stats {
    /// The cache counters (capacity is `None`: the L2 is bounded by memory).
    pub cache: CacheStats,
    /// Bytes held now: each entry's JSON plus its key and overhead.
    pub used_bytes: u64,
    /// `maxmemory` (`None`: unbounded).
    pub memory_limit: Option<u64>,
    /// One network round trip.
    pub round_trip: SimDuration,
    /// Writes refused for want of room (Redis's OOM error), under `noeviction`, or under
    /// `volatile-ttl` with no key with a TTL left.
    pub refused_writes: u64,
}

/// A value the L2 can read back from the JSON serde_json wrote for it.
pub trait StoredJson: Sized {
    /// The value `bytes` hold, or `None` if they are not what serde_json writes for one.
    fn from_json(bytes: &[u8]) -> Option<Self>;
}

/// Reads `{"a":1,"b":2}` with the given field names, in order, as serde_json writes a struct
/// of whole numbers: no spaces, fields in declaration order, each a `u64` in plain digits.
pub fn read_u64_fields<const N: usize>(bytes: &[u8], names: [&str; N]) -> Option<[u64; N]> {
    let mut rest = bytes.strip_prefix(b"{")?;
    let mut out = [0u64; N];
    for (i, (name, slot)) in names.iter().zip(out.iter_mut()).enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(b",")?;
        }
        rest = rest.strip_prefix(b"\"")?;
        rest = rest.strip_prefix(name.as_bytes())?;
        rest = rest.strip_prefix(b"\":")?;
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (number, tail) = rest.split_at(digits);
        // serde_json writes no leading zeros; "0" alone is zero.
        if number.is_empty() || (number.len() > 1 && number.first() == Some(&b'0')) {
            return None;
        }
        *slot = number.iter().try_fold(0u64, |n, d| {
            n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })?;
        rest = tail;
    }
    (rest == b"}").then_some(out)
}

/// The shared cache, Redis's role: values stored as JSON bytes, TTL per key, a memory limit with sampled eviction (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "L2Repr")]
pub struct L2Store<V> {
    /// Dense, so a random index is a uniformly random key.
    entries: Vec<Entry>,
    /// Key → position in `entries`: the L1s' index (a hash map, or the B-tree under the
    /// core's `compact`), never iterated, so derived from `entries`, not serialized.
    #[serde(skip)]
    index: KeyIndex,
    /// Ascending idle time; the idlest candidate is last.
    pool: Vec<PoolEntry>,
    clock: u64,
    used_bytes: u64,
    config: L2Config,
    rng: SimRng,
    counters: Counters,
    /// Writes refused for want of room.
    #[serde(default)]
    refused: u64,
    #[serde(skip)]
    _value: PhantomData<fn() -> V>,
}

/// What an [`L2Store`] serializes as: every field but the index, which is derived.
#[derive(Deserialize)]
struct L2Repr {
    entries: Vec<Entry>,
    pool: Vec<PoolEntry>,
    clock: u64,
    used_bytes: u64,
    config: L2Config,
    rng: SimRng,
    counters: Counters,
    #[serde(default)]
    refused: u64,
}

impl<V> From<L2Repr> for L2Store<V> {
    fn from(repr: L2Repr) -> Self {
        let mut index = KeyIndex::with_expected(repr.entries.len() as u32);
        for (pos, entry) in repr.entries.iter().enumerate() {
            index.insert(entry.key, pos as u32);
        }
        L2Store {
            entries: repr.entries,
            index,
            pool: repr.pool,
            clock: repr.clock,
            used_bytes: repr.used_bytes,
            config: repr.config,
            rng: repr.rng,
            counters: repr.counters,
            refused: repr.refused,
            _value: PhantomData,
        }
    }
}

impl<V: Serialize + StoredJson> L2Store<V> {
    /// An empty store; `rng` drives eviction sampling.
    pub fn new(config: &L2Config, rng: SimRng) -> Result<Self, CachingError> {
        config.validate()?;
        Ok(L2Store {
            entries: Vec::new(),
            index: KeyIndex::default(),
            pool: Vec::with_capacity(EVICTION_POOL_SIZE),
            clock: 0,
            used_bytes: 0,
            config: *config,
            rng,
            counters: Counters::default(),
            refused: 0,
            _value: PhantomData,
        })
    }

    /// One network round trip to it.
    pub fn round_trip(&self) -> SimDuration {
        self.config.round_trip
    }

    /// Bytes held now.
    pub fn used_bytes(&self) -> u64 {
        self.used_bytes
    }

    /// `maxmemory` (`None`: unbounded).
    pub fn memory_limit(&self) -> Option<u64> {
        self.config.memory_limit
    }

    /// `maxmemory-policy`.
    pub fn policy(&self) -> L2Policy {
        self.config.policy
    }

    /// `key`'s LFU counter as `allkeys-lfu` would rank it at `now` (decayed), if held.
    pub fn lfu_counter(&self, key: Key, now: SimTime) -> Option<u8> {
        self.position(key)
            .and_then(|p| self.entries.get(p))
            .map(|e| lfu_decayed(e.lfu, SimTime(e.ldt), now, self.config.lfu_decay_time))
    }

    /// Counters, memory use and round trip.
    pub fn l2_stats(&self) -> L2Stats {
        L2Stats {
            cache: self.stats(),
            used_bytes: self.used_bytes,
            memory_limit: self.config.memory_limit,
            round_trip: self.config.round_trip,
            refused_writes: self.refused,
        }
    }

    /// The stored bytes of `key` (what Redis would hold), expired or not.
    pub fn raw(&self, key: Key) -> Option<&[u8]> {
        self.position(key)
            .and_then(|p| self.entries.get(p))
            .map(|e| &e.bytes[..])
    }

    /// When `key` expires: `None` if absent, `Some(None)` if it has no TTL.
    pub fn expires_at(&self, key: Key) -> Option<Option<SimTime>> {
        self.position(key)
            .and_then(|p| self.entries.get(p))
            .map(|e| super::slab::expires_view(e.expires_at))
    }

    /// Keys in storage order (the slot a drawing uses), with their idle time.
    pub fn keys(&self) -> Vec<(Key, u64)> {
        self.entries
            .iter()
            .map(|e| (e.key, self.clock - e.last_access))
            .collect()
    }

    /// Whether `key` is held and not expired (no counters move).
    pub fn contains(&self, key: Key, now: SimTime) -> bool {
        self.position(key)
            .and_then(|p| self.entries.get(p))
            .is_some_and(|e| e.expires_at > now.0)
    }

    fn position(&self, key: Key) -> Option<usize> {
        self.index.get(key).map(|p| p as usize)
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// GET: the value if held, live and readable; reports a hit or a miss, and an expired entry's removal, to `sink`.
    pub fn get_with<S: EffectSink>(&mut self, key: Key, now: SimTime, sink: &mut S) -> Option<V> {
        let Some(pos) = self.position(key) else {
            self.counters.misses += 1;
            sink.push(CacheEffect::Miss { key });
            return None;
        };
        let clock = self.tick();
        let lfu = self.config.policy == L2Policy::AllkeysLfu;
        let decoded = match self.entries.get_mut(pos) {
            Some(e) if e.expires_at > now.0 => {
                e.last_access = clock;
                if lfu {
                    touch_lfu(e, now, &self.config, &mut self.rng);
                }
                Some(V::from_json(&e.bytes))
            }
            _ => None,
        };
        match decoded {
            Some(Some(value)) => {
                self.counters.hits += 1;
                sink.push(CacheEffect::Hit {
                    key,
                    slot: pos as u32,
                    region: Region::Main,
                });
                Some(value)
            }
            // Expired, or bytes that no longer decode (dropped rather than served).
            Some(None) | None => {
                let reason = if decoded.is_none() {
                    EvictionReason::Expired
                } else {
                    EvictionReason::Explicit
                };
                self.remove_at(pos, reason, sink);
                self.counters.misses += 1;
                sink.push(CacheEffect::Miss { key });
                None
            }
        }
    }

    /// SET with an optional TTL, reporting the insertion or update, and any evictions the
    /// memory limit forces, to `sink`. False when the policy refused it for want of room
    /// (reported as [`CacheEffect::Refused`] and counted): the store is then unchanged.
    pub fn set_with<S: EffectSink>(
        &mut self,
        key: Key,
        value: &V,
        ttl: Option<SimDuration>,
        now: SimTime,
        sink: &mut S,
    ) -> bool {
        // Serializing our own plain value types cannot fail; if a foreign one does, skip the
        // write as a failed SET would.
        let Ok(json) = serde_json::to_vec(value) else {
            return false;
        };
        let bytes: Rc<[u8]> = json.into();
        let policy = self.config.policy;
        if policy != L2Policy::AllkeysLru && !self.make_room(key, bytes.len() as u64, now, sink) {
            self.refused += 1;
            sink.push(CacheEffect::Refused { key, policy });
            return false;
        }
        let expires_at = expiry(now, ttl);
        let clock = self.tick();
        let expires_view = super::slab::expires_view(expires_at);
        if let Some(pos) = self.position(key) {
            if let Some(e) = self.entries.get_mut(pos) {
                let old = e.size();
                e.bytes = bytes;
                e.expires_at = expires_at;
                e.last_access = clock;
                if policy == L2Policy::AllkeysLfu {
                    touch_lfu(e, now, &self.config, &mut self.rng);
                }
                self.used_bytes = self.used_bytes - old + e.size();
            }
            sink.push(CacheEffect::Updated {
                key,
                slot: pos as u32,
                region: Region::Main,
                expires_at: expires_view,
            });
        } else {
            let entry = Entry {
                key,
                bytes,
                expires_at,
                last_access: clock,
                lfu: LFU_INIT_VAL,
                ldt: now.0,
            };
            self.used_bytes += entry.size();
            let pos = self.entries.len() as u32;
            self.entries.push(entry);
            self.index.insert(key, pos);
            sink.push(CacheEffect::Inserted {
                key,
                slot: pos,
                region: Region::Main,
                expires_at: expires_view,
            });
        }
        if policy == L2Policy::AllkeysLru {
            self.enforce_memory_limit(key, now, sink);
        }
        true
    }

    /// Evicts under the policy until a value of `value_bytes` for `key` fits; false if the
    /// policy cannot (`noeviction`, or nothing it may evict is left).
    fn make_room<S: EffectSink>(
        &mut self,
        key: Key,
        value_bytes: u64,
        now: SimTime,
        sink: &mut S,
    ) -> bool {
        let Some(limit) = self.config.memory_limit else {
            return true;
        };
        let new_size = entry_bytes(value_bytes);
        loop {
            // An update frees its old value as it stores the new one.
            let old = self
                .position(key)
                .and_then(|p| self.entries.get(p))
                .map_or(0, Entry::size);
            if self.used_bytes - old + new_size <= limit {
                return true;
            }
            if self.config.policy == L2Policy::Noeviction || !self.evict_one(key, now, sink) {
                return false;
            }
        }
    }

    /// DEL: removes `key`, reporting it to `sink`; true if it was held.
    pub fn delete_with<S: EffectSink>(&mut self, key: Key, sink: &mut S) -> bool {
        match self.position(key) {
            Some(pos) => {
                self.remove_at(pos, EvictionReason::Explicit, sink);
                true
            }
            None => false,
        }
    }

    /// FLUSHALL.
    pub fn flush_with<S: EffectSink>(&mut self, sink: &mut S) -> u64 {
        let entries = self.entries.len() as u64;
        self.counters.evictions.explicit += entries;
        self.entries.clear();
        self.index.clear();
        self.pool.clear();
        self.used_bytes = 0;
        sink.push(CacheEffect::Cleared { entries });
        entries
    }

    fn remove_at<S: EffectSink>(&mut self, pos: usize, reason: EvictionReason, sink: &mut S) {
        if pos >= self.entries.len() {
            return;
        }
        let gone = self.entries.swap_remove(pos);
        self.index.remove(gone.key);
        if let Some(moved) = self.entries.get(pos) {
            self.index.insert(moved.key, pos as u32);
        }
        self.used_bytes -= gone.size();
        self.counters.evictions.count(reason);
        sink.push(CacheEffect::Evicted {
            key: gone.key,
            slot: pos as u32,
            region: Region::Main,
            reason,
        });
    }

    fn enforce_memory_limit<S: EffectSink>(&mut self, newcomer: Key, now: SimTime, sink: &mut S) {
        let Some(limit) = self.config.memory_limit else {
            return;
        };
        while self.used_bytes > limit && !self.entries.is_empty() {
            if !self.evict_one(newcomer, now, sink) {
                break;
            }
        }
    }

    /// Redis's `evictionPoolPopulate` + pick: sample, merge into the pool, evict the
    /// best-scored pooled key that still exists (pool entries can be stale: deleted since
    /// sampling). False when there is nothing the policy may evict.
    fn evict_one<S: EffectSink>(&mut self, newcomer: Key, now: SimTime, sink: &mut S) -> bool {
        for _ in 0..MAX_SAMPLING_ROUNDS {
            let volatile = self.sampling_positions();
            if volatile.as_ref().is_some_and(Vec::is_empty) {
                return false;
            }
            self.populate_pool(volatile.as_deref(), now);
            while let Some(best) = self.pool.pop() {
                if let Some(pos) = self.position(best.key) {
                    if let Some(why) = sink.l2_eviction() {
                        let mut pool = self.pool.clone();
                        pool.push(best);
                        *why = Some(L2Eviction {
                            at: now,
                            policy: self.config.policy,
                            newcomer,
                            victim: best.key,
                            held: self.entries.len() as u64,
                            samples: self.config.samples,
                            pool: pool.iter().map(|p| self.candidate(p)).collect(),
                        });
                    }
                    self.remove_at(pos, EvictionReason::Capacity, sink);
                    return true;
                }
            }
        }
        false
    }

    /// `volatile-ttl` samples only keys with a TTL (Redis's `expires` dict): their positions.
    /// `None` for the policies that sample every key.
    fn sampling_positions(&self) -> Option<Vec<u32>> {
        (self.config.policy == L2Policy::VolatileTtl).then(|| {
            (0u32..)
                .zip(&self.entries)
                .filter(|(_, e)| super::slab::expires_view(e.expires_at).is_some())
                .map(|(i, _)| i)
                .collect()
        })
    }

    /// A pooled key as the why lists it: its score turned back into the policy's figure.
    fn candidate(&self, p: &PoolEntry) -> L2Candidate {
        let standing = match self.config.policy {
            L2Policy::AllkeysLfu => L2Standing::Counter {
                counter: u8::try_from(255u64.saturating_sub(p.idle)).unwrap_or(0),
            },
            L2Policy::VolatileTtl => L2Standing::Expires {
                at: SimTime(u64::MAX - p.idle),
            },
            L2Policy::AllkeysLru | L2Policy::Noeviction => L2Standing::Idle { idle: p.idle },
        };
        L2Candidate {
            key: p.key,
            standing,
        }
    }

    /// The pool's score of an entry: higher is evicted first (Redis's `idle` in the pool).
    fn score(&self, e: &Entry, now: SimTime) -> u64 {
        match self.config.policy {
            L2Policy::AllkeysLfu => {
                255 - u64::from(lfu_decayed(
                    e.lfu,
                    SimTime(e.ldt),
                    now,
                    self.config.lfu_decay_time,
                ))
            }
            L2Policy::VolatileTtl => u64::MAX - e.expires_at,
            L2Policy::AllkeysLru | L2Policy::Noeviction => self.clock - e.last_access,
        }
    }

    fn populate_pool(&mut self, volatile: Option<&[u32]>, now: SimTime) {
        let lru = self.config.policy == L2Policy::AllkeysLru;
        let n = volatile.map_or(self.entries.len(), <[u32]>::len) as u64;
        for _ in 0..self.config.samples {
            let drawn = self.rng.below(n) as usize;
            let pos = match volatile {
                Some(v) => v.get(drawn).map_or(usize::MAX, |&p| p as usize),
                None => drawn,
            };
            let Some(e) = self.entries.get(pos) else {
                continue;
            };
            let candidate = PoolEntry {
                idle: self.score(e, now),
                key: e.key,
            };
            if self.pool.iter().any(|p| p.key == candidate.key) {
                continue;
            }
            let full = self.pool.len() >= EVICTION_POOL_SIZE;
            if full && self.pool.first().is_some_and(|p| p.idle >= candidate.idle) {
                continue;
            }
            if full {
                self.pool.remove(0);
            }
            // Before its equals, as Redis inserts, so among equal scores the key pooled first
            // goes first; `allkeys-lru` keeps its original key order on a tie (a stale pooled
            // idle time can equal a fresh one), which the pinned runs rely on.
            let at = if lru {
                self.pool
                    .partition_point(|p| (p.idle, p.key) < (candidate.idle, candidate.key))
            } else {
                self.pool.partition_point(|p| p.idle < candidate.idle)
            };
            self.pool.insert(at, candidate);
        }
    }
}

impl<V: Serialize + StoredJson> Cache<V> for L2Store<V> {
    fn get(&mut self, key: Key, now: SimTime) -> Option<V> {
        self.get_with(key, now, &mut Discard)
    }
    fn set(&mut self, key: Key, value: V, ttl: Option<SimDuration>, now: SimTime) {
        self.set_with(key, &value, ttl, now, &mut Discard);
    }
    fn delete(&mut self, key: Key) -> bool {
        self.delete_with(key, &mut Discard)
    }
    fn clear(&mut self) {
        self.flush_with(&mut Discard);
    }
    fn stats(&self) -> CacheStats {
        self.counters.snapshot(self.entries.len() as u64, None)
    }
    fn len(&self) -> u64 {
        self.entries.len() as u64
    }
}

/// Redis's `updateLFU` on an access: decay for the periods since the last one, one
/// logarithmic increment, and the access time noted.
fn touch_lfu(e: &mut Entry, now: SimTime, config: &L2Config, rng: &mut SimRng) {
    let decayed = lfu_decayed(e.lfu, SimTime(e.ldt), now, config.lfu_decay_time);
    e.lfu = lfu_log_incr(decayed, config.lfu_log_factor, rng);
    e.ldt = now.0;
}
