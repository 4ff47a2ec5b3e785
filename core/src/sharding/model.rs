//! The sharding scene as a discrete-event model: a stream of client reads and writes over a
//! key space while shards are added or removed, keys migrate in timed batches and
//! scatter-gather queries fan out.
//!
//! Three sources of events, each with its own clock: client operations every
//! `op_interval_micros`, migration batches every `batch_interval_micros` while keys are in
//! flight, and timed notices (operation announcements, query answers). Each step handles the
//! earliest; at equal times notices come first, then batches, then client operations, so the
//! order never depends on the platform.

mod why;

use super::decision::Decisions;
use super::{
    key_name, resize_movement, Aggregate, AggregateOutcome, Filter, KeyPopularity, LastQuery,
    QueryOutcome, RebalanceReason, ResizeMovement, RouteOp, ShardChange, ShardEventKind,
    ShardFault, ShardId, ShardManager, ShardingConfig, ShardingError, ShardingEvent, Transfer,
};
use crate::sim::limits::MAX_KEYS;
use crate::sim::{EventQueue, SimDuration, SimRng, SimTime, Zipf};
use crate::{Metrics, Model};
use serde::{Deserialize, Serialize};

const STREAM_WORKLOAD: u64 = 1;
const STREAM_QUERY: u64 = 2;
const STREAM_PRELOAD: u64 = 3;

/// Running totals for the scene's dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShardStats {
    /// Client writes stored.
    pub writes: u64,
    /// Client reads answered (fresh, stale, unreadable or of a never-written key).
    pub reads: u64,
    /// Reads that returned the latest value.
    pub fresh_reads: u64,
    /// Reads of keys never written.
    pub misses: u64,
    /// Reads of written keys that were not found.
    pub unreadable_reads: u64,
    /// Reads that returned an older version.
    pub stale_reads: u64,
    /// Keys moved by migration batches, over the whole run.
    pub keys_moved: u64,
    /// Migration batches carried out.
    pub batches: u64,
    /// Queries sent (scatter-gather and routed).
    pub queries: u64,
    /// Client reads and writes refused because the shard holding the key was down.
    pub unavailable: u64,
}

/// The sharding scene: a sharded store ([`ShardManager`]) under a seeded read/write stream,
/// with shards added and removed, keys migrating in timed batches and queries answered after
/// each shard's latency. Readouts (imbalance, reads per second, unreadable and stale keys,
/// the last query) are kept as it steps, so asking for them costs no scan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardingModel {
    config: ShardingConfig,
    manager: ShardManager,
    now: SimTime,
    next_op_at: SimTime,
    next_batch_at: Option<SimTime>,
    notices: EventQueue<ShardEventKind>,
    workload_rng: SimRng,
    query_rng: SimRng,
    zipf: Option<Zipf>,
    next_query: u64,
    stats: ShardStats,
    last_query: Option<LastQuery>,
    /// The latest decisions, recorded on the event path only; not part of the scene's state.
    #[serde(skip)]
    decisions: Decisions,
}

impl ShardingModel {
    /// Column of [`Metrics::metrics`]: the largest live shard's keys over the average.
    pub const COL_IMBALANCE: usize = 0;
    /// Column of [`Metrics::metrics`]: written keys a read cannot find.
    pub const COL_UNREADABLE_KEYS: usize = 1;
    /// Column of [`Metrics::metrics`]: written keys a read finds only in an older version.
    pub const COL_STALE_KEYS: usize = 2;
    /// Column of [`Metrics::metrics`]: keys moved by migration batches so far.
    pub const COL_KEYS_MOVED: usize = 3;
    /// Column of [`Metrics::metrics`]: keys still to move.
    pub const COL_KEYS_IN_FLIGHT: usize = 4;
    /// Column of [`Metrics::metrics`]: directory entries (keys living away from their hash).
    pub const COL_DIRECTORY_SIZE: usize = 5;
    /// Column of [`Metrics::metrics`]: reads per simulated second since the start.
    pub const COL_READS_PER_S: usize = 6;
    /// Column of [`Metrics::metrics`]: reads of written keys that found nothing, so far.
    pub const COL_UNREADABLE_READS: usize = 7;

