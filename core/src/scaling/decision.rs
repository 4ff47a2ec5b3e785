//! An autoscaler's decision as data: the readings, lines, windows and limits it was made
//! from, kept per lane so a page can show *why* the count is what it is.
//!
//! A [`Service`](super::Service) records one at every evaluation of its rule (each tick for
//! the threshold rules, each sync period for the HPA, each tick the vertical machine is up),
//! on the event path only: the quiet path (fast-forward) evaluates the same rule and records
//! nothing. Its `Display` (in `why`) is the one-line reason a page narrates.

use super::events::{Direction, Metric, Reason, Rule};
use super::hpa::RateLimit;
use super::hybrid::HybridWhy;
use super::threshold::{Observation, ThresholdConfig, Trigger};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// One evaluation of a lane's autoscaler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingDecision {
    /// When: the end of the tick it closed.
    pub at: SimTime,
    /// Which tick that was (the first tick is 1).
    pub tick: u64,
    /// Which rule decided.
    pub rule: Rule,
    /// Replicas (cores, for the vertical rule) before; the naive rule's own count.
    pub current: u32,
    /// Replicas (cores) it set: the count the service runs after the step.
    pub desired: u32,
    /// The rule's inputs and steps.
    pub basis: DecisionBasis,
}

impl ScalingDecision {
    /// Which way the count moved (`None`: it stayed).
    pub fn direction(&self) -> Option<Direction> {
        match self.desired.cmp(&self.current) {
            core::cmp::Ordering::Greater => Some(Direction::Up),
            core::cmp::Ordering::Less => Some(Direction::Down),
            core::cmp::Ordering::Equal => None,
        }
    }
}

/// What a rule read and how it got from the reading to the count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DecisionBasis {
    /// The threshold rules, and the vertical rule (the same lines, on one machine).
    Threshold(ThresholdWhy),
    /// The HPA rule.
    Hpa(HpaWhy),
}

/// One metric against the threshold rule's two lines, in the metric's unit (%, or requests
/// per second for the rate).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MetricCheck {
    /// Which reading.
    pub metric: Metric,
    /// Its value.
    pub value: f64,
    /// Above this, the rule scales out (up).
    pub up: f64,
    /// Below this (on every metric at once), the rule scales in (down).
    pub down: f64,
}

impl MetricCheck {
    /// Whether the reading is above the scale-out line.
    pub fn above(&self) -> bool {
        self.value > self.up
    }

    /// Whether the reading is below the scale-in line.
    pub fn below(&self) -> bool {
        self.value < self.down
    }
}

/// Why a threshold evaluation kept the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Hold {
    /// No reading is above its scale-out line, and not all are below their scale-in lines.
    WithinBand,
    /// It wants more but is at the maximum.
    AtMax,
    /// It wants less but is at the minimum.
    AtMin,
    /// It wants to scale but the cooldown after the last action runs until `until`.
    Cooldown {
        /// When the cooldown ends.
        until: SimTime,
    },
}

/// What the threshold rule made of a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Add capacity: one instance, or double the machine.
    Out,
    /// Remove capacity: one instance, or halve the machine.
    In,
    /// Keep the count, for this reason.
    Hold(Hold),
}

/// A threshold (or vertical) evaluation's inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdWhy {
    /// The reading it acted on.
    pub reading: Observation,
    /// How many ticks old the reading was (the metric delay).
    pub delay_ticks: u32,
    /// Each watched reading against its lines, in the order the rule checks them (by default
    /// CPU, memory and request rate).
    pub checks: Vec<MetricCheck>,
    /// The reading (or bound) that fired, if one did.
    pub trigger: Option<Trigger>,
    /// Out, in or hold.
    pub verdict: Verdict,
    /// The cooldown between actions.
    pub cooldown: SimDuration,
    /// When the cooldown after the previous action ends (`None`: it never acted).
    pub cooldown_until: Option<SimTime>,
    /// The lower bound (replicas, or the machine's fewest cores).
    pub min: u32,
    /// The upper bound (replicas, or the machine's most cores; the most machines, hybrid).
    pub max: u32,
    /// The hybrid rule's phase and sizes (`None` for the other rules).
    #[serde(default)]
    pub hybrid: Option<HybridWhy>,
}

