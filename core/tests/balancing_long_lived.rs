//! Long-lived connections (websocket or streaming style): 5 % of requests hold their slot 100×
//! as long as the rest. Least connections sees the held connections and routes around them;
//! round robin keeps sending each server its turn, so new requests queue behind long ones.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::balancing::{BalancerConfig, BalancingConfig, BalancingModel, StrategyKind};
use scalelab_core::sim::{
    ArrivalProcess, CostDistribution, SimRng, LONG_LIVED_FACTOR, LONG_LIVED_FRACTION,
};
use scalelab_core::Model;

const MEAN: f64 = 10_000.0;

/// The shape keeps the mean and makes a long request 100× a short one.
#[test]
fn the_shape_keeps_its_mean() {
    let CostDistribution::Bimodal {
        fast,
        slow,
        slow_fraction,
    } = CostDistribution::long_lived(MEAN)
    else {
        panic!("a two-cost shape")
    };
    assert_eq!(slow_fraction, LONG_LIVED_FRACTION);
    assert!((slow / fast - LONG_LIVED_FACTOR).abs() < 1e-9);
    assert!((CostDistribution::long_lived(MEAN).mean() - MEAN).abs() < 1e-6);
    assert_eq!(LONG_LIVED_FRACTION, 0.05);
}

/// Over 200 000 draws, long requests are 5 % ± 0.2 points (4 standard deviations).
#[test]
fn one_request_in_twenty_is_long() {
    let shape = CostDistribution::long_lived(MEAN);
    let mut rng = SimRng::seed_from(3);
    let n = 200_000;
    let long = (0..n)
        .filter(|_| shape.sample(&mut rng) as f64 > MEAN)
        .count();
    let share = long as f64 / n as f64;
    assert!((share - 0.05).abs() < 0.002, "long share {share}");
}

/// Round robin against least connections on the same seeded requests at 70 % load: least
/// connections' p99 over the whole run is clearly lower.
#[test]
fn least_connections_beats_round_robin_on_long_lived_connections() {
    let mut base = BalancerConfig::default();
    base.workload.cost = CostDistribution::long_lived(MEAN);
    base.workload.arrivals = ArrivalProcess::Poisson {
        rate: base.capacity_per_sec() * 0.7,
    };
    base.seed = 7;
    let mut model = BalancingModel::new(BalancingConfig {
        base,
        lanes: vec![
            StrategyKind::RoundRobin.name().into(),
            StrategyKind::LeastConnections.name().into(),
        ],
    })
    .unwrap();
    while model.lane_metrics().iter().any(|l| l.completed < 20_000) {
        model.step();
    }
    let lanes = model.lane_metrics();
    let (rr, lc) = (lanes[0].latency.p99, lanes[1].latency.p99);
    eprintln!("p99 round robin {rr} µs, least connections {lc} µs");
    assert!(
        lc * 5 < rr * 4,
        "least connections {lc} µs vs round robin {rr} µs"
    );
}
