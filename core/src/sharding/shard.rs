//! A shard: a stable id, a name, and the keys it stores.

use super::{ShardFault, ShardingError};
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// Largest weight a shard may carry (rendezvous weighting).
pub const MAX_SHARD_WEIGHT: f64 = 1_000.0;

/// A shard's stable id. Ids are never reused, so `shard-3` keeps meaning the same shard after
/// `shard-1` is removed — routers hash the *name*, not a position.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct ShardId(pub u32);

impl ShardId {
    /// `"shard-<id>"`: the name ring points and rendezvous seeds are derived from.
    pub fn name(self) -> String {
        format!("shard-{}", self.0)
    }
}

impl core::fmt::Display for ShardId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "shard-{}", self.0)
    }
}

/// Sorts packed `u128` sort keys ascending. Every sort in the sharding code packs its order
/// into a `u128` (ids, ring points with their owner, rebalance surpluses) and sorts through this
/// one function, so the wasm bundle carries one small sort instead of a standard-library sort
/// per element type and comparator (each is ~4 KB). Packed keys are whole values, so stability
/// does not arise.
pub(crate) fn sort_packed(keys: &mut [u128]) {
    crate::heapsort::heapsort(keys);
}

/// `ids` in ascending order.
pub(crate) fn sorted_ids(ids: impl Iterator<Item = ShardId>) -> Vec<ShardId> {
    let mut keys: Vec<u128> = ids.map(|id| u128::from(id.0)).collect();
    sort_packed(&mut keys);
    keys.into_iter().map(|k| ShardId(k as u32)).collect()
}

/// A stored value with the version the store gave it (1, 2, 3… across the whole store), so a
/// read can tell the latest value from a stale copy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Versioned {
    /// The stored value.
    pub value: String,
    /// Its version.
    pub version: u64,
}

/// One shard's data and simulated latency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// The shard's stable id.
    pub id: ShardId,
    /// Rendezvous weight (other routers ignore it).
    pub weight: f64,
    /// Fixed cost of asking this shard anything, in simulated microseconds.
    pub base_latency_micros: u64,
    /// Removed from the router; still holds keys that have not migrated yet.
    pub draining: bool,
    /// Slow or down, as a student set it.
    #[serde(default)]
    pub fault: ShardFault,
    pub(crate) data: Table<String, Versioned>,
}

impl Shard {
    pub(crate) fn new(id: ShardId, weight: f64, base_latency_micros: u64) -> Self {
        Shard {
            id,
            weight,
            base_latency_micros,
            draining: false,
            fault: ShardFault::Healthy,
            data: Table::new(),
        }
    }

    /// `shard-<id>`.
    pub fn name(&self) -> String {
        self.id.name()
    }

    /// Keys it stores.
    pub fn key_count(&self) -> u64 {
        self.data.len() as u64
    }

    /// The stored value of `key`, if this shard holds it.
    pub fn get(&self, key: &str) -> Option<&Versioned> {
        self.data.get(key)
    }

    /// Keys in sorted order with their values.
    pub fn entries(&self) -> impl Iterator<Item = (&String, &Versioned)> {
        self.data.iter()
    }
}

/// Checks a shard weight: finite, above zero, at most [`MAX_SHARD_WEIGHT`].
pub(crate) fn check_weight(weight: f64) -> Result<f64, ShardingError> {
    if weight.is_finite() && weight > 0.0 && weight <= MAX_SHARD_WEIGHT {
        Ok(weight)
    } else {
        Err(ShardingError::BadWeight {
            value: weight,
            max: MAX_SHARD_WEIGHT,
        })
    }
}
