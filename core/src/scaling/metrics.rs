//! The scaling model's metric columns: the first lane's figures, then the second lane's
//! (NaN for a lone set-up), then the third lane's capacity, drops, cores and cost (NaN with
//! fewer lanes), so a comparison's lanes chart side by side; last, the first lane's memory and
//! error rate, charted with its CPU.

use super::model::ScalingModel;
use crate::model::Metrics;

/// Column indices of [`ScalingModel`]'s [`Metrics`], for charts.
impl ScalingModel {
    /// Offered load, req/s (lane 1).
    pub const COL_OFFERED_RPS: usize = 0;
    /// Ready capacity, req/s (lane 1).
    pub const COL_CAPACITY_RPS: usize = 1;
    /// Served, req/s (lane 1).
    pub const COL_SERVED_RPS: usize = 2;
    /// Dropped, req/s (lane 1).
    pub const COL_DROPPED_RPS: usize = 3;
    /// p95 latency of the last tick, ms (lane 1).
    pub const COL_P95_MS: usize = 4;
    /// Utilisation of ready capacity, % (lane 1).
    pub const COL_UTILISATION_PCT: usize = 5;
    /// Ready instances (lane 1).
    pub const COL_READY_INSTANCES: usize = 6;
    /// Warming instances (lane 1).
    pub const COL_WARMING_INSTANCES: usize = 7;
    /// Cores billed (lane 1).
    pub const COL_CORES: usize = 8;
    /// Cost so far, core-seconds (lane 1).
    pub const COL_COST_CORE_SECONDS: usize = 9;
    /// Ready capacity, req/s (lane 2).
    pub const COL_LANE2_CAPACITY_RPS: usize = 10;
    /// Served, req/s (lane 2).
    pub const COL_LANE2_SERVED_RPS: usize = 11;
    /// Dropped, req/s (lane 2).
    pub const COL_LANE2_DROPPED_RPS: usize = 12;
    /// p95 latency of the last tick, ms (lane 2).
    pub const COL_LANE2_P95_MS: usize = 13;
    /// Cores billed (lane 2).
    pub const COL_LANE2_CORES: usize = 14;
    /// Cost so far, core-seconds (lane 2).
    pub const COL_LANE2_COST_CORE_SECONDS: usize = 15;
    /// Ready capacity, req/s (lane 3).
    pub const COL_LANE3_CAPACITY_RPS: usize = 16;
    /// Dropped, req/s (lane 3).
    pub const COL_LANE3_DROPPED_RPS: usize = 17;
    /// Cores billed (lane 3).
    pub const COL_LANE3_CORES: usize = 18;
    /// Cost so far, core-seconds (lane 3).
    pub const COL_LANE3_COST_CORE_SECONDS: usize = 19;
    /// Mean memory utilisation of ready instances, % (lane 1).
    pub const COL_MEMORY_PCT: usize = 20;
    /// Error rate: requests dropped, % of those offered (lane 1).
    pub const COL_ERROR_PCT: usize = 21;
}

/// A lane's ten figures, in the order of the first lane's columns.
fn lane_row(m: &ScalingModel, lane: u32) -> Option<[f64; 10]> {
    let l = m.lane(lane)?;
    let t = l.last_tick().unwrap_or_default();
    let s = l.service().stats();
    Some([
        t.rate(t.offered),
        s.capacity_rps as f64,
        t.rate(t.served),
        t.rate(t.dropped),
        t.p95_us as f64 / 1_000.0,
        t.utilisation_pct,
        f64::from(s.ready),
        f64::from(s.warming),
        f64::from(s.cores),
        s.cost.core_seconds,
    ])
}

impl Metrics for ScalingModel {
    const METRIC_NAMES: &'static [&'static str] = &[
        "offered_rps",
        "capacity_rps",
        "served_rps",
        "dropped_rps",
        "p95_ms",
        "utilisation_pct",
        "ready_instances",
        "warming_instances",
        "cores",
        "cost_core_seconds",
        "lane2_capacity_rps",
        "lane2_served_rps",
        "lane2_dropped_rps",
        "lane2_p95_ms",
        "lane2_cores",
        "lane2_cost_core_seconds",
        "lane3_capacity_rps",
        "lane3_dropped_rps",
        "lane3_cores",
        "lane3_cost_core_seconds",
        "memory_pct",
        "error_pct",
    ];

    fn metrics(&self) -> Vec<f64> {
        let mut row = Vec::with_capacity(Self::METRIC_NAMES.len());
        row.extend(lane_row(self, 0).unwrap_or([f64::NAN; 10]));
        match lane_row(self, 1) {
            Some([_, capacity, served, dropped, p95, _, _, _, cores, cost]) => {
                row.extend([capacity, served, dropped, p95, cores, cost])
            }
            None => row.extend([f64::NAN; 6]),
        }
        match lane_row(self, 2) {
            Some([_, capacity, _, dropped, _, _, _, _, cores, cost]) => {
                row.extend([capacity, dropped, cores, cost])
            }
            None => row.extend([f64::NAN; 4]),
        }
        let t = self.lane(0).and_then(|l| l.last_tick()).unwrap_or_default();
        row.extend([t.memory_pct, t.error_pct()]);
        row
    }
}
