//! One request's path: balancer → app instance → L1 → L2 → shard, booked when it arrives,
//! and what happens when it comes back (its answer, the caches' fill).

use super::event::{Answer, DropPoint, FailReason, Hops, SystemEvent};
use super::model::{later, Pending, SystemModel};
use crate::caching::{Discard, L1Policy, Value};
use crate::sim::{Ipv4, SimTime};
use serde::{Deserialize, Serialize};

/// A request between its arrival and its answer (or failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    /// Its id.
    pub request: u64,
    /// Its key.
    pub key: u64,
    /// The instance serving it.
    pub instance: u32,
    /// Which level answers it.
    pub answer: Answer,
    /// The key's shard, when the store is asked.
    pub shard: Option<u32>,
    /// Time at each hop.
    pub hops: Hops,
}

impl SystemModel {
    /// A request arrives at the balancer (from a client, or from a stampede with its key set).
    pub(super) fn arrive(
        &mut self,
        request: u64,
        ip: Ipv4,
        cost: u64,
        forced_key: Option<u64>,
        out: &mut Vec<SystemEvent>,
        report: bool,
    ) {
        self.stats.arrived += 1;
        let now = self.now;
        let (key, write) = match forced_key {
            Some(key) => (key, false),
            None => self.draw_key(),
        };
        self.tier.refresh_candidates(now);
        let picked = self
            .strategy
            .pick(&self.tier.candidates, ip, &mut self.pick_rng);
        let Some(position) = picked else {
            return self.drop_request(request, DropPoint::NoInstance, out, report);
        };
        let balancer = self.config.balancer.latency.0;
        let timeout = self.config.balancer.queue_timeout.0;
        let l1_latency = self.config.l1.latency.0;
        let Some(inst) = self.tier.instances.get_mut(position as usize) else {
            return self.drop_request(request, DropPoint::NoInstance, out, report);
        };
        let at_app = now.0 + balancer;
        let start = inst.busy_until.0.max(at_app);
        if start - at_app > timeout {
            return self.drop_request(request, DropPoint::AppQueue, out, report);
        }
        let work = cost.saturating_mul(u64::from(inst.slow));
        inst.busy_until = SimTime(start + work);
        inst.busy_in_window += work;
        inst.in_flight += 1;
        let instance = inst.id;
        let active = inst.in_flight - 1;
        if report {
            out.push(SystemEvent::Routed {
                at: now,
                request,
                key,
                write,
                instance,
                strategy: self.strategy.kind(),
                active,
            });
        }
        let mut flight = InFlight {
            request,
            key,
            instance,
            answer: Answer::L1,
            shard: None,
            hops: Hops {
                balancer: start - now.0,
                app: work,
                ..Hops::default()
            },
        };
        if write {
            flight.answer = Answer::Write;
            // The writer drops its own copy; other instances' L1 copies age out by TTL.
            flight.hops.l1 = l1_latency;
            inst.l1.delete_with(key, &mut Discard);
            if !self.l2_down {
                flight.hops.l2 = self.config.l2.round_trip.0;
                self.l2.delete_with(key, &mut Discard);
            }
            return self.via_store(flight, out, report);
        }
        self.stats.l1_lookups += 1;
        flight.hops.l1 = l1_latency;
        if inst.l1.get_with(key, now, &mut Discard).is_some() {
            self.stats.l1_hits += 1;
            return self.schedule_answer(flight);
        }
        if !self.l2_down {
            self.stats.l2_lookups += 1;
            flight.hops.l2 = self.config.l2.round_trip.0;
            if let Some(value) = self.l2.get_with(key, now, &mut Discard) {
                self.stats.l2_hits += 1;
                flight.answer = Answer::L2;
                inst.l1
                    .set_with(key, value, Some(self.config.ttl), now, &mut Discard);
                return self.schedule_answer(flight);
            }
        }
        // The caches were read as they are now, but the request reaches them later: if a
        // store read of the key returns before then, the L2 holds the key when it looks.
        let reaches_store = later(now, flight.hops.total());
        if let Some(ready) = self.read_in_flight(key) {
            if ready <= reaches_store && !self.l2_down {
                self.stats.l2_hits += 1;
                flight.answer = Answer::L2;
                return self.schedule_answer(flight);
            }
            if ready > reaches_store && self.coalescing {
                flight.answer = Answer::Coalesced;
                flight.hops.shard = ready.0 - reaches_store.0;
                return self.schedule_answer(flight);
            }
        }
        flight.answer = Answer::Shard;
        self.via_store(flight, out, report)
    }

    /// The key, and whether the request writes it: the hot key takes its share first.
    fn draw_key(&mut self) -> (u64, bool) {
        let key = match self.hot {
            Some((hot, share)) if self.key_rng.chance(share) => hot,
            _ => self.zipf.sample(&mut self.key_rng),
        };
        let write =
            self.config.keys.write_share > 0.0 && self.key_rng.chance(self.config.keys.write_share);
        (key, write)
    }

