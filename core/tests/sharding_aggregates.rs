//! Cross-shard aggregates: COUNT, SUM and top-k merged from each shard's partial equal the
//! same computation on one node over every key, and the query waits for the slowest shard.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::readouts::{Reading, Readouts};
use scalelab_core::sharding::*;
use scalelab_core::sim::SimRng;
use scalelab_core::Model;

const TOP3: Aggregate = Aggregate::TopK { k: 3 };

/// COUNT, SUM and the top `k` (score descending, then key) computed on one node over every
/// key the store answers a read for.
fn single_node(store: &ShardManager, keys: u64, k: usize) -> (u64, i64, Vec<(i64, String)>) {
    let mut all: Vec<(i64, String)> = (0..keys)
        .filter_map(|r| {
            let key = key_name(r);
            let v = store.read(&key).value?;
            Some((record_score(&v.value), key))
        })
        .collect();
    let count = all.len() as u64;
    let sum = all.iter().map(|(s, _)| s).sum();
    all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    all.truncate(k);
    (count, sum, all)
}

fn top(p: &Partial) -> Vec<(i64, String)> {
    p.top.iter().map(|r| (r.score, r.key.clone())).collect()
}

fn store_with(scores: &[(&str, i64)], shards: u32) -> ShardManager {
    let mut m = ShardManager::with_shards(
        RouterKind::Ring { virtual_nodes: 50 },
        MigrationMode::Directory,
        RebalancePolicy::default(),
        shards,
    )
    .unwrap();
    for (k, s) in scores {
        m.write(k, &format!("score={s}")).unwrap();
    }
    m
}

#[test]
fn partials_add_up_to_the_whole() {
    let scores: Vec<(String, i64)> = (0..40u64)
        .map(|i| (key_name(i), ((i * 37) % 101) as i64))
        .collect();
    let refs: Vec<(&str, i64)> = scores.iter().map(|(k, s)| (k.as_str(), *s)).collect();
    let m = store_with(&refs, 4);
    let cost = QueryCost::default();
    let mut rng = SimRng::derive(7, 9);
    let count = m.aggregate(&Aggregate::Count, &cost, &mut rng).unwrap();
    assert_eq!(count.answers.len(), 4);
    assert_eq!(count.result.count, 40);
    let parts: u64 = count.answers.iter().map(|a| a.partial.count).sum();
    assert_eq!(parts, 40);
    // Σ (37 i mod 101) for i < 40, worked out on its own: 1 994.
    let sum = m.aggregate(&Aggregate::Sum, &cost, &mut rng).unwrap();
    assert_eq!(sum.result.sum, 1_994);
    // The three best: 100 (i = 30), 97 (i = 19), 94 (i = 8).
    let best = m.aggregate(&TOP3, &cost, &mut rng).unwrap();
    assert_eq!(
        top(&best.result),
        vec![
            (100, "user:30".to_string()),
            (97, "user:19".to_string()),
            (94, "user:8".to_string())
        ]
    );
    // Every shard sent at most k records.
    assert!(best.answers.iter().all(|a| a.partial.top.len() <= 3));
}

#[test]
fn the_aggregate_waits_for_the_slowest_shard() {
    let m = {
        let mut m = store_with(&[("user:1", 5), ("user:2", 6), ("user:3", 7)], 3);
        m.set_shard_latency(ShardId(1), 40_000).unwrap();
        m
    };
    let mut rng = SimRng::derive(1, 9);
    let cost = QueryCost::default();
    let out = m.aggregate(&Aggregate::Count, &cost, &mut rng).unwrap();
    let slowest = out.answers.iter().map(|a| a.latency_micros).max().unwrap();
    let slow = out.answers.iter().find(|a| a.shard == ShardId(1)).unwrap();
    assert_eq!(slow.latency_micros, slowest);
    assert!(slowest >= 40_000);
    // 3 shard answers merged at 100 µs each.
    assert_eq!(out.merge_micros, 300);
    assert_eq!(out.latency_micros, slowest + 300);
    // Without merge costs the query takes exactly the slowest shard's time.
    let free = QueryCost {
        merge_per_shard_micros: 0,
        merge_per_row_micros: 0,
        ..cost
    };
    let out = m.aggregate(&Aggregate::Sum, &free, &mut rng).unwrap();
    let slowest = out.answers.iter().map(|a| a.latency_micros).max().unwrap();
    assert_eq!(out.latency_micros, slowest);
}

#[test]
fn a_bad_k_is_refused() {
    let m = store_with(&[("user:1", 5)], 2);
    let mut rng = SimRng::derive(1, 9);
    for k in [0, MAX_TOP_K + 1] {
        let e = m
            .aggregate(&Aggregate::TopK { k }, &QueryCost::default(), &mut rng)
            .unwrap_err();
        assert!(matches!(e, ShardingError::BadFilter { .. }), "{e}");
        assert!(e.to_string().contains("between 1 and 20"), "{e}");
    }
}

