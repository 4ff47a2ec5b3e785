//! The caching model as the page drives it: every `CachingAction` a link can express, and the
//! readouts and metric columns the page shows afterwards.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::caching::*;
use scalelab_core::sim::{SimDuration, SimTime};
use scalelab_core::timeline::Action;
use scalelab_core::{Metrics, Model};

/// No background traffic: only what the actions (and the test) send.
fn manual_config() -> CachingConfig {
    CachingConfig {
        arrivals: None,
        seed: 1,
        ..CachingConfig::default()
    }
}

/// Steps until nothing is scheduled.
fn drain(m: &mut CachingModel) {
    for _ in 0..100_000 {
        if m.next_event_time().is_none() {
            return;
        }
        m.step();
    }
    panic!("the model did not go idle");
}

fn metric(m: &CachingModel, column: usize) -> f64 {
    m.metrics()[column]
}

/// The whole model as JSON: equal text, equal state.
fn state(m: &CachingModel) -> String {
    serde_json::to_string(m).unwrap()
}

/// One of each `CachingAction` variant (and both values of the flags).
fn all_actions() -> Vec<CachingAction> {
    let mut v = vec![
        CachingAction::Warm { count: 1 },
        CachingAction::Warm { count: 10_000 },
        CachingAction::Stampede { key: 7, count: 50 },
        CachingAction::Stampede {
            key: 0,
            count: 1_000,
        },
        CachingAction::FlushL2,
        CachingAction::Clear,
        CachingAction::Crash,
        CachingAction::Coalescing(true),
        CachingAction::Coalescing(false),
        CachingAction::Resize(1),
        CachingAction::Resize(64),
        CachingAction::Resize(1_000),
        CachingAction::Write(WritePolicy::WriteBehind {
            delay: SimDuration::from_millis(2_000),
        }),
        CachingAction::Write(WritePolicy::CacheAside),
        CachingAction::Write(WritePolicy::WriteThrough),
    ];
    v.extend(EvictionPolicy::ALL.into_iter().map(CachingAction::Policy));
    v.extend(WorkloadKind::ALL.into_iter().map(CachingAction::Workload));
    v
}

#[test]
fn every_action_applies_or_refuses_and_a_refusal_changes_nothing() {
    for a in all_actions() {
        let mut m = CachingModel::new(CachingConfig {
            seed: 3,
            ..CachingConfig::default()
        })
        .unwrap();
        for _ in 0..20 {
            m.step();
        }
        let before = state(&m);
        match a.apply(&mut m) {
            Ok(()) => {
                for _ in 0..20 {
                    m.step();
                }
            }
            Err(_) => assert_eq!(state(&m), before, "{a:?}"),
        }
    }
}

/// The scene's preset (seed 42): a stampede on a key outside the Zipf key space, certainly
/// cold. Returns (origin loads, coalesced waits) for it.
fn origin_loads_for_stampede(coalescing: bool) -> (u64, u64) {
    let mut m = CachingModel::new(CachingConfig {
        coalescing,
        ..CachingConfig::default()
    })
    .unwrap();
    CachingAction::Stampede {
        key: 9_999,
        count: 50,
    }
    .apply(&mut m)
    .unwrap();
    for _ in 0..2_000 {
        m.step();
    }
    let s = m.last_stampede().unwrap();
    assert_eq!((s.key, s.reads, s.coalescing), (9_999, 50, coalescing));
    assert_eq!(s.answered, 50);
    (s.loads, s.waits)
}

#[test]
fn a_stampede_costs_fifty_loads_without_coalescing_and_one_with() {
    assert_eq!(origin_loads_for_stampede(false), (50, 0));
    assert_eq!(origin_loads_for_stampede(true), (1, 49));
}

