//! The sharding scene's model as a page drives it: every `ShardingAction` a link can express,
//! the readouts the page shows (imbalance, reads per second, unreadable and stale keys, the
//! last query, the moved-key table) and the metric columns, with values checked against
//! independent counts. The unreadable and stale counts the model keeps as it goes are checked
//! against a fresh scan, step by step and under random operations.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::sharding::*;
use scalelab_core::timeline::Action;
use scalelab_core::{Metrics, Model};

/// The scene's default set-up: the core preset with one migration batch per step.
fn scene_config() -> ShardingConfig {
    ShardingConfig {
        batch_interval_micros: 1,
        ..ShardingConfig::default()
    }
}

fn run(model: &mut ShardingModel, steps: u64) -> Vec<ShardingEvent> {
    let mut out = Vec::new();
    model.run_into(steps, &mut out);
    out
}

/// Steps until no key is in flight and no notice is pending (at most `limit` steps).
fn settle(model: &mut ShardingModel, limit: u64) -> Vec<ShardingEvent> {
    let mut out = Vec::new();
    for _ in 0..limit {
        model.step_into(&mut out);
        if !model.manager().is_migrating()
            && model.last_query().is_none_or(|q| q.gathered.is_some())
        {
            // A few more steps flush notices scheduled at this instant.
            model.run_into(5, &mut out);
            if !model.manager().is_migrating() {
                return out;
            }
        }
    }
    panic!("the model did not come to rest in {limit} steps");
}

/// The unreadable and stale counts the model keeps equal a scan of every written key.
fn assert_counts_match_a_scan(model: &ShardingModel) {
    let m = model.manager();
    assert_eq!(
        (model.unreadable_count(), model.stale_count()),
        (
            m.unreadable_keys().len() as u64,
            m.stale_keys().len() as u64
        ),
        "at {}",
        model.now()
    );
}

/// Max over average of the live shards' key counts, counted here from the shards themselves.
fn imbalance_by_hand(model: &ShardingModel) -> f64 {
    let live: Vec<u64> = model
        .manager()
        .shards()
        .filter(|s| !s.draining)
        .map(|s| s.entries().count() as u64)
        .collect();
    let total: u64 = live.iter().sum();
    if live.is_empty() || total == 0 {
        return 1.0;
    }
    *live.iter().max().unwrap() as f64 / (total as f64 / live.len() as f64)
}

/// Every readout and metric column equals its independent count.
fn assert_readouts(model: &ShardingModel) {
    assert_counts_match_a_scan(model);
    assert_eq!(model.imbalance(), imbalance_by_hand(model));
    let live: Vec<u64> = model
        .manager()
        .shards()
        .filter(|s| !s.draining)
        .map(|s| s.entries().count() as u64)
        .collect();
    if !live.is_empty() {
        let average = live.iter().sum::<u64>() as f64 / live.len() as f64;
        assert_eq!(model.average_live_keys(), average);
    }
    let secs = model.now().as_secs_f64();
    let rps = if secs > 0.0 {
        model.stats().reads as f64 / secs
    } else {
        0.0
    };
    assert_eq!(model.reads_per_second(), rps);
    let m = model.metrics();
    assert_eq!(m.len(), ShardingModel::METRIC_NAMES.len());
    assert_eq!(m[ShardingModel::COL_IMBALANCE], model.imbalance());
    assert_eq!(
        m[ShardingModel::COL_UNREADABLE_KEYS],
        model.unreadable_count() as f64
    );
    assert_eq!(m[ShardingModel::COL_STALE_KEYS], model.stale_count() as f64);
    assert_eq!(
        m[ShardingModel::COL_KEYS_MOVED],
        model.stats().keys_moved as f64
    );
    assert_eq!(
        m[ShardingModel::COL_KEYS_IN_FLIGHT],
        model.manager().keys_in_flight() as f64
    );
    assert_eq!(
        m[ShardingModel::COL_DIRECTORY_SIZE],
        model.manager().directory_len() as f64
    );
    assert_eq!(m[ShardingModel::COL_READS_PER_S], rps);
    assert_eq!(
        m[ShardingModel::COL_UNREADABLE_READS],
        model.stats().unreadable_reads as f64
    );
}

