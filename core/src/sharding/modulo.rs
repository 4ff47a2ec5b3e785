//! The well-known tutorial's router: MD5 of the key, folded into a Go `int`, modulo the number
//! of shards.
//!
//! The fold is the tutorial's, exactly: `h = h*256 + int(b)` over the 16 digest bytes wraps
//! in 64 bits, leaving the digest's low 64 bits read as a signed integer ([`guide_int`]); the
//! tutorial then takes `h = -h` when `h < 0`, and `h % n` picks the shard. One value escapes
//! that: Go's `-h` of the most negative int64 (−2^63, one key in 2^64) is itself, so the
//! tutorial's index stays negative and indexing the shard list panics. Here the absolute value
//! is taken without sign ([`i64::unsigned_abs`], 2^63 for that value), so every key has a
//! shard and the other 2^64 − 1 values route exactly as in the tutorial.
//!
//! The tutorial labels this "consistent hashing". It is not: when the shard count changes from N
//! to N+1 almost every key (≈ N/(N+1)) lands on a different shard. It is kept, under its real
//! name, so the movement counts can show the difference next to the ring and jump hash.

use super::hash::{guide_int, md5_u128};
use super::ShardId;
use serde::{Deserialize, Serialize};

/// MD5 of the key modulo the shard count: the tutorial's router, kept under its real name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ModuloRouter {
    /// Shards in the order they were added; position = the residue that maps to them.
    shards: Vec<ShardId>,
}

impl ModuloRouter {
    /// A router without shards.
    pub fn new() -> Self {
        ModuloRouter { shards: Vec::new() }
    }

    pub(crate) fn add(&mut self, id: ShardId) {
        self.shards.push(id);
    }

    /// Removing closes the gap, shifting every later shard's residue: the tutorial's scheme has
    /// no better option, which is the point.
    pub(crate) fn remove(&mut self, id: ShardId) {
        self.shards.retain(|&s| s != id);
    }

    /// The shard `key` goes to; `None` without shards.
    pub fn route(&self, key: &str) -> Option<ShardId> {
        self.trace(key).map(|(_, _, _, shard)| shard)
    }

    /// MD5 of `key`, the shard count, `|h| % count` (with `h` the tutorial's fold of the
    /// digest) and the shard at that position; `None` without shards.
    pub fn trace(&self, key: &str) -> Option<(u128, u32, u32, ShardId)> {
        let n = self.shards.len() as u32;
        if n == 0 {
            return None;
        }
        let digest = md5_u128(key);
        let slot = slot(guide_int(digest), n);
        Some((digest, n, slot, *self.shards.get(slot as usize)?))
    }

    /// Shards in the order they were added (residue order).
    pub fn shards(&self) -> &[ShardId] {
        &self.shards
    }
}

/// The tutorial's `|h| % n`, with −2^63's absolute value taken as 2^63 (see the module doc).
/// `n` is at least 1; the result is below `n`, so it fits in a `u32`.
pub(crate) fn slot(h: i64, n: u32) -> u32 {
    (h.unsigned_abs() % u64::from(n.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_of_hand_computed_digests() {
        // md5("") low 64 bits 0xe9800998ecf8427e = −1621285313438006658 as int64;
        // |h| = 1621285313438006658: mod 3 = 0, mod 4 = 2, mod 5 = 3. (All 128 bits give
        // mod 5 = 1.)
        let h = guide_int(md5_u128(""));
        assert_eq!([slot(h, 3), slot(h, 4), slot(h, 5)], [0, 2, 3]);
        // user:1 → low half 0xa82b28edd1c8ccd2, negative: |h| = 6328919849447142190.
        let h = guide_int(md5_u128("user:1"));
        assert_eq!(h, -6_328_919_849_447_142_190);
        assert_eq!([slot(h, 3), slot(h, 4), slot(h, 5)], [1, 2, 0]);
        // user:42 → 0x0467c942a86c29de = 317443586883594718, positive.
        let h = guide_int(md5_u128("user:42"));
        assert_eq!(h, 317_443_586_883_594_718);
        assert_eq!([slot(h, 3), slot(h, 4), slot(h, 5)], [1, 2, 3]);
        // user:123 → 0x0f4cba5512f72521 = 1102460883352102177.
        let h = guide_int(md5_u128("user:123"));
        assert_eq!([slot(h, 3), slot(h, 4), slot(h, 5)], [1, 1, 2]);
    }

    #[test]
    fn the_most_negative_int_has_a_shard() {
        // Go's −(−2^63) is −2^63 and the tutorial's index would be negative; 2^63 here.
        assert_eq!(slot(i64::MIN, 3), ((1u64 << 63) % 3) as u32);
        assert_eq!(slot(i64::MIN, 3), 2);
        assert_eq!(slot(i64::MIN, 4), 0);
        assert_eq!(slot(-7, 4), 3);
        assert_eq!(slot(7, 4), 3);
    }

    #[test]
    fn routes_by_the_folded_int() {
        let mut r = ModuloRouter::new();
        assert_eq!(r.route("user:1"), None);
        for id in [10, 11, 12, 13, 14] {
            r.add(ShardId(id));
        }
        assert_eq!(r.route(""), Some(ShardId(13)));
        assert_eq!(r.route("user:1"), Some(ShardId(10)));
        assert_eq!(r.route("user:42"), Some(ShardId(13)));
        assert_eq!(r.trace("user:123").map(|t| t.2), Some(2));
    }
}
