//! What a balancer simulation reports, each event with enough to draw and narrate it.
//!
//! `server` is the server's position in the list at the time of the event (positions shift
//! down when a server is removed). Events carry no names, so emitting one never allocates (the
//! fast-forward path emits millions per second); narration takes the server names from the
//! model ([`Balancer::narrate`](super::Balancer::narrate), or
//! [`BalancerEvent::narrate`] with a names slice as they were when the event happened).

use super::health::{BreakerState, GuideVerdictText};
use super::strategy_kind::StrategyKind;
use crate::num_text::{Fixed, Num};
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

/// What one step of a [`super::Balancer`] (or one operation on it) did, with enough to draw and
/// narrate it. Serialised with a kebab-case `type` tag (the export's event column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BalancerEvent {
    /// A request reached the balancer.
    RequestArrived {
        /// When it happened.
        at: SimTime,
        /// The request's id.
        request: u64,
        /// The client's number in the population.
        client: u32,
        /// The client's address.
        client_ip: Ipv4,
    },
    /// The strategy picked a server for a request.
    Routed {
        /// When it happened.
        at: SimTime,
        /// The request's id.
        request: u64,
        /// The client's number in the population.
        client: u32,
        /// The client's address.
        client_ip: Ipv4,
        /// The server's position at the time.
        server: u32,
        /// The strategy that picked it.
        strategy: StrategyKind,
    },
    /// A request waits in its server's queue (every slot is busy).
    Queued {
        /// When it happened.
        at: SimTime,
        /// The request's id.
        request: u64,
        /// The server's position at the time.
        server: u32,
        /// Position in the queue, 1 = next.
        depth: u32,
    },
    /// A server began serving a request.
    Started {
        /// When it happened.
        at: SimTime,
        /// The request's id.
        request: u64,
        /// The server's position at the time.
        server: u32,
        /// When the service will end.
        finish_at: SimTime,
    },
    /// A server answered a request successfully.
    Completed {
        /// When it happened.
        at: SimTime,
        /// The request's id.
        request: u64,
        /// The server's position at the time.
        server: u32,
        /// Arrival to answer, µs.
        latency: u64,
        /// Time spent waiting for a slot, µs.
        queued_for: u64,
    },
    /// A request was turned away without being served.
    Dropped {
        /// When it happened.
        at: SimTime,
        /// The request's id.
        request: u64,
        /// The server whose queue was full; `None` when no server was eligible.
        server: Option<u32>,
        /// Why it was dropped.
        reason: DropReason,
    },
    /// A request that reached a server failed.
    Failed {
        /// When it happened.
        at: SimTime,
        /// The request's id.
        request: u64,
        /// The server's position at the time.
        server: u32,
        /// Why it failed.
        reason: FailReason,
    },
    /// An active health probe of a server.
    Probe {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// Whether the server answered the probe.
        ok: bool,
    },
    /// The guide's checker printed a verdict on a server: healthy unless its random draw was
    /// below 0.10. Routing ignores it (see [`crate::balancing::HealthChecker::Guide`]).
    GuideVerdict {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// The printed verdict.
        healthy: bool,
        /// The uniform draw in [0, 1) it came from.
        draw: f64,
    },
    /// Health checks marked a server UP or DOWN (after `rise` or `fall` probes in a row).
    HealthChanged {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// UP (true) or DOWN (false), as the balancer now believes.
        up: bool,
    },
    /// Outlier detection ejected a server after consecutive failures.
    Ejected {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// When the ejection ends.
        until: SimTime,
        /// How many times this server has been ejected, this one included.
        times: u32,
    },
    /// A server's ejection ended; it gets traffic again.
    Unejected {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
    },
    /// A server's circuit breaker changed state.
    BreakerChanged {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// The breaker's state before.
        from: BreakerState,
        /// Its state now.
        to: BreakerState,
    },
    /// A server crashed (an operation).
    ServerKilled {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// Requests lost with it.
        lost: u32,
    },
    /// A server's speed changed (an operation).
    ServerSlowed {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// Service-time multiplier from now on (1 = normal).
        factor: f64,
    },
    /// A crashed server restarted (an operation).
    ServerRevived {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
    },
    /// A server joined at the end of the list (an operation).
    ServerAdded {
        /// When it happened.
        at: SimTime,
        /// Its position (the last).
        server: u32,
        /// The server's weight.
        weight: u32,
    },
    /// A server left the list; later servers moved down by one (an operation).
    ServerRemoved {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// Requests in service or queued there, lost with it.
        lost: u32,
    },
    /// A server's injected error rate changed (an operation).
    ErrorRateSet {
        /// When it happened.
        at: SimTime,
        /// The server's position at the time.
        server: u32,
        /// Fraction of answers that are errors, 0–1.
        rate: f64,
    },
    /// The active strategy changed (an operation).
    StrategySwitched {
        /// When it happened.
        at: SimTime,
        /// The strategy before.
        from: StrategyKind,
        /// The strategy now.
        to: StrategyKind,
    },
    /// The offered load changed (an operation).
    LoadChanged {
        /// When it happened.
        at: SimTime,
        /// The new offered rate at this instant, requests per second.
        rate_per_sec: f64,
    },
}

