//! The `Cache` interface of the well-known caching tutorial, and what every cache level
//! reports.
//!
//! Time is passed in (the model owns no clock), keys are `u64` (shown as `key:N`), and each
//! operation can also report its *effects* — hits, insertions, evictions with a reason,
//! promotions — to a sink, which the simulation turns into events. Caches used outside a
//! simulation (and the benchmark) pass [`Discard`], which compiles to nothing.

use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// A cache key. The UI shows it as `key:N` (see [`KeyName`]).
pub type Key = u64;

/// Displays a key the way the UI labels it: `key:42`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyName(pub Key);

impl core::fmt::Display for KeyName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "key:{}", self.0)
    }
}

/// Why an entry left a cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvictionReason {
    /// The cache was full (or over its memory limit) and the policy chose this entry.
    Capacity,
    /// Its TTL had passed (found on read: expiry is checked lazily, as the tutorial does).
    Expired,
    /// Deleted, invalidated or flushed on purpose.
    Explicit,
}

impl EvictionReason {
    /// How the narration says the entry left: "to make room", "because its TTL passed", "on request".
    pub fn describe(self) -> &'static str {
        match self {
            EvictionReason::Capacity => "to make room",
            EvictionReason::Expired => "because its TTL passed",
            EvictionReason::Explicit => "on request",
        }
    }
}

/// Where inside a cache an entry lives, for drawing. Single-list policies use `Main`;
/// W-TinyLFU splits its capacity into a window and a segmented main space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    /// The whole cache under a single-list policy.
    Main,
    /// W-TinyLFU's admission window (an LRU of about 1 % of the capacity).
    Window,
    /// W-TinyLFU's probation segment of main: admitted once, not yet read again.
    Probation,
    /// W-TinyLFU's protected segment of main: read again while on probation.
    Protected,
}

impl Region {
    /// Its lowercase name, as the drawing labels it.
    pub fn name(self) -> &'static str {
        match self {
            Region::Main => "main",
            Region::Window => "window",
            Region::Probation => "probation",
            Region::Protected => "protected",
        }
    }
}

/// One thing a cache operation did. `slot` is the entry's stable position (L1: its slab slot;
/// L2: its index in the key table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CacheEffect {
    /// A lookup found a live entry.
    Hit {
        /// The key read.
        key: Key,
        /// The entry's slot.
        slot: u32,
        /// Its region.
        region: Region,
    },
    /// A lookup found nothing (or only an expired entry).
    Miss {
        /// The key read.
        key: Key,
    },
    /// A new entry.
    Inserted {
        /// The key stored.
        key: Key,
        /// The slot it took.
        slot: u32,
        /// Its region.
        region: Region,
        /// When it expires (`None`: never).
        expires_at: Option<SimTime>,
    },
    /// An existing entry got a new value (and TTL).
    Updated {
        /// The key updated.
        key: Key,
        /// Its slot.
        slot: u32,
        /// Its region.
        region: Region,
        /// When it now expires (`None`: never).
        expires_at: Option<SimTime>,
    },
    /// An entry left the cache.
    Evicted {
        /// The key that left.
        key: Key,
        /// The slot it freed.
        slot: u32,
        /// The region it left.
        region: Region,
        /// Why it left.
        reason: EvictionReason,
    },
    /// Moved between W-TinyLFU regions (window → probation, probation → protected,
    /// or protected → probation when the protected segment overflows).
    Moved {
        /// The key moved.
        key: Key,
        /// Its slot (unchanged by the move).
        slot: u32,
        /// The region it left.
        from: Region,
        /// The region it entered.
        to: Region,
    },
    /// W-TinyLFU's admission filter: the window's victim against probation's victim.
    AdmissionContest {
        /// The window's victim, asking to enter main.
        candidate: Key,
        /// Its frequency estimate.
        candidate_frequency: u8,
        /// Probation's victim, which leaves if the candidate is admitted.
        victim: Key,
        /// Its frequency estimate.
        victim_frequency: u8,
        /// Whether the candidate won (a strictly higher frequency).
        admitted: bool,
    },
    /// Every entry was removed at once.
    Cleared {
        /// How many entries there were.
        entries: u64,
    },
    /// A write that needed room its memory policy would not make (Redis's OOM error): the
    /// key keeps its old value, or stays absent.
    Refused {
        /// The key written.
        key: Key,
        /// The L2 policy that refused.
        policy: super::L2Policy,
    },
}

