//! The whole system on one request path: the thundering-herd preset (a busy day whose shared
//! cache is flushed at 40 s), run once as it is and once with request coalescing, and where each
//! run's latency went, hop by hop.
//!
//! Run with `cargo run -p scalelab-core --example system`.

use scalelab_core::sim::SimTime;
use scalelab_core::system::{preset, Answer, Hop, SystemModel};
use scalelab_core::Model;

fn main() -> Result<(), scalelab_core::Error> {
    let Some(herd) = preset("thundering-herd") else {
        return Ok(());
    };
    for coalescing in [false, true] {
        // The preset's config holds its flush, scheduled at 40 s: the model pulls it itself.
        let mut config = herd.scheduled();
        config.coalescing = coalescing;
        let mut model = SystemModel::new(config)?;
        let mut events = Vec::new();
        while model.now() < SimTime(45_000_000) {
            events.clear();
            model.step_into(&mut events);
        }
        let s = model.stats();
        println!(
            "{} (coalescing {}): {} arrived, {} answered, {} dropped, {} store reads",
            herd.title,
            if coalescing { "on" } else { "off" },
            s.arrived,
            s.answered,
            s.dropped,
            s.answered_by(Answer::Shard)
        );
        for hop in Hop::ALL {
            println!(
                "  {:<8} p99 over the run {:>8.3} ms, over the last {} answers {:>8.3} ms",
                hop.name(),
                s.hop_p99(hop) as f64 / 1_000.0,
                s.recent().len(),
                s.recent_quantile(Some(hop), 0.99) as f64 / 1_000.0
            );
        }
    }
    Ok(())
}
