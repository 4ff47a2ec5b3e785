//! The crate-wide error: one typed variant per pattern family, each with a message a
//! student can act on. Nothing reachable from user input panics; it returns one of these.

use thiserror::Error;

/// Any error the core can return.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    /// A kernel setting (workload, server, clients) that cannot run.
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
    /// A load-balancing config or action that cannot run.
    #[error(transparent)]
    Balancing(#[from] crate::balancing::BalancingError),
    /// A scaling config or action that cannot run.
    #[error(transparent)]
    Scaling(#[from] crate::scaling::ScalingError),
    /// A caching config or action that cannot run.
    #[error(transparent)]
    Caching(#[from] crate::caching::CachingError),
    /// A sharding config or action that cannot run.
    #[error(transparent)]
    Sharding(#[from] crate::sharding::ShardingError),
    /// A system config or action that cannot run.
    #[error(transparent)]
    System(#[from] crate::system::SystemError),
}