    /// Builds the store from `config`: its shards, every key written once when
    /// [`ShardingConfig::preload`] is set, and the workload's seeded streams.
    pub fn new(config: ShardingConfig) -> Result<Self, ShardingError> {
        config.validate()?;
        let mut manager = ShardManager::new(config.router, config.mode, config.rebalance)?;
        manager.set_default_shard_latency(config.shard_latency_micros)?;
        for _ in 0..config.shards {
            manager.add_shard()?;
        }
        let zipf = match config.popularity {
            KeyPopularity::Uniform => None,
            KeyPopularity::Zipf { exponent } => Some(Zipf::new(config.keys, exponent, MAX_KEYS)?),
        };
        if config.preload {
            let mut rng = SimRng::derive(config.seed, STREAM_PRELOAD);
            for rank in 0..config.keys {
                manager.write(&key_name(rank), &random_value(&mut rng))?;
            }
        }
        Ok(ShardingModel {
            next_op_at: SimTime::ZERO.after(SimDuration(config.op_interval_micros)),
            workload_rng: SimRng::derive(config.seed, STREAM_WORKLOAD),
            query_rng: SimRng::derive(config.seed, STREAM_QUERY),
            config,
            manager,
            now: SimTime::ZERO,
            next_batch_at: None,
            notices: EventQueue::new(),
            zipf,
            next_query: 0,
            stats: ShardStats::default(),
            last_query: None,
            decisions: Decisions::default(),
        })
    }

    /// The config the model was built from.
    pub fn config(&self) -> &ShardingConfig {
        &self.config
    }

    /// The store: shards, their keys, the router and the migration in progress.
    pub fn manager(&self) -> &ShardManager {
        &self.manager
    }

    /// Running totals since the start.
    pub fn stats(&self) -> ShardStats {
        self.stats
    }

    // ----- readouts -----

    /// The largest live shard's key count over the live shards' average (1.0 = even); see
    /// [`ShardManager::imbalance`].
    pub fn imbalance(&self) -> f64 {
        self.manager.imbalance()
    }

    /// Keys per live shard on average, the rebalance's reference (see
    /// [`ShardManager::average_live_keys`]).
    pub fn average_live_keys(&self) -> f64 {
        self.manager.average_live_keys()
    }

    /// Client reads per simulated second, averaged since the start (0 at time zero).
    pub fn reads_per_second(&self) -> f64 {
        let secs = self.now.as_secs_f64();
        if secs > 0.0 {
            self.stats.reads as f64 / secs
        } else {
            0.0
        }
    }

    /// Written keys a read cannot find right now (zero in directory mode).
    pub fn unreadable_count(&self) -> u64 {
        self.manager.unreadable_count()
    }

    /// Written keys a read finds only in an older version right now: lost updates.
    pub fn stale_count(&self) -> u64 {
        self.manager.stale_count()
    }

    /// Shards in the router (not counting draining ones).
    pub fn live_shard_count(&self) -> u32 {
        self.manager.live_shards().len() as u32
    }

    /// Whether [`Self::add_shard`] would be accepted: fewer live shards than
    /// [`ShardingConfig::max_live_shards`].
    pub fn can_add_shard(&self) -> bool {
        self.live_shard_count() < self.config.max_live_shards
    }

    /// The latest query as far as it has got by now, or `None` before the first one.
    pub fn last_query(&self) -> Option<&LastQuery> {
        self.last_query.as_ref()
    }

    /// Every router's moved keys if a shard were added to, or the last removed from, the live
    /// shards now, counted on this model's keys; the ring with `virtual_nodes` per shard.
    pub fn resize_movement(&self, virtual_nodes: u32) -> ResizeMovement {
        resize_movement(self.config.keys, self.live_shard_count(), virtual_nodes)
    }

    // ----- operations -----

    /// Adds a shard (weight 1); keys that now route to it migrate in batches.
    pub fn add_shard(&mut self) -> Result<ShardId, ShardingError> {
        self.add_weighted_shard(1.0)
    }

    /// Adds a shard with a rendezvous weight. Refused beyond
    /// [`ShardingConfig::max_live_shards`] live shards.
    pub fn add_weighted_shard(&mut self, weight: f64) -> Result<ShardId, ShardingError> {
        let live = self.live_shard_count();
        if live >= self.config.max_live_shards {
            return Err(ShardingError::TooManyShards {
                requested: u64::from(live) + 1,
                max: u64::from(self.config.max_live_shards),
            });
        }
        let change = self.manager.add_weighted_shard(weight)?;
        self.notify(ShardEventKind::ShardAdded {
            shard: change.shard,
            keys_to_move: change.keys_to_move,
        });
        self.announce_migration(
            RebalanceReason::ShardAdded {
                shard: change.shard,
            },
            change,
        );
        Ok(change.shard)
    }

