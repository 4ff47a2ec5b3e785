//! Rewind is exact on every real scene: from any state reached by any sequence of steps and
//! user actions (decoded from random action texts, as a link would carry them), stepping back
//! k then forward k replays identical events, and the model then goes on exactly as one that
//! never rewound.
#![cfg(not(target_arch = "wasm32"))]
// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::timeline::Timeline;
use scalelab_web::params::ParamValues;
use scalelab_web::scenes::{balancing, caching, scaling, sharding, system, Scene, SceneId};

/// Action texts as links carry them (`{n}` is a server, shard or lane index); a text the
/// scene does not decode, or an action it refuses, changes nothing.
fn templates(scene: SceneId) -> Vec<&'static str> {
    match scene {
        SceneId::Balancing => vec![
            "kill.{n}",
            "revive.{n}",
            "slow.{n}.3",
            "errors.{n}.0.5",
            "add.web-9",
            "remove.{n}",
            // Refused in race mode (the default view): a refused action must change nothing.
            "switch.ip-hash",
        ],
        SceneId::Caching => vec![
            "warm.{n}0",
            "stampede.{n}.50",
            "flush",
            "clear",
            "crash",
            "policy.lru",
            "policy.fifo-naive",
            "policy.lfu",
            "policy.ttl",
            "policy.w-tinylfu",
            "workload.scan",
            "workload.uniform",
            "write.write-through",
            "write.cache-aside",
            "write.write-behind.500",
            "coalesce.on",
            "coalesce.off",
            "resize.{n}",
        ],
        SceneId::Sharding => vec!["add", "rm.{n}", "rebal", "qr.0.100", "qp.2", "qk.{n}"],
        SceneId::Scaling => vec![
            "add.0",
            "add.1",
            "remove.{n}",
            "up.0",
            "down.0",
            "mode.0.hpa",
            "mode.0.threshold",
            "load.spike.500",
            "load.ramp.2000",
        ],
        SceneId::System => vec![
            "kill.{n}",
            "slow.{n}.10.2000",
            "flush",
            "crash.1000",
            "hot.{n}.330.3000",
            "down.{n}.1000",
            "slowshard.{n}.10.2000",
            "spike.400.3000",
            "stampede.{n}.50",
            "coalesce.on",
            "coalesce.off",
        ],
    }
}

fn action_text(scene: SceneId) -> impl Strategy<Value = String> {
    (prop::sample::select(templates(scene)), 0u32..6)
        .prop_map(|(t, n)| t.replace("{n}", &n.to_string()))
}

#[derive(Debug, Clone)]
enum Op {
    Steps(u16),
    Act(String),
}

fn ops(scene: SceneId) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            1 => (1u16..300).prop_map(Op::Steps),
            1 => action_text(scene).prop_map(Op::Act),
        ],
        1..16,
    )
}

/// Events of `n` steps forward, formatted (every scene's events are `Debug`).
fn forward<S: Scene>(tl: &mut Timeline<S::Model, S::Action>, n: u64) -> Vec<String> {
    (0..n).map(|_| format!("{:?}", tl.forward())).collect()
}

fn check<S: Scene>(seed: u64, ops: &[Op], k: u64, after: u64) -> Result<(), TestCaseError> {
    let model = S::build(&ParamValues::defaults(S::specs()), seed).unwrap();
    let mut tl: Timeline<S::Model, S::Action> = Timeline::new(model);
    let mut history: Vec<String> = Vec::new();
    let mut acted = 0;
    for op in ops {
        match op {
            Op::Steps(n) => history.extend(forward::<S>(&mut tl, u64::from(*n))),
            Op::Act(text) => {
                if let Some(a) = S::decode_action(text) {
                    // Refused actions leave the model as it was; both are fine here.
                    if tl.act(a).is_ok() {
                        acted += 1;
                    }
                }
            }
        }
    }
    let k = k.min(tl.step());
    let mut straight = tl.clone();
    for _ in 0..k {
        prop_assert!(tl.back());
    }
    let replayed = forward::<S>(&mut tl, k);
    let start = history.len() - k as usize;
    prop_assert_eq!(
        &replayed[..],
        &history[start..],
        "{}: back {} then forward {} differs ({} actions)",
        S::ID.name(),
        k,
        k,
        acted
    );
    prop_assert_eq!(
        forward::<S>(&mut tl, after),
        forward::<S>(&mut straight, after),
        "{}: the rewound model went on differently",
        S::ID.name()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn balancing_rewinds_exactly(seed in any::<u64>(), ops in ops(SceneId::Balancing), k in 1u64..500) {
        check::<balancing::BalancingScene>(seed, &ops, k, 200)?;
    }

    #[test]
    fn caching_rewinds_exactly(seed in any::<u64>(), ops in ops(SceneId::Caching), k in 1u64..500) {
        check::<caching::CachingScene>(seed, &ops, k, 200)?;
    }

    #[test]
    fn sharding_rewinds_exactly(seed in any::<u64>(), ops in ops(SceneId::Sharding), k in 1u64..500) {
        check::<sharding::ShardingScene>(seed, &ops, k, 200)?;
    }

    #[test]
    fn scaling_rewinds_exactly(seed in any::<u64>(), ops in ops(SceneId::Scaling), k in 1u64..500) {
        check::<scaling::ScalingScene>(seed, &ops, k, 200)?;
    }

    #[test]
    fn system_rewinds_exactly(seed in any::<u64>(), ops in ops(SceneId::System), k in 1u64..500) {
        check::<system::SystemScene>(seed, &ops, k, 200)?;
    }
}
