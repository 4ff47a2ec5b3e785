//! The caching scene as a discrete-event model: requests flow through L1 → L2 → origin with
//! real latencies, so many are in flight at once and a cache stampede (N concurrent misses →
//! N origin loads) and its cure, request coalescing (→ 1 load), actually happen.
//!
//! A read checks L1 on arrival; on a miss the L2's answer arrives one round trip later; on a
//! second miss an origin load starts and answers after the origin's latency, filling both
//! levels (the tutorial's `Set`). Writes follow the chosen [`WritePolicy`]. Operations (warming,
//! policy and workload switches, an L2 flush, a write-behind crash, injected bursts) act at
//! `now`; their events are returned by the next `step`, which then processes nothing else.
//!
//! Switching the L1 policy *rebuilds* L1 under the new policy keeping the fresh entries that
//! fit (most valuable first by the old policy's order); its statistics restart, so the hit rate
//! shown afterwards is the new policy's own.

use super::events::LevelSink;
use super::readout::Readout;
use super::tiered::MultiLevelCache;
use super::warming::{warming_duration, Warming};
use super::{
    Cache, CacheStats, CachingConfig, CachingError, CachingEvent, EntryView, EvictionPolicy, Key,
    KeyGenerator, KeyWorkload, L1Policy, L2Stats, Level, LostWrite, Op, OriginStats, StampedeCost,
    Value, WarmingProgress, WritePolicy,
};
use crate::model::Model;
use crate::sim::{
    limits, ArrivalGenerator, EventQueue, LatencyHistogram, Percentiles, SimDuration, SimRng,
    SimTime,
};
use crate::table::Table;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// RNG streams, fixed so one part's draws never shift another's.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_KEYS: u64 = 2;
const STREAM_OPS: u64 = 3;
/// Key streams after a workload switch: `STREAM_SWITCHED_KEYS + n` for the n-th switch.
const STREAM_SWITCHED_KEYS: u64 = 1_000;
/// Most requests one injection may add.
const MAX_INJECTED: u64 = 10_000;

/// A scheduled happening. Variant order only breaks ties between equal `(time, seq)`, which
/// the queue's sequence numbers already make unique.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Pending {
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
}

/// What happens when a synchronous write reaches the origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum AfterWrite {
    /// Cache-aside: delete from both levels.
    Invalidate,
    /// Write-through: store the new value in both levels.
    Update,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct InFlight {
    key: Key,
    op: Op,
    started: SimTime,
    /// The version a write is writing.
    version: u64,
    after_write: AfterWrite,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Load {
    key: Key,
    value: Value,
    stale: bool,
    waiters: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct BufferedWrite {
    version: u64,
    since: SimTime,
}

/// Request-level counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCounts {
    /// Requests that arrived (generated or injected).
    pub arrived: u64,
    /// Requests answered.
    pub completed: u64,
    /// Reads that arrived.
    pub reads: u64,
    /// Writes that arrived.
    pub writes: u64,
    /// Requests L1 answered.
    pub served_by_l1: u64,
    /// Requests L2 answered (write-behind writes among them).
    pub served_by_l2: u64,
    /// Requests the origin answered.
    pub served_by_origin: u64,
    /// Misses that waited on a load already in flight.
    pub coalesced: u64,
    /// Requests arrived and not yet answered.
    pub in_flight: u64,
}

/// Write-behind counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteBehindCounts {
    /// Writes waiting in the buffer now.
    pub buffered: u64,
    /// Buffered writes that reached the origin.
    pub flushed: u64,
    /// Writes dropped by crashes.
    pub lost: u64,
}

/// Everything the scene's dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachingStats {
    /// L1's counters (restarted when its policy or size changes).
    pub l1: CacheStats,
    /// L2's counters and memory use.
    pub l2: L2Stats,
    /// The origin's counters.
    pub origin: OriginStats,
    /// Request counters.
    pub requests: RequestCounts,
    /// Write-behind counters.
    pub write_behind: WriteBehindCounts,
    /// Read latency percentiles, in µs.
    pub read_latency: Percentiles,
    /// Mean read latency, in µs.
    pub mean_read_latency_us: f64,
}