/// What a [`super::BalancingModel`] reports: one lane's balancer event, tagged with the lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalancingEvent {
    /// The lane's position (0 = the first strategy).
    pub lane: u32,
    /// What happened in that lane.
    pub event: BalancerEvent,
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
            | BalancerEvent::GuideVerdict { at, .. }
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

    /// The server this event is about, if any (its position at the time of the event).
    pub fn server(&self) -> Option<u32> {
        match self {
            BalancerEvent::Routed { server, .. }
            | BalancerEvent::Queued { server, .. }
            | BalancerEvent::Started { server, .. }
            | BalancerEvent::Completed { server, .. }
            | BalancerEvent::Failed { server, .. }
            | BalancerEvent::Probe { server, .. }
            | BalancerEvent::GuideVerdict { server, .. }
            | BalancerEvent::HealthChanged { server, .. }
            | BalancerEvent::Ejected { server, .. }
            | BalancerEvent::Unejected { server, .. }
            | BalancerEvent::BreakerChanged { server, .. }
            | BalancerEvent::ServerKilled { server, .. }
            | BalancerEvent::ServerSlowed { server, .. }
            | BalancerEvent::ServerRevived { server, .. }
            | BalancerEvent::ServerAdded { server, .. }
            | BalancerEvent::ServerRemoved { server, .. }
            | BalancerEvent::ErrorRateSet { server, .. } => Some(*server),
            BalancerEvent::Dropped { server, .. } => *server,
            _ => None,
        }
    }

    /// One English sentence for screen-reader narration. `names` are the server names by
    /// position as they were when the event happened (for `ServerRemoved`, before the removal);
    /// a position without a name is said as "server N" (1-based).
    pub fn narrate<S: AsRef<str>>(&self, names: &[S]) -> String {
        self.narration(names).to_string()
    }

    /// [`BalancerEvent::narrate`] as a `Display`, to write without an intermediate string.
    pub fn narration<'a, S: AsRef<str>>(&'a self, names: &'a [S]) -> Narration<'a, S> {
        Narration { event: self, names }
    }
}

/// An event with the server names to narrate it by (see [`BalancerEvent::narration`]).
pub struct Narration<'a, S> {
    event: &'a BalancerEvent,
    names: &'a [S],
}

/// A server named by position: its name when known, else "server N" (1-based).
pub(crate) struct ServerName<'a, S>(pub u32, pub &'a [S]);

impl<S: AsRef<str>> core::fmt::Display for ServerName<'_, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.1.get(self.0 as usize) {
            Some(name) => f.write_str(name.as_ref()),
            None => write!(f, "server {}", u64::from(self.0) + 1),
        }
    }
}

