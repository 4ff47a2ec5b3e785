//! What a lane remembers from its own events, for a page to show: the last tick's figures (a
//! `Service` reports them only as a `Tick` event), the last few decisions, the naive rule's
//! missed scale-ins and the time with no ready capacity. It records; it never decides.

use super::events::{Metric, Reason, ServiceEvent};
use crate::sim::SimDuration;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Decision-log entries kept per lane.
pub const DECISION_LOG_LEN: usize = 6;

/// The figures of a lane's last `Tick` event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TickFigures {
    /// The tick's length.
    pub len: SimDuration,
    /// Requests that arrived in the tick.
    pub offered: u64,
    /// Requests served in the tick.
    pub served: u64,
    /// Requests dropped in the tick (no room, or lost to a resize).
    pub dropped: u64,
    /// Requests per second of ready instances at the tick's end.
    pub capacity_rps: u64,
    /// Served / capacity of ready instances, %.
    pub utilisation_pct: f64,
    /// Mean memory utilisation of ready instances, %.
    pub memory_pct: f64,
    /// Requests waiting at the tick's end.
    pub backlog: u64,
    /// Cores billed in the tick.
    pub cores: u32,
    /// p95 latency of the requests served in the tick, µs.
    pub p95_us: u64,
}

impl TickFigures {
    /// Requests dropped in the tick, % of those offered: the error rate the threshold rule
    /// reads (0 for an empty tick).
    pub fn error_pct(&self) -> f64 {
        if self.offered == 0 {
            0.0
        } else {
            (self.dropped as f64 * 100.0 / self.offered as f64).min(100.0)
        }
    }

    /// `n` requests of this tick as a rate per second, whatever the tick's length (0 for an
    /// empty tick).
    pub fn rate(&self, n: u64) -> f64 {
        let seconds = self.len.as_secs_f64();
        if seconds > 0.0 {
            n as f64 / seconds
        } else {
            0.0
        }
    }
}

/// A lane's readouts, filled from its events by [`Readout::record`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Readout {
    pub(crate) last_tick: Option<TickFigures>,
    /// Decisions and other notable events, newest last.
    pub(crate) log: VecDeque<ServiceEvent>,
    /// The last scale-in the naive rule missed (it stays wrong, so it stays on screen).
    pub(crate) last_missed: Option<ServiceEvent>,
    pub(crate) missed_count: u32,
    /// The reading that fired the last decision that changed the count.
    pub(crate) last_trigger: Option<Metric>,
    /// Simulated time with no ready capacity at all (resize downtime, an empty fleet).
    pub(crate) downtime: SimDuration,
    /// The last resize of the vertical machine.
    pub(crate) last_resize: Option<ServiceEvent>,
}

/// A decision that only confirms the current count (the HPA says so every sync period).
pub(crate) fn is_keep(e: &ServiceEvent) -> bool {
    matches!(e, ServiceEvent::Decision { current, desired, reason, .. }
        if current == desired && !matches!(reason, Reason::AtMax | Reason::AtMin))
}

impl Readout {
    pub(crate) fn record(&mut self, e: &ServiceEvent) {
        match e {
            ServiceEvent::Tick {
                len,
                offered,
                served,
                dropped,
                capacity_rps,
                utilisation_pct,
                memory_pct,
                backlog,
                cores,
                p95_us,
                ..
            } => {
                if *capacity_rps == 0 {
                    self.downtime = SimDuration(self.downtime.0.saturating_add(len.0));
                }
                self.last_tick = Some(TickFigures {
                    len: *len,
                    offered: *offered,
                    served: *served,
                    dropped: *dropped,
                    capacity_rps: *capacity_rps,
                    utilisation_pct: *utilisation_pct,
                    memory_pct: *memory_pct,
                    backlog: *backlog,
                    cores: *cores,
                    p95_us: *p95_us,
                });
                return;
            }
            ServiceEvent::ScaleInMissed { .. } => {
                self.last_missed = Some(e.clone());
                self.missed_count = self.missed_count.saturating_add(1);
            }
            ServiceEvent::Resized { .. } => self.last_resize = Some(e.clone()),
            ServiceEvent::Decision {
                metric,
                current,
                desired,
                ..
            } => {
                if current != desired {
                    self.last_trigger = Some(*metric);
                }
            }
            ServiceEvent::CooldownBlocked { .. }
            | ServiceEvent::StabilisationHeld { .. }
            | ServiceEvent::RateLimited { .. }
            | ServiceEvent::LoadChanged { .. }
            | ServiceEvent::ModeChanged { .. } => {}
            _ => return,
        }
        // A run of "keeps" collapses to the latest, so real changes stay visible.
        if is_keep(e) && self.log.back().is_some_and(is_keep) {
            self.log.pop_back();
        }
        if self.log.len() >= DECISION_LOG_LEN {
            self.log.pop_front();
        }
        self.log.push_back(e.clone());
    }
}
