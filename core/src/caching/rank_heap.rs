//! The eviction order of the ranked policies (LFU, closest-expiry): a binary min-heap of
//! `(rank.0, rank.1, slot)` that also knows where each slot sits in it.
//!
//! It replaced a `BTreeSet<(u64, u64, u32)>`: the set's B-tree instantiation alone was ~7 KB of
//! the caching page's wasm, this heap is a few hundred bytes. Each operation is still
//! O(log n); only listing the whole order (for drawing, or when the policy is switched) pays
//! O(n log n) instead of O(n). Items are unique (a slot appears once), so the order is total
//! and the smallest item is the same one the set would give.

use super::slab::NIL;
use serde::{Deserialize, Serialize};

/// `(rank.0, rank.1, slot)`.
pub(crate) type Ranked = (u64, u64, u32);

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct RankHeap {
    /// Heap-ordered: no item is smaller than its parent.
    heap: Vec<Ranked>,
    /// Slot → its position in `heap` ([`NIL`] when the slot is not in the heap).
    position: Vec<u32>,
}

impl RankHeap {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The smallest item: the next to evict.
    pub(crate) fn first(&self) -> Option<Ranked> {
        self.heap.first().copied()
    }

    /// Every item, in heap order (not sorted).
    pub(crate) fn items(&self) -> &[Ranked] {
        &self.heap
    }

    /// Adds `item`, replacing the slot's previous item if it had one.
    pub(crate) fn insert(&mut self, item: Ranked) {
        let slot = item.2 as usize;
        self.remove(item.2);
        if self.position.len() <= slot {
            self.position.resize(slot + 1, NIL);
        }
        self.heap.push(item);
        let at = self.heap.len() - 1;
        self.place(at);
        self.sift_up(at);
    }

    /// Takes the slot's item out of the order.
    pub(crate) fn remove(&mut self, slot: u32) {
        let Some(&at) = self.position.get(slot as usize) else {
            return;
        };
        let at = at as usize;
        if at >= self.heap.len() {
            return;
        }
        let last = self.heap.len() - 1;
        self.heap.swap(at, last);
        self.heap.pop();
        if let Some(p) = self.position.get_mut(slot as usize) {
            *p = NIL;
        }
        if at < self.heap.len() {
            self.place(at);
            self.sift_down(at);
            self.sift_up(at);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.heap.clear();
        self.position.clear();
    }

    /// Every item, largest first (the order the set's reverse iteration gave).
    pub(crate) fn descending(&self) -> Vec<Ranked> {
        let mut rest = self.clone();
        let mut out = Vec::with_capacity(self.heap.len());
        while let Some(item) = rest.first() {
            rest.remove(item.2);
            out.push(item);
        }
        out.reverse();
        out
    }

    fn less(&self, a: usize, b: usize) -> bool {
        matches!((self.heap.get(a), self.heap.get(b)), (Some(x), Some(y)) if x < y)
    }

    /// Records where the item at `at` now sits.
    fn place(&mut self, at: usize) {
        if let Some(&(_, _, slot)) = self.heap.get(at) {
            if let Some(p) = self.position.get_mut(slot as usize) {
                *p = at as u32;
            }
        }
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.heap.swap(a, b);
        self.place(a);
        self.place(b);
    }

    fn sift_up(&mut self, mut at: usize) {
        while at > 0 {
            let parent = (at - 1) / 2;
            if !self.less(at, parent) {
                break;
            }
            self.swap(at, parent);
            at = parent;
        }
    }

    fn sift_down(&mut self, mut at: usize) {
        loop {
            let left = 2 * at + 1;
            let mut smallest = at;
            if self.less(left, smallest) {
                smallest = left;
            }
            if self.less(left + 1, smallest) {
                smallest = left + 1;
            }
            if smallest == at {
                break;
            }
            self.swap(at, smallest);
            at = smallest;
        }
    }
}

/// Equal orders, whatever the heap layout.
impl PartialEq for RankHeap {
    fn eq(&self, other: &Self) -> bool {
        self.heap.len() == other.heap.len() && self.descending() == other.descending()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    proptest! {
        /// Inserting, re-ranking and removing slots keeps the same smallest item and the same
        /// full order as the `BTreeSet` it replaced.
        #[test]
        fn orders_like_a_btree_set(ops in proptest::collection::vec((0u8..3, 0u32..30, 0u64..8, 0u64..1000), 0..400)) {
            let mut heap = RankHeap::new();
            let mut set: BTreeSet<Ranked> = BTreeSet::new();
            for (op, slot, primary, tick) in ops {
                let old = set.iter().copied().find(|i| i.2 == slot);
                if let Some(old) = old {
                    set.remove(&old);
                }
                if op < 2 {
                    heap.insert((primary, tick, slot));
                    set.insert((primary, tick, slot));
                } else {
                    heap.remove(slot);
                }
                prop_assert_eq!(heap.first(), set.first().copied());
            }
            let expected: Vec<Ranked> = set.iter().rev().copied().collect();
            prop_assert_eq!(heap.descending(), expected);
            let json = serde_json::to_string(&heap).unwrap();
            let back: RankHeap = serde_json::from_str(&json).unwrap();
            prop_assert!(back == heap);
            heap.clear();
            prop_assert_eq!(heap.first(), None);
        }
    }
}
