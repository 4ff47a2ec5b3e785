//! Scalelab's routers against the crates people reach for, in one run so the ratios can be
//! read side by side:
//!
//! - **ring lookup** vs `hashring` 0.3: the same 16 shards × 100 virtual nodes (1 600 points)
//!   and the same 1 000 precomputed `user:<n>` keys. Each side does the same work per lookup —
//!   hash the key's bytes, then binary-search the sorted points for the first point ≥ the hash
//!   (wrapping). Ours hashes with `stable_hash64` (a wyhash-style multiply-mix) and searches a
//!   flat `Vec<u64>` with a parallel `Vec<ShardId>`; `hashring` hashes with SipHash-2-4
//!   (`&str`'s `Hash`: bytes + 0xff) and searches a `Vec<Node { key: u64, node: T }>`.
//! - **jump hash** vs `jumphash` 0.1: the same keys over 16 buckets. Ours: `stable_hash64`, the
//!   jump loop, then the bucket → shard-id lookup the router needs for stable shard ids;
//!   `jumphash`: SipHash-1-3 of the key (keys 0, 0), then the same jump loop.
//!
//! Run: `cargo bench -p scalelab-core --bench sharding_vs_peers -- --measurement-time 2 --warm-up-time 1`

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hashring::HashRing;
use jumphash::JumpHasher;
use scalelab_core::sharding::{Router, RouterKind};
use std::hint::black_box;

const SHARDS: u32 = 16;
const VNODES: u32 = 100;
const KEYS: u32 = 1_000;

/// A virtual node as `hashring` users write it: the shard and the replica index.
#[derive(Debug, Clone, Copy, PartialEq, Hash)]
struct VNode {
    shard: u32,
    replica: u32,
}

fn keys() -> Vec<String> {
    (0..KEYS).map(|i| format!("user:{i}")).collect()
}

fn ring_lookup(c: &mut Criterion) {
    let keys = keys();
    let ours = Router::with_shards(
        RouterKind::Ring {
            virtual_nodes: VNODES,
        },
        SHARDS,
    )
    .expect("valid ring");
    let mut theirs: HashRing<VNode> = HashRing::new();
    theirs.batch_add(
        (0..SHARDS)
            .flat_map(|shard| (0..VNODES).map(move |replica| VNode { shard, replica }))
            .collect(),
    );
    assert_eq!(theirs.len(), (SHARDS * VNODES) as usize);

    let mut group = c.benchmark_group("ring lookup (16 shards x 100 vnodes, 1000 keys)");
    group.throughput(Throughput::Elements(u64::from(KEYS)));
    group.bench_function("scalelab ring", |b| {
        b.iter(|| {
            let mut acc = 0u32;
            for k in &keys {
                acc = acc.wrapping_add(ours.route(black_box(k.as_str())).map_or(0, |s| s.0));
            }
            acc
        })
    });
    group.bench_function("hashring 0.3", |b| {
        b.iter(|| {
            let mut acc = 0u32;
            for k in &keys {
                acc = acc.wrapping_add(theirs.get(&black_box(k.as_str())).map_or(0, |n| n.shard));
            }
            acc
        })
    });
    group.finish();
}

fn jump_lookup(c: &mut Criterion) {
    let keys = keys();
    let ours = Router::with_shards(RouterKind::Jump, SHARDS).expect("valid jump router");
    let theirs = JumpHasher::new_with_keys(0, 0);

    let mut group = c.benchmark_group("jump hash (16 buckets, 1000 keys)");
    group.throughput(Throughput::Elements(u64::from(KEYS)));
    group.bench_function("scalelab jump", |b| {
        b.iter(|| {
            let mut acc = 0u32;
            for k in &keys {
                acc = acc.wrapping_add(ours.route(black_box(k.as_str())).map_or(0, |s| s.0));
            }
            acc
        })
    });
    group.bench_function("jumphash 0.1", |b| {
        b.iter(|| {
            let mut acc = 0u32;
            for k in &keys {
                acc = acc.wrapping_add(theirs.slot(&black_box(k.as_str()), SHARDS));
            }
            acc
        })
    });
    group.finish();
}

criterion_group!(benches, ring_lookup, jump_lookup);
criterion_main!(benches);
