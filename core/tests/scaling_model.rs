//! The scaling family's model as a page drives it: every `ScalingAction` a link can express,
//! and the readouts the page shows (the last tick's figures, the decision log, the naive
//! rule's missed scale-ins, the downtime of a resize, the metric columns).

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::scaling::*;
use scalelab_core::sim::{ArrivalProcess, SimDuration};
use scalelab_core::timeline::Action;
use scalelab_core::{Metrics, Model};

fn single(config: ServiceConfig) -> ScalingModel {
    ScalingModel::new(ScalingConfig::Single(LaneConfig {
        label: String::new(),
        config,
    }))
    .unwrap()
}

fn compare(config: ComparisonConfig) -> ScalingModel {
    ScalingModel::new(ScalingConfig::Compare(config)).unwrap()
}

fn run(m: &mut ScalingModel, ticks: u64) -> Vec<ScalingEvent> {
    let mut out = Vec::new();
    m.run_into(ticks, &mut out);
    out
}

fn lane(m: &ScalingModel, i: u32) -> &Lane {
    m.lane(i).unwrap()
}

/// Applies an action the model must refuse, and checks that it changed nothing.
fn refused(m: &mut ScalingModel, a: ScalingAction) -> ScalingError {
    let before = m.clone();
    let e = a.apply_to(m).unwrap_err();
    assert_eq!(*m, before, "{a:?} was refused but changed the model");
    // The timeline's form of the same call refuses it too, with the same message.
    let via_trait = a.apply(m).unwrap_err();
    assert_eq!(via_trait.to_string(), e.to_string());
    e
}

/// A decision that only keeps the count (the HPA says so every sync period).
fn is_keep(e: &ServiceEvent) -> bool {
    matches!(e, ServiceEvent::Decision { current, desired, reason, .. }
        if current == desired && !matches!(reason, Reason::AtMax | Reason::AtMin))
}

/// A vertical machine (2 cores of 500 req/s, down 30 s per resize) that only the user
/// resizes: the autoscaler's lines are out of reach of a constant 500 req/s.
fn hand_resized_machine() -> ServiceConfig {
    let mut cfg = ServiceConfig::with_mode(ScalingMode::Vertical);
    cfg.load = ArrivalProcess::Constant { rate: 500.0 };
    cfg.threshold = ThresholdConfig {
        up_pct: 99.0,
        down_pct: 1.0,
        rate_up_fraction: 0.99,
        rate_down_fraction: 0.01,
        cooldown: SimDuration::from_secs(60),
        ..ThresholdConfig::default()
    };
    cfg
}

// ---- the naive rule's bug, produced with the page's own action ------------------------------

/// Let the preset grow the fleet, remove instance_3 by hand, and the naive scale-in later asks
/// for it by name; the fixed rule, given the same action, never misses.
#[test]
fn naive_mode_misses_a_scale_in_after_a_manual_removal() {
    let mut m = single(ServiceConfig::with_mode(ScalingMode::ThresholdNaive));
    let mut ticks = 0;
    while lane(&m, 0).service().fleet().active_count() < 5 && ticks < 600 {
        run(&mut m, 1);
        ticks += 1;
    }
    assert!(ticks < 600, "the preset should grow the fleet to 5");
    ScalingAction::Remove {
        lane: 0,
        id: Some(3),
    }
    .apply(&mut m)
    .unwrap();
    let events = run(&mut m, 1_200);
    let missed: Vec<&ScalingEvent> = events
        .iter()
        .filter(|e| matches!(e.event, ServiceEvent::ScaleInMissed { .. }))
        .collect();
    assert!(matches!(
        &missed.first().unwrap().event,
        ServiceEvent::ScaleInMissed { name, .. } if name == "instance_3"
    ));
    // The readouts: how many, the last one, and the log that shows it.
    let l = lane(&m, 0);
    assert_eq!(l.missed_count() as usize, missed.len());
    assert_eq!(l.last_missed(), Some(&missed.last().unwrap().event));
    let rule_believes = l.service().believed_replicas();
    let running = l.service().fleet().active_count();
    assert!(
        rule_believes < running,
        "{rule_believes} believed, {running} running"
    );

    let mut fixed = single(ServiceConfig::default());
    run(&mut fixed, ticks);
    ScalingAction::Remove {
        lane: 0,
        id: Some(3),
    }
    .apply(&mut fixed)
    .unwrap();
    let events = run(&mut fixed, 1_200);
    assert!(!events
        .iter()
        .any(|e| matches!(e.event, ServiceEvent::ScaleInMissed { .. })));
    assert_eq!(lane(&fixed, 0).missed_count(), 0);
    assert_eq!(lane(&fixed, 0).last_missed(), None);
}

