//! Why health handling changed a server's standing: the probes, failures or failure rate that
//! crossed a threshold, with the threshold (or, for the guide's checker, the random draw behind
//! a verdict that changes nothing).

use crate::balancing::event::ServerName;
use crate::balancing::health::{BreakerState, GuideVerdictText};
use crate::num_text::Fixed;
use crate::sim::{SimDuration, SimTime};

/// What health handling decided about one server, and the numbers it decided on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HealthDecision {
    /// Active health checks marked a server UP or DOWN (a `HealthChanged` event).
    Probes {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// UP (true) or DOWN (false), as the balancer now believes.
        up: bool,
        /// Probes in a row that agreed (passed for UP, failed for DOWN).
        in_a_row: u32,
        /// The threshold they reached: `rise` for UP, `fall` for DOWN.
        threshold: u32,
    },
    /// The guide's checker printed a verdict from a random draw (a `GuideVerdict` event); the
    /// server's standing did not change, since routing ignores the verdict.
    GuideDraw {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// The printed verdict: healthy unless `draw` < 0.10.
        healthy: bool,
        /// The uniform draw in [0, 1).
        draw: f64,
    },
    /// Passive outlier detection ejected a server (an `Ejected` event).
    Ejection {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// Consecutive failures counted (equal to the threshold).
        failures: u32,
        /// The threshold (Envoy `consecutive_5xx`).
        threshold: u32,
        /// How many times it has been ejected, this one included.
        times: u32,
        /// How long this ejection lasts: base × times, capped.
        length: SimDuration,
    },
    /// A circuit breaker opened or closed on a failure rate (a `BreakerChanged` event from
    /// CLOSED, or from HALF_OPEN once its trial calls have answered).
    BreakerRate {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// The state before.
        from: BreakerState,
        /// The state now.
        to: BreakerState,
        /// Failed calls weighed.
        failures: u32,
        /// Calls weighed: the sliding window, or the trial calls.
        calls: u32,
        /// The failure percentage that trips it.
        threshold: f64,
    },
    /// An OPEN breaker's wait ended and it went HALF_OPEN.
    BreakerWaitOver {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// How long it stayed OPEN.
        waited: SimDuration,
        /// Trial calls it now lets through.
        trial_calls: u32,
    },
}

impl HealthDecision {
    /// When it happened.
    pub fn at(&self) -> SimTime {
        match *self {
            HealthDecision::Probes { at, .. }
            | HealthDecision::GuideDraw { at, .. }
            | HealthDecision::Ejection { at, .. }
            | HealthDecision::BreakerRate { at, .. }
            | HealthDecision::BreakerWaitOver { at, .. } => at,
        }
    }

    /// The server it is about (its position at the time).
    pub fn server(&self) -> u32 {
        match *self {
            HealthDecision::Probes { server, .. }
            | HealthDecision::GuideDraw { server, .. }
            | HealthDecision::Ejection { server, .. }
            | HealthDecision::BreakerRate { server, .. }
            | HealthDecision::BreakerWaitOver { server, .. } => server,
        }
    }

    /// The failure rate in percent, for a breaker decision.
    pub fn failure_rate(&self) -> Option<f64> {
        match *self {
            HealthDecision::BreakerRate {
                failures, calls, ..
            } if calls > 0 => Some(f64::from(failures) * 100.0 / f64::from(calls)),
            _ => None,
        }
    }

    /// The *why* as one sentence, naming servers by `names` (as they were at the decision).
    pub fn why<'a, S: AsRef<str>>(&'a self, names: &'a [S]) -> HealthWhy<'a, S> {
        HealthWhy {
            decision: self,
            names,
        }
    }
}

/// A health decision with the server names to say it by (see [`HealthDecision::why`]).
pub struct HealthWhy<'a, S> {
    decision: &'a HealthDecision,
    names: &'a [S],
}

/// A percentage with one decimal, or none when it is whole: "62.5", "50".
struct Percent(f64);

impl core::fmt::Display for Percent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Integer tenths: a float remainder would link `fmod` into the page.
        let tenths = (self.0 * 10.0 + 0.5) as u64;
        let decimals = if tenths % 10 == 0 { 0 } else { 1 };
        write!(f, "{}", Fixed(self.0, decimals))
    }
}

impl<S: AsRef<str>> core::fmt::Display for HealthWhy<'_, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let name = ServerName(self.decision.server(), self.names);
        match *self.decision {
            HealthDecision::Probes {
                up,
                in_a_row,
                threshold,
                ..
            } => {
                let (state, outcome, knob) = if up {
                    ("UP", "passed", "rise")
                } else {
                    ("DOWN", "failed", "fall")
                };
                write!(
                    f,
                    "health checks marked {name} {state}: {in_a_row} probe{} {outcome} in a row \
                     ({knob} = {threshold})",
                    if in_a_row == 1 { "" } else { "s" }
                )
            }
            HealthDecision::GuideDraw { healthy, draw, .. } => GuideVerdictText {
                name,
                healthy,
                draw,
            }
            .fmt(f),
            HealthDecision::Ejection {
                failures,
                threshold,
                times,
                length,
                ..
            } => write!(
                f,
                "outlier detection ejected {name} for {length}: {failures} consecutive failures \
                 (consecutive_5xx = {threshold}), ejection {times}"
            ),
            HealthDecision::BreakerRate {
                from,
                to,
                failures,
                calls,
                threshold,
                ..
            } => {
                let rate = Percent(self.decision.failure_rate().unwrap_or(0.0));
                let threshold = Percent(threshold);
                match (from, to) {
                    (BreakerState::Closed, _) => write!(
                        f,
                        "{name}'s circuit breaker opened: failure rate {rate} % ≥ {threshold} % \
                         over {calls} calls ({failures} failed)"
                    ),
                    (_, BreakerState::Open) => write!(
                        f,
                        "{name}'s circuit breaker opened again: {failures} of {calls} trial \
                         calls failed, {rate} % ≥ {threshold} %"
                    ),
                    _ => write!(
                        f,
                        "{name}'s circuit breaker closed: {failures} of {calls} trial calls \
                         failed, {rate} % < {threshold} %"
                    ),
                }
            }
            HealthDecision::BreakerWaitOver {
                waited,
                trial_calls,
                ..
            } => write!(
                f,
                "{name}'s circuit breaker went HALF_OPEN: its {waited} OPEN wait ended, so \
                 {trial_calls} trial call{} may pass",
                if trial_calls == 1 { "" } else { "s" }
            ),
        }
    }
}
