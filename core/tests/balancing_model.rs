//! The balancing scene's model driven through every operation a link can carry, checking the
//! figures the page shows: live percentiles, throughput, drops and failures, each server's
//! state (what the balancer believes beside what is true), its gauges, the race board and the
//! metric columns the charts and exports read.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::balancing::{
    BalancerConfig, BalancerEvent, BalancingAction, BalancingConfig, BalancingError,
    BalancingEvent, BalancingModel, BreakerConfig, BreakerState, LaneMetrics, OutlierConfig,
    ServerMetrics, ServerState, StrategyKind,
};
use scalelab_core::sim::{ArrivalProcess, ServerConfig, SimDuration, SimTime};
use scalelab_core::timeline::Timeline;
use scalelab_core::{Metrics, Model};

/// The page's one-strategy view of the preset balancer: a race of one lane.
fn single(strategy: StrategyKind) -> BalancingModel {
    BalancingModel::new(BalancingConfig {
        base: BalancerConfig::default(),
        lanes: vec![strategy.name().to_string()],
    })
    .unwrap()
}

/// Steps until simulated time reaches `secs` seconds from now; returns the events.
fn run_for(model: &mut BalancingModel, secs: u64) -> Vec<BalancingEvent> {
    let until = model.now().after(SimDuration::from_secs(secs));
    let mut out = Vec::new();
    while model.now() < until {
        model.step_into(&mut out);
    }
    out
}

fn server(model: &BalancingModel, lane: u32, index: u32) -> ServerMetrics {
    model.lane(lane).unwrap().metrics().servers[index as usize].clone()
}

fn first_lane(model: &BalancingModel) -> LaneMetrics {
    model.lane_metrics()[0].clone()
}

/// The metric row, column by column, as the page computed it from the race board before the
/// model answered it: the first lane's live p50/p95/p99 (ms), throughput, drops and failures,
/// then lanes 2–5's live p99 and drops so far (`NaN` without such a lane).
fn expected_row(model: &BalancingModel) -> Vec<f64> {
    let lanes = model.lane_metrics();
    let ms = |us: u64| us as f64 / 1_000.0;
    let l = &lanes[0];
    let mut row = vec![
        ms(l.recent_latency.p50),
        ms(l.recent_latency.p95),
        ms(l.recent_latency.p99),
        model.lane(0).unwrap().recent_throughput(),
        l.dropped as f64,
        l.failed as f64,
    ];
    for lane in 1..5 {
        row.push(
            lanes
                .get(lane)
                .map(|l| ms(l.recent_latency.p99))
                .unwrap_or(f64::NAN),
        );
    }
    for lane in 1..5 {
        row.push(
            lanes
                .get(lane)
                .map(|l| l.dropped as f64)
                .unwrap_or(f64::NAN),
        );
    }
    row
}

fn same_row(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}

#[test]
fn metric_columns_are_named_and_placed_as_the_charts_read_them() {
    assert_eq!(
        BalancingModel::METRIC_NAMES,
        &[
            "p50_ms",
            "p95_ms",
            "p99_ms",
            "throughput_rps",
            "dropped",
            "failed",
            "lane2_p99_ms",
            "lane3_p99_ms",
            "lane4_p99_ms",
            "lane5_p99_ms",
            "lane2_dropped",
            "lane3_dropped",
            "lane4_dropped",
            "lane5_dropped",
        ]
    );
    let name = |c: usize| BalancingModel::METRIC_NAMES[c];
    assert_eq!(name(BalancingModel::COL_P50_MS), "p50_ms");
    assert_eq!(name(BalancingModel::COL_P95_MS), "p95_ms");
    assert_eq!(name(BalancingModel::COL_P99_MS), "p99_ms");
    assert_eq!(name(BalancingModel::COL_THROUGHPUT_RPS), "throughput_rps");
    assert_eq!(name(BalancingModel::COL_DROPPED), "dropped");
    assert_eq!(name(BalancingModel::COL_FAILED), "failed");
    assert_eq!(BalancingModel::lane_p99_column(0), Some(2));
    for lane in 1..5 {
        let c = BalancingModel::lane_p99_column(lane).unwrap();
        assert_eq!(name(c), format!("lane{}_p99_ms", lane + 1));
    }
    assert_eq!(BalancingModel::lane_p99_column(5), None);
    assert_eq!(BalancingModel::lane_dropped_column(0), Some(4));
    for lane in 1..5 {
        let c = BalancingModel::lane_dropped_column(lane).unwrap();
        assert_eq!(name(c), format!("lane{}_dropped", lane + 1));
    }
    assert_eq!(BalancingModel::lane_dropped_column(5), None);
}

