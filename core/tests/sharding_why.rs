//! Why a key went where it went: every router's trace checked against the reference
//! behaviour (the ring's first vnode at or after the hash, wrapping; jump hash's jumps ending
//! at its bucket, with the Lamping & Veach vector; rendezvous's highest score; modulo's
//! `hash % n`).

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::sharding::*;

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
            assert_eq!(u128::from(slot), hash % u128::from(n));
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
            .router()
            .trace("user:42")
            .unwrap()
            .why("user:42")
            .to_string()
    };
    let ring = why(RouterKind::Ring { virtual_nodes: 100 });
    assert!(
        ring.starts_with("ring: user:42 hashes to 0x")
            && ring.contains(", the first vnode clockwise is shard-"),
        "{ring}"
    );
    assert!(ring.contains('#'), "{ring}");
    let modulo = why(RouterKind::ModuloMd5);
    assert!(modulo.starts_with("modulo: MD5(user:42) = 0x"), "{modulo}");
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
