//! The guide's health checker beside the reference checks: its verdict is a random draw
//! (unhealthy 10 % of the time), routing ignores it, and its probe times land in the
//! least-response-time window; rise/fall checks never flap on a healthy server.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::balancing::{
    ActiveHealthConfig, Balancer, BalancerConfig, BalancerEvent, HealthChecker, HealthDecision,
    Strategy, StrategyKind, GUIDE_PROBE_MICROS,
};
use scalelab_core::sim::{ArrivalProcess, SimDuration, SimTime};
use scalelab_core::Model;

/// The preset's four servers under `kind` at 200 requests per second, probed every 100 ms by
/// `checker` (`None`: no health checks).
fn balancer(kind: StrategyKind, checker: Option<HealthChecker>) -> Balancer {
    let mut c = BalancerConfig::default().with_strategy(kind);
    c.workload.arrivals = ArrivalProcess::Poisson { rate: 200.0 };
    c.active_health = checker.map(|checker| ActiveHealthConfig {
        interval: SimDuration::from_millis(100),
        checker,
        ..ActiveHealthConfig::default()
    });
    c.seed = 11;
    Balancer::new(c).unwrap()
}

/// Every event until simulated time `secs` (from the start, not from now).
fn run(b: &mut Balancer, secs: u64) -> Vec<BalancerEvent> {
    let mut out = Vec::new();
    b.run_until(
        SimTime::ZERO.after(SimDuration::from_millis(secs * 1_000)),
        u64::MAX,
        &mut out,
    );
    out
}

fn verdicts(events: &[BalancerEvent]) -> Vec<(u32, bool)> {
    events
        .iter()
        .filter_map(|e| match *e {
            BalancerEvent::GuideVerdict {
                server, healthy, ..
            } => Some((server, healthy)),
            _ => None,
        })
        .collect()
}

fn flaps(b: &Balancer) -> u64 {
    b.metrics()
        .servers
        .iter()
        .map(|s| s.counters.health_flaps)
        .sum()
}

/// 4 servers × 10 checks a second × 150 s = 6 000 checks: unhealthy 10 % ± 1.5 points
/// (3.5 standard deviations), and about 2 × 0.1 × 0.9 = 18 % of checks change the verdict.
#[test]
fn the_guide_marks_one_check_in_ten_unhealthy_and_flaps() {
    let mut b = balancer(StrategyKind::RoundRobin, Some(HealthChecker::Guide));
    let events = run(&mut b, 150);
    let v = verdicts(&events);
    assert_eq!(v.len(), 6_000);
    let unhealthy = v.iter().filter(|(_, h)| !h).count() as f64 / v.len() as f64;
    assert!(
        (unhealthy - 0.10).abs() < 0.015,
        "unhealthy share {unhealthy}"
    );
    let flap_share = flaps(&b) as f64 / v.len() as f64;
    assert!((flap_share - 0.18).abs() < 0.02, "flap share {flap_share}");
    // Flaps are exactly the changes of each server's printed verdict.
    let mut last = [true; 4];
    let mut changes = 0;
    for (s, h) in &v {
        changes += u64::from(last[*s as usize] != *h);
        last[*s as usize] = *h;
    }
    assert_eq!(changes, flaps(&b));
}

/// The reference checks ask the server: on healthy servers no verdict ever changes.
#[test]
fn rise_fall_checks_never_flap_on_healthy_servers() {
    let mut b = balancer(StrategyKind::RoundRobin, Some(HealthChecker::RiseFall));
    let events = run(&mut b, 150);
    assert!(verdicts(&events).is_empty());
    assert_eq!(flaps(&b), 0);
    assert!(b.metrics().servers.iter().all(|s| s.healthy));
}

/// Routing never reads the printed verdict: round robin sends every request where it would
/// with no checks at all, and a crashed server keeps its share (every one refused) for good.
#[test]
fn routing_is_unchanged_by_the_guide_verdict() {
    let routed = |events: &[BalancerEvent]| -> Vec<(u64, u32)> {
        events
            .iter()
            .filter_map(|e| match *e {
                BalancerEvent::Routed {
                    request, server, ..
                } => Some((request, server)),
                _ => None,
            })
            .collect()
    };
    let mut guide = balancer(StrategyKind::RoundRobin, Some(HealthChecker::Guide));
    let mut none = balancer(StrategyKind::RoundRobin, None);
    guide.kill_server(1).unwrap();
    none.kill_server(1).unwrap();
    let (g, n) = (run(&mut guide, 60), run(&mut none, 60));
    assert!(
        verdicts(&g).iter().any(|(s, h)| *s == 1 && *h),
        "printed healthy while dead"
    );
    assert_eq!(routed(&g), routed(&n));
    let dead = &guide.metrics().servers[1];
    assert!(dead.healthy && !dead.running && dead.eligible);
    assert_eq!(dead.counters.refused, dead.counters.routed);
    assert!(dead.counters.refused > 2_500, "{}", dead.counters.refused);
}

/// Each guide check records 1 ms in the server's response-time window: a dead server's window
/// holds nothing else, so its mean reads 1 ms and least response time prefers it.
#[test]
fn probe_times_fill_the_response_time_window() {
    let mut b = balancer(StrategyKind::LeastResponseTime, Some(HealthChecker::Guide));
    run(&mut b, 5);
    b.kill_server(1).unwrap();
    run(&mut b, 60);
    let Some(Strategy::LeastResponseTime(lrt)) =
        b.strategies().get(StrategyKind::LeastResponseTime)
    else {
        panic!("least response time")
    };
    assert_eq!(lrt.mean_of(1), GUIDE_PROBE_MICROS);
    assert_eq!(lrt.samples_of(1), 100);
    let m = b.metrics();
    assert_eq!(m.servers[1].counters.probe_samples, 600);
    // A real answer only raises a live server's mean above the dead server's bare probe
    // times, and ties go to the first, so the dead server wins almost every pick (the live
    // ones, starved, hold mostly probe samples too).
    for live in [0, 2, 3] {
        assert!(
            lrt.mean_of(live) >= GUIDE_PROBE_MICROS,
            "{}",
            lrt.mean_of(live)
        );
    }
    let share = m.servers[1].counters.routed as f64 / m.totals.arrivals as f64;
    assert!(share > 0.8, "dead server's share {share}");
}

/// The why of a verdict is its draw.
#[test]
fn a_verdict_says_its_draw() {
    let mut b = balancer(StrategyKind::RoundRobin, Some(HealthChecker::Guide));
    let mut out = Vec::new();
    let e = loop {
        out.clear();
        b.step_into(&mut out);
        if let Some(e) = out
            .iter()
            .find(|e| matches!(e, BalancerEvent::GuideVerdict { healthy: false, .. }))
        {
            break e.clone();
        }
    };
    let BalancerEvent::GuideVerdict { server, draw, .. } = e else {
        panic!("a guide verdict")
    };
    assert!(draw < 0.10);
    let d = *b.last_health_decision().unwrap();
    assert_eq!(
        d,
        HealthDecision::GuideDraw {
            at: e.at(),
            server,
            healthy: false,
            draw
        }
    );
    let why = d.why(&b.server_names()).to_string();
    let hundredths = (draw * 100.0) as u32;
    assert_eq!(
        why,
        format!(
            "the guide's checker printed web-{} unhealthy (random: drew 0.{hundredths:02} < 0.10); \
             routing ignores it",
            server + 1
        )
    );
    assert_eq!(b.narrate(&e), format!("At {}, {why}.", e.at()));
}