#[test]
fn metrics_of_one_lane_and_of_races() {
    // One lane: the race columns are NaN.
    let mut m = single(StrategyKind::RoundRobin);
    let row = m.metrics();
    assert_eq!(row.len(), BalancingModel::METRIC_NAMES.len());
    assert_eq!(&row[..6], &[0.0; 6], "nothing answered yet");
    assert!(row[6..].iter().all(|v| v.is_nan()));
    run_for(&mut m, 3);
    let row = m.metrics();
    assert!(same_row(&row, &expected_row(&m)), "{row:?}");
    assert!(row[BalancingModel::COL_P50_MS] > 0.0);
    assert!(row[BalancingModel::COL_P50_MS] <= row[BalancingModel::COL_P95_MS]);
    assert!(row[BalancingModel::COL_P95_MS] <= row[BalancingModel::COL_P99_MS]);
    // 70 % of 1 600 requests/s are offered; nearly all are answered.
    let rps = row[BalancingModel::COL_THROUGHPUT_RPS];
    assert!((1_000.0..1_250.0).contains(&rps), "{rps}");
    assert!(!m.is_race());

    // Races of 3, 5 and 6 lanes: a column per lane up to the fifth.
    for (lanes, filled) in [(3, 2), (5, 4), (6, 4)] {
        let names = [
            "round-robin",
            "least-connections",
            "power-of-two-choices",
            "random",
            "least-response-time-ewma",
            "ip-hash",
        ];
        let mut race = BalancingModel::new(BalancingConfig {
            base: BalancerConfig::default(),
            lanes: names[..lanes].iter().map(|s| s.to_string()).collect(),
        })
        .unwrap();
        assert!(race.is_race());
        run_for(&mut race, 2);
        let row = race.metrics();
        assert!(same_row(&row, &expected_row(&race)), "{lanes}: {row:?}");
        assert!(row[6..6 + filled].iter().all(|v| *v > 0.0), "{row:?}");
        assert!(row[6 + filled..10].iter().all(|v| v.is_nan()), "{row:?}");
        assert!(row[10..10 + filled].iter().all(|v| *v >= 0.0), "{row:?}");
        assert!(row[10 + filled..].iter().all(|v| v.is_nan()), "{row:?}");
        // The board's row for lane i is that lane's own figures.
        for (i, l) in race.lane_metrics().iter().enumerate() {
            let lane = race.lane(i as u32).unwrap();
            assert_eq!(*l, LaneMetrics::of(i as u32, &lane.metrics()));
            assert_eq!(l.strategy.name(), names[i]);
        }
    }
}

