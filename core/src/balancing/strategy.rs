//! The strategy enum: which backend gets the next request.
//!
//! Strategies are one serde enum rather than trait objects so a [`crate::balancing::Balancer`]
//! stays `Clone` + serde (a host snapshots it to rewind). Each variant carries its own memory
//! (a round-robin cursor, nginx's weights, response-time windows), indexed by server position;
//! the simulation reports servers added or removed so that memory stays aligned.

use super::candidate::Candidate;
use super::decision::{NoTrace, PickTrace};
use super::error::BalancingError;
use super::strategies::{
    EwmaResponseTime, IpHash, IpHashNaive, LeastConnections, LeastConnectionsNaive,
    LeastResponseTime, NaiveWeighted, PowerOfTwoChoices, RandomChoice, RoundRobin, SmoothWeighted,
};
use crate::sim::{check_count, check_positive, Ipv4, SimError, SimRng};
use serde::{Deserialize, Serialize};

/// A strategy's name: what a config, a URL or the strategy picker says.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum StrategyKind {
    /// HAProxy `roundrobin` (unweighted).
    #[default]
    RoundRobin,
    /// HAProxy `leastconn`.
    LeastConnections,
    /// Least connections as the well-known tutorial code writes it: ties go to the first server.
    LeastConnectionsNaive,
    /// nginx's smooth weighted round robin.
    SmoothWeightedRoundRobin,
    /// Weighted round robin as the well-known tutorial code writes it (bursts to the heaviest).
    WeightedRoundRobinNaive,
    /// HAProxy `balance source`.
    IpHash,
    /// IP hash as the well-known tutorial code writes it (a constant key).
    IpHashNaive,
    /// The lowest mean of the last `response_window` response times, as the well-known tutorial
    /// code picks (a server without samples reads 0 and is flooded).
    LeastResponseTime,
    /// EWMA response time times requests in flight.
    LeastResponseTimeEwma,
    /// A server drawn uniformly.
    Random,
    /// Envoy's least request with `choice_count` draws.
    PowerOfTwoChoices,
}

impl StrategyKind {
    /// Every strategy, in the order a picker lists them.
    pub const ALL: [StrategyKind; 11] = [
        StrategyKind::RoundRobin,
        StrategyKind::LeastConnections,
        StrategyKind::LeastConnectionsNaive,
        StrategyKind::SmoothWeightedRoundRobin,
        StrategyKind::WeightedRoundRobinNaive,
        StrategyKind::IpHash,
        StrategyKind::IpHashNaive,
        StrategyKind::LeastResponseTime,
        StrategyKind::LeastResponseTimeEwma,
        StrategyKind::Random,
        StrategyKind::PowerOfTwoChoices,
    ];

    /// The kebab-case name used in configs and URLs.
    pub const fn name(self) -> &'static str {
        match self {
            StrategyKind::RoundRobin => "round-robin",
            StrategyKind::LeastConnections => "least-connections",
            StrategyKind::LeastConnectionsNaive => "least-connections-naive",
            StrategyKind::SmoothWeightedRoundRobin => "smooth-weighted-round-robin",
            StrategyKind::WeightedRoundRobinNaive => "weighted-round-robin-naive",
            StrategyKind::IpHash => "ip-hash",
            StrategyKind::IpHashNaive => "ip-hash-naive",
            StrategyKind::LeastResponseTime => "least-response-time",
            StrategyKind::LeastResponseTimeEwma => "least-response-time-ewma",
            StrategyKind::Random => "random",
            StrategyKind::PowerOfTwoChoices => "power-of-two-choices",
        }
    }

    /// Words for narration ("round robin sent request 4 to web-2").
    pub const fn label(self) -> &'static str {
        match self {
            StrategyKind::RoundRobin => "round robin",
            StrategyKind::LeastConnections => "least connections",
            StrategyKind::LeastConnectionsNaive => "naive least connections",
            StrategyKind::SmoothWeightedRoundRobin => "smooth weighted round robin",
            StrategyKind::WeightedRoundRobinNaive => "naive weighted round robin",
            StrategyKind::IpHash => "IP hash",
            StrategyKind::IpHashNaive => "naive IP hash",
            StrategyKind::LeastResponseTime => "least response time",
            StrategyKind::LeastResponseTimeEwma => "EWMA response time",
            StrategyKind::Random => "random choice",
            StrategyKind::PowerOfTwoChoices => "power of two choices",
        }
    }

    /// One sentence for the strategy picker's help text.
    pub const fn describe(self) -> &'static str {
        match self {
            StrategyKind::RoundRobin => "Each healthy server in turn.",
            StrategyKind::LeastConnections => {
                "The server with the fewest requests in flight; ties take turns (HAProxy leastconn)."
            }
            StrategyKind::LeastConnectionsNaive => {
                "The seed guide's version: ties always go to the first server, which piles up work there."
            }
            StrategyKind::SmoothWeightedRoundRobin => {
                "nginx's smooth weighted round robin: shares follow the weights and picks interleave."
            }
            StrategyKind::WeightedRoundRobinNaive => {
                "The seed guide's weighted round robin: right on average, but it sends bursts to one server."
            }
            StrategyKind::IpHash => {
                "The client's IP address picks the server, so a client sticks to one server."
            }
            StrategyKind::IpHashNaive => {
                "The seed guide's IP hash hashes one fixed string, so every request lands on one server."
            }
            StrategyKind::LeastResponseTime => {
                "The seed guide's: lowest mean of the last 100 response times; a server with no samples reads 0 and is flooded."
            }
            StrategyKind::LeastResponseTimeEwma => {
                "Exponentially weighted response time times requests in flight (Peak-EWMA style)."
            }
            StrategyKind::Random => "A server chosen uniformly at random.",
            StrategyKind::PowerOfTwoChoices => {
                "Draw two servers at random and take the one with fewer requests in flight (Envoy)."
            }
        }
    }

    /// Whether the strategy is IP hash or its naive version: a page then shows which server
    /// each client address is sent to ([`crate::balancing::Balancer::client_assignment`]).
    pub const fn is_ip_hash(self) -> bool {
        matches!(self, StrategyKind::IpHash | StrategyKind::IpHashNaive)
    }

    /// Parses a kebab-case name; an unknown one is an error listing the known names.
    pub fn from_name(name: &str) -> Result<StrategyKind, BalancingError> {
        StrategyKind::ALL
            .iter()
            .copied()
            .find(|k| k.name() == name)
            .ok_or_else(|| BalancingError::unknown_strategy(name))
    }
}

impl BalancingError {
    /// The error for a strategy name that is not one of [`StrategyKind::ALL`].
    pub fn unknown_strategy(name: &str) -> Self {
        let known: Vec<&str> = StrategyKind::ALL.iter().map(|k| k.name()).collect();
        BalancingError::UnknownStrategy {
            name: name.to_string(),
            known: known.join(", "),
        }
    }
}

impl core::str::FromStr for StrategyKind {
    type Err = BalancingError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StrategyKind::from_name(s)
    }
}

impl core::fmt::Display for StrategyKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

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
            StrategyKind::IpHash => Strategy::IpHash(IpHash {}),
            StrategyKind::IpHashNaive => Strategy::IpHashNaive(IpHashNaive {}),
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
            Strategy::WeightedRoundRobinNaive(_) => StrategyKind::WeightedRoundRobinNaive,
            Strategy::IpHash(_) => StrategyKind::IpHash,
            Strategy::IpHashNaive(_) => StrategyKind::IpHashNaive,
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