#[test]
fn the_scene_scatters_then_gathers_with_its_readouts() {
    let mut sim = ShardingModel::new(ShardingConfig::default()).unwrap();
    let mut events = Vec::new();
    sim.run_into(20, &mut events);
    let asked = sim.stats().queries;
    assert!(matches!(
        sim.reading("aggregate_count"),
        Err(scalelab_core::readouts::ReadoutError::NoValueYet { .. })
    ));
    let out = ShardingAction::Aggregate {
        aggregate: Aggregate::Count,
    };
    scalelab_core::timeline::Action::apply(&out, &mut sim).unwrap();
    assert_eq!(sim.stats().queries, asked + 1);
    let fan = sim.last_fan_out().unwrap().to_string();
    assert!(
        fan.contains("goes to all 4 shards")
            && fan.contains("the coordinator adds the partials up"),
        "{fan}"
    );
    // The partials are taken over the store as it is when the query is sent, before the
    // writes made while the answers travel.
    let (count, sum, _) = single_node(sim.manager(), sim.config().keys, 0);
    assert_eq!(count, 1_000);
    // The scatter is the next event; one answer per shard follows, then the gather.
    events.clear();
    sim.step_into(&mut events);
    assert!(matches!(
        events[0].kind,
        ShardEventKind::AggregateScattered { .. }
    ));
    let q = sim.last_query().unwrap();
    assert_eq!(q.aggregate, Some(Aggregate::Count));
    assert_eq!(q.shards.len(), 4);
    assert!(q.result.is_none());
    let sent = q.sent_at;
    let mut answered = 0;
    let mut gathered = None;
    while gathered.is_none() {
        events.clear();
        sim.step_into(&mut events);
        for e in &events {
            match &e.kind {
                ShardEventKind::AggregateShardAnswered { .. } => answered += 1,
                ShardEventKind::AggregateGathered { latency_micros, .. } => {
                    gathered = Some((e.at, *latency_micros))
                }
                _ => {}
            }
        }
    }
    assert_eq!(answered, 4);
    let (at, latency) = gathered.unwrap();
    assert_eq!(at.as_micros() - sent.as_micros(), latency);
    let q = sim.last_query().unwrap();
    let slowest = q.slowest().unwrap().latency_micros;
    assert_eq!(latency, slowest + 400);
    assert_eq!(q.result.as_ref().unwrap().count, count);
    let n = |name: &str| match sim.reading(name).unwrap() {
        Reading::Number(v) => v,
        r => panic!("{name}: {r:?}"),
    };
    assert_eq!(n("aggregate_count"), 1_000.0);
    assert_eq!(n("aggregate_latency_ms"), latency as f64 / 1_000.0);
    // The count's merge carries the sum too, over the same records.
    assert_eq!(n("aggregate_sum"), sum as f64);
}

fn routers() -> impl Strategy<Value = RouterKind> {
    prop_oneof![
        Just(RouterKind::ModuloMd5),
        (1u32..40).prop_map(|virtual_nodes| RouterKind::Ring { virtual_nodes }),
        Just(RouterKind::Jump),
        Just(RouterKind::Rendezvous),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// With every shard answering, COUNT, SUM and top-k merged from the shards' partials
    /// equal the computation on one node over every key, at rest and while keys migrate.
    #[test]
    fn merged_partials_equal_one_node(
        router in routers(),
        shards in 1u32..7,
        keys in 10u64..300,
        k in 1u32..8,
        seed in any::<u64>(),
        steps in 0u64..400,
        add in any::<bool>(),
    ) {
        let mut sim = ShardingModel::new(ShardingConfig {
            router,
            shards,
            keys,
            seed,
            ..ShardingConfig::default()
        })
        .unwrap();
        let mut events = Vec::new();
        sim.run_into(steps / 2, &mut events);
        if add {
            sim.add_shard().unwrap();
        }
        sim.run_into(steps / 2, &mut events);
        let cost = QueryCost::default();
        let mut rng = SimRng::derive(seed, 9);
        let (count, sum, best) = single_node(sim.manager(), keys, k as usize);
        for aggregate in [Aggregate::Count, Aggregate::Sum, Aggregate::TopK { k }] {
            let out = sim.manager().aggregate(&aggregate, &cost, &mut rng).unwrap();
            prop_assert_eq!(out.result.count, count);
            prop_assert_eq!(out.result.sum, sum);
            if aggregate == (Aggregate::TopK { k }) {
                prop_assert_eq!(top(&out.result), best.clone());
            }
            let slowest = out.answers.iter().map(|a| a.latency_micros).max().unwrap();
            prop_assert_eq!(out.latency_micros, slowest + out.merge_micros);
        }
    }
}
