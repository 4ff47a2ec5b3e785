//! Why a key went where it went: every router's recorded trace checked against the reference
//! behaviour (the ring's first vnode at or after the hash, wrapping; jump hash's jumps ending
//! at its bucket, with the Lamping & Veach vector; rendezvous's highest score; modulo's
//! `hash % n`), the placement a read is explained by while keys migrate, the rebalance's
//! verdicts against the 120 %/80 % thresholds, and, under random operations, the recorded
//! shard against the event's.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::sharding::*;
use scalelab_core::sim::SimTime;
use scalelab_core::timeline::Action;
use scalelab_core::Model;

const ALL_ROUTERS: [RouterKind; 4] = [
    RouterKind::ModuloMd5,
    RouterKind::Ring { virtual_nodes: 20 },
    RouterKind::Jump,
    RouterKind::Rendezvous,
];

fn keys() -> impl Iterator<Item = String> {
    (0..2_000).map(key_name)
}

#[test]
fn a_ring_route_lands_on_the_first_vnode_at_or_after_the_hash_wrapping() {
    let router = Router::with_shards(RouterKind::Ring { virtual_nodes: 7 }, 5).unwrap();
    let Router::Ring(ring) = &router else {
        panic!("the router built is the one asked for")
    };
    let points: Vec<(u64, ShardId)> = ring.points().collect();
    let mut wrapped_seen = false;
    // The keys, plus hashes at the very ends of the ring.
    let mut hashes: Vec<u64> = keys().map(|k| key_hash(&k)).collect();
    hashes.extend([0, u64::MAX, points[0].0, points.last().unwrap().0]);
    hashes.push(points.last().unwrap().0 + 1);
    for hash in hashes {
        let (vnode, before, wrapped) = ring.trace_hash(hash).unwrap();
        let expected = points.iter().position(|&(p, _)| p >= hash);
        match expected {
            Some(i) => {
                assert!(!wrapped);
                assert_eq!(vnode.slot as usize, i);
                let before_slot = if i == 0 { points.len() - 1 } else { i - 1 };
                assert_eq!(before.slot as usize, before_slot);
            }
            None => {
                wrapped_seen = true;
                assert!(wrapped, "{hash:x} is past every vnode");
                assert_eq!(vnode.slot, 0);
                assert_eq!(before.slot as usize, points.len() - 1);
            }
        }
        for v in [vnode, before] {
            assert_eq!((v.position, v.shard), points[v.slot as usize]);
            let replica = v.replica().expect("every point has a replica index");
            assert!(replica < 7);
            assert_eq!(RingRouter::point_of(v.shard, replica), v.position);
        }
        assert_eq!(ring.lookup_hash(hash), Some(vnode.shard));
    }
    assert!(wrapped_seen);
}

#[test]
fn jump_traces_end_at_the_bucket_jump_hash_returns() {
    // The reference vector: key 1 over 1..=19 buckets.
    let expected = [0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17];
    let mut jumps = Vec::new();
    for (n, &want) in (1..=19u32).zip(expected.iter()) {
        let router = Router::with_shards(RouterKind::Jump, n).unwrap();
        let Router::Jump(r) = &router else {
            panic!("the router built is the one asked for")
        };
        let (bucket, shard) = r.trace_hash(1, &mut jumps).unwrap();
        assert_eq!(bucket, want, "n = {n}");
        assert_eq!(shard, ShardId(want));
        assert_jumps_chain(&jumps, n, bucket);
    }
    for n in [1, 2, 5, 13, 100] {
        let router = Router::with_shards(RouterKind::Jump, n).unwrap();
        for key in keys() {
            let Some(RouteTrace::Jump {
                hash,
                buckets,
                jumps,
                bucket,
                shard,
            }) = router.trace(&key)
            else {
                panic!("a jump router gives a jump trace")
            };
            assert_eq!(buckets, n);
            assert_eq!(bucket, jump_hash(hash, n));
            assert_jumps_chain(&jumps, n, bucket);
            assert_eq!(Some(shard), router.route(&key));
        }
    }
}

