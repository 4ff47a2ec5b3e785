//! Queries across shards: a filter sent to every live shard (scatter-gather) or one key's
//! lookup, each shard's answer timed by its latency and the keys it scanned.

use super::{check_key, ShardManager};
use crate::sharding::aggregate::{AggregateAnswer, AggregateOutcome, Partial, MAX_TOP_K};
use crate::sharding::query::{QueryCost, QueryOutcome, QueryRow, ShardAnswer};
use crate::sharding::{Aggregate, Filter, ShardId, ShardingError};
use crate::sim::limits::MAX_DURATION_MICROS;
use crate::sim::SimRng;
use crate::table::Table;

impl ShardManager {
    // ----- queries -----

    /// Sets the fixed latency of one shard (a slow shard makes every scatter-gather slow).
    pub fn set_shard_latency(&mut self, id: ShardId, micros: u64) -> Result<(), ShardingError> {
        crate::sim::check_count("shard latency (µs)", micros, 0, MAX_DURATION_MICROS)?;
        let shard = self
            .shard_mut(id)
            .ok_or(ShardingError::UnknownShard { shard: id.0 })?;
        shard.base_latency_micros = micros;
        Ok(())
    }

    /// The latency given to shards added from now on.
    pub fn set_default_shard_latency(&mut self, micros: u64) -> Result<(), ShardingError> {
        crate::sim::check_count("shard latency (µs)", micros, 0, MAX_DURATION_MICROS)?;
        self.default_latency_micros = micros;
        Ok(())
    }

    /// Scatter-gather: asks every shard (draining ones too — they still hold data), filters,
    /// merges by key. Latency = the slowest shard's answer + the merge.
    pub fn scatter_gather(
        &self,
        filter: &Filter,
        cost: &QueryCost,
        rng: &mut SimRng,
    ) -> Result<QueryOutcome, ShardingError> {
        filter.validate()?;
        cost.validate()?;
        let mut answers = Vec::with_capacity(self.shards.len());
        let mut merged: Table<String, QueryRow> = Table::new();
        let mut returned = 0u64;
        let mut failed = Vec::new();
        for shard in &self.shards {
            // A failed shard refuses the request: its records are missing from the answer.
            let Some(factor) = shard.fault.factor() else {
                failed.push(shard.id);
                continue;
            };
            let mut matched = 0u64;
            for (key, v) in shard.data.iter() {
                if filter.matches(key, &v.value) {
                    matched += 1;
                    let newer = merged
                        .get(key.as_str())
                        .is_none_or(|row| row.version < v.version);
                    if newer {
                        merged.insert(
                            key.clone(),
                            QueryRow {
                                key: key.clone(),
                                value: v.value.clone(),
                                version: v.version,
                                shard: shard.id,
                            },
                        );
                    }
                }
            }
            returned += matched;
            let scanned = shard.key_count();
            answers.push(ShardAnswer {
                shard: shard.id,
                matched,
                scanned,
                latency_micros: shard_latency(shard.base_latency_micros, scanned, cost, rng)
                    .saturating_mul(factor),
            });
        }
        let merge_micros = cost
            .merge_per_shard_micros
            .saturating_mul(answers.len() as u64)
            .saturating_add(cost.merge_per_row_micros.saturating_mul(returned));
        let slowest = answers.iter().map(|a| a.latency_micros).max().unwrap_or(0);
        Ok(QueryOutcome {
            rows: merged.drain().into_iter().map(|(_, row)| row).collect(),
            answers,
            failed,
            merge_micros,
            latency_micros: slowest.saturating_add(merge_micros),
        })
    }

    /// An aggregate by scatter-gather: every shard (draining ones too) computes its partial
    /// over the records it holds, after its own latency; the coordinator merges them.
    /// Latency = the slowest shard's answer + the merge.
    pub fn aggregate(
        &self,
        aggregate: &Aggregate,
        cost: &QueryCost,
        rng: &mut SimRng,
    ) -> Result<AggregateOutcome, ShardingError> {
        if let Aggregate::TopK { k } = aggregate {
            if !(1..=MAX_TOP_K).contains(k) {
                return Err(ShardingError::BadFilter {
                    reason: format!("top-k needs k between 1 and {MAX_TOP_K}, but it is {k}"),
                });
            }
        }
        cost.validate()?;
        let keep = aggregate.keep();
        let mut result = Partial::default();
        let mut answers = Vec::with_capacity(self.shards.len());
        let mut missing = Vec::new();
        for shard in &self.shards {
            // A failed shard refuses the request: its share stays unknown.
            let Some(factor) = shard.fault.factor() else {
                missing.push(shard.id);
                continue;
            };
            let records = shard
                .data
                .iter()
                .map(|(k, v)| (k.as_str(), v.value.as_str()));
            let partial = Partial::over(records, keep);
            result.merge(&partial, keep);
            let scanned = shard.key_count();
            answers.push(AggregateAnswer {
                shard: shard.id,
                latency_micros: shard_latency(shard.base_latency_micros, scanned, cost, rng)
                    .saturating_mul(factor),
                partial,
            });
        }
        let rows: u64 = answers.iter().map(|a| a.partial.top.len() as u64).sum();
        let merge_micros = cost
            .merge_per_shard_micros
            .saturating_mul(answers.len() as u64)
            .saturating_add(cost.merge_per_row_micros.saturating_mul(rows));
        let slowest = answers.iter().map(|a| a.latency_micros).max().unwrap_or(0);
        Ok(AggregateOutcome {
            aggregate: *aggregate,
            answers,
            result,
            missing,
            merge_micros,
            latency_micros: slowest.saturating_add(merge_micros),
        })
    }

    /// A query for one key, routed to its owner: one shard, one key looked at, no merge.
    pub fn query_key(
        &self,
        key: &str,
        cost: &QueryCost,
        rng: &mut SimRng,
    ) -> Result<QueryOutcome, ShardingError> {
        check_key(key)?;
        cost.validate()?;
        let shard_id = self
            .locate(key)
            .ok_or(ShardingError::NoShards { field: "shards" })?;
        let shard = self
            .shard(shard_id)
            .ok_or(ShardingError::UnknownShard { shard: shard_id.0 })?;
        let Some(factor) = shard.fault.factor() else {
            return Err(ShardingError::ShardDown { shard: shard_id.0 });
        };
        let rows: Vec<QueryRow> = shard
            .data
            .get(key)
            .map(|v| QueryRow {
                key: key.to_string(),
                value: v.value.clone(),
                version: v.version,
                shard: shard_id,
            })
            .into_iter()
            .collect();
        let latency = shard_latency(shard.base_latency_micros, 1, cost, rng).saturating_mul(factor);
        Ok(QueryOutcome {
            answers: vec![ShardAnswer {
                shard: shard_id,
                matched: rows.len() as u64,
                scanned: 1,
                latency_micros: latency,
            }],
            rows,
            failed: Vec::new(),
            merge_micros: 0,
            latency_micros: latency,
        })
    }
}

fn shard_latency(base: u64, scanned: u64, cost: &QueryCost, rng: &mut SimRng) -> u64 {
    base.saturating_add(cost.per_key_scan_micros.saturating_mul(scanned))
        .saturating_add(rng.between(0, cost.jitter_micros))
}
