//! What the caching page reads off the model besides its counters, kept up to date from the
//! events each step reports: hit rates over the last lookups (the lifetime rates in
//! [`CacheStats`](super::CacheStats) barely move once a run is long), the progress of the last
//! warm-up, what the last stampede cost at the origin and which writes the last crash lost.

use super::{CachingEvent, Key, Level, Op};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// Lookups a windowed hit rate covers (see [`CachingModel::recent_l1_hit_rate`](super::CachingModel::recent_l1_hit_rate)).
pub const HIT_WINDOW: u32 = 200;

/// Words of [`HitWindow`]'s ring: one bit per outcome.
const WINDOW_WORDS: usize = HIT_WINDOW.div_ceil(64) as usize;

/// The share of hits among the last [`HIT_WINDOW`] outcomes, held as a ring of bits in which
/// the newest outcome overwrites the oldest: plain data, so copying a lane copies it in one
/// move, and the page links no queue type for it (460 B smaller caching page than a
/// `VecDeque<bool>`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct HitWindow {
    /// Outcome slot `i` is bit `i % 64` of word `i / 64`; set for a hit.
    bits: [u64; WINDOW_WORDS],
    /// Outcomes held, at most [`HIT_WINDOW`].
    len: u32,
    /// The slot the next outcome takes: once the ring is full, the oldest outcome's.
    next: u32,
    hits: u32,
}

impl HitWindow {
    fn push(&mut self, hit: bool) {
        let mask = 1_u64 << (self.next % 64);
        if let Some(word) = self.bits.get_mut((self.next / 64) as usize) {
            if self.len >= HIT_WINDOW && *word & mask != 0 {
                self.hits = self.hits.saturating_sub(1);
            }
            if hit {
                *word |= mask;
            } else {
                *word &= !mask;
            }
        }
        if hit {
            self.hits += 1;
        }
        self.len = (self.len + 1).min(HIT_WINDOW);
        self.next = (self.next + 1) % HIT_WINDOW;
    }

    /// `None` before the first lookup.
    pub(super) fn rate(&self) -> Option<f64> {
        (self.len > 0).then(|| f64::from(self.hits) / f64::from(self.len))
    }

    /// Outcomes held, at most [`HIT_WINDOW`].
    #[cfg(test)]
    fn len(&self) -> usize {
        self.len as usize
    }
}

/// The last warm-up, as its events report it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WarmingProgress {
    /// Keys the warm-up was asked for.
    pub requested: u64,
    /// Of those, duplicates and keys already cached, which it does not load.
    pub skipped: u64,
    /// Keys loaded so far.
    pub loaded: u64,
    /// When the warm-up started.
    pub started_at: SimTime,
    /// How long it took, once it is done; `None` while it runs.
    pub elapsed: Option<SimDuration>,
}

impl WarmingProgress {
    /// Keys the warm-up loads: the requested ones it did not skip.
    pub fn to_load(&self) -> u64 {
        self.requested.saturating_sub(self.skipped)
    }
}

/// The last stampede (many concurrent reads of one key) and what it cost at the origin:
/// without coalescing every miss starts its own load, with it one load answers them all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StampedeCost {
    /// The key every read asks for.
    pub key: Key,
    /// Concurrent reads sent.
    pub reads: u64,
    /// Whether coalescing was on when the reads were sent.
    pub coalescing: bool,
    /// Origin loads started for the key since the reads were sent.
    pub loads: u64,
    /// Misses on the key that joined a load already in flight.
    pub waits: u64,
    /// Reads of the key answered since the reads were sent.
    pub answered: u64,
}

/// A buffered write the last write-behind crash lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostWrite {
    /// The key written.
    pub key: Key,
    /// The version that never reached the origin.
    pub version: u64,
    /// The version the origin still holds.
    pub origin_version: u64,
}

/// Everything above, in one place inside the model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Readout {
    pub(super) l1: HitWindow,
    pub(super) l2: HitWindow,
    /// Reads answered by a cache (L1 or L2) rather than the origin.
    pub(super) overall: HitWindow,
    pub(super) warming: Option<WarmingProgress>,
    pub(super) stampede: Option<StampedeCost>,
    pub(super) lost: Vec<LostWrite>,
    pub(super) crashes: u32,
}

impl Readout {
    /// Takes in one event the model reported at `now`.
    pub(super) fn record(&mut self, e: &CachingEvent, now: SimTime) {
        match e {
            CachingEvent::Hit { level, .. } | CachingEvent::Miss { level, .. } => {
                let hit = matches!(e, CachingEvent::Hit { .. });
                match level {
                    Level::L1 => self.l1.push(hit),
                    Level::L2 => self.l2.push(hit),
                    Level::Origin => {}
                }
            }
            CachingEvent::RequestCompleted {
                op: Op::Read,
                served_by,
                key,
                ..
            } => {
                self.overall.push(*served_by != Level::Origin);
                if let Some(s) = self.stampede_on(*key) {
                    s.answered = s.answered.saturating_add(1);
                }
            }
            CachingEvent::OriginLoadStarted { key, .. } => {
                if let Some(s) = self.stampede_on(*key) {
                    s.loads = s.loads.saturating_add(1);
                }
            }
            CachingEvent::CoalescedWait { key, .. } => {
                if let Some(s) = self.stampede_on(*key) {
                    s.waits = s.waits.saturating_add(1);
                }
            }
            CachingEvent::WarmingStarted { keys, skipped, .. } => {
                self.warming = Some(WarmingProgress {
                    requested: *keys,
                    skipped: *skipped,
                    started_at: now,
                    ..WarmingProgress::default()
                });
            }
            CachingEvent::WarmFetchFinished { .. } => {
                if let Some(w) = self.warming.as_mut() {
                    w.loaded = w.loaded.saturating_add(1);
                }
            }
            CachingEvent::WarmingFinished {
                loaded, elapsed, ..
            } => {
                if let Some(w) = self.warming.as_mut() {
                    w.loaded = *loaded;
                    w.elapsed = Some(*elapsed);
                }
            }
            CachingEvent::DataLost {
                key,
                version,
                origin_version,
            } => self.lost.push(LostWrite {
                key: *key,
                version: *version,
                origin_version: *origin_version,
            }),
            _ => {}
        }
    }

    fn stampede_on(&mut self, key: Key) -> Option<&mut StampedeCost> {
        self.stampede.as_mut().filter(|s| s.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_forgets_old_lookups() {
        let window = HIT_WINDOW as usize;
        let mut w = HitWindow::default();
        assert_eq!(w.rate(), None);
        for _ in 0..window {
            w.push(true);
        }
        assert_eq!(w.rate(), Some(1.0));
        for _ in 0..window / 2 {
            w.push(false);
        }
        assert_eq!(w.rate(), Some(0.5));
        assert_eq!(w.len(), window);
    }

    #[test]
    fn the_ring_agrees_with_a_queue_of_the_last_outcomes() {
        let mut w = HitWindow::default();
        let mut queue = std::collections::VecDeque::new();
        let mut x: u64 = 11;
        for _ in 0..2_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let hit = (x >> 40) % 3 != 0;
            w.push(hit);
            queue.push_back(hit);
            if queue.len() > HIT_WINDOW as usize {
                queue.pop_front();
            }
            let hits = queue.iter().filter(|h| **h).count();
            assert_eq!(w.rate(), Some(hits as f64 / queue.len() as f64));
        }
    }
}
