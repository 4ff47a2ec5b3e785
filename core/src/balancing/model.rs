//! A race: one seeded trace fed to several strategies at once.
//!
//! Every lane is a full [`Balancer`] built from the same config and seed, with only the
//! strategy changed, so each lane has its own copy of the servers and receives the same
//! requests (ids, clients, costs, arrival times): the workload draws from its own RNG streams,
//! which nothing a strategy does can disturb. Lanes are stepped earliest-event-first, so at any
//! moment they have all reached (nearly) the same simulated time and their live percentiles
//! compare like with like.

use super::action::BalancingAction;
use super::balancer::{Balancer, Discard, EventSink};
use super::config::BalancingConfig;
use super::decision::{HealthDecision, RouteDecision};
use super::error::BalancingError;
use super::event::{BalancerEvent, BalancingEvent};
use super::metrics::LaneMetrics;
use crate::model::{Metrics, Model};
use crate::sim::{ArrivalProcess, ServerConfig, SimTime};
use crate::timeline::Action;
use serde::{Deserialize, Serialize};

/// The balancing scene's model: one or more lanes, each a [`Balancer`] with its own strategy,
/// all fed the same seeded requests. One lane is the single-strategy view; several are a race.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BalancingModel {
    lanes: Vec<Balancer>,
    now: SimTime,
}

impl BalancingModel {
    /// Builds every lane from the config; an invalid config is an error naming the problem.
    pub fn new(config: BalancingConfig) -> Result<Self, BalancingError> {
        config.validate()?;
        let mut lanes = Vec::with_capacity(config.lanes.len());
        for name in &config.lanes {
            let mut c = config.base.clone();
            c.strategy = name.clone();
            lanes.push(Balancer::new(c)?);
        }
        Ok(BalancingModel {
            lanes,
            now: SimTime::ZERO,
        })
    }

