//! Consistent-hash ring (Karger et al.; Envoy's ring hash).
//!
//! Each shard places `virtual_nodes` points at `stable_hash64("<shard name>_<i>")`; a key goes
//! to the first point at or after its hash, wrapping to the start. The ring is a flat sorted
//! `Vec<u64>` of points with a parallel `Vec<ShardId>` of owners, so a lookup is one hash plus
//! a binary search over contiguous integers (no pointer chasing, no per-point struct).

use super::hash::{key_hash, stable_hash64};
use super::route_trace::Vnode;
use super::shard::{sort_packed, sorted_ids};
use super::ShardId;
use serde::{Deserialize, Serialize};

/// A ring point and its owner as one sort key.
fn pack(point: u64, owner: ShardId) -> u128 {
    (u128::from(point) << 32) | u128::from(owner.0)
}

/// A consistent-hash ring: each shard owns `virtual_nodes` points, and a key goes to the owner
/// of the first point at or after its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingRouter {
    virtual_nodes: u32,
    /// Sorted ascending; equal points are ordered by owner id so ties resolve the same way
    /// on every platform.
    points: Vec<u64>,
    owners: Vec<ShardId>,
}

impl RingRouter {
    /// An empty ring; `virtual_nodes` is validated by [`super::Router::new`].
    pub fn new(virtual_nodes: u32) -> Self {
        RingRouter {
            virtual_nodes,
            points: Vec::new(),
            owners: Vec::new(),
        }
    }

    /// Points per shard.
    pub fn virtual_nodes(&self) -> u32 {
        self.virtual_nodes
    }

    /// The position of a shard's `i`-th virtual node.
    pub fn point_of(id: ShardId, i: u32) -> u64 {
        stable_hash64(format!("{id}_{i}").as_bytes())
    }

    pub(crate) fn add(&mut self, id: ShardId) {
        // (point, owner) packed as point << 32 | owner: ordering the packed keys is ordering
        // the pairs (see `sort_packed`). The ring is already in that order, so only the new
        // shard's points are sorted and then merged in: O(ring) per added shard.
        let mut added: Vec<u128> = (0..self.virtual_nodes)
            .map(|i| pack(Self::point_of(id, i), id))
            .collect();
        sort_packed(&mut added);
        let mut ring = self
            .points
            .iter()
            .zip(self.owners.iter())
            .map(|(&p, &s)| pack(p, s))
            .peekable();
        let mut added = added.into_iter().peekable();
        let mut all: Vec<u128> =
            Vec::with_capacity(self.points.len() + self.virtual_nodes as usize);
        loop {
            let next = match (ring.peek(), added.peek()) {
                (Some(r), Some(a)) if a < r => added.next(),
                (Some(_), _) => ring.next(),
                (None, _) => added.next(),
            };
            match next {
                Some(k) => all.push(k),
                None => break,
            }
        }
        self.points = all.iter().map(|&k| (k >> 32) as u64).collect();
        self.owners = all.iter().map(|&k| ShardId(k as u32)).collect();
    }

    pub(crate) fn remove(&mut self, id: ShardId) {
        let (points, owners): (Vec<u64>, Vec<ShardId>) = self
            .points
            .iter()
            .copied()
            .zip(self.owners.iter().copied())
            .filter(|&(_, s)| s != id)
            .unzip();
        self.points = points;
        self.owners = owners;
    }

    /// The owner of the first point ≥ `hash`, wrapping to the first point.
    #[inline]
    pub fn lookup_hash(&self, hash: u64) -> Option<ShardId> {
        let idx = self.points.partition_point(|&p| p < hash);
        match self.owners.get(idx) {
            Some(&s) => Some(s),
            None => self.owners.first().copied(),
        }
    }

    /// The vnode a hash lands on (the first at or after it, wrapping to the first), the vnode
    /// before that one, and whether the walk wrapped; `None` on an empty ring.
    pub fn trace_hash(&self, hash: u64) -> Option<(Vnode, Vnode, bool)> {
        let n = self.points.len();
        let idx = self.points.partition_point(|&p| p < hash);
        let wrapped = idx >= n;
        let at = if wrapped { 0 } else { idx };
        let before = at.checked_sub(1).unwrap_or(n.checked_sub(1)?);
        Some((self.vnode(at)?, self.vnode(before)?, wrapped))
    }

    /// The vnode at `slot` of the sorted ring.
    fn vnode(&self, slot: usize) -> Option<Vnode> {
        Some(Vnode {
            shard: *self.owners.get(slot)?,
            position: *self.points.get(slot)?,
            slot: slot as u32,
            replicas: self.virtual_nodes,
        })
    }

    /// The shard `key` goes to; `None` on an empty ring.
    #[inline]
    pub fn route(&self, key: &str) -> Option<ShardId> {
        self.lookup_hash(key_hash(key))
    }

    /// Every point with its owner, in ring order (for drawing the ring).
    pub fn points(&self) -> impl Iterator<Item = (u64, ShardId)> + '_ {
        self.points.iter().copied().zip(self.owners.iter().copied())
    }

    /// Shards on the ring, in id order.
    pub fn shards(&self) -> Vec<ShardId> {
        let mut ids = sorted_ids(self.owners.iter().copied());
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Merging each new shard's points in gives the ring a full sort of all points would.
    #[test]
    fn adding_shards_keeps_the_ring_sorted_by_point_then_owner() {
        let mut ring = RingRouter::new(50);
        for id in [3, 0, 7, 1] {
            ring.add(ShardId(id));
        }
        let mut expected: Vec<(u64, ShardId)> = [3, 0, 7, 1]
            .iter()
            .flat_map(|&id| {
                (0..50).map(move |i| (RingRouter::point_of(ShardId(id), i), ShardId(id)))
            })
            .collect();
        expected.sort_unstable();
        assert_eq!(ring.points().collect::<Vec<_>>(), expected);
        ring.remove(ShardId(7));
        expected.retain(|&(_, s)| s != ShardId(7));
        assert_eq!(ring.points().collect::<Vec<_>>(), expected);
    }
}