// ---- every action --------------------------------------------------------------------------

#[test]
fn actions_reach_the_service_and_refuse_what_it_refuses() {
    let mut m = single(ServiceConfig {
        seed: 1,
        ..ServiceConfig::with_mode(ScalingMode::Manual)
    });
    ScalingAction::Add { lane: 0 }.apply(&mut m).unwrap();
    assert_eq!(lane(&m, 0).service().fleet().warming_count(), 1);
    ScalingAction::Remove { lane: 0, id: None }
        .apply(&mut m)
        .unwrap();
    refused(&mut m, ScalingAction::ResizeUp { lane: 0 });
    assert!(matches!(
        refused(&mut m, ScalingAction::Add { lane: 1 }),
        ScalingError::UnknownLane { lane: 1 }
    ));
    ScalingAction::SetMode {
        lane: 0,
        mode: ScalingMode::Hpa,
    }
    .apply(&mut m)
    .unwrap();
    assert_eq!(lane(&m, 0).service().mode(), ScalingMode::Hpa);

    let mut vh = compare(ComparisonConfig {
        seed: 1,
        ..ComparisonConfig::vertical_vs_horizontal()
    });
    assert_eq!(vh.lane_count(), 2);
    assert!(vh.is_comparison());
    assert_eq!(lane(&vh, 0).service().mode(), ScalingMode::Vertical);
    ScalingAction::ResizeUp { lane: 0 }.apply(&mut vh).unwrap();
    assert!(matches!(
        refused(&mut vh, ScalingAction::ResizeUp { lane: 0 }),
        ScalingError::MachineResizing { .. }
    ));
    refused(&mut vh, ScalingAction::Add { lane: 0 });
    ScalingAction::Add { lane: 1 }.apply(&mut vh).unwrap();
    ScalingAction::SetLoad {
        shape: LoadShape::Constant,
        peak: 100,
    }
    .apply(&mut vh)
    .unwrap();
    let events = run(&mut vh, 40);
    assert!(events
        .iter()
        .any(|e| e.lane == 0 && matches!(e.event, ServiceEvent::Resized { to_cores: 4, .. })));
    assert!(events
        .iter()
        .any(|e| e.lane == 1 && matches!(e.event, ServiceEvent::LoadChanged { .. })));
    assert!(events.iter().all(|e| e.label == lane(&vh, e.lane).label()));
}

