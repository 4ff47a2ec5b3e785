//! Load balancing in a few lines: four strategies race on the same requests, one server
//! crashes, and the board shows who suffered the detection lag.
//!
//! Run with `cargo run -p scalelab-core --example balancing`. The output is the same on every
//! run and every platform: the simulation is seeded and has no clock.

use scalelab_core::balancing::{
    BalancerConfig, BalancingAction, BalancingConfig, BalancingModel, StrategyKind,
};
use scalelab_core::sim::SimDuration;
use scalelab_core::{Metrics, Model};

/// Steps until `secs` more simulated seconds have passed.
fn run_for(model: &mut BalancingModel, secs: u64) {
    let until = model.now().after(SimDuration::from_secs(secs));
    while model.now() < until {
        model.step();
    }
}

fn main() -> Result<(), scalelab_core::Error> {
    // Four equal servers at 70 % load; each lane gets the same seeded requests.
    let config = BalancingConfig {
        base: BalancerConfig::default(),
        lanes: [
            StrategyKind::RoundRobin,
            StrategyKind::LeastConnections,
            StrategyKind::PowerOfTwoChoices,
        ]
        .iter()
        .map(|k| k.name().to_string())
        .collect(),
    };
    let mut model = BalancingModel::new(config)?;
    run_for(&mut model, 5);

    // Crash web-2 in every lane. Health checks take up to three probes (2 s apart) to notice;
    // until then the balancer keeps sending it requests, which are refused.
    model.apply(&BalancingAction::KillServer { server: 1 })?;
    let lane = model.lane(0).map(|l| l.metrics());
    if let Some(server) = lane.as_ref().and_then(|m| m.servers.get(1)) {
        println!(
            "just after the crash, {} is {:?}",
            server.name,
            server.state()
        );
    }
    run_for(&mut model, 10);
    if let Some(server) = model
        .lane(0)
        .and_then(|l| l.metrics().servers.get(1).cloned())
    {
        println!("10 s later, {} is {:?}", server.name, server.state());
    }

    // Least connections fails most: a crashed server refuses at once, so it always has the
    // fewest requests in flight and wins nearly every pick until it is marked DOWN.
    println!("\nlane                       p50 ms  p99 ms    done  failed");
    for l in model.lane_metrics() {
        println!(
            "{:<25} {:>7.2} {:>7.2} {:>7} {:>7}",
            l.strategy.label(),
            l.recent_latency.p50 as f64 / 1_000.0,
            l.recent_latency.p99 as f64 / 1_000.0,
            l.completed,
            l.failed,
        );
    }

    // The same figures as the page's charts and exports read them: named columns.
    println!();
    for (name, value) in BalancingModel::METRIC_NAMES.iter().zip(model.metrics()) {
        println!("{name:>15} = {value:.2}");
    }
    Ok(())
}
