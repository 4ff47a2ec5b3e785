//! The balancer simulation: one discrete event per step.
//!
//! Requests come from a [`Workload`]; each arrival is routed by the active strategy to an
//! eligible backend ([`Server`]: slots plus a FIFO queue), where it starts, queues, is dropped
//! (queue full) or refused (the server crashed and the balancer has not noticed). Completions,
//! health probes, ejection ends and breaker timers wait in one [`EventQueue`]. Every request
//! ends exactly once: completed, dropped or failed.

use super::backend::Backend;
use super::candidate::Candidate;
use super::clients::{ClientCounts, ClientLedger};
use super::config::{validate_server, BalancerConfig};
use super::decision::{HealthDecision, RouteDecision};
use super::error::BalancingError;
use super::event::{BalancerEvent, DropReason, FailReason};
use super::health::BreakerState;
use super::manager::StrategyManager;
use super::metrics::{
    BalancerMetrics, BalancerTotals, LaneMetrics, ServerMetrics, ThroughputMeter,
};
use super::strategies::{IpHash, IpHashNaive, Maglev, RingHash};
use super::strategy::Strategy;
use super::strategy_kind::StrategyKind;
use crate::model::Model;
use crate::sim::{
    check_range, limits, Admission, ArrivalProcess, EventQueue, Ipv4, LatencyHistogram,
    Percentiles, RecentLatencies, Request, Server, ServerConfig, SimRng, SimTime, Workload,
};
use serde::{Deserialize, Serialize};

mod operations;
mod stepping;

pub(crate) use stepping::{Discard, EventSink};

/// RNG streams of the balancer itself (the workload uses its own, 1–4).
const STREAM_STRATEGY: u64 = 16;
const STREAM_FAULTS: u64 = 17;

/// Bound on workload retries per step while a time-varying rate sits near zero.
const ARRIVAL_RETRIES_PER_STEP: u32 = 16;
/// Bound on stale queue entries skipped within one step.
const STALE_SKIPS_PER_STEP: u32 = 1_024;

/// A timer or completion waiting in the event queue. Backends are named by their stable `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Pending {
    Completion {
        backend: u32,
        request: u64,
        generation: u32,
    },
    Probe {
        backend: u32,
    },
    Uneject {
        backend: u32,
        ejection: u32,
    },
    BreakerHalfOpen {
        backend: u32,
        epoch: u32,
    },
}

impl Pending {
    fn backend(&self) -> u32 {
        match *self {
            Pending::Completion { backend, .. }
            | Pending::Probe { backend }
            | Pending::Uneject { backend, .. }
            | Pending::BreakerHalfOpen { backend, .. } => backend,
        }
    }
}

/// One balancer in front of its servers, simulated one discrete event per step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Balancer {
    config: BalancerConfig,
    now: SimTime,
    workload: Workload,
    /// The next arrival, drawn ahead so its time can be compared with the queue's.
    next_arrival: Option<Request>,
    backends: Vec<Backend>,
    next_backend_id: u32,
    strategies: StrategyManager,
    queue: EventQueue<Pending>,
    strategy_rng: SimRng,
    fault_rng: SimRng,
    latency: LatencyHistogram,
    recent: RecentLatencies,
    throughput: ThroughputMeter,
    totals: BalancerTotals,
    /// Where each client went last: moved clients and kept sessions.
    #[serde(default)]
    clients: ClientLedger,
    /// Scratch for the eligible list, kept to avoid an allocation per arrival.
    #[serde(skip)]
    candidates: Vec<Candidate>,
    /// The last pick's reasons, recorded on the event path only; its buffers are refilled
    /// in place.
    #[serde(skip)]
    route: Option<RouteDecision>,
    /// The last health change's reasons, recorded on the event path only.
    #[serde(skip)]
    health: Option<HealthDecision>,
}

