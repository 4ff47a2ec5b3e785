//! A key → slot map for the L1 caches, and key → position for the L2.
//!
//! A `std` `HashMap` (hashbrown's SIMD-probed table) with a one-multiply integer hasher. The
//! map is only ever *looked up* — never iterated, never serialized — so its internal order
//! cannot leak into results; its owner (an L1's [`super::slab::Slab`], or the L2) rebuilds it
//! from its own entries after deserialization. (An own open-addressing table with backward-shift deletion was
//! measured first: its delete loop made evictions ~1.8× slower than the `lru` crate at 1 000
//! entries.)
//!
//! With the `compact` feature (every web page but the system scene's turns it on) the
//! map is instead the `BTreeMap<u64, u32>` the model's side tables already link
//! ([`crate::table::Table`]), so the caching page carries no second map's code: 1.1 KB smaller
//! page, for lookups that stay fast at the caching page's L1 sizes (at most 64 keys) but lose
//! to hashbrown at the benchmarks' 1 000 and 100 000 entries and at the system scene's L2 of
//! thousands, which run without the feature.

#[cfg(not(feature = "compact"))]
use std::collections::HashMap;
#[cfg(not(feature = "compact"))]
use std::hash::{BuildHasherDefault, Hasher};

/// The map behind [`KeyIndex`] (see the module documentation).
#[cfg(not(feature = "compact"))]
type Map = HashMap<u64, u32, BuildHasherDefault<KeyHasher>>;
#[cfg(feature = "compact")]
type Map = std::collections::BTreeMap<u64, u32>;

/// Multiply-fold mixing (as in foldhash/wyhash): one 64×64→128 multiply, both halves folded,
/// so both the low bits (bucket index) and the top 7 bits (hashbrown's tag) are well mixed.
#[cfg(not(feature = "compact"))]
#[inline(always)]
fn mix(key: u64) -> u64 {
    let p = u128::from(key ^ 0x243f_6a88_85a3_08d3) * 0x9e37_79b9_7f4a_7c15_u128;
    (p as u64) ^ ((p >> 64) as u64)
}

/// Hashes a `u64` key in one multiply. Not DoS-resistant — keys come from the simulation,
/// not from an attacker — and fully deterministic (no random state).
#[cfg(not(feature = "compact"))]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KeyHasher(u64);

#[cfg(not(feature = "compact"))]
impl Hasher for KeyHasher {
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used for `u64` keys; this keeps other inputs correct.
        for &b in bytes {
            self.0 = mix(self.0 ^ u64::from(b));
        }
    }

    #[inline(always)]
    fn write_u64(&mut self, key: u64) {
        self.0 = mix(key);
    }

    #[inline(always)]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A u64 → u32 map that is never iterated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyIndex {
    map: Map,
}

impl KeyIndex {
    /// A map sized for `expected` keys up front (growing past it if needed), so a full
    /// cache never rehashes.
    #[cfg(not(feature = "compact"))]
    pub(crate) fn with_expected(expected: u32) -> Self {
        // Cap the reservation like the slab, so a huge cache does not allocate it all at once.
        let reserve = (expected as usize).min(1 << 16);
        KeyIndex {
            map: HashMap::with_capacity_and_hasher(reserve, BuildHasherDefault::default()),
        }
    }

    /// An empty map (a B-tree has nothing to reserve).
    #[cfg(feature = "compact")]
    pub(crate) fn with_expected(_expected: u32) -> Self {
        KeyIndex::default()
    }

    pub(crate) fn len(&self) -> u32 {
        self.map.len() as u32
    }

    #[inline(always)]
    pub(crate) fn get(&self, key: u64) -> Option<u32> {
        self.map.get(&key).copied()
    }

    /// Inserts or overwrites `key`'s slot.
    #[inline(always)]
    pub(crate) fn insert(&mut self, key: u64, slot: u32) {
        self.map.insert(key, slot);
    }

    #[inline(always)]
    pub(crate) fn remove(&mut self, key: u64) -> Option<u32> {
        self.map.remove(&key)
    }

    pub(crate) fn clear(&mut self) {
        self.map.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn matches_a_btreemap_under_mixed_operations() {
        let mut idx = KeyIndex::with_expected(4);
        let mut reference = BTreeMap::new();
        let mut x: u64 = 7;
        for step in 0..20_000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let key = (x >> 33) % 300;
            if x % 3 == 0 {
                assert_eq!(idx.remove(key), reference.remove(&key));
            } else {
                idx.insert(key, step);
                reference.insert(key, step);
            }
            assert_eq!(idx.len() as usize, reference.len());
        }
        for key in 0..300 {
            assert_eq!(idx.get(key), reference.get(&key).copied());
        }
    }
}
