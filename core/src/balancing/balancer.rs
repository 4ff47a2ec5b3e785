//! The balancer simulation: one discrete event per step.
//!
//! Requests come from a [`Workload`]; each arrival is routed by the active strategy to an
//! eligible backend ([`Server`]: slots plus a FIFO queue), where it starts, queues, is dropped
//! (queue full) or refused (the server crashed and the balancer has not noticed). Completions,
//! health probes, ejection ends and breaker timers wait in one [`EventQueue`]. Every request
//! ends exactly once: completed, dropped or failed.

use super::backend::Backend;
use super::candidate::Candidate;
use super::config::{validate_server, BalancerConfig};
use super::error::BalancingError;
use super::event::{BalancerEvent, DropReason, FailReason};
use super::health::BreakerState;
use super::manager::StrategyManager;
use super::metrics::{
    BalancerMetrics, BalancerTotals, LaneMetrics, ServerMetrics, ThroughputMeter,
};
use super::strategies::IpHash;
use super::strategy::StrategyKind;
use crate::model::Model;
use crate::sim::{
    check_range, limits, Admission, ArrivalProcess, EventQueue, Ipv4, LatencyHistogram,
    Percentiles, RecentLatencies, Request, Server, ServerConfig, SimRng, SimTime, Workload,
};
use serde::{Deserialize, Serialize};

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
    /// Scratch for the eligible list, kept to avoid an allocation per arrival.
    #[serde(skip)]
    candidates: Vec<Candidate>,
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
            candidates: Vec::new(),
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

    /// Whole-balancer counters so far.
    pub fn totals(&self) -> BalancerTotals {
        self.totals
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
        }
    }

    /// A snapshot of every figure the page shows: per-server gauges and counters, latency
    /// percentiles, totals and throughput.
    pub fn metrics(&self) -> BalancerMetrics {
        let breaker = self.config.circuit_breaker.as_ref();
        let servers = self
            .backends
            .iter()
            .enumerate()
            .map(|(i, b)| ServerMetrics {
                index: i as u32,
                name: b.name().to_string(),
                weight: b.server.weight(),
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
            in_flight: self.in_flight(),
            throughput: if secs > 0.0 {
                self.totals.completed as f64 / secs
            } else {
                0.0
            },
            recent_throughput: self.recent_throughput(),
        }
    }

    /// Where IP hash sends each client right now, given which servers are eligible: one entry
    /// per client, in client order, `None` when no server is eligible. Computed with the
    /// reference IP hash whatever strategy is active, so a scene can colour the client
    /// population and count how many clients change server when one is removed.
    pub fn client_assignment(&self) -> Vec<(Ipv4, Option<u32>)> {
        let breaker = self.config.circuit_breaker.as_ref();
        let eligible: Vec<Candidate> = self
            .backends
            .iter()
            .enumerate()
            .filter(|(_, b)| b.eligible(breaker))
            .map(|(i, b)| Candidate {
                server: i as u32,
                weight: b.server.weight(),
                active: b.server.in_flight(),
            })
            .collect();
        let mut hash = IpHash {};
        self.workload
            .clients()
            .addresses()
            .iter()
            .map(|&ip| (ip, hash.pick(&eligible, ip)))
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

    // ----- operations (each at the current time; on error nothing changes) -----

    fn index(&self, index: u32) -> Result<usize, BalancingError> {
        if (index as usize) < self.backends.len() {
            Ok(index as usize)
        } else {
            Err(BalancingError::NoSuchServer {
                index,
                count: self.backends.len() as u32,
            })
        }
    }

    /// Crashes the server: its requests in flight are lost, and it refuses connections until
    /// revived. The balancer only stops sending to it once health checks (or outlier
    /// detection) notice.
    pub fn kill_server(&mut self, index: u32) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        let Some(b) = self.backends.get_mut(i) else {
            return Ok(Vec::new());
        };
        if !b.server.is_up() {
            return Err(BalancingError::AlreadyDown {
                name: b.name().to_string(),
            });
        }
        let lost = b.server.kill(self.now);
        let id = b.id;
        self.queue
            .retain(|p| !matches!(p, Pending::Completion { backend, .. } if *backend == id));
        let mut out = vec![BalancerEvent::ServerKilled {
            at: self.now,
            server: index,
            lost: lost.len() as u32,
        }];
        for r in lost {
            self.totals.failed_lost += 1;
            if let Some(b) = self.backends.get_mut(i) {
                b.counters.lost += 1;
            }
            out.push(BalancerEvent::Failed {
                at: self.now,
                request: r,
                server: index,
                reason: FailReason::LostOnKill,
            });
            // A reset connection is a failure the balancer sees, like any other.
            self.observe(i, true, &mut out);
        }
        Ok(out)
    }

    /// Restarts a crashed server. With active health checks it gets traffic again only after
    /// `rise` successful probes.
    pub fn revive_server(&mut self, index: u32) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return Ok(Vec::new());
        };
        if b.server.is_up() {
            return Err(BalancingError::AlreadyUp {
                name: b.name().to_string(),
            });
        }
        b.server.revive(now);
        Ok(vec![BalancerEvent::ServerRevived {
            at: now,
            server: index,
        }])
    }

    /// Makes the server `factor` times slower for requests that start from now (1 = normal).
    pub fn set_slowdown(
        &mut self,
        index: u32,
        factor: f64,
    ) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return Ok(Vec::new());
        };
        b.server.set_slowdown(factor)?;
        Ok(vec![BalancerEvent::ServerSlowed {
            at: now,
            server: index,
            factor,
        }])
    }

    /// Makes the server answer a fraction `rate` (0–1) of its requests with an error: what
    /// drives outlier ejection and the circuit breaker.
    pub fn set_error_rate(
        &mut self,
        index: u32,
        rate: f64,
    ) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        let rate = check_range("error rate", rate, 0.0, 1.0)?;
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return Ok(Vec::new());
        };
        b.error_rate = rate;
        Ok(vec![BalancerEvent::ErrorRateSet {
            at: now,
            server: index,
            rate,
        }])
    }

    /// Adds a server at the end of the list. It starts UP and gets traffic at once.
    pub fn add_server(
        &mut self,
        server: ServerConfig,
    ) -> Result<Vec<BalancerEvent>, BalancingError> {
        let count = self.backends.len() as u64 + 1;
        if count > limits::MAX_SERVERS {
            return Err(BalancingError::TooManyServers {
                count,
                max: limits::MAX_SERVERS,
            });
        }
        validate_server(&server, self.backends.len() as u32)?;
        if self.server_index(&server.name).is_some() {
            return Err(BalancingError::DuplicateServerName { name: server.name });
        }
        let name = server.name.clone();
        let weight = server.weight;
        let kernel = Server::new(server).map_err(|source| BalancingError::InvalidServer {
            name: name.clone(),
            source,
        })?;
        let id = self.next_backend_id;
        self.next_backend_id = self.next_backend_id.wrapping_add(1);
        self.backends.push(Backend::new(id, kernel, self.now));
        self.strategies.on_server_added(weight);
        if let Some(h) = &self.config.active_health {
            self.queue
                .schedule(self.now.after(h.interval), Pending::Probe { backend: id });
        }
        Ok(vec![BalancerEvent::ServerAdded {
            at: self.now,
            server: (self.backends.len() - 1) as u32,
            weight,
        }])
    }

    /// Removes a server at once (no draining): its requests in flight are lost and later
    /// servers move down one position. The last server cannot be removed.
    pub fn remove_server(&mut self, index: u32) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        if self.backends.len() <= 1 {
            return Err(BalancingError::LastServer {
                name: self
                    .backends
                    .get(i)
                    .map(|b| b.name().to_string())
                    .unwrap_or_default(),
            });
        }
        let mut b = self.backends.remove(i);
        let lost = b.server.kill(self.now);
        let id = b.id;
        self.queue.retain(|p| p.backend() != id);
        self.strategies.on_server_removed(index);
        let mut out = vec![BalancerEvent::ServerRemoved {
            at: self.now,
            server: index,
            lost: lost.len() as u32,
        }];
        for r in lost {
            self.totals.failed_lost += 1;
            out.push(BalancerEvent::Failed {
                at: self.now,
                request: r,
                server: index,
                reason: FailReason::LostOnRemove,
            });
        }
        Ok(out)
    }

    /// Switches the active strategy live; an unknown name lists the known ones.
    pub fn switch_strategy(&mut self, name: &str) -> Result<Vec<BalancerEvent>, BalancingError> {
        let to = StrategyKind::from_name(name)?;
        let from = self.strategies.switch_to(to);
        Ok(vec![BalancerEvent::StrategySwitched {
            at: self.now,
            from,
            to,
        }])
    }

    /// Changes the offered load from now on (the arrival already drawn still comes).
    pub fn set_arrivals(
        &mut self,
        process: ArrivalProcess,
    ) -> Result<Vec<BalancerEvent>, BalancingError> {
        self.workload.set_arrivals(process.clone(), self.now)?;
        self.config.workload.arrivals = process.clone();
        Ok(vec![BalancerEvent::LoadChanged {
            at: self.now,
            rate_per_sec: process.rate_at(self.now),
        }])
    }

    // ----- stepping -----

    fn ensure_next_arrival(&mut self) {
        let mut tries = 0;
        while self.next_arrival.is_none() && tries < ARRIVAL_RETRIES_PER_STEP {
            // Only worth drawing now if nothing queued comes before where arrivals have got to.
            if self
                .queue
                .peek_time()
                .is_some_and(|q| q < self.workload.cursor())
            {
                return;
            }
            self.workload.draw_next(&mut self.next_arrival);
            tries += 1;
        }
    }

    fn eligible_candidates(&mut self) {
        let breaker = self.config.circuit_breaker.as_ref();
        self.candidates.clear();
        for (i, b) in self.backends.iter().enumerate() {
            if b.eligible(breaker) {
                self.candidates.push(Candidate {
                    server: i as u32,
                    weight: b.server.weight(),
                    active: b.server.in_flight(),
                });
            }
        }
    }

    fn handle_arrival(&mut self, request: Request, out: &mut impl EventSink) {
        self.now = self.now.max(request.arrived);
        self.totals.arrivals += 1;
        out.push(BalancerEvent::RequestArrived {
            at: self.now,
            request: request.id,
            client: request.client,
            client_ip: request.ip,
        });
        self.eligible_candidates();
        let picked = self
            .strategies
            .pick(&self.candidates, request.ip, &mut self.strategy_rng);
        let Some((i, b)) = picked.and_then(|s| {
            let i = s as usize;
            self.backends.get_mut(i).map(|b| (i, b))
        }) else {
            self.totals.dropped_no_server += 1;
            out.push(BalancerEvent::Dropped {
                at: self.now,
                request: request.id,
                server: None,
                reason: DropReason::NoEligibleServer,
            });
            return;
        };
        let server = i as u32;
        b.breaker.on_dispatch();
        b.counters.routed += 1;
        out.push(BalancerEvent::Routed {
            at: self.now,
            request: request.id,
            client: request.client,
            client_ip: request.ip,
            server,
            strategy: self.strategies.active(),
        });
        match b.server.admit(request, self.now) {
            Admission::Started { finish_at } => {
                let pending = Pending::Completion {
                    backend: b.id,
                    request: request.id,
                    generation: b.server.generation(),
                };
                self.queue.schedule(finish_at, pending);
                out.push(BalancerEvent::Started {
                    at: self.now,
                    request: request.id,
                    server,
                    finish_at,
                });
            }
            Admission::Queued { depth } => out.push(BalancerEvent::Queued {
                at: self.now,
                request: request.id,
                server,
                depth,
            }),
            Admission::QueueFull => {
                b.counters.queue_full += 1;
                self.totals.dropped_queue_full += 1;
                out.push(BalancerEvent::Dropped {
                    at: self.now,
                    request: request.id,
                    server: Some(server),
                    reason: DropReason::QueueFull,
                });
                // A full queue answers 503: a failed call to the detectors.
                self.observe(i, true, out);
            }
            Admission::Refused => {
                b.counters.refused += 1;
                self.totals.failed_refused += 1;
                out.push(BalancerEvent::Failed {
                    at: self.now,
                    request: request.id,
                    server,
                    reason: FailReason::ConnectionRefused,
                });
                self.observe(i, true, out);
            }
        }
    }

    /// Handles one queued item; false if it was stale (nothing happened).
    fn handle_pending(&mut self, at: SimTime, item: Pending, out: &mut impl EventSink) -> bool {
        let Some(i) = self.backends.iter().position(|b| b.id == item.backend()) else {
            return false;
        };
        self.now = self.now.max(at);
        match item {
            Pending::Completion {
                request,
                generation,
                ..
            } => self.handle_completion(i, request, generation, out),
            Pending::Probe { .. } => {
                self.handle_probe(i, out);
                true
            }
            Pending::Uneject { ejection, .. } => self.handle_uneject(i, ejection, out),
            Pending::BreakerHalfOpen { epoch, .. } => {
                let now = self.now;
                let Some(b) = self.backends.get_mut(i) else {
                    return false;
                };
                match b.breaker.half_open(epoch) {
                    Some((from, to)) => {
                        out.push(BalancerEvent::BreakerChanged {
                            at: now,
                            server: i as u32,
                            from,
                            to,
                        });
                        true
                    }
                    None => false,
                }
            }
        }
    }

    fn handle_completion(
        &mut self,
        i: usize,
        request: u64,
        generation: u32,
        out: &mut impl EventSink,
    ) -> bool {
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return false;
        };
        let Some((done, next)) = b.server.complete(request, generation, now) else {
            return false;
        };
        let server = i as u32;
        let failed = b.error_rate > 0.0 && self.fault_rng.chance(b.error_rate);
        if failed {
            b.counters.server_errors += 1;
            self.totals.failed_server_error += 1;
            out.push(BalancerEvent::Failed {
                at: now,
                request,
                server,
                reason: FailReason::ServerError,
            });
        } else {
            b.counters.completed += 1;
            self.totals.completed += 1;
            self.latency.record(done.latency);
            self.recent.record(done.latency);
            self.throughput.record(now);
            out.push(BalancerEvent::Completed {
                at: now,
                request,
                server,
                latency: done.latency,
                queued_for: done.queued_for,
            });
        }
        if let Some((started, finish_at)) = next {
            self.queue.schedule(
                finish_at,
                Pending::Completion {
                    backend: b.id,
                    request: started,
                    generation: b.server.generation(),
                },
            );
            out.push(BalancerEvent::Started {
                at: now,
                request: started,
                server,
                finish_at,
            });
        }
        self.strategies.record_response(server, done.latency);
        self.observe(i, failed, out);
        true
    }

    fn handle_probe(&mut self, i: usize, out: &mut impl EventSink) {
        let Some(cfg) = self.config.active_health.clone() else {
            return;
        };
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return;
        };
        let ok = b.server.is_up();
        if !ok {
            b.counters.probes_failed += 1;
        }
        out.push(BalancerEvent::Probe {
            at: now,
            server: i as u32,
            ok,
        });
        if let Some(up) = b.health.record_probe(ok, &cfg) {
            out.push(BalancerEvent::HealthChanged {
                at: now,
                server: i as u32,
                up,
            });
        }
        let id = b.id;
        self.queue
            .schedule(now.after(cfg.interval), Pending::Probe { backend: id });
    }

    fn handle_uneject(&mut self, i: usize, ejection: u32, out: &mut impl EventSink) -> bool {
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return false;
        };
        if !b.outlier.is_ejected() || b.outlier.times_ejected() != ejection {
            return false;
        }
        b.outlier.uneject();
        out.push(BalancerEvent::Unejected {
            at: now,
            server: i as u32,
        });
        true
    }

    /// Feeds one call's outcome to passive outlier detection, the circuit breaker and the
    /// strategies' failure penalty.
    fn observe(&mut self, i: usize, failed: bool, out: &mut impl EventSink) {
        let now = self.now;
        let hosts = self.backends.len() as u32;
        let ejected = if failed && self.config.outlier_detection.is_some() {
            self.backends
                .iter()
                .filter(|b| b.outlier.is_ejected())
                .count() as u32
        } else {
            0
        };
        let Some(b) = self.backends.get_mut(i) else {
            return;
        };
        let server = i as u32;
        if let Some(cfg) = &self.config.outlier_detection {
            if !failed {
                b.outlier.record_success();
            } else if b.outlier.record_failure(cfg) && cfg.may_eject(hosts, ejected) {
                let until = b.outlier.eject(now, cfg);
                b.counters.ejections += 1;
                let times = b.outlier.times_ejected();
                self.queue.schedule(
                    until,
                    Pending::Uneject {
                        backend: b.id,
                        ejection: times,
                    },
                );
                out.push(BalancerEvent::Ejected {
                    at: now,
                    server,
                    until,
                    times,
                });
            }
        }
        if let Some(cfg) = &self.config.circuit_breaker {
            if let Some((from, to)) = b.breaker.record(failed, now, cfg) {
                if to == BreakerState::Open {
                    if let Some(until) = b.breaker.open_until() {
                        self.queue.schedule(
                            until,
                            Pending::BreakerHalfOpen {
                                backend: b.id,
                                epoch: b.breaker.epoch(),
                            },
                        );
                    }
                }
                out.push(BalancerEvent::BreakerChanged {
                    at: now,
                    server,
                    from,
                    to,
                });
            }
        }
        if failed {
            self.strategies.record_failure(server);
        }
    }
}

