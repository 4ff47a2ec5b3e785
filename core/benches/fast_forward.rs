//! Native timing of the balancing scene's fast-forward path (see
//! `common/fast_forward_scene.rs`); `tests/wasm_fast_forward.rs` times the same in headless
//! Chromium.
//!
//! `cargo bench -p scalelab-core --bench fast_forward [-- <runs> [<steps>]]`
//!
//! Prints steps and requests per second (median of the runs) and where the simulation got to
//! (requests generated, simulated time) so a change that shifts the simulation shows.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "common/fast_forward_scene.rs"]
mod scene;

use std::time::Instant;

fn main() {
    let nums: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let runs = nums.first().copied().unwrap_or(5).max(1) as usize;
    let steps = nums
        .get(1)
        .copied()
        .unwrap_or(scene::STEPS)
        .max(scene::CHUNK);
    let mut times = Vec::with_capacity(runs);
    let mut requests = 0;
    for run in 0..runs {
        let started = Instant::now();
        let reached = scene::run(steps);
        times.push(started.elapsed().as_secs_f64());
        requests = reached.requests;
        if run == 0 {
            println!(
                "fast-forward: {steps} steps → {requests} requests, simulated {} µs",
                reached.now_micros
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
