//! Sharding: reference vectors (jump hash), exact movement counts per router, lossless
//! rebalancing (property-tested against a plain map), the naive rebalance (keys copied but not
//! re-routed) losing keys,
//! scatter-gather equal to a filter over all data, the 120 %/80 %/100 rebalance vector, and
//! determinism of the discrete-event scene.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::sharding::*;
use scalelab_core::sim::{digest_run, SimRng};
use scalelab_core::Model;
use std::collections::BTreeMap;

fn keys(n: u32) -> Vec<String> {
    (0..n).map(|i| format!("user:{i}")).collect()
}

fn ring(v: u32) -> RouterKind {
    RouterKind::Ring { virtual_nodes: v }
}

const ALL_KINDS: [RouterKind; 4] = [
    RouterKind::ModuloMd5,
    RouterKind::Ring { virtual_nodes: 100 },
    RouterKind::Jump,
    RouterKind::Rendezvous,
];

// ---------------------------------------------------------------- jump hash

#[test]
fn jump_hash_reference_vector_key_1() {
    let got: Vec<u32> = (1..=19).map(|n| jump_hash(1, n)).collect();
    assert_eq!(
        got,
        vec![0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17]
    );
}

#[test]
fn jump_growth_moves_one_over_n_plus_one_all_into_new_bucket() {
    let hashes: Vec<u64> = keys(10_000).iter().map(|k| key_hash(k)).collect();
    for n in 1..=16u32 {
        let mut moved = 0u32;
        for &h in &hashes {
            let (a, b) = (jump_hash(h, n), jump_hash(h, n + 1));
            if a != b {
                assert_eq!(b, n, "a moved key must land in the new bucket {n}");
                moved += 1;
            }
        }
        let expected = 10_000.0 / f64::from(n + 1);
        let err = (f64::from(moved) - expected).abs();
        // ~4 standard deviations of a binomial(10 000, 1/(n+1)).
        let sd = (10_000.0 * (1.0 / f64::from(n + 1)) * (1.0 - 1.0 / f64::from(n + 1))).sqrt();
        assert!(
            err <= 4.0 * sd + 1.0,
            "n={n}: moved {moved}, expected ≈{expected:.0}"
        );
    }
}

#[test]
fn jump_router_removing_last_moves_only_its_keys_middle_costs_more() {
    let ks = keys(10_000);
    let before = Router::with_shards(RouterKind::Jump, 8).unwrap();
    let mut last = before.clone();
    last.remove(ShardId(7)).unwrap();
    let m = movement(&ks, &before, &last);
    assert!(m.moves.iter().all(|mv| mv.from == ShardId(7)));
    let owned_by_7 = ks
        .iter()
        .filter(|k| before.route(k) == Some(ShardId(7)))
        .count() as u64;
    assert_eq!(m.moved, owned_by_7);

    // Middle removal: the last bucket's shard takes over bucket 2, so shard-2's keys move
    // (to shard-7) and so do the keys shard-7 held that now jump elsewhere: ≈ 2/8 of keys.
    let mut middle = before.clone();
    middle.remove(ShardId(2)).unwrap();
    let m = movement(&ks, &before, &middle);
    assert!(m
        .moves
        .iter()
        .all(|mv| mv.from == ShardId(2) || mv.from == ShardId(7)));
    assert!(
        (2_000..=3_000).contains(&m.moved),
        "middle removal moved {}",
        m.moved
    );
    for k in &ks {
        assert_ne!(middle.route(k), Some(ShardId(2)));
    }
}

// ---------------------------------------------------------------- movement per router

