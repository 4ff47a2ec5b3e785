//! The guide's `Cache` interface, and what every cache level reports.
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
    /// Its TTL had passed (found on read, as the guide checks lazily).
    Expired,
    /// Deleted, invalidated or flushed on purpose.
    Explicit,
}

impl EvictionReason {
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
    Main,
    Window,
    Probation,
    Protected,
}

impl Region {
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
    Hit {
        key: Key,
        slot: u32,
        region: Region,
    },
    Miss {
        key: Key,
    },
    Inserted {
        key: Key,
        slot: u32,
        region: Region,
        expires_at: Option<SimTime>,
    },
    /// An existing entry got a new value (and TTL).
    Updated {
        key: Key,
        slot: u32,
        region: Region,
        expires_at: Option<SimTime>,
    },
    Evicted {
        key: Key,
        slot: u32,
        region: Region,
        reason: EvictionReason,
    },
    /// Moved between W-TinyLFU regions (window → probation, probation → protected,
    /// or protected → probation when the protected segment overflows).
    Moved {
        key: Key,
        slot: u32,
        from: Region,
        to: Region,
    },
    /// W-TinyLFU's admission filter: the window's victim against probation's victim.
    AdmissionContest {
        candidate: Key,
        candidate_frequency: u8,
        victim: Key,
        victim_frequency: u8,
        admitted: bool,
    },
    Cleared {
        entries: u64,
    },
}

/// Receives effects as they happen.
pub trait EffectSink {
    fn push(&mut self, effect: CacheEffect);
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
    pub capacity: u64,
    pub expired: u64,
    pub explicit: u64,
}

impl EvictionCounts {
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

/// What a cache level reports: the guide's `Stats()` (hits, misses, evictions, hit rate,
/// size), with evictions split by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub evictions: EvictionCounts,
    /// hits / (hits + misses), 0 before the first lookup.
    pub hit_rate: f64,
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

/// The guide's cache interface. `ttl: None` keeps the entry until it is evicted.
pub trait Cache<V> {
    /// The value if present and not expired. An expired entry is removed on the way
    /// (lazy expiry, as the guide) and counts as a miss.
    fn get(&mut self, key: Key, now: SimTime) -> Option<V>;
    fn set(&mut self, key: Key, value: V, ttl: Option<SimDuration>, now: SimTime);
    /// True if the key was present.
    fn delete(&mut self, key: Key) -> bool;
    fn clear(&mut self);
    fn stats(&self) -> CacheStats;
    fn len(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One entry as the UI draws it, in the policy's keep order (first = kept longest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub key: Key,
    pub slot: u32,
    pub region: Region,
    pub expires_at: Option<SimTime>,
    /// LFU use count or W-TinyLFU sketch estimate, where the policy keeps one.
    pub frequency: Option<u64>,
}

pub(crate) fn expires_view(expires_at: u64) -> Option<SimTime> {
    (expires_at != super::slab::NEVER).then_some(SimTime(expires_at))
}