#[test]
fn kill_and_revive_show_the_detection_lag() {
    let mut m = single(StrategyKind::RoundRobin);
    run_for(&mut m, 1);
    assert_eq!(server(&m, 0, 1).state(), ServerState::Up);

    let events = m.apply(&BalancingAction::KillServer { server: 1 }).unwrap();
    assert!(matches!(
        events[0].event,
        BalancerEvent::ServerKilled { server: 1, .. }
    ));
    // Until three probes fail (2 s apart), the balancer still sends it traffic: refused.
    assert_eq!(server(&m, 0, 1).state(), ServerState::CrashedUnnoticed);
    let failed_before = first_lane(&m).failed;
    run_for(&mut m, 2);
    assert!(first_lane(&m).failed > failed_before);
    assert_eq!(
        m.metrics()[BalancingModel::COL_FAILED],
        first_lane(&m).failed as f64
    );
    run_for(&mut m, 5);
    let s = server(&m, 0, 1);
    assert_eq!(s.state(), ServerState::CrashedDown);
    assert!(!s.eligible && !s.running && !s.healthy);
    // Once DOWN, no more refusals.
    let failed = first_lane(&m).failed;
    run_for(&mut m, 2);
    assert_eq!(first_lane(&m).failed, failed);

    // Killing it again is refused and changes nothing.
    let before = m.metrics();
    let e = m
        .apply(&BalancingAction::KillServer { server: 1 })
        .unwrap_err();
    assert!(matches!(e, BalancingError::AlreadyDown { .. }));
    assert!(same_row(&m.metrics(), &before));

    m.apply(&BalancingAction::ReviveServer { server: 1 })
        .unwrap();
    // Running again, but DOWN to the balancer until two good probes.
    assert_eq!(server(&m, 0, 1).state(), ServerState::RunningButDown);
    run_for(&mut m, 5);
    assert_eq!(server(&m, 0, 1).state(), ServerState::Up);
    assert!(server(&m, 0, 1).eligible);
    assert!(matches!(
        m.apply(&BalancingAction::ReviveServer { server: 1 }),
        Err(BalancingError::AlreadyUp { .. })
    ));
}

#[test]
fn slowdown_and_errors_show_in_the_rows_and_figures() {
    let mut m = single(StrategyKind::RoundRobin);
    run_for(&mut m, 1);
    let p99_before = m.metrics()[BalancingModel::COL_P99_MS];

    m.apply(&BalancingAction::SetSlowdown {
        server: 0,
        factor: 4.0,
    })
    .unwrap();
    let s = server(&m, 0, 0);
    assert_eq!(s.state(), ServerState::Slowed);
    assert_eq!(s.slowdown, 4.0);
    run_for(&mut m, 3);
    // Round robin keeps feeding the slow server: its slots fill and the tail grows.
    let s = server(&m, 0, 0);
    assert!(s.busy_share() > 0.5, "{}", s.busy_share());
    assert_eq!(
        s.busy_share(),
        f64::from(s.busy_slots) / f64::from(s.concurrency)
    );
    assert_eq!(
        s.queue_share(),
        f64::from(s.queue_len) / f64::from(s.queue_limit.max(1))
    );
    assert!(m.metrics()[BalancingModel::COL_P99_MS] > p99_before);
    m.apply(&BalancingAction::SetSlowdown {
        server: 0,
        factor: 1.0,
    })
    .unwrap();
    assert_eq!(server(&m, 0, 0).state(), ServerState::Up);

    let failed = first_lane(&m).failed;
    m.apply(&BalancingAction::SetErrorRate {
        server: 2,
        rate: 0.5,
    })
    .unwrap();
    run_for(&mut m, 2);
    let s = server(&m, 0, 2);
    assert_eq!(s.error_rate, 0.5);
    assert!(s.counters.server_errors > 0);
    assert!(first_lane(&m).failed >= failed + s.counters.server_errors);
    assert!(matches!(
        m.apply(&BalancingAction::SetErrorRate {
            server: 2,
            rate: 1.5
        }),
        Err(BalancingError::Sim(_))
    ));
    assert_eq!(server(&m, 0, 2).error_rate, 0.5);
}

