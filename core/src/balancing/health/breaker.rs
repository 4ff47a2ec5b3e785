//! A circuit breaker per server (resilience4j, count-based sliding window).
//!
//! - CLOSED: outcomes fill a window of the last `window_size` calls; once it holds at least
//!   `minimum_calls`, a failure rate ≥ `failure_rate_threshold` trips it OPEN.
//! - OPEN: no traffic for `wait_in_open`, then HALF_OPEN (the automatic transition; resilience4j
//!   otherwise waits for the next call to notice — a simulation has a timer anyway).
//! - HALF_OPEN: exactly `half_open_calls` trial calls are let through; when all have answered,
//!   a failure rate ≥ the threshold re-opens it, anything less closes it with a fresh window.

use crate::sim::{check_count, check_positive, limits, SimDuration, SimError, SimTime};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// A count-based circuit breaker's settings (resilience4j's names in brackets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BreakerConfig {
    /// Calls in the sliding window (resilience4j `slidingWindowSize`, default 100).
    pub window_size: u32,
    /// Calls needed before a rate is computed (`minimumNumberOfCalls`, default 100).
    pub minimum_calls: u32,
    /// Failure percentage that trips the breaker, in (0, 100] (default 50).
    pub failure_rate_threshold: f64,
    /// How long it stays OPEN (`waitDurationInOpenState`, default 60 s).
    pub wait_in_open: SimDuration,
    /// Trial calls in HALF_OPEN (`permittedNumberOfCallsInHalfOpenState`, default 10).
    pub half_open_calls: u32,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            window_size: 100,
            minimum_calls: 100,
            failure_rate_threshold: 50.0,
            wait_in_open: SimDuration::from_secs(60),
            half_open_calls: 10,
        }
    }
}

/// Largest sliding window (and minimum calls).
pub const MAX_BREAKER_WINDOW: u64 = 10_000;
/// Most trial calls in HALF_OPEN.
pub const MAX_HALF_OPEN_CALLS: u64 = 1_000;
/// Shortest OPEN wait, in µs.
pub const MIN_OPEN_WAIT_MICROS: u64 = 1_000;

impl BreakerConfig {
    /// Range checks; the caller also checks minimum_calls ≤ window_size (a cross-field rule).
    pub fn validate(&self) -> Result<(), SimError> {
        check_count(
            "circuit breaker window size",
            u64::from(self.window_size),
            1,
            MAX_BREAKER_WINDOW,
        )?;
        check_count(
            "circuit breaker minimum calls",
            u64::from(self.minimum_calls),
            1,
            MAX_BREAKER_WINDOW,
        )?;
        check_positive(
            "circuit breaker failure rate threshold (%)",
            self.failure_rate_threshold,
            100.0,
        )?;
        check_count(
            "circuit breaker wait in open state (µs)",
            self.wait_in_open.0,
            MIN_OPEN_WAIT_MICROS,
            limits::MAX_DURATION_MICROS,
        )?;
        check_count(
            "circuit breaker half-open calls",
            u64::from(self.half_open_calls),
            1,
            MAX_HALF_OPEN_CALLS,
        )?;
        Ok(())
    }
}

/// A circuit breaker's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum BreakerState {
    /// Calls pass; outcomes fill the window.
    #[default]
    Closed,
    /// No calls pass until the OPEN wait ends.
    Open,
    /// A few trial calls pass; their outcomes close or re-open it.
    HalfOpen,
}

impl core::fmt::Display for BreakerState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            BreakerState::Closed => "CLOSED",
            BreakerState::Open => "OPEN",
            BreakerState::HalfOpen => "HALF_OPEN",
        })
    }
}

/// A state change: (from, to).
pub type Transition = (BreakerState, BreakerState);

/// One server's circuit breaker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircuitBreaker {
    state: BreakerState,
    /// CLOSED window, oldest first; `true` = failed call.
    window: VecDeque<bool>,
    failures_in_window: u32,
    open_until: Option<SimTime>,
    half_open_issued: u32,
    half_open_results: u32,
    half_open_failures: u32,
    /// Bumped each time the breaker opens, so a stale half-open timer is ignored.
    epoch: u32,
}

fn rate_reaches(failures: u32, calls: u32, threshold: f64) -> bool {
    calls > 0 && f64::from(failures) * 100.0 / f64::from(calls) >= threshold
}

impl CircuitBreaker {
    /// A CLOSED breaker with an empty window.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its state now.
    pub fn state(&self) -> BreakerState {
        self.state
    }

    /// How many times it has opened: a half-open timer from an earlier opening is stale.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// When an OPEN breaker turns HALF_OPEN.
    pub fn open_until(&self) -> Option<SimTime> {
        self.open_until
    }

    /// Calls recorded in the CLOSED window.
    pub fn window_calls(&self) -> u32 {
        self.window.len() as u32
    }

    /// The CLOSED window's failure rate in percent, once it holds `minimum_calls`.
    pub fn failure_rate(&self, config: &BreakerConfig) -> Option<f64> {
        let calls = self.window.len() as u32;
        (calls >= config.minimum_calls && calls > 0)
            .then(|| f64::from(self.failures_in_window) * 100.0 / f64::from(calls))
    }

