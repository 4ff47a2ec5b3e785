//! # scalelab-core
//!
//! Deterministic, I/O-free simulations of the classic scalability patterns — scaling, load
//! balancing, caching and sharding — for the Scalelab teaching playground, and for anyone who
//! wants to run them without it.
//!
//! Every pattern family has the same shape, so a host learns it once:
//!
//! | family | config | model | action | event |
//! |---|---|---|---|---|
//! | [`balancing`] | [`BalancingConfig`](balancing::BalancingConfig) | [`BalancingModel`](balancing::BalancingModel) | [`BalancingAction`](balancing::BalancingAction) | [`BalancingEvent`](balancing::BalancingEvent) |
//! | [`caching`] | [`CachingRaceConfig`](caching::CachingRaceConfig) | [`CachingRace`](caching::CachingRace) | [`CachingAction`](caching::CachingAction) | [`CachingEvent`](caching::CachingEvent) |
//! | [`sharding`] | [`ShardingConfig`](sharding::ShardingConfig) | [`ShardingModel`](sharding::ShardingModel) | [`ShardingAction`](sharding::ShardingAction) | [`ShardingEvent`](sharding::ShardingEvent) |
//! | [`scaling`] | [`ScalingConfig`](scaling::ScalingConfig) | [`ScalingModel`](scaling::ScalingModel) | [`ScalingAction`](scaling::ScalingAction) | [`ScalingEvent`](scaling::ScalingEvent) |
//! | [`system`] | [`SystemConfig`](system::SystemConfig) | [`SystemModel`](system::SystemModel) | [`SystemAction`](system::SystemAction) | [`SystemEvent`](system::SystemEvent) |
//!
//! 1. a serde-serializable **config**, checked when the model is built (a bad value is a typed
//!    [`Error`] naming the accepted range, never a panic);
//! 2. a **model** built from it: `Clone` and serde, so a host can snapshot it and step back
//!    ([`timeline::Timeline`] does that for any model);
//! 3. **actions** a user takes mid-run (kill a server, add a shard, warm the cache), as data
//!    ([`timeline::Action`]): refused with an error, they leave the model unchanged;
//! 4. [`Model::step`] advances by one discrete event and returns the typed **events** a host
//!    animates and narrates; [`Metrics`] names the figures a host charts over time, and each
//!    model answers the questions a page asks of it (hit rates, unreadable keys, downtime…),
//!    also by name ([`readouts`]: what a lesson's question or task reads).
//!
//! ```
//! use scalelab_core::sharding::{ShardEventKind, ShardingAction, ShardingConfig, ShardingModel};
//! use scalelab_core::timeline::Action;
//! use scalelab_core::{Metrics, Model};
//!
//! // Four shards on a consistent-hash ring; add a fifth while reads and writes go on.
//! let mut store = ShardingModel::new(ShardingConfig::default())?;
//! store.run_into(200, &mut Vec::new());
//! ShardingAction::AddShard.apply(&mut store)?;
//! let mut moved = 0;
//! for _ in 0..2_000 {
//!     let events = store.step();
//!     moved += events.iter().filter(|e| matches!(e.kind, ShardEventKind::KeyMoved { .. })).count();
//! }
//! // The lossless directory keeps every written key readable while keys migrate.
//! assert_eq!(store.unreadable_count(), 0);
//! assert_eq!(store.live_shard_count(), 5);
//! assert!(moved > 0);
//! // The same figures the page charts, as named columns.
//! assert_eq!(store.metrics().len(), ShardingModel::METRIC_NAMES.len());
//! # Ok::<(), scalelab_core::Error>(())
//! ```
//!
//! Each family has a runnable example: `cargo run -p scalelab-core --example balancing`
//! (or `caching`, `sharding`, `scaling`).
//!
//! The crate owns the state; the host owns time. There is no clock, no I/O and no
//! `HashMap` iteration here: simulated time is an integer ([`sim::SimTime`], microseconds),
//! randomness comes from a named portable generator ([`sim::SimRng`], xoshiro256++ seeded per
//! stream by SplitMix64), and the same seed gives the same event stream natively and in
//! wasm32.
//!
//! Where the well-known tutorial code gets a pattern wrong (an "LRU" that is FIFO, "consistent
//! hashing" that is modulo, an IP hash over a constant string, a rebalancer that makes moved
//! keys unreadable), the reference behaviour is the default and the tutorial's is kept as a
//! named *naive* variant beside it, so a student can watch the difference.

#![warn(missing_docs)]

pub mod balancing;
pub mod caching;
mod error;
mod heapsort;
mod model;
pub mod num_text;
pub mod pipeline;
pub mod readouts;
pub mod scaling;
pub mod sharding;
pub mod sim;
pub mod system;
mod table;
pub mod timeline;

pub use error::Error;
pub use model::{Metrics, Model};