/// Add, Remove (chosen and least loaded), SetMode and SetLoad (every shape) on a fleet, with
/// the decision log and the last tick's figures after each.
#[test]
fn fleet_actions_and_the_decision_log() {
    let mut m = single(ServiceConfig {
        load: ArrivalProcess::Constant { rate: 600.0 },
        ..ServiceConfig::with_mode(ScalingMode::Manual)
    });
    assert_eq!(lane(&m, 0).last_tick(), None);
    assert_eq!(lane(&m, 0).decision_log().count(), 0);

    // Add: one more instance, warming for the configured 30 s, then ready.
    ScalingAction::Add { lane: 0 }.apply(&mut m).unwrap();
    let events = run(&mut m, 1);
    let launched = events.iter().find_map(|e| match &e.event {
        ServiceEvent::InstanceLaunched { id, .. } => Some(*id),
        _ => None,
    });
    assert_eq!(launched, Some(3));
    let t = lane(&m, 0).last_tick().unwrap();
    assert_eq!(
        (t.len, t.offered, t.served, t.capacity_rps, t.cores),
        (SimDuration::from_secs(1), 600, 600, 1_000, 3)
    );
    assert_eq!(t.rate(t.offered), 600.0);
    assert_eq!(t.utilisation_pct, 60.0);
    run(&mut m, 30);
    assert_eq!(lane(&m, 0).service().fleet().ready_count(), 3);
    assert_eq!(lane(&m, 0).last_tick().unwrap().capacity_rps, 1_500);
    // Launches and removals are not decisions: manual mode has an empty log.
    assert_eq!(lane(&m, 0).decision_log().count(), 0);

    // Remove a chosen instance, then the least loaded one (the service's own pick).
    ScalingAction::Remove {
        lane: 0,
        id: Some(1),
    }
    .apply(&mut m)
    .unwrap();
    assert!(matches!(
        refused(
            &mut m,
            ScalingAction::Remove {
                lane: 0,
                id: Some(1)
            }
        ),
        // Nothing was queued on it, so it left at once.
        ScalingError::UnknownInstance { id: 1 }
    ));
    refused(
        &mut m,
        ScalingAction::Remove {
            lane: 0,
            id: Some(99),
        },
    );
    let pick = lane(&m, 0).service().fleet().least_loaded().unwrap();
    ScalingAction::Remove { lane: 0, id: None }
        .apply(&mut m)
        .unwrap();
    let events = run(&mut m, 1);
    let drained: Vec<u32> = events
        .iter()
        .filter_map(|e| match e.event {
            ServiceEvent::InstanceDraining {
                id,
                reason: RemovalReason::Manual,
                ..
            }
            | ServiceEvent::InstanceRemoved {
                id,
                reason: RemovalReason::Manual,
                ..
            } => Some(id),
            _ => None,
        })
        .collect();
    assert!(
        drained.contains(&1) && drained.contains(&pick),
        "{drained:?}"
    );
    assert_eq!(lane(&m, 0).service().fleet().active_count(), 1);
    assert!(matches!(
        refused(&mut m, ScalingAction::Remove { lane: 0, id: None }),
        ScalingError::LastInstance { .. }
    ));

    // SetLoad, every shape: each change is logged, newest last, within the log's length.
    for (i, shape) in LoadShape::ALL.into_iter().enumerate() {
        ScalingAction::SetLoad { shape, peak: 900 }
            .apply(&mut m)
            .unwrap();
        run(&mut m, 1);
        assert_eq!(*lane(&m, 0).service().load(), shape.process(900));
        let log: Vec<&ServiceEvent> = lane(&m, 0).decision_log().collect();
        assert_eq!(log.len(), i + 1);
        assert!(matches!(
            log.last(),
            Some(ServiceEvent::LoadChanged { load, .. }) if *load == shape.process(900)
        ));
    }

    // SetMode: the switch is logged; the HPA's decisions follow, and its run of "keeps"
    // collapses to the latest, so the log never shows two in a row.
    ScalingAction::SetMode {
        lane: 0,
        mode: ScalingMode::Hpa,
    }
    .apply(&mut m)
    .unwrap();
    run(&mut m, 1);
    assert!(matches!(
        lane(&m, 0).decision_log().last(),
        Some(ServiceEvent::ModeChanged {
            from: ScalingMode::Manual,
            to: ScalingMode::Hpa,
            ..
        })
    ));
    ScalingAction::SetLoad {
        shape: LoadShape::Constant,
        peak: 400,
    }
    .apply(&mut m)
    .unwrap();
    let events = run(&mut m, 600);
    let keeps = events.iter().filter(|e| is_keep(&e.event)).count();
    assert!(keeps > 10, "the HPA confirms its count every sync period");
    let log: Vec<&ServiceEvent> = lane(&m, 0).decision_log().collect();
    assert_eq!(log.len(), DECISION_LOG_LEN);
    assert!(log.windows(2).all(|w| !(is_keep(w[0]) && is_keep(w[1]))));
    let last_decision = events
        .iter()
        .rev()
        .find(|e| matches!(e.event, ServiceEvent::Decision { .. }))
        .unwrap();
    assert_eq!(log.last(), Some(&&last_decision.event));
    // Oldest first, in time order.
    assert!(log.windows(2).all(|w| w[0].time() <= w[1].time()));

    refused(
        &mut m,
        ScalingAction::SetMode {
            lane: 0,
            mode: ScalingMode::Vertical,
        },
    );
}

