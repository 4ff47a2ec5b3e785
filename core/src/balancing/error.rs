//! What the balancing family refuses, each error with what is accepted instead.

use crate::sim::SimError;
use thiserror::Error;

/// A balancer config or operation that cannot be carried out, with what is accepted instead.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BalancingError {
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error("a load balancer needs at least one server")]
    NoServers,
    #[error("a load balancer can have at most {max} servers, but it would have {count}")]
    TooManyServers { count: u64, max: u64 },
    #[error("server \"{name}\": {source}")]
    InvalidServer { name: String, source: SimError },
    #[error("server number {index} has no name; every server needs one")]
    EmptyServerName { index: u32 },
    #[error("server name \"{name}\" is {len} characters long; at most {max} are allowed")]
    ServerNameTooLong { name: String, len: u64, max: u64 },
    #[error("two servers are named \"{name}\"; server names must be unique")]
    DuplicateServerName { name: String },
    #[error("unknown strategy \"{name}\"; the known strategies are: {known}")]
    UnknownStrategy { name: String, known: String },
    #[error(
        "there is no server number {index}; this balancer has {count} servers (0 to {count} − 1)"
    )]
    NoSuchServer { index: u32, count: u32 },
    #[error("cannot remove \"{name}\": a load balancer must keep at least one server")]
    LastServer { name: String },
    #[error("server \"{name}\" is already down")]
    AlreadyDown { name: String },
    #[error("server \"{name}\" is already running")]
    AlreadyUp { name: String },
    #[error(
        "circuit breaker minimum calls ({minimum}) cannot exceed its window size ({window}): \
         the failure rate would never be computed"
    )]
    MinimumCallsExceedWindow { minimum: u32, window: u32 },
    #[error(
        "outlier base ejection time ({base_ms} ms) cannot exceed the maximum ejection time \
         ({max_ms} ms)"
    )]
    EjectionTimesInverted { base_ms: u64, max_ms: u64 },
    #[error("a race lane's strategy is fixed: it is what the race compares")]
    StrategyFixedInRace,
    #[error("a race needs at least one lane (one strategy to run)")]
    NoLanes,
    #[error("a race can have at most {max} lanes, but {count} were given")]
    TooManyLanes { count: u64, max: u64 },
}
