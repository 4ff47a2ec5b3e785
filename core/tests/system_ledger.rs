//! The system scene's ledger: whatever chaos a student throws, every request that arrives is
//! answered, dropped, failed or still in flight — at every step — and each ends exactly once;
//! a refused action leaves the model as it was; stepping quietly is stepping.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::sim::SimDuration;
use scalelab_core::system::{SystemAction, SystemConfig, SystemEvent, SystemModel};
use scalelab_core::timeline::Action;
use scalelab_core::Model;
use std::collections::BTreeSet;

/// A chaos switch with parameters drawn from small ranges; some name instances, shards or keys
/// that do not exist, so refusals are exercised too.
fn action() -> impl Strategy<Value = SystemAction> {
    let secs = (1u64..20).prop_map(SimDuration::from_secs);
    prop_oneof![
        (0u32..8).prop_map(|instance| SystemAction::KillInstance { instance }),
        (0u32..8, 1u32..20, secs.clone()).prop_map(|(instance, factor, duration)| {
            SystemAction::SlowInstance {
                instance,
                factor,
                duration,
            }
        }),
        Just(SystemAction::FlushL2),
        secs.clone()
            .prop_map(|duration| SystemAction::CrashL2 { duration }),
        (0u64..12_000, 0.0f64..1.0, secs.clone()).prop_map(|(key, share, duration)| {
            SystemAction::HotKey {
                key,
                share,
                duration,
            }
        }),
        (0u32..10, secs.clone())
            .prop_map(|(shard, duration)| SystemAction::ShardDown { shard, duration }),
        (0u32..10, 1u32..20, secs.clone()).prop_map(|(shard, factor, duration)| {
            SystemAction::SlowShard {
                shard,
                factor,
                duration,
            }
        }),
        (0.5f64..5.0, secs).prop_map(|(multiplier, duration)| SystemAction::Spike {
            multiplier,
            duration
        }),
        (0u64..50, 1u32..300).prop_map(|(key, requests)| SystemAction::Stampede { key, requests }),
        any::<bool>().prop_map(|on| SystemAction::SetCoalescing { on }),
    ]
}

/// Requests seen so far by id: open (routed, not ended) and ended.
#[derive(Default)]
struct Ledger {
    open: BTreeSet<u64>,
    ended: BTreeSet<u64>,
    answered: u64,
    dropped: u64,
    failed: u64,
}

impl Ledger {
    fn end(&mut self, request: u64) {
        self.open.remove(&request);
        assert!(self.ended.insert(request), "request {request} ended twice");
    }

    fn take(&mut self, events: &[SystemEvent]) {
        for e in events {
            match e {
                SystemEvent::Routed { request, .. } => {
                    assert!(!self.ended.contains(request));
                    assert!(self.open.insert(*request), "request {request} routed twice");
                }
                SystemEvent::Answered { request, .. } => {
                    assert!(
                        self.open.contains(request),
                        "answer for {request} never routed"
                    );
                    self.answered += 1;
                    self.end(*request);
                }
                SystemEvent::Dropped { request, .. } => {
                    self.dropped += 1;
                    self.end(*request);
                }
                SystemEvent::Failed { request, .. } => {
                    assert!(
                        self.open.contains(request),
                        "failure of {request} never routed"
                    );
                    self.failed += 1;
                    self.end(*request);
                }
                _ => {}
            }
        }
    }

