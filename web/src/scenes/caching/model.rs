//! The scene's model: a core `CacheSim`, driven by delegation only, plus a small *readout*
//! filled from the events the core emits — hit rates over the last lookups, the progress of
//! the last warm-up, what the last stampede cost at the origin and what the last crash lost.
//! It records what happened; it never decides anything.

use scalelab_core::caching::{CacheEvent, CacheSim, Key, Level, Op};
use scalelab_core::sim::{SimDuration, SimTime};
use scalelab_core::Model;
use std::collections::VecDeque;

/// Lookups a windowed hit rate covers.
pub const WINDOW: usize = 200;

/// The share of hits among the last [`WINDOW`] outcomes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HitWindow {
    outcomes: VecDeque<bool>,
    hits: u32,
}

impl HitWindow {
    fn push(&mut self, hit: bool) {
        if self.outcomes.len() >= WINDOW && self.outcomes.pop_front() == Some(true) {
            self.hits = self.hits.saturating_sub(1);
        }
        self.outcomes.push_back(hit);
        if hit {
            self.hits += 1;
        }
    }

    /// `None` before the first lookup.
    pub fn rate(&self) -> Option<f64> {
        (!self.outcomes.is_empty()).then(|| f64::from(self.hits) / self.outcomes.len() as f64)
    }

    pub fn len(&self) -> usize {
        self.outcomes.len()
    }
}

/// The last warm-up, from its events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WarmProgress {
    pub requested: u64,
    pub skipped: u64,
    pub loaded: u64,
    pub started_at: SimTime,
    /// Set when the core reports the warm-up done.
    pub elapsed: Option<SimDuration>,
}

impl WarmProgress {
    pub fn to_load(&self) -> u64 {
        self.requested.saturating_sub(self.skipped)
    }
}

/// The last injected stampede and what it cost.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StampedeWatch {
    pub key: Key,
    pub reads: u64,
    pub coalescing: bool,
    /// Origin loads started for the key since the injection.
    pub loads: u64,
    /// Misses on the key that joined a load already in flight.
    pub waits: u64,
    /// Reads of the key answered since the injection.
    pub answered: u64,
}

/// A write the last crash lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lost {
    pub key: Key,
    pub version: u64,
    pub origin_version: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readout {
    pub l1: HitWindow,
    pub l2: HitWindow,
    /// Reads answered by a cache (L1 or L2) rather than the origin.
    pub overall: HitWindow,
    pub warming: Option<WarmProgress>,
    pub stampede: Option<StampedeWatch>,
    pub lost: Vec<Lost>,
    pub crashes: u32,
}

impl Readout {
    fn record(&mut self, e: &CacheEvent, now: SimTime) {
        match e {
            CacheEvent::Hit { level, .. } | CacheEvent::Miss { level, .. } => {
                let hit = matches!(e, CacheEvent::Hit { .. });
                match level {
                    Level::L1 => self.l1.push(hit),
                    Level::L2 => self.l2.push(hit),
                    Level::Origin => {}
                }
            }
            CacheEvent::RequestCompleted {
                op: Op::Read,
                served_by,
                key,
                ..
            } => {
                self.overall.push(*served_by != Level::Origin);
                if let Some(s) = self.stampede.as_mut().filter(|s| s.key == *key) {
                    s.answered = s.answered.saturating_add(1);
                }
            }
            CacheEvent::OriginLoadStarted { key, .. } => {
                if let Some(s) = self.stampede.as_mut().filter(|s| s.key == *key) {
                    s.loads = s.loads.saturating_add(1);
                }
            }
            CacheEvent::CoalescedWait { key, .. } => {
                if let Some(s) = self.stampede.as_mut().filter(|s| s.key == *key) {
                    s.waits = s.waits.saturating_add(1);
                }
            }
            CacheEvent::WarmingStarted { keys, skipped, .. } => {
                self.warming = Some(WarmProgress {
                    requested: *keys,
                    skipped: *skipped,
                    started_at: now,
                    ..WarmProgress::default()
                });
            }
            CacheEvent::WarmFetchFinished { .. } => {
                if let Some(w) = self.warming.as_mut() {
                    w.loaded = w.loaded.saturating_add(1);
                }
            }
            CacheEvent::WarmingFinished {
                loaded, elapsed, ..
            } => {
                if let Some(w) = self.warming.as_mut() {
                    w.loaded = *loaded;
                    w.elapsed = Some(*elapsed);
                }
            }
            CacheEvent::DataLost {
                key,
                version,
                origin_version,
            } => self.lost.push(Lost {
                key: *key,
                version: *version,
                origin_version: *origin_version,
            }),
            _ => {}
        }
    }
}

/// The scene's model: see the module documentation.
#[derive(Debug, Clone)]
pub struct CachingModel {
    sim: CacheSim,
    readout: Readout,
    /// The Zipf exponent of the settings, for live switches to a Zipf workload.
    exponent: f64,
}

impl CachingModel {
    pub fn new(sim: CacheSim, exponent: f64) -> Self {
        CachingModel {
            sim,
            readout: Readout::default(),
            exponent,
        }
    }

    pub fn sim(&self) -> &CacheSim {
        &self.sim
    }

    pub fn sim_mut(&mut self) -> &mut CacheSim {
        &mut self.sim
    }

    pub fn readout(&self) -> &Readout {
        &self.readout
    }

    pub fn exponent(&self) -> f64 {
        self.exponent
    }

    /// Starts watching a stampede on `key` (called when one is injected).
    pub(super) fn watch_stampede(&mut self, key: Key, reads: u64) {
        self.readout.stampede = Some(StampedeWatch {
            key,
            reads,
            coalescing: self.sim.config().coalescing,
            ..StampedeWatch::default()
        });
    }

    /// Forgets the previous crash's losses (a new crash reports its own).
    pub(super) fn start_crash(&mut self) {
        self.readout.lost.clear();
        self.readout.crashes = self.readout.crashes.saturating_add(1);
    }
}

impl Model for CachingModel {
    type Event = CacheEvent;

    fn now(&self) -> SimTime {
        self.sim.now()
    }

    fn step_into(&mut self, out: &mut Vec<CacheEvent>) {
        let from = out.len();
        self.sim.step_into(out);
        let now = self.sim.now();
        for e in out.iter().skip(from) {
            self.readout.record(e, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_forgets_old_lookups() {
        let mut w = HitWindow::default();
        assert_eq!(w.rate(), None);
        for _ in 0..WINDOW {
            w.push(true);
        }
        assert_eq!(w.rate(), Some(1.0));
        for _ in 0..WINDOW / 2 {
            w.push(false);
        }
        assert_eq!(w.rate(), Some(0.5));
        assert_eq!(w.len(), WINDOW);
    }
}
