//! L1 LRU vs the `lru` crate (0.19) on identical precomputed key sequences.
//!
//! One group, so both sides of each ratio come from the same run:
//! - `get-hit/<cap>`: lookups of keys known to be cached (Zipf(0.8) over the cached set);
//! - `put-evict/<cap>`: puts streamed from a long sequence over a universe 8× the capacity,
//!   so ~7 in 8 puts insert a new key and evict. (The stream continues across iterations:
//!   replaying one short batch would turn every put into an update once its keys are cached.)
//!
//! Keys are random 64-bit numbers (not 0..n), so neither hasher is flattered by sequential keys.
//! Run: `cargo bench -p scalelab-core --bench cache_vs_lru -- --measurement-time 2 --warm-up-time 1`

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lru::LruCache as CrateLru;
use scalelab_core::caching::{Discard, L1Policy, LruCache};
use scalelab_core::sim::{SimRng, SimTime, Zipf};
use std::hint::black_box;
use std::num::NonZeroUsize;

/// Operations per measured iteration.
const BATCH: usize = 10_000;

struct Sequences {
    /// Keys inserted before measuring (exactly `capacity` of them).
    resident: Vec<u64>,
    /// Keys looked up: all resident.
    gets: Vec<u64>,
    /// Keys put, a multiple of `BATCH` long and at least 8 × capacity: mostly absent.
    puts: Vec<u64>,
}

fn sequences(capacity: usize) -> Sequences {
    let mut rng = SimRng::seed_from(0xBE7C);
    let universe: Vec<u64> = (0..capacity * 8).map(|_| rng.next_u64()).collect();
    let resident = universe[..capacity].to_vec();
    // Hot keys stay near the list head, as in a real workload; the tail still touches cold nodes.
    let zipf = Zipf::new(capacity as u64, 0.8, 10_000_000).expect("valid Zipf");
    let gets = (0..BATCH)
        .map(|_| resident[zipf.sample(&mut rng) as usize])
        .collect();
    let len = (capacity * 8).div_ceil(BATCH).max(4) * BATCH;
    let puts = (0..len)
        .map(|_| universe[rng.below(universe.len() as u64) as usize])
        .collect();
    Sequences {
        resident,
        gets,
        puts,
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("cache_vs_lru");
    group.throughput(Throughput::Elements(BATCH as u64));
    let now = SimTime::ZERO;
    for capacity in [1_000usize, 100_000] {
        let seq = sequences(capacity);

        let mut ours = LruCache::<u64>::new(capacity as u64).expect("valid capacity");
        let mut theirs = CrateLru::<u64, u64>::new(NonZeroUsize::new(capacity).expect("non-zero"));
        for &k in &seq.resident {
            ours.set_with(k, k, None, now, &mut Discard);
            theirs.put(k, k);
        }
        group.bench_function(BenchmarkId::new("scalelab/get-hit", capacity), |b| {
            b.iter(|| {
                let mut sum = 0u64;
                for &k in &seq.gets {
                    if let Some(v) = ours.get_with(black_box(k), now, &mut Discard) {
                        sum = sum.wrapping_add(*v);
                    }
                }
                black_box(sum)
            })
        });
        group.bench_function(BenchmarkId::new("lru-crate/get-hit", capacity), |b| {
            b.iter(|| {
                let mut sum = 0u64;
                for &k in &seq.gets {
                    if let Some(v) = theirs.get(&black_box(k)) {
                        sum = sum.wrapping_add(*v);
                    }
                }
                black_box(sum)
            })
        });
        let mut batches = seq.puts.chunks_exact(BATCH).cycle();
        group.bench_function(BenchmarkId::new("scalelab/put-evict", capacity), |b| {
            b.iter(|| {
                for &k in batches.next().unwrap_or_default() {
                    ours.set_with(black_box(k), k, None, now, &mut Discard);
                }
            })
        });
        let mut batches = seq.puts.chunks_exact(BATCH).cycle();
        group.bench_function(BenchmarkId::new("lru-crate/put-evict", capacity), |b| {
            b.iter(|| {
                for &k in batches.next().unwrap_or_default() {
                    black_box(theirs.put(black_box(k), k));
                }
            })
        });
        assert_eq!(ours.capacity(), capacity as u64);
        assert_eq!(theirs.len(), capacity);
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
