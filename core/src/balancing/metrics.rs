//! A snapshot of a balancer for the UI: per-server gauges and counters, global latency
//! percentiles and totals.

use super::health::BreakerState;
use super::strategy::StrategyKind;
use crate::sim::{Percentiles, SimTime};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// What happened to the requests one server was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackendCounters {
    pub routed: u64,
    pub completed: u64,
    pub server_errors: u64,
    pub refused: u64,
    pub queue_full: u64,
    pub lost: u64,
    pub probes_failed: u64,
    pub ejections: u64,
}

/// Whole-balancer counters. Every arrival ends exactly once, so at any instant
/// `arrivals = completed + dropped + failed + in_flight`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalancerTotals {
    pub arrivals: u64,
    /// Answered successfully.
    pub completed: u64,
    pub dropped_queue_full: u64,
    pub dropped_no_server: u64,
    pub failed_refused: u64,
    pub failed_server_error: u64,
    pub failed_lost: u64,
}

impl BalancerTotals {
    pub fn dropped(&self) -> u64 {
        self.dropped_queue_full + self.dropped_no_server
    }
    pub fn failed(&self) -> u64 {
        self.failed_refused + self.failed_server_error + self.failed_lost
    }
    /// Requests that have ended, one way or another.
    pub fn finished(&self) -> u64 {
        self.completed + self.dropped() + self.failed()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerMetrics {
    pub index: u32,
    pub name: String,
    pub weight: u32,
    /// The process is running (not killed).
    pub running: bool,
    /// What active health checks believe (always true with checks off).
    pub healthy: bool,
    pub ejected_until: Option<SimTime>,
    pub breaker: BreakerState,
    /// Gets new traffic now.
    pub eligible: bool,
    pub in_flight: u32,
    pub queue_len: u32,
    pub busy_slots: u32,
    pub concurrency: u32,
    pub queue_limit: u32,
    /// Busy share of slot-time since the server joined, 0–1.
    pub utilisation: f64,
    pub slowdown: f64,
    pub error_rate: f64,
    pub counters: BackendCounters,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalancerMetrics {
    pub now: SimTime,
    pub strategy: StrategyKind,
    pub servers: Vec<ServerMetrics>,
    /// All successful answers since the start (log-linear histogram, within ~6 %).
    pub latency: Percentiles,
    /// The last `recent_window` answers, exact.
    pub recent_latency: Percentiles,
    pub totals: BalancerTotals,
    pub in_flight: u64,
    /// Successful answers per second over the whole run.
    pub throughput: f64,
    /// Successful answers per second over the last second.
    pub recent_throughput: f64,
}

const BUCKET_MICROS: u64 = 100_000;
const BUCKETS: u64 = 10;

/// Completions per 100 ms bucket over the last second: bounded memory at any rate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ThroughputMeter {
    buckets: VecDeque<(u64, u64)>,
}

impl ThroughputMeter {
    pub fn record(&mut self, now: SimTime) {
        let b = now.0 / BUCKET_MICROS;
        match self.buckets.back_mut() {
            Some((last, n)) if *last == b => *n += 1,
            _ => self.buckets.push_back((b, 1)),
        }
        while self
            .buckets
            .front()
            .is_some_and(|(first, _)| first + BUCKETS <= b)
        {
            self.buckets.pop_front();
        }
    }

    /// Per second over the last second (or since the start, if shorter).
    pub fn rate(&self, now: SimTime) -> f64 {
        let b = now.0 / BUCKET_MICROS;
        let count: u64 = self
            .buckets
            .iter()
            .filter(|(i, _)| i + BUCKETS > b)
            .map(|(_, n)| n)
            .sum();
        // The window starts at the oldest bucket kept, so a half-elapsed current bucket does not
        // read as a dip in throughput.
        let start = (b + 1).saturating_sub(BUCKETS) * BUCKET_MICROS;
        let span = now.0.saturating_sub(start);
        if span == 0 {
            0.0
        } else {
            count as f64 * 1e6 / span as f64
        }
    }
}
