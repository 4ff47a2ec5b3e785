//! The largest settings a link may ask for still simulate within a frame: each scene with
//! every number at its maximum, timed per step. The player gives simulation 8 ms of a frame
//! (12 ms at top speed) and checks the clock between chunks of steps, so what matters is
//! that one step stays far below that. Native time; the browser runs about 1.5× slower
//! (`cargo xtask bench`'s wasm ÷ native ratio).
//!
//! `cargo bench -p scalelab-web --bench largest_settings`

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{criterion_group, Criterion};
    use scalelab_core::Model;
    use scalelab_web::params::{ParamKind, ParamValue, ParamValues};
    use scalelab_web::scenes::{balancing, caching, scaling, sharding, system, Scene};
    use std::hint::black_box;

    /// Every number at its maximum; choices at their defaults.
    fn largest<S: Scene>() -> ParamValues {
        let mut v = ParamValues::defaults(S::specs());
        for spec in S::specs() {
            match spec.kind {
                ParamKind::Int { max, .. } => v.set(spec.key, ParamValue::Int(max)),
                ParamKind::Float { max, .. } => v.set(spec.key, ParamValue::Float(max)),
                ParamKind::Choice { .. } => {}
            }
        }
        v
    }

    fn bench_scene<S: Scene>(c: &mut Criterion) {
        let params = largest::<S>();
        let mut model = match S::build(&params, 1) {
            Ok(m) => m,
            // Some maxima conflict (e.g. min instances above max); fall back to the defaults for
            // those scenes rather than skip them.
            Err(_) => S::build(&ParamValues::defaults(S::specs()), 1).unwrap(),
        };
        let mut events = Vec::new();
        // Warm up past start-up transients (queues filling, caches warming).
        for _ in 0..20_000 {
            events.clear();
            model.step_into(&mut events);
        }
        let name = format!("{} at its largest settings: one step", S::ID.name());
        c.bench_function(&name, |b| {
            b.iter(|| {
                events.clear();
                model.step_into(&mut events);
                black_box(events.len())
            })
        });
    }

    fn benches(c: &mut Criterion) {
        bench_scene::<balancing::BalancingScene>(c);
        bench_scene::<caching::CachingScene>(c);
        bench_scene::<sharding::ShardingScene>(c);
        bench_scene::<scaling::ScalingScene>(c);
        bench_scene::<system::SystemScene>(c);
    }

    criterion_group!(largest_settings, benches);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::largest_settings);

/// Native only: a bench needs a clock.
#[cfg(target_arch = "wasm32")]
fn main() {}
