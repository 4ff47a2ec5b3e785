//! The balancing tests' shared set-ups: named servers with weights, one lane of a strategy on
//! constant arrivals of a fixed cost, and the model over it.

use scalelab_core::balancing::{BalancerConfig, BalancingConfig, BalancingModel, StrategyKind};
use scalelab_core::sim::{ArrivalProcess, CostDistribution, ServerConfig};

/// Servers named `names`, with `weights`, each serving 64 at once with a queue of 64.
pub fn servers(weights: &[u32], names: &[&str]) -> Vec<ServerConfig> {
    weights
        .iter()
        .zip(names)
        .map(|(&weight, name)| ServerConfig {
            weight,
            concurrency: 64,
            queue_limit: 64,
            ..ServerConfig::named(*name)
        })
        .collect()
}

/// One lane of `kind` over `servers`, `rate` constant arrivals per second of a fixed `cost`
/// (µs), health checks off unless the test turns them on.
pub fn config(
    kind: StrategyKind,
    servers: Vec<ServerConfig>,
    rate: f64,
    cost: f64,
) -> BalancerConfig {
    let mut c = BalancerConfig::default().with_strategy(kind);
    c.servers = servers;
    c.workload.arrivals = ArrivalProcess::Constant { rate };
    c.workload.cost = CostDistribution::Fixed { micros: cost };
    c.active_health = None;
    c
}

pub fn model(base: BalancerConfig, lanes: &[StrategyKind]) -> BalancingModel {
    BalancingModel::new(BalancingConfig {
        base,
        lanes: lanes.iter().map(|k| k.name().to_string()).collect(),
    })
    .unwrap()
}
