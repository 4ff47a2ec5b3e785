//! What a balancer simulation reports, each event with enough to draw and narrate it.
//!
//! `server` is the server's position in the list at the time of the event (positions shift
//! down when a server is removed); `server_name` is stable.

use super::health::BreakerState;
use super::strategy::StrategyKind;
use crate::sim::{Ipv4, SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// Why a request was dropped without being served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropReason {
    /// The chosen server's queue was full.
    QueueFull,
    /// Every server was down, ejected or behind an open breaker.
    NoEligibleServer,
}

/// Why a request that reached a server failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailReason {
    /// The server had crashed but the balancer did not know yet (health-check detection lag).
    ConnectionRefused,
    /// The server answered with an error (injected error rate).
    ServerError,
    /// The server crashed while the request was in service or queued there.
    LostOnKill,
    /// The server was removed while the request was in service or queued there.
    LostOnRemove,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BalancerEvent {
    RequestArrived {
        at: SimTime,
        request: u64,
        client: u32,
        client_ip: Ipv4,
    },
    Routed {
        at: SimTime,
        request: u64,
        client: u32,
        client_ip: Ipv4,
        server: u32,
        server_name: String,
        strategy: StrategyKind,
    },
    Queued {
        at: SimTime,
        request: u64,
        server: u32,
        server_name: String,
        /// Position in the queue, 1 = next.
        depth: u32,
    },
    Started {
        at: SimTime,
        request: u64,
        server: u32,
        server_name: String,
        finish_at: SimTime,
    },
    Completed {
        at: SimTime,
        request: u64,
        server: u32,
        server_name: String,
        /// Arrival to answer, µs.
        latency: u64,
        /// Time spent waiting for a slot, µs.
        queued_for: u64,
    },
    Dropped {
        at: SimTime,
        request: u64,
        /// The server whose queue was full; `None` when no server was eligible.
        server: Option<u32>,
        server_name: Option<String>,
        reason: DropReason,
    },
    Failed {
        at: SimTime,
        request: u64,
        server: u32,
        server_name: String,
        reason: FailReason,
    },
    Probe {
        at: SimTime,
        server: u32,
        server_name: String,
        ok: bool,
    },
    HealthChanged {
        at: SimTime,
        server: u32,
        server_name: String,
        up: bool,
    },
    Ejected {
        at: SimTime,
        server: u32,
        server_name: String,
        until: SimTime,
        /// How many times this server has been ejected, this one included.
        times: u32,
    },
    Unejected {
        at: SimTime,
        server: u32,
        server_name: String,
    },
    BreakerChanged {
        at: SimTime,
        server: u32,
        server_name: String,
        from: BreakerState,
        to: BreakerState,
    },
    ServerKilled {
        at: SimTime,
        server: u32,
        server_name: String,
        /// Requests lost with it.
        lost: u32,
    },
    ServerSlowed {
        at: SimTime,
        server: u32,
        server_name: String,
        /// Service-time multiplier from now on (1 = normal).
        factor: f64,
    },
    ServerRevived {
        at: SimTime,
        server: u32,
        server_name: String,
    },
    ServerAdded {
        at: SimTime,
        server: u32,
        server_name: String,
        weight: u32,
    },
    ServerRemoved {
        at: SimTime,
        server: u32,
        server_name: String,
        lost: u32,
    },
    ErrorRateSet {
        at: SimTime,
        server: u32,
        server_name: String,
        /// Fraction of answers that are errors, 0–1.
        rate: f64,
    },
    StrategySwitched {
        at: SimTime,
        from: StrategyKind,
        to: StrategyKind,
    },
    LoadChanged {
        at: SimTime,
        /// The new offered rate at this instant, requests per second.
        rate_per_sec: f64,
    },
}

impl BalancerEvent {
    /// When it happened.
    pub fn at(&self) -> SimTime {
        match self {
            BalancerEvent::RequestArrived { at, .. }
            | BalancerEvent::Routed { at, .. }
            | BalancerEvent::Queued { at, .. }
            | BalancerEvent::Started { at, .. }
            | BalancerEvent::Completed { at, .. }
            | BalancerEvent::Dropped { at, .. }
            | BalancerEvent::Failed { at, .. }
            | BalancerEvent::Probe { at, .. }
            | BalancerEvent::HealthChanged { at, .. }
            | BalancerEvent::Ejected { at, .. }
            | BalancerEvent::Unejected { at, .. }
            | BalancerEvent::BreakerChanged { at, .. }
            | BalancerEvent::ServerKilled { at, .. }
            | BalancerEvent::ServerSlowed { at, .. }
            | BalancerEvent::ServerRevived { at, .. }
            | BalancerEvent::ServerAdded { at, .. }
            | BalancerEvent::ServerRemoved { at, .. }
            | BalancerEvent::ErrorRateSet { at, .. }
            | BalancerEvent::StrategySwitched { at, .. }
            | BalancerEvent::LoadChanged { at, .. } => *at,
        }
    }

    /// The request this event is about, if any.
    pub fn request(&self) -> Option<u64> {
        match self {
            BalancerEvent::RequestArrived { request, .. }
            | BalancerEvent::Routed { request, .. }
            | BalancerEvent::Queued { request, .. }
            | BalancerEvent::Started { request, .. }
            | BalancerEvent::Completed { request, .. }
            | BalancerEvent::Dropped { request, .. }
            | BalancerEvent::Failed { request, .. } => Some(*request),
            _ => None,
        }
    }

