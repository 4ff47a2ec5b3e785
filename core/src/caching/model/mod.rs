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

mod reports;
mod requests;
mod why;

pub use reports::{
    CachingStats, CrashReport, PolicySwitch, RequestCounts, WarmingPlan, WriteBehindCounts,
};
use requests::{BufferedWrite, InFlight, Load, Pending};

use super::config::entry_bytes;
use super::events::LevelSink;
use super::readout::Readout;
use super::tiered::MultiLevelCache;
use super::warming::{warming_duration, Warming};
use super::{
    Cache, CachingConfig, CachingError, CachingEvent, EntryView, EvictionPolicy, Key, KeyGenerator,
    KeyWorkload, L1Policy, Level, LostWrite, Op, ReadPath, StampedeCost, WarmingProgress,
    WritePolicy, SHORTEST_VALUE_JSON_BYTES,
};
use crate::sim::{
    limits, ArrivalGenerator, EventQueue, LatencyHistogram, SimDuration, SimRng, SimTime,
};
use crate::table::Table;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// RNG streams, fixed so one part's draws never shift another's.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_KEYS: u64 = 2;
const STREAM_OPS: u64 = 3;
/// Key streams after a workload switch: `STREAM_SWITCHED_KEYS + n` for the n-th switch.
const STREAM_SWITCHED_KEYS: u64 = 1_000;
/// Most requests one injection may add.
const MAX_INJECTED: u64 = 10_000;

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
    /// Reads each app node answered with an older version than the origin held.
    #[serde(default)]
    stale_reads: Vec<u64>,
    /// Invalidations published under broadcast invalidation.
    #[serde(default)]
    invalidations_sent: u64,
    /// The last read's path, recorded by steps that report events.
    #[serde(skip)]
    last_read: Option<ReadPath>,
}

impl CachingModel {
    /// A model at time 0 with nothing cached; refuses a config out of range.
    pub fn new(config: CachingConfig) -> Result<Self, CachingError> {
        config.validate()?;
        let keys = KeyGenerator::new(config.workload, SimRng::derive(config.seed, STREAM_KEYS))?;
        let arrivals = match &config.arrivals {
            Some(p) => Some(ArrivalGenerator::new(p.clone())?),
            None => None,
        };
        let nodes = usize::from(config.app_nodes);
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
            stale_reads: vec![0; nodes],
            invalidations_sent: 0,
            last_read: None,
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

    /// App node `node`'s L1 entries in keep order (0 = app-1: [`CachingModel::l1_entries`]).
    pub fn l1_entries_on(&self, node: u8) -> Vec<EntryView> {
        self.cache.l1_on(node).entries()
    }

    /// L2 keys in storage order with their idle clocks, for drawing.
    pub fn l2_keys(&self) -> Vec<(Key, u64)> {
        self.cache.l2().keys()
    }

    /// The most keys the L2 holds within its memory limit, every value as short as a value
    /// can be (`None` without a limit): a drawing keeps room for this many from the start, so
    /// it does not grow as a run fills the L2.
    pub fn l2_most_keys(&self) -> Option<u64> {
        let smallest = entry_bytes(SHORTEST_VALUE_JSON_BYTES);
        self.config().l2.memory_limit.map(|limit| limit / smallest)
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

    /// Moves the clock on to `t` when nothing is scheduled before it (else leaves it): a race
    /// brings each lane to its lead's time before an operation, so the operation acts at the
    /// same moment in every lane.
    pub(crate) fn wait_until(&mut self, t: SimTime) {
        if self.next_event_time().is_none_or(|next| next >= t) {
            self.now = self.now.max(t);
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

    /// The app node that handles request `request`: round robin by request id (request 1
    /// to app-1, 2 to app-2, …), so the spread is the same on every run. 0 = app-1.
    pub fn node_of(&self, request: u64) -> u8 {
        (request.saturating_sub(1) % u64::from(self.config.app_nodes.max(1))) as u8
    }

    /// Reads each app node answered with an older version than the origin held at that
    /// moment (index 0 = app-1).
    pub fn stale_reads_by_node(&self) -> &[u64] {
        &self.stale_reads
    }

    /// Invalidations published so far (broadcast invalidation with two nodes or more).
    pub fn invalidations_sent(&self) -> u64 {
        self.invalidations_sent
    }

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
        // The keys seen so far, in the map type the side tables already link (a set of its
        // own would add its code to the page).
        let mut seen = BTreeMap::new();
        let mut waiting = Vec::new();
        let mut skipped = 0;
        for &key in keys {
            if seen.insert(key, 0_u32).is_some() || self.cache.is_cached(key, self.now) {
                skipped += 1;
            } else {
                waiting.push(key);
            }
        }
        waiting.reverse();
        let cfg = self.config.warming;
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
            let Some(key) = warming.waiting.pop() else {
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
        // The other nodes restart their L1 empty under the new policy: the page details
        // app-1's, whose fresh entries carry over.
        let mut peers = Vec::with_capacity(self.cache.peers.len());
        for _ in &self.cache.peers {
            peers.push(super::L1Cache::new(policy, capacity)?);
        }
        self.cache.replace_l1(l1);
        self.cache.replace_peers(peers);
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
        let keys = KeyGenerator::new(workload, SimRng::derive(self.config.seed, stream))?;
        self.keys = keys;
        self.workload_switches += 1;
        self.config.workload = workload;
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
            node: 0,
            why: None,
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
}
