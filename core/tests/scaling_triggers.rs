//! The threshold rule's trigger metrics: CPU, memory, the error rate, or any of them as the
//! guide combines them (any one above its line scales out, all below scale in). Each fires on
//! a fixed seed with the decision naming the metric, its value and its line.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::scaling::*;
use scalelab_core::sim::{ArrivalProcess, SimDuration};
use scalelab_core::Model;

fn service(trigger: TriggerMetrics) -> Service {
    let mut cfg = ServiceConfig::default();
    cfg.threshold.trigger = trigger;
    cfg.load = ArrivalProcess::Spike {
        base: 600.0,
        peak: 3_000.0,
        period: SimDuration::from_secs(600),
        spike_len: SimDuration::from_secs(180),
    };
    Service::new(cfg).unwrap()
}

/// Every decision that changed the count in `ticks`, as (tick, trigger, why).
fn changes(sim: &mut Service, ticks: u64) -> Vec<(u64, Trigger, String)> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for _ in 0..ticks {
        out.clear();
        sim.step_into(&mut out);
        if let Some(d) = sim
            .last_decision()
            .filter(|d| d.at == sim.now() && d.current != d.desired)
        {
            let DecisionBasis::Threshold(why) = &d.basis else {
                panic!()
            };
            seen.push((d.tick, why.trigger.unwrap(), d.to_string()));
        }
    }
    seen
}

fn first(trigger: TriggerMetrics) -> (u64, Trigger, String) {
    changes(&mut service(trigger), 700)
        .into_iter()
        .next()
        .unwrap()
}

#[test]
fn cpu_fires_as_the_spike_lands() {
    let (tick, t, why) = first(TriggerMetrics::Cpu);
    assert_eq!(
        (tick, t.reason, t.metric, t.value, t.threshold),
        (601, Reason::CpuHigh, Metric::Cpu, 100.0, 70.0)
    );
    assert_eq!(why, "threshold: CPU 100 % > 70 % → add 1 (cooldown over)");
}

/// Memory follows the requests in flight: it passes its line a tick after CPU does, once the
/// queues have filled.
#[test]
fn memory_fires_once_the_queues_fill() {
    let (tick, t, why) = first(TriggerMetrics::Memory);
    assert_eq!(
        (tick, t.reason, t.metric, t.threshold),
        (602, Reason::MemoryHigh, Metric::Memory, 70.0)
    );
    assert!((t.value - 70.5).abs() < 0.05, "{}", t.value);
    assert_eq!(
        why,
        "threshold: memory 70.5 % > 70 % → add 1 (cooldown over)"
    );
}

/// The error rate only rises once requests are already being dropped, and it falls to 0 the
/// moment there is room again, so the rule scales in as soon as the spike ends.
#[test]
fn the_error_rate_fires_only_once_requests_are_dropped() {
    let seen = changes(&mut service(TriggerMetrics::ErrorRate), 800);
    let (tick, t, why) = &seen[0];
    assert_eq!(
        (*tick, t.reason, t.metric, t.threshold),
        (602, Reason::ErrorsHigh, Metric::ErrorRate, 5.0)
    );
    assert_eq!(
        why,
        "threshold: error rate 66.7 % > 5 % → add 1 (cooldown over)"
    );
    let (tick, t, why) = &seen[3];
    assert_eq!((*tick, t.reason, t.value), (782, Reason::AllLow, 0.0));
    assert_eq!(
        why,
        "threshold: error rate 0 % < 1 % → remove 1 (cooldown over)"
    );
}

/// The guide's combination over its `Metrics`: any one of CPU, memory and error rate above its
/// line scales out; scale-in needs all three below theirs.
#[test]
fn any_fires_on_whichever_reading_passes_its_line() {
    let lines = ThresholdConfig {
        trigger: TriggerMetrics::Any,
        ..ThresholdConfig::default()
    };
    let obs = |cpu, memory_pct, error_pct| Observation {
        cpu_pct: cpu,
        memory_pct,
        rate_rps: 10_000.0,
        capacity_rps: 1_000.0,
        error_pct,
    };
    let fired = |o: Observation| match lines.wish(&o) {
        ThresholdVerdict::Up(t) => Some((t.metric, t.value, t.threshold)),
        _ => None,
    };
    assert_eq!(
        fired(obs(50.0, 50.0, 10.0)),
        Some((Metric::ErrorRate, 10.0, 5.0))
    );
    assert_eq!(
        fired(obs(50.0, 75.0, 0.0)),
        Some((Metric::Memory, 75.0, 70.0))
    );
    assert_eq!(
        fired(obs(80.0, 75.0, 10.0)),
        Some((Metric::Cpu, 80.0, 70.0))
    );
    // The request rate is not one of them: far above capacity, it fires nothing here.
    assert_eq!(fired(obs(50.0, 50.0, 0.0)), None);
    assert!(matches!(
        lines.wish(&obs(10.0, 10.0, 0.5)),
        ThresholdVerdict::Down(_)
    ));
    assert_eq!(lines.wish(&obs(10.0, 10.0, 2.0)), ThresholdVerdict::Hold);
    // The guide's default set reads the rate, and no error rate.
    let guide = ThresholdConfig::default();
    assert!(
        matches!(guide.wish(&obs(50.0, 50.0, 90.0)), ThresholdVerdict::Up(t) if t.metric == Metric::RequestRate)
    );
}

#[test]
fn the_default_trigger_is_the_guides_rule() {
    let (tick, t, _) = first(TriggerMetrics::Guide);
    assert_eq!((tick, t.metric), (601, Metric::Cpu));
    assert_eq!(ThresholdConfig::default().trigger, TriggerMetrics::Guide);
    let bad = ThresholdConfig {
        error_up_pct: 1.0,
        error_down_pct: 2.0,
        ..ThresholdConfig::default()
    };
    assert!(bad
        .validate()
        .unwrap_err()
        .to_string()
        .contains("error-rate"));
}
