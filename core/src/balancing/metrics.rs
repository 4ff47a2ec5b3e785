//! A snapshot of a balancer for the UI: per-server gauges and counters, global latency
//! percentiles and totals.

use super::clients::ClientCounts;
use super::health::BreakerState;
use super::strategy_kind::StrategyKind;
use crate::sim::{Percentiles, SimTime};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// What happened to the requests one server was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackendCounters {
    /// Requests the balancer sent it.
    pub routed: u64,
    /// Answered successfully.
    pub completed: u64,
    /// Answered with an (injected) error.
    pub server_errors: u64,
    /// Refused: it had crashed and the balancer had not noticed yet.
    pub refused: u64,
    /// Dropped: its queue was full.
    pub queue_full: u64,
    /// Lost in service or queued when it crashed.
    pub lost: u64,
    /// Health probes it failed.
    pub probes_failed: u64,
    /// Times outlier detection ejected it.
    pub ejections: u64,
    /// Times its health verdict changed (healthy ↔ unhealthy): the guide's printed verdicts, or
    /// the reference checks marking it DOWN or UP.
    #[serde(default)]
    pub health_flaps: u64,
    /// Probe times the guide's checker recorded in its response-time window.
    #[serde(default)]
    pub probe_samples: u64,
}

/// Whole-balancer counters. Every arrival ends exactly once, so at any instant
/// `arrivals = completed + dropped + failed + in_flight`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalancerTotals {
    /// Requests that reached the balancer.
    pub arrivals: u64,
    /// Answered successfully.
    pub completed: u64,
    /// Dropped: the chosen server's queue was full.
    pub dropped_queue_full: u64,
    /// Dropped: no server was eligible.
    pub dropped_no_server: u64,
    /// Failed: refused by a crashed server.
    pub failed_refused: u64,
    /// Failed: answered with an error.
    pub failed_server_error: u64,
    /// Failed: lost in service or queued when a server crashed or was removed.
    pub failed_lost: u64,
}

impl BalancerTotals {
    /// Dropped requests, for any reason.
    pub fn dropped(&self) -> u64 {
        self.dropped_queue_full + self.dropped_no_server
    }
    /// Failed requests, for any reason.
    pub fn failed(&self) -> u64 {
        self.failed_refused + self.failed_server_error + self.failed_lost
    }
    /// Requests that have ended, one way or another.
    pub fn finished(&self) -> u64 {
        self.completed + self.dropped() + self.failed()
    }
}

/// One server's row on the page: its state, gauges and counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerMetrics {
    /// Its position in the list.
    pub index: u32,
    /// Its name.
    pub name: String,
    /// Its weight.
    pub weight: u32,
    /// Its running weight when the active strategy is a weighted round robin (see
    /// [`crate::balancing::Strategy::current_weight`]): the largest is picked next and pays back
    /// the total.
    pub current_weight: Option<i64>,
    /// The process is running (not killed).
    pub running: bool,
    /// What active health checks believe (always true with checks off).
    pub healthy: bool,
    /// When its outlier ejection ends, if it is ejected.
    pub ejected_until: Option<SimTime>,
    /// Its circuit breaker's state.
    pub breaker: BreakerState,
    /// Gets new traffic now.
    pub eligible: bool,
    /// Requests in service or queued there.
    pub in_flight: u32,
    /// Requests waiting for a slot.
    pub queue_len: u32,
    /// Slots serving a request.
    pub busy_slots: u32,
    /// Slots (requests served at once).
    pub concurrency: u32,
    /// Most requests its queue holds.
    pub queue_limit: u32,
    /// Busy share of slot-time since the server joined, 0–1.
    pub utilisation: f64,
    /// Service-time multiplier (1 = normal).
    pub slowdown: f64,
    /// Share of requests answered with an error (0–1).
    pub error_rate: f64,
    /// What happened to the requests it was given.
    pub counters: BackendCounters,
}

impl ServerMetrics {
    /// What the balancer believes about this server beside what is true of it; the first
    /// that applies, in the order of [`ServerState`]'s variants.
    pub fn state(&self) -> ServerState {
        if self.ejected_until.is_some() {
            return ServerState::Ejected;
        }
        match self.breaker {
            BreakerState::Open => return ServerState::BreakerOpen,
            BreakerState::HalfOpen => return ServerState::BreakerHalfOpen,
            BreakerState::Closed => {}
        }
        match (self.running, self.healthy) {
            (false, true) => ServerState::CrashedUnnoticed,
            (false, false) => ServerState::CrashedDown,
            (true, false) => ServerState::RunningButDown,
            (true, true) if self.slowdown > 1.0 => ServerState::Slowed,
            (true, true) => ServerState::Up,
        }
    }

