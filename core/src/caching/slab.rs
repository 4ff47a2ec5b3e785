//! Entry storage shared by the L1 policies: a `Vec` slab of nodes addressed by `u32` slot,
//! with intrusive doubly linked lists threaded through it.
//!
//! Slots are stable for an entry's lifetime (what the front end draws as a cache line), a
//! freed slot is reused by the next insert, and no operation allocates once the slab is full —
//! which is what lets the LRU keep up with the pointer-based `lru` crate.
//!
//! The slab also owns the key → slot index. The index is never serialized (it is a hash map,
//! and nothing may depend on its order): deserializing a slab rebuilds it by walking the node
//! `Vec` and skipping free slots.

use super::index::KeyIndex;
use serde::{Deserialize, Serialize};

/// "No slot": the end of a list.
pub(crate) const NIL: u32 = u32::MAX;
/// An entry with no TTL expires at the end of time.
pub(crate) const NEVER: u64 = u64::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Node<V, M> {
    pub key: u64,
    pub value: V,
    /// Simulated µs at which the entry stops being served ([`NEVER`] for no TTL).
    pub expires_at: u64,
    pub prev: u32,
    pub next: u32,
    /// Per-policy bookkeeping (frequency, region, ...).
    pub meta: M,
}

/// One list threaded through the slab; `head` is the most recently placed end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct List {
    pub head: u32,
    pub tail: u32,
    pub len: u32,
}

impl Default for List {
    fn default() -> Self {
        List {
            head: NIL,
            tail: NIL,
            len: 0,
        }
    }
}

impl List {
    #[inline(always)]
    pub(crate) fn push_front<V, M>(&mut self, nodes: &mut [Node<V, M>], slot: u32) {
        let old_head = self.head;
        if let Some(n) = nodes.get_mut(slot as usize) {
            n.prev = NIL;
            n.next = old_head;
        }
        match nodes.get_mut(old_head as usize) {
            Some(h) => h.prev = slot,
            None => self.tail = slot,
        }
        self.head = slot;
        self.len += 1;
    }

    #[inline(always)]
    pub(crate) fn unlink<V, M>(&mut self, nodes: &mut [Node<V, M>], slot: u32) {
        let (prev, next) = match nodes.get(slot as usize) {
            Some(n) => (n.prev, n.next),
            None => return,
        };
        match nodes.get_mut(prev as usize) {
            Some(p) => p.next = next,
            None => self.head = next,
        }
        match nodes.get_mut(next as usize) {
            Some(n) => n.prev = prev,
            None => self.tail = prev,
        }
        self.len -= 1;
    }

    #[inline(always)]
    pub(crate) fn move_to_front<V, M>(&mut self, nodes: &mut [Node<V, M>], slot: u32) {
        if self.head != slot {
            self.unlink(nodes, slot);
            self.push_front(nodes, slot);
        }
    }

    /// Slots from head (most recent) to tail.
    pub(crate) fn slots<V, M>(&self, nodes: &[Node<V, M>]) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.len as usize);
        let mut at = self.head;
        while let Some(n) = nodes.get(at as usize) {
            out.push(at);
            at = n.next;
        }
        out
    }
}

/// Nodes plus the slots freed by deletes and expiry, reused before the slab grows, and the
/// key → slot index of the live nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    from = "SlabRepr<V, M>",
    bound(deserialize = "V: Deserialize<'de>, M: Deserialize<'de>")
)]
pub(crate) struct Slab<V, M> {
    pub nodes: Vec<Node<V, M>>,
    pub free: Vec<u32>,
    #[serde(skip)]
    pub index: KeyIndex,
}

/// What a slab serializes as: its nodes and free list (the index is derived).
#[derive(Deserialize)]
pub(crate) struct SlabRepr<V, M> {
    nodes: Vec<Node<V, M>>,
    free: Vec<u32>,
}

impl<V, M> From<SlabRepr<V, M>> for Slab<V, M> {
    fn from(repr: SlabRepr<V, M>) -> Self {
        let mut is_free = vec![false; repr.nodes.len()];
        for &slot in &repr.free {
            if let Some(f) = is_free.get_mut(slot as usize) {
                *f = true;
            }
        }
        let mut index = KeyIndex::with_expected(repr.nodes.len() as u32);
        for (slot, node) in repr.nodes.iter().enumerate() {
            if !is_free.get(slot).copied().unwrap_or(true) {
                index.insert(node.key, slot as u32);
            }
        }
        Slab {
            nodes: repr.nodes,
            free: repr.free,
            index,
        }
    }
}

impl<V, M> Slab<V, M> {
    pub(crate) fn with_capacity(capacity: u32) -> Self {
        // Cap the up-front reservation: a 1M-entry cache should not reserve it all at once in
        // the browser before it holds anything.
        Slab {
            nodes: Vec::with_capacity((capacity as usize).min(1 << 16)),
            free: Vec::new(),
            index: KeyIndex::with_expected(capacity),
        }
    }

    /// Stores a node in a free slot (or a new one) and returns the slot.
    #[inline]
    pub(crate) fn alloc(&mut self, node: Node<V, M>) -> u32 {
        if let Some(slot) = self.free.pop() {
            if let Some(n) = self.nodes.get_mut(slot as usize) {
                *n = node;
                return slot;
            }
        }
        self.nodes.push(node);
        (self.nodes.len() - 1) as u32
    }

    pub(crate) fn release(&mut self, slot: u32) {
        self.free.push(slot);
    }

    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.free.clear();
        self.index.clear();
    }

    #[inline(always)]
    pub(crate) fn get(&self, slot: u32) -> Option<&Node<V, M>> {
        self.nodes.get(slot as usize)
    }

    #[inline(always)]
    /// Whether `key` is cached and not yet expired at `now` (what every policy's `contains`
    /// answers).
    pub(crate) fn holds_live(&self, key: super::Key, now: crate::sim::SimTime) -> bool {
        self.index
            .get(key)
            .and_then(|s| self.get(s))
            .is_some_and(|n| n.expires_at > now.0)
    }

    pub(crate) fn get_mut(&mut self, slot: u32) -> Option<&mut Node<V, M>> {
        self.nodes.get_mut(slot as usize)
    }
}

/// The expiry instant for a TTL set at `now` (`None` = never expires).
pub(crate) fn expiry(now: crate::sim::SimTime, ttl: Option<crate::sim::SimDuration>) -> u64 {
    match ttl {
        Some(d) => now.after(d).0.min(NEVER - 1),
        None => NEVER,
    }
}

/// An expiry instant as the drawing sees it (`None` = never expires).
pub(crate) fn expires_view(expires_at: u64) -> Option<crate::sim::SimTime> {
    (expires_at != NEVER).then_some(crate::sim::SimTime(expires_at))
}