fn ms(micros: u64) -> SimDuration {
    SimDuration(micros)
}

impl<S: AsRef<str>> core::fmt::Display for Narration<'_, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "At {}, ", self.event.at())?;
        let server_name = ServerName(self.event.server().unwrap_or(u32::MAX), self.names);
        match self.event {
            BalancerEvent::RequestArrived {
                request, client_ip, ..
            } => write!(f, "request {request} arrived from client {client_ip}."),
            BalancerEvent::Routed {
                request,
                strategy,
                client_ip,
                ..
            } => write!(
                f,
                "{} sent request {request} from {client_ip} to {server_name}.",
                strategy.label()
            ),
            BalancerEvent::Queued { request, depth, .. } => write!(
                f,
                "request {request} waits in {server_name}'s queue at position {depth}."
            ),
            BalancerEvent::Started { request, .. } => {
                write!(f, "{server_name} started serving request {request}.")
            }
            BalancerEvent::Completed {
                request,
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
                server,
                reason,
                ..
            } => match (reason, server) {
                (DropReason::QueueFull, Some(_)) => write!(
                    f,
                    "request {request} was dropped because {server_name}'s queue is full."
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
                request, reason, ..
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
            BalancerEvent::Probe { ok, .. } => write!(
                f,
                "the health check of {server_name} {}.",
                if *ok { "passed" } else { "failed" }
            ),
            BalancerEvent::GuideVerdict { healthy, draw, .. } => write!(
                f,
                "{}.",
                GuideVerdictText {
                    name: server_name,
                    healthy: *healthy,
                    draw: *draw
                }
            ),
            BalancerEvent::HealthChanged { up, .. } => {
                if *up {
                    write!(f, "health checks marked {server_name} UP again.")
                } else {
                    write!(
                        f,
                        "health checks marked {server_name} DOWN; it gets no more traffic."
                    )
                }
            }
            BalancerEvent::Ejected { until, times, .. } => write!(
                f,
                "{server_name} was ejected after consecutive failures (ejection {times}) \
                 until {until}."
            ),
            BalancerEvent::Unejected { .. } => {
                write!(f, "{server_name}'s ejection ended; it takes traffic again.")
            }
            BalancerEvent::BreakerChanged { from, to, .. } => write!(
                f,
                "{server_name}'s circuit breaker went from {from} to {to}."
            ),
            BalancerEvent::ServerKilled { lost, .. } => write!(
                f,
                "{server_name} crashed, losing {lost} request{} in flight.",
                if *lost == 1 { "" } else { "s" }
            ),
            BalancerEvent::ServerSlowed { factor, .. } => write!(
                f,
                "{server_name} now takes {}× as long to serve each request.",
                Num(*factor)
            ),
            BalancerEvent::ServerRevived { .. } => {
                write!(f, "{server_name} was restarted.")
            }
            BalancerEvent::ServerAdded { weight, .. } => {
                write!(f, "{server_name} joined the pool with weight {weight}.")
            }
            BalancerEvent::ServerRemoved { lost, .. } => write!(
                f,
                "{server_name} was removed from the pool, losing {lost} request{} in flight.",
                if *lost == 1 { "" } else { "s" }
            ),
            BalancerEvent::ErrorRateSet { rate, .. } => write!(
                f,
                "{server_name} now answers {}% of requests with an error.",
                Fixed(rate * 100.0, 0)
            ),
            BalancerEvent::StrategySwitched { from, to, .. } => write!(
                f,
                "the balancer switched from {} to {}.",
                from.label(),
                to.label()
            ),
            BalancerEvent::LoadChanged { rate_per_sec, .. } => write!(
                f,
                "the offered load changed to {} requests per second.",
                Fixed(*rate_per_sec, 0)
            ),
        }
    }
}
