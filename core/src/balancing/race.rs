//! A race: one seeded trace fed to several strategies at once.
//!
//! Every lane is a full [`BalancerSim`] built from the same config and seed, with only the
//! strategy changed, so each lane has its own copy of the servers and receives the same
//! requests (ids, clients, costs, arrival times): the workload draws from its own RNG streams,
//! which nothing a strategy does can disturb. Lanes are stepped earliest-event-first, so at any
//! moment they have all reached (nearly) the same simulated time and their live percentiles
//! compare like with like.

use super::action::BalancerAction;
use super::config::BalancerConfig;
use super::event::BalancerEvent;
use super::metrics::BalancerMetrics;
use super::sim::BalancerSim;
use super::sim::{Discard, EventSink};
use super::strategy::StrategyKind;
use super::BalancingError;
use crate::model::Model;
use crate::sim::{limits, ArrivalProcess, Percentiles, ServerConfig, SimTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RaceConfig {
    /// Servers, workload, health settings and seed shared by every lane (its `strategy` is
    /// ignored).
    pub base: BalancerConfig,
    /// One strategy name per lane; a name may appear twice (a control lane).
    pub lanes: Vec<String>,
}

impl Default for RaceConfig {
    /// The preset balancer under a heavy-tailed load, raced by the classic four.
    fn default() -> Self {
        RaceConfig {
            base: BalancerConfig::default(),
            lanes: [
                StrategyKind::RoundRobin,
                StrategyKind::LeastConnections,
                StrategyKind::PowerOfTwoChoices,
                StrategyKind::Random,
            ]
            .iter()
            .map(|k| k.name().to_string())
            .collect(),
        }
    }
}

impl RaceConfig {
    pub fn validate(&self) -> Result<(), BalancingError> {
        if self.lanes.is_empty() {
            return Err(BalancingError::NoLanes);
        }
        let count = self.lanes.len() as u64;
        if count > limits::MAX_RACE_LANES {
            return Err(BalancingError::TooManyLanes {
                count,
                max: limits::MAX_RACE_LANES,
            });
        }
        for name in &self.lanes {
            StrategyKind::from_name(name)?;
        }
        // The base is checked with its own strategy replaced by the first lane's, so a stale
        // strategy name in the base does not block a race.
        let mut base = self.base.clone();
        base.strategy = self.lanes.first().cloned().unwrap_or_default();
        base.validate()
    }
}

/// One lane's event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaceEvent {
    pub lane: u32,
    pub event: BalancerEvent,
}

/// The race board: one row per lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneMetrics {
    pub lane: u32,
    pub strategy: StrategyKind,
    /// The last `recent_window` answers: live p50/p95/p99.
    pub recent_latency: Percentiles,
    pub latency: Percentiles,
    pub completed: u64,
    pub dropped: u64,
    pub failed: u64,
    pub in_flight: u64,
}