/// What a warm-up will do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarmingPlan {
    /// Keys to load: those asked for, less duplicates and keys already cached.
    pub to_load: u64,
    /// Keys skipped.
    pub skipped: u64,
    /// ⌈to_load / concurrency⌉ × fetch latency.
    pub expected_duration: SimDuration,
}

/// What a policy switch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySwitch {
    /// The policy before.
    pub from: EvictionPolicy,
    /// The policy now.
    pub to: EvictionPolicy,
    /// Entries carried over.
    pub kept: u64,
    /// Entries dropped.
    pub dropped: u64,
}

/// What a write-behind crash lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrashReport {
    /// Keys whose latest write never reached the origin, ascending.
    pub lost_keys: Vec<Key>,
}

/// The caching scene as a discrete-event model: requests through L1 → L2 → origin under a workload and a write policy, the operations a user applies mid-run, and the readouts the page shows (see the module documentation).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachingModel {
    config: CachingConfig,
    now: SimTime,
    queue: EventQueue<Pending>,
    cache: MultiLevelCache,
    keys: KeyGenerator,
    arrivals: Option<ArrivalGenerator>,
    arrival_rng: SimRng,
    op_rng: SimRng,
    /// Request id → the request.
    requests: Table<u64, InFlight>,
    /// Load id → the origin load.
    loads: Table<u64, Load>,
    /// Key → the load a coalescing miss may join.
    loading: Table<Key, u64>,
    /// Key → its buffered write.
    write_buffer: Table<Key, BufferedWrite>,
    /// Highest version ever written per key (buffered or not), so versions only grow.
    latest_version: Table<Key, u64>,
    warming: Option<Warming>,
    /// Events of operations, returned by the next step.
    outbox: Vec<CachingEvent>,
    next_request: u64,
    next_load: u64,
    workload_switches: u64,
    counts: RequestCounts,
    write_behind: WriteBehindCounts,
    read_latency: LatencyHistogram,
    /// The page's figures, recorded from every step's events.
    readout: Readout,
}

impl CachingModel {
    /// A model at time 0 with nothing cached; refuses a config out of range.
    pub fn new(config: CachingConfig) -> Result<Self, CachingError> {
        config.validate()?;
        let keys = KeyGenerator::new(
            config.workload.clone(),
            SimRng::derive(config.seed, STREAM_KEYS),
        )?;
        let arrivals = match &config.arrivals {
            Some(p) => Some(ArrivalGenerator::new(p.clone())?),
            None => None,
        };
        let mut sim = CachingModel {
            cache: MultiLevelCache::new(&config)?,
            keys,
            arrivals,
            arrival_rng: SimRng::derive(config.seed, STREAM_ARRIVALS),
            op_rng: SimRng::derive(config.seed, STREAM_OPS),
            config,
            now: SimTime::ZERO,
            queue: EventQueue::new(),
            requests: Table::new(),
            loads: Table::new(),
            loading: Table::new(),
            write_buffer: Table::new(),
            latest_version: Table::new(),
            warming: None,
            outbox: Vec::new(),
            next_request: 0,
            next_load: 0,
            workload_switches: 0,
            counts: RequestCounts::default(),
            write_behind: WriteBehindCounts::default(),
            read_latency: LatencyHistogram::new(),
            readout: Readout::default(),
        };
        sim.schedule_next_arrival();
        Ok(sim)
    }

    /// The config, as the operations have changed it since (policy, capacity, workload, write policy, coalescing).
    pub fn config(&self) -> &CachingConfig {
        &self.config
    }

    /// The three cache levels.
    pub fn cache(&self) -> &MultiLevelCache {
        &self.cache
    }

    /// L1 entries in keep order, for drawing.
    pub fn l1_entries(&self) -> Vec<EntryView> {
        self.cache.l1().entries()
    }

    /// L2 keys in storage order with their idle clocks, for drawing.
    pub fn l2_keys(&self) -> Vec<(Key, u64)> {
        self.cache.l2().keys()
    }

