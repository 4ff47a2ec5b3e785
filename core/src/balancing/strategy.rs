//! The strategy enum: which backend gets the next request.
//!
//! Strategies are one serde enum rather than trait objects so a [`crate::balancing::Balancer`]
//! stays `Clone` + serde (a host snapshots it to rewind). Each variant carries its own memory
//! (a round-robin cursor, nginx's weights, response-time windows), indexed by server position;
//! the simulation reports servers added or removed so that memory stays aligned.

use super::candidate::Candidate;
use super::decision::{NoTrace, PickTrace};
use super::strategies::{
    EwmaResponseTime, IpHash, IpHashNaive, LeastConnections, LeastConnectionsNaive,
    LeastResponseTime, Maglev, NaiveWeighted, PowerOfTwoChoices, RandomChoice, RingHash,
    RoundRobin, SmoothWeighted,
};
use super::strategy_kind::StrategyKind;
use crate::sim::{check_count, check_positive, Ipv4, SimError, SimRng};
use serde::{Deserialize, Serialize};

/// Tuning shared by the strategies that have any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StrategyOptions {
    /// Power of two choices: hosts drawn per pick (Envoy `choice_count`, default 2, at least 2).
    pub choice_count: u32,
    /// Least response time: samples in the moving mean (the well-known tutorial code uses 100).
    pub response_window: u32,
    /// EWMA response time: weight of the newest sample, in (0, 1].
    pub ewma_alpha: f64,
    /// Smooth weighted round robin: nginx `max_fails`; a failure cuts a server's effective weight
    /// by `weight / max_fails` (nginx default 1: one failure drops it to 0, then it climbs back).
    pub max_fails: u32,
}

impl Default for StrategyOptions {
    fn default() -> Self {
        StrategyOptions {
            choice_count: 2,
            response_window: 100,
            ewma_alpha: 0.2,
            max_fails: 1,
        }
    }
}

/// Most servers drawn per pick.
pub const MAX_CHOICE_COUNT: u64 = 32;
/// Largest least-response-time window.
pub const MAX_RESPONSE_WINDOW: u64 = 10_000;
/// Largest `max_fails`.
pub const MAX_FAILS_LIMIT: u64 = 100;

impl StrategyOptions {
    /// Checks every field; the error names the first out of range.
    pub fn validate(&self) -> Result<(), SimError> {
        check_count(
            "power-of-two-choices choice count",
            u64::from(self.choice_count),
            2,
            MAX_CHOICE_COUNT,
        )?;
        check_count(
            "least-response-time window (samples)",
            u64::from(self.response_window),
            1,
            MAX_RESPONSE_WINDOW,
        )?;
        check_positive("EWMA smoothing factor (alpha)", self.ewma_alpha, 1.0)?;
        check_count(
            "smooth weighted round robin max fails",
            u64::from(self.max_fails),
            1,
            MAX_FAILS_LIMIT,
        )?;
        Ok(())
    }
}

/// A strategy with its memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Strategy {
    /// Round robin's cursor.
    RoundRobin(RoundRobin),
    /// Least connections' tie cursor.
    LeastConnections(LeastConnections),
    /// No memory.
    LeastConnectionsNaive(LeastConnectionsNaive),
    /// nginx's peers.
    SmoothWeightedRoundRobin(SmoothWeighted),
    /// Per-server accumulated weights.
    WeightedRoundRobinNaive(NaiveWeighted),
    /// No memory.
    IpHash(IpHash),
    /// No memory.
    IpHashNaive(IpHashNaive),
    /// The ring, rebuilt when the eligible servers change.
    RingHash(RingHash),
    /// The lookup table, rebuilt when the eligible servers change.
    Maglev(Maglev),
    /// Per-server windows.
    LeastResponseTime(LeastResponseTime),
    /// Per-server averages.
    LeastResponseTimeEwma(EwmaResponseTime),
    /// No memory.
    Random(RandomChoice),
    /// Its draw count.
    PowerOfTwoChoices(PowerOfTwoChoices),
}

impl Strategy {
    /// Server `server`'s running weight under a weighted round robin (nginx's current weight,
    /// or the naive version's accumulated weight); `None` under any other strategy.
    pub fn current_weight(&self, server: u32) -> Option<i64> {
        match self {
            Strategy::SmoothWeightedRoundRobin(s) => {
                s.peers().get(server as usize).map(|p| p.current_weight)
            }
            Strategy::WeightedRoundRobinNaive(s) => {
                s.current_weights().get(server as usize).copied()
            }
            _ => None,
        }
    }

    /// A fresh strategy for servers with the given weights (in server order).
    pub fn new(kind: StrategyKind, options: &StrategyOptions, weights: &[u32]) -> Strategy {
        match kind {
            StrategyKind::RoundRobin => Strategy::RoundRobin(RoundRobin::default()),
            StrategyKind::LeastConnections => {
                Strategy::LeastConnections(LeastConnections::default())
            }
            StrategyKind::LeastConnectionsNaive => {
                Strategy::LeastConnectionsNaive(LeastConnectionsNaive {})
            }
            StrategyKind::SmoothWeightedRoundRobin => {
                Strategy::SmoothWeightedRoundRobin(SmoothWeighted::new(weights, options.max_fails))
            }
            StrategyKind::WeightedRoundRobinNaive => {
                Strategy::WeightedRoundRobinNaive(NaiveWeighted::new(weights.len() as u32))
            }
            StrategyKind::WeightedRoundRobinGuide => {
                Strategy::WeightedRoundRobinNaive(NaiveWeighted::as_written(weights.len() as u32))
            }
            StrategyKind::IpHash => Strategy::IpHash(IpHash {}),
            StrategyKind::IpHashNaive => Strategy::IpHashNaive(IpHashNaive {}),
            StrategyKind::RingHash => Strategy::RingHash(RingHash::default()),
            StrategyKind::Maglev => Strategy::Maglev(Maglev::default()),
            StrategyKind::LeastResponseTime => Strategy::LeastResponseTime(LeastResponseTime::new(
                weights.len() as u32,
                options.response_window,
            )),
            StrategyKind::LeastResponseTimeEwma => Strategy::LeastResponseTimeEwma(
                EwmaResponseTime::new(weights.len() as u32, options.ewma_alpha),
            ),
            StrategyKind::Random => Strategy::Random(RandomChoice {}),
            StrategyKind::PowerOfTwoChoices => {
                Strategy::PowerOfTwoChoices(PowerOfTwoChoices::new(options.choice_count))
            }
        }
    }