impl LaneMetrics {
    /// Lane `lane`'s row, from its balancer's metrics.
    pub fn of(lane: u32, m: &BalancerMetrics) -> Self {
        LaneMetrics {
            lane,
            strategy: m.strategy,
            recent_latency: m.recent_latency,
            latency: m.latency,
            completed: m.totals.completed,
            dropped: m.totals.dropped(),
            failed: m.totals.failed(),
            in_flight: m.in_flight,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Race {
    lanes: Vec<BalancerSim>,
    now: SimTime,
}

impl Race {
    pub fn new(config: RaceConfig) -> Result<Self, BalancingError> {
        config.validate()?;
        let mut lanes = Vec::with_capacity(config.lanes.len());
        for name in &config.lanes {
            let mut c = config.base.clone();
            c.strategy = name.clone();
            lanes.push(BalancerSim::new(c)?);
        }
        Ok(Race {
            lanes,
            now: SimTime::ZERO,
        })
    }

    /// The lane whose next event is earliest (the lowest lane on ties).
    fn next_lane(&self) -> Option<usize> {
        if let [_] = self.lanes.as_slice() {
            // One strategy (the scene's usual view): no race to arbitrate, and a lane always
            // has a next event time (see `BalancerSim::next_event_time`), so nothing to ask.
            return Some(0);
        }
        let mut best: Option<(usize, SimTime)> = None;
        for (i, lane) in self.lanes.iter().enumerate() {
            if let Some(t) = lane.next_event_time() {
                if best.is_none_or(|(_, bt)| t < bt) {
                    best = Some((i, t));
                }
            }
        }
        best.map(|(i, _)| i)
    }

    pub fn lanes(&self) -> &[BalancerSim] {
        &self.lanes
    }

    pub fn lane(&self, lane: u32) -> Option<&BalancerSim> {
        self.lanes.get(lane as usize)
    }

    pub fn lane_metrics(&self) -> Vec<LaneMetrics> {
        self.lanes
            .iter()
            .enumerate()
            .map(|(i, l)| l.lane_metrics(i as u32))
            .collect()
    }

    /// Applies one operation to every lane, or to none: lanes are cloned first, so an error
    /// from any lane leaves the race unchanged. Switching strategy is refused: a lane's
    /// strategy is what the race compares. (Every operation goes through here, so the page
    /// carries one copy of this loop, not one per operation.)
    pub fn apply(&mut self, action: &BalancerAction) -> Result<Vec<RaceEvent>, BalancingError> {
        if let BalancerAction::SwitchStrategy { .. } = action {
            return Err(BalancingError::StrategyFixedInRace);
        }
        let mut lanes = self.lanes.clone();
        let mut out = Vec::new();
        for (i, lane) in lanes.iter_mut().enumerate() {
            for event in action.apply_to(lane)? {
                out.push(RaceEvent {
                    lane: i as u32,
                    event,
                });
            }
        }
        self.lanes = lanes;
        Ok(out)
    }

    /// Crashes the server at `index` in every lane.
    pub fn kill_server(&mut self, index: u32) -> Result<Vec<RaceEvent>, BalancingError> {
        self.apply(&BalancerAction::KillServer { server: index })
    }

    pub fn revive_server(&mut self, index: u32) -> Result<Vec<RaceEvent>, BalancingError> {
        self.apply(&BalancerAction::ReviveServer { server: index })
    }

    pub fn set_slowdown(
        &mut self,
        index: u32,
        factor: f64,
    ) -> Result<Vec<RaceEvent>, BalancingError> {
        self.apply(&BalancerAction::SetSlowdown {
            server: index,
            factor,
        })
    }

    pub fn set_error_rate(
        &mut self,
        index: u32,
        rate: f64,
    ) -> Result<Vec<RaceEvent>, BalancingError> {
        self.apply(&BalancerAction::SetErrorRate {
            server: index,
            rate,
        })
    }

    pub fn add_server(&mut self, server: ServerConfig) -> Result<Vec<RaceEvent>, BalancingError> {
        self.apply(&BalancerAction::AddServer { config: server })
    }

    pub fn remove_server(&mut self, index: u32) -> Result<Vec<RaceEvent>, BalancingError> {
        self.apply(&BalancerAction::RemoveServer { server: index })
    }

    pub fn set_arrivals(
        &mut self,
        process: ArrivalProcess,
    ) -> Result<Vec<RaceEvent>, BalancingError> {
        self.apply(&BalancerAction::SetArrivals { arrivals: process })
    }
}

impl Model for Race {
    type Event = RaceEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    /// Steps the lane whose next event is earliest (the lowest lane on ties).
    fn step_into(&mut self, out: &mut Vec<RaceEvent>) {
        let Some(i) = self.next_lane() else {
            return;
        };
        let Some(lane) = self.lanes.get_mut(i) else {
            return;
        };
        lane.step_with(&mut LaneSink {
            lane: i as u32,
            out,
        });
        self.now = self.now.max(lane.now());
    }

    fn step_quiet(&mut self, _scratch: &mut Vec<RaceEvent>) {
        let Some(i) = self.next_lane() else {
            return;
        };
        let Some(lane) = self.lanes.get_mut(i) else {
            return;
        };
        lane.step_with(&mut Discard);
        self.now = self.now.max(lane.now());
    }

    fn steps_quiet(&mut self, n: u64, scratch: &mut Vec<RaceEvent>) {
        match self.lanes.as_mut_slice() {
            // The scene's usual view: no lanes to keep in step.
            [lane] => {
                for _ in 0..n {
                    lane.step_with(&mut Discard);
                }
                self.now = self.now.max(lane.now());
            }
            _ => {
                for _ in 0..n {
                    self.step_quiet(scratch);
                }
            }
        }
    }
}

/// A lane's events, tagged with the lane as they are emitted (no intermediate buffer).
struct LaneSink<'a> {
    lane: u32,
    out: &'a mut Vec<RaceEvent>,
}

impl EventSink for LaneSink<'_> {
    #[inline]
    fn push(&mut self, event: BalancerEvent) {
        self.out.push(RaceEvent {
            lane: self.lane,
            event,
        });
    }
}