#[test]
fn ring_adding_one_shard_moves_about_k_over_n_plus_one_only_to_new_shard() {
    let ks = keys(10_000);
    for (n, vnodes) in [(4u32, 100u32), (8, 160), (3, 200)] {
        let before = Router::with_shards(ring(vnodes), n).unwrap();
        let after = Router::with_shards(ring(vnodes), n + 1).unwrap();
        let m = movement(&ks, &before, &after);
        let expected = 10_000.0 / f64::from(n + 1);
        let got = m.moved as f64;
        assert!(
            (got - expected).abs() <= 0.30 * expected,
            "n={n} vnodes={vnodes}: moved {got}, expected ≈{expected:.0}"
        );
        assert!(m.moves.iter().all(|mv| mv.to == ShardId(n)));
        assert_eq!(m.moved_into(ShardId(n)), m.moved);
        // Exactly the keys the new shard now owns moved.
        let owned = ks
            .iter()
            .filter(|k| after.route(k) == Some(ShardId(n)))
            .count() as u64;
        assert_eq!(m.moved, owned);
    }
}

#[test]
fn modulo_moves_about_k_n_over_n_plus_one() {
    let ks = keys(10_000);
    for n in [2u32, 4, 9] {
        let before = Router::with_shards(RouterKind::ModuloMd5, n).unwrap();
        let after = Router::with_shards(RouterKind::ModuloMd5, n + 1).unwrap();
        let m = movement(&ks, &before, &after);
        let expected = 10_000.0 * f64::from(n) / f64::from(n + 1);
        assert!(
            (m.moved as f64 - expected).abs() <= 250.0,
            "n={n}: modulo moved {}, expected ≈{expected:.0}",
            m.moved
        );
        // Unlike the ring, keys shuffle between *old* shards too.
        assert!(m.pairs.iter().any(|p| p.to != ShardId(n)));
    }
}

#[test]
fn rendezvous_moves_only_keys_the_new_shard_wins() {
    let ks = keys(10_000);
    let before = Router::with_shards(RouterKind::Rendezvous, 5).unwrap();
    let after = Router::with_shards(RouterKind::Rendezvous, 6).unwrap();
    let m = movement(&ks, &before, &after);
    assert!(m.moves.iter().all(|mv| mv.to == ShardId(5)));
    let won = ks
        .iter()
        .filter(|k| after.route(k) == Some(ShardId(5)))
        .count() as u64;
    assert_eq!(m.moved, won);
    assert!((1_300..=2_050).contains(&m.moved), "moved {}", m.moved);

    // Removing a shard moves exactly its own keys.
    let mut removed = before.clone();
    removed.remove(ShardId(1)).unwrap();
    let m = movement(&ks, &before, &removed);
    assert!(m.moves.iter().all(|mv| mv.from == ShardId(1)));
}

#[test]
fn compare_routers_side_by_side_exact_counts() {
    let ks = keys(10_000);
    let cmp = compare_routers(&ks, 4, 5, 100).unwrap();
    assert_eq!(cmp.len(), 4);
    let by: BTreeMap<String, &RouterComparison> =
        cmp.iter().map(|c| (c.router.label(), c)).collect();
    let modulo = by["modulo-md5"].movement.moved;
    let ring = by["ring (100 vnodes)"].movement.moved;
    let jump = by["jump"].movement.moved;
    let hrw = by["rendezvous"].movement.moved;
    assert!(modulo > 7_500, "modulo moved {modulo}");
    for (name, moved) in [("ring", ring), ("jump", jump), ("rendezvous", hrw)] {
        assert!(
            (1_400..=2_600).contains(&moved),
            "{name} moved {moved}, expected ≈2000"
        );
    }
    // The counts are real: recount one by hand.
    let before = Router::with_shards(RouterKind::Jump, 4).unwrap();
    let after = Router::with_shards(RouterKind::Jump, 5).unwrap();
    let manual = ks
        .iter()
        .filter(|k| before.route(k) != after.route(k))
        .count() as u64;
    assert_eq!(manual, jump);
    // Removing a shard works the same way.
    let shrink = compare_routers(&ks, 5, 4, 100).unwrap();
    assert_eq!(shrink[2].movement.moved, jump, "jump 5→4 undoes 4→5");
}

// ---------------------------------------------------------------- manager basics

