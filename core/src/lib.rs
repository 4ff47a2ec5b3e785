//! # scalelab-core
//!
//! Deterministic, I/O-free simulations of the classic scalability patterns — scaling, load
//! balancing, caching and sharding — for the Scalelab teaching playground.
//!
//! Every pattern has one shape, so the front end learns it once:
//!
//! 1. a serde-serializable **config**, checked by `validate()` into a typed error;
//! 2. a **model** built from it (`Clone` + serde, so a host can snapshot and rewind);
//! 3. [`Model::step`] advances the model by one discrete event and returns the typed
//!    **events** the host animates and narrates.
//!
//! The crate owns the state; the host owns time. There is no clock, no I/O and no
//! `HashMap` iteration here: simulated time is an integer ([`sim::SimTime`]), randomness comes
//! from a named portable generator ([`sim::SimRng`], xoshiro256++ seeded per stream by SplitMix64)
//! and the same seed gives the same event stream natively and in wasm32.
//!
//! Where the seed guide's Go code gets a pattern wrong, the guide's behaviour is kept as a
//! named *naive* variant beside the reference one, so a student can watch the difference.

pub mod balancing;
pub mod caching;
mod error;
mod heapsort;
mod model;
pub mod num_text;
pub mod pipeline;
pub mod scaling;
pub mod sharding;
pub mod sim;
mod table;
pub mod timeline;

pub use error::Error;
pub use model::{Metrics, Model};
