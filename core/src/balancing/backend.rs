//! One backend as the balancer sees it: the kernel's server plus the balancer's beliefs about
//! it (health, ejection, breaker) and the faults a user injected.

use super::decision::Standing;
use super::health::{BreakerConfig, CircuitBreaker, HealthCheckState, OutlierState};
use super::metrics::BackendCounters;
use crate::sim::{Server, SimTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Backend {
    /// Stable identity for timers in the event queue (positions shift when servers leave).
    pub id: u32,
    pub server: Server,
    pub health: HealthCheckState,
    pub outlier: OutlierState,
    pub breaker: CircuitBreaker,
    /// Fraction of answers that are errors (the "inject errors" fault), in [0, 1].
    pub error_rate: f64,
    pub added_at: SimTime,
    pub counters: BackendCounters,
}

impl Backend {
    pub fn new(id: u32, server: Server, now: SimTime) -> Self {
        Backend {
            id,
            server,
            health: HealthCheckState::default(),
            outlier: OutlierState::default(),
            breaker: CircuitBreaker::new(),
            error_rate: 0.0,
            added_at: now,
            counters: BackendCounters::default(),
        }
    }

    /// May this backend take a new request? Note that a crashed server stays eligible until
    /// health checks (or passive detection) notice: the balancer cannot see a crash directly.
    pub fn eligible(&self, breaker: Option<&BreakerConfig>) -> bool {
        self.health.is_up()
            && !self.outlier.is_ejected()
            && breaker.is_none_or(|cfg| self.breaker.allows(cfg))
    }

    /// Eligible, or the first reason it is not, in the order [`Backend::eligible`] checks.
    pub fn standing(&self, breaker: Option<&BreakerConfig>) -> Standing {
        if !self.health.is_up() {
            Standing::Down
        } else if self.outlier.is_ejected() {
            Standing::Ejected
        } else if breaker.is_some_and(|cfg| !self.breaker.allows(cfg)) {
            Standing::BreakerOpen
        } else {
            Standing::Eligible
        }
    }

    pub fn name(&self) -> &str {
        self.server.name()
    }

    /// Busy fraction of slot-time since this backend joined.
    pub fn utilisation(&self, now: SimTime) -> f64 {
        let span = now.since(self.added_at).0;
        let cap = u128::from(span) * u128::from(self.server.config().concurrency);
        if cap == 0 {
            return 0.0;
        }
        let busy = self.server.busy_integral(now);
        // The kernel integrates from time 0; nothing was busy before the backend existed.
        (busy as f64 / cap as f64).min(1.0)
    }
}
