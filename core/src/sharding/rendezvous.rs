//! Rendezvous (highest random weight) hashing.
//!
//! Every shard scores `fmix64(key_hash ^ shard_seed)`; the highest score wins. Adding a shard
//! moves exactly the keys the new shard now wins; removing one moves only its own keys. With
//! unequal weights the score becomes `−w / ln(u)` with `u` the score mapped into (0, 1), which
//! gives each shard a share of keys proportional to its weight. A lookup costs one score per
//! shard (O(N)), the price of needing no ring.

use super::hash::{fmix64, key_hash, stable_hash64};
use super::route_trace::{score_all, RendezvousScore};
use super::ShardId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Member {
    id: ShardId,
    seed: u64,
    weight: f64,
}

/// Rendezvous (highest random weight) hashing: every shard scores the key, the highest wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RendezvousRouter {
    /// Sorted by id, so equal scores go to the lower id.
    members: Vec<Member>,
}

impl RendezvousRouter {
    /// A router without shards.
    pub fn new() -> Self {
        RendezvousRouter {
            members: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, id: ShardId, weight: f64) {
        let seed = stable_hash64(id.name().as_bytes());
        let at = self.members.partition_point(|m| m.id < id);
        self.members.insert(at, Member { id, seed, weight });
    }

    pub(crate) fn remove(&mut self, id: ShardId) {
        self.members.retain(|m| m.id != id);
    }

    /// A shard's raw score for a key hash.
    #[inline]
    pub fn score(hash: u64, shard_seed: u64) -> u64 {
        fmix64(hash ^ shard_seed)
    }

    /// The weighted score `−w / ln(u)`, `u` in (0, 1) from the top 53 bits of the raw score.
    /// `libm::log`, not the platform's, so the bits match in wasm32.
    pub fn weighted_score(raw: u64, weight: f64) -> f64 {
        let u = ((raw >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        -weight / libm::log(u)
    }

    fn uniform_weights(&self) -> bool {
        match self.members.first() {
            Some(first) => self.members.iter().all(|m| m.weight == first.weight),
            None => true,
        }
    }

    /// The highest-scoring shard for `hash` (equal scores go to the lower id); `None` without
    /// shards.
    #[inline]
    pub fn lookup_hash(&self, hash: u64) -> Option<ShardId> {
        // With equal weights `−w/ln(u)` is increasing in the raw score, so the integer
        // comparison picks the same winner without a logarithm per shard.
        if self.uniform_weights() {
            let mut best: Option<(u64, ShardId)> = None;
            for m in &self.members {
                let s = Self::score(hash, m.seed);
                if best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, m.id));
                }
            }
            best.map(|(_, id)| id)
        } else {
            let mut best: Option<(f64, ShardId)> = None;
            for m in &self.members {
                let s = Self::weighted_score(Self::score(hash, m.seed), m.weight);
                if best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, m.id));
                }
            }
            best.map(|(_, id)| id)
        }
    }

    /// Every shard's score for `hash` into `scores` (cleared first, id order); returns whether
    /// the weights differ, which makes the weighted scores the ones compared.
    pub fn trace_hash(&self, hash: u64, scores: &mut Vec<RendezvousScore>) -> bool {
        score_all(
            self.members.iter().map(|m| (m.id, m.seed, m.weight)),
            hash,
            scores,
        );
        !self.uniform_weights()
    }

    /// The shard `key` goes to; `None` without shards.
    #[inline]
    pub fn route(&self, key: &str) -> Option<ShardId> {
        self.lookup_hash(key_hash(key))
    }

    /// Shards in id order.
    pub fn shards(&self) -> Vec<ShardId> {
        self.members.iter().map(|m| m.id).collect()
    }

    /// A shard's weight, if the router holds it.
    pub fn weight_of(&self, id: ShardId) -> Option<f64> {
        self.members.iter().find(|m| m.id == id).map(|m| m.weight)
    }
}