#[test]
fn metric_columns_are_named_as_the_export_heads_them() {
    assert_eq!(
        ShardingModel::METRIC_NAMES,
        &[
            "imbalance_max_over_avg",
            "unreadable_keys",
            "stale_keys",
            "keys_moved",
            "keys_in_flight",
            "directory_size",
            "reads_per_s",
            "unreadable_reads",
        ]
    );
    let names = ShardingModel::METRIC_NAMES;
    for (col, name) in [
        (ShardingModel::COL_IMBALANCE, "imbalance_max_over_avg"),
        (ShardingModel::COL_UNREADABLE_KEYS, "unreadable_keys"),
        (ShardingModel::COL_STALE_KEYS, "stale_keys"),
        (ShardingModel::COL_KEYS_MOVED, "keys_moved"),
        (ShardingModel::COL_KEYS_IN_FLIGHT, "keys_in_flight"),
        (ShardingModel::COL_DIRECTORY_SIZE, "directory_size"),
        (ShardingModel::COL_READS_PER_S, "reads_per_s"),
        (ShardingModel::COL_UNREADABLE_READS, "unreadable_reads"),
    ] {
        assert_eq!(names[col], name);
    }
    // At time zero: an even store, nothing read, nothing lost.
    let model = ShardingModel::new(scene_config()).unwrap();
    let m = model.metrics();
    assert_eq!(&m[1..], &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    assert!(m[0] >= 1.0 && m[0] < 1.5, "imbalance {}", m[0]);
    assert_readouts(&model);
}

#[test]
fn key_names_are_user_rank() {
    assert_eq!(key_name(0), "user:0");
    assert_eq!(key_name(4_999), "user:4999");
    assert_eq!(
        ShardingAction::QueryPrefix { digits: 42 }.filter(),
        Some(Filter::KeyPrefix {
            prefix: "user:42".into()
        })
    );
    assert_eq!(
        ShardingAction::QueryRange { min: -5, max: 0 }.filter(),
        Some(Filter::NumberInRange {
            field: "score".into(),
            min: -5,
            max: 0
        })
    );
    assert_eq!(ShardingAction::AddShard.filter(), None);
}

/// Every action variant, on the scene's default set-up, with the readouts the page shows.
#[test]
fn every_action_drives_the_readouts_the_page_shows() {
    let mut model = ShardingModel::new(scene_config()).unwrap();
    run(&mut model, 50);
    assert_readouts(&model);

    // The table predicts the ring's moves for 4 → 5 on these very keys…
    let table = model.resize_movement(100);
    assert_eq!(table.add.len(), 4);
    let ring_add = table
        .add
        .iter()
        .find(|r| matches!(r.router, RouterKind::Ring { .. }))
        .unwrap()
        .moved;
    // …and adding a shard moves exactly that many.
    ShardingAction::AddShard.apply(&mut model).unwrap();
    assert_eq!(model.live_shard_count(), 5);
    assert_eq!(model.manager().keys_in_flight(), ring_add);
    let rebalance_while_moving = ShardingAction::Rebalance.apply(&mut model).unwrap_err();
    assert_eq!(
        rebalance_while_moving,
        ShardingError::MigrationInProgress { pending: ring_add }.into()
    );
    settle(&mut model, 500);
    assert_eq!(model.stats().keys_moved, ring_add);
    assert_eq!(model.unreadable_count(), 0);
    assert_readouts(&model);

    // Remove: the shard drains, then retires; nothing is lost in directory mode.
    ShardingAction::RemoveShard { shard: 1 }
        .apply(&mut model)
        .unwrap();
    assert_eq!(model.live_shard_count(), 4);
    let events = settle(&mut model, 1_000);
    assert!(events
        .iter()
        .any(|e| e.kind == ShardEventKind::ShardRetired { shard: ShardId(1) }));
    assert!(model.manager().shard(ShardId(1)).is_none());
    assert_eq!((model.unreadable_count(), model.stale_count()), (0, 0));
    assert_eq!(
        ShardingAction::RemoveShard { shard: 1 }.apply(&mut model),
        Err(ShardingError::UnknownShard { shard: 1 }.into())
    );
    assert_readouts(&model);

    // Range query: scattered to every shard; the gathered rows are the matching records.
    let expected_range = model
        .manager()
        .shards()
        .flat_map(|s| s.entries())
        .filter(|(k, v)| {
            Filter::NumberInRange {
                field: "score".into(),
                min: 100,
                max: 199,
            }
            .matches(k, &v.value)
        })
        .count() as u64;
    ShardingAction::QueryRange { min: 100, max: 199 }
        .apply(&mut model)
        .unwrap();
    assert!(
        model.last_query().is_none(),
        "nothing is sent before a step"
    );
    model.step();
    let q = model.last_query().unwrap().clone();
    assert_eq!(q.id, 0);
    assert!(!q.routed);
    assert_eq!(q.asked_for, "score between 100 and 199");
    assert_eq!(q.shards, model.manager().live_shards());
    assert!(q.answers.is_empty() && q.gathered.is_none());
    settle(&mut model, 100);
    let q = model.last_query().unwrap();
    assert_eq!(q.answers.len(), 4);
    let gathered = q.gathered.unwrap();
    assert_eq!(gathered.rows, expected_range);
    assert_eq!(
        q.answers.iter().map(|a| a.matched).sum::<u64>(),
        expected_range
    );
    let slowest = q.slowest().unwrap();
    assert_eq!(
        slowest.latency_micros,
        q.answers.iter().map(|a| a.latency_micros).max().unwrap()
    );
    assert!(gathered.latency_micros > slowest.latency_micros);
    assert_readouts(&model);

    // Prefix query: user:1, user:10…19, user:100…199 — 111 of the 1 000 preloaded keys.
    ShardingAction::QueryPrefix { digits: 1 }
        .apply(&mut model)
        .unwrap();
    settle(&mut model, 100);
    let q = model.last_query().unwrap();
    assert_eq!(
        (q.id, q.asked_for.as_str()),
        (1, "keys starting with \"user:1\"")
    );
    assert_eq!(q.gathered.unwrap().rows, 111);

    // Key query: routed to the one shard that holds the key, one row.
    ShardingAction::QueryKey { rank: 7 }
        .apply(&mut model)
        .unwrap();
    settle(&mut model, 100);
    let q = model.last_query().unwrap();
    assert!(q.routed);
    assert_eq!(q.asked_for, "user:7");
    assert_eq!(q.shards, vec![model.manager().locate("user:7").unwrap()]);
    assert_eq!(q.answers.len(), 1);
    assert_eq!(q.gathered.unwrap().rows, 1);
    assert_eq!(model.stats().queries, 3);
    assert_readouts(&model);

    // Rebalance at rest: accepted; the store is within the thresholds afterwards.
    ShardingAction::Rebalance.apply(&mut model).unwrap();
    settle(&mut model, 500);
    assert_eq!(model.unreadable_count(), 0);
    assert_readouts(&model);

    // A failed action leaves the model unchanged.
    let before = serde_json::to_string(&model).unwrap();
    assert!(ShardingAction::RemoveShard { shard: 99 }
        .apply(&mut model)
        .is_err());
    assert_eq!(serde_json::to_string(&model).unwrap(), before);
}

/// The threshold rebalance on a lopsided ring: keys move off the fullest shard, the imbalance
/// falls, and the directory remembers where every moved key went.
#[test]
fn rebalance_evens_out_a_lopsided_ring() {
    // One ring point per shard: 271, 202, 306, 69 and 152 of the 1 000 keys.
    let mut model = ShardingModel::new(ShardingConfig {
        shards: 5,
        router: RouterKind::Ring { virtual_nodes: 1 },
        read_fraction: 1.0,
        ..scene_config()
    })
    .unwrap();
    let before = model.imbalance();
    assert_eq!(before, 306.0 / 200.0);
    ShardingAction::Rebalance.apply(&mut model).unwrap();
    let events = settle(&mut model, 1_000);
    let planned = events
        .iter()
        .find_map(|e| match e.kind {
            ShardEventKind::RebalanceStarted {
                reason: RebalanceReason::LoadImbalance,
                keys_to_move,
            } => Some(keys_to_move),
            _ => None,
        })
        .unwrap();
    assert!(planned > 0);
    assert_eq!(model.stats().keys_moved, planned);
    assert_eq!(model.manager().directory_len(), planned);
    assert!(model.imbalance() < before);
    assert_eq!(model.unreadable_count(), 0);
    assert_readouts(&model);
}

#[test]
fn actions_apply_to_the_default_scene() {
    let mut model = ShardingModel::new(scene_config()).unwrap();
    let actions = [
        ShardingAction::AddShard,
        ShardingAction::RemoveShard { shard: 0 },
        ShardingAction::RemoveShard { shard: 17 },
        ShardingAction::Rebalance,
        ShardingAction::QueryRange { min: 100, max: 199 },
        ShardingAction::QueryRange { min: -5, max: 0 },
        ShardingAction::QueryPrefix { digits: 1 },
        ShardingAction::QueryPrefix { digits: 42 },
        ShardingAction::QueryKey { rank: 0 },
        ShardingAction::QueryKey { rank: 4_999 },
    ];
    for a in actions {
        let r = a.apply(&mut model);
        match a {
            // An unknown shard is an error to show, not a panic.
            ShardingAction::RemoveShard { shard: 17 } => assert!(r.is_err()),
            // Refused while the removal's keys are still moving.
            ShardingAction::Rebalance => assert!(r.is_err()),
            _ => r.unwrap_or_else(|e| panic!("{a:?}: {e}")),
        }
    }
    run(&mut model, 200);
    assert_eq!(model.live_shard_count(), 4);
    assert_readouts(&model);
}

#[test]
fn add_shard_is_capped_at_the_configured_live_shards() {
    let mut model = ShardingModel::new(scene_config()).unwrap();
    for _ in 4..32 {
        assert!(model.can_add_shard());
        ShardingAction::AddShard.apply(&mut model).unwrap();
    }
    assert!(!model.can_add_shard());
    let before = serde_json::to_string(&model).unwrap();
    assert_eq!(
        ShardingAction::AddShard.apply(&mut model),
        Err(ShardingError::TooManyShards {
            requested: 33,
            max: 32
        }
        .into())
    );
    assert_eq!(serde_json::to_string(&model).unwrap(), before);
    // Removing one makes room again, although the removed shard still drains.
    ShardingAction::RemoveShard { shard: 31 }
        .apply(&mut model)
        .unwrap();
    assert!(model.can_add_shard());
    ShardingAction::AddShard.apply(&mut model).unwrap();

    let mut small = ShardingModel::new(ShardingConfig {
        shards: 2,
        max_live_shards: 2,
        ..scene_config()
    })
    .unwrap();
    assert!(small.add_shard().is_err());
}

/// The counts the model keeps equal a fresh scan, step by step, through a naive migration,
/// a load rebalance and a removal (sampled every step, and every few steps as a page thins its
/// samples), and an earlier copy (a step back) still answers for its own moment.
#[test]
fn kept_counts_match_a_fresh_scan_through_naive_migration_rebalance_and_removal() {
    let mut model = ShardingModel::new(ShardingConfig {
        mode: MigrationMode::Naive,
        router: RouterKind::Ring { virtual_nodes: 3 },
        keys: 300,
        batch_interval_micros: 2_000,
        ..ShardingConfig::default()
    })
    .unwrap();
    let (mut most_unreadable, mut most_stale) = (0, 0);
    let mut out = Vec::new();
    let mut earlier = None;
    for round in 0..3 {
        match round {
            0 => {
                model.add_shard().unwrap();
            }
            1 => {
                let _ = model.start_rebalance();
            }
            _ => model.remove_shard(ShardId(1)).unwrap(),
        }
        assert_counts_match_a_scan(&model);
        for i in 0..300u32 {
            out.clear();
            model.step_into(&mut out);
            if round == 1 || i % (1 + round) == 0 {
                assert_counts_match_a_scan(&model);
            }
            most_unreadable = most_unreadable.max(model.unreadable_count());
            most_stale = most_stale.max(model.stale_count());
            if round == 0 && i == 100 {
                earlier = Some(model.clone());
            }
        }
    }
    if let Some(e) = &earlier {
        assert_counts_match_a_scan(e);
    }
    assert_counts_match_a_scan(&model);
    assert!(
        most_unreadable > 0 && most_stale > 0,
        "the naive run should lose keys: {most_unreadable} unreadable, {most_stale} stale"
    );
}

#[test]
fn the_last_query_follows_the_model_back_in_time() {
    let mut model = ShardingModel::new(scene_config()).unwrap();
    ShardingAction::QueryRange { min: 0, max: 999 }
        .apply(&mut model)
        .unwrap();
    model.step();
    let sent = model.clone();
    settle(&mut model, 100);
    assert!(model.last_query().unwrap().gathered.is_some());
    // The copy taken when the query had only been sent has no answers yet.
    let q = sent.last_query().unwrap();
    assert!(q.answers.is_empty() && q.gathered.is_none());
    // A newer query replaces the last one.
    ShardingAction::QueryKey { rank: 3 }
        .apply(&mut model)
        .unwrap();
    model.step();
    assert_eq!(model.last_query().unwrap().id, 1);
    assert!(model.last_query().unwrap().answers.is_empty());
}

#[test]
fn resize_movement_on_default_keys_modulo_moves_most_consistent_about_a_fifth() {
    let table = resize_movement(1_000, 4, 100);
    let rows = &table.add;
    assert_eq!(rows.len(), 4);
    let by = |f: fn(&RouterKind) -> bool| rows.iter().find(|r| f(&r.router)).unwrap();
    let modulo = by(|k| matches!(k, RouterKind::ModuloMd5));
    let ring = by(|k| matches!(k, RouterKind::Ring { .. }));
    let jump = by(|k| matches!(k, RouterKind::Jump));
    let hrw = by(|k| matches!(k, RouterKind::Rendezvous));
    assert_eq!(modulo.keys, 1_000);
    // Modulo: about 4/5 of the keys move; theory 80 %.
    assert!(modulo.fraction > 0.7, "modulo {}", modulo.fraction);
    assert!((modulo.expected - 0.8).abs() < 1e-9);
    for r in [ring, jump, hrw] {
        assert!(
            (r.fraction - 0.2).abs() < 0.08,
            "{:?} moved {}",
            r.router,
            r.fraction
        );
        assert!((r.expected - 0.2).abs() < 1e-9);
        // Modulo moves several times more than any consistent scheme.
        assert!(modulo.moved > 3 * r.moved, "{:?}", r.router);
    }
    // Ring and jump are close to each other.
    assert!(
        ring.moved.abs_diff(jump.moved) < 80,
        "ring {} jump {}",
        ring.moved,
        jump.moved
    );
    assert_eq!(table.remove.len(), 4);
    // The model's own table is this one for its keys and live shards.
    let model = ShardingModel::new(scene_config()).unwrap();
    assert_eq!(model.resize_movement(100), table);
}

#[test]
fn resize_movement_counts_what_compare_routers_finds() {
    // The table counts in one pass per router; `compare_routers` lists every moved key.
    for (keys, shards, vnodes) in [
        (0, 3, 10),
        (1, 1, 1),
        (37, 2, 1),
        (500, 5, 100),
        (1_000, 4, 100),
    ] {
        let names: Vec<String> = (0..keys).map(key_name).collect();
        let table = resize_movement(keys, shards, vnodes);
        for (rows, n_after) in [(&table.add, shards + 1), (&table.remove, shards - 1)] {
            let reference = if n_after == 0 {
                Vec::new()
            } else {
                compare_routers(&names, shards, n_after, vnodes).unwrap()
            };
            assert_eq!(
                rows.len(),
                reference.len(),
                "{keys} keys, {shards} → {n_after}"
            );
            for (row, c) in rows.iter().zip(&reference) {
                assert_eq!(row.router, c.router);
                assert_eq!(
                    row.moved, c.movement.moved,
                    "{:?} {shards} → {n_after}",
                    c.router
                );
                assert_eq!(row.keys, c.movement.keys);
                assert_eq!(row.fraction, c.movement.fraction());
                assert_eq!(row.expected, c.expected_fraction);
            }
        }
    }
}

#[test]
fn resize_movement_of_impossible_changes_has_no_rows() {
    assert!(resize_movement(100, 1, 10).remove.is_empty());
    assert_eq!(resize_movement(100, 1, 10).add.len(), 4);
    assert_eq!(resize_movement(0, 2, 10).add.len(), 4);
    assert_eq!(resize_movement(0, 2, 10).add[0].keys, 0);
    assert_eq!(
        resize_movement(MAX_TABLE_KEYS + 10, 2, 10).add[0].keys,
        MAX_TABLE_KEYS
    );
}

// ---------------------------------------------------------------- kept counts, randomly

#[derive(Debug, Clone)]
enum Op {
    Add,
    Remove(u8),
    Rebalance,
    Query(u8),
    Steps(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Add),
        2 => any::<u8>().prop_map(Op::Remove),
        2 => Just(Op::Rebalance),
        1 => any::<u8>().prop_map(Op::Query),
        6 => (1u8..40).prop_map(Op::Steps),
    ]
}

