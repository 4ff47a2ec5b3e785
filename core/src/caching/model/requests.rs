//! The event loop: what each scheduled happening does to a request on its way through
//! L1 → L2 → origin, and the writes, warm-up fetches and write-behind flushes beside it.

use super::CachingModel;
use crate::caching::warming::Warming;
use crate::caching::{CachingEvent, Invalidation, Key, Level, Op, Value, WritePolicy};
use crate::model::Model;
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// A scheduled happening. Variant order only breaks ties between equal `(time, seq)`, which
/// the queue's sequence numbers already make unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) enum Pending {
    Arrival,
    /// Thinning stalled at a near-zero rate: draw the next arrival again from here.
    ResumeArrivals,
    Injected {
        request: u64,
        key: Key,
        op: Op,
    },
    L2Reply {
        request: u64,
    },
    OriginReply {
        load: u64,
    },
    OriginWriteDone {
        request: u64,
    },
    WriteBehindFlush {
        key: Key,
    },
    WarmFetchDone {
        key: Key,
    },
    /// A write's invalidation reaches the nodes other than the writer.
    Invalidation {
        key: Key,
        from: u8,
    },
}

/// What happens when a synchronous write reaches the origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum AfterWrite {
    /// Cache-aside: delete from both levels.
    Invalidate,
    /// Write-through: store the new value in both levels.
    Update,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(super) struct InFlight {
    pub(super) key: Key,
    pub(super) op: Op,
    pub(super) started: SimTime,
    /// The version a write is writing.
    pub(super) version: u64,
    pub(super) after_write: AfterWrite,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Load {
    pub(super) key: Key,
    pub(super) value: Value,
    pub(super) stale: bool,
    pub(super) waiters: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct BufferedWrite {
    pub(super) version: u64,
    pub(super) since: SimTime,
}

impl CachingModel {
    pub(super) fn next_request_id(&mut self) -> u64 {
        self.next_request += 1;
        self.next_request
    }

    pub(super) fn schedule_next_arrival(&mut self) {
        let Some(gen) = self.arrivals.as_mut() else {
            return;
        };
        match gen.next_arrival(&mut self.arrival_rng) {
            Some(at) => self.queue.schedule(at.max(self.now), Pending::Arrival),
            None => {
                let at = gen.cursor().max(self.now);
                self.queue.schedule(at, Pending::ResumeArrivals);
            }
        }
    }

    pub(super) fn start_request(
        &mut self,
        request: u64,
        key: Key,
        op: Op,
        out: &mut Vec<CachingEvent>,
    ) {
        self.counts.arrived += 1;
        out.push(CachingEvent::RequestArrived { request, key, op });
        match op {
            Op::Read => {
                self.counts.reads += 1;
                self.start_read(request, key, out)
            }
            Op::Write => {
                self.counts.writes += 1;
                self.start_write(request, key, out)
            }
        }
    }

    pub(super) fn start_read(&mut self, request: u64, key: Key, out: &mut Vec<CachingEvent>) {
        let now = self.now;
        self.requests.insert(
            request,
            InFlight {
                key,
                op: Op::Read,
                started: now,
                version: 0,
                after_write: AfterWrite::Invalidate,
            },
        );
        let node = self.node_of(request);
        if let Some(value) = self.cache.read_l1_on(node, key, now, Some(request), out) {
            let latency = self.cache.l1_latency();
            self.complete(request, Level::L1, value.version, latency, out);
            return;
        }
        let rtt = self.cache.l2().round_trip();
        let at = now.after(self.cache.l1_latency()).after(rtt);
        self.queue.schedule(at, Pending::L2Reply { request });
    }

    pub(super) fn on_l2_reply(&mut self, request: u64, out: &mut Vec<CachingEvent>) {
        let Some(key) = self.requests.get(&request).map(|r| r.key) else {
            return;
        };
        let node = self.node_of(request);
        if let Some(value) = self
            .cache
            .read_l2_on(node, key, self.now, Some(request), out)
        {
            let latency = self.latency_of(request);
            self.complete(request, Level::L2, value.version, latency, out);
            return;
        }
        if self.config.coalescing {
            if let Some(&load) = self.loading.get(&key) {
                if let Some(l) = self.loads.get_mut(&load) {
                    l.waiters.push(request);
                    self.counts.coalesced += 1;
                    out.push(CachingEvent::CoalescedWait { request, key, load });
                    return;
                }
            }
        }
        self.start_load(key, request, out);
    }

    pub(super) fn start_load(&mut self, key: Key, request: u64, out: &mut Vec<CachingEvent>) {
        self.next_load += 1;
        let load = self.next_load;
        let value = self.cache.origin.load(key);
        let stale = self
            .write_buffer
            .get(&key)
            .is_some_and(|w| w.version > value.version);
        if stale {
            self.cache.origin.count_stale_read();
        }
        self.loads.insert(
            load,
            Load {
                key,
                value,
                stale,
                waiters: vec![request],
            },
        );
        self.loading.insert(key, load);
        out.push(CachingEvent::OriginLoadStarted {
            load,
            key,
            request: Some(request),
        });
        let at = self.now.after(self.cache.origin().latency());
        self.queue.schedule(at, Pending::OriginReply { load });
    }

    pub(super) fn on_origin_reply(&mut self, load: u64, out: &mut Vec<CachingEvent>) {
        let Some(l) = self.loads.remove(&load) else {
            return;
        };
        if self.loading.get(&l.key) == Some(&load) {
            self.loading.remove(&l.key);
        }
        out.push(CachingEvent::OriginLoadFinished {
            load,
            key: l.key,
            version: l.value.version,
            waiters: l.waiters.len() as u32,
            stale: l.stale,
        });
        // The node whose miss started the load fills its own L1 (and the shared L2).
        let node = l.waiters.first().map_or(0, |r| self.node_of(*r));
        let ttl = Some(self.cache.set_ttl());
        self.cache.set_on(node, l.key, l.value, ttl, self.now, out);
        for request in l.waiters {
            let latency = self.latency_of(request);
            self.complete(request, Level::Origin, l.value.version, latency, out);
        }
    }

    pub(super) fn start_write(&mut self, request: u64, key: Key, out: &mut Vec<CachingEvent>) {
        let now = self.now;
        let origin_version = self.cache.origin().version(key);
        let latest = self.latest_version.get(&key).copied().unwrap_or(0);
        let version = latest.max(origin_version).saturating_add(1);
        self.latest_version.insert(key, version);
        let after_write = match self.config.write_policy {
            WritePolicy::CacheAside => AfterWrite::Invalidate,
            WritePolicy::WriteThrough => AfterWrite::Update,
            WritePolicy::WriteBehind { delay } => {
                let node = self.node_of(request);
                let ttl = Some(self.cache.set_ttl());
                self.cache
                    .set_on(node, key, Value::of(key, version), ttl, now, out);
                self.publish(node, key, version, out);
                let flush_at = match self.write_buffer.get_mut(&key) {
                    // Already buffered: the pending flush will carry the newer version.
                    Some(w) => {
                        w.version = version;
                        w.since.after(delay)
                    }
                    None => {
                        self.write_buffer.insert(
                            key,
                            BufferedWrite {
                                version,
                                since: now,
                            },
                        );
                        self.queue
                            .schedule(now.after(delay), Pending::WriteBehindFlush { key });
                        now.after(delay)
                    }
                };
                out.push(CachingEvent::WriteBuffered {
                    request,
                    key,
                    version,
                    flush_at,
                });
                self.requests.insert(
                    request,
                    InFlight {
                        key,
                        op: Op::Write,
                        started: now,
                        version,
                        after_write: AfterWrite::Update,
                    },
                );
                let latency = self
                    .cache
                    .l1_latency()
                    .as_micros()
                    .saturating_add(self.cache.l2().round_trip().as_micros());
                self.complete(request, Level::L2, version, SimDuration(latency), out);
                return;
            }
        };
        self.requests.insert(
            request,
            InFlight {
                key,
                op: Op::Write,
                started: now,
                version,
                after_write,
            },
        );
        out.push(CachingEvent::OriginWriteStarted {
            request,
            key,
            version,
        });
        let at = now.after(self.cache.origin().latency());
        self.queue
            .schedule(at, Pending::OriginWriteDone { request });
    }

    pub(super) fn on_origin_write_done(&mut self, request: u64, out: &mut Vec<CachingEvent>) {
        let Some(r) = self.requests.get(&request).cloned() else {
            return;
        };
        let value = self.cache.origin.write(r.key, r.version);
        out.push(CachingEvent::OriginWritten {
            key: r.key,
            version: r.version,
        });
        let node = self.node_of(request);
        match r.after_write {
            AfterWrite::Invalidate => self.cache.delete_on(node, r.key, out),
            AfterWrite::Update => {
                let ttl = Some(self.cache.set_ttl());
                self.cache.set_on(node, r.key, value, ttl, self.now, out);
            }
        }
        self.publish(node, r.key, r.version, out);
        let latency = self.latency_of(request);
        self.complete(request, Level::Origin, r.version, latency, out);
    }

    pub(super) fn on_write_behind_flush(&mut self, key: Key, out: &mut Vec<CachingEvent>) {
        let Some(w) = self.write_buffer.remove(&key) else {
            return;
        };
        self.cache.origin.write(key, w.version);
        self.write_behind.flushed += 1;
        out.push(CachingEvent::WriteBehindFlushed {
            key,
            version: w.version,
            waited: self.now.since(w.since),
        });
    }

    pub(super) fn start_warm_fetch(&mut self, key: Key, warming: &mut Warming) {
        warming.in_flight += 1;
        self.outbox.push(CachingEvent::WarmFetchStarted { key });
        let at = self.now.after(self.config.warming.fetch_latency);
        self.queue.schedule(at, Pending::WarmFetchDone { key });
    }

    pub(super) fn on_warm_fetch_done(&mut self, key: Key, out: &mut Vec<CachingEvent>) {
        let Some(mut warming) = self.warming.take() else {
            return;
        };
        let value = self.cache.origin.warm_load(key);
        let ttl = Some(self.config.warming.ttl);
        self.cache.set_with_ttl(key, value, ttl, self.now, out);
        out.push(CachingEvent::WarmFetchFinished { key });
        warming.in_flight = warming.in_flight.saturating_sub(1);
        warming.loaded += 1;
        if let Some(next) = warming.waiting.pop() {
            warming.in_flight += 1;
            out.push(CachingEvent::WarmFetchStarted { key: next });
            let at = self.now.after(self.config.warming.fetch_latency);
            self.queue
                .schedule(at, Pending::WarmFetchDone { key: next });
        }
        if warming.in_flight == 0 {
            out.push(CachingEvent::WarmingFinished {
                loaded: warming.loaded,
                skipped: warming.skipped,
                elapsed: self.now.since(warming.started_at),
            });
        } else {
            self.warming = Some(warming);
        }
    }

    /// Under broadcast invalidation, the writing node publishes the key; the other nodes
    /// get it one L2 round trip later (the pub/sub message goes through the L2).
    fn publish(&mut self, node: u8, key: Key, version: u64, out: &mut Vec<CachingEvent>) {
        if self.config.invalidation != Invalidation::Broadcast || self.config.app_nodes < 2 {
            return;
        }
        self.invalidations_sent += 1;
        out.push(CachingEvent::InvalidationSent { key, node, version });
        let at = self.now.after(self.cache.l2().round_trip());
        self.queue
            .schedule(at, Pending::Invalidation { key, from: node });
    }

    pub(super) fn on_invalidation(&mut self, key: Key, from: u8, out: &mut Vec<CachingEvent>) {
        for node in (0..self.config.app_nodes).filter(|n| *n != from) {
            let dropped = self.cache.drop_l1(node, key, out);
            out.push(CachingEvent::InvalidationDelivered { key, node, dropped });
        }
    }

    pub(super) fn latency_of(&self, request: u64) -> SimDuration {
        self.requests
            .get(&request)
            .map_or(SimDuration::ZERO, |r| self.now.since(r.started))
    }

    pub(super) fn complete(
        &mut self,
        request: u64,
        served_by: Level,
        version: u64,
        latency: SimDuration,
        out: &mut Vec<CachingEvent>,
    ) {
        let Some(r) = self.requests.remove(&request) else {
            return;
        };
        self.counts.completed += 1;
        match served_by {
            Level::L1 => self.counts.served_by_l1 += 1,
            Level::L2 => self.counts.served_by_l2 += 1,
            Level::Origin => self.counts.served_by_origin += 1,
        }
        let node = self.node_of(request);
        let mut stale = None;
        if r.op == Op::Read {
            self.read_latency.record(latency.as_micros());
            let origin = self.cache.origin().version(r.key);
            if version < origin {
                stale = Some(origin);
                if let Some(n) = self.stale_reads.get_mut(usize::from(node)) {
                    *n += 1;
                }
            }
        }
        out.push(CachingEvent::RequestCompleted {
            request,
            key: r.key,
            op: r.op,
            served_by,
            latency,
            version,
            node,
            stale,
        });
    }
}

impl Model for CachingModel {
    type Event = CachingEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    fn step_into(&mut self, out: &mut Vec<CachingEvent>) {
        let from = out.len();
        // Only a step that reports its events records why (the L1 policy's order when it
        // evicts, the read's path): fast-forward does none of that work.
        self.cache.why.on = true;
        self.step_events(out, from);
        self.cache.why.on = false;
        self.record_read(out.get(from..).unwrap_or_default());
    }

    fn step_quiet(&mut self, scratch: &mut Vec<CachingEvent>) {
        scratch.clear();
        self.step_events(scratch, 0);
        scratch.clear();
    }
}

impl CachingModel {
    /// One step, its events appended to `out` from index `from` and read into the readouts:
    /// what both the reporting and the quiet step do.
    fn step_events(&mut self, out: &mut Vec<CachingEvent>, from: usize) {
        self.advance(out);
        let now = self.now;
        for e in out.iter().skip(from) {
            self.readout.record(e, now);
        }
    }

    /// One discrete event: the operations' events if any wait, else the next scheduled
    /// happening.
    fn advance(&mut self, out: &mut Vec<CachingEvent>) {
        if !self.outbox.is_empty() {
            out.append(&mut self.outbox);
            return;
        }
        let Some((at, item)) = self.queue.pop() else {
            return;
        };
        self.now = self.now.max(at);
        match item {
            Pending::Arrival => {
                let key = self.keys.next_key();
                let op = if self.op_rng.chance(self.config.read_ratio) {
                    Op::Read
                } else {
                    Op::Write
                };
                let request = self.next_request_id();
                self.start_request(request, key, op, out);
                self.schedule_next_arrival();
            }
            Pending::ResumeArrivals => self.schedule_next_arrival(),
            Pending::Injected { request, key, op } => self.start_request(request, key, op, out),
            Pending::L2Reply { request } => self.on_l2_reply(request, out),
            Pending::OriginReply { load } => self.on_origin_reply(load, out),
            Pending::OriginWriteDone { request } => self.on_origin_write_done(request, out),
            Pending::WriteBehindFlush { key } => self.on_write_behind_flush(key, out),
            Pending::WarmFetchDone { key } => self.on_warm_fetch_done(key, out),
            Pending::Invalidation { key, from } => self.on_invalidation(key, from, out),
        }
    }
}