    /// The lane whose next event is earliest (the lowest lane on ties).
    fn next_lane(&self) -> Option<usize> {
        if let [_] = self.lanes.as_slice() {
            // One strategy (the scene's usual view): no race to arbitrate, and a lane always
            // has a next event time (see `Balancer::next_event_time`), so nothing to ask.
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

    /// Every lane's balancer, in lane order.
    pub fn lanes(&self) -> &[Balancer] {
        &self.lanes
    }

    /// Lane `lane`'s balancer.
    pub fn lane(&self, lane: u32) -> Option<&Balancer> {
        self.lanes.get(lane as usize)
    }

    /// Why lane `lane`'s last request routed on the event path (a step into a real event
    /// sink) went where it went: every server with the figure its strategy compared, and
    /// the rule that decided ([`Balancer::last_decision`]).
    pub fn last_decision(&self, lane: u32) -> Option<&RouteDecision> {
        self.lane(lane).and_then(Balancer::last_decision)
    }

    /// Why health handling last changed a server's standing in lane `lane`
    /// ([`Balancer::last_health_decision`]).
    pub fn last_health_decision(&self, lane: u32) -> Option<&HealthDecision> {
        self.lane(lane).and_then(Balancer::last_health_decision)
    }

    /// Whether this is a race (several lanes) rather than the single-strategy view.
    pub fn is_race(&self) -> bool {
        self.lanes.len() > 1
    }

    /// The race board: one row per lane, in lane order.
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
    pub fn apply(
        &mut self,
        action: &BalancingAction,
    ) -> Result<Vec<BalancingEvent>, BalancingError> {
        // One lane switches live (a load balancer's manager changing its algorithm with
        // traffic flowing); in a race the lanes' strategies are what is compared.
        if matches!(action, BalancingAction::SwitchStrategy { .. }) && self.lanes.len() > 1 {
            return Err(BalancingError::StrategyFixedInRace);
        }
        let mut lanes = self.lanes.clone();
        let mut out = Vec::new();
        for (i, lane) in lanes.iter_mut().enumerate() {
            for event in action.apply_to(lane)? {
                out.push(BalancingEvent {
                    lane: i as u32,
                    event,
                });
            }
        }
        self.lanes = lanes;
        Ok(out)
    }

    /// Crashes the server at `index` in every lane.
    pub fn kill_server(&mut self, index: u32) -> Result<Vec<BalancingEvent>, BalancingError> {
        self.apply(&BalancingAction::KillServer { server: index })
    }

    /// Restarts the server at `index` in every lane.
    pub fn revive_server(&mut self, index: u32) -> Result<Vec<BalancingEvent>, BalancingError> {
        self.apply(&BalancingAction::ReviveServer { server: index })
    }

    /// Slows the server at `index` by `factor` in every lane.
    pub fn set_slowdown(
        &mut self,
        index: u32,
        factor: f64,
    ) -> Result<Vec<BalancingEvent>, BalancingError> {
        self.apply(&BalancingAction::SetSlowdown {
            server: index,
            factor,
        })
    }

    /// Makes the server at `index` answer a share `rate` of requests with errors, in every lane.
    pub fn set_error_rate(
        &mut self,
        index: u32,
        rate: f64,
    ) -> Result<Vec<BalancingEvent>, BalancingError> {
        self.apply(&BalancingAction::SetErrorRate {
            server: index,
            rate,
        })
    }

    /// Appends a server to every lane.
    pub fn add_server(
        &mut self,
        server: ServerConfig,
    ) -> Result<Vec<BalancingEvent>, BalancingError> {
        self.apply(&BalancingAction::AddServer { config: server })
    }

    /// Removes the server at `index` from every lane.
    pub fn remove_server(&mut self, index: u32) -> Result<Vec<BalancingEvent>, BalancingError> {
        self.apply(&BalancingAction::RemoveServer { server: index })
    }

    /// Changes the offered load of every lane from now on.
    pub fn set_arrivals(
        &mut self,
        process: ArrivalProcess,
    ) -> Result<Vec<BalancingEvent>, BalancingError> {
        self.apply(&BalancingAction::SetArrivals { arrivals: process })
    }
}

impl Model for BalancingModel {
    type Event = BalancingEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    /// Steps the lane whose next event is earliest (the lowest lane on ties).
    fn step_into(&mut self, out: &mut Vec<BalancingEvent>) {
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

    fn step_quiet(&mut self, _scratch: &mut Vec<BalancingEvent>) {
        let Some(i) = self.next_lane() else {
            return;
        };
        let Some(lane) = self.lanes.get_mut(i) else {
            return;
        };
        lane.step_with(&mut Discard);
        self.now = self.now.max(lane.now());
    }

    fn steps_quiet(&mut self, n: u64, scratch: &mut Vec<BalancingEvent>) {
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
    out: &'a mut Vec<BalancingEvent>,
}

impl EventSink for LaneSink<'_> {
    #[inline]
    fn push(&mut self, event: BalancerEvent) {
        self.out.push(BalancingEvent {
            lane: self.lane,
            event,
        });
    }
}

impl Action<BalancingModel> for BalancingAction {
    fn apply(&self, model: &mut BalancingModel) -> Result<(), crate::Error> {
        model.apply(self).map(|_| ()).map_err(crate::Error::from)
    }
}

impl BalancingModel {
    /// Column of the first lane's live p50 latency (ms).
    pub const COL_P50_MS: usize = 0;
    /// Column of the first lane's live p95 latency (ms).
    pub const COL_P95_MS: usize = 1;
    /// Column of the first lane's live p99 latency (ms).
    pub const COL_P99_MS: usize = 2;
    /// Column of the first lane's successful answers per second over the last second.
    pub const COL_THROUGHPUT_RPS: usize = 3;
    /// Column of the first lane's dropped requests so far.
    pub const COL_DROPPED: usize = 4;
    /// Column of the first lane's failed requests so far.
    pub const COL_FAILED: usize = 5;
    /// Lanes whose live p99 has a column: the first lane's [`Self::COL_P99_MS`], then one
    /// column each for lanes 2 to 5 (`NaN` while the model has no such lane).
    pub const CHARTED_LANES: u32 = 5;

    /// The column of lane `lane`'s live p99 latency (ms), for the first
    /// [`Self::CHARTED_LANES`] lanes.
    pub const fn lane_p99_column(lane: u32) -> Option<usize> {
        match lane {
            0 => Some(Self::COL_P99_MS),
            l if l < Self::CHARTED_LANES => Some(Self::COL_FAILED + l as usize),
            _ => None,
        }
    }

    /// The column of lane `lane`'s dropped requests so far, for the first
    /// [`Self::CHARTED_LANES`] lanes: the first lane's [`Self::COL_DROPPED`], then one column
    /// each for lanes 2 to 5, after their p99 columns.
    pub const fn lane_dropped_column(lane: u32) -> Option<usize> {
        match lane {
            0 => Some(Self::COL_DROPPED),
            l if l < Self::CHARTED_LANES => {
                Some(Self::COL_FAILED + Self::CHARTED_LANES as usize - 1 + l as usize)
            }
            _ => None,
        }
    }
}

impl Metrics for BalancingModel {
    const METRIC_NAMES: &'static [&'static str] = &[
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "throughput_rps",
        "dropped",
        "failed",
        "lane2_p99_ms",
        "lane3_p99_ms",
        "lane4_p99_ms",
        "lane5_p99_ms",
        "lane2_dropped",
        "lane3_dropped",
        "lane4_dropped",
        "lane5_dropped",
    ];

    /// The first lane's live percentiles, throughput, drops and failures, then the live p99
    /// of lanes 2 to 5 and their drops so far (`NaN` for a lane the model does not have).
    fn metrics(&self) -> Vec<f64> {
        let ms = |us: u64| us as f64 / 1_000.0;
        let mut row = Vec::with_capacity(Self::METRIC_NAMES.len());
        match self.lanes.first() {
            Some(first) => {
                let l = first.lane_metrics(0);
                row.extend([
                    ms(l.recent_latency.p50),
                    ms(l.recent_latency.p95),
                    ms(l.recent_latency.p99),
                    first.recent_throughput(),
                    l.dropped as f64,
                    l.failed as f64,
                ]);
            }
            None => row.extend([0.0; 6]),
        }
        for lane in 1..Self::CHARTED_LANES {
            row.push(
                self.lanes
                    .get(lane as usize)
                    .map(|l| ms(l.lane_metrics(lane).recent_latency.p99))
                    .unwrap_or(f64::NAN),
            );
        }
        for lane in 1..Self::CHARTED_LANES {
            row.push(
                self.lanes
                    .get(lane as usize)
                    .map(|l| l.totals().dropped() as f64)
                    .unwrap_or(f64::NAN),
            );
        }
        row
    }
}