/// Jumps start at bucket 0, each lands where the next starts, all but the last stay below
/// `n`, and the last leaves from `bucket` to at or past `n`.
fn assert_jumps_chain(jumps: &[JumpStep], n: u32, bucket: u32) {
    assert_eq!(jumps[0].from, 0);
    for pair in jumps.windows(2) {
        assert_eq!(pair[0].to, u64::from(pair[1].from));
        assert!(pair[0].to < u64::from(n));
    }
    let last = jumps.last().unwrap();
    assert!(last.to >= u64::from(n));
    assert_eq!(last.from, bucket);
}

#[test]
fn the_rendezvous_winner_has_the_highest_score() {
    for weights in [&[1.0, 1.0, 1.0, 1.0][..], &[1.0, 3.0, 0.5, 2.0, 1.0]] {
        let mut router = Router::new(RouterKind::Rendezvous).unwrap();
        for (i, &w) in weights.iter().enumerate() {
            router.add(ShardId(i as u32 * 3), w).unwrap();
        }
        let uniform = weights.iter().all(|&w| w == weights[0]);
        for key in keys() {
            let trace = router.trace(&key).unwrap();
            let RouteTrace::Rendezvous {
                hash,
                weighted,
                scores,
            } = &trace
            else {
                panic!("a rendezvous router gives a rendezvous trace")
            };
            assert_eq!(*hash, key_hash(&key));
            assert_eq!(*weighted, !uniform);
            assert_eq!(scores.len(), weights.len());
            let winner = trace.shard().unwrap();
            assert_eq!(Some(winner), router.route(&key));
            let top = scores.iter().find(|s| s.shard == winner).unwrap();
            for s in scores {
                if *weighted {
                    assert!(top.weighted >= s.weighted);
                } else {
                    assert!(top.raw >= s.raw);
                }
            }
            // Raw and weighted scores agree with the router's own scoring.
            for s in scores {
                assert_eq!(
                    s.weighted,
                    RendezvousRouter::weighted_score(s.raw, s.weight)
                );
            }
            let (first, second) = trace.rendezvous_top().unwrap();
            assert_eq!(first.shard, winner);
            assert_ne!(second.unwrap().shard, winner);
        }
    }
}

#[test]
fn modulo_is_the_md5_hash_modulo_the_shard_count() {
    for n in [1, 3, 4, 7] {
        let router = Router::with_shards(RouterKind::ModuloMd5, n).unwrap();
        for key in keys() {
            let Some(RouteTrace::Modulo {
                hash,
                shards,
                slot,
                shard,
            }) = router.trace(&key)
            else {
                panic!("a modulo router gives a modulo trace")
            };
            assert_eq!(hash, md5_u128(&key));
            assert_eq!(shards, n);
            // The tutorial's Go `int`: the low 64 bits, signed, then made positive.
            let h = hash as u64 as i64;
            assert_eq!(guide_int(hash), h);
            assert_eq!(u64::from(slot), h.unsigned_abs() % u64::from(n));
            assert_eq!(shard, router.shards()[slot as usize]);
            assert_eq!(Some(shard), router.route(&key));
        }
    }
}

#[test]
fn every_trace_ends_where_the_router_routes() {
    for kind in ALL_ROUTERS {
        let mut router = Router::with_shards(kind, 6).unwrap();
        router.remove(ShardId(2)).unwrap();
        let mut trace = router.trace("seed").unwrap();
        for key in keys() {
            let shard = router.trace_into(&key, &mut trace);
            assert_eq!(shard, router.route(&key), "{kind:?} {key}");
            assert_eq!(trace.shard(), shard);
        }
    }
}

