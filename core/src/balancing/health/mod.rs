//! Keeping traffic off sick servers, three ways, each optional in the config:
//!
//! - [`active`]: the balancer probes every server on a timer (HAProxy `inter`/`rise`/`fall`);
//! - [`outlier`]: it watches real responses and ejects a server after consecutive failures
//!   (Envoy outlier detection);
//! - [`breaker`]: a circuit breaker per server trips on a high failure rate (resilience4j).
//!
//! A server that is DOWN, ejected or whose breaker is OPEN (or HALF_OPEN with no trial calls
//! left) gets no new traffic.

pub mod active;
pub mod breaker;
pub mod outlier;

pub use active::{ActiveHealthConfig, HealthCheckState};
pub use breaker::{BreakerConfig, BreakerState, CircuitBreaker};
pub use outlier::{OutlierConfig, OutlierState};
