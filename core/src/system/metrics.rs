//! The system's figures over time, as named columns.

use super::event::Answer;
use super::SystemModel;
use crate::Metrics;

impl SystemModel {
    /// Column of `p99_ms` in [`Metrics::METRIC_NAMES`].
    pub const COL_P99_MS: usize = 0;
    /// Column of `recent_p99_ms` in [`Metrics::METRIC_NAMES`].
    pub const COL_RECENT_P99_MS: usize = 1;
    /// Column of `l1_hit_rate` in [`Metrics::METRIC_NAMES`].
    pub const COL_L1_HIT_RATE: usize = 2;
    /// Column of `l2_hit_rate` in [`Metrics::METRIC_NAMES`].
    pub const COL_L2_HIT_RATE: usize = 3;
    /// Column of `answered` in [`Metrics::METRIC_NAMES`].
    pub const COL_ANSWERED: usize = 4;
    /// Column of `dropped` in [`Metrics::METRIC_NAMES`].
    pub const COL_DROPPED: usize = 5;
    /// Column of `failed` in [`Metrics::METRIC_NAMES`].
    pub const COL_FAILED: usize = 6;
    /// Column of `in_flight` in [`Metrics::METRIC_NAMES`].
    pub const COL_IN_FLIGHT: usize = 7;
    /// Column of `instances` in [`Metrics::METRIC_NAMES`].
    pub const COL_INSTANCES: usize = 8;
    /// Column of `ready_instances` in [`Metrics::METRIC_NAMES`].
    pub const COL_READY_INSTANCES: usize = 9;
    /// Column of `cpu_pct` in [`Metrics::METRIC_NAMES`].
    pub const COL_CPU_PCT: usize = 10;
    /// Column of `store_reads` in [`Metrics::METRIC_NAMES`].
    pub const COL_STORE_READS: usize = 11;
    /// L1 hits per L1 lookup (`None` before the first lookup).
    pub fn l1_hit_rate(&self) -> Option<f64> {
        let s = &self.stats;
        (s.l1_lookups > 0).then(|| s.l1_hits as f64 / s.l1_lookups as f64)
    }

    /// L2 hits per L2 lookup, over reads that reached it (`None` before the first).
    pub fn l2_hit_rate(&self) -> Option<f64> {
        let s = &self.stats;
        (s.l2_lookups > 0).then(|| s.l2_hits as f64 / s.l2_lookups as f64)
    }

    /// End-to-end p99 of answered requests, in ms (`None` before the first answer).
    pub fn p99_ms(&self) -> Option<f64> {
        let h = &self.stats.end_to_end;
        (h.count() > 0).then(|| h.quantile(0.99) as f64 / 1_000.0)
    }

    /// End-to-end p99 of the recent requests (the ring), in ms (`None` before the first).
    pub fn recent_p99_ms(&self) -> Option<f64> {
        (self.stats.answered > 0).then(|| self.stats.recent_quantile(None, 0.99) as f64 / 1_000.0)
    }

    /// Reads and writes per second each shard served over the autoscaler's last interval.
    pub fn shard_rates(&self) -> Vec<f64> {
        self.shards.iter().map(|s| s.rate).collect()
    }
}

impl Metrics for SystemModel {
    const METRIC_NAMES: &'static [&'static str] = &[
        "p99_ms",
        "recent_p99_ms",
        "l1_hit_rate",
        "l2_hit_rate",
        "answered",
        "dropped",
        "failed",
        "in_flight",
        "instances",
        "ready_instances",
        "cpu_pct",
        "store_reads",
    ];

    fn metrics(&self) -> Vec<f64> {
        let s = &self.stats;
        vec![
            self.p99_ms().unwrap_or(f64::NAN),
            self.recent_p99_ms().unwrap_or(f64::NAN),
            self.l1_hit_rate().unwrap_or(f64::NAN),
            self.l2_hit_rate().unwrap_or(f64::NAN),
            s.answered as f64,
            s.dropped as f64,
            s.failed as f64,
            s.in_flight() as f64,
            f64::from(self.instance_count()),
            f64::from(self.ready_instances()),
            self.last_autoscale().map_or(f64::NAN, |w| w.cpu_pct),
            s.answered_by(Answer::Shard) as f64,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_constants_name_their_columns() {
        let m = SystemModel::METRIC_NAMES;
        for (col, name) in [
            (SystemModel::COL_P99_MS, "p99_ms"),
            (SystemModel::COL_RECENT_P99_MS, "recent_p99_ms"),
            (SystemModel::COL_L1_HIT_RATE, "l1_hit_rate"),
            (SystemModel::COL_L2_HIT_RATE, "l2_hit_rate"),
            (SystemModel::COL_ANSWERED, "answered"),
            (SystemModel::COL_DROPPED, "dropped"),
            (SystemModel::COL_FAILED, "failed"),
            (SystemModel::COL_IN_FLIGHT, "in_flight"),
            (SystemModel::COL_INSTANCES, "instances"),
            (SystemModel::COL_READY_INSTANCES, "ready_instances"),
            (SystemModel::COL_CPU_PCT, "cpu_pct"),
            (SystemModel::COL_STORE_READS, "store_reads"),
        ] {
            assert_eq!(m.get(col), Some(&name));
        }
    }
}
