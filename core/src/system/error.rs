//! Errors for the system scene's config and actions: the part at fault and what is accepted.

use thiserror::Error;

/// A system config or action that cannot run.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SystemError {
    /// A kernel setting (arrivals, costs, a count or a share out of range).
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
    /// A balancer setting (an unknown strategy, a bad strategy option).
    #[error(transparent)]
    Balancing(#[from] crate::balancing::BalancingError),
    /// An autoscaler setting (thresholds inverted, cooldown out of range).
    #[error(transparent)]
    Scaling(#[from] crate::scaling::ScalingError),
    /// A cache setting (L1 capacity, L2 memory limit).
    #[error(transparent)]
    Caching(#[from] crate::caching::CachingError),
    /// A store setting (the router's virtual nodes, the shard count).
    #[error(transparent)]
    Sharding(#[from] crate::sharding::ShardingError),
    /// The app tier's bounds are in the wrong order.
    #[error("the app tier's minimum ({min}) is above its maximum ({max}) instances")]
    BoundsInverted {
        /// The smallest fleet asked for.
        min: u32,
        /// The largest fleet asked for.
        max: u32,
    },
    /// The app tier's starting size lies outside its bounds.
    #[error("the app tier starts with {initial} instances, outside its bounds {min} to {max}")]
    InitialOutsideBounds {
        /// The starting fleet.
        initial: u32,
        /// The smallest fleet.
        min: u32,
        /// The largest fleet.
        max: u32,
    },
    /// An action names an app instance the tier does not have (never started, or gone).
    #[error("there is no app instance {instance}; the instances are: {known}")]
    UnknownInstance {
        /// The instance asked for.
        instance: u32,
        /// The instances running now, comma-separated.
        known: String,
    },
    /// An action names a shard the store does not have.
    #[error("there is no shard {shard}; the shards are 0 to {last}")]
    UnknownShard {
        /// The shard asked for.
        shard: u32,
        /// The last shard's number.
        last: u32,
    },
    /// An action names a key outside the key space.
    #[error("there is no key {key}; the keys are 0 to {last}")]
    UnknownKey {
        /// The key asked for.
        key: u64,
        /// The last key.
        last: u64,
    },
    /// The last instance cannot be killed: the scene would have no app tier to recover.
    #[error(
        "instance {instance} is the last one running; kill it and nothing can answer or scale back"
    )]
    LastInstance {
        /// The instance asked for.
        instance: u32,
    },
    /// A config's text could not be read.
    #[error("could not read the system config: {0}")]
    Parse(String),
}