#[test]
fn a_crash_under_write_behind_reports_lost_keys() {
    let mut m = CachingModel::new(CachingConfig {
        seed: 5,
        write_policy: WritePolicy::WriteBehind {
            delay: SimDuration::from_millis(2_000),
        },
        read_ratio: 0.5,
        ..CachingConfig::default()
    })
    .unwrap();
    for _ in 0..300 {
        m.step();
    }
    let buffered = m.buffered_keys();
    assert!(!buffered.is_empty());
    CachingAction::Crash.apply(&mut m).unwrap();
    assert_eq!(m.crashes(), 1);
    m.step();
    let lost: Vec<Key> = m.lost_writes().iter().map(|l| l.key).collect();
    assert_eq!(lost, buffered);
    // Cache-aside has no buffer: a crash is refused and nothing changes.
    let mut m = CachingModel::new(CachingConfig {
        seed: 5,
        ..CachingConfig::default()
    })
    .unwrap();
    let before = state(&m);
    assert!(CachingAction::Crash.apply(&mut m).is_err());
    assert_eq!(state(&m), before);
    assert_eq!(m.crashes(), 0);
}

#[test]
fn warming_reports_progress_and_its_time() {
    let mut m = CachingModel::new(CachingConfig {
        seed: 1,
        ..CachingConfig::default()
    })
    .unwrap();
    CachingAction::Warm { count: 20 }.apply(&mut m).unwrap();
    for _ in 0..2_000 {
        m.step();
    }
    let w = m.last_warming().unwrap();
    assert_eq!(w.requested, 20);
    assert_eq!(w.loaded, w.to_load());
    // 20 keys, 10 at a time, 100 ms each: 200 ms (fewer if some were already cached).
    assert!(w
        .elapsed
        .is_some_and(|e| e <= SimDuration::from_millis(200)));
}

