//! The system model: one request path from clients through the balancer, the app tier with
//! its L1s, the shared L2 and the sharded store, stepped one discrete event at a time.
//!
//! A request's path is booked when it arrives: each queue it meets (its instance's CPU, its
//! shard) is a FIFO server whose `busy_until` gives the wait, so the request's time at every
//! hop is known at once, and its answer is scheduled for when it comes back. What happens
//! later in the run (a fill reaching the caches, a kill, an answer) is an item in the event
//! queue. The state a request meets (an instance's slow-down, a shard being down) is the
//! state when it arrives.

use super::config::SystemConfig;
use super::event::{AutoscaleWhy, SystemEvent};
use super::stats::SystemStats;
use super::store::{Shard, Versions};
use super::tier::{Fleet, Instance};
use super::{SystemAction, SystemError};
use crate::balancing::Strategy;
use crate::caching::{L1Cache, L2Store, Value};
use crate::scaling::ThresholdRule;
use crate::sharding::{key_name, Router};
use crate::sim::{EventQueue, Request, SimRng, SimTime, Workload, Zipf};
use crate::Model;
use serde::{Deserialize, Serialize};

/// RNG stream numbers beside the workload's (1 to 4), fixed so traces stay stable.
pub(super) const STREAM_KEYS: u64 = 11;
pub(super) const STREAM_PICKS: u64 = 12;
pub(super) const STREAM_L2: u64 = 13;

/// What the event queue holds: everything that happens after a request's arrival.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) enum Pending {
    /// A request comes back with its answer.
    Answer(super::path::InFlight),
    /// A request taken reaches a shard that was down when it arrived.
    Fail(super::path::InFlight),
    /// A store read returns: it fills the caches, then its request comes back with the
    /// answer. Both happen at the same instant and nothing can come between them (a fill
    /// and its answer were queued one after the other), so they are one step: one queue
    /// item per read instead of two.
    Read {
        flight: super::path::InFlight,
        version: u64,
    },
    /// A stampede's read arrives.
    Injected { key: u64 },
    /// The autoscaler reads CPU.
    Autoscale,
    /// A booting instance takes traffic.
    Ready { instance: u32 },
    /// A timed chaos switch wears off.
    ChaosEnd(SystemAction),
    /// A scheduled chaos switch is pulled.
    Scheduled(SystemAction),
}

/// The whole system. `Clone` and serde, so a host snapshots it to step back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SystemModel {
    pub(super) config: SystemConfig,
    pub(super) now: SimTime,
    pub(super) workload: Workload,
    /// The next client request, drawn ahead so its time orders against the queue.
    pub(super) next_arrival: Option<Request>,
    pub(super) key_rng: SimRng,
    pub(super) pick_rng: SimRng,
    pub(super) zipf: Zipf,
    /// Key → shard, computed once by the router (the store's shards never change).
    pub(super) routes: Vec<u32>,
    pub(super) strategy: Strategy,
    pub(super) tier: Fleet,
    pub(super) rule: ThresholdRule,
    pub(super) l2: L2Store<Value>,
    pub(super) l2_down: bool,
    pub(super) shards: Vec<Shard>,
    /// Every key's version in the store.
    pub(super) versions: Versions,
    /// Keys whose store read is in flight, with when the first one returns and fills the
    /// caches (what a coalesced miss waits for). A short list searched in place: a handful of
    /// reads are in flight at once (a stampede makes it tens), and a map allocated a node
    /// for every miss that found it empty.
    pub(super) reads_in_flight: Vec<(u64, SimTime)>,
    pub(super) queue: EventQueue<Pending>,
    /// The hot key and its share of traffic, while a hot-key switch is on.
    pub(super) hot: Option<(u64, f64)>,
    pub(super) coalescing: bool,
    pub(super) stats: SystemStats,
    pub(super) last_autoscale: Option<AutoscaleWhy>,
    /// Events of actions taken between steps, reported with the next step.
    pub(super) pending_report: Vec<SystemEvent>,
}

