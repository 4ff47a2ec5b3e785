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

// ---------------------------------------------------------------- faults

#[test]
fn a_slow_shard_stretches_the_aggregate_by_its_factor() {
    let mut m = store_with(
        &[("user:1", 5), ("user:2", 6), ("user:3", 7), ("user:4", 8)],
        3,
    );
    let free = QueryCost {
        jitter_micros: 0,
        merge_per_shard_micros: 0,
        merge_per_row_micros: 0,
        ..QueryCost::default()
    };
    let mut rng = SimRng::derive(1, 9);
    let before = m.aggregate(&Aggregate::Count, &free, &mut rng).unwrap();
    let usual = before
        .answers
        .iter()
        .find(|a| a.shard == ShardId(2))
        .unwrap()
        .latency_micros;
    m.set_fault(ShardId(2), ShardFault::Slow { factor: 10 })
        .unwrap();
    let after = m.aggregate(&Aggregate::Count, &free, &mut rng).unwrap();
    let slow = after
        .answers
        .iter()
        .find(|a| a.shard == ShardId(2))
        .unwrap()
        .latency_micros;
    // Without jitter a shard's time is fixed: ten times it, and the query waits for it.
    assert_eq!(slow, usual * 10);
    assert_eq!(after.latency_micros, slow);
    assert!(!after.is_partial());
    assert_eq!(after.result.count, 4);
    for bad in [0, 1, MAX_SLOW_FACTOR + 1] {
        let e = m
            .set_fault(ShardId(2), ShardFault::Slow { factor: bad })
            .unwrap_err();
        assert!(matches!(e, ShardingError::BadSlowFactor { .. }), "{e}");
    }
}

#[test]
fn a_failed_shard_gives_a_partial_answer_and_keeps_its_keys() {
    let scores: Vec<(String, i64)> = (0..60u64)
        .map(|i| (key_name(i), (i * 13 % 97) as i64))
        .collect();
    let refs: Vec<(&str, i64)> = scores.iter().map(|(k, s)| (k.as_str(), *s)).collect();
    let mut m = store_with(&refs, 4);
    let before: Vec<ShardLoad> = m.key_counts();
    m.set_fault(ShardId(1), ShardFault::Down).unwrap();
    let mut rng = SimRng::derive(3, 9);
    let cost = QueryCost::default();
    let out = m.aggregate(&Aggregate::Sum, &cost, &mut rng).unwrap();
    assert!(out.is_partial());
    assert_eq!(out.missing, vec![ShardId(1)]);
    assert_eq!(out.answers.len(), 3);
    // The answer is the live shards' records only, and says so.
    let live: Vec<(i64, String)> = scores
        .iter()
        .filter(|(k, _)| m.locate(k) != Some(ShardId(1)))
        .map(|(k, s)| (*s, k.clone()))
        .collect();
    let held = before.iter().find(|l| l.shard == ShardId(1)).unwrap().keys;
    assert_eq!(out.result.count, 60 - held);
    assert_eq!(out.result.count, live.len() as u64);
    assert_eq!(out.result.sum, live.iter().map(|(s, _)| s).sum::<i64>());
    let slowest = out.answers.iter().map(|a| a.latency_micros).max().unwrap();
    assert_eq!(out.latency_micros, slowest + out.merge_micros);
    // A filter query is partial too.
    let rows = m.scatter_gather(&Filter::All, &cost, &mut rng).unwrap();
    assert_eq!(rows.failed, vec![ShardId(1)]);
    assert_eq!(rows.rows.len() as u64, 60 - held);
    // Point reads and writes of its keys fail with the reason; nothing moves meanwhile.
    let (on_down, _) = scores
        .iter()
        .find(|(k, _)| m.locate(k) == Some(ShardId(1)))
        .unwrap();
    let e = m.query_key(on_down, &cost, &mut rng).unwrap_err();
    assert_eq!(e, ShardingError::ShardDown { shard: 1 });
    assert!(
        e.to_string()
            .starts_with("shard-1 is down: its keys are safe"),
        "{e}"
    );
    assert_eq!(m.down_owner(on_down), Some(ShardId(1)));
    assert_eq!(
        m.write(on_down, "score=1").unwrap_err(),
        ShardingError::ShardDown { shard: 1 }
    );
    assert_eq!(
        m.add_shard().unwrap_err(),
        ShardingError::ShardDown { shard: 1 }
    );
    assert_eq!(
        m.start_rebalance().unwrap_err(),
        ShardingError::ShardDown { shard: 1 }
    );
    // Cleared, the shard answers with every key it had.
    m.set_fault(ShardId(1), ShardFault::Healthy).unwrap();
    assert_eq!(m.key_counts(), before);
    let whole = m.aggregate(&Aggregate::Count, &cost, &mut rng).unwrap();
    assert!(!whole.is_partial());
    assert_eq!(whole.result.count, 60);
    assert!(m.query_key(on_down, &cost, &mut rng).is_ok());
}

