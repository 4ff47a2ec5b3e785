//! Caching: published reference vectors (LRU, LFU, W-TinyLFU orders), properties against simple reference models,
//! the multi-level read/write paths, warming, stampedes and determinism.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::caching::*;
use scalelab_core::sim::{Digest, SimDuration, SimTime};
use scalelab_core::Model;

const T0: SimTime = SimTime::ZERO;

/// Read-through access: get, and on a miss set. Returns (hit, keys evicted).
fn access<C: L1Policy<u64>>(c: &mut C, key: Key, now: SimTime) -> (bool, Vec<Key>) {
    let mut fx = Vec::new();
    let hit = c.get_with(key, now, &mut fx).is_some();
    if !hit {
        c.set_with(key, key, None, now, &mut fx);
    }
    let evicted = fx
        .iter()
        .filter_map(|e| match e {
            CacheEffect::Evicted { key, .. } => Some(*key),
            _ => None,
        })
        .collect();
    (hit, evicted)
}

fn hit_rate<C: L1Policy<u64>>(c: &mut C, keys: &[Key]) -> f64 {
    let hits = keys.iter().filter(|&&k| access(c, k, T0).0).count();
    hits as f64 / keys.len() as f64
}

fn manual_config() -> CachingConfig {
    CachingConfig {
        arrivals: None,
        ..CachingConfig::default()
    }
}

/// Steps until nothing is scheduled, collecting events.
fn drain(sim: &mut CachingModel) -> Vec<CachingEvent> {
    let mut out = Vec::new();
    for _ in 0..100_000 {
        if sim.next_event_time().is_none() {
            return out;
        }
        sim.step_into(&mut out);
    }
    panic!("simulation did not go idle");
}

/// Steps while the next event is at or before `t`.
fn run_until(sim: &mut CachingModel, t: SimTime) -> Vec<CachingEvent> {
    let mut out = Vec::new();
    while sim.next_event_time().is_some_and(|n| n <= t) {
        sim.step_into(&mut out);
    }
    out
}

// ----- L1 policies --------------------------------------------------------------------

#[test]
fn lru_evicts_b_and_fifo_naive_evicts_a_on_a_b_c_a_d() {
    let (a, b, c, d) = (10, 11, 12, 13);
    let mut lru = L1Cache::<u64>::new(EvictionPolicy::Lru, 3).unwrap();
    let mut fifo = L1Cache::<u64>::new(EvictionPolicy::FifoNaive, 3).unwrap();
    let (mut ev_lru, mut ev_fifo) = (vec![], vec![]);
    for k in [a, b, c, a, d] {
        ev_lru.extend(access(&mut lru, k, T0).1);
        ev_fifo.extend(access(&mut fifo, k, T0).1);
    }
    assert_eq!(
        ev_lru,
        vec![b],
        "true LRU evicts the least recently accessed"
    );
    assert_eq!(
        ev_fifo,
        vec![a],
        "the guide's LRU evicts the oldest created"
    );
}

#[test]
fn lru_keeps_a_re_accessed_hot_key_that_fifo_drops() {
    // Hot key 0 between a cycle of four cold keys, capacity 3.
    let pattern: Vec<Key> = (0..400u64)
        .map(|i| if i % 2 == 0 { 0 } else { 1 + (i / 2) % 4 })
        .collect();
    let mut lru = LruCache::<u64>::new(3).unwrap();
    let mut fifo = FifoNaiveCache::<u64>::new(3).unwrap();
    let lru_rate = hit_rate(&mut lru, &pattern);
    let fifo_rate = hit_rate(&mut fifo, &pattern);
    assert!(
        lru_rate > 0.49,
        "LRU hits the hot key every time: {lru_rate}"
    );
    assert!(
        fifo_rate < lru_rate - 0.15,
        "FIFO evicts the hot key as it ages: {fifo_rate} vs {lru_rate}"
    );
}

#[test]
fn caffeine_region_sizes_for_100_entries() {
    assert_eq!(
        RegionSizes::for_capacity(100),
        RegionSizes {
            window: 1,
            protected: 79,
            probation: 20
        }
    );
    // And the cache really fills them: insert 100 keys, hit each once.
    let mut c = WTinyLfuCache::<u64>::new(100).unwrap();
    for k in 0..100 {
        c.set(k, k, None, T0);
    }
    for k in 0..100 {
        c.get(k, T0);
    }
    assert_eq!(c.len(), 100);
    assert_eq!(c.region_len(Region::Window), 1);
    assert_eq!(c.region_len(Region::Protected), 79);
    assert_eq!(c.region_len(Region::Probation), 20);
}