#[test]
fn sentences_name_the_inputs_and_the_pitfalls() {
    let why = |kind: RouterKind| {
        let store = ShardManager::with_shards(
            kind,
            MigrationMode::Directory,
            RebalancePolicy::default(),
            4,
        )
        .unwrap();
        store
            .explain_route("user:42", RouteOp::Read, SimTime::from_millis(5))
            .unwrap()
            .to_string()
    };
    let ring = why(RouterKind::Ring { virtual_nodes: 100 });
    assert!(
        ring.starts_with("ring: user:42 hashes to 0x")
            && ring.contains(", the first vnode clockwise is shard-"),
        "{ring}"
    );
    assert!(
        ring.contains('#') && ring.contains(", so the read goes to shard-"),
        "{ring}"
    );
    let modulo = why(RouterKind::ModuloMd5);
    // md5("user:42") = 56dadf1868c3ba340467c942a86c29de; h = 0x0467c942a86c29de; mod 4 = 2.
    assert!(
        modulo.starts_with(
            "modulo: MD5(user:42) = 0x56da…0467c942a86c29de, whose low 64 bits as a signed \
             int are h = 317443586883594718; |h| mod 4 = 2, which is shard-2"
        ),
        "{modulo}"
    );
    assert!(
        modulo.contains("plain modulo, which the tutorial calls consistent hashing"),
        "{modulo}"
    );
    let jump = why(RouterKind::Jump);
    assert!(jump.starts_with("jump: user:42 hashes to 0x"), "{jump}");
    assert!(
        jump.contains(" → ") && jump.contains("≥ 4 buckets"),
        "{jump}"
    );
    let hrw = why(RouterKind::Rendezvous);
    assert!(hrw.starts_with("rendezvous: shard-"), "{hrw}");
    assert!(
        hrw.contains("scores user:42 highest, 0.") && hrw.contains("(next shard-"),
        "{hrw}"
    );
}

fn model(kind: RouterKind, mode: MigrationMode) -> ShardingModel {
    ShardingModel::new(ShardingConfig {
        router: kind,
        mode,
        batch_interval_micros: 50_000,
        ..ShardingConfig::default()
    })
    .unwrap()
}

/// The key and shard of a client request's event: the route decision made in the same step
/// explains it. (A key query's decision is made when the action is applied; its
/// `QueryRouted` notice comes out in a later step.)
fn routed_shard(kind: &ShardEventKind) -> Option<(&str, ShardId)> {
    match kind {
        ShardEventKind::Write { key, shard, .. }
        | ShardEventKind::Read { key, shard, .. }
        | ShardEventKind::ReadMiss { key, shard }
        | ShardEventKind::StaleRead { key, shard, .. } => Some((key, *shard)),
        ShardEventKind::Unreadable {
            key,
            expected_shard,
        } => Some((key, *expected_shard)),
        _ => None,
    }
}

#[test]
fn reads_of_keys_waiting_to_move_say_which_owner_they_went_to() {
    for mode in [MigrationMode::Directory, MigrationMode::Naive] {
        let mut sim = model(RouterKind::Ring { virtual_nodes: 50 }, mode);
        sim.run_into(50, &mut Vec::new());
        sim.add_shard().unwrap();
        let mut waiting = 0;
        let mut out = Vec::new();
        for _ in 0..400 {
            out.clear();
            sim.step_into(&mut out);
            let Some(e) = out.iter().find(|e| routed_shard(&e.kind).is_some()) else {
                continue;
            };
            let d = sim.last_route().unwrap();
            if let Placement::Waiting { from, to } = d.placement {
                waiting += 1;
                assert_eq!(to, d.routed);
                let expected = match mode {
                    MigrationMode::Directory => from,
                    MigrationMode::Naive => to,
                };
                assert_eq!(d.shard, expected);
                assert!(d.migrating);
                let text = d.to_string();
                assert!(text.contains("has not moved from"), "{text}");
                if mode == MigrationMode::Directory {
                    assert!(text.contains("to its old owner"), "{text}");
                } else {
                    assert!(text.contains("to its new owner"), "{text}");
                    if matches!(d.op, RouteOp::Read) {
                        assert!(matches!(e.kind, ShardEventKind::Unreadable { .. }), "{e:?}");
                    }
                }
            }
        }
        assert!(waiting > 0, "{mode:?}: no request hit a key in flight");
    }
}