    /// True for the events that end a request (exactly one per request).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            BalancerEvent::Completed { .. }
                | BalancerEvent::Dropped { .. }
                | BalancerEvent::Failed { .. }
        )
    }

    /// One English sentence for screen-reader narration.
    pub fn narrate(&self) -> String {
        self.to_string()
    }
}

fn ms(micros: u64) -> SimDuration {
    SimDuration(micros)
}

impl core::fmt::Display for BalancerEvent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "At {}, ", self.at())?;
        match self {
            BalancerEvent::RequestArrived {
                request, client_ip, ..
            } => write!(f, "request {request} arrived from client {client_ip}."),
            BalancerEvent::Routed {
                request,
                server_name,
                strategy,
                client_ip,
                ..
            } => write!(
                f,
                "{} sent request {request} from {client_ip} to {server_name}.",
                strategy.label()
            ),
            BalancerEvent::Queued {
                request,
                server_name,
                depth,
                ..
            } => write!(
                f,
                "request {request} waits in {server_name}'s queue at position {depth}."
            ),
            BalancerEvent::Started {
                request,
                server_name,
                ..
            } => write!(f, "{server_name} started serving request {request}."),
            BalancerEvent::Completed {
                request,
                server_name,
                latency,
                queued_for,
                ..
            } => write!(
                f,
                "{server_name} answered request {request} in {} ({} of it queued).",
                ms(*latency),
                ms(*queued_for)
            ),
            BalancerEvent::Dropped {
                request,
                server_name,
                reason,
                ..
            } => match (reason, server_name) {
                (DropReason::QueueFull, Some(name)) => write!(
                    f,
                    "request {request} was dropped because {name}'s queue is full."
                ),
                (DropReason::QueueFull, None) => {
                    write!(f, "request {request} was dropped: the queue is full.")
                }
                (DropReason::NoEligibleServer, _) => write!(
                    f,
                    "request {request} was dropped: no server is healthy enough to take it."
                ),
            },
            BalancerEvent::Failed {
                request,
                server_name,
                reason,
                ..
            } => match reason {
                FailReason::ConnectionRefused => write!(
                    f,
                    "request {request} failed: {server_name} refused the connection because it \
                     is down, but the balancer has not noticed yet."
                ),
                FailReason::ServerError => {
                    write!(f, "{server_name} answered request {request} with an error.")
                }
                FailReason::LostOnKill => {
                    write!(f, "request {request} was lost when {server_name} crashed.")
                }
                FailReason::LostOnRemove => write!(
                    f,
                    "request {request} was lost when {server_name} was removed."
                ),
            },
            BalancerEvent::Probe {
                server_name, ok, ..
            } => write!(
                f,
                "the health check of {server_name} {}.",
                if *ok { "passed" } else { "failed" }
            ),
            BalancerEvent::HealthChanged {
                server_name, up, ..
            } => {
                if *up {
                    write!(f, "health checks marked {server_name} UP again.")
                } else {
                    write!(
                        f,
                        "health checks marked {server_name} DOWN; it gets no more traffic."
                    )
                }
            }
            BalancerEvent::Ejected {
                server_name,
                until,
                times,
                ..
            } => write!(
                f,
                "{server_name} was ejected after consecutive failures (ejection {times}) \
                 until {until}."
            ),
            BalancerEvent::Unejected { server_name, .. } => {
                write!(f, "{server_name}'s ejection ended; it takes traffic again.")
            }
            BalancerEvent::BreakerChanged {
                server_name,
                from,
                to,
                ..
            } => write!(
                f,
                "{server_name}'s circuit breaker went from {from} to {to}."
            ),
            BalancerEvent::ServerKilled {
                server_name, lost, ..
            } => write!(
                f,
                "{server_name} crashed, losing {lost} request{} in flight.",
                if *lost == 1 { "" } else { "s" }
            ),
            BalancerEvent::ServerSlowed {
                server_name,
                factor,
                ..
            } => write!(
                f,
                "{server_name} now takes {factor}× as long to serve each request."
            ),
            BalancerEvent::ServerRevived { server_name, .. } => {
                write!(f, "{server_name} was restarted.")
            }
            BalancerEvent::ServerAdded {
                server_name,
                weight,
                ..
            } => write!(f, "{server_name} joined the pool with weight {weight}."),
            BalancerEvent::ServerRemoved {
                server_name, lost, ..
            } => write!(
                f,
                "{server_name} was removed from the pool, losing {lost} request{} in flight.",
                if *lost == 1 { "" } else { "s" }
            ),
            BalancerEvent::ErrorRateSet {
                server_name, rate, ..
            } => write!(
                f,
                "{server_name} now answers {:.0}% of requests with an error.",
                rate * 100.0
            ),
            BalancerEvent::StrategySwitched { from, to, .. } => write!(
                f,
                "the balancer switched from {} to {}.",
                from.label(),
                to.label()
            ),
            BalancerEvent::LoadChanged { rate_per_sec, .. } => write!(
                f,
                "the offered load changed to {rate_per_sec:.0} requests per second."
            ),
        }
    }
}
