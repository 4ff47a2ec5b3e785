//! The scaling family's model: one lane per set-up (one, or several on the identical load),
//! each a [`Service`] with the readouts a page shows, stepped together.

use super::decision::ScalingDecision;
use super::error::ScalingError;
use super::events::{Metric, ServiceEvent};
use super::readout::{Readout, TickFigures};
use super::scaling_config::ScalingConfig;
use super::service::{Service, ServiceStats};
use crate::model::Model;
use crate::sim::{ArrivalProcess, SimDuration, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// An event of one lane (lane 0 of a lone set-up). Serialized flat: the lane, its label and
/// the service event's own fields and `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingEvent {
    /// Which lane it happened in.
    pub lane: u32,
    /// That lane's label.
    pub label: String,
    /// What happened.
    #[serde(flatten)]
    pub event: ServiceEvent,
}

impl fmt::Display for ScalingEvent {
    /// The service event's sentence, after the lane's label when it has one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.label.is_empty() {
            write!(f, "{}", self.event)
        } else {
            write!(f, "{}: {}", self.label, self.event)
        }
    }
}

/// One lane's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneSummary {
    /// The lane's label.
    pub label: String,
    /// Its service's totals.
    pub stats: ServiceStats,
}

/// One set-up of a [`ScalingModel`]: its service and what its events have shown so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    label: String,
    service: Service,
    readout: Readout,
}

impl Lane {
    /// The lane's label (empty for an unlabelled lone set-up).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The lane's service: its fleet or machine, mode, load and totals.
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// The figures of the last tick (`None` before the first step).
    pub fn last_tick(&self) -> Option<TickFigures> {
        self.readout.last_tick
    }

    /// The last [`super::DECISION_LOG_LEN`] decisions and notable events (cooldown blocks,
    /// held or rate-limited HPA changes, missed scale-ins, resizes, load and mode changes),
    /// oldest first. A run of decisions that only keep the count shows as its latest.
    pub fn decision_log(&self) -> impl DoubleEndedIterator<Item = &ServiceEvent> {
        self.readout.log.iter()
    }

    /// The reading that fired the lane's last decision to change its count (`None` before
    /// one): which metric an autoscaler is really scaling on.
    pub fn last_trigger(&self) -> Option<Metric> {
        self.readout.last_trigger
    }

    /// The lane's figures beside the cheapest lane's: what its capacity has cost beyond the
    /// cheapest lane's so far, in core-seconds (0 for the cheapest, and for a lone set-up).
    pub fn extra_cost(&self, model: &ScalingModel) -> f64 {
        let cost = |l: &Lane| l.service().cost().core_seconds;
        let cheapest = model.lanes().iter().map(cost).fold(f64::INFINITY, f64::min);
        (cost(self) - cheapest).max(0.0)
    }

    /// The last scale-in the naive rule missed (a `ScaleInMissed` event): the rule stays
    /// wrong about the fleet afterwards, so a page keeps it on screen.
    pub fn last_missed(&self) -> Option<&ServiceEvent> {
        self.readout.last_missed.as_ref()
    }

    /// How many scale-ins the naive rule has missed.
    pub fn missed_count(&self) -> u32 {
        self.readout.missed_count
    }

    /// Simulated time with no ready capacity at all: a vertical machine's resize downtime,
    /// or a fleet with nothing ready.
    pub fn downtime(&self) -> SimDuration {
        self.readout.downtime
    }

    /// The autoscaler's last evaluation, with the readings, lines, windows and limits it was
    /// made from (see [`Service::last_decision`]); its `Display` is the one-line reason.
    pub fn last_decision(&self) -> Option<&ScalingDecision> {
        self.service.last_decision()
    }

    /// The last resize of the vertical machine (a `Resized` event).
    pub fn last_resize(&self) -> Option<&ServiceEvent> {
        self.readout.last_resize.as_ref()
    }
}

/// The scaling family's model: see the module documentation. One step is one tick of every
/// lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingModel {
    lanes: Vec<Lane>,
    now: SimTime,
}

impl ScalingModel {
    /// Builds one lane per set-up of `config`, after checking it.
    pub fn new(config: ScalingConfig) -> Result<Self, ScalingError> {
        config.validate()?;
        let compare = matches!(config, ScalingConfig::Compare(_));
        let mut lanes = Vec::new();
        for (i, lane) in config.lanes().into_iter().enumerate() {
            let service = Service::new(lane.config).map_err(|e| {
                if compare {
                    ScalingError::InLane {
                        lane: i as u32,
                        error: Box::new(e),
                    }
                } else {
                    e
                }
            })?;
            lanes.push(Lane {
                label: lane.label,
                service,
                readout: Readout::default(),
            });
        }
        Ok(ScalingModel {
            lanes,
            now: SimTime::ZERO,
        })
    }

    /// Whether it compares set-ups (a comparison has at least two lanes, a lone set-up one).
    pub fn is_comparison(&self) -> bool {
        self.lanes.len() > 1
    }

    /// How many lanes it has.
    pub fn lane_count(&self) -> u32 {
        self.lanes.len() as u32
    }

    /// Lane `lane`, if there is one.
    pub fn lane(&self, lane: u32) -> Option<&Lane> {
        self.lanes.get(lane as usize)
    }

    /// Lane `lane`'s last autoscaler decision (see [`Lane::last_decision`]).
    pub fn last_decision(&self, lane: u32) -> Option<&ScalingDecision> {
        self.lane(lane).and_then(Lane::last_decision)
    }

    /// Every lane, in order.
    pub fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    /// Each lane's totals.
    pub fn summaries(&self) -> Vec<LaneSummary> {
        self.lanes
            .iter()
            .map(|l| LaneSummary {
                label: l.label.clone(),
                stats: l.service.stats(),
            })
            .collect()
    }

    /// Lane `lane`'s service, for the per-lane operations of the actions.
    pub(crate) fn service_mut(&mut self, lane: u32) -> Result<&mut Service, ScalingError> {
        self.lanes
            .get_mut(lane as usize)
            .map(|l| &mut l.service)
            .ok_or(ScalingError::UnknownLane { lane })
    }

    /// Changes the load of every lane at once from the next tick, so they stay comparable.
    /// On error no lane changes.
    pub fn set_load(&mut self, load: ArrivalProcess) -> Result<(), ScalingError> {
        load.validate()?;
        for l in &mut self.lanes {
            l.service.set_load(load.clone())?;
        }
        Ok(())
    }
}

impl Model for ScalingModel {
    type Event = ScalingEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    fn step_into(&mut self, out: &mut Vec<ScalingEvent>) {
        self.step_lanes(out, true);
    }

    /// The same state change as `step_into` (the readouts too), without recording the
    /// autoscalers' decisions.
    fn step_quiet(&mut self, scratch: &mut Vec<ScalingEvent>) {
        scratch.clear();
        self.step_lanes(scratch, false);
        scratch.clear();
    }
}

impl ScalingModel {
    /// One tick of every lane; with `record` each lane keeps its autoscaler's decision.
    fn step_lanes(&mut self, out: &mut Vec<ScalingEvent>, record: bool) {
        let mut buf = Vec::new();
        for (i, l) in self.lanes.iter_mut().enumerate() {
            buf.clear();
            l.service.step_with(&mut buf, record);
            for event in buf.drain(..) {
                l.readout.record(&event);
                out.push(ScalingEvent {
                    lane: i as u32,
                    label: l.label.clone(),
                    event,
                });
            }
            self.now = self.now.max(l.service.now());
        }
    }
}
