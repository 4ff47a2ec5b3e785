//! The scene's model: one core `ScalingSim`, or a core `Comparison` of several on the same
//! load. A comparison needs at least two lanes, so the one-set-up view wraps a `ScalingSim`
//! directly; both are driven the same way here, by delegation only.
//!
//! Beside the core model the wrapper keeps a small *readout* per lane, filled from the events
//! the core emits: the last tick's figures (the core reports them only as an event), the last
//! few decisions for the log, and totals the cards show. It records what happened; it never
//! decides anything.

use scalelab_core::scaling::{
    Comparison, ComparisonConfig, Reason, ScalingConfig, ScalingError, ScalingEvent, ScalingSim,
};
use scalelab_core::sim::SimTime;
use scalelab_core::Model;
use serde::Serialize;
use std::collections::VecDeque;

/// Decision-log entries kept per lane.
pub const LOG_LEN: usize = 6;

/// An event of one lane (lane 0 in the one-set-up view). Flattened so an export shows the
/// core event's own `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneEvent {
    pub lane: u32,
    pub label: String,
    #[serde(flatten)]
    pub event: ScalingEvent,
}

/// The figures of the last `Tick` event of a lane.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TickFigures {
    pub seconds: f64,
    pub offered: u64,
    pub served: u64,
    pub dropped: u64,
    pub capacity_rps: u64,
    pub utilisation_pct: f64,
    pub backlog: u64,
    pub cores: u32,
    pub p95_us: u64,
}