    /// Keys with writes waiting in the write-behind buffer.
    pub fn buffered_keys(&self) -> Vec<Key> {
        self.write_buffer.keys().copied().collect()
    }

    /// Whether a warm-up is running.
    pub fn is_warming(&self) -> bool {
        self.warming.is_some()
    }

    /// When the next scheduled event happens (`None` when nothing is scheduled). Operation
    /// events waiting in the outbox are returned by the next step at `now`.
    pub fn next_event_time(&self) -> Option<SimTime> {
        if self.outbox.is_empty() {
            self.queue.peek_time()
        } else {
            Some(self.now)
        }
    }

    /// Events scheduled but not yet processed (requests in flight, flushes, fetches).
    pub fn pending(&self) -> usize {
        self.queue.len() + usize::from(!self.outbox.is_empty())
    }

    /// Counters, latencies and memory use so far.
    pub fn stats(&self) -> CachingStats {
        let mut requests = self.counts;
        requests.in_flight = self.requests.len() as u64;
        let mut write_behind = self.write_behind;
        write_behind.buffered = self.write_buffer.len() as u64;
        CachingStats {
            l1: self.cache.l1_stats(),
            l2: self.cache.l2_stats(),
            origin: self.cache.origin_stats(),
            requests,
            write_behind,
            read_latency: self.read_latency.percentiles(),
            mean_read_latency_us: self.read_latency.mean(),
        }
    }

    /// Misses that waited on a load already in flight, so far ([`CachingStats`]' `requests`
    /// without building the rest).
    pub(super) fn coalesced_waits(&self) -> u64 {
        self.counts.coalesced
    }

    // ----- readouts ---------------------------------------------------------------------

    /// L1's hit rate over its last [`HIT_WINDOW`](super::HIT_WINDOW) lookups; `None` before
    /// the first.
    pub fn recent_l1_hit_rate(&self) -> Option<f64> {
        self.readout.l1.rate()
    }

    /// L2's hit rate over its last [`HIT_WINDOW`](super::HIT_WINDOW) lookups; `None` before
    /// the first.
    pub fn recent_l2_hit_rate(&self) -> Option<f64> {
        self.readout.l2.rate()
    }

    /// The share of the last [`HIT_WINDOW`](super::HIT_WINDOW) reads answered by a cache (L1
    /// or L2) rather than the origin; `None` before the first read completes.
    pub fn recent_hit_rate(&self) -> Option<f64> {
        self.readout.overall.rate()
    }

    /// The last warm-up's progress; `None` before the first.
    pub fn last_warming(&self) -> Option<&WarmingProgress> {
        self.readout.warming.as_ref()
    }

    /// What the last [`CachingModel::stampede`] cost; `None` before the first.
    pub fn last_stampede(&self) -> Option<&StampedeCost> {
        self.readout.stampede.as_ref()
    }

    /// The writes the last write-behind crash lost, in the order it reported them (ascending
    /// keys). They arrive with the step after the crash.
    pub fn lost_writes(&self) -> &[LostWrite] {
        &self.readout.lost
    }

    /// Write-behind crashes so far.
    pub fn crashes(&self) -> u32 {
        self.readout.crashes
    }

    /// Whether a write-behind crash would be accepted: the write policy is write-behind, or
    /// writes it buffered are still waiting.
    pub fn can_crash(&self) -> bool {
        matches!(self.config.write_policy, WritePolicy::WriteBehind { .. })
            || !self.write_buffer.is_empty()
    }

    /// A key for a stampede that is certainly cold: the highest key of the key space that
    /// neither level holds (under Zipf, the least popular), looking at most 500 keys down,
    /// else the first key past the key space.
    pub fn cold_key(&self) -> Key {
        let keys = self.config.workload.keys();
        (keys.saturating_sub(500)..keys)
            .rev()
            .find(|k| !self.cache.is_cached(*k, self.now))
            .unwrap_or(keys)
    }

    // ----- operations -------------------------------------------------------------------

