//! The pending-event queue of a discrete-event simulation.
//!
//! Ordered by `(time, seq)`: `seq` is a counter assigned at scheduling, so two events at the
//! same instant always pop in the order they were scheduled, on every platform.

use super::SimTime;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry<T> {
    at: SimTime,
    seq: u64,
    item: T,
}

// Ordered by `(at, seq)` alone: `seq` is unique within a queue, so the item never decides and
// comparing it (as a derived order would try to) is wasted work on the hottest path.
impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl<T> Eq for Entry<T> {}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// A min-queue of `T` keyed by simulated time, FIFO among equal times.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventQueue<T: Ord> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    next_seq: u64,
}

impl<T: Ord> Default for EventQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Ord> EventQueue<T> {
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }

    pub fn schedule(&mut self, at: SimTime, item: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry { at, seq, item }));
    }

    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        self.heap.pop().map(|Reverse(e)| (e.at, e.item))
    }

    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Drops every pending item matching `pred` (e.g. the probes of a removed server).
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.heap.retain(|Reverse(e)| keep(&e.item));
    }
}