impl Balancer {
    /// Builds the balancer from a checked config; an invalid config is an error naming the problem.
    pub fn new(config: BalancerConfig) -> Result<Self, BalancingError> {
        config.validate()?;
        let kind = config.strategy_kind()?;
        let mut backends = Vec::with_capacity(config.servers.len());
        for (i, sc) in config.servers.iter().enumerate() {
            let server =
                Server::new(sc.clone()).map_err(|source| BalancingError::InvalidServer {
                    name: sc.name.clone(),
                    source,
                })?;
            backends.push(Backend::new(i as u32, server, SimTime::ZERO));
        }
        let weights: Vec<u32> = config.servers.iter().map(|s| s.weight).collect();
        let mut workload = Workload::new(config.workload.clone(), config.seed)?;
        let next_arrival = workload.next_request();
        let clients = ClientLedger::with_clients(workload.clients().len() as usize);
        let mut sim = Balancer {
            now: SimTime::ZERO,
            workload,
            next_arrival,
            next_backend_id: backends.len() as u32,
            backends,
            strategies: StrategyManager::new(kind, &config.strategy_options, &weights),
            queue: EventQueue::new(),
            strategy_rng: SimRng::derive(config.seed, STREAM_STRATEGY),
            fault_rng: SimRng::derive(config.seed, STREAM_FAULTS),
            latency: LatencyHistogram::new(),
            recent: RecentLatencies::new(config.recent_window),
            throughput: ThroughputMeter::default(),
            totals: BalancerTotals::default(),
            clients,
            candidates: Vec::new(),
            route: None,
            health: None,
            config,
        };
        if let Some(h) = &sim.config.active_health {
            let first = SimTime::ZERO.after(h.interval);
            for b in &sim.backends {
                sim.queue.schedule(first, Pending::Probe { backend: b.id });
            }
        }
        Ok(sim)
    }

    // ----- reading -----

    /// The config it was built from, with the offered load as last set.
    pub fn config(&self) -> &BalancerConfig {
        &self.config
    }

    /// The active strategy.
    pub fn strategy(&self) -> StrategyKind {
        self.strategies.active()
    }

    /// Every strategy with its memory, and which one is active.
    pub fn strategies(&self) -> &StrategyManager {
        &self.strategies
    }

    /// The request generator (arrivals, clients, costs).
    pub fn workload(&self) -> &Workload {
        &self.workload
    }

    /// Servers in the list.
    pub fn server_count(&self) -> u32 {
        self.backends.len() as u32
    }

    /// Server names, by position.
    pub fn server_names(&self) -> Vec<String> {
        self.backends.iter().map(|b| b.name().to_string()).collect()
    }

    /// One English sentence for an event this simulation just emitted, naming servers as
    /// they are now (see [`BalancerEvent::narrate`]; for a `ServerRemoved` event the removed
    /// server is no longer listed and is said as "server N").
    pub fn narrate(&self, event: &BalancerEvent) -> String {
        let names: Vec<&str> = self.backends.iter().map(|b| b.name()).collect();
        event.narrate(&names)
    }

    /// The position of the server called `name`.
    pub fn server_index(&self, name: &str) -> Option<u32> {
        self.backends
            .iter()
            .position(|b| b.name() == name)
            .map(|i| i as u32)
    }

    /// The kernel server at `index` (slots, queue, counters).
    pub fn server(&self, index: u32) -> Option<&Server> {
        self.backends.get(index as usize).map(|b| &b.server)
    }

    /// Whether the server at `index` may take new traffic right now.
    pub fn is_eligible(&self, index: u32) -> bool {
        self.backends
            .get(index as usize)
            .is_some_and(|b| b.eligible(self.config.circuit_breaker.as_ref()))
    }

    /// Why the last request routed on the event path (a step into a real event sink) went
    /// where it went; `None` before the first. Fast-forward records nothing, so after one
    /// this is the last decision before it (its `at` and `request` say which).
    pub fn last_decision(&self) -> Option<&RouteDecision> {
        self.route.as_ref()
    }

    /// Why health handling last changed a server's standing (HealthChanged, Ejected or
    /// BreakerChanged), on the event path or in an operation; `None` before the first.
    pub fn last_health_decision(&self) -> Option<&HealthDecision> {
        self.health.as_ref()
    }

    /// Whole-balancer counters so far.
    pub fn totals(&self) -> BalancerTotals {
        self.totals
    }

    /// Clients moved since the last change of the eligible servers, and sessions kept or lost.
    pub fn client_counts(&self) -> ClientCounts {
        self.clients.counts()
    }

    /// Requests in service or queued on any server.
    pub fn in_flight(&self) -> u64 {
        self.backends
            .iter()
            .map(|b| u64::from(b.server.in_flight()))
            .sum()
    }

    /// When the next event will happen (what a race uses to keep lanes in step).
    pub fn next_event_time(&self) -> Option<SimTime> {
        let a = self.next_arrival.map(|r| r.arrived);
        match (a, self.queue.peek_time()) {
            (Some(a), Some(q)) => Some(a.min(q)),
            (a, q) => a.or(q).or(Some(self.workload.cursor())),
        }
    }

    /// Successful answers per second over the last second (what [`Balancer::metrics`]
    /// reports as `recent_throughput`, without building the rest).
    pub fn recent_throughput(&self) -> f64 {
        self.throughput.rate(self.now)
    }

