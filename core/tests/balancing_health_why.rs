//! Why health handling changed a server's standing: the recorded health decisions checked
//! against HAProxy's rise/fall, Envoy's consecutive_5xx and resilience4j's failure rate.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::balancing::{
    BalancerEvent, BalancingModel, BreakerConfig, BreakerState, HealthDecision, OutlierConfig,
    StrategyKind,
};
use scalelab_core::Model;

// ---------- set-ups ----------

mod balancing_setup;
use balancing_setup::{config, model, servers};

fn names(m: &BalancingModel) -> Vec<String> {
    m.lane(0).unwrap().server_names()
}

fn run_until_event(m: &mut BalancingModel, pred: impl Fn(&BalancerEvent) -> bool) -> BalancerEvent {
    let mut out = Vec::new();
    for _ in 0..2_000_000 {
        out.clear();
        m.step_into(&mut out);
        if let Some(e) = out.iter().find(|e| pred(&e.event)) {
            return e.event.clone();
        }
    }
    panic!("no such event");
}

#[test]
fn health_checks_say_how_many_probes_failed() {
    let mut base = config(
        StrategyKind::RoundRobin,
        servers(&[1; 3], &["web-1", "web-2", "web-3"]),
        100.0,
        1_000.0,
    );
    base.active_health = Some(Default::default());
    let mut m = model(base, &[StrategyKind::RoundRobin]);
    m.kill_server(1).unwrap();
    let e = run_until_event(&mut m, |e| matches!(e, BalancerEvent::HealthChanged { .. }));
    let d = *m.last_health_decision(0).unwrap();
    assert_eq!(d.at(), e.at());
    assert_eq!(
        d,
        HealthDecision::Probes {
            at: e.at(),
            server: 1,
            up: false,
            in_a_row: 3,
            threshold: 3
        }
    );
    assert_eq!(
        d.why(&names(&m)).to_string(),
        "health checks marked web-2 DOWN: 3 probes failed in a row (fall = 3)"
    );
}

#[test]
fn outlier_detection_and_the_breaker_quote_their_thresholds() {
    let mut base = config(
        StrategyKind::RoundRobin,
        servers(&[1; 3], &["web-1", "web-2", "web-3"]),
        500.0,
        1_000.0,
    );
    base.outlier_detection = Some(OutlierConfig::default());
    let mut m = model(base.clone(), &[StrategyKind::RoundRobin]);
    m.set_error_rate(2, 1.0).unwrap();
    let e = run_until_event(&mut m, |e| matches!(e, BalancerEvent::Ejected { .. }));
    let d = *m.last_health_decision(0).unwrap();
    assert!(matches!(
        d,
        HealthDecision::Ejection {
            server: 2,
            failures: 5,
            threshold: 5,
            times: 1,
            ..
        }
    ));
    assert_eq!(d.at(), e.at());
    assert_eq!(
        d.why(&names(&m)).to_string(),
        "outlier detection ejected web-3 for 30.000s: 5 consecutive failures \
         (consecutive_5xx = 5), ejection 1"
    );

    base.outlier_detection = None;
    base.circuit_breaker = Some(BreakerConfig {
        window_size: 20,
        minimum_calls: 20,
        ..BreakerConfig::default()
    });
    let mut m = model(base, &[StrategyKind::RoundRobin]);
    m.set_error_rate(0, 0.6).unwrap();
    run_until_event(&mut m, |e| {
        matches!(
            e,
            BalancerEvent::BreakerChanged {
                to: BreakerState::Open,
                ..
            }
        )
    });
    let d = *m.last_health_decision(0).unwrap();
    let HealthDecision::BreakerRate {
        failures,
        calls,
        from: BreakerState::Closed,
        ..
    } = d
    else {
        panic!("{d:?}");
    };
    assert_eq!(calls, 20);
    assert!(failures * 100 >= 50 * calls, "{failures} of {calls}");
    let rate = d.failure_rate().unwrap();
    let text = d.why(&names(&m)).to_string();
    assert!(
        text.starts_with("web-1's circuit breaker opened: failure rate ")
            && text.ends_with(&format!("% ≥ 50 % over 20 calls ({failures} failed)")),
        "{text} ({rate})"
    );
    let e = run_until_event(&mut m, |e| {
        matches!(e, BalancerEvent::BreakerChanged { .. })
    });
    assert!(matches!(
        e,
        BalancerEvent::BreakerChanged {
            to: BreakerState::HalfOpen,
            ..
        }
    ));
    assert_eq!(
        m.last_health_decision(0)
            .unwrap()
            .why(&names(&m))
            .to_string(),
        "web-1's circuit breaker went HALF_OPEN: its 60.000s OPEN wait ended, so 10 trial calls \
         may pass"
    );
}
