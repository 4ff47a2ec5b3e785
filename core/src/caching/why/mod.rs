//! Why the caches did what they did, as data: the L1 policy's order when it chose a victim
//! ([`Eviction`]) and the levels a read went through ([`ReadPath`]), each with its one-line
//! "why" (`Display`).
//!
//! An L1 policy writes its order only when the sink it is given asks for it
//! ([`EffectSink::eviction`]): [`Discard`](super::Discard) and a plain `Vec` never do, so plain
//! cache use and the fast-forward path build nothing. The model's sinks ask only while it steps
//! with events ([`crate::Model::step_into`]); [`RecordingSink`] always asks.

mod eviction;
mod l2;
mod read;

pub use eviction::{Duel, Eviction, OrderEntry, Standing};
pub use l2::{L2Candidate, L2Eviction, L2Standing};
pub use read::{ReadPath, ReadRoute};

use super::{CacheEffect, EffectSink};

/// Most entries an [`Eviction`] lists: those nearest the evicting end of the order. The
/// caching page's L1 holds at most this many ([`MAX_L1_RESIZE`](super::MAX_L1_RESIZE)), so
/// there the list is the whole cache.
pub const ORDER_LIMIT: usize = 64;

/// The L1's and the L2's last recorded evictions, and whether the current step records one.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Recorder {
    /// True only inside a step that reports events.
    pub(crate) on: bool,
    pub(crate) last: Option<Eviction>,
    pub(crate) last_l2: Option<L2Eviction>,
}

impl Recorder {
    /// The record to overwrite, reusing the last one's buffer; `None` when not recording.
    pub(crate) fn slot(&mut self) -> Option<&mut Eviction> {
        if self.on {
            Some(self.last.get_or_insert_with(Eviction::default))
        } else {
            None
        }
    }

    /// Where the L2 writes why it evicts; `None` when not recording.
    pub(crate) fn l2_slot(&mut self) -> Option<&mut Option<L2Eviction>> {
        self.on.then_some(&mut self.last_l2)
    }
}

/// A sink that keeps every effect and always asks the policy why it evicts: for using an L1
/// policy on its own and reading its decisions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordingSink {
    /// The effects, in order.
    pub effects: Vec<CacheEffect>,
    /// The last eviction the policy chose (`None` before the first).
    pub eviction: Option<Eviction>,
}

impl EffectSink for RecordingSink {
    fn push(&mut self, effect: CacheEffect) {
        self.effects.push(effect);
    }

    fn eviction(&mut self) -> Option<&mut Eviction> {
        Some(self.eviction.get_or_insert_with(Eviction::default))
    }
}

/// Inserts `entry` into `order`, kept sorted by `rank` (smallest first), keeping at most
/// [`ORDER_LIMIT`] entries: the smallest ranks of a cache too large to list whole.
pub(crate) fn keep_smallest<R: Ord>(
    order: &mut Vec<OrderEntry>,
    entry: OrderEntry,
    rank: impl Fn(&OrderEntry) -> R,
) {
    let r = rank(&entry);
    if order.len() >= ORDER_LIMIT && order.last().is_some_and(|l| rank(l) <= r) {
        return;
    }
    let at = order.partition_point(|e| rank(e) < r);
    order.insert(at, entry);
    order.truncate(ORDER_LIMIT);
}
