//! The origin: the database behind the caches, slow and always right.
//!
//! Every key starts at version 0; a value is a deterministic function of (key, version), so
//! a test or a student can tell a fresh value from a stale one just by its version.

use super::Key;
use crate::sim::SimDuration;
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// What the caches hold: a version and a payload derived from it.
///
/// `miniserde::Deserialize` is how the L2 reads its stored JSON back (see `l2.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, miniserde::Deserialize)]
pub struct Value {
    pub version: u64,
    pub payload: u64,
}

impl Value {
    /// The value the origin holds for `key` at `version`.
    pub fn of(key: Key, version: u64) -> Value {
        let mut z = key ^ version.rotate_left(32) ^ 0x9e37_79b9_7f4a_7c15;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Value {
            version,
            payload: z ^ (z >> 31),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginStats {
    /// Reads that reached the origin (cache misses that were not coalesced).
    pub loads: u64,
    /// Writes applied to the origin.
    pub writes: u64,
    /// Origin reads that returned an older version than a write-behind buffer held.
    pub stale_reads: u64,
    /// Fetches made by cache warming.
    pub warm_loads: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// Only keys written at least once; the rest are at version 0.
    versions: Table<Key, u64>,
    latency: SimDuration,
    stats: OriginStats,
}

impl Origin {
    pub fn new(latency: SimDuration) -> Self {
        Origin {
            versions: Table::new(),
            latency,
            stats: OriginStats::default(),
        }
    }

    pub fn latency(&self) -> SimDuration {
        self.latency
    }

    pub fn version(&self, key: Key) -> u64 {
        self.versions.get(&key).copied().unwrap_or(0)
    }

    /// The current value without counting a load.
    pub fn peek(&self, key: Key) -> Value {
        Value::of(key, self.version(key))
    }

    /// A counted read (a cache miss reaching the database).
    pub fn load(&mut self, key: Key) -> Value {
        self.stats.loads += 1;
        self.peek(key)
    }

    /// A counted read made by cache warming.
    pub fn warm_load(&mut self, key: Key) -> Value {
        self.stats.warm_loads += 1;
        self.peek(key)
    }

    pub(crate) fn count_stale_read(&mut self) {
        self.stats.stale_reads += 1;
    }

    /// Stores `version` of `key` (a write reaching the database).
    pub fn write(&mut self, key: Key, version: u64) -> Value {
        self.stats.writes += 1;
        self.versions.insert(key, version);
        Value::of(key, version)
    }

    pub fn stats(&self) -> OriginStats {
        self.stats
    }
}
