//! The fast-forward workloads, shared by the native benches (`benches/fast_forward.rs`,
//! `benches/system_fast_forward.rs`) and their wasm32 twin (`tests/wasm_fast_forward.rs`) so
//! both time exactly the same thing: a model inside a [`Timeline`], advanced with
//! [`Timeline::fast_forward`] in the chunks the web player uses at top speed. The balancing
//! scene's is a one-lane [`BalancingModel`] of the preset balancer.

#![allow(dead_code)] // each bench uses its own scene's half

use scalelab_core::balancing::{BalancingAction, BalancingConfig, BalancingModel, StrategyKind};
use scalelab_core::timeline::{Action, Timeline};
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
    fast_forward(&mut t, steps);
    Reached {
        requests: t.model().lanes()[0].workload().requests_generated(),
        now_micros: t.model().now().0,
    }
}

/// Advances `t` by `steps` steps in the player's chunks.
pub fn fast_forward<M: Model, A: Action<M>>(t: &mut Timeline<M, A>, steps: u64) {
    let mut done = 0;
    while done < steps {
        let n = CHUNK.min(steps - done);
        t.fast_forward(black_box(n));
        done += n;
    }
}