    /// Removes a shard from the router; its keys migrate in batches (lossless in directory
    /// mode, lossy in naive mode) and it retires when empty.
    pub fn remove_shard(&mut self, id: ShardId) -> Result<(), ShardingError> {
        let change = self.manager.remove_shard(id)?;
        self.notify(ShardEventKind::ShardRemoved {
            shard: id,
            keys_to_move: change.keys_to_move,
        });
        if change.retired {
            self.notify(ShardEventKind::ShardRetired { shard: id });
        }
        self.announce_migration(RebalanceReason::ShardRemoved { shard: id }, change);
        Ok(())
    }

    /// Starts the threshold rebalance (120 % / 80 % of the average); batches follow on the
    /// migration clock.
    pub fn start_rebalance(&mut self) -> Result<Vec<Transfer>, ShardingError> {
        let plan = self.manager.start_rebalance()?;
        self.record_rebalance(&plan);
        let keys_to_move = plan.iter().map(|t| t.keys).sum();
        self.notify(ShardEventKind::RebalanceStarted {
            reason: RebalanceReason::LoadImbalance,
            keys_to_move,
        });
        if plan.is_empty() {
            self.notify(ShardEventKind::RebalanceFinished {
                moved: 0,
                unreadable: self.manager.unreadable_count(),
                stale: self.manager.stale_count(),
            });
        } else {
            self.schedule_batch();
        }
        Ok(plan)
    }

    /// Scatter-gather query: every shard answers after its own latency, then the merge.
    pub fn run_query(&mut self, filter: &Filter) -> Result<QueryOutcome, ShardingError> {
        let mut rng = self.query_rng.clone();
        let outcome = self
            .manager
            .scatter_gather(filter, &self.config.query_cost, &mut rng)?;
        self.query_rng = rng;
        let query = self.next_query;
        self.next_query += 1;
        // One request per shard, a failed one too (it refuses at once).
        let asked: Vec<ShardId> = self.manager.shards().map(|s| s.id).collect();
        self.record_fan_out(query, filter, None, asked.iter().copied());
        self.notify(ShardEventKind::QueryScattered {
            query,
            filter: filter.to_string(),
            shards: asked,
        });
        self.notify_failed(query, &outcome.failed);
        self.schedule_answers(query, &outcome);
        Ok(outcome)
    }

    /// An aggregate by scatter-gather: every shard sends its partial after its own latency,
    /// then the coordinator merges them.
    pub fn run_aggregate(
        &mut self,
        aggregate: Aggregate,
    ) -> Result<AggregateOutcome, ShardingError> {
        let mut rng = self.query_rng.clone();
        let outcome = self
            .manager
            .aggregate(&aggregate, &self.config.query_cost, &mut rng)?;
        self.query_rng = rng;
        let query = self.next_query;
        self.next_query += 1;
        self.stats.queries += 1;
        let shards: Vec<ShardId> = self.manager.shards().map(|s| s.id).collect();
        self.record_fan_out(query, &Filter::All, Some(aggregate), shards.iter().copied());
        self.notify(ShardEventKind::AggregateScattered {
            query,
            aggregate,
            shards,
        });
        self.notify_failed(query, &outcome.missing);
        for a in &outcome.answers {
            self.notices.schedule(
                self.now.after(SimDuration(a.latency_micros)),
                ShardEventKind::AggregateShardAnswered {
                    query,
                    shard: a.shard,
                    partial: a.partial.clone(),
                    latency_micros: a.latency_micros,
                },
            );
        }
        self.notices.schedule(
            self.now.after(SimDuration(outcome.latency_micros)),
            ShardEventKind::AggregateGathered {
                query,
                aggregate,
                result: outcome.result.clone(),
                shards: outcome.answers.len() as u64,
                missing: outcome.missing.clone(),
                latency_micros: outcome.latency_micros,
            },
        );
        Ok(outcome)
    }

    /// A query for one key, routed to the one shard that owns it.
    pub fn query_key(&mut self, key: &str) -> Result<QueryOutcome, ShardingError> {
        let mut rng = self.query_rng.clone();
        let outcome = self
            .manager
            .query_key(key, &self.config.query_cost, &mut rng)?;
        self.query_rng = rng;
        let query = self.next_query;
        self.next_query += 1;
        self.record_route(key, RouteOp::Query { query });
        if let Some(a) = outcome.answers.first() {
            self.notify(ShardEventKind::QueryRouted {
                query,
                key: key.to_string(),
                shard: a.shard,
            });
        }
        self.schedule_answers(query, &outcome);
        Ok(outcome)
    }