#[test]
fn the_naive_rebalancer_is_explained_as_making_moved_keys_unreadable() {
    // Two vnodes per shard leave the ring uneven enough for the thresholds.
    let mut sim = ShardingModel::new(ShardingConfig {
        router: RouterKind::Ring { virtual_nodes: 2 },
        mode: MigrationMode::Naive,
        batch_interval_micros: 1,
        keys: 400,
        preload: true,
        ..ShardingConfig::default()
    })
    .unwrap();
    let plan = sim.start_rebalance().unwrap();
    assert!(!plan.is_empty(), "the store is within the thresholds");
    let decision = sim.last_rebalance().unwrap().clone();
    assert_eq!(decision.plan, plan);
    assert!(decision
        .to_string()
        .contains("the naive rebalancer makes moved keys unreadable"));
    let mut out = Vec::new();
    let mut explained = 0;
    for _ in 0..3_000 {
        out.clear();
        sim.step_into(&mut out);
        for e in &out {
            if let ShardEventKind::Unreadable { .. } = e.kind {
                let d = sim.last_route().unwrap();
                if let Placement::Away { holder } = d.placement {
                    assert_ne!(holder, d.shard);
                    let text = d.to_string();
                    assert!(
                        text.contains("the naive rebalancer makes moved keys unreadable"),
                        "{text}"
                    );
                    explained += 1;
                }
            }
        }
    }
    assert!(explained > 0);
}

#[test]
fn a_rebalance_judges_each_shard_against_the_thresholds() {
    // Three vnodes per shard leave the ring uneven.
    let mut sim = ShardingModel::new(ShardingConfig {
        router: RouterKind::Ring { virtual_nodes: 3 },
        keys: 2_000,
        preload: true,
        ..ShardingConfig::default()
    })
    .unwrap();
    let plan = sim.start_rebalance().unwrap();
    assert!(!plan.is_empty());
    let d = sim.last_rebalance().unwrap();
    assert_eq!(d.plan, plan);
    assert_eq!(d.total_keys, 2_000);
    let average = d.average();
    for v in &d.loads {
        let percent = v.keys as f64 * 100.0 / average;
        let expected = if percent > 120.0 {
            LoadVerdict::Above
        } else if percent < 80.0 {
            LoadVerdict::Below
        } else {
            LoadVerdict::Within
        };
        assert_eq!(v.load, expected, "{v:?} at {percent}");
        assert!((d.percent_of_average(v.keys) - percent).abs() < 1e-9);
    }
    let givers: Vec<ShardId> = d
        .loads
        .iter()
        .filter(|v| v.load == LoadVerdict::Above)
        .map(|v| v.shard)
        .collect();
    assert!(plan.iter().all(|t| givers.contains(&t.from)));
    assert_eq!(
        sim.last_decision(),
        Some(ShardingDecision::Rebalance(sim.last_rebalance().unwrap()))
    );
    let text = sim.last_decision().unwrap().to_string();
    assert!(
        text.starts_with("rebalance: the live shards hold 500.0 keys on average"),
        "{text}"
    );
}

#[test]
fn a_scatter_gather_says_it_asks_every_shard() {
    let mut sim = model(RouterKind::Jump, MigrationMode::Directory);
    sim.run_into(100, &mut Vec::new());
    ShardingAction::QueryRange { min: 0, max: 99 }
        .apply(&mut sim)
        .unwrap();
    let d = sim.last_fan_out().unwrap();
    assert_eq!(d.shards, sim.manager().live_shards());
    assert_eq!(d.draining, 0);
    assert_eq!(sim.last_decision(), Some(ShardingDecision::FanOut(d)));
    let text = d.to_string();
    assert!(
        text.contains("names no single key") && text.contains("all 4 shards"),
        "{text}"
    );
    ShardingAction::QueryKey { rank: 7 }
        .apply(&mut sim)
        .unwrap();
    let r = sim.last_route().unwrap();
    assert_eq!(r.key, "user:7");
    assert_eq!(r.op, RouteOp::Query { query: 1 });
    assert_eq!(Some(r.shard), sim.manager().locate("user:7"));
}

#[test]
fn the_quiet_path_records_nothing_and_snapshots_leave_decisions_out() {
    let mut sim = model(RouterKind::Rendezvous, MigrationMode::Directory);
    sim.steps_quiet(500, &mut Vec::new());
    assert_eq!(sim.last_route(), None);
    assert_eq!(sim.last_decision(), None);
    sim.step();
    sim.step();
    let at = sim.last_route().unwrap().at;
    sim.steps_quiet(500, &mut Vec::new());
    assert_eq!(sim.last_route().unwrap().at, at);
    let json = serde_json::to_string(&sim).unwrap();
    assert!(!json.contains("decisions"));
    let back: ShardingModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back.last_decision(), None);
}

