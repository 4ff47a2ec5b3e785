//! What the balancing family refuses, each error with what is accepted instead.

use crate::sim::SimError;
use thiserror::Error;

/// A balancer config or operation that cannot be carried out, with what is accepted instead.
/// An operation that returns one leaves the model as it was.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BalancingError {
    /// A shared simulation setting (workload, server, rate) is out of range.
    #[error(transparent)]
    Sim(#[from] SimError),
    /// The config lists no server.
    #[error("a load balancer needs at least one server")]
    NoServers,
    /// More servers than [`crate::sim::limits::MAX_SERVERS`].
    #[error("a load balancer can have at most {max} servers, but it would have {count}")]
    TooManyServers {
        /// Servers there would be.
        count: u64,
        /// Servers allowed.
        max: u64,
    },
    /// A server's own settings are out of range.
    #[error("server \"{name}\": {source}")]
    InvalidServer {
        /// The server's name.
        name: String,
        /// What is wrong with it.
        source: SimError,
    },
    /// A server without a name (or only spaces).
    #[error("server number {index} has no name; every server needs one")]
    EmptyServerName {
        /// The server's position.
        index: u32,
    },
    /// A server name longer than [`super::MAX_SERVER_NAME_LEN`] characters.
    #[error("server name \"{name}\" is {len} characters long; at most {max} are allowed")]
    ServerNameTooLong {
        /// The name's first characters.
        name: String,
        /// Its length in characters.
        len: u64,
        /// The longest allowed.
        max: u64,
    },
    /// Two servers share a name (names identify servers in narration and links).
    #[error("two servers are named \"{name}\"; server names must be unique")]
    DuplicateServerName {
        /// The shared name.
        name: String,
    },
    /// A strategy name that is not one of [`super::StrategyKind::ALL`].
    #[error("unknown strategy \"{name}\"; the known strategies are: {known}")]
    UnknownStrategy {
        /// The name given.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// An operation names a server position past the end of the list.
    #[error(
        "there is no server number {index}; this balancer has {count} servers (0 to {count} − 1)"
    )]
    NoSuchServer {
        /// The position given.
        index: u32,
        /// Servers there are.
        count: u32,
    },
    /// Removing the only server is refused.
    #[error("cannot remove \"{name}\": a load balancer must keep at least one server")]
    LastServer {
        /// The server's name.
        name: String,
    },
    /// Killing a server that is already down.
    #[error("server \"{name}\" is already down")]
    AlreadyDown {
        /// The server's name.
        name: String,
    },
    /// Reviving a server that is running.
    #[error("server \"{name}\" is already running")]
    AlreadyUp {
        /// The server's name.
        name: String,
    },
    /// A circuit breaker that would never compute its failure rate.
    #[error(
        "circuit breaker minimum calls ({minimum}) cannot exceed its window size ({window}): \
         the failure rate would never be computed"
    )]
    MinimumCallsExceedWindow {
        /// Calls needed before the rate counts.
        minimum: u32,
        /// Calls the window holds.
        window: u32,
    },
    /// Outlier ejection whose first ejection would outlast the longest allowed.
    #[error(
        "outlier base ejection time ({base_ms} ms) cannot exceed the maximum ejection time \
         ({max_ms} ms)"
    )]
    EjectionTimesInverted {
        /// The first ejection's length, in ms.
        base_ms: u64,
        /// The longest ejection, in ms.
        max_ms: u64,
    },
    /// A race ([`super::BalancingModel`] with several lanes) refuses to switch strategy: its
    /// lanes' strategies are what it compares.
    #[error("a race lane's strategy is fixed: it is what the race compares")]
    StrategyFixedInRace,
    /// A [`super::BalancingConfig`] without lanes.
    #[error("a race needs at least one lane (one strategy to run)")]
    NoLanes,
    /// More lanes than [`crate::sim::limits::MAX_RACE_LANES`].
    #[error("a race can have at most {max} lanes, but {count} were given")]
    TooManyLanes {
        /// Lanes given.
        count: u64,
        /// Lanes allowed.
        max: u64,
    },
}
