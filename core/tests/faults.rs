//! Fault scenes keep their promise: whatever a user does mid-flight — flush L2 while warming,
//! clear both caches, shrink L1, switch policy — every request ends exactly once and no write
//! acknowledged to a client is lost by the origin. (Killing, slowing and reviving servers is
//! covered by `balancing.rs`' `routing_respects_health_and_every_request_ends_once`, and removing
//! a shard mid-rebalance by `sharding.rs`' `directory_mode_never_loses_a_key`.)

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::caching::*;
use scalelab_core::Model;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
enum Fault {
    Requests { key: Key, write: bool, count: u64 },
    Steps(u16),
    FlushL2,
    Warm { first: Key, count: u64 },
    Clear,
    ResizeL1(u64),
    Policy(usize),
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        6 => (0u64..40, any::<bool>(), 1u64..6)
            .prop_map(|(key, write, count)| Fault::Requests { key, write, count }),
        4 => (1u16..60).prop_map(Fault::Steps),
        2 => Just(Fault::FlushL2),
        2 => (0u64..40, 1u64..30).prop_map(|(first, count)| Fault::Warm { first, count }),
        1 => Just(Fault::Clear),
        1 => (1u64..40).prop_map(Fault::ResizeL1),
        1 => (0usize..EvictionPolicy::ALL.len()).prop_map(Fault::Policy),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Under cache-aside and write-through (the write policies that promise durability), any
    /// interleaving of requests and faults ends with: every arrived request completed exactly
    /// once, nothing in flight, and the origin holding at least the version of every write a
    /// client was told succeeded — the latest one per key.
    #[test]
    fn every_request_ends_once_and_no_acknowledged_write_is_lost(
        seed in any::<u64>(),
        write_through in any::<bool>(),
        coalescing in any::<bool>(),
        faults in prop::collection::vec(fault(), 1..40),
    ) {
        let mut config = CachingConfig { arrivals: None, seed, ..CachingConfig::default() };
        config.write_policy = if write_through { WritePolicy::WriteThrough } else { WritePolicy::CacheAside };
        let mut sim = CachingModel::new(config).unwrap();
        sim.set_coalescing(coalescing);
        let mut events = Vec::new();
        for f in &faults {
            match *f {
                Fault::Requests { key, write, count } => {
                    let op = if write { Op::Write } else { Op::Read };
                    prop_assert!(sim.inject(key, op, count).is_ok());
                }
                Fault::Steps(n) => {
                    for _ in 0..n {
                        if sim.next_event_time().is_none() { break; }
                        sim.step_into(&mut events);
                    }
                }
                Fault::FlushL2 => { sim.flush_l2(); }
                // Refused while a warm-up runs; either way nothing may be lost.
                Fault::Warm { first, count } => { let _ = sim.warm_range(first, count); }
                Fault::Clear => sim.clear_caches(),
                Fault::ResizeL1(c) => { let _ = sim.resize_l1(c); }
                Fault::Policy(i) => { let _ = sim.switch_policy(EvictionPolicy::ALL[i]); }
            }
            let r = sim.stats().requests;
            prop_assert_eq!(r.arrived, r.completed + r.in_flight, "after {:?}", f);
        }
        let mut guard = 0;
        while sim.next_event_time().is_some() {
            sim.step_into(&mut events);
            guard += 1;
            prop_assert!(guard < 1_000_000, "the simulation did not go idle");
        }
        let r = sim.stats().requests;
        prop_assert_eq!(r.in_flight, 0);
        prop_assert_eq!(r.arrived, r.completed);

        let mut arrived: BTreeMap<u64, u32> = BTreeMap::new();
        let mut completed: BTreeMap<u64, u32> = BTreeMap::new();
        let mut acknowledged: BTreeMap<Key, u64> = BTreeMap::new();
        for e in &events {
            match e {
                CachingEvent::RequestArrived { request, .. } => *arrived.entry(*request).or_default() += 1,
                CachingEvent::RequestCompleted { request, key, op, version, .. } => {
                    *completed.entry(*request).or_default() += 1;
                    if *op == Op::Write {
                        let v = acknowledged.entry(*key).or_default();
                        *v = (*v).max(*version);
                    }
                }
                _ => {}
            }
        }
        prop_assert!(arrived.values().all(|&n| n == 1), "a request arrived twice");
        prop_assert!(completed.values().all(|&n| n == 1), "a request completed twice");
        prop_assert_eq!(arrived.keys().collect::<Vec<_>>(), completed.keys().collect::<Vec<_>>());
        for (key, version) in &acknowledged {
            let held = sim.cache().origin().version(*key);
            prop_assert!(held >= *version, "key {} acknowledged at v{} but the origin holds v{}", key, version, held);
        }
    }
}