/// Receives effects as they happen.
pub trait EffectSink {
    /// Takes in one effect.
    fn push(&mut self, effect: CacheEffect);

    /// Where an L1 policy that is about to evict by its own choice writes why, or `None`
    /// (the default) when nobody asks, so the policy builds nothing.
    #[inline(always)]
    fn eviction(&mut self) -> Option<&mut super::why::Eviction> {
        None
    }

    /// Where the L2, about to evict, writes why (its eviction pool), or `None` (the default)
    /// when nobody asks.
    #[inline(always)]
    fn l2_eviction(&mut self) -> Option<&mut Option<super::why::L2Eviction>> {
        None
    }
}

impl EffectSink for Vec<CacheEffect> {
    #[inline]
    fn push(&mut self, effect: CacheEffect) {
        Vec::push(self, effect);
    }
}

/// A sink that drops everything (the fast path: benchmarks, plain cache use).
#[derive(Debug, Clone, Copy, Default)]
pub struct Discard;

impl EffectSink for Discard {
    #[inline(always)]
    fn push(&mut self, _effect: CacheEffect) {}
}

/// Evictions counted by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvictionCounts {
    /// Evicted because the cache was full or over its memory limit.
    pub capacity: u64,
    /// Expired: found on a read, or the victim a full cache chose had already expired.
    pub expired: u64,
    /// Deleted, invalidated or flushed.
    pub explicit: u64,
}

impl EvictionCounts {
    /// All evictions, whatever the reason.
    pub fn total(&self) -> u64 {
        self.capacity + self.expired + self.explicit
    }

    #[inline(always)]
    pub(crate) fn count(&mut self, reason: EvictionReason) {
        match reason {
            EvictionReason::Capacity => self.capacity += 1,
            EvictionReason::Expired => self.expired += 1,
            EvictionReason::Explicit => self.explicit += 1,
        }
    }
}

/// What a cache level reports: the tutorial's `Stats()` (hits, misses, evictions, hit rate,
/// size), with evictions split by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheStats {
    /// Lookups that found a live entry.
    pub hits: u64,
    /// Lookups that found nothing, or an expired entry.
    pub misses: u64,
    /// Entries that left, by reason.
    pub evictions: EvictionCounts,
    /// hits / (hits + misses), 0 before the first lookup.
    pub hit_rate: f64,
    /// Entries held now.
    pub len: u64,
    /// Entry capacity (`None` for a level bounded by memory instead, like the L2).
    pub capacity: Option<u64>,
}

/// The running counters behind [`CacheStats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Counters {
    pub hits: u64,
    pub misses: u64,
    pub evictions: EvictionCounts,
}

impl Counters {
    pub(crate) fn snapshot(&self, len: u64, capacity: Option<u64>) -> CacheStats {
        let lookups = self.hits + self.misses;
        CacheStats {
            hits: self.hits,
            misses: self.misses,
            evictions: self.evictions,
            hit_rate: if lookups == 0 {
                0.0
            } else {
                self.hits as f64 / lookups as f64
            },
            len,
            capacity,
        }
    }
}

/// The tutorial's cache interface. `ttl: None` keeps the entry until it is evicted.
pub trait Cache<V> {
    /// The value if present and not expired. An expired entry is removed on the way
    /// (lazy expiry, as the tutorial's) and counts as a miss.
    fn get(&mut self, key: Key, now: SimTime) -> Option<V>;
    /// Stores `value` under `key`, replacing what was there; `ttl: None` keeps it until it is evicted.
    fn set(&mut self, key: Key, value: V, ttl: Option<SimDuration>, now: SimTime);
    /// True if the key was present.
    fn delete(&mut self, key: Key) -> bool;
    /// Removes every entry.
    fn clear(&mut self);
    /// The counters so far and the current size.
    fn stats(&self) -> CacheStats;
    /// Entries held now.
    fn len(&self) -> u64;
    /// True when no entry is held.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One entry as the UI draws it, in the policy's keep order (first = kept longest).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    /// The key.
    pub key: Key,
    /// Its stable slot (L1: slab slot; L2: index in the key table).
    pub slot: u32,
    /// Its region (W-TinyLFU) or `Main`.
    pub region: Region,
    /// When it expires (`None`: never).
    pub expires_at: Option<SimTime>,
    /// LFU use count or W-TinyLFU sketch estimate, where the policy keeps one.
    pub frequency: Option<u64>,
}