    /// The model's ledger against the one counted from its events.
    fn check(&self, model: &SystemModel) {
        let s = model.stats();
        assert_eq!(s.answered, self.answered);
        assert_eq!(s.dropped, self.dropped);
        assert_eq!(s.failed, self.failed);
        assert_eq!(s.in_flight(), self.open.len() as u64);
        assert_eq!(s.arrived, self.ended.len() as u64 + self.open.len() as u64);
        assert_eq!(s.arrived, s.answered + s.dropped + s.failed + s.in_flight());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_request_unaccounted(
        seed in any::<u64>(),
        plan in prop::collection::vec((action(), 50u32..1_500), 1..8),
    ) {
        let mut model = SystemModel::new(SystemConfig { seed, ..SystemConfig::default() }).unwrap();
        let mut ledger = Ledger::default();
        let mut events = Vec::new();
        for (action, steps) in plan {
            let before = serde_json::to_string(&model).unwrap();
            if action.apply(&mut model).is_err() {
                prop_assert_eq!(&serde_json::to_string(&model).unwrap(), &before);
            }
            for _ in 0..steps {
                events.clear();
                model.step_into(&mut events);
                ledger.take(&events);
                ledger.check(&model);
            }
        }
    }
}

#[test]
fn a_refused_action_names_what_is_wrong_and_changes_nothing() {
    let mut model = SystemModel::new(SystemConfig::default()).unwrap();
    let mut events = Vec::new();
    model.run_into(500, &mut events);
    let before = serde_json::to_string(&model).unwrap();
    let refusals = [
        (
            SystemAction::KillInstance { instance: 99 },
            "there is no app instance 99; the instances are: 0, 1, 2",
        ),
        (
            SystemAction::ShardDown {
                shard: 8,
                duration: SimDuration::from_secs(1),
            },
            "there is no shard 8; the shards are 0 to 7",
        ),
        (
            SystemAction::Stampede {
                key: 10_000,
                requests: 10,
            },
            "there is no key 10000; the keys are 0 to 9999",
        ),
        (
            SystemAction::SlowShard {
                shard: 1,
                factor: 1,
                duration: SimDuration::from_secs(1),
            },
            "slow-down factor must be at least 2, but it is 1",
        ),
        (
            SystemAction::Spike {
                multiplier: f64::NAN,
                duration: SimDuration::from_secs(1),
            },
            "spike multiplier must be a finite number, but it is NaN",
        ),
        (
            SystemAction::CrashL2 {
                duration: SimDuration::ZERO,
            },
            "chaos duration (µs) must be at least 1, but it is 0",
        ),
    ];
    for (action, message) in refusals {
        let err = action.apply(&mut model).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert_eq!(serde_json::to_string(&model).unwrap(), before);
    }
}

#[test]
fn a_bad_config_is_a_clear_error() {
    let bad = |f: fn(&mut SystemConfig)| {
        let mut c = SystemConfig::default();
        f(&mut c);
        SystemModel::new(c).unwrap_err().to_string()
    };
    assert_eq!(
        bad(|c| c.app.min = 5),
        "the app tier starts with 3 instances, outside its bounds 5 to 16"
    );
    assert_eq!(
        bad(|c| c.app.max = 1),
        "the app tier's minimum (2) is above its maximum (1) instances"
    );
    assert_eq!(
        bad(|c| c.store.shards = 0),
        "shard count must be at least 1, but it is 0"
    );
    assert_eq!(
        bad(|c| c.keys.write_share = 1.5),
        "write share must be between 0 and 1, but it is 1.5"
    );
    assert_eq!(
        SystemConfig::from_json(r#"{"balancer":{"strategy":"fastest"}}"#)
            .unwrap_err()
            .to_string()
            .split(':')
            .next(),
        Some("could not read the system config")
    );
    let partial = SystemConfig::from_json(r#"{"coalescing":true}"#).unwrap();
    assert_eq!(
        partial,
        SystemConfig {
            coalescing: true,
            ..SystemConfig::default()
        }
    );
}

#[test]
fn quiet_fast_forward_is_stepping_one_at_a_time() {
    let config = SystemConfig::default();
    let mut stepped = SystemModel::new(config.clone()).unwrap();
    let mut quiet = SystemModel::new(config).unwrap();
    let mut events = Vec::new();
    let mut scratch = Vec::new();
    let chaos = SystemAction::ShardDown {
        shard: 2,
        duration: SimDuration::from_secs(3),
    };
    for (round, steps) in [3_000u64, 1, 4_000, 777].into_iter().enumerate() {
        if round == 1 {
            chaos.apply(&mut stepped).unwrap();
            chaos.apply(&mut quiet).unwrap();
        }
        for _ in 0..steps {
            events.clear();
            stepped.step_into(&mut events);
        }
        quiet.steps_quiet(steps, &mut scratch);
        assert!(scratch.is_empty(), "quiet steps report nothing");
        assert_eq!(
            serde_json::to_value(&stepped).unwrap(),
            serde_json::to_value(&quiet).unwrap()
        );
    }
    let mut one_by_one = SystemModel::new(SystemConfig::default()).unwrap();
    for _ in 0..5_000 {
        one_by_one.step_quiet(&mut events);
    }
    let mut again = SystemModel::new(SystemConfig::default()).unwrap();
    again.run_into(5_000, &mut events);
    assert_eq!(
        serde_json::to_value(&one_by_one).unwrap(),
        serde_json::to_value(&again).unwrap()
    );
}
