//! The crate-wide error: one typed variant per pattern family, each with a message a
//! student can act on. Nothing reachable from user input panics; it returns one of these.

use thiserror::Error;

/// Any error the core can return.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
    #[error(transparent)]
    Balancing(#[from] crate::balancing::BalancingError),
    #[error(transparent)]
    Scaling(#[from] crate::scaling::ScalingError),
    #[error(transparent)]
    Caching(#[from] crate::caching::CachingError),
    #[error(transparent)]
    Sharding(#[from] crate::sharding::ShardingError),
}