    /// A stampede: `reads` concurrent reads of `key` arriving now, whose cost at the origin
    /// [`CachingModel::last_stampede`] then follows (the previous stampede's is forgotten).
    pub fn stampede(&mut self, key: Key, reads: u64) -> Result<Vec<u64>, CachingError> {
        let ids = self.inject(key, Op::Read, reads)?;
        self.readout.stampede = Some(StampedeCost {
            key,
            reads,
            coalescing: self.config.coalescing,
            ..StampedeCost::default()
        });
        Ok(ids)
    }

    /// Adds `count` requests for `key` arriving now — e.g. 50 concurrent reads of one cold key
    /// to show a stampede. Returns their request ids.
    pub fn inject(&mut self, key: Key, op: Op, count: u64) -> Result<Vec<u64>, CachingError> {
        super::error::check_between("injected requests", count, 1, MAX_INJECTED)?;
        let mut ids = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let request = self.next_request_id();
            self.queue
                .schedule(self.now, Pending::Injected { request, key, op });
            ids.push(request);
        }
        Ok(ids)
    }

    /// Warms `keys` (duplicates and keys already cached at either level are skipped), at
    /// most `warming.concurrency` fetches at a time.
    pub fn warm(&mut self, keys: &[Key]) -> Result<WarmingPlan, CachingError> {
        if self.warming.is_some() {
            return Err(CachingError::WarmingInProgress);
        }
        super::error::check_between("keys to warm", keys.len() as u64, 1, limits::MAX_KEYS)?;
        let mut seen = Table::new();
        let mut waiting = VecDeque::new();
        let mut skipped = 0;
        for &key in keys {
            if seen.insert(key, ()).is_some() || self.cache.is_cached(key, self.now) {
                skipped += 1;
            } else {
                waiting.push_back(key);
            }
        }
        let cfg = self.config.warming.clone();
        let plan = WarmingPlan {
            to_load: waiting.len() as u64,
            skipped,
            expected_duration: warming_duration(
                waiting.len() as u64,
                cfg.concurrency,
                cfg.fetch_latency,
            ),
        };
        self.outbox.push(CachingEvent::WarmingStarted {
            keys: keys.len() as u64,
            skipped,
            concurrency: cfg.concurrency,
        });
        let mut warming = Warming {
            waiting,
            in_flight: 0,
            started_at: self.now,
            loaded: 0,
            skipped,
        };
        while warming.in_flight < cfg.concurrency {
            let Some(key) = warming.waiting.pop_front() else {
                break;
            };
            self.start_warm_fetch(key, &mut warming);
        }
        if warming.in_flight == 0 {
            self.outbox.push(CachingEvent::WarmingFinished {
                loaded: 0,
                skipped,
                elapsed: SimDuration::ZERO,
            });
        } else {
            self.warming = Some(warming);
        }
        Ok(plan)
    }

    /// Warms `count` consecutive keys from `first` (for Zipf, key 0 is the most popular).
    pub fn warm_range(&mut self, first: Key, count: u64) -> Result<WarmingPlan, CachingError> {
        super::error::check_between("keys to warm", count, 1, limits::MAX_KEYS)?;
        let keys: Vec<Key> = (0..count).map(|i| first.saturating_add(i)).collect();
        self.warm(&keys)
    }

    /// Rebuilds L1 under `policy`, keeping the fresh entries that fit.
    pub fn switch_policy(&mut self, policy: EvictionPolicy) -> Result<PolicySwitch, CachingError> {
        let capacity = self.config.l1.capacity;
        self.rebuild_l1(policy, capacity)
    }

    /// Rebuilds L1 with a new capacity (same policy), keeping the most valuable entries.
    pub fn resize_l1(&mut self, capacity: u64) -> Result<PolicySwitch, CachingError> {
        super::check_capacity("L1 capacity", capacity)?;
        let policy = self.config.l1.policy;
        self.rebuild_l1(policy, capacity)
    }

    fn rebuild_l1(
        &mut self,
        policy: EvictionPolicy,
        capacity: u64,
    ) -> Result<PolicySwitch, CachingError> {
        let before = self.cache.l1().len();
        let from = self.cache.l1().policy();
        let (l1, kept) = self.cache.l1().rebuilt(policy, capacity, self.now)?;
        self.cache.replace_l1(l1);
        self.config.l1.policy = policy;
        self.config.l1.capacity = capacity;
        let switch = PolicySwitch {
            from,
            to: policy,
            kept,
            dropped: before.saturating_sub(kept),
        };
        self.outbox.push(CachingEvent::PolicySwitched {
            from,
            to: policy,
            kept,
            dropped: switch.dropped,
        });
        Ok(switch)
    }

    /// Replaces the key workload from now on (with a fresh, seed-derived random stream).
    pub fn switch_workload(&mut self, workload: KeyWorkload) -> Result<(), CachingError> {
        let stream = STREAM_SWITCHED_KEYS + self.workload_switches;
        let keys = KeyGenerator::new(workload.clone(), SimRng::derive(self.config.seed, stream))?;
        self.keys = keys;
        self.workload_switches += 1;
        self.config.workload = workload.clone();
        self.outbox
            .push(CachingEvent::WorkloadSwitched { workload });
        Ok(())
    }

    /// Changes how later writes are handled (buffered write-behind writes still flush).
    pub fn set_write_policy(&mut self, policy: WritePolicy) -> Result<(), CachingError> {
        policy.validate()?;
        self.config.write_policy = policy;
        self.outbox
            .push(CachingEvent::WritePolicyChanged { policy });
        Ok(())
    }

    /// Sets the share of requests that are reads, in [0, 1].
    pub fn set_read_ratio(&mut self, read_ratio: f64) -> Result<(), CachingError> {
        self.config.read_ratio = super::error::check_ratio("read ratio", read_ratio)?;
        Ok(())
    }

    /// Turns request coalescing on or off for later misses.
    pub fn set_coalescing(&mut self, enabled: bool) {
        self.config.coalescing = enabled;
        self.outbox
            .push(CachingEvent::CoalescingChanged { enabled });
    }

    /// FLUSHALL on the L2. Returns how many entries it removed.
    pub fn flush_l2(&mut self) -> u64 {
        let mut sink = LevelSink {
            out: &mut self.outbox,
            level: Level::L2,
            request: None,
        };
        self.cache.l2.flush_with(&mut sink)
    }

    /// Clears both cache levels (the tutorial's `Clear`).
    pub fn clear_caches(&mut self) {
        self.cache.clear(&mut self.outbox);
    }

    /// The process holding the write-behind buffer crashes: every write not yet flushed is
    /// lost. Those keys are also invalidated in both cache levels (the crashed process's
    /// memory is gone, and serving a value the database never got would hide the loss), so
    /// later reads show what the origin really has.
    pub fn crash_write_behind(&mut self) -> Result<CrashReport, CachingError> {
        if !self.can_crash() {
            return Err(CachingError::NotWriteBehind);
        }
        // The losses arrive as events at the next step; the last crash's are forgotten now.
        self.readout.lost.clear();
        self.readout.crashes = self.readout.crashes.saturating_add(1);
        let lost = self.write_buffer.drain();
        let mut lost_keys = Vec::with_capacity(lost.len());
        for (key, write) in lost {
            self.outbox.push(CachingEvent::DataLost {
                key,
                version: write.version,
                origin_version: self.cache.origin().version(key),
            });
            self.cache.delete(key, &mut self.outbox);
            lost_keys.push(key);
        }
        self.write_behind.lost += lost_keys.len() as u64;
        self.queue
            .retain(|p| !matches!(p, Pending::WriteBehindFlush { .. }));
        Ok(CrashReport { lost_keys })
    }

    // ----- the event loop ---------------------------------------------------------------

    fn next_request_id(&mut self) -> u64 {
        self.next_request += 1;
        self.next_request
    }

    fn schedule_next_arrival(&mut self) {
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

    fn start_request(&mut self, request: u64, key: Key, op: Op, out: &mut Vec<CachingEvent>) {
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

    fn start_read(&mut self, request: u64, key: Key, out: &mut Vec<CachingEvent>) {
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
        if let Some(value) = self.cache.read_l1(key, now, Some(request), out) {
            let latency = self.cache.l1_latency();
            self.complete(request, Level::L1, value.version, latency, out);
            return;
        }
        let rtt = self.cache.l2().round_trip();
        let at = now.after(self.cache.l1_latency()).after(rtt);
        self.queue.schedule(at, Pending::L2Reply { request });
    }

    fn on_l2_reply(&mut self, request: u64, out: &mut Vec<CachingEvent>) {
        let Some(key) = self.requests.get(&request).map(|r| r.key) else {
            return;
        };
        if let Some(value) = self.cache.read_l2(key, self.now, Some(request), out) {
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

    fn start_load(&mut self, key: Key, request: u64, out: &mut Vec<CachingEvent>) {
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

    fn on_origin_reply(&mut self, load: u64, out: &mut Vec<CachingEvent>) {
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
        self.cache.set(l.key, l.value, self.now, out);
        for request in l.waiters {
            let latency = self.latency_of(request);
            self.complete(request, Level::Origin, l.value.version, latency, out);
        }
    }

    fn start_write(&mut self, request: u64, key: Key, out: &mut Vec<CachingEvent>) {
        let now = self.now;
        let origin_version = self.cache.origin().version(key);
        let latest = self.latest_version.get(&key).copied().unwrap_or(0);
        let version = latest.max(origin_version).saturating_add(1);
        self.latest_version.insert(key, version);
        let after_write = match self.config.write_policy {
            WritePolicy::CacheAside => AfterWrite::Invalidate,
            WritePolicy::WriteThrough => AfterWrite::Update,
            WritePolicy::WriteBehind { delay } => {
                self.cache.set(key, Value::of(key, version), now, out);
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

    fn on_origin_write_done(&mut self, request: u64, out: &mut Vec<CachingEvent>) {
        let Some(r) = self.requests.get(&request).cloned() else {
            return;
        };
        let value = self.cache.origin.write(r.key, r.version);
        out.push(CachingEvent::OriginWritten {
            key: r.key,
            version: r.version,
        });
        match r.after_write {
            AfterWrite::Invalidate => self.cache.delete(r.key, out),
            AfterWrite::Update => self.cache.set(r.key, value, self.now, out),
        }
        let latency = self.latency_of(request);
        self.complete(request, Level::Origin, r.version, latency, out);
    }

    fn on_write_behind_flush(&mut self, key: Key, out: &mut Vec<CachingEvent>) {
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

    fn start_warm_fetch(&mut self, key: Key, warming: &mut Warming) {
        warming.in_flight += 1;
        self.outbox.push(CachingEvent::WarmFetchStarted { key });
        let at = self.now.after(self.config.warming.fetch_latency);
        self.queue.schedule(at, Pending::WarmFetchDone { key });
    }

    fn on_warm_fetch_done(&mut self, key: Key, out: &mut Vec<CachingEvent>) {
        let Some(mut warming) = self.warming.take() else {
            return;
        };
        let value = self.cache.origin.warm_load(key);
        self.cache.set(key, value, self.now, out);
        out.push(CachingEvent::WarmFetchFinished { key });
        warming.in_flight = warming.in_flight.saturating_sub(1);
        warming.loaded += 1;
        if let Some(next) = warming.waiting.pop_front() {
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

    fn latency_of(&self, request: u64) -> SimDuration {
        self.requests
            .get(&request)
            .map_or(SimDuration::ZERO, |r| self.now.since(r.started))
    }

    fn complete(
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
        if r.op == Op::Read {
            self.read_latency.record(latency.as_micros());
        }
        out.push(CachingEvent::RequestCompleted {
            request,
            key: r.key,
            op: r.op,
            served_by,
            latency,
            version,
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
        self.advance(out);
        let now = self.now;
        for e in out.iter().skip(from) {
            self.readout.record(e, now);
        }
    }
}

impl CachingModel {
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
        }
    }
}
