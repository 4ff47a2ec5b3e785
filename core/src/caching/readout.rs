//! What the caching page reads off the model besides its counters, kept up to date from the
//! events each step reports: hit rates over the last lookups (the lifetime rates in
//! [`CacheStats`](super::CacheStats) barely move once a run is long), the progress of the last
//! warm-up, what the last stampede cost at the origin and which writes the last crash lost.

use super::{CachingEvent, Key, Level, Op};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Lookups a windowed hit rate covers (see [`CachingModel::recent_l1_hit_rate`](super::CachingModel::recent_l1_hit_rate)).
pub const HIT_WINDOW: u32 = 200;

/// The share of hits among the last [`HIT_WINDOW`] outcomes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct HitWindow {
    outcomes: VecDeque<bool>,
    hits: u32,
}

impl HitWindow {
    fn push(&mut self, hit: bool) {
        if self.outcomes.len() >= HIT_WINDOW as usize && self.outcomes.pop_front() == Some(true) {
            self.hits = self.hits.saturating_sub(1);
        }
        self.outcomes.push_back(hit);
        if hit {
            self.hits += 1;
        }
    }

    /// `None` before the first lookup.
    pub(super) fn rate(&self) -> Option<f64> {
        (!self.outcomes.is_empty()).then(|| f64::from(self.hits) / self.outcomes.len() as f64)
    }

    /// Outcomes held, at most [`HIT_WINDOW`].
    #[cfg(test)]
    fn len(&self) -> usize {
        self.outcomes.len()
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
}
