//! Integration tests for the scaling family: reference vectors (the tutorial's vertical
//! scaler, Kubernetes HPA), the naive scale-in bug (it removes an instance by a name that may
//! no longer exist), properties of the threshold autoscaler,
//! conservation of requests, and determinism.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::scaling::*;
use scalelab_core::sim::{ArrivalProcess, Digest, SimDuration, SimError, SimTime};
use scalelab_core::Model;

// ---- helpers ---------------------------------------------------------------------------

fn secs(s: u64) -> SimTime {
    SimTime::from_secs(s)
}

fn constant(rate: f64) -> ArrivalProcess {
    ArrivalProcess::Constant { rate }
}

fn run(sim: &mut Service, ticks: u64) -> Vec<ServiceEvent> {
    let mut out = Vec::new();
    sim.run_into(ticks, &mut out);
    out
}

/// The fields of a `Tick` that tests look at.
#[derive(Debug, Clone, Copy)]
struct Row {
    t: SimTime,
    offered: u64,
    served: u64,
    dropped: u64,
    backlog: u64,
    capacity_rps: u64,
    ready: u32,
    warming: u32,
    p95_us: u64,
}

fn rows(events: &[ServiceEvent]) -> Vec<Row> {
    events
        .iter()
        .filter_map(|e| match *e {
            ServiceEvent::Tick {
                t,
                offered,
                served,
                dropped,
                backlog,
                capacity_rps,
                ready,
                warming,
                p95_us,
                ..
            } => Some(Row {
                t,
                offered,
                served,
                dropped,
                backlog,
                capacity_rps,
                ready,
                warming,
                p95_us,
            }),
            _ => None,
        })
        .collect()
}