impl SystemModel {
    /// The model of `config`, once it validates.
    pub fn new(config: SystemConfig) -> Result<Self, SystemError> {
        config.validate()?;
        let seed = config.seed;
        let mut workload = Workload::new(config.workload.clone(), seed)?;
        let next_arrival = workload.next_request();
        let zipf = Zipf::new(config.keys.count, config.keys.exponent, config.keys.count)?;
        let router = Router::with_shards(config.store.router, config.store.shards)?;
        let routes = (0..config.keys.count)
            .map(|k| router.route(&key_name(k)).map_or(0, |s| s.0))
            .collect();
        let mut tier = Fleet::default();
        let strategy = Strategy::new(
            config.balancer.strategy,
            &config.balancer.options,
            &vec![1; config.app.initial as usize],
        );
        for _ in 0..config.app.initial {
            let instance = new_instance(&config, &mut tier, SimTime::ZERO)?;
            tier.instances.push(instance);
        }
        let l2 = L2Store::new(&config.l2, SimRng::derive(seed, STREAM_L2))?;
        let mut queue = EventQueue::new();
        queue.schedule(SimTime::ZERO.after(config.app.interval), Pending::Autoscale);
        for s in &config.schedule {
            queue.schedule(s.at, Pending::Scheduled(s.action.clone()));
        }
        Ok(SystemModel {
            now: SimTime::ZERO,
            workload,
            next_arrival,
            key_rng: SimRng::derive(seed, STREAM_KEYS),
            pick_rng: SimRng::derive(seed, STREAM_PICKS),
            zipf,
            routes,
            strategy,
            rule: ThresholdRule::new(config.app.initial),
            l2,
            l2_down: false,
            shards: (0..config.store.shards).map(|_| Shard::new()).collect(),
            versions: Versions::default(),
            reads_in_flight: Vec::new(),
            queue,
            hot: None,
            coalescing: config.coalescing,
            stats: SystemStats::new(config.recent),
            last_autoscale: None,
            pending_report: Vec::new(),
            tier,
            config,
        })
    }

    /// The config it was built from.
    pub fn config(&self) -> &SystemConfig {
        &self.config
    }

    /// The request ledger, hit counts and latency statistics.
    pub fn stats(&self) -> &SystemStats {
        &self.stats
    }

    /// App instances in server order (booting ones included).
    pub fn instances(&self) -> &[Instance] {
        &self.tier.instances
    }

    /// App instances, serving or booting.
    pub fn instance_count(&self) -> u32 {
        self.tier.instances.len() as u32
    }

    /// App instances serving now.
    pub fn ready_instances(&self) -> u32 {
        self.tier.ready_count(self.now)
    }

    /// The shards, by number.
    pub fn shards(&self) -> &[Shard] {
        &self.shards
    }

    /// How loaded shard `shard` was over the last reading window: the reads and writes it
    /// was asked for per second, as a share of what it can serve per second at its current
    /// speed (one per service time, times its slow-down). Above 1 while its queue grows.
    /// `None` for an unknown shard.
    pub fn shard_load(&self, shard: u32) -> Option<f64> {
        let s = self.shards.get(shard as usize)?;
        let service_s = self.config.store.service.0.max(1) as f64 * f64::from(s.slow.max(1)) / 1e6;
        Some(s.rate * service_s)
    }

    /// The shard `key` lives on.
    pub fn shard_of(&self, key: u64) -> Option<u32> {
        self.routes.get(key as usize).copied()
    }

    /// The version of `key` its shard holds, or `None` while that shard is down (or for a key
    /// outside the key space).
    pub fn read_from_store(&self, key: u64) -> Option<u64> {
        let shard = self.shards.get(self.shard_of(key)? as usize)?;
        (!shard.down).then(|| self.versions.get(key))
    }

    /// Whether the shared cache is down.
    pub fn l2_down(&self) -> bool {
        self.l2_down
    }

    /// Entries the shared cache holds.
    pub fn l2_entries(&self) -> u64 {
        crate::caching::Cache::len(&self.l2)
    }

    /// Whether concurrent misses on one key are coalesced.
    pub fn coalescing(&self) -> bool {
        self.coalescing
    }

    /// The hot key and its share of traffic, while a hot-key switch is on.
    pub fn hot_key(&self) -> Option<(u64, f64)> {
        self.hot
    }

    /// The autoscaler's last reading, with its inputs.
    pub fn last_autoscale(&self) -> Option<&AutoscaleWhy> {
        self.last_autoscale.as_ref()
    }

    /// Store reads in flight now (what a stampede piles up).
    pub fn store_reads_in_flight(&self) -> usize {
        self.reads_in_flight.len()
    }