    /// Which strategy this is.
    pub fn kind(&self) -> StrategyKind {
        match self {
            Strategy::RoundRobin(_) => StrategyKind::RoundRobin,
            Strategy::LeastConnections(_) => StrategyKind::LeastConnections,
            Strategy::LeastConnectionsNaive(_) => StrategyKind::LeastConnectionsNaive,
            Strategy::SmoothWeightedRoundRobin(_) => StrategyKind::SmoothWeightedRoundRobin,
            Strategy::WeightedRoundRobinNaive(s) if s.is_as_written() => {
                StrategyKind::WeightedRoundRobinGuide
            }
            Strategy::WeightedRoundRobinNaive(_) => StrategyKind::WeightedRoundRobinNaive,
            Strategy::IpHash(_) => StrategyKind::IpHash,
            Strategy::IpHashNaive(_) => StrategyKind::IpHashNaive,
            Strategy::RingHash(_) => StrategyKind::RingHash,
            Strategy::Maglev(_) => StrategyKind::Maglev,
            Strategy::LeastResponseTime(_) => StrategyKind::LeastResponseTime,
            Strategy::LeastResponseTimeEwma(_) => StrategyKind::LeastResponseTimeEwma,
            Strategy::Random(_) => StrategyKind::Random,
            Strategy::PowerOfTwoChoices(_) => StrategyKind::PowerOfTwoChoices,
        }
    }

    /// Picks a server (its position in the server list) among `candidates`, the eligible
    /// servers in server order; `None` only when there are none.
    pub fn pick(
        &mut self,
        candidates: &[Candidate],
        client: Ipv4,
        rng: &mut SimRng,
    ) -> Option<u32> {
        self.pick_traced(candidates, client, rng, &mut NoTrace)
    }

    /// [`Strategy::pick`], reporting what it compared to `trace`.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        client: Ipv4,
        rng: &mut SimRng,
        trace: &mut T,
    ) -> Option<u32> {
        if candidates.is_empty() {
            return None;
        }
        match self {
            Strategy::RoundRobin(s) => s.pick_traced(candidates, trace),
            Strategy::LeastConnections(s) => s.pick_traced(candidates, trace),
            Strategy::LeastConnectionsNaive(s) => s.pick_traced(candidates, trace),
            Strategy::SmoothWeightedRoundRobin(s) => s.pick_traced(candidates, trace),
            Strategy::WeightedRoundRobinNaive(s) => s.pick_traced(candidates, trace),
            Strategy::IpHash(s) => s.pick_traced(candidates, client, trace),
            Strategy::IpHashNaive(s) => s.pick_traced(candidates, trace),
            Strategy::RingHash(s) => s.pick_traced(candidates, client, trace),
            Strategy::Maglev(s) => s.pick_traced(candidates, client, trace),
            Strategy::LeastResponseTime(s) => s.pick_traced(candidates, trace),
            Strategy::LeastResponseTimeEwma(s) => s.pick_traced(candidates, trace),
            Strategy::Random(s) => s.pick_traced(candidates, rng, trace),
            Strategy::PowerOfTwoChoices(s) => s.pick_traced(candidates, rng, trace),
        }
    }

    /// A server with `weight` was appended to the server list.
    pub fn on_server_added(&mut self, weight: u32) {
        match self {
            Strategy::SmoothWeightedRoundRobin(s) => s.on_server_added(weight),
            Strategy::WeightedRoundRobinNaive(s) => s.on_server_added(),
            Strategy::LeastResponseTime(s) => s.on_server_added(),
            Strategy::LeastResponseTimeEwma(s) => s.on_server_added(),
            _ => {}
        }
    }

    /// The server at `index` left the list; later servers moved down by one.
    pub fn on_server_removed(&mut self, index: u32) {
        match self {
            Strategy::RoundRobin(s) => s.on_server_removed(index),
            Strategy::LeastConnections(s) => s.on_server_removed(index),
            Strategy::SmoothWeightedRoundRobin(s) => s.on_server_removed(index),
            Strategy::WeightedRoundRobinNaive(s) => s.on_server_removed(index),
            Strategy::LeastResponseTime(s) => s.on_server_removed(index),
            Strategy::LeastResponseTimeEwma(s) => s.on_server_removed(index),
            _ => {}
        }
    }

    /// A response (success or error) came back from `server` after `latency` µs.
    pub fn record_response(&mut self, server: u32, latency: u64) {
        match self {
            Strategy::LeastResponseTime(s) => s.record(server, latency),
            Strategy::LeastResponseTimeEwma(s) => s.record(server, latency),
            _ => {}
        }
    }

    /// A request to `server` failed (nginx lowers the failing peer's effective weight).
    pub fn record_failure(&mut self, server: u32) {
        if let Strategy::SmoothWeightedRoundRobin(s) = self {
            s.record_failure(server);
        }
    }
}
