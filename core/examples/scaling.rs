//! Scaling up vs scaling out on the identical load: one machine resized by the threshold rule
//! beside a fleet the same rule scales, for twenty simulated minutes, with a surge and a
//! hand-launched instance half-way.
//!
//! Run with `cargo run -p scalelab-core --example scaling`.

use scalelab_core::scaling::{
    ComparisonConfig, LoadShape, ScalingAction, ScalingConfig, ScalingModel,
};
use scalelab_core::timeline::Action;
use scalelab_core::{Metrics, Model};

fn main() -> Result<(), scalelab_core::Error> {
    // Lane 0 is one machine, lane 1 a fleet; both get exactly the same requests every tick.
    let config = ScalingConfig::Compare(ComparisonConfig::vertical_vs_horizontal());
    let mut model = ScalingModel::new(config)?;

    // Ten minutes (one step = one 1-second tick of every lane) on the preset's spikes…
    let mut events = Vec::new();
    model.run_into(600, &mut events);

    // …then a steady 4 000 req/s, and one more instance launched by hand in the fleet.
    let surge = ScalingAction::SetLoad {
        shape: LoadShape::Constant,
        peak: 4_000,
    };
    surge.apply(&mut model)?;
    ScalingAction::Add { lane: 1 }.apply(&mut model)?;
    model.run_into(600, &mut events);
    println!("{} events in {}", events.len(), model.now());

    for lane in model.lanes() {
        let stats = lane.service().stats();
        println!();
        println!("{} ({} mode)", lane.label(), stats.mode);
        println!(
            "  {} req/s of ready capacity on {} cores; {} of {} requests dropped",
            stats.capacity_rps, stats.cores, stats.dropped, stats.offered
        );
        println!(
            "  p95 latency {} ms; {:.0} core-seconds billed; {} with no capacity at all",
            stats.latency.p95 / 1_000,
            stats.cost.core_seconds,
            lane.downtime()
        );
        println!("  its last decisions, oldest first:");
        for decision in lane.decision_log() {
            println!("    {decision}");
        }
    }

    // The metric columns a page charts, one row per step it samples.
    let row = model.metrics();
    let column = |c: usize| row.get(c).copied().unwrap_or(f64::NAN);
    println!();
    println!(
        "last tick: {:.0} req/s offered; served {:.0} (machine) vs {:.0} (fleet)",
        column(ScalingModel::COL_OFFERED_RPS),
        column(ScalingModel::COL_SERVED_RPS),
        column(ScalingModel::COL_LANE2_SERVED_RPS)
    );
    Ok(())
}