#[test]
fn adding_and_removing_servers() {
    let mut m = single(StrategyKind::IpHash);
    let clients = m.lane(0).unwrap().client_assignment();
    assert_eq!(clients.len(), 64);
    assert!(StrategyKind::IpHash.is_ip_hash() && StrategyKind::IpHashNaive.is_ip_hash());
    assert!(!StrategyKind::RoundRobin.is_ip_hash());

    m.apply(&BalancingAction::AddServer {
        config: ServerConfig {
            concurrency: 4,
            ..ServerConfig::named("web-5")
        },
    })
    .unwrap();
    let lane = m.lane(0).unwrap();
    assert_eq!(lane.server_count(), 5);
    assert_eq!(lane.server_names()[4], "web-5");
    assert_eq!(server(&m, 0, 4).state(), ServerState::Up);
    // IP hash spreads the clients over the new server too.
    let after = lane.client_assignment();
    assert!(after.iter().any(|(_, s)| *s == Some(4)));
    assert!(matches!(
        m.apply(&BalancingAction::AddServer {
            config: ServerConfig::named("web-5")
        }),
        Err(BalancingError::DuplicateServerName { .. })
    ));
    run_for(&mut m, 1);
    assert!(server(&m, 0, 4).counters.routed > 0);

    m.apply(&BalancingAction::RemoveServer { server: 4 })
        .unwrap();
    assert_eq!(m.lane(0).unwrap().server_count(), 4);
    assert!(matches!(
        m.apply(&BalancingAction::RemoveServer { server: 4 }),
        Err(BalancingError::NoSuchServer { index: 4, count: 4 })
    ));
    for i in (1..4).rev() {
        m.apply(&BalancingAction::RemoveServer { server: i })
            .unwrap();
    }
    assert!(matches!(
        m.apply(&BalancingAction::RemoveServer { server: 0 }),
        Err(BalancingError::LastServer { .. })
    ));
}

#[test]
fn one_lane_switches_strategy_live() {
    let mut m = single(StrategyKind::RoundRobin);
    run_for(&mut m, 1);
    let now = m.now();
    let switch = BalancingAction::SwitchStrategy {
        strategy: "least-connections".into(),
    };
    let events = m.apply(&switch).unwrap();
    assert!(matches!(
        events.as_slice(),
        [BalancingEvent {
            lane: 0,
            event: BalancerEvent::StrategySwitched {
                from: StrategyKind::RoundRobin,
                to: StrategyKind::LeastConnections,
                ..
            }
        }]
    ));
    assert_eq!(m.now(), now);
    assert_eq!(first_lane(&m).strategy, StrategyKind::LeastConnections);
    // The run goes on with the new strategy picking.
    let mut out = Vec::new();
    for _ in 0..200 {
        m.step_into(&mut out);
    }
    assert!(out.iter().any(|e| matches!(
        e.event,
        BalancerEvent::Routed {
            strategy: StrategyKind::LeastConnections,
            ..
        }
    )));
    assert!(matches!(
        m.apply(&BalancingAction::SwitchStrategy {
            strategy: "nope".into()
        }),
        Err(BalancingError::UnknownStrategy { .. })
    ));
}

#[test]
fn changing_the_load_changes_the_throughput() {
    let mut m = single(StrategyKind::LeastConnections);
    run_for(&mut m, 2);
    let rps = m.metrics()[BalancingModel::COL_THROUGHPUT_RPS];
    let events = m
        .apply(&BalancingAction::SetArrivals {
            arrivals: ArrivalProcess::Constant { rate: 200.0 },
        })
        .unwrap();
    assert!(matches!(
        events[0].event,
        BalancerEvent::LoadChanged { rate_per_sec, .. } if rate_per_sec == 200.0
    ));
    assert_eq!(
        m.lane(0).unwrap().config().workload.arrivals,
        ArrivalProcess::Constant { rate: 200.0 }
    );
    run_for(&mut m, 2);
    let low = m.metrics()[BalancingModel::COL_THROUGHPUT_RPS];
    assert!(low < rps / 2.0, "{low} vs {rps}");
    assert!((190.0..=210.0).contains(&low), "{low}");
    // Every other shape is accepted, and a negative rate refused.
    for arrivals in [
        ArrivalProcess::Poisson { rate: 500.0 },
        ArrivalProcess::Spike {
            base: 100.0,
            peak: 900.0,
            period: SimDuration::from_secs(10),
            spike_len: SimDuration::from_secs(2),
        },
        ArrivalProcess::Ramp {
            from: 100.0,
            to: 900.0,
            over: SimDuration::from_secs(30),
        },
        ArrivalProcess::Diurnal {
            mean: 500.0,
            amplitude: 0.5,
            period: SimDuration::from_secs(60),
        },
    ] {
        m.apply(&BalancingAction::SetArrivals { arrivals }).unwrap();
        run_for(&mut m, 1);
    }
    assert!(m
        .apply(&BalancingAction::SetArrivals {
            arrivals: ArrivalProcess::Poisson { rate: -1.0 }
        })
        .is_err());
}

