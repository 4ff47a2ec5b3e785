//! The hybrid mode: one machine doubled up to its ceiling, then machines of that size added.
//! It never grows a machine past the ceiling, and it adds machines only once the machine it
//! has cannot double; beside vertical and horizontal on one spiky trace, it pays less
//! downtime than the vertical lane and costs figures pinned here.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::scaling::*;
use scalelab_core::sim::{ArrivalProcess, SimDuration};
use scalelab_core::Model;

fn compare(ticks: u64) -> ScalingModel {
    let mut m =
        ScalingModel::new(ScalingConfig::Compare(ComparisonConfig::up_out_hybrid())).unwrap();
    let mut out = Vec::new();
    m.run_into(ticks, &mut out);
    m
}

/// (cost in core-seconds, dropped, downtime in seconds, cores now) of each lane.
fn figures(m: &ScalingModel) -> Vec<(String, u64, u64, u64, u32)> {
    m.lanes()
        .iter()
        .map(|l| {
            let s = l.service().stats();
            (
                l.label().to_string(),
                s.cost.core_seconds.round() as u64,
                s.dropped,
                l.downtime().as_secs_f64().round() as u64,
                s.cores,
            )
        })
        .collect()
}

fn row(
    label: &str,
    cost: u64,
    dropped: u64,
    down: u64,
    cores: u32,
) -> (String, u64, u64, u64, u32) {
    (label.to_string(), cost, dropped, down, cores)
}

/// Through the first spike (t = 600–780 s): the hybrid lane is down once (2 → 4 cores),
/// then adds 4-core machines that boot while the first one serves, so it drops the fewest
/// requests; the vertical lane restarts at every doubling.
#[test]
fn through_the_first_spike_hybrid_drops_the_fewest_and_is_down_once() {
    let m = compare(800);
    assert_eq!(
        figures(&m),
        [
            row("vertical", 3_034, 313_833, 109, 8),
            row("horizontal", 2_036, 221_601, 0, 6),
            row("hybrid", 2_794, 147_730, 30, 8),
        ]
    );
    let hybrid = m.lane(2).unwrap().service();
    assert_eq!(hybrid.machine().cores(), 4);
    assert_eq!(hybrid.fleet().active_count(), 2);
}

/// After the spike it scales in machine by machine, then halves the last one: one more
/// restart (60 s down in all), against 180 s for the vertical lane.
#[test]
fn after_the_spike_hybrid_shrinks_back_to_one_machine() {
    let m = compare(1_200);
    assert_eq!(
        figures(&m),
        [
            row("vertical", 4_202, 356_369, 180, 2),
            row("horizontal", 3_540, 221_601, 0, 3),
            row("hybrid", 3_962, 165_712, 60, 2),
        ]
    );
}

/// The hybrid decision says which phase it was in: up (a resize) below the ceiling, out (one
/// more machine) at it.
#[test]
fn the_decision_names_the_phase_and_the_ceiling() {
    let mut m =
        ScalingModel::new(ScalingConfig::Compare(ComparisonConfig::up_out_hybrid())).unwrap();
    let mut said = Vec::new();
    let mut out = Vec::new();
    for _ in 0..800 {
        out.clear();
        m.step_into(&mut out);
        if let Some(d) = m
            .last_decision(2)
            .filter(|d| d.at == m.now() && d.current != d.desired)
        {
            said.push(d.to_string());
        }
    }
    assert!(
        said.iter().any(|s| s.starts_with("hybrid: CPU ")
            && s.ends_with("→ scale up 2 → 4 cores, below the 4-core ceiling (cooldown over)")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|s| s.ends_with(
            "→ scale out 1 → 2 machines of 4 cores, at the 4-core ceiling (cooldown over)"
        )),
        "{said:?}"
    );
}

#[test]
fn a_ceiling_outside_the_machine_range_is_rejected() {
    let mut cfg = ServiceConfig::with_mode(ScalingMode::Hybrid);
    cfg.hybrid.ceiling_cores = 1;
    assert!(Service::new(cfg.clone()).is_err());
    cfg.hybrid.ceiling_cores = 64;
    let e = Service::new(cfg.clone()).unwrap_err();
    assert!(e.to_string().contains("hybrid ceiling"), "{e}");
    // Other modes ignore it.
    cfg.mode = ScalingMode::Vertical;
    Service::new(cfg).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// No machine ever passes the ceiling, and a second machine only ever exists (or is
    /// launched) when the machine cannot double any more.
    #[test]
    fn hybrid_grows_up_to_the_ceiling_then_out(
        seed in any::<u64>(),
        ceiling in 2u32..=32,
        max in 1u32..8,
        base in 50.0f64..2_000.0,
        peak in 500.0f64..20_000.0,
        cooldown in 0u64..90,
        warmup in 0u64..60,
        ticks in 100u64..900,
    ) {
        let mut cfg = ServiceConfig::with_mode(ScalingMode::Hybrid);
        cfg.seed = seed;
        cfg.hybrid.ceiling_cores = ceiling;
        cfg.min_replicas = 1;
        cfg.initial_instances = 1;
        cfg.max_replicas = max;
        cfg.threshold.cooldown = SimDuration::from_secs(cooldown);
        cfg.instance.warmup = SimDuration::from_secs(warmup);
        cfg.vertical.resize_downtime = SimDuration::from_secs(warmup);
        cfg.load = ArrivalProcess::Spike {
            base,
            peak,
            period: SimDuration::from_secs(300),
            spike_len: SimDuration::from_secs(120),
        };
        let mut sim = Service::new(cfg).unwrap();
        let mut out = Vec::new();
        for _ in 0..ticks {
            out.clear();
            sim.step_into(&mut out);
            let active: Vec<&Instance> = sim.instances().iter().filter(|i| i.is_active()).collect();
            for i in sim.instances() {
                prop_assert!(i.cores <= ceiling, "{} has {} cores", i.name, i.cores);
            }
            prop_assert!(active.len() as u32 <= max);
            if active.len() > 1 {
                prop_assert!(!sim.machine().can_scale_up());
                for i in &active {
                    prop_assert_eq!(i.cores, sim.machine().cores());
                }
            }
            for e in &out {
                match e {
                    ServiceEvent::InstanceLaunched { .. } => {
                        prop_assert!(!sim.machine().can_scale_up(), "launched below the ceiling");
                    }
                    ServiceEvent::Resized { to_cores, .. } => {
                        prop_assert!(*to_cores <= ceiling);
                        prop_assert_eq!(active.len(), 1, "resized with several machines");
                    }
                    _ => {}
                }
            }
        }
    }
}