    /// Makes shard `id` slow or failed, or clears its fault (see [`ShardFault`]). The
    /// action's own description tells it; its effects are the events that follow.
    pub fn set_fault(&mut self, id: ShardId, fault: ShardFault) -> Result<(), ShardingError> {
        self.manager.set_fault(id, fault)
    }

    /// Sets one shard's fixed latency (make one slow to see the scatter-gather tail).
    pub fn set_shard_latency(&mut self, id: ShardId, micros: u64) -> Result<(), ShardingError> {
        self.manager.set_shard_latency(id, micros)
    }

    // ----- internals -----

    fn notify(&mut self, kind: ShardEventKind) {
        self.notices.schedule(self.now, kind);
    }

    /// The refusals of the shards that are down, told right after the scatter.
    fn notify_failed(&mut self, query: u64, failed: &[ShardId]) {
        for &shard in failed {
            self.notify(ShardEventKind::QueryShardFailed { query, shard });
        }
    }

    fn announce_migration(&mut self, reason: RebalanceReason, change: ShardChange) {
        if change.keys_to_move > 0 {
            self.notify(ShardEventKind::RebalanceStarted {
                reason,
                keys_to_move: change.keys_to_move,
            });
            self.schedule_batch();
        }
    }

    fn schedule_batch(&mut self) {
        if self.next_batch_at.is_none() && self.manager.is_migrating() {
            self.next_batch_at = Some(
                self.now
                    .after(SimDuration(self.config.batch_interval_micros)),
            );
        }
    }

    fn schedule_answers(&mut self, query: u64, outcome: &QueryOutcome) {
        self.stats.queries += 1;
        for a in &outcome.answers {
            self.notices.schedule(
                self.now.after(SimDuration(a.latency_micros)),
                ShardEventKind::QueryShardAnswered {
                    query,
                    shard: a.shard,
                    count: a.matched,
                    scanned: a.scanned,
                    latency_micros: a.latency_micros,
                },
            );
        }
        self.notices.schedule(
            self.now.after(SimDuration(outcome.latency_micros)),
            ShardEventKind::QueryGathered {
                query,
                total: outcome.rows.len() as u64,
                shards: outcome.shards_asked(),
                latency_micros: outcome.latency_micros,
            },
        );
    }

    fn run_batch(&mut self, at: SimTime, out: &mut Vec<ShardingEvent>) {
        self.now = at;
        self.next_batch_at = None;
        if let Some(report) = self.manager.step_migration() {
            self.stats.batches += 1;
            self.stats.keys_moved += report.keys.len() as u64;
            for key in &report.keys {
                out.push(ShardingEvent {
                    at,
                    kind: ShardEventKind::KeyMoved {
                        key: key.clone(),
                        from: report.from,
                        to: report.to,
                    },
                });
            }
            out.push(ShardingEvent {
                at,
                kind: ShardEventKind::BatchMoved {
                    count: report.keys.len() as u64,
                    from: report.from,
                    to: report.to,
                    rebalance: report.rebalance,
                },
            });
            if let Some(shard) = report.retired {
                out.push(ShardingEvent {
                    at,
                    kind: ShardEventKind::ShardRetired { shard },
                });
            }
            if let Some(done) = report.finished {
                out.push(ShardingEvent {
                    at,
                    kind: ShardEventKind::RebalanceFinished {
                        moved: done.moved,
                        unreadable: done.unreadable,
                        stale: done.stale,
                    },
                });
            }
        }
        self.schedule_batch();
    }

    /// One client read or write; `record` records why it went where it went (the event path).
    fn run_client_op(&mut self, at: SimTime, out: &mut Vec<ShardingEvent>, record: bool) {
        self.now = at;
        self.next_op_at = at.after(SimDuration(self.config.op_interval_micros));
        let rank = match &self.zipf {
            Some(z) => z.sample(&mut self.workload_rng),
            None => self.workload_rng.below(self.config.keys),
        };
        let key = key_name(rank);
        let reading = self.workload_rng.chance(self.config.read_fraction);
        if record {
            // Before the request: a write changes where the key lives.
            let op = if reading {
                RouteOp::Read
            } else {
                RouteOp::Write
            };
            self.record_route(&key, op);
        }
        let kind = if reading {
            self.read(key)
        } else {
            let value = random_value(&mut self.workload_rng);
            self.write(key, &value)
        };
        if let Some(kind) = kind {
            out.push(ShardingEvent { at, kind });
        }
    }