#[test]
fn manager_write_read_counts_and_errors() {
    let mut m = ShardManager::with_shards(
        RouterKind::ModuloMd5,
        MigrationMode::Directory,
        RebalancePolicy::default(),
        3,
    )
    .unwrap();
    for i in 0..300 {
        m.write(&format!("user:{i}"), &format!("v{i}")).unwrap();
    }
    let total: u64 = m.key_counts().iter().map(|l| l.keys).sum();
    assert_eq!(total, 300);
    assert!(m.key_counts().iter().all(|l| l.keys > 50));
    assert_eq!(m.read("user:7").value.unwrap().value, "v7");
    assert!(m.read("nobody").is_miss());
    assert_eq!(m.write("", "x"), Err(ShardingError::EmptyKey));
    assert!(matches!(
        m.write(&"k".repeat(300), "x"),
        Err(ShardingError::KeyTooLong { .. })
    ));
    assert_eq!(
        m.remove_shard(ShardId(42)),
        Err(ShardingError::UnknownShard { shard: 42 })
    );
    let mut empty = ShardManager::new(
        RouterKind::Jump,
        MigrationMode::Directory,
        RebalancePolicy::default(),
    )
    .unwrap();
    assert_eq!(
        empty.write("a", "b"),
        Err(ShardingError::NoShards { field: "shards" })
    );
    let one = empty.add_shard().unwrap();
    assert_eq!(
        empty.remove_shard(one.shard),
        Err(ShardingError::LastShard { shard: 0 })
    );
}

#[test]
fn removing_a_shard_drains_it_then_retires_it_losslessly() {
    for kind in ALL_KINDS {
        let mut m = ShardManager::with_shards(
            kind,
            MigrationMode::Directory,
            RebalancePolicy::default(),
            4,
        )
        .unwrap();
        for i in 0..1_000 {
            m.write(&format!("user:{i}"), &format!("a{i}")).unwrap();
        }
        let change = m.remove_shard(ShardId(1)).unwrap();
        assert!(change.keys_to_move > 0);
        assert_eq!(
            m.remove_shard(ShardId(1)),
            Err(ShardingError::ShardDraining { shard: 1 })
        );
        assert!(matches!(
            m.start_rebalance(),
            Err(ShardingError::MigrationInProgress { .. })
        ));
        let mut retired = None;
        let mut step = 0;
        while let Some(report) = m.step_migration() {
            step += 1;
            assert!(report.keys.len() <= 100);
            // Writes keep going to whoever holds the key right now.
            let key = format!("user:{}", step * 7);
            m.write(&key, &format!("b{step}")).unwrap();
            for i in 0..1_000 {
                let k = format!("user:{i}");
                assert!(m.read(&k).is_fresh(), "{kind:?}: {k} unreadable mid-drain");
            }
            retired = retired.or(report.retired);
        }
        assert_eq!(retired, Some(ShardId(1)), "{kind:?}");
        assert!(m.shard(ShardId(1)).is_none());
        assert!(m.unreadable_keys().is_empty());
        assert_eq!(m.directory_len(), 0, "{kind:?}: every key is home again");
    }
}

// ---------------------------------------------------------------- rebalance thresholds

/// Writes keys until each shard of a 4-shard modulo store holds `targets[i]` keys.
fn imbalanced(mode: MigrationMode, targets: [u64; 4]) -> ShardManager {
    let mut m =
        ShardManager::with_shards(RouterKind::ModuloMd5, mode, RebalancePolicy::default(), 4)
            .unwrap();
    let mut counts = [0u64; 4];
    let mut i = 0u64;
    while counts != targets {
        let key = format!("k{i}");
        i += 1;
        let s = m.route(&key).unwrap().0 as usize;
        if counts[s] < targets[s] {
            m.write(&key, &format!("score={}", i % 1000)).unwrap();
            counts[s] += 1;
        }
    }
    m
}

