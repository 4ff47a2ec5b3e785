//! Native timing of the system scene's quiet fast-forward: the default day inside a
//! [`Timeline`], advanced in the chunks the web player uses at top speed.
//!
//! `cargo bench -p scalelab-core --bench system_fast_forward [-- <runs> [<steps>]]`
//!
//! Prints steps and requests per second (median of the runs) and where the simulation got to,
//! so a change that shifts the simulation shows.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::system::{SystemAction, SystemConfig, SystemModel};
use scalelab_core::timeline::Timeline;
use scalelab_core::Model;
use std::time::Instant;

#[path = "common/fast_forward_scene.rs"]
mod scene;

use scene::CHUNK;

const STEPS: u64 = 4_000_000;

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
        let model = SystemModel::new(SystemConfig::default()).expect("the default is valid");
        let mut t: Timeline<SystemModel, SystemAction> = Timeline::new(model);
        let started = Instant::now();
        scene::fast_forward(&mut t, steps);
        times.push(started.elapsed().as_secs_f64());
        requests = t.model().stats().arrived;
        if run == 0 {
            println!(
                "system fast-forward: {steps} steps → {requests} requests, simulated {} µs",
                t.model().now().0
            );
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("system fast-forward native runs (s): {times:.3?}");
    println!(
        "BENCH system_ff_native_steps_per_s={:.0} system_ff_native_requests_per_s={:.0}",
        steps as f64 / median,
        requests as f64 / median
    );
}