    fn read(&mut self, key: String) -> Option<ShardEventKind> {
        if let Some(shard) = self.manager.down_owner(&key) {
            self.stats.unavailable += 1;
            return Some(ShardEventKind::ShardUnavailable {
                key,
                shard,
                write: false,
            });
        }
        let outcome = self.manager.read(&key);
        let shard = outcome.shard?;
        self.stats.reads += 1;
        Some(match (outcome.value, outcome.latest_version) {
            (_, None) => {
                self.stats.misses += 1;
                ShardEventKind::ReadMiss { key, shard }
            }
            (None, Some(_)) => {
                self.stats.unreadable_reads += 1;
                ShardEventKind::Unreadable {
                    key,
                    expected_shard: shard,
                }
            }
            (Some(v), Some(latest)) if v.version < latest => {
                self.stats.stale_reads += 1;
                ShardEventKind::StaleRead {
                    key,
                    shard,
                    version: v.version,
                    latest_version: latest,
                }
            }
            (Some(v), Some(_)) => {
                self.stats.fresh_reads += 1;
                ShardEventKind::Read {
                    key,
                    shard,
                    value: v.value,
                    version: v.version,
                }
            }
        })
    }

    fn write(&mut self, key: String, value: &str) -> Option<ShardEventKind> {
        // Keys and values are generated here within every bound, so a write cannot fail; if
        // it ever did, the step simply reports nothing rather than panicking. A shard that is
        // down refuses it, and the key keeps its last value.
        if let Some(shard) = self.manager.down_owner(&key) {
            self.stats.unavailable += 1;
            return Some(ShardEventKind::ShardUnavailable {
                key,
                shard,
                write: true,
            });
        }
        let receipt = self.manager.write(&key, value).ok()?;
        self.stats.writes += 1;
        Some(ShardEventKind::Write {
            key,
            shard: receipt.shard,
            version: receipt.version,
        })
    }
}

impl Model for ShardingModel {
    type Event = ShardingEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    fn step_into(&mut self, out: &mut Vec<ShardingEvent>) {
        self.step_with(out, true);
    }

    fn step_quiet(&mut self, scratch: &mut Vec<ShardingEvent>) {
        scratch.clear();
        self.step_with(scratch, false);
        scratch.clear();
    }
}

impl ShardingModel {
    /// One step; `record` records the decisions it makes (the event path), which the quiet
    /// path skips.
    fn step_with(&mut self, out: &mut Vec<ShardingEvent>, record: bool) {
        let notice = self.notices.peek_time();
        let batch = self.next_batch_at;
        let op = self.next_op_at;
        let notice_first = notice.is_some_and(|n| batch.is_none_or(|b| n <= b) && n <= op);
        if notice_first {
            if let Some((at, kind)) = self.notices.pop() {
                self.now = self.now.max(at);
                LastQuery::follow(&mut self.last_query, at, &kind);
                out.push(ShardingEvent { at, kind });
            }
            return;
        }
        match batch {
            Some(b) if b <= op => self.run_batch(b, out),
            _ => self.run_client_op(op, out, record),
        }
    }
}

/// A record with a numeric field, so number-range queries have something to filter.
fn random_value(rng: &mut SimRng) -> String {
    format!("score={}", rng.below(1_000))
}

impl Metrics for ShardingModel {
    const METRIC_NAMES: &'static [&'static str] = &[
        "imbalance_max_over_avg",
        "unreadable_keys",
        "stale_keys",
        "keys_moved",
        "keys_in_flight",
        "directory_size",
        "reads_per_s",
        "unreadable_reads",
    ];

    fn metrics(&self) -> Vec<f64> {
        vec![
            self.imbalance(),
            self.unreadable_count() as f64,
            self.stale_count() as f64,
            self.stats.keys_moved as f64,
            self.manager.keys_in_flight() as f64,
            self.manager.directory_len() as f64,
            self.reads_per_second(),
            self.stats.unreadable_reads as f64,
        ]
    }
}

#[cfg(test)]
mod tests;