#[test]
fn a_one_off_scan_flushes_lru_but_not_w_tinylfu() {
    fn run<C: L1Policy<u64>>(c: &mut C) -> f64 {
        let hot: Vec<Key> = (0..50).collect();
        for _ in 0..20 {
            for &k in &hot {
                access(c, k, T0);
            }
        }
        let scan: Vec<Key> = (10_000..11_000).collect();
        for &k in &scan {
            access(c, k, T0);
        }
        hit_rate(c, &hot)
    }
    let lru = run(&mut LruCache::<u64>::new(100).unwrap());
    let tiny = run(&mut WTinyLfuCache::<u64>::new(100).unwrap());
    assert_eq!(lru, 0.0, "the scan pushed every hot key out of LRU");
    assert!(tiny >= 0.9, "W-TinyLFU kept the hot set: {tiny}");
}

#[test]
fn w_tinylfu_rejects_a_cold_candidate_in_an_admission_contest() {
    let mut c = WTinyLfuCache::<u64>::new(10).unwrap();
    for _ in 0..3 {
        for k in 0..10 {
            access(&mut c, k, T0);
        }
    }
    let mut fx = Vec::new();
    c.set_with(500, 500, None, T0, &mut fx);
    c.set_with(501, 501, None, T0, &mut fx); // pushes 500 out of the window
    let contest = fx.iter().find_map(|e| match e {
        CacheEffect::AdmissionContest {
            candidate: 500,
            candidate_frequency,
            victim_frequency,
            admitted,
            ..
        } => Some((*candidate_frequency, *victim_frequency, *admitted)),
        _ => None,
    });
    let (cf, vf, admitted) = contest.expect("500 left the window and contested");
    assert!(cf < vf && !admitted, "seen {cf}× vs {vf}×");
    assert!(!c.contains(500, T0));
    assert_eq!(c.len(), 10);
}

#[test]
fn lfu_evicts_the_least_frequently_used() {
    let mut c = LfuCache::<u64>::new(3).unwrap();
    for k in [1, 2, 3] {
        c.set(k, k, None, T0);
    }
    for _ in 0..3 {
        c.get(1, T0);
    }
    c.get(3, T0);
    // Uses: 1 → 4, 2 → 1, 3 → 2.
    let (_, evicted) = access(&mut c, 4, T0);
    assert_eq!(evicted, vec![2]);
    // 4 is now the least used (1): the next newcomer replaces it, not 3.
    let (_, evicted) = access(&mut c, 5, T0);
    assert_eq!(evicted, vec![4]);
    let views = c.entries();
    assert_eq!(
        views.first().map(|v| (v.key, v.frequency)),
        Some((1, Some(4)))
    );
}

#[test]
fn expired_entries_read_as_misses_with_an_expiry_event_under_every_policy() {
    for policy in EvictionPolicy::ALL {
        let mut c = L1Cache::<u64>::new(policy, 4).unwrap();
        c.set(7, 70, Some(SimDuration::from_secs(10)), T0);
        assert_eq!(c.get(7, SimTime::from_secs(5)), Some(70), "{policy}");
        let mut fx = Vec::new();
        assert!(c.get_with(7, SimTime::from_secs(10), &mut fx).is_none());
        assert_eq!(
            fx,
            vec![
                CacheEffect::Evicted {
                    key: 7,
                    slot: 0,
                    region: if policy == EvictionPolicy::WTinyLfu {
                        Region::Window
                    } else {
                        Region::Main
                    },
                    reason: EvictionReason::Expired
                },
                CacheEffect::Miss { key: 7 }
            ],
            "{policy}"
        );
        let s = c.stats();
        assert_eq!((s.hits, s.misses, s.evictions.expired, s.len), (1, 1, 1, 0));
    }
}

#[test]
fn policies_round_trip_through_serde_with_kebab_case_names() {
    let names: Vec<String> = EvictionPolicy::ALL
        .iter()
        .map(|p| serde_json::to_string(p).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "\"lru\"",
            "\"fifo-naive\"",
            "\"lfu\"",
            "\"ttl\"",
            "\"w-tinylfu\""
        ]
    );
    let mut c = L1Cache::<u64>::new(EvictionPolicy::WTinyLfu, 8).unwrap();
    for k in 0..20 {
        access(&mut c, k % 9, T0);
    }
    let json = serde_json::to_string(&c).unwrap();
    let back: L1Cache<u64> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}

// ----- properties ---------------------------------------------------------------------

