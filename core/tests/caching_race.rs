//! The caching race: every lane sees the same key trace, each lane is exactly the single-policy
//! run with its policy, and bad lane lists are refused by name.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test: a panic is the failure it reports"
)]

use proptest::prelude::*;
use scalelab_core::caching::{
    CachingAction, CachingConfig, CachingError, CachingEvent, CachingModel, CachingRace,
    CachingRaceConfig, EvictionPolicy, KeyWorkload, Op, MAX_RACE_LANES,
};
use scalelab_core::readouts::{Reading, Readouts};
use scalelab_core::sim::SimTime;
use scalelab_core::{Metrics, Model};

use EvictionPolicy::{FifoNaive, Lfu, Lru, Ttl, WTinyLfu};

fn race(base: CachingConfig, lanes: &[EvictionPolicy]) -> CachingRace {
    CachingRace::new(CachingRaceConfig {
        base,
        lanes: lanes.to_vec(),
    })
    .unwrap()
}

fn seeded(seed: u64) -> CachingConfig {
    CachingConfig {
        seed,
        ..CachingConfig::default()
    }
}

/// The scan the lesson asks about: a loop over 20 keys through 16 L1 slots, reads only.
fn scan() -> CachingConfig {
    CachingConfig {
        seed: 7,
        workload: KeyWorkload::Scan { keys: 20 },
        read_ratio: 1.0,
        ..CachingConfig::default()
    }
}

/// A single-policy run stepped with events until its next event is after `until`: its
/// requests (arrival order, key, read or write) and the model.
fn single_until(
    mut config: CachingConfig,
    policy: EvictionPolicy,
    until: SimTime,
) -> (Vec<(u64, Op)>, CachingModel) {
    config.l1.policy = policy;
    let mut m = CachingModel::new(config).unwrap();
    let mut trace = Vec::new();
    while m.next_event_time().is_some_and(|t| t <= until) {
        for e in m.step() {
            if let CachingEvent::RequestArrived { key, op, .. } = e {
                trace.push((key, op));
            }
        }
    }
    (trace, m)
}

#[test]
fn every_policy_is_fed_the_same_key_trace() {
    let until = SimTime::from_micros(20_000_000);
    for base in [seeded(42), scan()] {
        let (reference, _) = single_until(base.clone(), Lru, until);
        assert!(reference.len() > 3_000, "{}", reference.len());
        for policy in EvictionPolicy::ALL {
            let (trace, _) = single_until(base.clone(), policy, until);
            assert_eq!(
                trace, reference,
                "{policy}: a cache outcome moved the trace"
            );
        }
    }
}

#[test]
fn each_lane_is_the_single_policy_run_with_its_policy() {
    for base in [seeded(42), scan()] {
        let mut r = race(base.clone(), &EvictionPolicy::ALL);
        r.steps_quiet(20_000, &mut Vec::new());
        let now = r.now();
        let lanes: Vec<&CachingModel> = r.lanes().collect();
        assert_eq!(lanes.len(), 5);
        for (lane, policy) in lanes.iter().zip(EvictionPolicy::ALL) {
            let (_, single) = single_until(base.clone(), policy, now);
            assert_eq!(lane.config().l1.policy, policy);
            assert_eq!(lane.stats(), single.stats(), "{policy}");
            assert_eq!(lane.l1_entries(), single.l1_entries(), "{policy}");
        }
    }
}

#[test]
fn one_lane_is_step_for_step_the_plain_model() {
    let mut plain = CachingModel::new(seeded(42)).unwrap();
    let mut single = CachingRace::new(CachingRaceConfig::single(seeded(42))).unwrap();
    assert!(!single.is_race());
    for _ in 0..5_000 {
        assert_eq!(single.step(), plain.step());
    }
    assert_eq!(single.metrics()[..12], plain.metrics()[..]);
    // A lane the race does not have charts nothing.
    assert!(single.metrics()[12..].iter().all(|v| v.is_nan()));
    assert_eq!(
        single.reading("l1_hit_pct").unwrap(),
        plain.reading("l1_hit_pct").unwrap()
    );
}

#[test]
fn on_a_loop_longer_than_l1_w_tinylfu_keeps_hitting_while_lru_and_fifo_do_not() {
    let mut r = race(scan(), &EvictionPolicy::ALL);
    r.steps_quiet(30_000, &mut Vec::new());
    let board = r.board();
    let rate = |p: EvictionPolicy| board.iter().find(|l| l.policy == p).unwrap().l1.hit_rate;
    for l in &board {
        eprintln!(
            "{}: {} hits, {} misses, {:.4}, {} evictions, {} loads, p50 {} p99 {}",
            l.policy,
            l.l1.hits,
            l.l1.misses,
            l.l1.hit_rate,
            l.l1.evictions.capacity,
            l.origin_loads,
            l.read_latency.p50,
            l.read_latency.p99
        );
    }
    // LRU and FIFO evict each key just before the loop comes back to it (on a pure loop the
    // least recently used entry is also the oldest created); LFU keeps a few keys whose count
    // got ahead; W-TinyLFU refuses most newcomers at admission and keeps a fixed set that hits
    // every round.
    assert_eq!((board[0].l1.hits, board[0].l1.misses), (9, 14_986));
    assert!(rate(Lru) < 0.001 && rate(FifoNaive) < 0.002 && rate(Ttl) < 0.002);
    assert!((0.16..0.17).contains(&rate(Lfu)), "{}", rate(Lfu));
    assert!((0.74..0.75).contains(&rate(WTinyLfu)), "{}", rate(WTinyLfu));
    assert_eq!(
        r.reading("highest_hit_lane").unwrap(),
        Reading::Text(HIGHEST_ON_SCAN.into())
    );
    let Reading::Number(lru) = r.reading("lane_hit_pct:lru").unwrap() else {
        panic!("a number")
    };
    assert!((0.05..0.07).contains(&lru), "{lru}");
    // Lane columns chart each rival's windowed L1 hit rate.
    let row = r.metrics();
    assert_eq!(row.len(), CachingRace::METRIC_NAMES.len());
    for (i, lane) in r.lanes().enumerate() {
        let col = CachingRace::lane_hit_rate_column(i as u32).unwrap();
        assert_eq!(row[col], lane.recent_l1_hit_rate().unwrap(), "lane {i}");
    }
    assert_eq!(
        CachingRace::lane_hit_rate_column(MAX_RACE_LANES as u32),
        None
    );
}

