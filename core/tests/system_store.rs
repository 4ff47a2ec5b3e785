//! The system scene's store keeps every acknowledged write across a shard's failure and
//! recovery, and the presets tell the story their explainers (the page's explainers file)
//! promise.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod system_setup;

use proptest::prelude::*;
use scalelab_core::readouts::{Reading, Readouts};
use scalelab_core::sim::SimDuration;
use scalelab_core::system::{
    preset, presets, Answer, KeySpace, SystemAction, SystemConfig, SystemEvent, SystemModel,
};
use scalelab_core::timeline::Action;
use std::collections::BTreeMap;
use system_setup::run_until;

/// Acknowledged writes per key among `events`.
fn writes(events: &[SystemEvent], into: &mut BTreeMap<u64, u64>) {
    for e in events {
        if let SystemEvent::Answered {
            key,
            answer: Answer::Write,
            ..
        } = e
        {
            *into.entry(*key).or_default() += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Every write acknowledged before, during and after a shard's downtime is readable from
    /// the store once the shard is back; while it is down its keys read nothing, and the
    /// other shards' keys still read.
    #[test]
    fn no_key_lost_across_a_shard_failure(seed in any::<u64>(), shard in 0u32..8, down_s in 1u64..10) {
        let config = SystemConfig {
            seed,
            keys: KeySpace { count: 500, write_share: 0.5, ..KeySpace::default() },
            ..SystemConfig::default()
        };
        let mut m = SystemModel::new(config).unwrap();
        let mut acked = BTreeMap::new();
        writes(&run_until(&mut m, 5.0), &mut acked);
        prop_assert!(acked.keys().any(|&k| m.shard_of(k) == Some(shard)));
        SystemAction::ShardDown { shard, duration: SimDuration::from_secs(down_s) }
            .apply(&mut m)
            .unwrap();
        writes(&run_until(&mut m, 5.0 + down_s as f64 / 2.0), &mut acked);
        for &key in acked.keys() {
            let on_down = m.shard_of(key) == Some(shard);
            prop_assert_eq!(m.read_from_store(key).is_none(), on_down);
        }
        writes(&run_until(&mut m, 6.0 + down_s as f64), &mut acked);
        for (&key, &n) in &acked {
            let version = m.read_from_store(key);
            prop_assert!(version.is_some_and(|v| v >= n), "key {} acked {} times reads {:?}", key, n, version);
        }
    }
}

fn number(m: &SystemModel, readout: &str) -> f64 {
    match m.reading(readout).unwrap() {
        Reading::Number(v) => v,
        other => panic!("{readout}: {other:?}"),
    }
}

/// Each preset: run to its trigger, pull it, and read what its explainer points at.
#[test]
fn each_preset_shows_what_its_explainer_says() {
    let all = presets();
    let names: Vec<&str> = all.iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        [
            "thundering-herd",
            "hot-shard",
            "slow-replica",
            "slow-autoscaler"
        ]
    );
    for preset in all {
        let mut m = SystemModel::new(preset.config.clone()).unwrap();
        let (at, trigger) = preset.trigger.clone().unwrap();
        run_until(&mut m, at.as_secs_f64());
        let before: Vec<f64> = m.shard_rates();
        let dropped = m.stats().dropped;
        trigger.apply(&mut m).unwrap();
        let during = run_until(&mut m, at.as_secs_f64() + 3.0);
        let figures = match preset.name {
            "thundering-herd" => {
                let total = |r: &[f64]| r.iter().sum::<f64>().round();
                (total(&before), total(&m.shard_rates()))
            }
            "hot-shard" => {
                let busiest = number(&m, "busiest_shard") as usize;
                (before[busiest].round(), m.shard_rates()[busiest].round())
            }
            "slow-replica" => {
                let tail = during
                    .iter()
                    .filter_map(|e| match e {
                        SystemEvent::Answered {
                            shard: Some(3),
                            answer: Answer::Shard,
                            hops,
                            ..
                        } => Some(hops.shard),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
                (number(&m, "recent_hop_p99_ms:shard"), tail as f64 / 1_000.0)
            }
            _ => {
                run_until(&mut m, at.as_secs_f64() + 60.0);
                (
                    (m.stats().dropped - dropped) as f64,
                    f64::from(m.instance_count()),
                )
            }
        };
        let pinned = match preset.name {
            // The shards' load (reads and writes per second, all shards) nearly doubles.
            "thundering-herd" => (407.0, 807.0),
            // The hot key's shard serves twice what it did.
            "hot-shard" => (24.0, 47.0),
            // The shard hop's recent p99 (ms), and the slowest read from shard 3 (ms).
            "slow-replica" => (20.0, 57.874),
            // Requests dropped in the minute after the spike, and the instances by then.
            _ => (10831.0, 5.0),
        };
        assert_eq!(figures, pinned, "{}", preset.name);
    }
}

/// A shard's load is the work it is asked for against what it can serve: in the thundering
/// herd every shard is below capacity before the flush and the busiest passes it after; in the
/// slow replica the slowed shard is the most loaded while it serves fewer requests than
/// another.
#[test]
fn a_shards_load_is_its_work_against_its_capacity() {
    let loads =
        |m: &SystemModel| -> Vec<f64> { (0..8).map(|s| m.shard_load(s).unwrap()).collect() };
    let herd = preset("thundering-herd").unwrap();
    let mut m = SystemModel::new(herd.scheduled()).unwrap();
    run_until(&mut m, 39.5);
    assert!(
        loads(&m).iter().all(|&l| l > 0.0 && l < 1.0),
        "{:?}",
        loads(&m)
    );
    run_until(&mut m, 43.0);
    assert!(loads(&m).iter().any(|&l| l > 1.0), "{:?}", loads(&m));
    assert_eq!(m.shard_load(8), None);

    let slow = preset("slow-replica").unwrap();
    let mut m = SystemModel::new(slow.scheduled()).unwrap();
    run_until(&mut m, 25.0);
    let (load, rate) = (loads(&m), m.shard_rates());
    let most_loaded = (0..8).max_by(|&a, &b| load[a].total_cmp(&load[b])).unwrap();
    assert_eq!(most_loaded, 3, "{load:?}");
    assert!(rate.iter().any(|&r| r > rate[3]), "{rate:?}");
}

/// The readouts a lesson would ask about, by name, on the default day at 30 s.
#[test]
fn readouts_answer_by_name() {
    let mut m = SystemModel::new(SystemConfig::default()).unwrap();
    run_until(&mut m, 30.0);
    let text = |r: &str| m.reading(r).unwrap().to_text();
    let read: Vec<String> = [
        "p99_ms",
        "hop_p99_ms:shard",
        "hop_p99_ms:app",
        "shard_share_pct:0",
        "shard_load:0",
        "answered_by:l1",
        "instances",
        "dropped",
        "autoscale_decision",
        "l2_state",
        "busiest_shard",
        "slowest_hop",
        "top_answer",
    ]
    .iter()
    .map(|r| text(r))
    .collect();
    assert_eq!(
        read,
        [
            "25.6", "3.456", "22.528", "10.783", "8", "2824", "3", "0", "hold", "up", "0", "app",
            "l1"
        ]
    );
    assert_eq!(
        m.reading("hop_p99_ms:disk").unwrap_err().to_string(),
        "the readout \"hop_p99_ms\" has no subject \"disk\"; it has: balancer, app, l1, l2, shard"
    );
    assert_eq!(
        m.reading("shard_load").unwrap_err().to_string(),
        "the readout \"shard_load\" needs a subject after a colon (name:subject)"
    );
}