#[derive(Debug, Clone)]
enum CacheOp {
    Get(Key),
    Set(Key, Option<u64>),
    Delete(Key),
    Tick(u64),
}

fn op_strategy() -> impl Strategy<Value = CacheOp> {
    prop_oneof![
        4 => (0..16u64).prop_map(CacheOp::Get),
        4 => (0..16u64, prop::option::of(1..20u64)).prop_map(|(k, t)| CacheOp::Set(k, t)),
        1 => (0..16u64).prop_map(CacheOp::Delete),
        1 => (1..10u64).prop_map(CacheOp::Tick),
    ]
}

/// The textbook LRU: a Vec, most recent last.
struct ReferenceLru {
    entries: Vec<(Key, u64)>,
    capacity: usize,
}

impl ReferenceLru {
    fn get(&mut self, key: Key) -> Option<u64> {
        let i = self.entries.iter().position(|e| e.0 == key)?;
        let e = self.entries.remove(i);
        self.entries.push(e);
        Some(e.1)
    }
    fn set(&mut self, key: Key, value: u64) -> Option<Key> {
        if let Some(i) = self.entries.iter().position(|e| e.0 == key) {
            self.entries.remove(i);
            self.entries.push((key, value));
            return None;
        }
        let evicted = if self.entries.len() == self.capacity {
            Some(self.entries.remove(0).0)
        } else {
            None
        };
        self.entries.push((key, value));
        evicted
    }
    fn delete(&mut self, key: Key) -> bool {
        match self.entries.iter().position(|e| e.0 == key) {
            Some(i) => {
                self.entries.remove(i);
                true
            }
            None => false,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn length_never_exceeds_capacity(
        capacity in 1..8u64,
        ops in prop::collection::vec(op_strategy(), 1..200),
    ) {
        for policy in EvictionPolicy::ALL {
            let mut c = L1Cache::<u64>::new(policy, capacity).unwrap();
            let mut now = T0;
            for op in &ops {
                match *op {
                    CacheOp::Get(k) => { c.get(k, now); }
                    CacheOp::Set(k, ttl) => c.set(k, k, ttl.map(SimDuration::from_secs), now),
                    CacheOp::Delete(k) => { c.delete(k); }
                    CacheOp::Tick(s) => now = now.after(SimDuration::from_secs(s)),
                }
                prop_assert!(c.len() <= capacity, "{} holds {} > {}", policy, c.len(), capacity);
                prop_assert_eq!(c.entries().len() as u64, c.len());
            }
        }
    }

    #[test]
    fn lru_evicts_exactly_what_a_reference_lru_evicts(
        capacity in 1..6u64,
        ops in prop::collection::vec(op_strategy(), 1..300),
    ) {
        let mut ours = LruCache::<u64>::new(capacity).unwrap();
        let mut reference = ReferenceLru { entries: Vec::new(), capacity: capacity as usize };
        for (i, op) in ops.iter().enumerate() {
            let value = i as u64;
            match *op {
                CacheOp::Get(k) => prop_assert_eq!(ours.get(k, T0), reference.get(k)),
                CacheOp::Set(k, _) => {
                    let mut fx = Vec::new();
                    ours.set_with(k, value, None, T0, &mut fx);
                    let evicted: Vec<Key> = fx.iter().filter_map(|e| match e {
                        CacheEffect::Evicted { key, .. } => Some(*key),
                        _ => None,
                    }).collect();
                    prop_assert_eq!(evicted, reference.set(k, value).into_iter().collect::<Vec<_>>());
                }
                CacheOp::Delete(k) => prop_assert_eq!(ours.delete(k), reference.delete(k)),
                CacheOp::Tick(_) => {}
            }
            let order: Vec<Key> = ours.entries().iter().map(|e| e.key).collect();
            let expected: Vec<Key> = reference.entries.iter().rev().map(|e| e.0).collect();
            prop_assert_eq!(order, expected);
        }
    }

    #[test]
    fn l2_memory_never_exceeds_its_limit(
        keys in prop::collection::vec(0..400u64, 1..300),
        limit in 400..3_000u64,
    ) {
        let config = L2Config { memory_limit: Some(limit), ..L2Config::default() };
        let mut l2 = L2Store::<Value>::new(&config, scalelab_core::sim::SimRng::seed_from(3)).unwrap();
        for &k in &keys {
            l2.set(k, Value::of(k, k % 3), None, T0);
            prop_assert!(l2.used_bytes() <= limit);
        }
    }
}

// ----- L2 --------------------------------------------------------------------------------

#[test]
fn l2_stores_serde_json_bytes_and_values_round_trip() {
    let mut l2 = L2Store::<Value>::new(
        &L2Config::default(),
        scalelab_core::sim::SimRng::seed_from(1),
    )
    .unwrap();
    let v = Value::of(42, 3);
    l2.set(42, v, Some(SimDuration::from_secs(60)), T0);
    let raw = l2.raw(42).expect("stored");
    assert_eq!(raw, serde_json::to_vec(&v).unwrap().as_slice());
    assert!(std::str::from_utf8(raw).unwrap().contains("\"version\":3"));
    assert_eq!(l2.get(42, SimTime::from_secs(59)), Some(v));
    assert_eq!(l2.get(42, SimTime::from_secs(60)), None, "TTL passed");
    let s = l2.stats();
    assert_eq!((s.hits, s.misses, s.evictions.expired), (1, 1, 1));
}

/// The L2 writes with serde_json and reads back with the value's own reader: every u64 must
/// survive, including those past 2⁵³ that a float would round.
#[test]
fn l2_reads_back_every_u64_it_wrote() {
    let mut l2 = L2Store::<Value>::new(
        &L2Config::default(),
        scalelab_core::sim::SimRng::seed_from(1),
    )
    .unwrap();
    for (k, (version, payload)) in [(0, 0), (u64::MAX, 1), ((1 << 53) + 1, u64::MAX - 1)]
        .into_iter()
        .enumerate()
    {
        let v = Value { version, payload };
        l2.set(k as Key, v, None, T0);
        assert_eq!(l2.get(k as Key, T0), Some(v));
    }
    assert_eq!(l2.stats().hits, 3);
}

#[test]
fn l2_sampled_eviction_keeps_memory_under_the_limit_and_spares_a_hot_key() {
    let limit = 4_096;
    let config = L2Config {
        memory_limit: Some(limit),
        ..L2Config::default()
    };
    let mut l2 = L2Store::<Value>::new(&config, scalelab_core::sim::SimRng::seed_from(9)).unwrap();
    l2.set(0, Value::of(0, 0), None, T0);
    for k in 1..1_000 {
        assert!(l2.get(0, T0).is_some(), "hot key 0 evicted at {k}");
        l2.set(k, Value::of(k, 0), None, T0);
        assert!(l2.used_bytes() <= limit);
    }
    let s = l2.l2_stats();
    assert!(s.cache.evictions.capacity > 900);
    assert!(s.cache.len < 50);
}

// ----- multi-level path -----------------------------------------------------------------

#[test]
fn l2_hit_refills_l1_for_5_minutes_and_set_gives_l2_twice_the_ttl() {
    let config = CachingConfig {
        l1: L1Config {
            capacity: 1,
            ..L1Config::default()
        },
        set_ttl: SimDuration::from_secs(60),
        ..CachingConfig::default()
    };
    let mut cache = MultiLevelCache::new(&config).unwrap();
    let mut ev = Vec::new();
    cache.set(1, Value::of(1, 0), T0, &mut ev);
    assert_eq!(
        cache.l2().expires_at(1),
        Some(Some(SimTime::from_secs(120)))
    );
    assert!(ev.contains(&CachingEvent::Inserted {
        key: 1,
        level: Level::L1,
        slot: 0,
        region: Region::Main,
        expires_at: Some(SimTime::from_secs(60)),
        node: 0,
    }));
    // Key 2 pushes key 1 out of the one-entry L1; L2 still has it.
    cache.set(2, Value::of(2, 0), T0, &mut ev);
    ev.clear();
    let t = SimTime::from_secs(30);
    let read = cache.get(1, t, &mut ev);
    assert_eq!(read.served_by, Level::L2);
    assert_eq!(read.value, Value::of(1, 0));
    assert_eq!(read.latency, SimDuration::from_micros(501));
    assert!(ev.contains(&CachingEvent::Inserted {
        key: 1,
        level: Level::L1,
        slot: 0,
        region: Region::Main,
        expires_at: Some(t.after(SimDuration::from_secs(300))),
        node: 0,
    }));
    assert!(ev.contains(&CachingEvent::Promoted {
        key: 1,
        slot: 0,
        promotion: PromotionKind::L2ToL1,
        node: 0,
    }));
    assert_eq!(cache.get(1, t, &mut ev).served_by, Level::L1);
    let miss = cache.get(3, t, &mut ev);
    assert_eq!(miss.served_by, Level::Origin);
    assert_eq!(miss.latency, SimDuration::from_micros(20_501));
    assert_eq!(cache.origin_stats().loads, 1);
    assert_eq!(cache.l1_stats().hits, 1);
    assert_eq!(cache.l2_stats().cache.hits, 1);
    cache.delete(1, &mut ev);
    assert!(!cache.is_cached(1, t));
    // Through the `Cache` interface the well-known tutorial writes, with an explicit TTL.
    Cache::set(
        &mut cache,
        8,
        Value::of(8, 0),
        Some(SimDuration::from_secs(10)),
        t,
    );
    assert_eq!(
        cache.l2().expires_at(8),
        Some(Some(t.after(SimDuration::from_secs(20))))
    );
    assert_eq!(Cache::get(&mut cache, 8, t), Some(Value::of(8, 0)));
    assert!(Cache::delete(&mut cache, 8));
    assert!(!Cache::delete(&mut cache, 8));
}

#[test]
fn write_behind_has_a_stale_window_and_loses_unflushed_writes_on_crash() {
    let config = CachingConfig {
        write_policy: WritePolicy::WriteBehind {
            delay: SimDuration::from_secs(1),
        },
        ..manual_config()
    };
    let mut sim = CachingModel::new(config).unwrap();
    sim.inject(5, Op::Write, 1).unwrap();
    let ev = run_until(&mut sim, SimTime::ZERO);
    assert!(ev.iter().any(|e| matches!(
        e,
        CachingEvent::WriteBuffered { key: 5, version: 1, flush_at, .. } if *flush_at == SimTime::from_secs(1)
    )));
    assert_eq!(sim.cache().origin().version(5), 0, "origin not written yet");
    // Inside the stale window: with the caches emptied, a read reaches the old origin value.
    sim.clear_caches();
    sim.inject(5, Op::Read, 1).unwrap();
    let ev = run_until(&mut sim, SimTime::from_millis(500));
    assert!(ev.iter().any(|e| matches!(
        e,
        CachingEvent::OriginLoadFinished {
            key: 5,
            version: 0,
            stale: true,
            ..
        }
    )));
    assert_eq!(sim.stats().origin.stale_reads, 1);
    // The flush lands at 1 s.
    let ev = run_until(&mut sim, SimTime::from_secs(1));
    assert!(ev.contains(&CachingEvent::WriteBehindFlushed {
        key: 5,
        version: 1,
        waited: SimDuration::from_secs(1)
    }));
    assert_eq!(sim.cache().origin().version(5), 1);

    // Two more writes, then a crash before their flush.
    sim.inject(6, Op::Write, 1).unwrap();
    sim.inject(7, Op::Write, 1).unwrap();
    let now = sim.now();
    run_until(&mut sim, now);
    assert_eq!(sim.buffered_keys(), vec![6, 7]);
    let report = sim.crash_write_behind().unwrap();
    assert_eq!(report.lost_keys, vec![6, 7]);
    let ev = drain(&mut sim);
    assert!(ev.contains(&CachingEvent::DataLost {
        key: 6,
        version: 1,
        origin_version: 0
    }));
    assert!(!ev
        .iter()
        .any(|e| matches!(e, CachingEvent::WriteBehindFlushed { .. })));
    let stats = sim.stats();
    assert_eq!(
        (stats.write_behind.lost, stats.write_behind.flushed),
        (2, 1)
    );
    assert_eq!(sim.cache().origin().version(6), 0);
    // The loss is visible: reading 6 now returns the origin's old version.
    sim.inject(6, Op::Read, 1).unwrap();
    let ev = drain(&mut sim);
    assert!(ev.iter().any(|e| matches!(
        e,
        CachingEvent::RequestCompleted {
            key: 6,
            op: Op::Read,
            version: 0,
            ..
        }
    )));
}

#[test]
fn cache_aside_invalidates_and_write_through_updates() {
    let mut sim = CachingModel::new(manual_config()).unwrap();
    sim.warm(&[1]).unwrap();
    drain(&mut sim);
    sim.inject(1, Op::Write, 1).unwrap();
    let ev = drain(&mut sim);
    assert!(ev.iter().any(|e| matches!(
        e,
        CachingEvent::Evicted {
            key: 1,
            level: Level::L2,
            reason: EvictionReason::Explicit,
            ..
        }
    )));
    assert!(!sim.cache().is_cached(1, sim.now()));
    assert_eq!(sim.cache().origin().version(1), 1);

    sim.set_write_policy(WritePolicy::WriteThrough).unwrap();
    sim.inject(1, Op::Write, 1).unwrap();
    let ev = drain(&mut sim);
    assert!(ev.iter().any(|e| matches!(
        e,
        CachingEvent::RequestCompleted {
            key: 1,
            op: Op::Write,
            served_by: Level::Origin,
            version: 2,
            ..
        }
    )));
    sim.inject(1, Op::Read, 1).unwrap();
    let ev = drain(&mut sim);
    assert!(ev.iter().any(|e| matches!(
        e,
        CachingEvent::RequestCompleted {
            key: 1,
            op: Op::Read,
            served_by: Level::L1,
            version: 2,
            ..
        }
    )));
}

// ----- warming and stampedes ---------------------------------------------------------------

#[test]
fn warming_100_keys_10_at_a_time_at_100ms_takes_1s() {
    let mut sim = CachingModel::new(manual_config()).unwrap();
    let plan = sim.warm_range(0, 100).unwrap();
    assert_eq!(plan.to_load, 100);
    assert_eq!(plan.expected_duration, SimDuration::from_secs(1));
    let ev = drain(&mut sim);
    let finished = ev.iter().find_map(|e| match e {
        CachingEvent::WarmingFinished {
            loaded,
            skipped,
            elapsed,
        } => Some((*loaded, *skipped, *elapsed)),
        _ => None,
    });
    assert_eq!(finished, Some((100, 0, SimDuration::from_secs(1))));
    assert_eq!(sim.now(), SimTime::from_secs(1));
    assert_eq!(sim.stats().origin.warm_loads, 100);
    // Never more than 10 fetches in flight.
    let mut in_flight = 0i32;
    let mut peak = 0;
    for e in &ev {
        match e {
            CachingEvent::WarmFetchStarted { .. } => in_flight += 1,
            CachingEvent::WarmFetchFinished { .. } => in_flight -= 1,
            _ => {}
        }
        peak = peak.max(in_flight);
    }
    assert_eq!(peak, 10);
}

#[test]
fn warmed_keys_live_an_hour_as_the_guide_sets_them() {
    // The guide warms with `Set(key, value, time.Hour)`: an hour in L1, not the 60 s of an
    // ordinary set, so warmed keys are still there when the traffic they were loaded for comes.
    let mut sim = CachingModel::new(manual_config()).unwrap();
    sim.warm_range(0, 10).unwrap();
    drain(&mut sim);
    let hour = SimDuration::from_secs(3_600);
    for e in sim.l1_entries() {
        let expiry = e.expires_at.expect("a warmed key expires");
        let set_at = expiry.0 - hour.0;
        assert!(set_at <= sim.now().0, "key {} expires at {expiry:?}", e.key);
        assert!(
            expiry.0 >= hour.0,
            "key {} lives less than an hour: {expiry:?}",
            e.key
        );
    }
    assert_eq!(sim.l1_entries().len(), 10);
}

#[test]
fn warming_skips_keys_already_cached() {
    let mut sim = CachingModel::new(manual_config()).unwrap();
    sim.warm_range(0, 20).unwrap();
    drain(&mut sim);
    let start = sim.now();
    let plan = sim.warm_range(0, 100).unwrap();
    assert_eq!((plan.to_load, plan.skipped), (80, 20));
    let ev = drain(&mut sim);
    assert!(ev.contains(&CachingEvent::WarmingFinished {
        loaded: 80,
        skipped: 20,
        elapsed: SimDuration::from_millis(800)
    }));
    assert_eq!(sim.now(), start.after(SimDuration::from_millis(800)));
    assert_eq!(sim.stats().origin.warm_loads, 100);
}

#[test]
fn warming_twice_at_once_is_refused_and_changes_nothing() {
    let mut sim = CachingModel::new(manual_config()).unwrap();
    sim.warm_range(0, 5).unwrap();
    let pending = sim.pending();
    assert_eq!(sim.warm_range(10, 5), Err(CachingError::WarmingInProgress));
    assert_eq!(sim.pending(), pending);
}

fn stampede(coalescing: bool) -> (u64, usize, usize) {
    let config = CachingConfig {
        coalescing,
        ..manual_config()
    };
    let mut sim = CachingModel::new(config).unwrap();
    sim.inject(99, Op::Read, 50).unwrap();
    let ev = drain(&mut sim);
    let loads = ev
        .iter()
        .filter(|e| matches!(e, CachingEvent::OriginLoadStarted { key: 99, .. }))
        .count();
    let completed = ev
        .iter()
        .filter(|e| {
            matches!(
                e,
                CachingEvent::RequestCompleted {
                    served_by: Level::Origin,
                    ..
                }
            )
        })
        .count();
    assert_eq!(sim.stats().origin.loads, loads as u64);
    (sim.stats().requests.coalesced, loads, completed)
}

#[test]
fn a_stampede_loads_n_times_and_coalescing_loads_once() {
    assert_eq!(stampede(false), (0, 50, 50));
    assert_eq!(stampede(true), (49, 1, 50));
}

// ----- the model -----------------------------------------------------------------------------

fn digest_of(config: CachingConfig, steps: u64) -> (u64, u64) {
    let mut sim = CachingModel::new(config).unwrap();
    let mut d = Digest::new();
    let mut out = Vec::new();
    for _ in 0..steps {
        out.clear();
        sim.step_into(&mut out);
        for e in &out {
            d.update(e);
        }
    }
    (d.value(), d.count())
}

#[test]
fn same_seed_same_events_and_different_seeds_differ() {
    let config = CachingConfig {
        write_policy: WritePolicy::WriteBehind {
            delay: SimDuration::from_millis(50),
        },
        l1: L1Config {
            policy: EvictionPolicy::WTinyLfu,
            ..L1Config::default()
        },
        ..CachingConfig::default()
    };
    let a = digest_of(config.clone(), 3_000);
    assert_eq!(a, digest_of(config.clone(), 3_000));
    let other = CachingConfig { seed: 43, ..config };
    assert_ne!(a.0, digest_of(other, 3_000).0);
}

#[test]
fn a_snapshot_resumes_identically() {
    let mut sim = CachingModel::new(CachingConfig::default()).unwrap();
    let mut out = Vec::new();
    sim.run_into(1_000, &mut out);
    let json = serde_json::to_string(&sim).unwrap();
    let mut copy: CachingModel = serde_json::from_str(&json).unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    sim.run_into(1_000, &mut a);
    copy.run_into(1_000, &mut b);
    assert_eq!(a, b);
}

#[test]
fn the_default_preset_runs_and_reports_per_level_stats() {
    let config = CachingConfig::default();
    assert_eq!(config.l1.policy, EvictionPolicy::Lru);
    assert_eq!(config.l1.capacity, 16);
    assert!(config.l2.memory_limit.is_some());
    assert_eq!(
        config.workload,
        KeyWorkload::Zipf {
            keys: 200,
            exponent: 1.0
        }
    );
    assert_eq!((config.read_ratio, config.seed), (0.9, 42));
    let mut sim = CachingModel::new(config).unwrap();
    let mut out = Vec::new();
    sim.run_into(20_000, &mut out);
    let s = sim.stats();
    assert!(s.requests.completed > 1_000);
    assert!(s.l1.hit_rate > 0.2 && s.l1.hit_rate < 0.9, "{:?}", s.l1);
    assert!(s.l2.cache.hits > 0 && s.l2.cache.evictions.capacity > 0);
    assert!(s.l2.used_bytes <= s.l2.memory_limit.unwrap());
    assert!(s.l1.len <= 16);
    assert!(s.read_latency.p50 < s.read_latency.p99);
    for e in &out {
        assert!(!e.narrate().is_empty());
    }
    // Every request's events name its key; a hit's slot is inside L1.
    assert!(out
        .iter()
        .all(|e| !matches!(e, CachingEvent::Hit { level: Level::L1, slot, .. } if *slot >= 16)));
}

#[test]
fn switching_policy_keeps_the_entries_and_workload_switch_takes_effect() {
    let mut sim = CachingModel::new(CachingConfig::default()).unwrap();
    let mut out = Vec::new();
    sim.run_into(3_000, &mut out);
    let before: std::collections::BTreeSet<Key> = sim.l1_entries().iter().map(|e| e.key).collect();
    let switch = sim.switch_policy(EvictionPolicy::WTinyLfu).unwrap();
    assert_eq!(switch.kept as usize, before.len());
    let after: std::collections::BTreeSet<Key> = sim.l1_entries().iter().map(|e| e.key).collect();
    assert_eq!(before, after);
    assert_eq!(sim.cache().l1().policy(), EvictionPolicy::WTinyLfu);
    let ev = sim.step();
    assert!(matches!(
        ev.as_slice(),
        [CachingEvent::PolicySwitched { .. }]
    ));

    sim.switch_workload(KeyWorkload::Scan { keys: 1_000 })
        .unwrap();
    sim.step();
    let mut out = Vec::new();
    sim.run_into(500, &mut out);
    let keys: Vec<Key> = out
        .iter()
        .filter_map(|e| match e {
            CachingEvent::RequestArrived { key, .. } => Some(*key),
            _ => None,
        })
        .collect();
    assert!(keys.len() > 10);
    assert!(
        keys.windows(2).all(|w| w[1] == w[0] + 1),
        "sequential scan: {keys:?}"
    );
    // A bad workload is refused and the scan continues.
    assert_eq!(
        sim.switch_workload(KeyWorkload::Uniform { keys: 0 }),
        Err(CachingError::ZeroKeySpace)
    );
    assert_eq!(sim.config().workload, KeyWorkload::Scan { keys: 1_000 });
}

#[test]
fn flushing_l2_empties_it_and_reports_the_count() {
    let mut sim = CachingModel::new(manual_config()).unwrap();
    sim.warm_range(0, 10).unwrap();
    drain(&mut sim);
    assert_eq!(sim.flush_l2(), 10);
    let ev = sim.step();
    assert_eq!(
        ev,
        vec![CachingEvent::Cleared {
            level: Level::L2,
            entries: 10,
            node: 0,
        }]
    );
    assert_eq!(sim.stats().l2.cache.len, 0);
}

#[test]
fn invalid_configs_are_rejected_with_typed_errors() {
    let with = |f: &dyn Fn(&mut CachingConfig)| {
        let mut c = CachingConfig::default();
        f(&mut c);
        CachingModel::new(c).err()
    };
    assert_eq!(
        with(&|c| c.l1.capacity = 0),
        Some(CachingError::ZeroCapacity {
            field: "L1 capacity"
        })
    );
    assert!(matches!(
        with(&|c| c.l1.capacity = scalelab_core::sim::limits::MAX_CACHE_CAPACITY + 1),
        Some(CachingError::CapacityTooLarge { .. })
    ));
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            with(&|c| c.workload = KeyWorkload::Zipf {
                keys: 10,
                exponent: bad
            }),
            Some(CachingError::BadZipfExponent { .. })
        ));
    }
    assert_eq!(
        with(&|c| c.workload = KeyWorkload::Scan { keys: 0 }),
        Some(CachingError::ZeroKeySpace)
    );
    for bad in [-0.1, 1.5, f64::NAN] {
        assert!(matches!(
            with(&|c| c.read_ratio = bad),
            Some(CachingError::BadRatio {
                field: "read ratio",
                ..
            })
        ));
    }
    assert!(matches!(
        with(&|c| c.workload = KeyWorkload::ShiftingHotSet {
            keys: 10,
            hot_keys: 2,
            hot_fraction: f64::NAN,
            shift_every: 5
        }),
        Some(CachingError::BadRatio { .. })
    ));
    assert!(matches!(
        with(&|c| c.l2.memory_limit = Some(10)),
        Some(CachingError::MemoryLimitTooSmall { .. })
    ));
    assert!(matches!(
        with(&|c| c.warming.concurrency = 0),
        Some(CachingError::OutOfRange { .. })
    ));
    assert!(with(&|_| {}).is_none());
    let msg = CachingError::ZeroCapacity {
        field: "L1 capacity",
    }
    .to_string();
    assert!(msg.contains("L1 capacity"));
    // Operations refuse bad input and leave the model as it was.
    let mut sim = CachingModel::new(CachingConfig::default()).unwrap();
    assert!(sim.resize_l1(0).is_err());
    assert_eq!(sim.cache().l1().capacity(), 16);
    assert!(sim.set_read_ratio(f64::NAN).is_err());
    assert_eq!(sim.config().read_ratio, 0.9);
    assert_eq!(sim.crash_write_behind(), Err(CachingError::NotWriteBehind));
    assert!(sim.inject(1, Op::Read, 0).is_err());
}

#[test]
fn in_the_model_scan_bursts_hurt_lru_more_than_w_tinylfu() {
    let l1_hit_rate = |policy| {
        let config = CachingConfig {
            l1: L1Config {
                policy,
                capacity: 50,
                ..L1Config::default()
            },
            workload: KeyWorkload::ZipfWithScan {
                keys: 500,
                exponent: 1.0,
                scan_every: 400,
                scan_length: 200,
            },
            read_ratio: 1.0,
            ..CachingConfig::default()
        };
        let mut sim = CachingModel::new(config).unwrap();
        let mut out = Vec::new();
        sim.run_into(30_000, &mut out);
        sim.stats().l1.hit_rate
    };
    let lru = l1_hit_rate(EvictionPolicy::Lru);
    let tiny = l1_hit_rate(EvictionPolicy::WTinyLfu);
    assert!(tiny > lru + 0.05, "W-TinyLFU {tiny} vs LRU {lru}");
}