    /// Latency percentiles of the last `recent_window` successful answers (the live p50, p95
    /// and p99 the page shows).
    pub fn recent_latency(&self) -> Percentiles {
        self.recent.percentiles()
    }

    /// This balancer's row on a race board (what `LaneMetrics::of` reads from
    /// [`Balancer::metrics`], without building the per-server list).
    pub fn lane_metrics(&self, lane: u32) -> LaneMetrics {
        LaneMetrics {
            lane,
            strategy: self.strategies.active(),
            recent_latency: self.recent.percentiles(),
            latency: self.latency.percentiles(),
            completed: self.totals.completed,
            dropped: self.totals.dropped(),
            failed: self.totals.failed(),
            in_flight: self.in_flight(),
            health_flaps: self.backends.iter().map(|b| b.counters.health_flaps).sum(),
            clients: self.clients.counts(),
        }
    }

    /// A snapshot of every figure the page shows: per-server gauges and counters, latency
    /// percentiles, totals and throughput.
    pub fn metrics(&self) -> BalancerMetrics {
        let breaker = self.config.circuit_breaker.as_ref();
        let strategy = self.strategies.get(self.strategies.active());
        let servers = self
            .backends
            .iter()
            .enumerate()
            .map(|(i, b)| ServerMetrics {
                index: i as u32,
                name: b.name().to_string(),
                weight: b.server.weight(),
                current_weight: strategy.and_then(|s| s.current_weight(i as u32)),
                running: b.server.is_up(),
                healthy: b.health.is_up(),
                ejected_until: b.outlier.ejected_until(),
                breaker: b.breaker.state(),
                eligible: b.eligible(breaker),
                in_flight: b.server.in_flight(),
                queue_len: b.server.queue_len(),
                busy_slots: b.server.busy_slots(),
                concurrency: b.server.config().concurrency,
                queue_limit: b.server.config().queue_limit,
                utilisation: b.utilisation(self.now),
                slowdown: b.server.slowdown(),
                error_rate: b.error_rate,
                counters: b.counters,
            })
            .collect();
        let secs = self.now.as_secs_f64();
        BalancerMetrics {
            now: self.now,
            strategy: self.strategies.active(),
            servers,
            latency: self.latency.percentiles(),
            recent_latency: self.recent.percentiles(),
            totals: self.totals,
            clients: self.clients.counts(),
            in_flight: self.in_flight(),
            throughput: if secs > 0.0 {
                self.totals.completed as f64 / secs
            } else {
                0.0
            },
            recent_throughput: self.recent_throughput(),
        }
    }

    /// Where each client is sent right now, given which servers are eligible: one entry per
    /// client, in client order, `None` when no server is eligible. Computed with the active
    /// strategy when it hashes the client (IP hash, ring hash, Maglev), else with the reference
    /// IP hash, so a scene can colour the client population and count how many clients change
    /// server when one is removed.
    pub fn client_assignment(&self) -> Vec<(Ipv4, Option<u32>)> {
        let breaker = self.config.circuit_breaker.as_ref();
        let eligible: Vec<Candidate> = self
            .backends
            .iter()
            .enumerate()
            .filter(|(_, b)| b.eligible(breaker))
            .map(|(i, b)| Candidate {
                server: i as u32,
                id: b.id,
                weight: b.server.weight(),
                active: b.server.in_flight(),
            })
            .collect();
        // A hash keeps no memory but its table, which a fresh one builds for these servers.
        let mut strategy = match self.strategies.active() {
            StrategyKind::IpHashNaive => Strategy::IpHashNaive(IpHashNaive {}),
            StrategyKind::RingHash => Strategy::RingHash(RingHash::default()),
            StrategyKind::Maglev => Strategy::Maglev(Maglev::default()),
            _ => Strategy::IpHash(IpHash {}),
        };
        // Hashing strategies draw nothing, so a scratch generator keeps the real one untouched.
        let mut rng = SimRng::seed_from(0);
        self.workload
            .clients()
            .addresses()
            .iter()
            .map(|&ip| (ip, strategy.pick(&eligible, ip, &mut rng)))
            .collect()
    }

    /// Steps until the next event would be after `until`, or `max_steps` were taken; returns
    /// the steps taken. (The host's frame loop: "advance the simulation to this time".)
    pub fn run_until(
        &mut self,
        until: SimTime,
        max_steps: u64,
        out: &mut Vec<BalancerEvent>,
    ) -> u64 {
        let mut steps = 0;
        while steps < max_steps && self.next_event_time().is_some_and(|t| t <= until) {
            self.step_into(out);
            steps += 1;
        }
        steps
    }
}
