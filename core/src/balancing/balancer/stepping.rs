//! One discrete event per step: the next arrival or the next timer, whichever comes first,
//! and what it does (route, start, queue, drop or refuse a request; complete it; probe,
//! un-eject, half-open a breaker).

use super::*;
use crate::balancing::decision::{Considered, Figure};
use crate::balancing::health::{guide_verdict, HealthChecker, GUIDE_PROBE_MICROS};

impl Balancer {
    pub(super) fn ensure_next_arrival(&mut self) {
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

    /// Lists the eligible servers in `candidates`; returns whether their ids are those the
    /// client ledger saw last (compared while listing: one pass, not two).
    pub(super) fn eligible_candidates(&mut self) -> bool {
        let breaker = self.config.circuit_breaker.as_ref();
        let last = self.clients.last_set();
        let mut unchanged = true;
        self.candidates.clear();
        for (i, b) in self.backends.iter().enumerate() {
            if b.eligible(breaker) {
                unchanged &= last.get(self.candidates.len()) == Some(&b.id);
                self.candidates.push(Candidate {
                    server: i as u32,
                    id: b.id,
                    weight: b.server.weight(),
                    active: b.server.in_flight(),
                });
            }
        }
        unchanged && last.len() == self.candidates.len()
    }

    /// Picks a server for `request` as [`StrategyManager::pick`] does, recording why in
    /// `route`: every server's standing, then what the strategy compared.
    fn pick_recorded(&mut self, request: &Request) -> Option<u32> {
        let breaker = self.config.circuit_breaker.as_ref();
        let route = self.route.get_or_insert_with(RouteDecision::default);
        route.begin(self.now, request.id, request.ip, self.strategies.active());
        for (i, b) in self.backends.iter().enumerate() {
            route.servers.push(Considered {
                server: i as u32,
                standing: b.standing(breaker),
                figure: Figure::None,
            });
        }
        let winner = self.strategies.pick_traced(
            &self.candidates,
            request.ip,
            &mut self.strategy_rng,
            route,
        );
        route.winner = winner;
        winner
    }

    pub(super) fn handle_arrival<S: EventSink>(&mut self, request: Request, out: &mut S) {
        self.now = self.now.max(request.arrived);
        self.totals.arrivals += 1;
        out.push(BalancerEvent::RequestArrived {
            at: self.now,
            request: request.id,
            client: request.client,
            client_ip: request.ip,
        });
        let unchanged = self.eligible_candidates();
        self.clients.observe(unchanged, &self.candidates);
        let picked = if S::RECORDS {
            self.pick_recorded(&request)
        } else {
            self.strategies
                .pick(&self.candidates, request.ip, &mut self.strategy_rng)
        };
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
        self.clients.routed(request.client, b.id);
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
    pub(super) fn handle_pending<S: EventSink>(
        &mut self,
        at: SimTime,
        item: Pending,
        out: &mut S,
    ) -> bool {
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
                        if let (true, Some(cfg)) = (S::RECORDS, &self.config.circuit_breaker) {
                            self.health = Some(HealthDecision::BreakerWaitOver {
                                at: now,
                                server: i as u32,
                                waited: cfg.wait_in_open,
                                trial_calls: cfg.half_open_calls,
                            });
                        }
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

    pub(super) fn handle_completion(
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

    pub(super) fn handle_probe<S: EventSink>(&mut self, i: usize, out: &mut S) {
        let Some(cfg) = self.config.active_health.clone() else {
            return;
        };
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return;
        };
        let id = b.id;
        if cfg.checker == HealthChecker::Guide {
            // The guide's check: a random verdict, printed only, and the probe's own time
            // into the response-time window (see `health::guide`).
            let (healthy, draw) = guide_verdict(&mut self.fault_rng);
            if b.health.print_verdict(healthy) {
                b.counters.health_flaps += 1;
            }
            b.counters.probe_samples += 1;
            let server = i as u32;
            if S::RECORDS {
                self.health = Some(HealthDecision::GuideDraw {
                    at: now,
                    server,
                    healthy,
                    draw,
                });
            }
            out.push(BalancerEvent::GuideVerdict {
                at: now,
                server,
                healthy,
                draw,
            });
            self.strategies.record_response(server, GUIDE_PROBE_MICROS);
            self.queue
                .schedule(now.after(cfg.interval), Pending::Probe { backend: id });
            return;
        }
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
            b.counters.health_flaps += 1;
            if S::RECORDS {
                // The change comes on the probe that makes the streak equal the threshold.
                let threshold = if up { cfg.rise } else { cfg.fall };
                self.health = Some(HealthDecision::Probes {
                    at: now,
                    server: i as u32,
                    up,
                    in_a_row: threshold,
                    threshold,
                });
            }
            out.push(BalancerEvent::HealthChanged {
                at: now,
                server: i as u32,
                up,
            });
        }
        self.queue
            .schedule(now.after(cfg.interval), Pending::Probe { backend: id });
    }

    pub(super) fn handle_uneject(
        &mut self,
        i: usize,
        ejection: u32,
        out: &mut impl EventSink,
    ) -> bool {
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
    pub(super) fn observe<S: EventSink>(&mut self, i: usize, failed: bool, out: &mut S) {
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
                if S::RECORDS {
                    // Detection fires when the count equals the threshold.
                    self.health = Some(HealthDecision::Ejection {
                        at: now,
                        server,
                        failures: cfg.consecutive_failures,
                        threshold: cfg.consecutive_failures,
                        times,
                        length: cfg.ejection_time(times),
                    });
                }
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
            let (failures, calls) = if S::RECORDS {
                b.breaker.tally_with(failed, cfg)
            } else {
                (0, 0)
            };
            if let Some((from, to)) = b.breaker.record(failed, now, cfg) {
                if S::RECORDS {
                    self.health = Some(HealthDecision::BreakerRate {
                        at: now,
                        server,
                        from,
                        to,
                        failures,
                        calls,
                        threshold: cfg.failure_rate_threshold,
                    });
                }
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
    /// Whether decisions are recorded alongside the events: false only where events are
    /// dropped, so fast-forward computes no reasons.
    const RECORDS: bool = true;
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
    const RECORDS: bool = false;
    #[inline]
    fn push(&mut self, _event: BalancerEvent) {}
}

impl Balancer {
    /// One step (see [`Model::step_into`]), its events into `out`.
    pub(crate) fn step_with<S: EventSink>(&mut self, out: &mut S) {
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