impl Model for Balancer {
    type Event = BalancerEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    fn step_into(&mut self, out: &mut Vec<BalancerEvent>) {
        self.step_with(out);
    }

    /// Builds no events at all: the state changes exactly as in `step_into`.
    fn step_quiet(&mut self, _scratch: &mut Vec<BalancerEvent>) {
        self.step_with(&mut Discard);
    }
}

/// Where a step's events go: a `Vec`, a race lane's log, or nowhere (fast-forward). Generic so
/// that with [`Discard`] the compiler drops the events' construction entirely.
pub(crate) trait EventSink {
    fn push(&mut self, event: BalancerEvent);
}

impl EventSink for Vec<BalancerEvent> {
    #[inline]
    fn push(&mut self, event: BalancerEvent) {
        Vec::push(self, event);
    }
}

/// Drops every event.
pub(crate) struct Discard;

impl EventSink for Discard {
    #[inline]
    fn push(&mut self, _event: BalancerEvent) {}
}

impl Balancer {
    /// One step (see [`Model::step_into`]), its events into `out`.
    pub(crate) fn step_with(&mut self, out: &mut impl EventSink) {
        for _ in 0..STALE_SKIPS_PER_STEP {
            self.ensure_next_arrival();
            let arrival_at = self.next_arrival.map(|r| r.arrived);
            let queued_at = self.queue.peek_time();
            // At equal times queued items go first: a completion frees its slot before a
            // request arriving at the same microsecond looks for one.
            let take_queue = match (arrival_at, queued_at) {
                (Some(a), Some(q)) => q <= a,
                (None, Some(_)) => true,
                (_, None) => false,
            };
            if take_queue {
                let Some((at, item)) = self.queue.pop() else {
                    return;
                };
                if self.handle_pending(at, item, out) {
                    return;
                }
            } else {
                if let Some(request) = self.next_arrival.take() {
                    self.handle_arrival(request, out);
                    self.workload.draw_next(&mut self.next_arrival);
                }
                return;
            }
        }
    }
}