/// The lane with the highest L1 hit rate after 30 000 steps of [`scan`].
const HIGHEST_ON_SCAN: &str = "w-tinylfu";

#[test]
fn an_operation_acts_at_the_same_moment_in_every_lane() {
    let mut r = race(seeded(42), &[Lru, Lfu, WTinyLfu]);
    r.steps_quiet(3_000, &mut Vec::new());
    r.apply(&CachingAction::Stampede {
        key: 199,
        count: 50,
    })
    .unwrap();
    r.steps_quiet(3_000, &mut Vec::new());
    let arrived: Vec<u64> = r.lanes().map(|l| l.stats().requests.arrived).collect();
    assert!(arrived.iter().all(|a| *a == arrived[0]), "{arrived:?}");
    let stampede: Vec<_> = r.lanes().map(|l| l.last_stampede().cloned()).collect();
    assert!(stampede
        .iter()
        .all(|s| s.as_ref().map(|s| s.reads) == Some(50)));
}

#[test]
fn a_race_refuses_to_switch_policy_and_stays_as_it_was() {
    let mut r = race(seeded(42), &[Lru, Lfu]);
    r.steps_quiet(500, &mut Vec::new());
    let before = r.board();
    assert_eq!(
        r.apply(&CachingAction::Policy(Ttl)),
        Err(CachingError::PolicyFixedInRace)
    );
    assert_eq!(r.board(), before);
    // A failing operation in any lane leaves every lane unchanged.
    assert_eq!(
        r.apply(&CachingAction::Crash),
        Err(CachingError::NotWriteBehind)
    );
    assert_eq!(r.board(), before);
    // One lane is the single view, where switching is the point.
    let mut single = race(seeded(42), &[Lru]);
    single.apply(&CachingAction::Policy(Ttl)).unwrap();
    assert_eq!(single.lead().unwrap().config().l1.policy, Ttl);
}

#[test]
fn bad_lane_lists_are_refused_by_name() {
    let refused = |lanes: Vec<EvictionPolicy>| {
        CachingRace::new(CachingRaceConfig {
            base: CachingConfig::default(),
            lanes,
        })
        .unwrap_err()
    };
    assert_eq!(refused(vec![]), CachingError::NoRaceLanes);
    assert_eq!(
        refused(vec![Lru, Lfu, Ttl, WTinyLfu, FifoNaive, Lru, Lfu]),
        CachingError::TooManyRaceLanes { count: 7, max: 6 }
    );
    let dup = refused(vec![Lru, Lfu, Lru]);
    assert_eq!(dup, CachingError::DuplicateRaceLane { policy: Lru });
    assert_eq!(
        dup.to_string(),
        "the L1 policy lru is already a lane of this race; name each policy once"
    );
    let mut bad = CachingRaceConfig::default();
    bad.base.read_ratio = 2.0;
    assert!(matches!(
        CachingRace::new(bad),
        Err(CachingError::BadRatio { .. })
    ));
    // The default races every reference policy.
    let d = CachingRaceConfig::default();
    assert_eq!(d.lanes, vec![Lru, Lfu, Ttl, WTinyLfu]);
    assert!(CachingRace::new(d).unwrap().is_race());
}

fn lane_sets() -> impl Strategy<Value = Vec<EvictionPolicy>> {
    proptest::sample::subsequence(EvictionPolicy::ALL.to_vec(), 1..=5).prop_shuffle()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_lane_accounts_for_every_read(
        seed in any::<u64>(),
        lanes in lane_sets(),
        steps in 200u64..4_000,
    ) {
        let mut r = race(seeded(seed), &lanes);
        r.steps_quiet(steps, &mut Vec::new());
        let reads: Vec<u64> = r.lanes().map(|l| l.stats().requests.reads).collect();
        for (lane, row) in r.lanes().zip(r.board()) {
            // Every read looks in L1 once, on arrival.
            prop_assert_eq!(row.l1.hits + row.l1.misses, lane.stats().requests.reads);
            prop_assert_eq!(lane.stats().requests.reads, reads[0]);
        }
        let policies: Vec<EvictionPolicy> = r.board().iter().map(|l| l.policy).collect();
        prop_assert_eq!(policies, lanes);
    }
}
