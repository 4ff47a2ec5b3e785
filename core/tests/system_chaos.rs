//! Each chaos switch of the system scene, on the default day (seed 42): its visible effect
//! while it is on, and the recovery after it. Figures are pinned so a change in the model's
//! behaviour shows here.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod system_setup;

use scalelab_core::readouts::{Reading, Readouts};
use scalelab_core::sim::{SimDuration, SimTime};
use scalelab_core::system::{
    Answer, FailReason, SystemAction, SystemConfig, SystemEvent, SystemModel,
};
use scalelab_core::timeline::Action;
use scalelab_core::Model;
use system_setup::{run_until, shard_counts, store_reads};

fn model(config: SystemConfig) -> SystemModel {
    SystemModel::new(config).unwrap()
}

fn secs(s: u64) -> SimDuration {
    SimDuration::from_secs(s)
}

#[test]
fn flushing_the_l2_sends_a_wave_of_reads_to_the_shards_that_ebbs_as_it_refills() {
    let mut m = model(SystemConfig::default());
    run_until(&mut m, 55.0);
    let before = store_reads(&run_until(&mut m, 60.0));
    SystemAction::FlushL2.apply(&mut m).unwrap();
    let events = run_until(&mut m, 65.0);
    assert!(matches!(
        events[0],
        SystemEvent::ChaosStarted {
            chaos: SystemAction::FlushL2,
            ..
        }
    ));
    let wave = store_reads(&events);
    run_until(&mut m, 115.0);
    let after = store_reads(&run_until(&mut m, 120.0));
    assert_eq!((before, wave, after), (179, 467, 214));
    assert!(wave > 2 * before && after < wave / 2);
}

#[test]
fn a_crashed_l2_is_skipped_until_it_returns_empty() {
    let mut m = model(SystemConfig::default());
    run_until(&mut m, 30.0);
    let before = store_reads(&run_until(&mut m, 35.0));
    let lookups = m.stats().l2_lookups;
    SystemAction::CrashL2 { duration: secs(10) }
        .apply(&mut m)
        .unwrap();
    let during = run_until(&mut m, 40.0);
    assert_eq!(m.reading("l2_state").unwrap(), Reading::Text("down".into()));
    assert_eq!(m.l2_entries(), 0);
    let lookups_during = m.stats().l2_lookups;
    let wave = store_reads(&during);
    let ended = run_until(&mut m, 46.0);
    assert!(ended.iter().any(|e| matches!(
        e,
        SystemEvent::ChaosEnded {
            chaos: SystemAction::CrashL2 { .. },
            ..
        }
    )));
    assert_eq!(m.reading("l2_state").unwrap(), Reading::Text("up".into()));
    run_until(&mut m, 80.0);
    let after = store_reads(&run_until(&mut m, 85.0));
    assert_eq!((before, wave, after), (219, 432, 238));
    assert_eq!(lookups_during, lookups, "no read looks in a crashed L2");
    assert!(m.l2_entries() > 0, "it refills once back");
}

#[test]
fn killing_an_instance_fails_what_it_held_and_the_autoscaler_replaces_it() {
    let mut config = SystemConfig::default();
    config.app.min = 3;
    let boot = config.app.boot;
    let mut m = model(config);
    run_until(&mut m, 10.0);
    // Slowed first, instance 1 holds a queue when it is killed.
    SystemAction::SlowInstance {
        instance: 1,
        factor: 20,
        duration: secs(60),
    }
    .apply(&mut m)
    .unwrap();
    run_until(&mut m, 12.0);
    let held = m.instances()[1].in_flight;
    SystemAction::KillInstance { instance: 1 }
        .apply(&mut m)
        .unwrap();
    assert_eq!(m.instance_count(), 2);
    let events = run_until(&mut m, 40.0);
    let killed = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                SystemEvent::Failed {
                    reason: FailReason::InstanceKilled,
                    ..
                }
            )
        })
        .count();
    let booting = events.iter().find_map(|e| match e {
        SystemEvent::InstanceBooting {
            at,
            instance,
            ready_at,
        } => Some((*at, *instance, *ready_at)),
        _ => None,
    });
    let ready = events.iter().find_map(|e| match e {
        SystemEvent::InstanceReady { at, instance } => Some((*at, *instance)),
        _ => None,
    });
    let (at, id, ready_at) = booting.unwrap();
    assert_eq!(ready_at, at.after(boot));
    assert_eq!(ready, Some((ready_at, id)));
    assert_eq!(id, 3, "ids are never reused");
    assert_eq!(m.ready_instances(), 3);
    assert_eq!(killed as u32, held);
    assert_eq!(held, 1);
}