fn kind() -> impl Strategy<Value = RouterKind> {
    prop_oneof![
        Just(RouterKind::ModuloMd5),
        (1u32..8).prop_map(|v| RouterKind::Ring { virtual_nodes: v }),
        Just(RouterKind::Jump),
        Just(RouterKind::Rendezvous),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Under any sequence of shard changes, rebalances, queries and steps — in either mode,
    /// with any router, migration pace and read share — the counts the model keeps equal a
    /// fresh scan after every step.
    #[test]
    fn kept_counts_always_equal_a_scan(
        naive in any::<bool>(),
        router in kind(),
        shards in 1u32..5,
        keys in 20u64..200,
        preload in any::<bool>(),
        reads in 0u8..=10,
        batch in prop_oneof![Just(1u64), Just(700), Just(2_000)],
        batch_size in 1u32..40,
        seed in any::<u64>(),
        ops in prop::collection::vec(op(), 1..25),
    ) {
        let mut model = ShardingModel::new(ShardingConfig {
            shards,
            router,
            mode: if naive { MigrationMode::Naive } else { MigrationMode::Directory },
            keys,
            preload,
            read_fraction: f64::from(reads) / 10.0,
            batch_interval_micros: batch,
            rebalance: RebalancePolicy { batch_size, ..RebalancePolicy::default() },
            seed,
            ..ShardingConfig::default()
        }).unwrap();
        let mut out = Vec::new();
        for op in ops {
            let action = match op {
                Op::Add => ShardingAction::AddShard,
                Op::Remove(i) => {
                    let live = model.manager().live_shards();
                    ShardingAction::RemoveShard { shard: live[i as usize % live.len()].0 }
                }
                Op::Rebalance => ShardingAction::Rebalance,
                Op::Query(r) => ShardingAction::QueryKey { rank: u64::from(r) % keys },
                Op::Steps(n) => {
                    for _ in 0..n {
                        out.clear();
                        model.step_into(&mut out);
                        let m = model.manager();
                        prop_assert_eq!(model.unreadable_count(), m.unreadable_keys().len() as u64);
                        prop_assert_eq!(model.stale_count(), m.stale_keys().len() as u64);
                    }
                    continue;
                }
            };
            let _ = action.apply(&mut model);
            let m = model.manager();
            let scanned = (m.unreadable_keys().len() as u64, m.stale_keys().len() as u64);
            let kept = (model.unreadable_count(), model.stale_count());
            prop_assert_eq!(kept, scanned, "after {:?}", action);
            if !naive {
                prop_assert_eq!((model.unreadable_count(), model.stale_count()), (0, 0));
            }
        }
    }
}
