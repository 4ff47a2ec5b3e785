//! The HPA's replica calculator against Kubernetes' own cases: each test below is the
//! resource-metric (CPU) case of the same name in
//! `pkg/controller/podautoscaler/replica_calculator_test.go` (`TestReplicaCalc…`), with its
//! pods, readiness, usage (millicores), requests (1 core unless given), target and the
//! replica count and utilisation it expects, at the tests' tolerance of 0.1. Pods the
//! controller ignores (failed, pending, being deleted) are left out, as its `groupPods` does.

#![allow(
    clippy::panic,
    clippy::expect_used,
    reason = "a test: a panic is the failure it reports"
)]

use scalelab_core::scaling::{recommend, PodReading};

const TOLERANCE: f64 = 0.1;

/// A pod: ready or not, its usage (`None`: no metric) and its request.
fn pod(ready: bool, usage: Option<u64>, request: u64) -> PodReading {
    PodReading {
        ready,
        request_milli: request,
        usage_milli: usage,
    }
}

/// Ready pods with these usages, 1 core each.
fn ready(usages: &[Option<u64>]) -> Vec<PodReading> {
    usages.iter().map(|u| pod(true, *u, 1_000)).collect()
}

/// Checks one case: replicas and reported utilisation.
fn case(
    name: &str,
    current: u32,
    pods: &[PodReading],
    target: f64,
    replicas: u32,
    utilisation: u32,
) {
    let rec = recommend(current, pods, target, TOLERANCE)
        .unwrap_or_else(|| panic!("{name}: no recommendation"));
    assert_eq!(
        (rec.replicas, rec.utilisation),
        (replicas, utilisation),
        "{name}: {rec:?}"
    );
}

#[test]
fn scale_up() {
    case(
        "ScaleUp",
        3,
        &ready(&[Some(300), Some(500), Some(700)]),
        30.0,
        5,
        50,
    );
}

#[test]
fn scale_up_unready_less_scale() {
    let pods = [
        pod(false, Some(300), 1_000),
        pod(true, Some(500), 1_000),
        pod(true, Some(700), 1_000),
    ];
    case("ScaleUpUnreadyLessScale", 3, &pods, 30.0, 4, 60);
}

#[test]
fn scale_up_unready_no_scale() {
    let pods = [
        pod(true, Some(400), 1_000),
        pod(false, Some(500), 1_000),
        pod(false, Some(700), 1_000),
    ];
    case("ScaleUpUnreadyNoScale", 3, &pods, 30.0, 3, 40);
}

#[test]
fn scale_up_ignores_failed_pods() {
    // Two failed pods are ignored by the controller, so only the running two are passed.
    case(
        "ScaleUpIgnoresFailedPods",
        2,
        &ready(&[Some(500), Some(700)]),
        30.0,
        4,
        60,
    );
}

#[test]
fn scale_down() {
    let pods = ready(&[Some(100), Some(300), Some(500), Some(250), Some(250)]);
    case("ScaleDown", 5, &pods, 50.0, 3, 28);
}

#[test]
fn scale_down_include_unready_pods() {
    let mut pods = ready(&[Some(100), Some(300), Some(500)]);
    pods.extend([pod(false, Some(250), 1_000), pod(false, Some(250), 1_000)]);
    case("ScaleDownIncludeUnreadyPods", 5, &pods, 50.0, 2, 30);
}

#[test]
fn scale_down_exclude_unscheduled_pods() {
    // Four pending pods are ignored.
    case(
        "ScaleDownExcludeUnscheduledPods",
        5,
        &ready(&[Some(100)]),
        50.0,
        1,
        10,
    );
}

#[test]
fn tolerance() {
    let pods = [
        pod(true, Some(1_010), 900),
        pod(true, Some(1_030), 1_000),
        pod(true, Some(1_020), 1_100),
    ];
    case("Tolerance", 3, &pods, 100.0, 3, 102);
}

#[test]
fn missing_metrics() {
    case(
        "MissingMetrics",
        4,
        &ready(&[Some(400), Some(95), None, None]),
        100.0,
        3,
        24,
    );
}

#[test]
fn missing_metrics_no_change_eq() {
    case(
        "MissingMetricsNoChangeEq",
        2,
        &ready(&[Some(1_000), None]),
        100.0,
        2,
        100,
    );
}

#[test]
fn missing_metrics_no_change_gt() {
    case(
        "MissingMetricsNoChangeGt",
        2,
        &ready(&[Some(1_900), None]),
        100.0,
        2,
        190,
    );
}

#[test]
fn missing_metrics_no_change_lt() {
    case(
        "MissingMetricsNoChangeLt",
        2,
        &ready(&[Some(600), None]),
        100.0,
        2,
        60,
    );
}

#[test]
fn missing_metrics_unready_change() {
    let pods = [
        pod(false, Some(100), 1_000),
        pod(true, Some(450), 1_000),
        pod(true, None, 1_000),
    ];
    case("MissingMetricsUnreadyChange", 3, &pods, 50.0, 3, 45);
}

#[test]
fn missing_metrics_unready_scale_up() {
    let pods = [
        pod(false, Some(100), 1_000),
        pod(true, Some(2_000), 1_000),
        pod(true, None, 1_000),
    ];
    case("MissingMetricsUnreadyScaleUp", 3, &pods, 50.0, 4, 200);
}

#[test]
fn missing_metrics_unready_scale_down() {
    let pods = [
        pod(false, Some(100), 1_000),
        pod(true, Some(100), 1_000),
        pod(true, Some(100), 1_000),
        pod(true, None, 1_000),
    ];
    case("MissingMetricsUnreadyScaleDown", 4, &pods, 50.0, 3, 10);
}

#[test]
fn during_rolling_update_with_max_surge() {
    case(
        "DuringRollingUpdateWithMaxSurge",
        2,
        &ready(&[Some(100), Some(100), None]),
        50.0,
        2,
        10,
    );
}

#[test]
fn no_ready_pod_with_a_metric_recommends_nothing() {
    assert_eq!(
        recommend(
            3,
            &[pod(false, Some(500), 1_000), pod(true, None, 1_000)],
            50.0,
            TOLERANCE
        ),
        None
    );
    assert_eq!(recommend(3, &[], 50.0, TOLERANCE), None);
}

#[test]
fn a_booting_fleet_is_left_to_boot() {
    // 4 ready at 80 % of a 50 % target, 4 more booting (asked for by the last reconcile). The
    // ready pods alone say scale up (1.6); counted at 0 %, the booting ones bring the fleet to
    // 40 % (0.8), the other way: the controller keeps 8 and lets them boot, rather than
    // reading the ready pods alone (ceil(4 × 1.6) = 7, one fewer than it has just started).
    let rec = recommend(8, &PodReading::fleet(4, 4, 80.0), 50.0, TOLERANCE).expect("measured");
    assert_eq!((rec.ratio, rec.adjusted_ratio), (1.6, Some(0.8)));
    assert!(rec.direction_flipped, "{rec:?}");
    assert_eq!(rec.replicas, 8);
    // Within reach of the target once the booting pods count: no change either.
    let rec = recommend(8, &PodReading::fleet(4, 4, 90.0), 50.0, TOLERANCE).expect("measured");
    assert!(rec.within_tolerance && rec.replicas == 8, "{rec:?}");
}
