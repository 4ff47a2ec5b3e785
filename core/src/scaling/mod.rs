//! Scaling: adding capacity when load grows, and what each way of doing it costs.
//!
//! The family's shape is the crate's: a [`ScalingConfig`] (one set-up, or a
//! [`ComparisonConfig`] of several on the identical load) builds a [`ScalingModel`]; each
//! step is one tick of every lane and reports [`ScalingEvent`]s; a [`ScalingAction`] is what
//! a user does mid-run; each [`Lane`] answers what a page shows (the last tick's figures, the
//! decision log, the missed scale-ins, the downtime, and the autoscaler's last evaluation as a
//! [`ScalingDecision`] with the inputs it was made from), and the model's
//! [`Metrics`](crate::Metrics) are the columns `ScalingModel::COL_*` name.
//!
//! Inside a lane:
//!
//! - [`Service`]: a tick-based simulation (one step = one tick) of a fleet or one machine
//!   under a noisy arrival process, with bounded per-instance queues, latency percentiles
//!   and a cost meter, scaled by the rule its [`ScalingMode`] names.
//! - [`VerticalScaler`]: one machine that doubles (cores, memory, disk) to scale up and halves
//!   to scale down; capacity = cores × requests per second per core.
//! - [`HorizontalScaler`]: a fleet of identical instances (`instance_1`, `instance_2`, …) that
//!   warm up before they take traffic; capacity counts ready instances only.
//! - [`ThresholdConfig`] (with [`ThresholdRule`] state): the common tutorial autoscaler —
//!   scale out above 70 % CPU or memory or 80 % of capacity in requests, scale in when
//!   everything is below 30 %, with a cooldown. Its scale-in picks the least-loaded instance
//!   that exists; the tutorial's version, which removes the instance *named*
//!   `instance_<count>` whether or not it exists, is kept as [`ScalingMode::ThresholdNaive`].
//! - [`HybridConfig`]: scale up (double one machine, as the vertical mode does) until a
//!   ceiling, then scale out with machines of that size ([`ScalingMode::Hybrid`]).
//! - [`Hpa`]: the Kubernetes Horizontal Pod Autoscaler rule — ratio with tolerance,
//!   stabilisation window, rate policies, clamped to [min, max].

mod action;
mod config;
mod cost;
mod decision;
mod error;
mod events;
mod horizontal;
mod hpa;
mod hybrid;
mod latency;
mod load;
mod metrics;
mod mode;
mod model;
mod readout;
mod replica_calc;
mod scaling_config;
mod service;
mod threshold;
mod traffic;
mod vertical;
mod why;

pub use action::ScalingAction;
pub use config::{InstanceConfig, MemoryModel, ServiceConfig};
pub use cost::{CostMeter, CostSnapshot};
pub use decision::{
    DecisionBasis, Hold, HpaWhy, MetricCheck, Recommendation, ScalingDecision, ThresholdWhy,
    Verdict,
};
pub use error::ScalingError;
pub use events::{Direction, Metric, Reason, RemovalReason, Rule, ServiceEvent};
pub use horizontal::{HorizontalScaler, Instance, InstanceState, InstanceTemplate};
pub use hpa::{
    desired_replicas, scale_down_limit, scale_up_limit, utilisation_pct, Hpa, HpaConfig,
    HpaOutcome, PolicyKind, RateLimit, ScalingPolicy, ScalingRules, SelectPolicy,
};
pub use hybrid::{HybridConfig, HybridPhase, HybridWhy};
pub use latency::weighted_percentiles;
pub use load::{poisson, LoadShape, LoadSource};
pub use mode::ScalingMode;
pub use model::{Lane, LaneSummary, ScalingEvent, ScalingModel};
pub use readout::{TickFigures, DECISION_LOG_LEN};
pub use replica_calc::{recommend, PodReading, ReplicaCalculation};
pub use scaling_config::{ComparisonConfig, LaneConfig, ScalingConfig};
pub use service::{Service, ServiceStats};
pub use threshold::{
    Observation, ThresholdConfig, ThresholdRule, ThresholdVerdict, Trigger, TriggerMetrics,
};
pub use vertical::{MachineSpec, VerticalConfig, VerticalScaler, MAX_CORES};
pub use why::{metric_name, push_count, push_policy, push_reading, push_secs, push_short, put};