    /// The store hop of a read that missed both caches, or of a write.
    fn via_store(&mut self, mut flight: InFlight, out: &mut Vec<SystemEvent>, report: bool) {
        let shard_id = self.routes.get(flight.key as usize).copied().unwrap_or(0);
        flight.shard = Some(shard_id);
        let reaches = later(self.now, flight.hops.total());
        let service = self.config.store.service.0;
        let timeout = self.config.store.queue_timeout.0;
        let Some(shard) = self.shards.get_mut(shard_id as usize) else {
            return self.drop_request(flight.request, DropPoint::ShardQueue, out, report);
        };
        if shard.down {
            self.queue.schedule(reaches, Pending::Fail(flight));
            return;
        }
        let Some(time) = shard.book(reaches.0, service, timeout) else {
            return self.drop_request(flight.request, DropPoint::ShardQueue, out, report);
        };
        flight.hops.shard = time;
        let back = later(reaches, time);
        if flight.answer == Answer::Write {
            self.versions.write(flight.key, shard);
            return self.schedule_answer(flight);
        }
        let version = self.versions.get(flight.key);
        // The first read in flight is the one that fills the caches first.
        if self.read_in_flight(flight.key).is_none() {
            self.reads_in_flight.push((flight.key, back));
        }
        // The read returns when its request's answer is due (`back` is the end of its last hop).
        self.queue.schedule(back, Pending::Read { flight, version });
    }

    fn schedule_answer(&mut self, flight: InFlight) {
        let at = later(self.now, flight.hops.total());
        self.queue.schedule(at, Pending::Answer(flight));
    }

    fn drop_request(
        &mut self,
        request: u64,
        point: DropPoint,
        out: &mut Vec<SystemEvent>,
        report: bool,
    ) {
        self.stats.dropped += 1;
        if report {
            out.push(SystemEvent::Dropped {
                at: self.now,
                request,
                point,
            });
        }
    }

    /// The instance lets go of a request it held.
    fn release(&mut self, instance: u32) -> Option<usize> {
        let position = self.tier.position(instance)?;
        if let Some(inst) = self.tier.instances.get_mut(position) {
            inst.in_flight = inst.in_flight.saturating_sub(1);
        }
        Some(position)
    }

    pub(super) fn complete(&mut self, flight: InFlight, out: &mut Vec<SystemEvent>, report: bool) {
        if self.tier.was_killed(flight.instance) {
            return self.fail(flight.request, FailReason::InstanceKilled, out, report);
        }
        if let Some(position) = self.release(flight.instance) {
            self.strategy
                .record_response(position as u32, flight.hops.total());
        }
        self.stats
            .answer(flight.request, flight.key, flight.answer, flight.hops);
        if report {
            out.push(SystemEvent::Answered {
                at: self.now,
                request: flight.request,
                key: flight.key,
                instance: flight.instance,
                answer: flight.answer,
                shard: flight.shard,
                hops: flight.hops,
            });
        }
    }

    pub(super) fn fail_at_shard(
        &mut self,
        flight: InFlight,
        out: &mut Vec<SystemEvent>,
        report: bool,
    ) {
        let reason = if self.tier.was_killed(flight.instance) {
            FailReason::InstanceKilled
        } else {
            FailReason::ShardDown
        };
        if let Some(position) = self.release(flight.instance) {
            self.strategy.record_failure(position as u32);
        }
        self.fail(flight.request, reason, out, report);
    }

    fn fail(&mut self, request: u64, reason: FailReason, out: &mut Vec<SystemEvent>, report: bool) {
        self.stats.failed += 1;
        if report {
            out.push(SystemEvent::Failed {
                at: self.now,
                request,
                reason,
            });
        }
    }

    /// A store read returns: the shared cache (if up) and the reader's L1 take the value.
    pub(super) fn fill(
        &mut self,
        key: u64,
        instance: u32,
        version: u64,
        out: &mut Vec<SystemEvent>,
        report: bool,
    ) {
        let now = self.now;
        let ttl = Some(self.config.ttl);
        let value = Value::of(key, version);
        // The list's order means nothing (each key is in it once), so a swap removes.
        if let Some(i) = self
            .reads_in_flight
            .iter()
            .position(|&(k, at)| k == key && at == now)
        {
            self.reads_in_flight.swap_remove(i);
        }
        let l2 = !self.l2_down;
        if l2 {
            self.l2.set_with(key, &value, ttl, now, &mut Discard);
        }
        if let Some(position) = self.tier.position(instance) {
            if let Some(inst) = self.tier.instances.get_mut(position) {
                inst.l1.set_with(key, value, ttl, now, &mut Discard);
            }
        }
        if report {
            out.push(SystemEvent::Filled { at: now, key, l2 });
        }
    }
}