/// Names removed or put to draining by an autoscaler, in order.
fn scaled_in(events: &[ServiceEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            ServiceEvent::InstanceDraining {
                name,
                reason: RemovalReason::ScaleIn,
                ..
            } => Some(name.clone()),
            ServiceEvent::InstanceRemoved {
                name,
                reason: RemovalReason::ScaleIn,
                ..
            } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

fn launches(events: &[ServiceEvent]) -> Vec<SimTime> {
    events
        .iter()
        .filter_map(|e| match *e {
            ServiceEvent::InstanceLaunched { t, .. } => Some(t),
            _ => None,
        })
        .collect()
}

fn hpa_config(instances: u32, capacity: u64, load: f64) -> ServiceConfig {
    ServiceConfig {
        mode: ScalingMode::Hpa,
        initial_instances: instances,
        min_replicas: 1,
        max_replicas: 50,
        load: constant(load),
        instance: InstanceConfig {
            capacity_rps: capacity,
            ..InstanceConfig::default()
        },
        ..ServiceConfig::default()
    }
}

fn check_conservation(events: &[ServiceEvent]) {
    let mut prev = 0u64;
    for r in rows(events) {
        assert_eq!(
            r.offered + prev,
            r.served + r.dropped + r.backlog,
            "conservation broken at {}: {r:?} (previous backlog {prev})",
            r.t
        );
        prev = r.backlog;
    }
}

// ---- vertical ---------------------------------------------------------------------------

#[test]
fn vertical_doubling_vector_2_4_8_cores() {
    let mut v = VerticalScaler::default();
    let start = v.spec();
    assert_eq!((v.cores(), v.capacity_rps()), (2, 2_000));
    let s4 = v.scale_up().unwrap();
    assert_eq!((s4.cores, v.capacity_rps()), (4, 4_000));
    assert_eq!(s4.memory_mb, start.memory_mb * 2);
    assert_eq!(s4.disk_gb, start.disk_gb * 2);
    let s8 = v.scale_up().unwrap();
    assert_eq!((s8.cores, v.capacity_rps()), (8, 8_000));
    assert_eq!(s8.memory_mb, start.memory_mb * 4);
    assert_eq!(s8.disk_gb, start.disk_gb * 4);
    // And back down by halving.
    assert_eq!(v.scale_down().unwrap().cores, 4);
}

#[test]
fn vertical_bounds_are_typed_errors() {
    let mut v = VerticalScaler::new(MachineSpec::default(), 1, 8, 1_000).unwrap();
    v.scale_up().unwrap();
    v.scale_up().unwrap();
    let before = v.clone();
    assert_eq!(
        v.scale_up(),
        Err(ScalingError::AtMaxCores { cores: 8, max: 8 })
    );
    assert_eq!(v, before);
    let mut small = VerticalScaler::new(
        MachineSpec {
            cores: 1,
            ..MachineSpec::default()
        },
        1,
        8,
        1_000,
    )
    .unwrap();
    assert_eq!(
        small.scale_down(),
        Err(ScalingError::AtMinCores { cores: 1, min: 1 })
    );
}

// ---- horizontal and warm-up ----------------------------------------------------------------

#[test]
fn horizontal_capacity_counts_only_ready_instances() {
    let template = InstanceTemplate::default();
    let mut fleet = HorizontalScaler::with_ready(template, 2).unwrap();
    assert_eq!(fleet.capacity_rps(), 1_000);
    fleet.launch(secs(5)).unwrap();
    fleet.launch(secs(5)).unwrap();
    assert_eq!(fleet.active_count(), 4);
    assert_eq!(fleet.capacity_rps(), 1_000, "warming instances add nothing");
    fleet.promote_ready(secs(35));
    assert_eq!(fleet.capacity_rps(), 2_000);
    let names: Vec<&str> = fleet.instances().iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["instance_1", "instance_2", "instance_3", "instance_4"]
    );
}

#[test]
fn a_launched_instance_serves_nothing_before_its_warm_up_ends() {
    let cfg = ServiceConfig {
        mode: ScalingMode::Manual,
        initial_instances: 1,
        load: constant(800.0),
        ..ServiceConfig::default()
    };
    let mut sim = Service::new(cfg).unwrap();
    run(&mut sim, 10);
    let id = sim.add_instance().unwrap();
    let launched_at = sim.now();
    let ready_at = launched_at.after(SimDuration::from_secs(30));
    let mut saw_ready_event = false;
    for _ in 0..50 {
        let tick_start = sim.now();
        let events = sim.step();
        let inst = sim.fleet().get(id).unwrap().clone();
        let row = rows(&events)[0];
        if tick_start < ready_at {
            assert_eq!(
                inst.served_last, 0,
                "serving at {tick_start} before {ready_at}"
            );
            assert_eq!(inst.state, InstanceState::Warming);
            assert_eq!(row.capacity_rps, 500);
            assert_eq!((row.ready, row.warming), (1, 1));
        } else {
            assert!(inst.served_last > 0);
            assert_eq!(row.capacity_rps, 1_000);
        }
        saw_ready_event |= events.iter().any(|e| {
            matches!(e, ServiceEvent::InstanceReady { t, id: i, .. } if *i == id && *t == ready_at)
        });
    }
    assert!(saw_ready_event);
}

// ---- HPA ---------------------------------------------------------------------------------

#[test]
fn hpa_vector_three_pods_at_50_percent_target_30_gives_five() {
    let u = utilisation_pct(&[300, 500, 700], &[1_000, 1_000, 1_000]);
    assert_eq!(u, 50.0);
    assert_eq!(desired_replicas(3, 3, u, 30.0, 0.1), 5);

    // The same in the model: 3 instances of 1000 req/s at 1500 req/s are 50 % busy.
    let mut cfg = hpa_config(3, 1_000, 1_500.0);
    cfg.hpa.target_cpu_pct = 30.0;
    let mut sim = Service::new(cfg).unwrap();
    let events = run(&mut sim, 15);
    let decision = events
        .iter()
        .find_map(|e| match *e {
            ServiceEvent::Decision {
                t,
                rule: Rule::Hpa,
                value,
                current,
                desired,
                ..
            } => Some((t, value, current, desired)),
            _ => None,
        })
        .unwrap();
    assert_eq!(decision, (secs(15), 50.0, 3, 5));
    assert_eq!(launches(&events).len(), 2);
    assert_eq!(sim.fleet().active_count(), 5);
}

#[test]
fn hpa_tolerance_ratio_1_05_changes_nothing() {
    assert_eq!(desired_replicas(3, 3, 31.5, 30.0, 0.1), 3);
    // 945 req/s over 3 × 1000 req/s = 31.5 % against a 30 % target.
    let mut cfg = hpa_config(3, 1_000, 945.0);
    cfg.hpa.target_cpu_pct = 30.0;
    let mut sim = Service::new(cfg).unwrap();
    let events = run(&mut sim, 120);
    assert!(launches(&events).is_empty());
    let reasons: Vec<Reason> = events
        .iter()
        .filter_map(|e| match *e {
            ServiceEvent::Decision { reason, .. } => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(reasons.len(), 8, "one reconcile per 15 s");
    assert!(reasons.iter().all(|r| *r == Reason::WithinTolerance));
}

#[test]
fn hpa_stabilisation_window_holds_a_dip_for_300_seconds() {
    // 4 × 1000 req/s at 2000 req/s: 50 % = the target, so the HPA recommends 4.
    let mut sim = Service::new(hpa_config(4, 1_000, 2_000.0)).unwrap();
    let mut events = run(&mut sim, 60);
    // The load dips to 10 %: the rule now recommends 1.
    sim.set_load(constant(400.0)).unwrap();
    events.extend(run(&mut sim, 400));

    let first_scale_in = events
        .iter()
        .find_map(|e| match *e {
            ServiceEvent::InstanceRemoved {
                t,
                reason: RemovalReason::ScaleIn,
                ..
            }
            | ServiceEvent::InstanceDraining {
                t,
                reason: RemovalReason::ScaleIn,
                ..
            } => Some(t),
            _ => None,
        })
        .unwrap();
    // The last recommendation of 4 was at 60 s; it leaves the window at 360 s.
    assert_eq!(first_scale_in, secs(360));
    let held: Vec<SimTime> = events
        .iter()
        .filter_map(|e| match *e {
            ServiceEvent::StabilisationHeld {
                t,
                recommended: 1,
                held_at: 4,
                ..
            } => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(held.first(), Some(&secs(75)));
    assert_eq!(held.last(), Some(&secs(345)));
    assert_eq!(held.len(), 19);
    // Default scale-down policy (100 % per 15 s): straight to the recommendation.
    assert_eq!(sim.fleet().active_count(), 1);
}

#[test]
fn hpa_rate_policy_vectors() {
    let up = ScalingRules::default_up();
    let t = secs(100);
    // From 2: max(2 × 2, 2 + 4) = 6; from 10: max(20, 14) = 20.
    assert_eq!(scale_up_limit(t, 2, &[], &[], &up), 6);
    assert_eq!(scale_up_limit(t, 10, &[], &[], &up), 20);
    // Percent scale-down truncates: 5 − 50 % = int(2.5) = 2.
    let half = ScalingRules {
        stabilization_window: SimDuration::ZERO,
        select: SelectPolicy::Max,
        policies: vec![ScalingPolicy::percent(50, 60)],
    };
    assert_eq!(scale_down_limit(t, 5, &[], &[], &half), 2);
    assert_eq!(scale_down_limit(t, 7, &[], &[], &half), 3);
    // Percent scale-up rounds up: 5 + 50 % = ceil(7.5) = 8.
    assert_eq!(scale_up_limit(t, 5, &[], &[], &half), 8);
}

#[test]
fn hpa_scale_up_from_two_is_limited_to_six_per_period() {
    // 100 % busy against a 10 % target: the rule wants 20.
    let mut cfg = hpa_config(2, 1_000, 10_000.0);
    cfg.hpa.target_cpu_pct = 10.0;
    let mut sim = Service::new(cfg).unwrap();
    let events = run(&mut sim, 15);
    assert!(events.contains(&ServiceEvent::RateLimited {
        t: secs(15),
        wanted: 20,
        allowed: 6,
        direction: Direction::Up,
    }));
    assert_eq!(sim.fleet().active_count(), 6);
}

#[test]
fn hpa_percent_scale_down_truncates_in_the_model() {
    let mut cfg = hpa_config(5, 1_000, 50.0);
    cfg.hpa.scale_down = ScalingRules {
        stabilization_window: SimDuration::ZERO,
        select: SelectPolicy::Max,
        policies: vec![ScalingPolicy::percent(50, 60)],
    };
    let mut sim = Service::new(cfg).unwrap();
    let events = run(&mut sim, 15);
    assert!(events.contains(&ServiceEvent::RateLimited {
        t: secs(15),
        wanted: 1,
        allowed: 2,
        direction: Direction::Down,
    }));
    assert_eq!(sim.fleet().active_count(), 2);
    // The 3 removed at 15 s count against the period until 75 s.
    run(&mut sim, 59);
    assert_eq!(sim.fleet().active_count(), 2);
    run(&mut sim, 1);
    assert_eq!(sim.now(), secs(75));
    assert_eq!(sim.fleet().active_count(), 1);
}

// ---- threshold autoscaler -------------------------------------------------------------------

fn threshold_config(
    mode: ScalingMode,
    initial: u32,
    min: u32,
    max: u32,
    load: f64,
) -> ServiceConfig {
    ServiceConfig {
        mode,
        initial_instances: initial,
        min_replicas: min,
        max_replicas: max,
        load: constant(load),
        ..ServiceConfig::default()
    }
}

/// Five instances; the user removes the middle one and launches another; then load is low.
fn scale_in_scenario(mode: ScalingMode) -> (Service, Vec<ServiceEvent>) {
    let mut sim = Service::new(threshold_config(mode, 5, 1, 10, 100.0)).unwrap();
    sim.remove_instance(3).unwrap();
    let new_id = sim.add_instance().unwrap();
    assert_eq!(new_id, 6);
    let events = run(&mut sim, 400);
    (sim, events)
}

#[test]
fn naive_scale_in_targets_a_name_that_no_longer_exists() {
    let (sim, events) = scale_in_scenario(ScalingMode::ThresholdNaive);
    // instance_<count>: 5 and 4 exist, 3 was removed by hand, then 2.
    assert_eq!(
        scaled_in(&events),
        ["instance_5", "instance_4", "instance_2"]
    );
    let missed: Vec<&ServiceEvent> = events
        .iter()
        .filter(|e| matches!(e, ServiceEvent::ScaleInMissed { .. }))
        .collect();
    assert_eq!(
        missed,
        [&ServiceEvent::ScaleInMissed {
            t: secs(121),
            name: String::from("instance_3"),
            believed: 2,
            actual: 3,
        }]
    );
    // The rule believes it is at its minimum of 1, so it stops, with 2 still running.
    assert_eq!(sim.believed_replicas(), 1);
    assert_eq!(sim.fleet().active_count(), 2);
}

#[test]
fn fixed_scale_in_removes_the_least_loaded_existing_instance() {
    let mut sim = Service::new(threshold_config(ScalingMode::Threshold, 5, 1, 10, 100.0)).unwrap();
    sim.remove_instance(3).unwrap();
    sim.add_instance().unwrap();
    let mut events = Vec::new();
    for _ in 0..400 {
        // A shadow without an autoscaler sees the same traffic, so it shows the loads the
        // rule chose from.
        let mut shadow = sim.clone();
        shadow.set_mode(ScalingMode::Manual).unwrap();
        shadow.step();
        let step = sim.step();
        for name in scaled_in(&step) {
            let candidates: Vec<&Instance> = shadow
                .instances()
                .iter()
                .filter(|i| i.is_active())
                .collect();
            let chosen = candidates.iter().find(|i| i.name == name).unwrap();
            for other in &candidates {
                assert!(
                    chosen.load() < other.load()
                        || (chosen.load() == other.load() && chosen.id >= other.id),
                    "{name} (load {}) removed but {} has load {}",
                    chosen.load(),
                    other.name,
                    other.load()
                );
            }
        }
        events.extend(step);
    }
    let removed = scaled_in(&events);
    // First the still-warming instance_6, which has no load at all.
    assert_eq!(removed.first().map(String::as_str), Some("instance_6"));
    assert_eq!(removed.len(), 4);
    assert!(!events
        .iter()
        .any(|e| matches!(e, ServiceEvent::ScaleInMissed { .. })));
    assert_eq!(sim.fleet().active_count(), 1);
    // Same load, smaller fleet: the fixed rule costs less than the naive one.
    let (naive, _) = scale_in_scenario(ScalingMode::ThresholdNaive);
    assert!(sim.cost().core_seconds < naive.cost().core_seconds);
}

#[test]
fn cooldown_blocks_and_is_reported_once_per_window() {
    let mut sim =
        Service::new(threshold_config(ScalingMode::Threshold, 2, 2, 10, 3_000.0)).unwrap();
    let events = run(&mut sim, 130);
    assert_eq!(launches(&events), [secs(1), secs(61), secs(121)]);
    let blocks: Vec<(SimTime, SimTime)> = events
        .iter()
        .filter_map(|e| match *e {
            ServiceEvent::CooldownBlocked { t, until, .. } => Some((t, until)),
            _ => None,
        })
        .collect();
    assert_eq!(
        blocks,
        [
            (secs(2), secs(61)),
            (secs(62), secs(121)),
            (secs(122), secs(181))
        ]
    );
}

#[test]
fn metric_delay_postpones_the_reaction() {
    let first_launch = |delay: u32| {
        let mut cfg = threshold_config(ScalingMode::Threshold, 2, 2, 10, 200.0);
        cfg.metric_delay_ticks = delay;
        let mut sim = Service::new(cfg).unwrap();
        run(&mut sim, 100);
        sim.set_load(constant(2_000.0)).unwrap();
        launches(&run(&mut sim, 60)).first().copied()
    };
    assert_eq!(first_launch(0), Some(secs(101)));
    assert_eq!(first_launch(10), Some(secs(111)));
}

/// Replicas and action times of a threshold run under a random load sequence.
fn threshold_run(
    seed: u64,
    min: u32,
    max: u32,
    cooldown: u64,
    warmup: u64,
    segments: &[(u32, u64)],
) -> Vec<ServiceEvent> {
    let mut cfg = threshold_config(ScalingMode::Threshold, min, min, max, 100.0);
    cfg.seed = seed;
    cfg.threshold.cooldown = SimDuration::from_secs(cooldown);
    cfg.instance.warmup = SimDuration::from_secs(warmup);
    let mut sim = Service::new(cfg).unwrap();
    let mut events = Vec::new();
    for &(rate, len) in segments {
        sim.set_load(ArrivalProcess::Poisson {
            rate: f64::from(rate),
        })
        .unwrap();
        sim.run_into(len, &mut events);
    }
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn threshold_stays_within_bounds_and_respects_the_cooldown(
        seed in any::<u64>(),
        min in 1u32..4,
        span in 0u32..8,
        cooldown in 0u64..90,
        warmup in 0u64..60,
        segments in prop::collection::vec((1u32..6_000, 5u64..80), 1..8),
    ) {
        let max = min + span;
        let events = threshold_run(seed, min, max, cooldown, warmup, &segments);
        for r in rows(&events) {
            let replicas = r.ready + r.warming;
            prop_assert!((min..=max).contains(&replicas), "{replicas} outside [{min}, {max}] at {}", r.t);
        }
        let actions: Vec<SimTime> = events
            .iter()
            .filter_map(|e| match *e {
                ServiceEvent::Decision { t, current, desired, .. } if current != desired => Some(t),
                _ => None,
            })
            .collect();
        for pair in actions.windows(2) {
            let gap = pair[1].since(pair[0]);
            prop_assert!(gap >= SimDuration::from_secs(cooldown), "actions at {} and {}", pair[0], pair[1]);
        }
        // Every scale-out decision launched exactly one instance.
        let ups = events.iter().filter(|e| matches!(e, ServiceEvent::Decision { current, desired, .. } if desired > current)).count();
        prop_assert_eq!(ups, launches(&events).len());
    }
}

// ---- vertical vs horizontal -----------------------------------------------------------

#[test]
fn vertical_vs_horizontal_on_the_same_spikes() {
    let mut cmp = ScalingModel::new(ScalingConfig::Compare(
        ComparisonConfig::vertical_vs_horizontal(),
    ))
    .unwrap();
    let mut events = Vec::new();
    cmp.run_into(1_200, &mut events);
    let lane = |i: u32| -> Vec<ServiceEvent> {
        events
            .iter()
            .filter(|e| e.lane == i)
            .map(|e| e.event.clone())
            .collect()
    };
    let (vertical, horizontal) = (lane(0), lane(1));
    let (rv, rh) = (rows(&vertical), rows(&horizontal));
    assert_eq!(rv.len(), 1_200);
    // Identical offered load, tick by tick.
    let offered = |rs: &[Row]| rs.iter().map(|r| r.offered).collect::<Vec<_>>();
    assert_eq!(offered(&rv), offered(&rh));

    // The vertical pitfall: while resizing there is no capacity and everything is dropped.
    assert!(vertical
        .iter()
        .any(|e| matches!(e, ServiceEvent::Resized { .. })));
    let downtime_drops = rv
        .iter()
        .filter(|r| r.ready == 0 && r.offered > 0 && r.dropped >= r.offered)
        .count();
    assert!(downtime_drops >= 30, "{downtime_drops} ticks of downtime");
    assert!(rh.iter().all(|r| r.ready >= 1));

    let s = cmp.summaries();
    assert_eq!(
        (s[0].label.as_str(), s[1].label.as_str()),
        ("vertical", "horizontal")
    );
    assert_ne!(s[0].stats.cost.price, s[1].stats.cost.price);
    assert_ne!(s[0].stats.latency, s[1].stats.latency);
    assert_ne!(s[0].stats.dropped, s[1].stats.dropped);
    assert_eq!(s[0].stats.offered, s[1].stats.offered);
    // One machine: one instance-second per second; its cores are what it pays for.
    assert_eq!(s[0].stats.cost.instance_seconds, 1_200.0);
    assert!(s[0].stats.cost.core_seconds > 1_200.0);
}

#[test]
fn comparison_validates_its_lanes() {
    let mut one = ComparisonConfig::default();
    one.lanes.truncate(1);
    assert!(matches!(
        ScalingModel::new(ScalingConfig::Compare(one)),
        Err(ScalingError::LaneCount { count: 1, .. })
    ));
    let mut bad = ComparisonConfig::threshold_vs_hpa();
    bad.lanes[1].config.min_replicas = 20;
    assert!(matches!(
        ScalingModel::new(ScalingConfig::Compare(bad)),
        Err(ScalingError::InLane { lane: 1, .. })
    ));
    let mut unlabeled = ComparisonConfig::default();
    unlabeled.lanes[0].label.clear();
    assert!(matches!(
        ScalingModel::new(ScalingConfig::Compare(unlabeled)),
        Err(ScalingError::BadLabel { lane: 0, .. })
    ));
}

// ---- conservation, determinism, snapshots ---------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn requests_are_conserved_every_tick(
        seed in any::<u64>(),
        mode_ix in 0usize..5,
        op_at in 10u64..200,
        peak in 500.0f64..6_000.0,
    ) {
        let modes = [
            ScalingMode::Manual,
            ScalingMode::Threshold,
            ScalingMode::ThresholdNaive,
            ScalingMode::Hpa,
            ScalingMode::Vertical,
        ];
        let mode = modes[mode_ix];
        let mut cfg = ServiceConfig::with_mode(mode);
        cfg.seed = seed;
        cfg.instance.queue_limit = 300;
        cfg.load = ArrivalProcess::Spike {
            base: 300.0,
            peak,
            period: SimDuration::from_secs(120),
            spike_len: SimDuration::from_secs(40),
        };
        let mut sim = Service::new(cfg).unwrap();
        let mut events = Vec::new();
        sim.run_into(op_at, &mut events);
        // An operation mid-run that moves queued requests around.
        if mode == ScalingMode::Vertical {
            let _ = sim.resize_up();
        } else {
            let busiest = sim.instances().iter().filter(|i| i.is_active()).max_by_key(|i| i.backlog).map(|i| i.id);
            if let Some(id) = busiest {
                let _ = sim.remove_instance(id);
            }
            let _ = sim.add_instance();
        }
        sim.run_into(300, &mut events);
        check_conservation(&events);
        let st = sim.stats();
        prop_assert_eq!(st.offered, st.served + st.dropped + st.backlog);
    }
}

fn digest(events: &[ServiceEvent]) -> u64 {
    let mut d = Digest::new();
    for e in events {
        d.update(e);
    }
    d.value()
}

#[test]
fn same_seed_same_events_different_seed_different_events() {
    for mode in [
        ScalingMode::Threshold,
        ScalingMode::ThresholdNaive,
        ScalingMode::Hpa,
        ScalingMode::Vertical,
    ] {
        let events = |seed: u64| {
            let mut cfg = ServiceConfig::with_mode(mode);
            cfg.seed = seed;
            run(&mut Service::new(cfg).unwrap(), 600)
        };
        let (a, b, c) = (events(42), events(42), events(43));
        assert_eq!(a, b, "{mode}");
        assert_eq!(digest(&a), digest(&b));
        assert_ne!(digest(&a), digest(&c), "{mode}");
    }
    let cmp = |seed: u64| {
        let cfg = ComparisonConfig {
            seed,
            ..ComparisonConfig::threshold_vs_hpa()
        };
        let mut c = ScalingModel::new(ScalingConfig::Compare(cfg)).unwrap();
        c.run_into(300, &mut Vec::new());
        c.summaries()
    };
    assert_eq!(cmp(1), cmp(1));
    assert_ne!(cmp(1), cmp(2));
}

#[test]
fn a_serialized_snapshot_continues_identically() {
    let mut sim = Service::new(ServiceConfig::with_mode(ScalingMode::Hpa)).unwrap();
    run(&mut sim, 300);
    let json = serde_json::to_string(&sim).unwrap();
    let mut restored: Service = serde_json::from_str(&json).unwrap();
    // The last decision is a readout of the event path, not part of a snapshot.
    assert!(sim.last_decision().is_some());
    assert_eq!(restored.last_decision(), None);
    assert_eq!(serde_json::to_string(&restored).unwrap(), json);
    assert_eq!(run(&mut sim, 300), run(&mut restored, 300));
    assert_eq!(restored, sim);
}

// ---- latency ---------------------------------------------------------------------------

#[test]
fn latency_comes_from_the_backlog() {
    let cfg = ServiceConfig {
        mode: ScalingMode::Manual,
        initial_instances: 1,
        load: constant(400.0),
        ..ServiceConfig::default()
    };
    let mut sim = Service::new(cfg).unwrap();
    let calm = rows(&run(&mut sim, 30));
    // Under capacity nothing waits: latency is the service time.
    assert!(calm.iter().all(|r| r.p95_us == 20_000 && r.backlog == 0));
    sim.set_load(constant(1_000.0)).unwrap();
    let busy = rows(&run(&mut sim, 30));
    // 500 req/s over capacity fills the 1000-place queue in 2 s; then ~2 s of waiting.
    let last = busy.last().unwrap();
    assert_eq!(last.backlog, 1_000);
    assert_eq!(last.dropped, 500);
    assert!(last.p95_us >= 1_900_000, "{last:?}");
    assert!(sim.recent_latency().p95 >= 1_900_000);
    // Cumulative: 12 000 calm requests at 20 ms, then most of the busy ones near 2 s.
    let all = sim.latency();
    assert!(all.p99 >= 1_800_000, "{all:?}");
    assert!(all.max >= 2_000_000);
    assert_eq!(all.count, sim.stats().served);
}

// ---- operations and validation --------------------------------------------------------------

#[test]
fn failed_operations_leave_the_model_unchanged() {
    let mut sim = Service::new(ServiceConfig::with_mode(ScalingMode::Manual)).unwrap();
    run(&mut sim, 5);
    let before = sim.clone();
    assert_eq!(
        sim.remove_instance(99),
        Err(ScalingError::UnknownInstance { id: 99 })
    );
    assert!(matches!(
        sim.set_mode(ScalingMode::Vertical),
        Err(ScalingError::ModeSwitchNeedsRestart { .. })
    ));
    assert!(matches!(
        sim.resize_up(),
        Err(ScalingError::NotVertical { .. })
    ));
    assert!(matches!(
        sim.set_load(constant(f64::NAN)),
        Err(ScalingError::Sim(SimError::NotFinite { .. }))
    ));
    assert_eq!(sim, before);
    sim.remove_instance(1).unwrap();
    let before = sim.clone();
    assert!(matches!(
        sim.remove_instance(2),
        Err(ScalingError::LastInstance { .. })
    ));
    assert_eq!(sim, before);

    let mut vertical = Service::new(ServiceConfig::with_mode(ScalingMode::Vertical)).unwrap();
    let before = vertical.clone();
    assert!(matches!(
        vertical.add_instance(),
        Err(ScalingError::NotHorizontal { .. })
    ));
    assert_eq!(vertical, before);
    vertical.resize_up().unwrap();
    assert!(matches!(
        vertical.resize_up(),
        Err(ScalingError::MachineResizing { .. })
    ));
}

#[test]
fn operations_take_effect_and_are_narrated() {
    let mut sim = Service::new(ServiceConfig::with_mode(ScalingMode::Manual)).unwrap();
    run(&mut sim, 5);
    sim.set_load(constant(123.0)).unwrap();
    sim.set_mode(ScalingMode::Hpa).unwrap();
    let events = sim.step();
    assert!(matches!(events[0], ServiceEvent::LoadChanged { .. }));
    assert!(matches!(
        events[1],
        ServiceEvent::ModeChanged {
            from: ScalingMode::Manual,
            to: ScalingMode::Hpa,
            ..
        }
    ));
    assert_eq!(rows(&events)[0].offered, 123);
    assert_eq!(sim.mode(), ScalingMode::Hpa);
}

#[test]
fn invalid_configs_are_rejected_with_clear_errors() {
    let base = ServiceConfig::default;
    let cases: Vec<(ServiceConfig, &str)> = vec![
        (
            ServiceConfig {
                min_replicas: 5,
                max_replicas: 3,
                initial_instances: 4,
                ..base()
            },
            "minimum replicas (5) must not be above maximum replicas (3)",
        ),
        (
            ServiceConfig {
                threshold: ThresholdConfig {
                    up_pct: 150.0,
                    ..ThresholdConfig::default()
                },
                ..base()
            },
            "scale-out threshold (%) must be between 0 and 100",
        ),
        (
            ServiceConfig {
                threshold: ThresholdConfig {
                    down_pct: 70.0,
                    ..ThresholdConfig::default()
                },
                ..base()
            },
            "must be below the scale-out threshold",
        ),
        (
            ServiceConfig {
                memory: MemoryModel {
                    baseline_pct: f64::NAN,
                    ..MemoryModel::default()
                },
                ..base()
            },
            "memory baseline (%) must be a finite number",
        ),
        (
            ServiceConfig {
                instance: InstanceConfig {
                    capacity_rps: 0,
                    ..InstanceConfig::default()
                },
                ..base()
            },
            "instance capacity (req/s) must be at least 1",
        ),
        (
            ServiceConfig {
                tick: SimDuration::ZERO,
                ..base()
            },
            "tick must be between",
        ),
        (
            ServiceConfig {
                hpa: HpaConfig {
                    tolerance: 1.5,
                    ..HpaConfig::default()
                },
                ..base()
            },
            "HPA tolerance must be at least 0 and below 1",
        ),
        (
            ServiceConfig {
                max_replicas: 1_000,
                ..base()
            },
            "maximum replicas is 1000, but the playground runs at most 256",
        ),
        (
            ServiceConfig {
                initial_instances: 12,
                ..base()
            },
            "must be within the replica bounds [2, 10]",
        ),
        (
            ServiceConfig {
                vertical: VerticalConfig {
                    max_cores: 4_096,
                    ..VerticalConfig::default()
                },
                ..base()
            },
            "maximum cores must be at most 1024",
        ),
        (
            ServiceConfig {
                load: ArrivalProcess::Poisson { rate: -1.0 },
                ..base()
            },
            "arrival rate must be greater than zero",
        ),
    ];
    for (cfg, message) in cases {
        let err = Service::new(cfg.clone()).unwrap_err();
        let text = err.to_string();
        assert_eq!(cfg.validate().unwrap_err().to_string(), text);
        assert!(
            text.contains(message),
            "{text:?} should contain {message:?}"
        );
    }
}

#[test]
fn every_event_narrates_a_sentence() {
    let mut all = Vec::new();
    for mode in [
        ScalingMode::ThresholdNaive,
        ScalingMode::Hpa,
        ScalingMode::Vertical,
    ] {
        let mut sim = Service::new(ServiceConfig::with_mode(mode)).unwrap();
        all.extend(run(&mut sim, 1_200));
    }
    let (_, naive) = scale_in_scenario(ScalingMode::ThresholdNaive);
    all.extend(naive);
    let kinds: std::collections::BTreeSet<String> = all
        .iter()
        .map(|e| {
            let text = e.narrate();
            assert!(text.starts_with("At ") && text.ends_with('.'), "{text}");
            serde_json::to_value(e).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for k in [
        "tick",
        "decision",
        "instance-launched",
        "instance-ready",
        "instance-removed",
        "scale-in-missed",
        "cooldown-blocked",
        "resized",
        "stabilisation-held",
    ] {
        assert!(kinds.contains(k), "no {k} event in {kinds:?}");
    }
}