/// ResizeUp and ResizeDown: the machine is down for the resize downtime, every tick of it
/// counts as downtime, and the resize is the lane's last one and in its log.
#[test]
fn resizes_and_their_downtime() {
    let mut m = single(hand_resized_machine());
    run(&mut m, 5);
    assert_eq!(lane(&m, 0).downtime(), SimDuration::ZERO);
    assert_eq!(lane(&m, 0).last_resize(), None);

    ScalingAction::ResizeUp { lane: 0 }.apply(&mut m).unwrap();
    assert!(matches!(
        refused(&mut m, ScalingAction::ResizeDown { lane: 0 }),
        ScalingError::MachineResizing { .. }
    ));
    for tick in 1..=30u64 {
        run(&mut m, 1);
        let l = lane(&m, 0);
        assert_eq!(l.last_tick().unwrap().capacity_rps, 0, "tick {tick}");
        assert_eq!(l.downtime(), SimDuration::from_secs(tick));
    }
    run(&mut m, 10);
    let l = lane(&m, 0);
    assert_eq!(l.downtime(), SimDuration::from_secs(30));
    assert_eq!(l.last_tick().unwrap().capacity_rps, 2_000);
    assert_eq!(l.last_tick().unwrap().cores, 4);
    assert_eq!(l.service().machine().cores(), 4);
    assert!(matches!(
        l.last_resize(),
        Some(ServiceEvent::Resized {
            from_cores: 2,
            to_cores: 4,
            downtime,
            ..
        }) if *downtime == SimDuration::from_secs(30)
    ));
    assert_eq!(l.decision_log().last(), l.last_resize());

    ScalingAction::ResizeDown { lane: 0 }.apply(&mut m).unwrap();
    run(&mut m, 40);
    let l = lane(&m, 0);
    assert_eq!(l.downtime(), SimDuration::from_secs(60));
    assert!(matches!(
        l.last_resize(),
        Some(ServiceEvent::Resized {
            from_cores: 4,
            to_cores: 2,
            ..
        })
    ));
    let resizes = l
        .decision_log()
        .filter(|e| matches!(e, ServiceEvent::Resized { .. }))
        .count();
    assert_eq!(resizes, 2);

    // A machine has no fleet to change, and cannot become one mid-run.
    refused(&mut m, ScalingAction::Add { lane: 0 });
    refused(&mut m, ScalingAction::Remove { lane: 0, id: None });
    assert!(matches!(
        refused(
            &mut m,
            ScalingAction::SetMode {
                lane: 0,
                mode: ScalingMode::Threshold
            }
        ),
        ScalingError::ModeSwitchNeedsRestart { .. }
    ));
}

// ---- metrics -------------------------------------------------------------------------------

