//! Native timing of [`scalelab_core::pipeline::run`]: 1 000 000 requests through balancer →
//! L1/L2 cache → shards, timed with `Instant` (release profile, like the wasm32 run in
//! `core/tests/wasm_pipeline.rs`). `cargo xtask bench` compares the two medians.
//!
//! `cargo bench -p scalelab-core --bench pipeline [-- <runs>]`

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::pipeline;
use std::hint::black_box;
use std::time::Instant;

const REQUESTS: u64 = 1_000_000;
const SEED: u64 = 42;

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut times = Vec::with_capacity(runs);
    let mut digest = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let summary = black_box(pipeline::run(black_box(REQUESTS), SEED));
        times.push(started.elapsed().as_secs_f64() * 1_000.0);
        digest = summary.digest;
        if times.len() == 1 {
            println!("pipeline summary: {summary:?}");
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("pipeline native runs (ms): {times:.1?}");
    // The line `cargo xtask bench` reads.
    println!("BENCH pipeline_native_ms={median:.3} digest={digest}");
}
