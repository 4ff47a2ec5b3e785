//! Jump consistent hash over a list of shards.
//!
//! Jump hash maps a key to a *bucket number* in `[0, n)` and only supports growing or shrinking
//! at the end: going from n to n+1 moves ≈ 1/(n+1) of keys, all into the new last bucket.
//! Removing a shard from the middle is handled the way jump-hash deployments usually do: the
//! last bucket's shard takes over the removed shard's bucket (`swap_remove`), then the bucket
//! count shrinks by one. The removed shard's keys all move (they must), and so do the keys the
//! old last bucket held that now jump elsewhere — about 2/N of keys instead of 1/N. Removing
//! the *last* shard moves only its own keys. The movement counts make that cost visible.

use super::hash::{jump_hash, jump_walk, key_hash};
use super::route_trace::JumpStep;
use super::ShardId;
use serde::{Deserialize, Serialize};

/// Jump consistent hash: a key goes to bucket `jump_hash(key, n)`, and each bucket to a shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct JumpRouter {
    /// `buckets[b]` is the shard that owns jump bucket `b`.
    buckets: Vec<ShardId>,
}

impl JumpRouter {
    /// A router without buckets.
    pub fn new() -> Self {
        JumpRouter {
            buckets: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, id: ShardId) {
        self.buckets.push(id);
    }

    pub(crate) fn remove(&mut self, id: ShardId) {
        if let Some(pos) = self.buckets.iter().position(|&s| s == id) {
            self.buckets.swap_remove(pos);
        }
    }

    /// The shard owning `hash`'s bucket; `None` without buckets.
    #[inline]
    pub fn lookup_hash(&self, hash: u64) -> Option<ShardId> {
        let bucket = jump_hash(hash, self.buckets.len() as u32);
        self.buckets.get(bucket as usize).copied()
    }

    /// `hash`'s jumps into `jumps` (cleared first), its bucket and that bucket's shard; `None`
    /// without buckets.
    pub fn trace_hash(&self, hash: u64, jumps: &mut Vec<JumpStep>) -> Option<(u32, ShardId)> {
        jumps.clear();
        let bucket = jump_walk(hash, self.buckets.len() as u32, |from, to| {
            jumps.push(JumpStep { from, to });
        });
        Some((bucket, *self.buckets.get(bucket as usize)?))
    }

    /// The shard `key` goes to; `None` without buckets.
    #[inline]
    pub fn route(&self, key: &str) -> Option<ShardId> {
        self.lookup_hash(key_hash(key))
    }

    /// Shards in bucket order.
    pub fn buckets(&self) -> &[ShardId] {
        &self.buckets
    }
}
