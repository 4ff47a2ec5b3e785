//! The well-known tutorial's router: MD5 of the key, as an integer, modulo the number of
//! shards.
//!
//! The tutorial labels this "consistent hashing". It is not: when the shard count changes from N
//! to N+1 almost every key (≈ N/(N+1)) lands on a different shard. It is kept, under its real
//! name, so the movement counts can show the difference next to the ring and jump hash.

use super::hash::md5_u128;
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
        let n = self.shards.len() as u128;
        if n == 0 {
            return None;
        }
        let slot = md5_u128(key) % n;
        self.shards.get(slot as usize).copied()
    }

    /// MD5 of `key`, the shard count, `hash % count` and the shard at that position; `None`
    /// without shards.
    pub fn trace(&self, key: &str) -> Option<(u128, u32, u32, ShardId)> {
        let n = self.shards.len() as u32;
        if n == 0 {
            return None;
        }
        let hash = md5_u128(key);
        let slot = (hash % u128::from(n)) as u32;
        Some((hash, n, slot, *self.shards.get(slot as usize)?))
    }

    /// Shards in the order they were added (residue order).
    pub fn shards(&self) -> &[ShardId] {
        &self.shards
    }
}