#[test]
fn a_shard_fails_only_between_migrations() {
    let mut m = store_with(&[("user:1", 1), ("user:2", 2), ("user:3", 3)], 2);
    m.add_shard().unwrap();
    if m.is_migrating() {
        let e = m.set_fault(ShardId(0), ShardFault::Down).unwrap_err();
        assert!(
            matches!(e, ShardingError::MigrationInProgress { .. }),
            "{e}"
        );
    }
    while m.step_migration().is_some() {}
    m.set_fault(ShardId(0), ShardFault::Down).unwrap();
    assert!(m.is_down(ShardId(0)));
}

#[test]
fn the_scene_names_the_failed_shard_and_its_readouts_say_partial() {
    let mut sim = ShardingModel::new(ShardingConfig::default()).unwrap();
    let mut events = Vec::new();
    sim.run_into(10, &mut events);
    let down = ShardingAction::SetFault {
        shard: 2,
        fault: ShardFault::Down,
    };
    scalelab_core::timeline::Action::apply(&down, &mut sim).unwrap();
    let before = sim.manager().key_counts();
    let agg = ShardingAction::Aggregate {
        aggregate: Aggregate::Count,
    };
    scalelab_core::timeline::Action::apply(&agg, &mut sim).unwrap();
    let fan = sim.last_fan_out().unwrap().to_string();
    assert!(
        fan.contains("shard-2 is down: the answer will be partial."),
        "{fan}"
    );
    let mut told = Vec::new();
    for _ in 0..400 {
        events.clear();
        sim.step_into(&mut events);
        told.extend(events.iter().map(|e| e.kind.clone()));
    }
    assert!(told.contains(&ShardEventKind::QueryShardFailed {
        query: 0,
        shard: ShardId(2)
    }));
    let gathered = told
        .iter()
        .find_map(|k| match k {
            ShardEventKind::AggregateGathered { missing, .. } => {
                Some(k.narrate()).filter(|_| missing == &[ShardId(2)])
            }
            _ => None,
        })
        .unwrap();
    assert!(
        gathered.contains("PARTIAL: shard-2 is down, so its share is unknown"),
        "{gathered}"
    );
    // Client requests for its keys were refused, never answered wrongly.
    let refused = told
        .iter()
        .filter(|k| {
            matches!(
                k,
                ShardEventKind::ShardUnavailable {
                    shard: ShardId(2),
                    ..
                }
            )
        })
        .count() as u64;
    assert!(refused > 0);
    assert_eq!(number(&sim, "aggregate_partial"), 1.0);
    assert_eq!(number(&sim, "unavailable_requests"), refused as f64);
    let held = before.iter().find(|l| l.shard == ShardId(2)).unwrap().keys as f64;
    assert_eq!(number(&sim, "aggregate_count"), 1_000.0 - held);
    // The down shard kept every key: cleared, COUNT is whole again.
    let heal = ShardingAction::SetFault {
        shard: 2,
        fault: ShardFault::Healthy,
    };
    scalelab_core::timeline::Action::apply(&heal, &mut sim).unwrap();
    scalelab_core::timeline::Action::apply(&agg, &mut sim).unwrap();
    sim.run_into(400, &mut events);
    assert_eq!(number(&sim, "aggregate_partial"), 0.0);
    assert_eq!(number(&sim, "aggregate_count"), 1_000.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// With one shard down, the aggregate is marked partial, names it, and equals the
    /// computation over the keys the other shards hold; the latency is the slowest answer's
    /// plus the merge.
    #[test]
    fn a_partial_answer_equals_the_live_shards_keys(
        router in routers(),
        shards in 2u32..7,
        keys in 10u64..300,
        k in 1u32..8,
        seed in any::<u64>(),
        down in 0u32..7,
    ) {
        let mut sim = ShardingModel::new(ShardingConfig {
            router,
            shards,
            keys,
            seed,
            ..ShardingConfig::default()
        })
        .unwrap();
        let down = ShardId(down % shards);
        sim.set_fault(down, ShardFault::Down).unwrap();
        let mut events = Vec::new();
        sim.run_into(100, &mut events);
        let store = sim.manager();
        let mut live: Vec<(i64, String)> = (0..keys)
            .map(key_name)
            .filter(|key| store.locate(key) != Some(down))
            .filter_map(|key| Some((record_score(&store.read(&key).value?.value), key)))
            .collect();
        let count = live.len() as u64;
        let sum: i64 = live.iter().map(|(s, _)| s).sum();
        live.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        live.truncate(k as usize);
        let mut rng = SimRng::derive(seed, 9);
        let out = store.aggregate(&Aggregate::TopK { k }, &QueryCost::default(), &mut rng).unwrap();
        prop_assert!(out.is_partial());
        prop_assert_eq!(out.missing.clone(), vec![down]);
        prop_assert_eq!(out.result.count, count);
        prop_assert_eq!(out.result.sum, sum);
        prop_assert_eq!(top(&out.result), live);
        let slowest = out.answers.iter().map(|a| a.latency_micros).max().unwrap();
        prop_assert_eq!(out.latency_micros, slowest + out.merge_micros);
        // Every key is still held by some shard: none lost.
        let held: u64 = store.key_counts().iter().map(|l| l.keys).sum();
        prop_assert_eq!(held, keys);
    }
}

fn number(sim: &ShardingModel, name: &str) -> f64 {
    match sim.reading(name).unwrap() {
        Reading::Number(v) => v,
        r => panic!("{name}: {r:?}"),
    }
}