proptest! {
    /// The verdicts a rebalance decision shows are the ones its plan follows: every giver is
    /// above the upper threshold and every taker below the lower one.
    #[test]
    fn verdicts_agree_with_the_plan(counts in proptest::collection::vec(0u64..400, 1..12)) {
        let policy = RebalancePolicy::default();
        let counts: Vec<(ShardId, u64)> = counts
            .into_iter()
            .enumerate()
            .map(|(i, c)| (ShardId(i as u32), c))
            .collect();
        let (n, total) = (counts.len() as u128, counts.iter().map(|c| u128::from(c.1)).sum());
        let verdict = |id: ShardId| {
            let keys = counts.iter().find(|c| c.0 == id).unwrap().1;
            LoadVerdict::judge(keys, total, n, &policy)
        };
        let plan = plan_rebalance(&counts, &policy);
        for t in &plan {
            prop_assert_eq!(verdict(t.from), LoadVerdict::Above);
            prop_assert_eq!(verdict(t.to), LoadVerdict::Below);
        }
    }
}

fn router_strategy() -> impl Strategy<Value = RouterKind> {
    prop_oneof![
        Just(RouterKind::ModuloMd5),
        (1u32..40).prop_map(|virtual_nodes| RouterKind::Ring { virtual_nodes }),
        Just(RouterKind::Jump),
        Just(RouterKind::Rendezvous),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    Steps(u8),
    Add,
    Remove(u8),
    Rebalance,
    QueryKey(u16),
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (1u8..60).prop_map(Op::Steps),
        1 => Just(Op::Add),
        1 => (0u8..8).prop_map(Op::Remove),
        1 => Just(Op::Rebalance),
        1 => (0u16..300).prop_map(Op::QueryKey),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// After every step and key query, the recorded route names the event's key and shard,
    /// was made at the event's time, and its trace ends where the router points.
    #[test]
    fn the_recorded_shard_is_the_events_shard(
        kind in router_strategy(),
        naive in any::<bool>(),
        seed in any::<u64>(),
        ops in proptest::collection::vec(op_strategy(), 1..30),
    ) {
        let mut sim = ShardingModel::new(ShardingConfig {
            router: kind,
            mode: if naive { MigrationMode::Naive } else { MigrationMode::Directory },
            keys: 300,
            batch_interval_micros: 20_000,
            seed,
            ..ShardingConfig::default()
        })
        .unwrap();
        let mut out = Vec::new();
        for op in ops {
            match op {
                Op::Steps(n) => {
                    for _ in 0..n {
                        out.clear();
                        sim.step_into(&mut out);
                        for e in &out {
                            if let Some((key, shard)) = routed_shard(&e.kind) {
                                let d = sim.last_route().unwrap();
                                prop_assert_eq!(d.key.as_str(), key);
                                prop_assert_eq!(d.shard, shard);
                                prop_assert_eq!(d.at, e.at);
                                prop_assert_eq!(d.trace.shard(), Some(d.routed));
                                prop_assert_eq!(sim.manager().route(key), Some(d.routed));
                            }
                        }
                    }
                }
                Op::Add => {
                    let _ = sim.add_shard();
                }
                Op::Remove(s) => {
                    let _ = sim.remove_shard(ShardId(u32::from(s)));
                }
                Op::Rebalance => {
                    if let Ok(plan) = sim.start_rebalance() {
                        prop_assert_eq!(&sim.last_rebalance().unwrap().plan, &plan);
                    }
                }
                Op::QueryKey(rank) => {
                    let key = key_name(u64::from(rank));
                    if let Ok(outcome) = sim.query_key(&key) {
                        let d = sim.last_route().unwrap();
                        prop_assert_eq!(&d.key, &key);
                        prop_assert_eq!(d.shard, outcome.answers[0].shard);
                    }
                }
            }
        }
    }
}