#[test]
fn rebalance_vector_120_80_batches_of_100() {
    let mut m = imbalanced(MigrationMode::Directory, [1_000, 500, 300, 200]);
    let plan = m.start_rebalance().unwrap();
    // avg 500; shard-0 (1000 > 600) gives 500; shard-3 (200 < 400) takes 300, shard-2 takes
    // 200; shard-1 (500) is inside the band.
    assert_eq!(
        plan,
        vec![
            Transfer {
                from: ShardId(0),
                to: ShardId(3),
                keys: 300
            },
            Transfer {
                from: ShardId(0),
                to: ShardId(2),
                keys: 200
            },
        ]
    );
    let mut batches = Vec::new();
    while let Some(r) = m.step_migration() {
        assert!(r.rebalance);
        batches.push((r.from, r.to, r.keys.len()));
        if let Some(done) = r.finished {
            assert_eq!(done.moved, 500);
            assert_eq!(done.unreadable, 0);
        }
    }
    assert_eq!(
        batches,
        vec![
            (ShardId(0), ShardId(3), 100),
            (ShardId(0), ShardId(3), 100),
            (ShardId(0), ShardId(3), 100),
            (ShardId(0), ShardId(2), 100),
            (ShardId(0), ShardId(2), 100),
        ]
    );
    let counts: Vec<u64> = m.key_counts().iter().map(|l| l.keys).collect();
    assert_eq!(counts, vec![500, 500, 500, 500]);
    assert_eq!(
        m.directory_len(),
        500,
        "moved keys are found through the directory"
    );
    assert!(m.unreadable_keys().is_empty());
    // Balanced now: a second rebalance plans nothing.
    assert!(m.start_rebalance().unwrap().is_empty());
}

#[test]
fn naive_rebalance_makes_moved_keys_unreadable() {
    let mut naive = imbalanced(MigrationMode::Naive, [1_000, 500, 300, 200]);
    naive.start_rebalance().unwrap();
    let done = naive.finish_migration().unwrap();
    assert_eq!(done.moved, 500);
    assert_eq!(
        done.unreadable, 500,
        "every key the guide moved is now unreadable"
    );
    assert_eq!(naive.unreadable_keys().len(), 500);
    // The reads fail where the hash still points.
    let lost = &naive.unreadable_keys()[0];
    let r = naive.read(lost);
    assert!(r.is_unreadable());
    assert_eq!(r.shard, Some(ShardId(0)));

    // Same imbalance, directory mode: nothing lost.
    let mut safe = imbalanced(MigrationMode::Directory, [1_000, 500, 300, 200]);
    safe.start_rebalance().unwrap();
    assert_eq!(safe.finish_migration().unwrap().unreadable, 0);
}

#[test]
fn naive_shard_add_loses_updates_made_during_the_move() {
    let mut m = ShardManager::with_shards(
        ring(50),
        MigrationMode::Naive,
        RebalancePolicy::default(),
        3,
    )
    .unwrap();
    for i in 0..600 {
        m.write(&format!("user:{i}"), "old").unwrap();
    }
    let added = m.add_shard().unwrap();
    assert!(added.keys_to_move > 0);
    // Before any batch, keys routed to the new shard are unreadable.
    assert_eq!(m.unreadable_keys().len() as u64, added.keys_to_move);
    // Writes during the move go to the new owner; the batch then copies the old value over.
    for i in 0..600 {
        m.write(&format!("user:{i}"), "new").unwrap();
    }
    let done = m.finish_migration().unwrap();
    assert_eq!(done.stale, added.keys_to_move);
    assert_eq!(m.lost_updates(), added.keys_to_move);
}

// ---------------------------------------------------------------- lossless property

#[derive(Debug, Clone)]
enum Op {
    Write(u8, u16),
    Add,
    Remove(u8),
    Rebalance,
    Steps(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..60, any::<u16>()).prop_map(|(k, v)| Op::Write(k, v)),
        1 => Just(Op::Add),
        1 => any::<u8>().prop_map(Op::Remove),
        1 => Just(Op::Rebalance),
        2 => (1u8..4).prop_map(Op::Steps),
    ]
}

