//! The wasm32 twin of `benches/fast_forward.rs` and `benches/system_fast_forward.rs`: the
//! balancing and system scenes' fast-forward paths in headless Chromium, timed with
//! `performance.now()`. The whole-page figure (`bench --only
//! fast-forward`) needs the release bundle; this one needs only the core, so a change to the
//! simulation's hot path can be timed in wasm in a minute. Ignored unless asked for:
//!
//! `cargo test --release -p scalelab-core --target wasm32-unknown-unknown --test
//! wasm_fast_forward -- --include-ignored --nocapture` (with the wasm-bindgen test runner set
//! up as in `cargo xtask bench`). Add `--features compact` for the balancing figure the
//! page gets (every page but the system scene's builds the core with it).
#![cfg(target_arch = "wasm32")]
// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../benches/common/fast_forward_scene.rs"]
mod scene;

use scalelab_core::system::{SystemAction, SystemConfig, SystemModel};
use scalelab_core::timeline::Timeline;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

const RUNS: usize = 9;

#[wasm_bindgen_test]
#[ignore = "a benchmark, not a test"]
fn fast_forward_in_the_browser() {
    let mut times = Vec::with_capacity(RUNS);
    let mut requests = 0;
    for _ in 0..RUNS {
        let started = now();
        let reached = scene::run(scene::STEPS);
        times.push((now() - started) / 1_000.0);
        requests = reached.requests;
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    console_log!("fast-forward wasm runs (s): {times:.3?}");
    console_log!(
        "BENCH ff_wasm_steps_per_s={:.0} ff_wasm_requests_per_s={:.0}",
        scene::STEPS as f64 / median,
        requests as f64 / median
    );
}

/// Steps of one system run: a few simulated minutes of the default day.
const SYSTEM_STEPS: u64 = 2_000_000;

#[wasm_bindgen_test]
#[ignore = "a benchmark, not a test"]
fn system_fast_forward_in_the_browser() {
    let mut times = Vec::with_capacity(RUNS);
    let mut requests = 0;
    for _ in 0..RUNS {
        let model = SystemModel::new(SystemConfig::default()).unwrap();
        let mut t: Timeline<SystemModel, SystemAction> = Timeline::new(model);
        let started = now();
        scene::fast_forward(&mut t, SYSTEM_STEPS);
        times.push((now() - started) / 1_000.0);
        requests = t.model().stats().arrived;
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    console_log!("system fast-forward wasm runs (s): {times:.3?}, {requests} requests");
    console_log!(
        "BENCH system_ff_wasm_steps_per_s={:.0} system_ff_wasm_requests_per_s={:.0}",
        SYSTEM_STEPS as f64 / median,
        requests as f64 / median
    );
}