    /// Busy slots as a share of the server's slots (0–1).
    pub fn busy_share(&self) -> f64 {
        f64::from(self.busy_slots) / f64::from(self.concurrency.max(1))
    }

    /// Queued requests as a share of the queue's limit (0–1; 0 for a server without a queue).
    pub fn queue_share(&self) -> f64 {
        f64::from(self.queue_len) / f64::from(self.queue_limit.max(1))
    }
}

/// A server's state as the page tells it: what the balancer believes beside what is true. The
/// gap between the two (a crashed server still UP to the balancer, a revived one still DOWN) is
/// the detection lag of health checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServerState {
    /// Ejected by passive outlier detection until its ejection time ends.
    Ejected,
    /// Its circuit breaker is open: no traffic until the open wait ends.
    BreakerOpen,
    /// Its circuit breaker lets a few trial calls through.
    BreakerHalfOpen,
    /// Crashed, but health checks have not noticed yet: still UP to the balancer.
    CrashedUnnoticed,
    /// Crashed, and marked DOWN.
    CrashedDown,
    /// Running (revived), but not yet `rise` good probes: still DOWN to the balancer.
    RunningButDown,
    /// UP and running, slowed down.
    Slowed,
    /// UP and running at normal speed.
    Up,
}

impl ServerState {
    /// The state's kebab-case name, as serde writes it (`crashed-down`).
    pub const fn name(self) -> &'static str {
        match self {
            ServerState::Ejected => "ejected",
            ServerState::BreakerOpen => "breaker-open",
            ServerState::BreakerHalfOpen => "breaker-half-open",
            ServerState::CrashedUnnoticed => "crashed-unnoticed",
            ServerState::CrashedDown => "crashed-down",
            ServerState::RunningButDown => "running-but-down",
            ServerState::Slowed => "slowed",
            ServerState::Up => "up",
        }
    }
}

/// A snapshot of a balancer: what the page shows of it at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalancerMetrics {
    /// Simulated time of the snapshot.
    pub now: SimTime,
    /// The active strategy.
    pub strategy: StrategyKind,
    /// Every server, by position.
    pub servers: Vec<ServerMetrics>,
    /// All successful answers since the start (log-linear histogram, within ~6 %).
    pub latency: Percentiles,
    /// The last `recent_window` answers, exact.
    pub recent_latency: Percentiles,
    /// Whole-balancer counters.
    pub totals: BalancerTotals,
    /// Clients moved since the last change of the eligible servers; sessions kept or lost.
    pub clients: ClientCounts,
    /// Requests in service or queued on any server.
    pub in_flight: u64,
    /// Successful answers per second over the whole run.
    pub throughput: f64,
    /// Successful answers per second over the last second.
    pub recent_throughput: f64,
}

impl BalancerMetrics {
    /// What a weighted round robin's pick pays back: the eligible servers' weights together
    /// (the scale a server's [`ServerMetrics::current_weight`] is drawn against).
    pub fn eligible_weight_total(&self) -> i64 {
        self.servers
            .iter()
            .filter(|s| s.eligible)
            .map(|s| i64::from(s.weight))
            .sum()
    }
}

/// The race board: one row per lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneMetrics {
    /// The lane's position (0 = the first).
    pub lane: u32,
    /// The lane's strategy.
    pub strategy: StrategyKind,
    /// The last `recent_window` answers: live p50/p95/p99.
    pub recent_latency: Percentiles,
    /// All successful answers since the start (log-linear histogram, within ~6 %).
    pub latency: Percentiles,
    /// Answered successfully.
    pub completed: u64,
    /// Dropped, for any reason.
    pub dropped: u64,
    /// Failed, for any reason.
    pub failed: u64,
    /// Requests in service or queued on any server.
    pub in_flight: u64,
    /// Health verdict changes summed over the lane's servers
    /// ([`BackendCounters::health_flaps`]).
    pub health_flaps: u64,
    /// Clients moved since the last change of the eligible servers; sessions kept or lost.
    pub clients: ClientCounts,
}

impl LaneMetrics {
    /// Lane `lane`'s row, from its balancer's metrics.
    pub fn of(lane: u32, m: &BalancerMetrics) -> Self {
        LaneMetrics {
            lane,
            strategy: m.strategy,
            recent_latency: m.recent_latency,
            latency: m.latency,
            completed: m.totals.completed,
            dropped: m.totals.dropped(),
            failed: m.totals.failed(),
            in_flight: m.in_flight,
            health_flaps: m.servers.iter().map(|s| s.counters.health_flaps).sum(),
            clients: m.clients,
        }
    }
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