#[test]
fn ejection_and_breaker_states() {
    let with = |outlier: bool, breaker: bool| {
        BalancingModel::new(BalancingConfig {
            base: BalancerConfig {
                outlier_detection: outlier.then(OutlierConfig::default),
                circuit_breaker: breaker.then(|| BreakerConfig {
                    window_size: 20,
                    minimum_calls: 20,
                    ..BreakerConfig::default()
                }),
                ..BalancerConfig::default()
            },
            lanes: vec!["round-robin".into()],
        })
        .unwrap()
    };
    let mut m = with(true, false);
    m.apply(&BalancingAction::SetErrorRate {
        server: 3,
        rate: 1.0,
    })
    .unwrap();
    run_for(&mut m, 1);
    let s = server(&m, 0, 3);
    assert_eq!(s.state(), ServerState::Ejected);
    assert!(s.ejected_until.is_some_and(|t| t > SimTime::ZERO));
    assert_eq!(s.counters.ejections, 1);

    let mut m = with(false, true);
    m.apply(&BalancingAction::SetErrorRate {
        server: 3,
        rate: 1.0,
    })
    .unwrap();
    run_for(&mut m, 1);
    assert_eq!(server(&m, 0, 3).state(), ServerState::BreakerOpen);
    // After the open wait (60 s) it lets trial calls through, which fail: open again.
    let events = run_for(&mut m, 61);
    let half_open_at = events
        .iter()
        .find_map(|e| match e.event {
            BalancerEvent::BreakerChanged {
                at,
                server: 3,
                to: BreakerState::HalfOpen,
                ..
            } => Some(at),
            _ => None,
        })
        .unwrap();
    assert!(events.iter().any(|e| matches!(
        e.event,
        BalancerEvent::BreakerChanged { at, server: 3, to: BreakerState::Open, .. } if at > half_open_at
    )));
}

/// Every operation through the timeline, as a link replays them, reaches every lane of a race.
#[test]
fn a_timeline_replays_every_operation_on_every_lane() {
    let race = BalancingModel::new(BalancingConfig::default()).unwrap();
    let lanes = race.lanes().len();
    let mut t: Timeline<BalancingModel, BalancingAction> = Timeline::new(race);
    t.fast_forward(2_000);
    let actions = [
        BalancingAction::KillServer { server: 0 },
        BalancingAction::ReviveServer { server: 0 },
        BalancingAction::SetSlowdown {
            server: 1,
            factor: 2.0,
        },
        BalancingAction::SetErrorRate {
            server: 2,
            rate: 0.1,
        },
        BalancingAction::AddServer {
            config: ServerConfig::named("web-5"),
        },
        BalancingAction::RemoveServer { server: 0 },
        BalancingAction::SetArrivals {
            arrivals: ArrivalProcess::Poisson { rate: 800.0 },
        },
    ];
    for a in actions {
        t.act(a).unwrap();
        t.fast_forward(500);
    }
    assert!(t
        .act(BalancingAction::SwitchStrategy {
            strategy: "random".into()
        })
        .is_err());
    for lane in t.model().lanes() {
        assert_eq!(lane.server_names(), ["web-2", "web-3", "web-4", "web-5"]);
        let m = lane.metrics();
        assert_eq!(m.servers[0].slowdown, 2.0);
        assert_eq!(m.servers[1].error_rate, 0.1);
    }
    assert_eq!(t.model().lane_metrics().len(), lanes);
    let row = t.model().metrics();
    assert!(same_row(&row, &expected_row(t.model())));
    // The same actions at the same steps give the same model.
    let mut again: Timeline<BalancingModel, BalancingAction> =
        Timeline::new(BalancingModel::new(BalancingConfig::default()).unwrap());
    let log = t.actions().to_vec();
    let end = t.step();
    for (step, a) in log {
        again.fast_forward(step - again.step());
        again.act(a).unwrap();
    }
    again.fast_forward(end - again.step());
    assert!(same_row(&again.model().metrics(), &row));
    assert_eq!(again.model().lane_metrics(), t.model().lane_metrics());
}
