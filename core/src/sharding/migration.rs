//! Bookkeeping for keys in flight: moves owed to the router after a shard change, and the
//! remaining transfers of a load rebalance.
//!
//! Pending moves are a short list of (from, to) pairs sorted by pair, each with its keys in a
//! [`Table`] (sorted, no duplicates) — the key-`String` table code the shards already use,
//! rather than nested `BTreeMap`s and a `BTreeSet<String>`, each a B-tree instantiation of its
//! own in the wasm bundle. There are at most shards² pairs, so a sorted `Vec` is enough.

use super::{ShardId, Transfer};
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// The keys waiting to move from one shard to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PairMoves {
    pub(crate) from: ShardId,
    pub(crate) to: ShardId,
    pub(crate) keys: Table<String, ()>,
}

/// Keys waiting to move, sorted by (source, destination).
pub(crate) type PendingMoves = Vec<PairMoves>;

/// Whether `key` waits to move out of `from`.
pub(crate) fn is_pending(pending: &PendingMoves, from: ShardId, key: &str) -> bool {
    // Sorted by source first: skip straight to `from`'s pairs.
    let start = pending.partition_point(|p| p.from < from);
    pending
        .iter()
        .skip(start)
        .take_while(|p| p.from == from)
        .any(|p| p.keys.contains(key))
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub(crate) struct Migration {
    /// Keys owed to the shard their route now points at, by (from → to).
    pending: PendingMoves,
    pending_count: u64,
    /// Load-rebalance transfers still to do, first one at the front. Only runs once `pending`
    /// is empty (a rebalance cannot start while keys move, and a shard change cancels it).
    plan: Vec<Transfer>,
    /// Keys moved since the store was last at rest.
    pub(crate) moved: u64,
}

impl Migration {
    pub(crate) fn is_idle(&self) -> bool {
        self.pending_count == 0 && self.plan.is_empty()
    }

    pub(crate) fn pending_count(&self) -> u64 {
        self.pending_count
    }

    /// Keys still to move: pending plus what the plan has left.
    pub(crate) fn remaining(&self) -> u64 {
        self.pending_count
            .saturating_add(self.plan.iter().map(|t| t.keys).sum::<u64>())
    }

    pub(crate) fn add_pending(&mut self, from: ShardId, to: ShardId, key: String) {
        let at = match self
            .pending
            .binary_search_by(|p| (p.from, p.to).cmp(&(from, to)))
        {
            Ok(at) => at,
            Err(at) => {
                self.pending.insert(
                    at,
                    PairMoves {
                        from,
                        to,
                        keys: Table::new(),
                    },
                );
                at
            }
        };
        if let Some(pair) = self.pending.get_mut(at) {
            if pair.keys.insert(key, ()).is_none() {
                self.pending_count += 1;
            }
        }
    }

    /// The (from, to) pair `key` waits in, if it waits to move.
    pub(crate) fn pending_move(&self, key: &str) -> Option<(ShardId, ShardId)> {
        self.pending
            .iter()
            .find(|p| p.keys.contains(key))
            .map(|p| (p.from, p.to))
    }

    /// Empties the pending moves and hands them back (for re-planning after a router change).
    pub(crate) fn take_pending(&mut self) -> PendingMoves {
        self.pending_count = 0;
        core::mem::take(&mut self.pending)
    }

    /// The next batch of at most `limit` pending keys sharing one (from, to) pair.
    pub(crate) fn next_pending_batch(
        &mut self,
        limit: u32,
    ) -> Option<(ShardId, ShardId, Vec<String>)> {
        let pair = self.pending.first_mut()?;
        let (from, to) = (pair.from, pair.to);
        let mut batch = Vec::new();
        while batch.len() < limit as usize {
            match pair.keys.pop_first() {
                Some((k, ())) => batch.push(k),
                None => break,
            }
        }
        if pair.keys.is_empty() {
            self.pending.remove(0);
        }
        self.pending_count = self.pending_count.saturating_sub(batch.len() as u64);
        Some((from, to, batch))
    }

    /// Drops every pending move out of `shard` (used when it retires).
    pub(crate) fn forget_from(&mut self, shard: ShardId) {
        let n: u64 = self
            .pending
            .iter()
            .filter(|p| p.from == shard)
            .map(|p| p.keys.len() as u64)
            .sum();
        self.pending.retain(|p| p.from != shard);
        self.pending_count = self.pending_count.saturating_sub(n);
    }

    pub(crate) fn set_plan(&mut self, plan: Vec<Transfer>) {
        self.plan = plan;
    }

    pub(crate) fn cancel_plan(&mut self) {
        self.plan.clear();
    }

    /// The transfer at the front of the plan.
    pub(crate) fn current_transfer(&self) -> Option<Transfer> {
        self.plan.first().copied()
    }

    /// Records `moved` keys done on the front transfer; drops it when finished or `exhausted`.
    pub(crate) fn advance_plan(&mut self, moved: u64, exhausted: bool) {
        if let Some(front) = self.plan.first_mut() {
            front.keys = front.keys.saturating_sub(moved);
            if front.keys == 0 || exhausted {
                self.plan.remove(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_keys_are_found_under_their_source_only() {
        let mut m = Migration::default();
        m.add_pending(ShardId(2), ShardId(0), "a".into());
        m.add_pending(ShardId(1), ShardId(3), "b".into());
        m.add_pending(ShardId(1), ShardId(0), "c".into());
        let pending = m.take_pending();
        assert!(is_pending(&pending, ShardId(1), "b"));
        assert!(is_pending(&pending, ShardId(1), "c"));
        assert!(is_pending(&pending, ShardId(2), "a"));
        assert!(!is_pending(&pending, ShardId(1), "a"));
        assert!(!is_pending(&pending, ShardId(0), "a"));
        assert!(!is_pending(&pending, ShardId(3), "b"));
    }

    #[test]
    fn batches_group_by_pair_and_respect_the_limit() {
        let mut m = Migration::default();
        for i in 0..5 {
            m.add_pending(ShardId(0), ShardId(2), format!("a{i}"));
        }
        m.add_pending(ShardId(0), ShardId(1), "b".into());
        m.add_pending(ShardId(0), ShardId(1), "b".into()); // duplicate ignored
        assert_eq!(m.pending_count(), 6);
        let (from, to, keys) = m.next_pending_batch(3).unwrap();
        assert_eq!(
            (from, to, keys),
            (ShardId(0), ShardId(1), vec!["b".to_string()])
        );
        let (_, to, keys) = m.next_pending_batch(3).unwrap();
        assert_eq!((to, keys.len()), (ShardId(2), 3));
        let (_, _, keys) = m.next_pending_batch(3).unwrap();
        assert_eq!(keys, vec!["a3".to_string(), "a4".to_string()]);
        assert!(m.is_idle());
        assert!(m.next_pending_batch(3).is_none());
    }
}
