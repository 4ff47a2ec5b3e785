//! Native timing of the balancing scene's fast-forward path: the scene's model (a one-lane
//! [`Race`] of the preset balancer) inside a [`Timeline`], advanced with
//! [`Timeline::fast_forward`] exactly as the web player does at top speed.
//!
//! `cargo bench -p scalelab-core --bench fast_forward [-- <runs> [<steps>]]`
//!
//! Prints steps and requests per second (median of the runs) and the digest-like state
//! summary (requests generated, simulated time) so a change that shifts the simulation shows.

use scalelab_core::balancing::{BalancerAction, Race, RaceConfig, StrategyKind};
use scalelab_core::timeline::Timeline;
use scalelab_core::Model;
use std::hint::black_box;
use std::time::Instant;

const STEPS: u64 = 4_000_000;
/// What the player advances between two looks at the clock.
const CHUNK: u64 = 1_024;

fn scene_model() -> Race {
    Race::new(RaceConfig {
        lanes: vec![StrategyKind::RoundRobin.name().to_string()],
        ..RaceConfig::default()
    })
    .expect("preset is valid")
}

fn main() {
    let nums: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let runs = nums.first().copied().unwrap_or(5).max(1) as usize;
    let steps = nums.get(1).copied().unwrap_or(STEPS).max(CHUNK);
    let mut times = Vec::with_capacity(runs);
    let mut requests = 0;
    for run in 0..runs {
        let mut t: Timeline<Race, BalancerAction> = Timeline::new(scene_model());
        let started = Instant::now();
        let mut done = 0;
        while done < steps {
            let n = CHUNK.min(steps - done);
            t.fast_forward(black_box(n));
            done += n;
        }
        times.push(started.elapsed().as_secs_f64());
        let lane = &t.model().lanes()[0];
        requests = lane.workload().requests_generated();
        if run == 0 {
            println!(
                "fast-forward: {steps} steps → {requests} requests, simulated {}",
                t.model().now()
            );
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("fast-forward native runs (s): {times:.3?}");
    println!(
        "BENCH ff_native_steps_per_s={:.0} ff_native_requests_per_s={:.0}",
        steps as f64 / median,
        requests as f64 / median
    );
}