#[test]
fn metrics_have_one_value_per_column() {
    for (name, config) in [
        ("single", ScalingConfig::default()),
        (
            "compare-vh",
            ScalingConfig::Compare(ComparisonConfig::vertical_vs_horizontal()),
        ),
        (
            "compare-th",
            ScalingConfig::Compare(ComparisonConfig::threshold_vs_hpa()),
        ),
    ] {
        let mut m = ScalingModel::new(config).unwrap();
        run(&mut m, 30);
        let row = m.metrics();
        assert_eq!(row.len(), ScalingModel::METRIC_NAMES.len());
        assert!(
            row[ScalingModel::COL_OFFERED_RPS] > 0.0 && row[ScalingModel::COL_CAPACITY_RPS] > 0.0,
            "{name}: {row:?}"
        );
        assert_eq!(
            row[ScalingModel::COL_LANE2_CAPACITY_RPS].is_nan(),
            name == "single"
        );

        // The values are the lanes' own figures.
        let l = lane(&m, 0);
        let t = l.last_tick().unwrap();
        let s = l.service().stats();
        assert_eq!(row[ScalingModel::COL_OFFERED_RPS], t.offered as f64);
        assert_eq!(row[ScalingModel::COL_CAPACITY_RPS], s.capacity_rps as f64);
        assert_eq!(row[ScalingModel::COL_SERVED_RPS], t.served as f64);
        assert_eq!(row[ScalingModel::COL_DROPPED_RPS], t.dropped as f64);
        assert_eq!(row[ScalingModel::COL_P95_MS], t.p95_us as f64 / 1_000.0);
        assert_eq!(row[ScalingModel::COL_UTILISATION_PCT], t.utilisation_pct);
        assert_eq!(row[ScalingModel::COL_READY_INSTANCES], f64::from(s.ready));
        assert_eq!(
            row[ScalingModel::COL_WARMING_INSTANCES],
            f64::from(s.warming)
        );
        assert_eq!(row[ScalingModel::COL_CORES], f64::from(s.cores));
        assert_eq!(
            row[ScalingModel::COL_COST_CORE_SECONDS],
            s.cost.core_seconds
        );
        if let Some(l2) = m.lane(1) {
            let s = l2.service().stats();
            let t = l2.last_tick().unwrap();
            assert_eq!(
                row[ScalingModel::COL_LANE2_CAPACITY_RPS],
                s.capacity_rps as f64
            );
            assert_eq!(row[ScalingModel::COL_LANE2_SERVED_RPS], t.served as f64);
            assert_eq!(row[ScalingModel::COL_LANE2_DROPPED_RPS], t.dropped as f64);
            assert_eq!(
                row[ScalingModel::COL_LANE2_P95_MS],
                t.p95_us as f64 / 1_000.0
            );
            assert_eq!(row[ScalingModel::COL_LANE2_CORES], f64::from(s.cores));
            assert_eq!(
                row[ScalingModel::COL_LANE2_COST_CORE_SECONDS],
                s.cost.core_seconds
            );
        }
    }
}

#[test]
fn metric_names_are_the_exported_columns() {
    assert_eq!(
        ScalingModel::METRIC_NAMES,
        [
            "offered_rps",
            "capacity_rps",
            "served_rps",
            "dropped_rps",
            "p95_ms",
            "utilisation_pct",
            "ready_instances",
            "warming_instances",
            "cores",
            "cost_core_seconds",
            "lane2_capacity_rps",
            "lane2_served_rps",
            "lane2_dropped_rps",
            "lane2_p95_ms",
            "lane2_cores",
            "lane2_cost_core_seconds",
            "lane3_capacity_rps",
            "lane3_dropped_rps",
            "lane3_cores",
            "lane3_cost_core_seconds",
            "memory_pct",
            "error_pct",
        ]
    );
    // Before the first step every figure is zero, and a lone set-up has no second lane.
    let row = ScalingModel::new(ScalingConfig::default())
        .unwrap()
        .metrics();
    assert_eq!(row[ScalingModel::COL_OFFERED_RPS], 0.0);
    assert_eq!(row[ScalingModel::COL_CAPACITY_RPS], 1_000.0);
    assert!(
        row[ScalingModel::COL_LANE2_CAPACITY_RPS..ScalingModel::COL_MEMORY_PCT]
            .iter()
            .all(|v| v.is_nan())
    );
    assert_eq!(row[ScalingModel::COL_ERROR_PCT], 0.0);
}

// ---- events and config ---------------------------------------------------------------------