impl ThresholdWhy {
    /// The watched readings of `reading` against `lines`.
    pub(crate) fn checks(lines: &ThresholdConfig, reading: &Observation) -> Vec<MetricCheck> {
        lines
            .trigger
            .metrics()
            .iter()
            .map(|&m| lines.check(m, reading))
            .collect()
    }

    /// The cooldown left at `at` (zero once it is over, or if the rule never acted).
    pub fn cooldown_left(&self, at: SimTime) -> SimDuration {
        match self.cooldown_until {
            Some(until) if until > at => SimDuration(until.0 - at.0),
            _ => SimDuration::ZERO,
        }
    }
}

/// One recommendation of the HPA's history: when, and how many replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// When the ratio rule made it.
    pub at: SimTime,
    /// The replicas it recommended.
    pub replicas: u32,
    /// Whether it is inside the scale-down window: a scale-down goes no lower than the
    /// highest of these.
    pub in_down_window: bool,
    /// Whether it is inside the scale-up window: a scale-up goes no higher than the lowest
    /// of these.
    pub in_up_window: bool,
}

/// An HPA reconcile's inputs and steps, in the controller's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HpaWhy {
    /// Ready pods: the rule's multiplier.
    pub ready: u32,
    /// Their average CPU utilisation, %.
    pub utilisation: f64,
    /// The target utilisation, %.
    pub target: f64,
    /// No change while `|1 − utilisation / target|` is at most this.
    pub tolerance: f64,
    /// Whether the ratio was within the tolerance (the rule recommended the current count).
    pub within_tolerance: bool,
    /// Instances still booting (not ready). On a scale-up the controller counts them at 0 %
    /// of their request, so a fleet already growing is not grown again for the same load.
    pub booting: u32,
    /// The ratio with the booting instances counted in, when they were (a scale-up with
    /// instances booting).
    pub adjusted_ratio: Option<f64>,
    /// Counting the booting instances turned the direction round, so the count stays.
    pub direction_flipped: bool,
    /// The ratio rule's recommendation: `ceil(ready × utilisation / target)`, or the current
    /// count within the tolerance.
    pub recommended: u32,
    /// The recommendations of the last windows, this one included, oldest first.
    pub window: Vec<Recommendation>,
    /// The scale-down stabilisation window.
    pub down_window: SimDuration,
    /// The scale-up stabilisation window.
    pub up_window: SimDuration,
    /// The lowest recommendation of the scale-up window.
    pub up_lowest: u32,
    /// The highest recommendation of the scale-down window.
    pub down_highest: u32,
    /// The count after stabilisation: the current one, raised to `up_lowest`, then lowered to
    /// `down_highest`.
    pub stabilised: u32,
    /// The rate policy met on the way to `stabilised`, when the count was to change.
    pub rate: Option<RateLimit>,
    /// The lower bound.
    pub min: u32,
    /// The upper bound.
    pub max: u32,
    /// Why the count came out as it did.
    pub reason: Reason,
}

impl HpaWhy {
    /// `utilisation / target`.
    pub fn ratio(&self) -> f64 {
        self.utilisation / self.target
    }

    /// `ready × utilisation / target`, before rounding up.
    pub fn raw(&self) -> f64 {
        f64::from(self.ready) * self.ratio()
    }

    /// Whether the bound of `[min, max]` decided the count (out of bounds, or a change the
    /// bound cut short).
    pub fn clamped(&self) -> bool {
        matches!(
            self.reason,
            Reason::BelowMin | Reason::AboveMax | Reason::AtMax | Reason::AtMin
        )
    }
}
