//! Every model answers its readouts by name: each metric column and each family readout
//! (with a subject the model has) reads a value once a run has started, and a wrong name or
//! subject is a typed error that lists what there is.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test: a panic is the failure it reports"
)]

use scalelab_core::balancing::{BalancingConfig, BalancingModel};
use scalelab_core::caching::{CachingConfig, CachingModel, CachingRace, CachingRaceConfig};
use scalelab_core::readouts::{Reading, ReadoutError, Readouts};
use scalelab_core::scaling::{ComparisonConfig, ScalingConfig, ScalingModel};
use scalelab_core::sharding::{ShardingConfig, ShardingModel};
use scalelab_core::Model;

/// Every readout of `M` reads after `steps` steps; `subject` names a subject of each kind.
fn every_readout_reads<M: Readouts + Model>(
    mut model: M,
    steps: u64,
    subject: impl Fn(&str) -> &'static str,
) {
    model.run_into(steps, &mut Vec::new());
    for name in M::METRIC_NAMES {
        match model.reading(name) {
            Ok(Reading::Number(v)) => assert!(v.is_finite(), "{name}"),
            Ok(other) => panic!("{name} reads {other:?}, not a number"),
            // A chart column a view does not have (a second lane) has no value.
            Err(ReadoutError::NoValueYet { .. }) => {}
            Err(e) => panic!("{name}: {e}"),
        }
    }
    for spec in M::READOUTS {
        let readout = match spec.subject {
            Some(kind) => format!("{}:{}", spec.name, subject(kind)),
            None => spec.name.to_string(),
        };
        match model.reading(&readout) {
            Ok(r) => assert!(!r.to_text().is_empty(), "{readout}"),
            Err(ReadoutError::NoValueYet { .. }) => {}
            Err(e) => panic!("{readout}: {e}"),
        }
    }
    match model.reading("no_such_readout") {
        Err(ReadoutError::Unknown { known, .. }) => {
            assert!(M::METRIC_NAMES.iter().all(|m| known.contains(m)), "{known}");
        }
        other => panic!("an unknown readout read {other:?}"),
    }
    if let Some(spec) = M::READOUTS.iter().find(|s| s.subject.is_some()) {
        assert!(matches!(
            model.reading(spec.name),
            Err(ReadoutError::Subject { wants: true, .. })
        ));
        let e = model.reading(&format!("{}:nobody", spec.name));
        assert!(
            matches!(e, Err(ReadoutError::UnknownSubject { .. })),
            "{e:?}"
        );
    }
}

#[test]
fn balancing_readouts() {
    let model = BalancingModel::new(BalancingConfig::default()).expect("builds");
    every_readout_reads(model.clone(), 2_000, |kind| match kind {
        "server name" => "web-2",
        _ => "round-robin",
    });
    let mut m = model;
    m.run_into(2_000, &mut Vec::new());
    assert_eq!(
        m.reading("server_state:WEB-2"),
        Ok(Reading::Text("up".into())),
        "subjects ignore case"
    );
    let Ok(Reading::Number(share)) = m.reading("busiest_share_pct") else {
        panic!("a share")
    };
    assert!(
        (20.0..=40.0).contains(&share),
        "round robin over 4 servers: {share}"
    );
}

#[test]
fn caching_readouts() {
    let model = CachingModel::new(CachingConfig::default()).expect("builds");
    every_readout_reads(model, 2_000, |_| "");
}

#[test]
fn caching_race_readouts() {
    let race = CachingRace::new(CachingRaceConfig::default()).expect("builds");
    every_readout_reads(race.clone(), 2_000, |_| "w-tinylfu");
    let wrong = race.reading("lane_hit_pct:fifo-naive");
    assert!(
        matches!(wrong, Err(ReadoutError::UnknownSubject { ref known, .. }) if known == "lru, lfu, ttl, w-tinylfu"),
        "{wrong:?}"
    );
}

#[test]
fn sharding_readouts() {
    let model = ShardingModel::new(ShardingConfig::default()).expect("builds");
    every_readout_reads(model.clone(), 500, |_| "shard-1");
    let mut m = model;
    m.run_into(500, &mut Vec::new());
    let Ok(Reading::Number(stored)) = m.reading("keys_stored") else {
        panic!("a count")
    };
    let per_shard: f64 = (0..4)
        .map(|i| match m.reading(&format!("shard_keys:shard-{i}")) {
            Ok(Reading::Number(n)) => n,
            other => panic!("{other:?}"),
        })
        .sum();
    assert_eq!(stored, per_shard);
}

#[test]
fn scaling_readouts() {
    let model = ScalingModel::new(ScalingConfig::Compare(
        ComparisonConfig::vertical_vs_horizontal(),
    ))
    .expect("builds");
    every_readout_reads(model.clone(), 400, |_| "horizontal");
    let mut m = model;
    m.run_into(400, &mut Vec::new());
    let cheapest = m.reading("cheapest_lane").expect("a lane");
    assert!(
        matches!(&cheapest, Reading::Text(t) if t == "vertical" || t == "horizontal"),
        "{cheapest:?}"
    );
}

#[test]
fn numbers_read_to_three_decimals_at_most() {
    assert_eq!(Reading::Number(1.0 / 3.0).to_text(), "0.333");
    assert_eq!(Reading::Number(792.0).to_text(), "792");
    assert_eq!(
        Reading::Text("crashed-down".into()).to_text(),
        "crashed-down"
    );
}
