//! The pending-event queue of a discrete-event simulation.
//!
//! Ordered by `(time, seq)`: `seq` is a counter assigned at scheduling, so two events at the
//! same instant always pop in the order they were scheduled, on every platform.
//!
//! Layout, for speed in wasm32: the binary heap holds 16-byte `Copy` keys, and the items wait
//! in a slab the keys point into. A `std` `BinaryHeap` of whole entries moves 40-byte values
//! with `memory.copy` and a byte-wise swap on every pop (17 % of fast-forward in the browser,
//! measured with `bench --only ff-profile`); a key moves as two words.

use super::SimTime;
use serde::{Deserialize, Serialize};

/// Low bits of [`Key::tie`] that name the item's slab slot; the high bits hold `seq`.
const SLOT_BITS: u32 = 32;

/// The heap's ordering key: `(at, seq)`, with the slot in `tie`'s low bits (it never decides:
/// `seq` is unique among pending items).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Key {
    at: SimTime,
    /// `seq << SLOT_BITS | slot`.
    tie: u64,
}

impl Key {
    fn slot(self) -> usize {
        (self.tie & ((1 << SLOT_BITS) - 1)) as usize
    }
}

/// A min-queue of `T` keyed by simulated time, FIFO among equal times.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventQueue<T> {
    /// A binary min-heap of keys.
    heap: Vec<Key>,
    /// The pending items, by slot; `None` slots are listed in `free`.
    items: Vec<Option<T>>,
    free: Vec<u32>,
    /// The next `seq` (32 bits: when it runs out, pending keys are renumbered in order).
    next_seq: u32,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> EventQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            heap: Vec::new(),
            items: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
        }
    }

    /// Adds `item` at time `at`; it pops after every item scheduled earlier for the same time.
    pub fn schedule(&mut self, at: SimTime, item: T) {
        if self.next_seq == u32::MAX {
            self.renumber();
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free.pop() {
            Some(slot) => {
                if let Some(s) = self.items.get_mut(slot as usize) {
                    *s = Some(item);
                }
                slot
            }
            None => {
                // Slots never outnumber pending items, which memory bounds far below 2³².
                let slot = self.items.len() as u32;
                self.items.push(Some(item));
                slot
            }
        };
        self.heap.push(Key {
            at,
            tie: u64::from(seq) << SLOT_BITS | u64::from(slot),
        });
        self.sift_up(self.heap.len() - 1);
    }

    /// Removes the earliest item (the first scheduled among equal times), with its time.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        let top = self.pop_key()?;
        let item = self.items.get_mut(top.slot())?.take()?;
        self.free.push(top.slot() as u32);
        Some((top.at, item))
    }

    /// The time of the earliest pending item.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.first().map(|k| k.at)
    }

    /// Items pending.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Keeps only the pending items for which `keep` is true (dropping, say, the probes of a
    /// removed server); those kept pop in the same order as before.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let (items, free) = (&mut self.items, &mut self.free);
        self.heap.retain(|k| {
            let Some(slot) = items.get_mut(k.slot()) else {
                return false;
            };
            if slot.as_ref().is_some_and(&mut keep) {
                return true;
            }
            *slot = None;
            free.push(k.slot() as u32);
            false
        });
        self.heapify();
    }

    /// Removes the smallest key from the heap. (Inlined: `pop` is on fast-forward's hot path,
    /// and a call returning an `Option<Key>` goes through memory.)
    #[inline(always)]
    fn pop_key(&mut self) -> Option<Key> {
        let top = *self.heap.first()?;
        let last = self.heap.pop()?;
        if let Some(root) = self.heap.first_mut() {
            *root = last;
            self.sift_down(0);
        }
        Some(top)
    }

    /// After 2³² schedules: gives the pending keys `seq` 0, 1, 2… in their order, so the
    /// order of everything pending is unchanged and the counter can go on. The keys come out
    /// of the heap in order (a heapsort with the heap's own code: this runs once in 2³²
    /// schedules, and a slice sort would add its code to every page).
    fn renumber(&mut self) {
        let mut sorted = Vec::with_capacity(self.heap.len());
        while let Some(k) = self.pop_key() {
            sorted.push(Key {
                at: k.at,
                tie: (sorted.len() as u64) << SLOT_BITS | k.slot() as u64,
            });
        }
        // A sorted array is already a heap.
        self.heap = sorted;
        self.next_seq = self.heap.len() as u32;
    }

    fn heapify(&mut self) {
        for i in (0..self.heap.len() / 2).rev() {
            self.sift_down(i);
        }
    }

    fn sift_up(&mut self, mut i: usize) {
        let Some(&key) = self.heap.get(i) else {
            return;
        };
        while i > 0 {
            let parent = (i - 1) / 2;
            match self.heap.get(parent) {
                Some(&p) if p > key => {
                    if let Some(h) = self.heap.get_mut(i) {
                        *h = p;
                    }
                    i = parent;
                }
                _ => break,
            }
        }
        if let Some(h) = self.heap.get_mut(i) {
            *h = key;
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        let Some(&key) = self.heap.get(i) else {
            return;
        };
        loop {
            let left = 2 * i + 1;
            let Some(&l) = self.heap.get(left) else {
                break;
            };
            let (child, c) = match self.heap.get(left + 1) {
                Some(&r) if r < l => (left + 1, r),
                _ => (left, l),
            };
            if c >= key {
                break;
            }
            if let Some(h) = self.heap.get_mut(i) {
                *h = c;
            }
            i = child;
        }
        if let Some(h) = self.heap.get_mut(i) {
            *h = key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the queue must do: pop by `(time, order of scheduling)`.
    #[derive(Default)]
    struct Reference {
        items: Vec<(u64, u64, u32)>,
        seq: u64,
    }

    impl Reference {
        fn schedule(&mut self, at: u64, item: u32) {
            self.items.push((at, self.seq, item));
            self.seq += 1;
        }
        fn pop(&mut self) -> Option<(u64, u32)> {
            let i = (0..self.items.len()).min_by_key(|&i| (self.items[i].0, self.items[i].1))?;
            let (at, _, item) = self.items.remove(i);
            Some((at, item))
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Schedule(u64, u32),
        Pop,
        RetainEven,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u64..50, any::<u32>()).prop_map(|(at, item)| Op::Schedule(at, item)),
            3 => Just(Op::Pop),
            1 => Just(Op::RetainEven),
        ]
    }

    proptest! {
        /// Any interleaving of schedules, pops and retains pops exactly what a sorted list
        /// would, ties in scheduling order, also across a renumbering of `seq`.
        #[test]
        fn pops_in_time_then_scheduling_order(ops in proptest::collection::vec(op(), 0..400), start in prop_oneof![Just(0u32), Just(u32::MAX - 40)]) {
            let mut q = EventQueue::new();
            q.next_seq = start;
            let mut r = Reference::default();
            for op in ops {
                match op {
                    Op::Schedule(at, item) => {
                        q.schedule(SimTime::from_micros(at), item);
                        r.schedule(at, item);
                    }
                    Op::Pop => {
                        let got = q.pop().map(|(t, i)| (t.as_micros(), i));
                        prop_assert_eq!(got, r.pop());
                    }
                    Op::RetainEven => {
                        q.retain(|i| i % 2 == 0);
                        r.items.retain(|(_, _, i)| i % 2 == 0);
                    }
                }
                prop_assert_eq!(q.len(), r.items.len());
                prop_assert_eq!(q.peek_time().map(|t| t.as_micros()), r.items.iter().map(|e| e.0).min());
            }
            while let Some(want) = r.pop() {
                prop_assert_eq!(q.pop().map(|(t, i)| (t.as_micros(), i)), Some(want));
            }
            prop_assert!(q.pop().is_none() && q.is_empty());
        }
    }
}
