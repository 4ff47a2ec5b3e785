//! Passive outlier detection (Envoy `consecutive_5xx`): real responses, not probes, decide.
//!
//! - a server is ejected when its consecutive-failure count *equals* the threshold (default 5);
//!   any success resets the count;
//! - the n-th ejection lasts `base_ejection_time × n`, capped at `max_ejection_time`;
//! - at most `max_ejection_percent` of the servers may be ejected at once, but at least one
//!   server is always ejectable (so with 4 servers and 10 %, one may go).
//!
//! Simplification: Envoy unejects on its `interval` timer tick after the time is up; here the
//! server returns exactly at `until`, so the ejection time shown is the one served.

use crate::sim::{check_count, limits, SimDuration, SimError, SimTime};
use serde::{Deserialize, Serialize};

/// Passive outlier detection's settings (Envoy's names in brackets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutlierConfig {
    /// Consecutive failures that eject a server (Envoy `consecutive_5xx`, default 5).
    pub consecutive_failures: u32,
    /// First ejection length; the n-th lasts n times this (default 30 s).
    pub base_ejection_time: SimDuration,
    /// Longest ejection (default 300 s).
    pub max_ejection_time: SimDuration,
    /// Share of servers that may be ejected at once, 0–100 (default 10; one is always allowed).
    pub max_ejection_percent: u32,
}

impl Default for OutlierConfig {
    fn default() -> Self {
        OutlierConfig {
            consecutive_failures: 5,
            base_ejection_time: SimDuration::from_secs(30),
            max_ejection_time: SimDuration::from_secs(300),
            max_ejection_percent: 10,
        }
    }
}

/// Most consecutive failures the threshold may ask for.
pub const MAX_CONSECUTIVE_FAILURES: u64 = 1_000;
/// Shortest base ejection time, in µs.
pub const MIN_EJECTION_MICROS: u64 = 1_000;

impl OutlierConfig {
    /// Range checks; the caller also checks base ≤ max (a cross-field rule).
    pub fn validate(&self) -> Result<(), SimError> {
        check_count(
            "outlier consecutive failures",
            u64::from(self.consecutive_failures),
            1,
            MAX_CONSECUTIVE_FAILURES,
        )?;
        check_count(
            "outlier base ejection time (µs)",
            self.base_ejection_time.0,
            MIN_EJECTION_MICROS,
            limits::MAX_DURATION_MICROS,
        )?;
        check_count(
            "outlier max ejection time (µs)",
            self.max_ejection_time.0,
            MIN_EJECTION_MICROS,
            limits::MAX_DURATION_MICROS,
        )?;
        check_count(
            "outlier max ejection percent",
            u64::from(self.max_ejection_percent),
            0,
            100,
        )?;
        Ok(())
    }

    /// How long the `times`-th ejection lasts: base × times, capped at the maximum.
    pub fn ejection_time(&self, times: u32) -> SimDuration {
        let t = self
            .base_ejection_time
            .saturating_mul(u64::from(times.max(1)));
        t.min(self.max_ejection_time)
    }

    /// How many of `hosts` servers may be ejected at once: the percentage, but at least one.
    pub fn max_ejected(&self, hosts: u32) -> u32 {
        let by_percent = u64::from(hosts) * u64::from(self.max_ejection_percent) / 100;
        (by_percent as u32).max(1)
    }

    /// Whether one more server may be ejected while `ejected` of `hosts` already are.
    pub fn may_eject(&self, hosts: u32, ejected: u32) -> bool {
        ejected < self.max_ejected(hosts)
    }
}

/// One server's outlier bookkeeping.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlierState {
    consecutive_failures: u32,
    times_ejected: u32,
    ejected_until: Option<SimTime>,
}

impl OutlierState {
    /// Failures in a row so far (reset by a success).
    pub fn consecutive_failures(&self) -> u32 {
        self.consecutive_failures
    }
    /// How many times the server has been ejected.
    pub fn times_ejected(&self) -> u32 {
        self.times_ejected
    }
    /// When the current ejection ends, if it is ejected.
    pub fn ejected_until(&self) -> Option<SimTime> {
        self.ejected_until
    }
    /// Whether the server is ejected now.
    pub fn is_ejected(&self) -> bool {
        self.ejected_until.is_some()
    }

    /// A success resets the count (ignored while ejected: late answers do not shorten it).
    pub fn record_success(&mut self) {
        if !self.is_ejected() {
            self.consecutive_failures = 0;
        }
    }

    /// Counts a failure; true when the count has just become *equal* to the threshold (the
    /// caller then ejects if the max-percent rule allows). As in Envoy's
    /// `onConsecutiveErrorWorker`, the count restarts from 0 after every detection, ejected or
    /// not, so a host refused by the max-percent rule is detected again after another bout.
    pub fn record_failure(&mut self, config: &OutlierConfig) -> bool {
        if self.is_ejected() {
            return false;
        }
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        if self.consecutive_failures == config.consecutive_failures {
            self.consecutive_failures = 0;
            true
        } else {
            false
        }
    }

    /// Ejects now; returns when the server comes back.
    pub fn eject(&mut self, now: SimTime, config: &OutlierConfig) -> SimTime {
        self.times_ejected = self.times_ejected.saturating_add(1);
        let until = now.after(config.ejection_time(self.times_ejected));
        self.ejected_until = Some(until);
        until
    }

    /// The ejection is over; counting starts afresh (the ejection count is kept, so the next
    /// ejection is longer).
    pub fn uneject(&mut self) {
        self.ejected_until = None;
        self.consecutive_failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ejects_at_exactly_the_threshold_and_success_resets() {
        let cfg = OutlierConfig::default();
        let mut s = OutlierState::default();
        for _ in 0..4 {
            assert!(!s.record_failure(&cfg));
        }
        s.record_success();
        for _ in 0..4 {
            assert!(!s.record_failure(&cfg));
        }
        assert!(s.record_failure(&cfg));
        assert_eq!(s.consecutive_failures(), 0, "restarts after each detection");
        for _ in 0..4 {
            assert!(!s.record_failure(&cfg));
        }
        assert!(s.record_failure(&cfg), "a refused host is detected again");
    }

    #[test]
    fn ejection_time_grows_and_caps() {
        let cfg = OutlierConfig::default();
        let secs: Vec<u64> = (1..=12)
            .map(|n| cfg.ejection_time(n).as_micros() / 1_000_000)
            .collect();
        assert_eq!(
            secs,
            vec![30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 300, 300]
        );
    }

    #[test]
    fn at_least_one_host_is_always_ejectable() {
        let cfg = OutlierConfig::default();
        assert_eq!(cfg.max_ejected(4), 1);
        assert!(cfg.may_eject(4, 0));
        assert!(!cfg.may_eject(4, 1));
        assert_eq!(cfg.max_ejected(30), 3);
        let none = OutlierConfig {
            max_ejection_percent: 0,
            ..cfg
        };
        assert!(none.may_eject(10, 0));
    }
}
