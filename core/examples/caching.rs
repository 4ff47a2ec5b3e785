//! A first look at the caching model: an LRU L1 in front of a shared L2 in front of a
//! database, under Zipf-skewed traffic. It warms the hottest keys, sends a stampede of 50
//! reads at a cold key without and then with request coalescing, and prints what the page
//! would show, the last eviction's and the last read's "why" among it.
//!
//! Run: `cargo run -p scalelab-core --example caching`

use scalelab_core::caching::{CachingAction, CachingConfig, CachingModel, HIT_WINDOW};
use scalelab_core::timeline::Action;
use scalelab_core::{Metrics, Model};

fn percent(rate: Option<f64>) -> String {
    rate.map_or("—".into(), |r| format!("{:.0}%", r * 100.0))
}

/// Sends 50 concurrent reads of a cold key and runs on until they are answered.
fn stampede(model: &mut CachingModel) -> Result<(), scalelab_core::Error> {
    let key = model.cold_key();
    CachingAction::Stampede { key, count: 50 }.apply(model)?;
    while model.last_stampede().is_some_and(|s| s.answered < s.reads) {
        model.step();
    }
    if let Some(s) = model.last_stampede() {
        println!(
            "stampede on key:{} (coalescing {}): origin loads {}, reads that waited on one {}",
            s.key,
            if s.coalescing { "on" } else { "off" },
            s.loads,
            s.waits
        );
    }
    Ok(())
}

fn main() -> Result<(), scalelab_core::Error> {
    // The teaching preset: 16 L1 entries (LRU), 8 KiB of L2, Zipf(1.0) over 200 keys,
    // 200 requests a second, 90 % reads, seed 42.
    let mut model = CachingModel::new(CachingConfig::default())?;

    CachingAction::Warm { count: 20 }.apply(&mut model)?;
    for _ in 0..5_000 {
        model.step();
    }
    if let Some(w) = model.last_warming() {
        let ms = w.elapsed.map_or(0, |e| e.as_millis());
        println!("warmed {} keys in {ms} ms of simulated time", w.loaded);
    }
    println!(
        "after {} ms: hit rate over the last {HIT_WINDOW} lookups: L1 {}, L2 {}; \
         reads answered by a cache: {}",
        model.now().as_millis(),
        percent(model.recent_l1_hit_rate()),
        percent(model.recent_l2_hit_rate()),
        percent(model.recent_hit_rate()),
    );
    // Steps that report their events (`step`, `step_into`) record why.
    if let Some(e) = model.last_eviction() {
        println!("at {}: {e}", e.at);
    }
    if let Some(r) = model.last_read() {
        println!("at {}: {r}", r.at);
    }

    stampede(&mut model)?;
    CachingAction::Coalescing(true).apply(&mut model)?;
    stampede(&mut model)?;

    println!("metrics:");
    for (name, value) in CachingModel::METRIC_NAMES.iter().zip(model.metrics()) {
        println!("  {name:<20} {value:.3}");
    }
    Ok(())
}
