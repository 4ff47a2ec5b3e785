//! Active health checks (HAProxy): probe every `interval`; `fall` consecutive failures mark a
//! server DOWN, `rise` consecutive successes bring it back UP. The detection lag is what the
//! playground shows: a crashed server keeps receiving (and refusing) requests until it has
//! failed `fall` probes, so between (fall − 1) × interval and fall × interval after the crash.
//!
//! The guide's checker ([`HealthChecker::Guide`]) runs on the same timer but is another thing
//! entirely: see [`super::guide`].

use crate::sim::{check_count, limits, SimDuration, SimError};
use serde::{Deserialize, Serialize};

/// Active health checks: the balancer probes each server on a timer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActiveHealthConfig {
    /// Time between probes of one server (HAProxy `inter`, default 2000 ms).
    pub interval: SimDuration,
    /// Consecutive successful probes to mark a DOWN server UP (default 2).
    pub rise: u32,
    /// Consecutive failed probes to mark an UP server DOWN (default 3).
    pub fall: u32,
    /// Which checker runs on the timer: the reference rise/fall checks (the default) or the
    /// guide's random verdict.
    pub checker: HealthChecker,
}

/// Which health checker probes the servers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HealthChecker {
    /// HAProxy's: each probe asks the server; `rise`/`fall` probes in a row change routing.
    #[default]
    RiseFall,
    /// The guide's: each probe prints a random verdict (unhealthy with probability 10 %)
    /// that routing never reads, and records the probe's own time in the server's
    /// response-time window.
    Guide,
}

impl Default for ActiveHealthConfig {
    fn default() -> Self {
        ActiveHealthConfig {
            interval: SimDuration::from_millis(2_000),
            rise: 2,
            fall: 3,
            checker: HealthChecker::RiseFall,
        }
    }
}

/// Shortest probe interval: faster probing would make every step a probe.
pub const MIN_PROBE_INTERVAL_MICROS: u64 = 10_000;
/// Most consecutive probes `rise` or `fall` may ask for.
pub const MAX_RISE_FALL: u64 = 100;

impl ActiveHealthConfig {
    /// Checks every field; the error names the first out of range.
    pub fn validate(&self) -> Result<(), SimError> {
        check_count(
            "health check interval (µs)",
            self.interval.0,
            MIN_PROBE_INTERVAL_MICROS,
            limits::MAX_DURATION_MICROS,
        )?;
        check_count("health check rise", u64::from(self.rise), 1, MAX_RISE_FALL)?;
        check_count("health check fall", u64::from(self.fall), 1, MAX_RISE_FALL)?;
        Ok(())
    }
}

/// What the balancer believes about one server, from its probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheckState {
    up: bool,
    /// Consecutive results agreeing with a possible change (failures while UP, successes while
    /// DOWN).
    streak: u32,
    /// The guide checker's last printed verdict was "unhealthy" (routing never reads it).
    #[serde(default)]
    printed_unhealthy: bool,
}

impl Default for HealthCheckState {
    /// A newly added server starts UP, as in HAProxy: traffic reaches it before its first probe.
    fn default() -> Self {
        HealthCheckState {
            up: true,
            streak: 0,
            printed_unhealthy: false,
        }
    }
}

impl HealthCheckState {
    /// Whether the balancer believes the server is UP.
    pub fn is_up(&self) -> bool {
        self.up
    }

    /// Consecutive probes that point towards a change of state.
    pub fn streak(&self) -> u32 {
        self.streak
    }

    /// The guide checker's last printed verdict: false once it printed "unhealthy", until it
    /// prints "healthy" again (true before its first check).
    pub fn printed_healthy(&self) -> bool {
        !self.printed_unhealthy
    }

    /// Records the guide checker's printed verdict; true when it differs from the last one
    /// (a flap). Routing reads [`HealthCheckState::is_up`], which this leaves alone.
    pub fn print_verdict(&mut self, healthy: bool) -> bool {
        let changed = healthy == self.printed_unhealthy;
        self.printed_unhealthy = !healthy;
        changed
    }

    /// Records one probe; returns the new state when this probe changed it.
    pub fn record_probe(&mut self, ok: bool, config: &ActiveHealthConfig) -> Option<bool> {
        if ok == self.up {
            // A result that confirms the current state breaks any streak towards the other.
            self.streak = 0;
            return None;
        }
        self.streak = self.streak.saturating_add(1);
        let needed = if self.up { config.fall } else { config.rise };
        if self.streak >= needed {
            self.up = ok;
            self.streak = 0;
            Some(self.up)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn down_after_fall_failures_and_up_after_rise_successes() {
        let cfg = ActiveHealthConfig::default();
        let mut h = HealthCheckState::default();
        assert!(h.is_up());
        assert_eq!(h.record_probe(false, &cfg), None);
        assert_eq!(h.record_probe(false, &cfg), None);
        assert_eq!(h.record_probe(false, &cfg), Some(false));
        assert_eq!(h.record_probe(true, &cfg), None);
        assert_eq!(h.record_probe(false, &cfg), None, "streak broken");
        assert_eq!(h.record_probe(true, &cfg), None);
        assert_eq!(h.record_probe(true, &cfg), Some(true));
    }
}
