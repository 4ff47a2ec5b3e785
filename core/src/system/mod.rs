//! The system scene: the four patterns on one request path. Clients reach a load balancer
//! (any balancing strategy), which picks an app instance from an autoscaled tier; each
//! instance has its own L1 cache in front of a shared L2, and both miss to a sharded store
//! whose shards each serve one request at a time.
//!
//! Every request records the time it spent at each hop (balancer and queue, app CPU, L1, L2,
//! shard queue and service), so a page can show where latency goes; chaos switches (kill or
//! slow an instance, flush or crash the L2, a hot key, a shard down or slow, a traffic spike,
//! a cache stampede) show how one tier's trouble reaches the others, and how it recovers.

mod action;
mod autoscale;
mod chaos;
mod config;
mod error;
mod event;
mod metrics;
mod model;
mod path;
mod presets;
mod stats;
mod store;
mod tier;

pub use action::{SystemAction, MAX_SPIKE, MAX_STAMPEDE};
pub use config::{
    AppTier, BalancerTier, KeySpace, ScheduledChaos, StoreTier, SystemConfig, MAX_INSTANCES,
    MAX_RECENT, MAX_SCHEDULED, MAX_SYSTEM_KEYS, MAX_SYSTEM_SHARDS,
};
pub use error::SystemError;
pub use event::{Answer, AutoscaleWhy, DropPoint, FailReason, Hop, Hops, SystemEvent};
pub use model::SystemModel;
pub use path::InFlight;
pub use presets::{
    hot_shard, preset, presets, slow_autoscaler, slow_replica, thundering_herd, Preset,
};
pub use stats::{RecentRequest, SystemStats};
pub use store::Shard;
pub use tier::Instance;
