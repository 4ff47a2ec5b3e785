//! Keeping traffic off sick servers, three ways, each optional in the config:
//!
//! - active checks ([`ActiveHealthConfig`]): the balancer probes every server on a timer
//!   (HAProxy `inter`/`rise`/`fall`), or runs the guide's random checker on that timer
//!   ([`HealthChecker::Guide`], kept to show its mistakes);
//! - passive outlier detection ([`OutlierConfig`]): it watches real responses and ejects a
//!   server after consecutive failures (Envoy outlier detection);
//! - a circuit breaker per server ([`BreakerConfig`]): it trips on a high failure rate
//!   (resilience4j).
//!
//! A server that is DOWN, ejected or whose breaker is OPEN (or HALF_OPEN with no trial calls
//! left) gets no new traffic.

mod active;
mod breaker;
mod guide;
mod outlier;

pub use active::{
    ActiveHealthConfig, HealthCheckState, HealthChecker, MAX_RISE_FALL, MIN_PROBE_INTERVAL_MICROS,
};
pub use breaker::{
    BreakerConfig, BreakerState, CircuitBreaker, Transition, MAX_BREAKER_WINDOW,
    MAX_HALF_OPEN_CALLS, MIN_OPEN_WAIT_MICROS,
};
pub(crate) use guide::GuideVerdictText;
pub use guide::{guide_verdict, GUIDE_PROBE_MICROS, GUIDE_UNHEALTHY_CHANCE};
pub use outlier::{OutlierConfig, OutlierState, MAX_CONSECUTIVE_FAILURES, MIN_EJECTION_MICROS};
