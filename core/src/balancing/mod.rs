//! Load balancing: strategies that pick a backend per request, health handling that keeps
//! traffic off sick backends, and a discrete-event simulation that shows the consequences.
//!
//! - [`BalancingModel`], built from a [`BalancingConfig`]: one or more lanes fed the same
//!   seeded requests, each lane a [`Balancer`] with its own strategy (one lane is the
//!   single-strategy view, several a race). It steps one discrete event at a time, reports
//!   [`BalancingEvent`]s, takes [`BalancingAction`]s and answers every figure the page shows
//!   ([`BalancingModel::lane_metrics`], [`Balancer::metrics`], [`crate::Metrics`]).
//! - [`Balancer`], built from a [`BalancerConfig`]: one balancer in front of its servers, with
//!   [`BalancerEvent`]s to draw and narrate and a [`BalancerMetrics`] snapshot.
//! - [`Strategy`] and [`StrategyKind`]: the pick algorithms as one serde enum, so the model stays
//!   `Clone` + serde; each reference algorithm sits beside the naive version the well-known
//!   tutorial code uses. [`StrategyManager`] switches the active one live.
//! - Health: active checks (HAProxy rise/fall) or the guide's random checker on their timer,
//!   passive outlier ejection (Envoy) and a circuit breaker per server (resilience4j), each
//!   optional in the config.
//! - Why: [`RouteDecision`] records every server a pick considered with the figure its
//!   strategy compared and the rule that decided ([`BalancingModel::last_decision`]), and
//!   [`HealthDecision`] the numbers behind a health change; each says itself as a sentence.
//!
//! ```
//! use scalelab_core::balancing::{BalancingAction, BalancingConfig, BalancingModel};
//! use scalelab_core::Model;
//!
//! let mut model = BalancingModel::new(BalancingConfig::default()).unwrap();
//! model.apply(&BalancingAction::KillServer { server: 1 }).unwrap();
//! for _ in 0..10_000 {
//!     model.step();
//! }
//! assert!(model.lane_metrics().iter().all(|l| l.failed > 0));
//! ```

mod action;
mod backend;
mod balancer;
mod candidate;
mod clients;
mod config;
mod decision;
mod error;
mod event;
mod health;
mod manager;
mod metrics;
mod model;
mod strategies;
mod strategy;
mod strategy_kind;

pub use action::BalancingAction;
pub use balancer::Balancer;
pub use candidate::Candidate;
pub use clients::ClientCounts;
pub use config::{BalancerConfig, BalancingConfig, MAX_RECENT_WINDOW, MAX_SERVER_NAME_LEN};
pub use decision::{
    Considered, Draw, Figure, HashKey, HealthDecision, HealthWhy, RouteDecision, RouteWhy, Rule,
    Standing, TieBreak,
};
pub use error::BalancingError;
pub use event::{BalancerEvent, BalancingEvent, DropReason, FailReason, Narration};
pub use health::{
    guide_verdict, ActiveHealthConfig, BreakerConfig, BreakerState, CircuitBreaker,
    HealthCheckState, HealthChecker, OutlierConfig, OutlierState, Transition, GUIDE_PROBE_MICROS,
    GUIDE_UNHEALTHY_CHANCE, MAX_BREAKER_WINDOW, MAX_CONSECUTIVE_FAILURES, MAX_HALF_OPEN_CALLS,
    MAX_RISE_FALL, MIN_EJECTION_MICROS, MIN_OPEN_WAIT_MICROS, MIN_PROBE_INTERVAL_MICROS,
};
pub use manager::StrategyManager;
pub use metrics::{
    BackendCounters, BalancerMetrics, BalancerTotals, LaneMetrics, ServerMetrics, ServerState,
};
pub use model::BalancingModel;
pub use strategies::{
    client_hash, ip_hash, maglev_permutation, maglev_table, ring_point, ring_position,
    EwmaResponseTime, IpHash, IpHashNaive, LeastConnections, LeastConnectionsNaive,
    LeastResponseTime, Maglev, NaiveWeighted, PowerOfTwoChoices, RandomChoice, ResponseWindow,
    RingHash, RoundRobin, SmoothWeighted, SwrrPeer, MAGLEV_TABLE_SIZE, NAIVE_HASH_KEY,
    RING_POINTS_PER_SERVER,
};
pub use strategy::{
    Strategy, StrategyOptions, MAX_CHOICE_COUNT, MAX_FAILS_LIMIT, MAX_RESPONSE_WINDOW,
};
pub use strategy_kind::StrategyKind;