fn kind() -> impl Strategy<Value = RouterKind> {
    prop_oneof![
        Just(RouterKind::ModuloMd5),
        (1u32..20).prop_map(|v| RouterKind::Ring { virtual_nodes: v }),
        Just(RouterKind::Jump),
        Just(RouterKind::Rendezvous),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// After any interleaving of writes, shard adds/removes and rebalancing steps, every
    /// written key reads back its latest value (directory mode), and a scatter-gather of all
    /// records equals the reference map.
    #[test]
    fn directory_mode_never_loses_a_key(kind in kind(), shards in 1u32..5, ops in prop::collection::vec(op(), 1..80)) {
        let policy = RebalancePolicy { batch_size: 3, ..RebalancePolicy::default() };
        let mut m = ShardManager::with_shards(kind, MigrationMode::Directory, policy, shards).unwrap();
        let mut reference: BTreeMap<String, String> = BTreeMap::new();
        let mut rng = SimRng::seed_from(1);
        for op in ops {
            let before = m.clone();
            let result: Result<(), ShardingError> = match op {
                Op::Write(k, v) => {
                    let (key, value) = (format!("user:{k}"), format!("score={v}"));
                    reference.insert(key.clone(), value.clone());
                    m.write(&key, &value).map(|_| ())
                }
                Op::Add => m.add_shard().map(|_| ()),
                Op::Remove(i) => {
                    let live = m.live_shards();
                    let id = live[i as usize % live.len()];
                    m.remove_shard(id).map(|_| ())
                }
                Op::Rebalance => m.start_rebalance().map(|_| ()),
                Op::Steps(n) => { for _ in 0..n { m.step_migration(); } Ok(()) }
            };
            if result.is_err() {
                prop_assert_eq!(&m, &before, "a failed operation must leave the store unchanged");
            }
            for (key, value) in &reference {
                let r = m.read(key);
                prop_assert!(r.is_fresh(), "{} not fresh after {:?}: {:?}", key, op, r);
                prop_assert_eq!(&r.value.unwrap().value, value);
            }
            let all = m.scatter_gather(&Filter::All, &QueryCost::default(), &mut rng).unwrap();
            let got: BTreeMap<String, String> = all.rows.into_iter().map(|r| (r.key, r.value)).collect();
            prop_assert_eq!(&got, &reference);
        }
        m.finish_migration();
        prop_assert!(m.unreadable_keys().is_empty());
        prop_assert!(m.stale_keys().is_empty());
    }

    /// A cross-shard query returns exactly what filtering all data returns, with per-shard
    /// counts adding up and the latency equal to the slowest shard plus the merge.
    #[test]
    fn scatter_gather_equals_filter_over_all_data(
        kind in kind(),
        shards in 1u32..6,
        writes in prop::collection::vec((0u16..300, 0u16..1000), 0..150),
        which in 0u8..4,
        lo in 0i64..1000,
        width in 0i64..500,
        prefix in 0u16..40,
    ) {
        let mut m = ShardManager::with_shards(kind, MigrationMode::Directory, RebalancePolicy::default(), shards).unwrap();
        let mut all: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in writes {
            let (key, value) = (format!("user:{k}"), format!("score={v};tag=t{}", v % 7));
            m.write(&key, &value).unwrap();
            all.insert(key, value);
        }
        let filter = match which {
            0 => Filter::All,
            1 => Filter::KeyPrefix { prefix: format!("user:{prefix}") },
            2 => Filter::ValueContains { text: "tag=t3".to_string() },
            _ => Filter::NumberInRange { field: "score".to_string(), min: lo, max: lo + width },
        };
        let mut rng = SimRng::seed_from(7);
        let q = m.scatter_gather(&filter, &QueryCost::default(), &mut rng).unwrap();
        let expected: Vec<(String, String)> = all.into_iter().filter(|(k, v)| filter.matches(k, v)).collect();
        let got: Vec<(String, String)> = q.rows.iter().map(|r| (r.key.clone(), r.value.clone())).collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(q.answers.len() as u32, shards);
        prop_assert_eq!(q.answers.iter().map(|a| a.matched).sum::<u64>(), q.rows.len() as u64);
        let slowest = q.answers.iter().map(|a| a.latency_micros).max().unwrap();
        prop_assert_eq!(q.latency_micros, slowest + q.merge_micros);
    }
}

// ---------------------------------------------------------------- queries

#[test]
fn fan_out_costs_more_than_a_routed_key_query() {
    let mut m = ShardManager::with_shards(
        ring(100),
        MigrationMode::Directory,
        RebalancePolicy::default(),
        8,
    )
    .unwrap();
    for i in 0..2_000 {
        m.write(&format!("user:{i}"), &format!("score={}", i % 1000))
            .unwrap();
    }
    let cost = QueryCost::default();
    let mut rng = SimRng::seed_from(3);
    let one = m.query_key("user:42", &cost, &mut rng).unwrap();
    assert_eq!(one.shards_asked(), 1);
    assert_eq!(one.rows.len(), 1);
    assert_eq!(one.rows[0].value, "score=42");
    let all = m
        .scatter_gather(
            &Filter::KeyPrefix {
                prefix: "user:42".into(),
            },
            &cost,
            &mut rng,
        )
        .unwrap();
    assert_eq!(all.shards_asked(), 8);
    assert!(all.latency_micros > one.latency_micros);
    // A slow shard sets the pace of every scatter-gather.
    m.set_shard_latency(ShardId(5), 50_000).unwrap();
    let slow = m.scatter_gather(&Filter::All, &cost, &mut rng).unwrap();
    assert!(slow.latency_micros >= 50_000);
    assert_eq!(slow.rows.len(), 2_000);
    assert!(matches!(
        m.scatter_gather(
            &Filter::NumberInRange {
                field: "score".into(),
                min: 9,
                max: 1
            },
            &cost,
            &mut rng
        ),
        Err(ShardingError::BadFilter { .. })
    ));
}

// ---------------------------------------------------------------- the scene

fn run(sim: &mut ShardingModel, steps: u64) -> Vec<ShardingEvent> {
    let mut out = Vec::new();
    sim.run_into(steps, &mut out);
    out
}

#[test]
fn scene_same_seed_same_events_different_seed_differs() {
    let script = |seed: u64| {
        let mut sim = ShardingModel::new(ShardingConfig {
            seed,
            ..ShardingConfig::default()
        })
        .unwrap();
        let mut events = run(&mut sim, 200);
        sim.add_shard().unwrap();
        sim.run_query(&Filter::NumberInRange {
            field: "score".into(),
            min: 100,
            max: 200,
        })
        .unwrap();
        events.extend(run(&mut sim, 300));
        sim.remove_shard(ShardId(0)).unwrap();
        events.extend(run(&mut sim, 300));
        (events, digest_run(&mut sim, 200).value())
    };
    let (a, da) = script(42);
    let (b, db) = script(42);
    assert_eq!(a, b);
    assert_eq!(da, db);
    let (c, dc) = script(43);
    assert_ne!(a, c);
    assert_ne!(da, dc);
}

#[test]
fn scene_adding_a_shard_keeps_every_read_fresh_in_directory_mode() {
    let mut sim = ShardingModel::new(ShardingConfig::default()).unwrap();
    run(&mut sim, 100);
    let id = sim.add_shard().unwrap();
    assert_eq!(id, ShardId(4));
    let events = run(&mut sim, 2_000);
    assert!(events.iter().any(|e| matches!(
        e.kind,
        ShardEventKind::RebalanceStarted {
            reason: RebalanceReason::ShardAdded { .. },
            ..
        }
    )));
    assert!(events
        .iter()
        .any(|e| matches!(e.kind, ShardEventKind::KeyMoved { to: ShardId(4), .. })));
    let finished = events
        .iter()
        .find_map(|e| match e.kind {
            ShardEventKind::RebalanceFinished {
                moved,
                unreadable,
                stale,
            } => Some((moved, unreadable, stale)),
            _ => None,
        })
        .expect("the migration finishes");
    assert!(finished.0 > 100 && finished.0 < 400, "moved {}", finished.0);
    assert_eq!((finished.1, finished.2), (0, 0));
    assert!(events.iter().all(|e| !matches!(
        e.kind,
        ShardEventKind::Unreadable { .. } | ShardEventKind::StaleRead { .. }
    )));
    assert!(sim.stats().reads > 1_000);
    // Times never go backwards.
    assert!(events.windows(2).all(|w| w[0].at <= w[1].at));
}

#[test]
fn scene_naive_mode_shows_unreadable_reads() {
    let mut sim = ShardingModel::new(ShardingConfig {
        mode: MigrationMode::Naive,
        router: RouterKind::ModuloMd5,
        batch_interval_micros: 50_000,
        ..ShardingConfig::default()
    })
    .unwrap();
    sim.add_shard().unwrap();
    let events = run(&mut sim, 1_500);
    let unreadable = events
        .iter()
        .filter(|e| matches!(e.kind, ShardEventKind::Unreadable { .. }))
        .count();
    assert!(unreadable > 0);
    assert!(sim.stats().unreadable_reads > 0);
}

#[test]
fn scene_remove_query_and_rebalance_events() {
    let mut sim = ShardingModel::new(ShardingConfig {
        router: RouterKind::Jump,
        ..ShardingConfig::default()
    })
    .unwrap();
    assert!(matches!(
        sim.remove_shard(ShardId(9)),
        Err(ShardingError::UnknownShard { shard: 9 })
    ));
    sim.remove_shard(ShardId(1)).unwrap();
    let events = run(&mut sim, 3_000);
    assert!(events
        .iter()
        .any(|e| e.kind == ShardEventKind::ShardRetired { shard: ShardId(1) }));
    assert!(sim.manager().shard(ShardId(1)).is_none());

    let q = sim.run_query(&Filter::All).unwrap();
    assert_eq!(q.rows.len(), 1_000);
    let events = run(&mut sim, 20);
    let answered: Vec<_> = events
        .iter()
        .filter(|e| matches!(e.kind, ShardEventKind::QueryShardAnswered { .. }))
        .collect();
    assert_eq!(answered.len(), 3);
    let gathered = events
        .iter()
        .find(|e| matches!(e.kind, ShardEventKind::QueryGathered { .. }))
        .unwrap();
    assert!(answered.iter().all(|a| a.at <= gathered.at));
    assert!(gathered
        .narrate()
        .contains("gathered 1000 results from 3 shards"));

    let plan = sim.start_rebalance().unwrap();
    let events = run(&mut sim, 50);
    assert!(events.iter().any(|e| matches!(
        e.kind,
        ShardEventKind::RebalanceStarted {
            reason: RebalanceReason::LoadImbalance,
            ..
        }
    )));
    if plan.is_empty() {
        assert!(events
            .iter()
            .any(|e| matches!(e.kind, ShardEventKind::RebalanceFinished { moved: 0, .. })));
    }
}

#[test]
fn scene_snapshot_round_trips_mid_migration() {
    let mut sim = ShardingModel::new(ShardingConfig {
        popularity: KeyPopularity::Zipf { exponent: 1.0 },
        ..ShardingConfig::default()
    })
    .unwrap();
    run(&mut sim, 50);
    sim.add_shard().unwrap();
    run(&mut sim, 20);
    assert!(sim.manager().is_migrating());
    let json = serde_json::to_string(&sim).unwrap();
    let mut copy: ShardingModel = serde_json::from_str(&json).unwrap();
    assert_eq!(run(&mut sim, 500), run(&mut copy, 500));
}

#[test]
fn scene_rejects_bad_configs() {
    let bad = |c: ShardingConfig| ShardingModel::new(c).unwrap_err();
    assert_eq!(
        bad(ShardingConfig {
            shards: 0,
            ..ShardingConfig::default()
        }),
        ShardingError::NoShards { field: "shards" }
    );
    assert_eq!(
        bad(ShardingConfig {
            router: ring(0),
            ..ShardingConfig::default()
        }),
        ShardingError::NoVirtualNodes
    );
    assert!(matches!(
        bad(ShardingConfig {
            popularity: KeyPopularity::Zipf { exponent: f64::NAN },
            ..ShardingConfig::default()
        }),
        ShardingError::BadZipfExponent { .. }
    ));
    assert_eq!(
        bad(ShardingConfig {
            keys: 0,
            ..ShardingConfig::default()
        }),
        ShardingError::NoKeys
    );
}