/// A run through every action on a quiet model, where each figure is known exactly.
#[test]
fn every_action_shows_in_the_readouts() {
    let mut m = CachingModel::new(CachingConfig {
        switch_exponent: 2.0,
        ..manual_config()
    })
    .unwrap();
    assert_eq!(m.metrics().len(), CachingModel::METRIC_NAMES.len());
    assert_eq!(m.recent_l1_hit_rate(), None);
    assert!(metric(&m, CachingModel::COL_L1_HIT_RATE).is_nan());
    assert!(metric(&m, CachingModel::COL_OVERALL_HIT_RATE).is_nan());
    assert_eq!(m.last_warming(), None);
    assert_eq!(m.last_stampede(), None);
    assert_eq!(m.cold_key(), 199, "the highest key, nothing being cached");

    // Warm 20 keys, 10 at a time at 100 ms each: two rounds, 200 ms. L1 keeps 16 of them.
    CachingAction::Warm { count: 20 }.apply(&mut m).unwrap();
    m.step();
    let w = m.last_warming().unwrap();
    assert_eq!(
        (w.requested, w.skipped, w.loaded, w.elapsed),
        (20, 0, 0, None)
    );
    assert_eq!(w.started_at, SimTime::ZERO);
    drain(&mut m);
    let w = m.last_warming().unwrap();
    assert_eq!((w.to_load(), w.loaded), (20, 20));
    assert_eq!(w.elapsed, Some(SimDuration::from_millis(200)));
    assert_eq!(metric(&m, CachingModel::COL_L1_LEN), 16.0);
    assert_eq!(metric(&m, CachingModel::COL_ORIGIN_LOADS), 0.0);
    assert_eq!(metric(&m, CachingModel::COL_EVICTIONS_CAPACITY), 4.0);

    // Reads of keys L1 holds: all hits.
    let held = m.l1_entries()[0].key;
    m.inject(held, Op::Read, 4).unwrap();
    drain(&mut m);
    assert_eq!(m.recent_l1_hit_rate(), Some(1.0));
    assert_eq!(m.recent_hit_rate(), Some(1.0));
    assert_eq!(m.recent_l2_hit_rate(), None);

    // A stampede of 50 on a cold key without coalescing: 50 misses at both levels, 50 loads.
    CachingAction::Stampede {
        key: 150,
        count: 50,
    }
    .apply(&mut m)
    .unwrap();
    drain(&mut m);
    let s = m.last_stampede().unwrap();
    assert_eq!(
        (s.key, s.reads, s.coalescing, s.loads, s.waits, s.answered),
        (150, 50, false, 50, 0, 50)
    );
    assert_eq!(m.recent_l1_hit_rate(), Some(4.0 / 54.0));
    assert_eq!(m.recent_l2_hit_rate(), Some(0.0));
    assert_eq!(m.recent_hit_rate(), Some(4.0 / 54.0));
    assert_eq!(metric(&m, CachingModel::COL_ORIGIN_LOADS), 50.0);
    assert_eq!(metric(&m, CachingModel::COL_COALESCED_WAITS), 0.0);
    // Both levels hold key 150 now (and L2 the warmed keys): the cold key is still the top one.
    assert_eq!(m.cold_key(), 199);

    // With coalescing, one load answers the 50.
    CachingAction::Coalescing(true).apply(&mut m).unwrap();
    assert!(m.config().coalescing);
    CachingAction::Stampede {
        key: 151,
        count: 50,
    }
    .apply(&mut m)
    .unwrap();
    drain(&mut m);
    let s = m.last_stampede().unwrap();
    assert_eq!(
        (s.key, s.coalescing, s.loads, s.waits, s.answered),
        (151, true, 1, 49, 50)
    );
    assert_eq!(metric(&m, CachingModel::COL_ORIGIN_LOADS), 51.0);
    assert_eq!(metric(&m, CachingModel::COL_COALESCED_WAITS), 49.0);
    CachingAction::Coalescing(false).apply(&mut m).unwrap();
    assert!(!m.config().coalescing);

    // Workloads: over the same 200 keys; a switch from a workload without a skew takes the
    // config's exponent, and one from a Zipf workload keeps its own.
    CachingAction::Workload(WorkloadKind::ZipfWithScan)
        .apply(&mut m)
        .unwrap();
    assert_eq!(m.config().workload.exponent(), Some(1.0));
    CachingAction::Workload(WorkloadKind::Uniform)
        .apply(&mut m)
        .unwrap();
    assert_eq!(m.config().workload, KeyWorkload::Uniform { keys: 200 });
    CachingAction::Workload(WorkloadKind::Zipf)
        .apply(&mut m)
        .unwrap();
    assert_eq!(
        m.config().workload,
        KeyWorkload::Zipf {
            keys: 200,
            exponent: 2.0
        }
    );
    for kind in WorkloadKind::ALL {
        CachingAction::Workload(kind).apply(&mut m).unwrap();
        assert_eq!(m.config().workload.kind(), kind);
        assert_eq!(m.config().workload.keys(), 200);
    }
    assert_eq!(m.config().workload.exponent(), Some(2.0));
    drain(&mut m);

    // Policy switches and resizes rebuild L1; a resize is clamped to 1 ..= 64 slots.
    for p in EvictionPolicy::ALL {
        CachingAction::Policy(p).apply(&mut m).unwrap();
        assert_eq!(m.config().l1.policy, p);
    }
    CachingAction::Resize(1_000).apply(&mut m).unwrap();
    assert_eq!(m.config().l1.capacity, MAX_L1_RESIZE);
    CachingAction::Resize(0).apply(&mut m).unwrap();
    assert_eq!(m.config().l1.capacity, 1);
    drain(&mut m);
    assert_eq!(metric(&m, CachingModel::COL_L1_LEN), 1.0);

    // FLUSHALL empties L2; clearing empties both.
    assert!(metric(&m, CachingModel::COL_L2_BYTES) > 0.0);
    CachingAction::FlushL2.apply(&mut m).unwrap();
    drain(&mut m);
    assert_eq!(metric(&m, CachingModel::COL_L2_BYTES), 0.0);
    assert_eq!(m.stats().l2.cache.len, 0);
    CachingAction::Clear.apply(&mut m).unwrap();
    drain(&mut m);
    assert_eq!(metric(&m, CachingModel::COL_L1_LEN), 0.0);

    // A crash under cache-aside with nothing buffered is refused.
    assert!(!m.can_crash());
    assert!(CachingAction::Crash.apply(&mut m).is_err());
    assert_eq!(m.crashes(), 0);
    CachingAction::Write(WritePolicy::WriteThrough)
        .apply(&mut m)
        .unwrap();
    assert_eq!(m.config().write_policy, WritePolicy::WriteThrough);

    // Write-behind: two buffered writes, then a crash loses both; the origin keeps version 0.
    CachingAction::Write(WritePolicy::WriteBehind {
        delay: SimDuration::from_secs(1),
    })
    .apply(&mut m)
    .unwrap();
    assert!(m.can_crash());
    m.inject(6, Op::Write, 1).unwrap();
    m.inject(7, Op::Write, 1).unwrap();
    let now = m.now();
    while m.next_event_time().is_some_and(|t| t <= now) {
        m.step();
    }
    assert_eq!(m.buffered_keys(), vec![6, 7]);
    CachingAction::Crash.apply(&mut m).unwrap();
    assert_eq!(m.crashes(), 1);
    assert!(
        m.lost_writes().is_empty(),
        "the losses arrive with the next step"
    );
    m.step();
    assert_eq!(
        m.lost_writes(),
        &[
            LostWrite {
                key: 6,
                version: 1,
                origin_version: 0
            },
            LostWrite {
                key: 7,
                version: 1,
                origin_version: 0
            },
        ]
    );
    // A second crash, with nothing left to lose, forgets the first one's losses.
    CachingAction::Crash.apply(&mut m).unwrap();
    drain(&mut m);
    assert_eq!(m.crashes(), 2);
    assert!(m.lost_writes().is_empty());
}