impl TickFigures {
    /// Per second, whatever the tick length.
    pub fn rate(&self, n: u64) -> f64 {
        if self.seconds > 0.0 {
            n as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// What the scene remembers about a lane from its events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readout {
    pub last_tick: Option<TickFigures>,
    /// Decisions and other notable events, newest last.
    pub log: VecDeque<ScalingEvent>,
    /// The last scale-in the naive rule missed (it stays wrong, so it stays on screen).
    pub last_missed: Option<ScalingEvent>,
    pub missed_count: u32,
    /// Simulated seconds with no ready capacity at all (resize downtime, empty fleet).
    pub down_seconds: f64,
    /// The last resize, for the "resizing" label.
    pub last_resize: Option<ScalingEvent>,
}

/// A decision that only confirms the current count (the HPA says so every sync period).
fn is_keep(e: &ScalingEvent) -> bool {
    matches!(e, ScalingEvent::Decision { current, desired, reason, .. }
        if current == desired && !matches!(reason, Reason::AtMax | Reason::AtMin))
}

impl Readout {
    fn record(&mut self, e: &ScalingEvent) {
        match e {
            ScalingEvent::Tick {
                len,
                offered,
                served,
                dropped,
                capacity_rps,
                utilisation_pct,
                backlog,
                cores,
                p95_us,
                ..
            } => {
                let seconds = len.as_secs_f64();
                if *capacity_rps == 0 {
                    self.down_seconds += seconds;
                }
                self.last_tick = Some(TickFigures {
                    seconds,
                    offered: *offered,
                    served: *served,
                    dropped: *dropped,
                    capacity_rps: *capacity_rps,
                    utilisation_pct: *utilisation_pct,
                    backlog: *backlog,
                    cores: *cores,
                    p95_us: *p95_us,
                });
                return;
            }
            ScalingEvent::ScaleInMissed { .. } => {
                self.last_missed = Some(e.clone());
                self.missed_count = self.missed_count.saturating_add(1);
            }
            ScalingEvent::Resized { .. } => self.last_resize = Some(e.clone()),
            ScalingEvent::Decision { .. }
            | ScalingEvent::CooldownBlocked { .. }
            | ScalingEvent::StabilisationHeld { .. }
            | ScalingEvent::RateLimited { .. }
            | ScalingEvent::LoadChanged { .. }
            | ScalingEvent::ModeChanged { .. } => {}
            _ => return,
        }
        // A run of "keeps" collapses to the latest, so real changes stay visible.
        if is_keep(e) && self.log.back().is_some_and(is_keep) {
            self.log.pop_back();
        }
        if self.log.len() >= LOG_LEN {
            self.log.pop_front();
        }
        self.log.push_back(e.clone());
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Inner {
    One { label: String, sim: Box<ScalingSim> },
    Compare(Comparison),
}

/// The scene's model: see the module documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingModel {
    inner: Inner,
    readouts: Vec<Readout>,
}

impl ScalingModel {
    pub fn single(label: &str, config: ScalingConfig) -> Result<Self, ScalingError> {
        Ok(ScalingModel {
            inner: Inner::One {
                label: label.to_string(),
                sim: Box::new(ScalingSim::new(config)?),
            },
            readouts: vec![Readout::default()],
        })
    }

    pub fn compare(config: ComparisonConfig) -> Result<Self, ScalingError> {
        let c = Comparison::new(config)?;
        let n = c.lane_count() as usize;
        Ok(ScalingModel {
            inner: Inner::Compare(c),
            readouts: vec![Readout::default(); n],
        })
    }

    pub fn is_comparison(&self) -> bool {
        matches!(self.inner, Inner::Compare(_))
    }

    pub fn lane_count(&self) -> u32 {
        match &self.inner {
            Inner::One { .. } => 1,
            Inner::Compare(c) => c.lane_count(),
        }
    }

    pub fn lane(&self, lane: u32) -> Option<&ScalingSim> {
        match &self.inner {
            Inner::One { sim, .. } => (lane == 0).then_some(sim),
            Inner::Compare(c) => c.lane(lane),
        }
    }

    pub fn label(&self, lane: u32) -> &str {
        match &self.inner {
            Inner::One { label, .. } if lane == 0 => label,
            Inner::One { .. } => "",
            Inner::Compare(c) => c.label(lane).unwrap_or(""),
        }
    }

    pub fn readout(&self, lane: u32) -> Option<&Readout> {
        self.readouts.get(lane as usize)
    }

    /// A lane, for the core's per-lane operations.
    pub fn lane_mut(&mut self, lane: u32) -> Result<&mut ScalingSim, ScalingError> {
        match &mut self.inner {
            Inner::One { sim, .. } if lane == 0 => Ok(sim),
            Inner::One { .. } => Err(ScalingError::UnknownLane { lane }),
            Inner::Compare(c) => c.lane_mut(lane),
        }
    }

    /// The core's load change, on every lane at once.
    pub fn set_load(
        &mut self,
        load: scalelab_core::sim::ArrivalProcess,
    ) -> Result<(), ScalingError> {
        match &mut self.inner {
            Inner::One { sim, .. } => sim.set_load(load),
            Inner::Compare(c) => c.set_load(load),
        }
    }
}

impl Model for ScalingModel {
    type Event = LaneEvent;

    fn now(&self) -> SimTime {
        match &self.inner {
            Inner::One { sim, .. } => sim.now(),
            Inner::Compare(c) => c.now(),
        }
    }

    fn step_into(&mut self, out: &mut Vec<LaneEvent>) {
        let from = out.len();
        match &mut self.inner {
            Inner::One { label, sim } => {
                let mut buf = Vec::new();
                sim.step_into(&mut buf);
                out.extend(buf.into_iter().map(|event| LaneEvent {
                    lane: 0,
                    label: label.clone(),
                    event,
                }));
            }
            Inner::Compare(c) => {
                let mut buf = Vec::new();
                c.step_into(&mut buf);
                out.extend(buf.into_iter().map(|e| LaneEvent {
                    lane: e.lane,
                    label: e.label,
                    event: e.event,
                }));
            }
        }
        for e in out.iter().skip(from) {
            if let Some(r) = self.readouts.get_mut(e.lane as usize) {
                r.record(&e.event);
            }
        }
    }
}
