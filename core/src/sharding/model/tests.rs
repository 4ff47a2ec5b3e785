//! The model's clocks and its refusals.

use super::*;

#[test]
fn operation_notices_come_before_the_next_client_op() {
    let mut sim = ShardingModel::new(ShardingConfig::default()).unwrap();
    sim.step();
    let at = sim.now();
    sim.add_shard().unwrap();
    let first = sim.step();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].at, at);
    assert!(matches!(
        first[0].kind,
        ShardEventKind::ShardAdded {
            shard: ShardId(4),
            ..
        }
    ));
    let second = sim.step();
    assert!(matches!(
        second[0].kind,
        ShardEventKind::RebalanceStarted { .. }
    ));
}

#[test]
fn batches_run_on_their_own_clock() {
    let mut sim = ShardingModel::new(ShardingConfig {
        batch_interval_micros: 10_000,
        op_interval_micros: 1_000,
        ..ShardingConfig::default()
    })
    .unwrap();
    sim.add_shard().unwrap();
    let mut out = Vec::new();
    sim.run_into(60, &mut out);
    let batch_times: Vec<u64> = out
        .iter()
        .filter(|e| matches!(e.kind, ShardEventKind::BatchMoved { .. }))
        .map(|e| e.at.as_micros())
        .collect();
    assert!(batch_times.len() >= 2);
    assert_eq!(batch_times[0], 10_000);
    assert_eq!(batch_times[1], 20_000);
}

#[test]
fn failed_operations_leave_the_scene_unchanged() {
    let mut sim = ShardingModel::new(ShardingConfig {
        shards: 1,
        ..ShardingConfig::default()
    })
    .unwrap();
    let before = serde_json::to_string(&sim).unwrap();
    assert_eq!(
        sim.remove_shard(ShardId(0)),
        Err(ShardingError::LastShard { shard: 0 })
    );
    assert!(matches!(
        sim.add_weighted_shard(-1.0),
        Err(ShardingError::BadWeight { .. })
    ));
    assert!(sim.query_key("").is_err());
    assert_eq!(serde_json::to_string(&sim).unwrap(), before);
}
