//! The wasm32 side of the pipeline benchmark: [`scalelab_core::pipeline::run`] with 1 000 000
//! requests in headless Chromium, timed with `performance.now()`. Ignored unless asked for, so
//! it never runs as a test; `cargo xtask bench` runs it in release mode with
//! `-- --include-ignored --nocapture` and compares it with `core/benches/pipeline.rs`.
#![cfg(target_arch = "wasm32")]
// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::pipeline;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

const REQUESTS: u64 = 1_000_000;
const SEED: u64 = 42;
const RUNS: usize = 5;

#[wasm_bindgen_test]
#[ignore = "a benchmark: run by `cargo xtask bench`"]
fn pipeline_in_the_browser() {
    let mut times = Vec::with_capacity(RUNS);
    let mut digest = 0;
    for _ in 0..RUNS {
        let started = now();
        let summary = pipeline::run(core::hint::black_box(REQUESTS), SEED);
        times.push(now() - started);
        digest = summary.digest;
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    console_log!("pipeline wasm runs (ms): {times:.1?}");
    console_log!("BENCH pipeline_wasm_ms={median:.3} digest={digest}");
}