/// An event serializes flat — lane, label, then the service event's `kind` and fields — which
/// is the exported JSON form.
#[test]
fn events_serialize_flat_with_their_lane() {
    let mut m = compare(ComparisonConfig::threshold_vs_hpa());
    let events = run(&mut m, 1);
    let e = events.iter().find(|e| e.lane == 1).unwrap();
    let json = serde_json::to_string(e).unwrap();
    assert!(
        json.starts_with(r#"{"lane":1,"label":"HPA","kind":"tick","t":1000000,"#),
        "{json}"
    );
    let back: ScalingEvent = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, e);
    assert!(e.to_string().starts_with("HPA: At 1.000s:"), "{e}");
}

#[test]
fn configs_are_checked() {
    let mut one = ComparisonConfig::default();
    one.lanes.truncate(1);
    assert!(matches!(
        ScalingModel::new(ScalingConfig::Compare(one)),
        Err(ScalingError::LaneCount { count: 1, .. })
    ));
    let bad = ScalingConfig::Single(LaneConfig {
        label: String::new(),
        config: ServiceConfig {
            min_replicas: 20,
            ..ServiceConfig::default()
        },
    });
    assert!(matches!(
        ScalingModel::new(bad),
        Err(ScalingError::MinAboveMax { min: 20, max: 10 })
    ));
    let long = ScalingConfig::Single(LaneConfig {
        label: "x".repeat(41),
        config: ServiceConfig::default(),
    });
    assert!(matches!(
        ScalingModel::new(long),
        Err(ScalingError::BadLabel { lane: 0, .. })
    ));
    let m = single(ServiceConfig::default());
    assert!(!m.is_comparison());
    assert_eq!(m.lane_count(), 1);
    assert_eq!(lane(&m, 0).label(), "");
}

#[test]
fn a_serialized_model_continues_identically() {
    let mut m = compare(ComparisonConfig::vertical_vs_horizontal());
    run(&mut m, 200);
    let json = serde_json::to_string(&m).unwrap();
    let mut restored: ScalingModel = serde_json::from_str(&json).unwrap();
    // The lanes' last decisions are readouts of the event path, not part of a snapshot.
    assert_eq!(restored.last_decision(0), None);
    assert_eq!(serde_json::to_string(&restored).unwrap(), json);
    assert_eq!(run(&mut m, 200), run(&mut restored, 200));
    assert_eq!(restored, m);
}

/// Threshold vs the guide's naive scale-in on one trace: they decide alike until a scale-in
/// misses; after that the naive lane keeps instances it believes are gone, and pays for them.
#[test]
fn the_naive_lane_pays_for_its_missed_scale_ins() {
    let mut m = compare(ComparisonConfig::threshold_vs_naive());
    run(&mut m, 1_800);
    assert_eq!(lane(&m, 1).missed_count(), 0);
    assert_eq!(lane(&m, 1).extra_cost(&m), 0.0);
    run(&mut m, 600);
    let (threshold, naive) = (lane(&m, 0), lane(&m, 1));
    let figures = |l: &Lane| {
        (
            l.missed_count(),
            l.service().stats().ready,
            l.extra_cost(&m).round(),
        )
    };
    assert_eq!(figures(threshold), (0, 4, 0.0));
    assert_eq!(figures(naive), (6, 8, 1_966.0));
    let cost = |l: &Lane| l.service().cost().core_seconds;
    assert_eq!(naive.extra_cost(&m), cost(naive) - cost(threshold));
}

/// The fleet's rule bound: the autoscaler's maximum (or the hybrid rule's machines); none when
/// the user sizes the fleet or it is one machine.
#[test]
fn the_rule_max_is_the_autoscalers_or_the_hybrid_rules() {
    for (mode, bound) in [
        (ScalingMode::Manual, None),
        (ScalingMode::Threshold, Some(7)),
        (ScalingMode::ThresholdNaive, Some(7)),
        (ScalingMode::Hpa, Some(7)),
        (ScalingMode::Vertical, None),
        (ScalingMode::Hybrid, Some(7)),
    ] {
        let s = Service::new(ServiceConfig {
            mode,
            max_replicas: 7,
            ..ServiceConfig::default()
        })
        .unwrap();
        assert_eq!(s.rule_max_instances(), bound, "{mode:?}");
    }
}
