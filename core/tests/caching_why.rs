//! Why the caches did what they did: each L1 policy's recorded order against its reference
//! rule (LRU evicts the least recently *accessed*, FIFO the oldest *inserted*, LFU the fewest
//! uses with ties to the least recent, TTL the soonest expiry, W-TinyLFU admits a candidate only
//! on a strictly higher sketch estimate), and a read's recorded path through the levels.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::caching::*;
use scalelab_core::sim::{SimDuration, SimTime};
use scalelab_core::Model;

const T: SimTime = SimTime::ZERO;

/// A read through one policy: a get, and a set on a miss (the cache-aside refill).
fn access<P: L1Policy<u64>>(c: &mut P, key: Key, sink: &mut RecordingSink) {
    if c.get_with(key, T, sink).is_none() {
        c.set_with(key, key, None, T, sink);
    }
}

fn keys(e: &Eviction) -> Vec<Key> {
    e.order.iter().map(|x| x.key).collect()
}

fn idles(e: &Eviction) -> Vec<u64> {
    e.order
        .iter()
        .map(|x| match x.standing {
            Standing::Idle { idle } => idle,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn lru_evicts_the_least_recently_accessed_and_lists_the_recency_order() {
    let mut c = LruCache::<u64>::new(3).unwrap();
    let mut sink = RecordingSink::default();
    // a b c a d: `a` was read again, so `b` is the least recently accessed.
    for k in [1, 2, 3, 1, 4] {
        access(&mut c, k, &mut sink);
    }
    let e = sink.eviction.unwrap();
    assert_eq!(
        (e.policy, e.victim, e.newcomer, e.held),
        (EvictionPolicy::Lru, 2, 4, 3)
    );
    assert_eq!(keys(&e), vec![1, 3, 2], "most to least recent");
    // Accesses: set a 1, set b 2, set c 3, hit a 4, set d 5.
    assert_eq!(idles(&e), vec![1, 2, 3]);
    assert_eq!(e.least_recent, None);
    assert_eq!(e.reason, EvictionReason::Capacity);
    assert_eq!(
        e.to_string(),
        "LRU evicted key:2, untouched for 3 accesses, the longest of 3."
    );
    assert!(sink.effects.contains(&CacheEffect::Evicted {
        key: 2,
        slot: 1,
        region: Region::Main,
        reason: EvictionReason::Capacity
    }));
}

#[test]
fn the_naive_lru_evicts_the_oldest_inserted_and_names_what_lru_would_have() {
    let mut c = FifoNaiveCache::<u64>::new(3).unwrap();
    let mut sink = RecordingSink::default();
    for k in [1, 2, 3, 1, 4] {
        access(&mut c, k, &mut sink);
    }
    let e = sink.eviction.unwrap();
    assert_eq!((e.policy, e.victim), (EvictionPolicy::FifoNaive, 1));
    assert_eq!(keys(&e), vec![3, 2, 1], "newest to oldest inserted");
    // The read of `a` changed nothing in FIFO's order, but it is the most recent access.
    assert_eq!(idles(&e), vec![2, 3, 1]);
    assert_eq!(e.least_recent, Some(2));
    assert_eq!(
        e.to_string(),
        "The naive \"LRU\" (really FIFO) evicted key:1, the oldest inserted of 3; true LRU \
         would have evicted key:2, untouched for 3 accesses."
    );
}

#[test]
fn lfu_evicts_the_fewest_uses_and_breaks_ties_by_recency() {
    let mut c = LfuCache::<u64>::new(3).unwrap();
    let mut sink = RecordingSink::default();
    for k in [1, 2, 3, 1, 1, 3, 4] {
        access(&mut c, k, &mut sink);
    }
    let e = sink.eviction.clone().unwrap();
    assert_eq!((e.policy, e.victim), (EvictionPolicy::Lfu, 2));
    let uses: Vec<(Key, u64)> = e
        .order
        .iter()
        .map(|x| match x.standing {
            Standing::Uses { uses, .. } => (x.key, uses),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(uses, vec![(1, 3), (3, 2), (2, 1)]);
    assert_eq!(
        e.to_string(),
        "LFU evicted key:2, used 1×, the fewest of 3."
    );

    // A tie on uses: the least recently used of the tied goes.
    let mut c = LfuCache::<u64>::new(3).unwrap();
    let mut sink = RecordingSink::default();
    for k in [5, 6, 7, 8] {
        access(&mut c, k, &mut sink);
    }
    let e = sink.eviction.unwrap();
    assert_eq!(e.victim, 5);
    assert_eq!(keys(&e), vec![7, 6, 5]);
    assert_eq!(
        e.to_string(),
        "LFU evicted key:5, used 1×, the fewest of 3, and the least recent of the 3 used 1×."
    );
}

#[test]
fn ttl_evicts_the_soonest_deadline() {
    let mut c = TtlCache::<u64>::new(3).unwrap();
    let mut sink = RecordingSink::default();
    let secs = SimDuration::from_secs;
    c.set_with(1, 1, Some(secs(30)), T, &mut sink);
    c.set_with(2, 2, Some(secs(10)), T, &mut sink);
    c.set_with(3, 3, None, T, &mut sink);
    c.set_with(4, 4, Some(secs(60)), T, &mut sink);
    let e = sink.eviction.unwrap();
    let deadlines: Vec<Option<SimTime>> = e
        .order
        .iter()
        .map(|x| match x.standing {
            Standing::Expires { at, .. } => at,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        deadlines,
        vec![None, Some(T.after(secs(30))), Some(T.after(secs(10)))]
    );
    assert_eq!(e.victim, 2);
    assert_eq!(
        e.to_string(),
        "TTL evicted key:2, expiring at 10.000s, the soonest of 3."
    );
}

/// Checks a W-TinyLFU eviction against the cache's own sketch and the admission rule.
fn check_duel(c: &WTinyLfuCache<u64>, e: &Eviction) {
    let d = e.duel.expect("a full cache duels");
    assert_eq!(d.candidate_frequency, c.sketch().frequency(d.candidate));
    assert_eq!(d.victim_frequency, c.sketch().frequency(d.victim));
    assert_eq!(d.admitted, d.candidate_frequency > d.victim_frequency);
    assert_eq!(e.victim, if d.admitted { d.victim } else { d.candidate });
    for x in &e.order {
        let Standing::Segment { frequency, .. } = x.standing else {
            panic!("{x:?}");
        };
        assert_eq!(frequency, c.sketch().frequency(x.key));
    }
}

#[test]
fn tinylfu_duel_frequencies_are_the_sketch_estimates_and_the_rule_picks_the_winner() {
    let mut c = WTinyLfuCache::<u64>::new(4).unwrap();
    let mut sink = RecordingSink::default();
    // Keys 1 and 2 are read often; a scan of one-off keys then asks to get in.
    for _ in 0..4 {
        for k in [1, 2, 3, 4] {
            access(&mut c, k, &mut sink);
        }
    }
    for k in 100..110 {
        sink.eviction = None;
        access(&mut c, k, &mut sink);
        let e = sink
            .eviction
            .clone()
            .expect("every newcomer duels once full");
        check_duel(&c, &e);
        let d = e.duel.unwrap();
        assert!(!d.admitted, "a one-off key never beats a hot one: {e}");
        assert!(e.to_string().starts_with(&format!(
            "W-TinyLFU kept key:{} (freq {}) over newcomer key:{} (freq {})",
            d.victim, d.victim_frequency, d.candidate, d.candidate_frequency
        )));
        let regions: Vec<Region> = e
            .order
            .iter()
            .map(|x| match x.standing {
                Standing::Segment { region, .. } => region,
                other => panic!("{other:?}"),
            })
            .collect();
        let mut sorted = regions.clone();
        sorted.sort_by_key(|r| match r {
            Region::Protected => 0,
            Region::Probation => 1,
            _ => 2,
        });
        assert_eq!(regions, sorted, "protected, probation, then window");
        assert_eq!(e.order.last().unwrap().key, d.candidate);
    }
    // A newcomer read often enough wins its duel.
    for _ in 0..6 {
        c.get_with(200, T, &mut sink);
        c.set_with(200, 200, None, T, &mut sink);
        c.delete_with(200, &mut sink);
    }
    sink.eviction = None;
    c.set_with(200, 200, None, T, &mut sink);
    c.set_with(201, 201, None, T, &mut sink);
    let e = sink.eviction.unwrap();
    check_duel(&c, &e);
    assert!(e.duel.unwrap().admitted, "{e}");
    assert!(e
        .to_string()
        .starts_with("W-TinyLFU admitted newcomer key:200"));
}

/// No background traffic: only what the test sends.
fn manual(policy: EvictionPolicy, capacity: u64) -> CachingModel {
    CachingModel::new(CachingConfig {
        arrivals: None,
        l1: L1Config {
            policy,
            capacity,
            ..L1Config::default()
        },
        seed: 1,
        ..CachingConfig::default()
    })
    .unwrap()
}

fn read(m: &mut CachingModel, key: Key) {
    m.inject(key, Op::Read, 1).unwrap();
    while m.next_event_time().is_some() {
        m.step();
    }
}

#[test]
fn a_read_records_its_path_and_the_ttls_it_filled_with() {
    let mut m = manual(EvictionPolicy::Lru, 1);
    assert_eq!(m.last_read(), None);
    read(&mut m, 7);
    let r = *m.last_read().unwrap();
    let ttl = m.config().set_ttl;
    assert_eq!(
        r.route,
        ReadRoute::Origin {
            l1_ttl: ttl,
            l2_ttl: ttl.saturating_mul(2),
            answered: 1
        }
    );
    assert_eq!((r.key, r.at), (7, m.now()));
    assert!(r.to_string().contains(
        "L1 and L2 missed, so the origin answered and filled L1 for 60.000s and L2 for 120.000s"
    ));
    read(&mut m, 7);
    assert_eq!(m.last_read().unwrap().route, ReadRoute::L1Hit);
    // key:8 takes L1's only slot, so key:7 is now in L2 alone.
    read(&mut m, 8);
    let e = m.last_eviction().unwrap();
    assert_eq!((e.victim, e.newcomer), (7, 8));
    read(&mut m, 7);
    let r = m.last_read().unwrap();
    assert_eq!(
        r.route,
        ReadRoute::L2Hit {
            refill_ttl: m.config().refill_ttl
        }
    );
    assert!(
        r.to_string()
            .contains("L1 miss, L2 hit, copied into L1 for 300.000s"),
        "{r}"
    );
}

#[test]
fn coalesced_reads_record_how_many_one_load_answered() {
    let mut m = manual(EvictionPolicy::Lru, 4);
    m.set_coalescing(true);
    m.stampede(9, 5).unwrap();
    while m.next_event_time().is_some() {
        m.step();
    }
    assert!(matches!(
        m.last_read().unwrap().route,
        ReadRoute::Origin { answered: 5, .. }
    ));
}

#[test]
fn fast_forward_records_nothing() {
    let mut m = CachingModel::new(CachingConfig::default()).unwrap();
    m.steps_quiet(20_000, &mut Vec::new());
    assert!(m.stats().l1.evictions.capacity > 0);
    assert_eq!(m.last_eviction(), None);
    assert_eq!(m.last_read(), None);
}

/// Runs `steps` reported steps and checks every recorded eviction against the step's events.
fn check_run(config: CachingConfig, steps: u32) -> u32 {
    let mut m = CachingModel::new(config).unwrap();
    let mut recorded = 0;
    for _ in 0..steps {
        let before = m.last_eviction().cloned();
        let events = m.step();
        let after = m.last_eviction().cloned();
        let l1_choice = events.iter().find_map(|e| match e {
            CachingEvent::Evicted {
                key,
                level: Level::L1,
                reason,
                ..
            } if *reason == EvictionReason::Capacity
                || (*reason == EvictionReason::Expired
                    && events.iter().any(|i| {
                        matches!(
                            i,
                            CachingEvent::Inserted {
                                level: Level::L1,
                                ..
                            }
                        )
                    })) =>
            {
                Some((*key, *reason))
            }
            _ => None,
        });
        if after == before {
            assert_eq!(l1_choice, None, "an L1 eviction by choice went unrecorded");
            continue;
        }
        let e = after.unwrap();
        recorded += 1;
        assert_eq!(l1_choice, Some((e.victim, e.reason)), "{e}");
        assert_eq!(e.at, m.now());
        assert_eq!(e.policy, m.config().l1.policy);
        assert!(e.order.len() as u64 <= e.held.min(ORDER_LIMIT as u64));
        assert!(e.order.iter().any(|x| x.key == e.victim), "{e} {e:?}");
        let contest = events.iter().find_map(|ev| match *ev {
            CachingEvent::AdmissionContest {
                candidate,
                candidate_frequency,
                victim,
                victim_frequency,
                admitted,
            } => Some(Duel {
                candidate,
                candidate_frequency,
                victim,
                victim_frequency,
                admitted,
            }),
            _ => None,
        });
        assert_eq!(e.duel, contest);
        check_order(&e);
    }
    recorded
}

/// The order is the policy's: the victim at the evicting end, each policy's rank in order.
fn check_order(e: &Eviction) {
    let last = e.order.last().unwrap();
    match e.policy {
        EvictionPolicy::Lru => {
            assert_eq!(last.key, e.victim);
            let idle = idles(e);
            assert!(idle.windows(2).all(|w| w[0] < w[1]), "{idle:?}");
        }
        EvictionPolicy::FifoNaive => {
            assert_eq!(last.key, e.victim);
            let idle = idles(e);
            if e.held as usize == e.order.len() {
                let max = idle.iter().max().unwrap();
                let least = e.least_recent.unwrap();
                assert_eq!(e.idle(least), Some(*max));
            }
        }
        EvictionPolicy::Lfu => {
            assert_eq!(last.key, e.victim);
            let rank: Vec<(u64, std::cmp::Reverse<u64>)> = e
                .order
                .iter()
                .map(|x| match x.standing {
                    Standing::Uses { uses, idle } => (uses, std::cmp::Reverse(idle)),
                    other => panic!("{other:?}"),
                })
                .collect();
            assert!(rank.windows(2).all(|w| w[0] > w[1]), "{rank:?}");
        }
        EvictionPolicy::Ttl => {
            assert_eq!(last.key, e.victim);
            let rank: Vec<(u64, std::cmp::Reverse<u64>)> = e
                .order
                .iter()
                .map(|x| match x.standing {
                    Standing::Expires { at, idle } => {
                        (at.map_or(u64::MAX, |t| t.0), std::cmp::Reverse(idle))
                    }
                    other => panic!("{other:?}"),
                })
                .collect();
            assert!(rank.windows(2).all(|w| w[0] > w[1]), "{rank:?}");
        }
        EvictionPolicy::WTinyLfu => {
            if let Some(d) = e.duel {
                assert_eq!(
                    last.key, d.candidate,
                    "the window's last entry is the candidate"
                );
                assert!(e.entry(d.victim).is_some());
                assert_eq!(d.admitted, d.candidate_frequency > d.victim_frequency);
                assert_eq!(e.victim, if d.admitted { d.victim } else { d.candidate });
            }
        }
    }
}

#[test]
fn every_policy_records_its_evictions_in_a_run() {
    for policy in EvictionPolicy::ALL {
        let config = CachingConfig {
            l1: L1Config {
                policy,
                capacity: 8,
                ..L1Config::default()
            },
            ..CachingConfig::default()
        };
        assert!(check_run(config, 4_000) > 50, "{policy}");
    }
}

#[test]
fn a_large_cache_lists_the_entries_nearest_eviction() {
    for policy in EvictionPolicy::ALL {
        let config = CachingConfig {
            l1: L1Config {
                policy,
                capacity: 100,
                ..L1Config::default()
            },
            workload: KeyWorkload::Uniform { keys: 2_000 },
            ..CachingConfig::default()
        };
        let mut m = CachingModel::new(config.clone()).unwrap();
        for _ in 0..3_000 {
            m.step();
        }
        let e = m.last_eviction().unwrap();
        // W-TinyLFU chooses with the newcomer already in its window.
        let held = if policy == EvictionPolicy::WTinyLfu {
            101
        } else {
            100
        };
        assert_eq!((e.held, e.order.len()), (held, ORDER_LIMIT), "{policy}");
        check_run(config, 3_000);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The recorded victim is always the key of the L1 eviction the step reported, and every
    /// L1 eviction by the policy's choice is recorded.
    #[test]
    fn the_recorded_victim_is_the_evicted_key(
        seed in any::<u64>(),
        policy in 0usize..EvictionPolicy::ALL.len(),
        capacity in 1u64..=24,
        keys in 8u64..400,
        ttl_ms in 50u64..5_000,
    ) {
        let config = CachingConfig {
            seed,
            l1: L1Config {
                policy: EvictionPolicy::ALL[policy],
                capacity,
                ..L1Config::default()
            },
            workload: KeyWorkload::Uniform { keys },
            set_ttl: SimDuration::from_millis(ttl_ms),
            ..CachingConfig::default()
        };
        check_run(config, 1_500);
    }
}
