//! The balancing scene's fast-forward workload, shared by the native bench
//! (`benches/fast_forward.rs`) and its wasm32 twin (`tests/wasm_fast_forward.rs`) so both time
//! exactly the same thing: a one-lane [`BalancingModel`] of the preset balancer inside a [`Timeline`],
//! advanced with [`Timeline::fast_forward`] in the chunks the web player uses at top speed.

use scalelab_core::balancing::{BalancingAction, BalancingConfig, BalancingModel, StrategyKind};
use scalelab_core::timeline::Timeline;
use scalelab_core::Model;
use std::hint::black_box;

pub const STEPS: u64 = 4_000_000;
/// What the player advances between two looks at the clock.
pub const CHUNK: u64 = 1_024;

fn scene_model() -> BalancingModel {
    BalancingModel::new(BalancingConfig {
        lanes: vec![StrategyKind::RoundRobin.name().to_string()],
        ..BalancingConfig::default()
    })
    .expect("preset is valid")
}

/// What one run leaves behind, to show that a change did not shift the simulation.
pub struct Reached {
    pub requests: u64,
    pub now_micros: u64,
}

/// Fast-forwards a fresh scene model by `steps` steps.
pub fn run(steps: u64) -> Reached {
    let mut t: Timeline<BalancingModel, BalancingAction> = Timeline::new(scene_model());
    let mut done = 0;
    while done < steps {
        let n = CHUNK.min(steps - done);
        t.fast_forward(black_box(n));
        done += n;
    }
    Reached {
        requests: t.model().lanes()[0].workload().requests_generated(),
        now_micros: t.model().now().0,
    }
}