    /// The failures and calls the breaker weighs once a call with this outcome is recorded:
    /// its CLOSED window (which forgets its oldest call when full) or its HALF_OPEN trial
    /// calls; (0, 0) while OPEN. Reads only: what a recorded decision quotes.
    pub fn tally_with(&self, failed: bool, config: &BreakerConfig) -> (u32, u32) {
        let failed = u32::from(failed);
        match self.state {
            BreakerState::Open => (0, 0),
            BreakerState::Closed => {
                let calls = self.window.len() as u32;
                if calls >= config.window_size {
                    let forgotten = u32::from(self.window.front() == Some(&true));
                    (
                        self.failures_in_window.saturating_sub(forgotten) + failed,
                        calls,
                    )
                } else {
                    (self.failures_in_window + failed, calls + 1)
                }
            }
            BreakerState::HalfOpen => (
                self.half_open_failures.saturating_add(failed),
                self.half_open_results.saturating_add(1),
            ),
        }
    }

    /// Whether a new call may go to this server now.
    pub fn allows(&self, config: &BreakerConfig) -> bool {
        match self.state {
            BreakerState::Closed => true,
            BreakerState::Open => false,
            BreakerState::HalfOpen => self.half_open_issued < config.half_open_calls,
        }
    }

    /// A call was sent (counts against the HALF_OPEN trial allowance).
    pub fn on_dispatch(&mut self) {
        if self.state == BreakerState::HalfOpen {
            self.half_open_issued = self.half_open_issued.saturating_add(1);
        }
    }

    fn open(&mut self, now: SimTime, config: &BreakerConfig) {
        self.state = BreakerState::Open;
        self.open_until = Some(now.after(config.wait_in_open));
        self.epoch = self.epoch.wrapping_add(1);
        self.window.clear();
        self.failures_in_window = 0;
    }

    /// Records a call's outcome; returns the transition it caused, if any. When the breaker
    /// opens, the caller schedules [`CircuitBreaker::half_open`] at [`Self::open_until`].
    pub fn record(
        &mut self,
        failed: bool,
        now: SimTime,
        config: &BreakerConfig,
    ) -> Option<Transition> {
        match self.state {
            BreakerState::Open => None,
            BreakerState::Closed => {
                // A full window forgets its oldest call before taking the new one.
                if self.window.len() as u32 >= config.window_size
                    && self.window.pop_front() == Some(true)
                {
                    self.failures_in_window -= 1;
                }
                self.window.push_back(failed);
                if failed {
                    self.failures_in_window += 1;
                }
                let calls = self.window.len() as u32;
                if calls >= config.minimum_calls
                    && rate_reaches(
                        self.failures_in_window,
                        calls,
                        config.failure_rate_threshold,
                    )
                {
                    self.open(now, config);
                    return Some((BreakerState::Closed, BreakerState::Open));
                }
                None
            }
            BreakerState::HalfOpen => {
                self.half_open_results = self.half_open_results.saturating_add(1);
                if failed {
                    self.half_open_failures = self.half_open_failures.saturating_add(1);
                }
                if self.half_open_results < config.half_open_calls {
                    return None;
                }
                if rate_reaches(
                    self.half_open_failures,
                    self.half_open_results,
                    config.failure_rate_threshold,
                ) {
                    self.open(now, config);
                    Some((BreakerState::HalfOpen, BreakerState::Open))
                } else {
                    self.state = BreakerState::Closed;
                    self.window.clear();
                    self.failures_in_window = 0;
                    Some((BreakerState::HalfOpen, BreakerState::Closed))
                }
            }
        }
    }

    /// The OPEN wait is over (the timer scheduled when it opened with this `epoch`).
    pub fn half_open(&mut self, epoch: u32) -> Option<Transition> {
        if self.state != BreakerState::Open || epoch != self.epoch {
            return None;
        }
        self.state = BreakerState::HalfOpen;
        self.open_until = None;
        self.half_open_issued = 0;
        self.half_open_results = 0;
        self.half_open_failures = 0;
        Some((BreakerState::Open, BreakerState::HalfOpen))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_the_minimum_calls_before_tripping() {
        let cfg = BreakerConfig::default();
        let mut b = CircuitBreaker::new();
        for _ in 0..99 {
            assert_eq!(b.record(true, SimTime(0), &cfg), None);
        }
        assert_eq!(
            b.record(true, SimTime(5), &cfg),
            Some((BreakerState::Closed, BreakerState::Open))
        );
        assert_eq!(b.open_until(), Some(SimTime(5).after(cfg.wait_in_open)));
        assert!(!b.allows(&cfg));
    }

    #[test]
    fn stale_half_open_timer_is_ignored() {
        let cfg = BreakerConfig {
            minimum_calls: 1,
            window_size: 1,
            ..BreakerConfig::default()
        };
        let mut b = CircuitBreaker::new();
        b.record(true, SimTime(0), &cfg);
        let e = b.epoch();
        assert_eq!(b.half_open(e.wrapping_sub(1)), None);
        assert!(b.half_open(e).is_some());
    }
}
