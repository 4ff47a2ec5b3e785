//! Load balancing: strategies that pick a backend per request, health handling that keeps
//! traffic off sick backends, and a discrete-event simulation that shows the consequences.
//!
//! - [`strategy`] and [`strategies`]: the pick algorithms as one serde enum ([`Strategy`]), so the
//!   model stays `Clone` + serde; each reference algorithm sits beside the seed guide's naive one.
//! - [`manager`]: [`StrategyManager`] holds every strategy by name and switches the active one live.
//! - [`health`]: active checks (HAProxy rise/fall), passive outlier ejection (Envoy) and a circuit
//!   breaker per server (resilience4j). Each is optional.
//! - [`sim`]: [`BalancerSim`], one discrete event per step, with [`BalancerEvent`]s to draw and
//!   narrate and a [`BalancerMetrics`] snapshot for the UI.
//! - [`race`]: [`Race`] feeds one seeded trace to several strategies, each lane with its own
//!   copy of the servers.
//! - [`BalancerAction`]: the operations as data, for the timeline's replay log.

mod action;
mod backend;
pub mod config;
pub mod event;
pub mod health;
pub mod manager;
pub mod metrics;
pub mod race;
pub mod sim;
pub mod strategies;
pub mod strategy;

pub use action::BalancerAction;
pub use config::{BalancerConfig, MAX_SERVER_NAME_LEN};
pub use event::{BalancerEvent, DropReason, FailReason, Narration};
pub use health::{
    ActiveHealthConfig, BreakerConfig, BreakerState, CircuitBreaker, HealthCheckState,
    OutlierConfig, OutlierState,
};
pub use manager::StrategyManager;
pub use metrics::{BackendCounters, BalancerMetrics, BalancerTotals, ServerMetrics};
pub use race::{LaneMetrics, Race, RaceConfig, RaceEvent};
pub use sim::BalancerSim;
pub use strategy::{Candidate, Strategy, StrategyKind, StrategyOptions};

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