#[test]
fn a_slow_instance_is_slow_only_for_what_it_serves() {
    let mut m = model(SystemConfig::default());
    run_until(&mut m, 10.0);
    SystemAction::SlowInstance {
        instance: 2,
        factor: 10,
        duration: secs(10),
    }
    .apply(&mut m)
    .unwrap();
    let during = run_until(&mut m, 20.0);
    let after = run_until(&mut m, 30.0);
    let app_mean = |events: &[SystemEvent], slow: bool| {
        let times: Vec<u64> = events
            .iter()
            .filter_map(|e| match e {
                SystemEvent::Answered { instance, hops, .. } if (*instance == 2) == slow => {
                    Some(hops.app)
                }
                _ => None,
            })
            .collect();
        (
            times.iter().sum::<u64>() / times.len().max(1) as u64,
            times.len(),
        )
    };
    let (slow, slow_n) = app_mean(&during, true);
    let (others, others_n) = app_mean(&during, false);
    let (healed, _) = app_mean(&after, true);
    assert_eq!((slow, others, healed), (47357, 4972, 5136));
    assert!(
        slow_n * 5 < others_n,
        "the balancer sends the slow instance less"
    );
}

#[test]
fn a_hot_key_raises_its_shards_share_of_the_store_load() {
    let mut m = model(SystemConfig::default());
    run_until(&mut m, 10.0);
    let hot = 7;
    let shard = m.shard_of(hot).unwrap() as usize;
    let before = shard_counts(&run_until(&mut m, 30.0), 8);
    SystemAction::HotKey {
        key: hot,
        share: 0.3,
        duration: secs(20),
    }
    .apply(&mut m)
    .unwrap();
    let during = shard_counts(&run_until(&mut m, 50.0), 8);
    let after = shard_counts(&run_until(&mut m, 70.0), 8);
    let share = |c: &[u64]| 100 * c[shard] / c.iter().sum::<u64>();
    assert_eq!(
        (share(&before), share(&during), share(&after)),
        (12, 20, 15)
    );
}

#[test]
fn a_shard_down_fails_its_keys_until_it_returns() {
    let mut m = model(SystemConfig::default());
    run_until(&mut m, 10.0);
    SystemAction::ShardDown {
        shard: 5,
        duration: secs(5),
    }
    .apply(&mut m)
    .unwrap();
    let during = run_until(&mut m, 15.0);
    let after = run_until(&mut m, 25.0);
    let failed = |events: &[SystemEvent]| {
        events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    SystemEvent::Failed {
                        reason: FailReason::ShardDown,
                        ..
                    }
                )
            })
            .count()
    };
    let served = |events: &[SystemEvent]| shard_counts(events, 8)[5];
    assert_eq!(
        (failed(&during), failed(&after), served(&during)),
        (50, 0, 0)
    );
    assert_eq!(served(&after), 89);
}

#[test]
fn a_slow_shard_sets_the_tail_while_the_median_holds() {
    let mut m = model(SystemConfig::default());
    run_until(&mut m, 20.0);
    let p = |m: &SystemModel, q: &str| match m.reading(q).unwrap() {
        Reading::Number(v) => v,
        other => panic!("{other:?}"),
    };
    let shard_before = p(&m, "recent_hop_p99_ms:shard");
    SystemAction::SlowShard {
        shard: 3,
        factor: 20,
        duration: secs(20),
    }
    .apply(&mut m)
    .unwrap();
    let during = run_until(&mut m, 40.0);
    let slow_shard: Vec<u64> = during
        .iter()
        .filter_map(|e| match e {
            SystemEvent::Answered {
                shard: Some(3),
                hops,
                answer: Answer::Shard | Answer::Write,
                ..
            } => Some(hops.shard),
            _ => None,
        })
        .collect();
    let mean_slow = slow_shard.iter().sum::<u64>() / slow_shard.len() as u64;
    run_until(&mut m, 60.0);
    let p99_run = p(&m, "hop_p99_ms:shard");
    assert_eq!((shard_before, mean_slow, p99_run), (2.0, 46461, 38.912));
}

#[test]
fn a_spike_scales_the_app_tier_out_after_cooldown_and_boot() {
    let mut m = model(SystemConfig::default());
    run_until(&mut m, 20.0);
    assert_eq!(m.instance_count(), 3);
    SystemAction::Spike {
        multiplier: 4.0,
        duration: secs(120),
    }
    .apply(&mut m)
    .unwrap();
    let events = run_until(&mut m, 100.0);
    let booted: Vec<(SimTime, u32, SimTime)> = events
        .iter()
        .filter_map(|e| match e {
            SystemEvent::InstanceBooting {
                at,
                instance,
                ready_at,
            } => Some((*at, *instance, *ready_at)),
            _ => None,
        })
        .collect();
    let held = events
        .iter()
        .filter(|e| matches!(e, SystemEvent::Autoscale { why, .. } if why.cooldown_until.is_some()))
        .count();
    let cooldown = m.config().app.threshold.cooldown;
    for pair in booted.windows(2) {
        assert!(
            pair[1].0 >= pair[0].0.after(cooldown),
            "one instance per cooldown"
        );
    }
    let at: Vec<u64> = booted.iter().map(|b| b.0 .0 / 1_000_000).collect();
    assert_eq!(at, [21, 36, 51, 66]);
    assert_eq!((held, m.instance_count(), m.stats().dropped), (45, 7, 3559));
}