#[test]
fn the_columns_name_their_values() {
    let names = CachingModel::METRIC_NAMES;
    for (column, name) in [
        (CachingModel::COL_L1_HIT_RATE, "l1_hit_rate"),
        (CachingModel::COL_L2_HIT_RATE, "l2_hit_rate"),
        (CachingModel::COL_OVERALL_HIT_RATE, "overall_hit_rate"),
        (CachingModel::COL_ORIGIN_LOADS, "origin_loads"),
        (CachingModel::COL_EVICTIONS_CAPACITY, "evictions_capacity"),
        (CachingModel::COL_EVICTIONS_EXPIRED, "evictions_expired"),
        (CachingModel::COL_EVICTIONS_EXPLICIT, "evictions_explicit"),
        (CachingModel::COL_L1_LEN, "l1_len"),
        (CachingModel::COL_L2_BYTES, "l2_bytes"),
        (CachingModel::COL_COALESCED_WAITS, "coalesced_waits"),
        (CachingModel::COL_L1_HIT_RATE_TOTAL, "l1_hit_rate_total"),
        (CachingModel::COL_L2_HIT_RATE_TOTAL, "l2_hit_rate_total"),
    ] {
        assert_eq!(names[column], name);
    }
    assert_eq!(names.len(), 12);
    // On a run with traffic, the totals agree with the stats.
    let mut m = CachingModel::new(CachingConfig::default()).unwrap();
    for _ in 0..3_000 {
        m.step();
    }
    let s = m.stats();
    let row = m.metrics();
    assert_eq!(row[CachingModel::COL_L1_HIT_RATE_TOTAL], s.l1.hit_rate);
    assert_eq!(
        row[CachingModel::COL_L2_HIT_RATE_TOTAL],
        s.l2.cache.hit_rate
    );
    assert_eq!(row[CachingModel::COL_ORIGIN_LOADS], s.origin.loads as f64);
    assert_eq!(row[CachingModel::COL_COALESCED_WAITS], 0.0);
    assert!((0.0..=1.0).contains(&row[CachingModel::COL_L1_HIT_RATE]));
}

#[test]
fn workload_kinds_read_back_from_their_names() {
    for kind in WorkloadKind::ALL {
        assert_eq!(WorkloadKind::from_name(kind.name()), Some(kind));
        let w = kind.workload(200, 1.0);
        assert_eq!(w.kind(), kind);
        assert_eq!(w.name(), kind.name());
        w.validate().unwrap();
    }
    assert_eq!(WorkloadKind::from_name("random"), None);
}
