//! A strategy's name ([`StrategyKind`]): what a config, a URL, a decision and an event say.
//! Apart from the strategies' memory ([`crate::balancing::Strategy`]), so a decision and an
//! event name their strategy without depending on the code that picks.

use super::error::BalancingError;
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
    /// The guide's weighted round robin exactly as written: one pass that adds each weight and
    /// returns at the first server past the total.
    WeightedRoundRobinGuide,
    /// HAProxy `balance source`.
    IpHash,
    /// IP hash as the well-known tutorial code writes it (a constant key).
    IpHashNaive,
    /// Envoy `RING_HASH` on the client address (Ketama-style points per server).
    RingHash,
    /// Envoy `MAGLEV` on the client address (Google's Maglev lookup table).
    Maglev,
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
    pub const ALL: [StrategyKind; 14] = [
        StrategyKind::RoundRobin,
        StrategyKind::LeastConnections,
        StrategyKind::LeastConnectionsNaive,
        StrategyKind::SmoothWeightedRoundRobin,
        StrategyKind::WeightedRoundRobinNaive,
        StrategyKind::WeightedRoundRobinGuide,
        StrategyKind::IpHash,
        StrategyKind::IpHashNaive,
        StrategyKind::RingHash,
        StrategyKind::Maglev,
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
            StrategyKind::WeightedRoundRobinGuide => "weighted-round-robin-guide",
            StrategyKind::IpHash => "ip-hash",
            StrategyKind::IpHashNaive => "ip-hash-naive",
            StrategyKind::RingHash => "ring-hash",
            StrategyKind::Maglev => "maglev",
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
            StrategyKind::WeightedRoundRobinGuide => "the guide's weighted round robin",
            StrategyKind::IpHash => "IP hash",
            StrategyKind::IpHashNaive => "naive IP hash",
            StrategyKind::RingHash => "ring hash",
            StrategyKind::Maglev => "Maglev",
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
                "The seed guide's idea with every weight added before choosing: right on average, but in bursts."
            }
            StrategyKind::WeightedRoundRobinGuide => {
                "The seed guide's code as written: it returns mid-loop, so later servers are skipped (3/2/1 → 78/17/6 %)."
            }
            StrategyKind::IpHash => {
                "The client's IP address picks the server, so a client sticks to one server."
            }
            StrategyKind::IpHashNaive => {
                "The seed guide's IP hash hashes one fixed string, so every request lands on one server."
            }
            StrategyKind::RingHash => {
                "The client's address picks a point on a ring of server points; a server leaving moves only its own clients."
            }
            StrategyKind::Maglev => {
                "The client's address picks a slot in Maglev's table; a server leaving moves little more than its own clients."
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

    /// Whether the strategy hashes (IP hash, its naive version, ring hash, Maglev): a page then
    /// shows which server each client address is sent to
    /// ([`crate::balancing::Balancer::client_assignment`]).
    pub const fn is_ip_hash(self) -> bool {
        matches!(
            self,
            StrategyKind::IpHash
                | StrategyKind::IpHashNaive
                | StrategyKind::RingHash
                | StrategyKind::Maglev
        )
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