#[test]
fn a_stampede_without_coalescing_reads_the_store_once_per_request() {
    let stampede = |coalescing: bool| {
        // An expensive query: each store read takes 50 ms, so many requests miss while the
        // first read of the key is still running.
        let mut config = SystemConfig {
            coalescing,
            ..SystemConfig::default()
        };
        config.store.service = SimDuration::from_millis(50);
        let mut m = model(config);
        run_until(&mut m, 10.0);
        SystemAction::Stampede {
            key: 0,
            requests: 200,
        }
        .apply(&mut m)
        .unwrap();
        let events = run_until(&mut m, 12.0);
        let count = |answer: Answer| {
            events
                .iter()
                .filter(|e| matches!(e, SystemEvent::Answered { key: 0, answer: a, .. } if *a == answer))
                .count()
        };
        (count(Answer::Shard), count(Answer::Coalesced))
    };
    let without = stampede(false);
    let with = stampede(true);
    assert_eq!((without, with), ((21, 0), (1, 60)));
}

/// A preset's trigger, scheduled in its config, is pulled by the model itself at exactly its
/// time, once; a scheduled switch the model refuses when its time comes changes nothing.
#[test]
fn a_scheduled_switch_is_pulled_at_its_time() {
    use scalelab_core::system::{presets, ScheduledChaos};
    for preset in presets() {
        let (at, trigger) = preset.trigger.clone().unwrap();
        let mut m = model(preset.scheduled());
        let events = run_until(&mut m, at.as_secs_f64() + 1.0);
        let started: Vec<SimTime> = events
            .iter()
            .filter_map(|e| match e {
                SystemEvent::ChaosStarted { at, chaos } if *chaos == trigger => Some(*at),
                _ => None,
            })
            .collect();
        assert_eq!(started, [at], "{}", preset.name);
    }
    // Instance 0 is killed by hand first; the scheduled kill of it is refused and changes
    // nothing: the run equals one without it.
    let kill = SystemAction::KillInstance { instance: 0 };
    let mut config = SystemConfig::default();
    config.schedule.push(ScheduledChaos {
        at: SimTime(2_000_000),
        action: kill.clone(),
    });
    let mut a = model(config);
    let mut b = model(SystemConfig::default());
    run_until(&mut a, 1.0);
    run_until(&mut b, 1.0);
    kill.apply(&mut a).unwrap();
    kill.apply(&mut b).unwrap();
    let ea = run_until(&mut a, 4.0);
    let eb = run_until(&mut b, 4.0);
    assert_eq!(ea, eb);
    // Too many switches, or one past the longest time, are named.
    let config = SystemConfig {
        schedule: vec![
            ScheduledChaos {
                at: SimTime(1),
                action: SystemAction::FlushL2,
            };
            17
        ],
        ..SystemConfig::default()
    };
    let e = SystemModel::new(config).unwrap_err().to_string();
    assert!(e.contains("scheduled chaos switches"), "{e}");
}

#[test]
fn a_stampedes_requests_take_ids_from_the_clients_counter() {
    // The browser bench counts requests as the highest id an export holds: injected requests
    // must not jump to the top of the id space.
    let mut m = model(SystemConfig::default());
    let mut events = run_until(&mut m, 5.0);
    let start = m.now();
    SystemAction::Stampede {
        key: 3,
        requests: 50,
    }
    .apply(&mut m)
    .unwrap();
    events.extend(run_until(&mut m, 7.0));
    let mut ids: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            SystemEvent::Routed { request, .. } | SystemEvent::Dropped { request, .. } => {
                Some(*request)
            }
            _ => None,
        })
        .collect();
    let routed_or_dropped = ids.len() as u64;
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, routed_or_dropped, "ids are unique");
    assert_eq!(routed_or_dropped, m.stats().arrived);
    // One id beyond those arrived is held by the client request drawn ahead.
    assert!(*ids.last().unwrap() <= m.stats().arrived);
    let injected = events
        .iter()
        .filter(|e| matches!(e, SystemEvent::Routed { key: 3, at, .. } if *at == start))
        .count();
    assert!(
        injected >= 50,
        "the stampede's requests arrived ({injected})"
    );
}