    /// When the first store read in flight for `key` returns, if one is in flight.
    pub(super) fn read_in_flight(&self, key: u64) -> Option<SimTime> {
        self.reads_in_flight
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, at)| at)
    }

    pub(super) fn check_instance(&self, id: u32) -> Result<(), SystemError> {
        match self.tier.position(id) {
            Some(_) => Ok(()),
            None => Err(SystemError::UnknownInstance {
                instance: id,
                known: self.tier.ids_text(),
            }),
        }
    }

    pub(super) fn check_shard(&self, shard: u32) -> Result<(), SystemError> {
        if (shard as usize) < self.shards.len() {
            Ok(())
        } else {
            Err(SystemError::UnknownShard {
                shard,
                last: self.shards.len() as u32 - 1,
            })
        }
    }

    pub(super) fn check_key(&self, key: u64) -> Result<(), SystemError> {
        if key < self.config.keys.count {
            Ok(())
        } else {
            Err(SystemError::UnknownKey {
                key,
                last: self.config.keys.count - 1,
            })
        }
    }

    /// Advances by one event: the next client arrival or the next queued item, whichever
    /// comes first (queued items first on a tie). Events go to `out` only when `report`.
    fn advance(&mut self, out: &mut Vec<SystemEvent>, report: bool) {
        if report {
            out.append(&mut self.pending_report);
        } else {
            self.pending_report.clear();
        }
        let arrival = self.next_arrival.map(|r| r.arrived);
        let queued = self.queue.peek_time();
        let take_queue = match (queued, arrival) {
            (Some(q), Some(a)) => q <= a,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if take_queue {
            if let Some((at, item)) = self.queue.pop() {
                self.now = self.now.max(at);
                self.handle(item, out, report);
            }
        } else if let Some(request) = self.next_arrival.take() {
            self.now = self.now.max(request.arrived);
            self.workload.draw_next(&mut self.next_arrival);
            self.arrive(request.id, request.ip, request.cost, None, out, report);
        }
    }

    fn handle(&mut self, item: Pending, out: &mut Vec<SystemEvent>, report: bool) {
        match item {
            Pending::Answer(flight) => self.complete(flight, out, report),
            Pending::Fail(flight) => self.fail_at_shard(flight, out, report),
            Pending::Read { flight, version } => {
                self.fill(flight.key, flight.instance, version, out, report);
                self.complete(flight, out, report);
            }
            Pending::Injected { key } => {
                // From the clients' counter: the next client request is drawn ahead, so an
                // injected one's id is above it; ids stay unique and the highest counts all.
                let id = self.workload.take_id();
                let cost = self.config.workload.cost.mean() as u64;
                self.arrive(id, Default::default(), cost, Some(key), out, report);
            }
            Pending::Autoscale => self.autoscale(out, report),
            Pending::Ready { instance } => {
                if report && self.tier.position(instance).is_some() {
                    out.push(SystemEvent::InstanceReady {
                        at: self.now,
                        instance,
                    });
                }
            }
            Pending::ChaosEnd(action) => self.end_chaos(&action, out, report),
            Pending::Scheduled(action) => {
                // Refused (an instance already gone): nothing changes, as for a student's
                // refused switch. Pulled, it is reported in this step, as it happens.
                if action.apply_to(self).is_ok() && report {
                    out.append(&mut self.pending_report);
                }
            }
        }
    }
}

/// A fresh instance booted at `ready_at`, with an empty L1 and the next id.
pub(super) fn new_instance(
    config: &SystemConfig,
    tier: &mut Fleet,
    ready_at: SimTime,
) -> Result<Instance, SystemError> {
    let id = tier.next_id;
    tier.next_id += 1;
    Ok(Instance {
        id,
        ready_at,
        busy_until: ready_at,
        in_flight: 0,
        slow: 1,
        busy_in_window: 0,
        l1: L1Cache::new(config.l1.policy, config.l1.capacity)?,
    })
}

impl Model for SystemModel {
    type Event = SystemEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    fn step_into(&mut self, out: &mut Vec<SystemEvent>) {
        self.advance(out, true);
    }

    fn step_quiet(&mut self, scratch: &mut Vec<SystemEvent>) {
        self.advance(scratch, false);
    }

    fn steps_quiet(&mut self, n: u64, scratch: &mut Vec<SystemEvent>) {
        for _ in 0..n {
            self.advance(scratch, false);
        }
    }
}

/// Time `at` plus `micros`.
pub(super) fn later(at: SimTime, micros: u64) -> SimTime {
    SimTime(at.0.saturating_add(micros))
}
