//! The scene's presets: a config that shows one way the patterns interact, with its name and
//! the switch that sets it off. What a student reads about each (what to watch and why) is the
//! page's explainers' text, beside the other choices' (`web/explain/explainers.en.json`).

use super::config::{AppTier, KeySpace, StoreTier, SystemConfig};
use super::SystemAction;
use crate::sim::{ArrivalProcess, SimDuration, SimTime};

/// A named starting point and the switch that starts its incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// Its name in links and the picker (`thundering-herd`).
    pub name: &'static str,
    /// Its title as a student reads it.
    pub title: &'static str,
    /// The config.
    pub config: SystemConfig,
    /// The chaos switch that sets the story off, and the simulated time to apply it at.
    pub trigger: Option<(SimTime, SystemAction)>,
}

impl Preset {
    /// The config with the trigger scheduled in it: the incident plays out by itself, at the
    /// same simulated moment in every run.
    pub fn scheduled(&self) -> SystemConfig {
        let mut config = self.config.clone();
        if let Some((at, action)) = &self.trigger {
            config.schedule.push(super::ScheduledChaos {
                at: *at,
                action: action.clone(),
            });
        }
        config
    }
}

/// Every preset, in the order a picker lists them.
pub fn presets() -> Vec<Preset> {
    vec![
        thundering_herd(),
        hot_shard(),
        slow_replica(),
        slow_autoscaler(),
    ]
}

/// The preset named `name`, if there is one.
pub fn preset(name: &str) -> Option<Preset> {
    presets().into_iter().find(|p| p.name == name)
}

/// A busy, warm cache is flushed: every instance misses at once and the shards, at about half
/// their capacity before, are asked for more than they can serve until the caches refill.
pub fn thundering_herd() -> Preset {
    Preset {
        name: "thundering-herd",
        title: "Thundering herd after a cache flush",
        config: SystemConfig {
            workload: crate::sim::WorkloadConfig {
                arrivals: ArrivalProcess::Poisson { rate: 3_000.0 },
                cost: crate::sim::CostDistribution::Exponential { mean: 1_000.0 },
                ..crate::sim::WorkloadConfig::default()
            },
            app: AppTier {
                initial: 6,
                ..AppTier::default()
            },
            store: StoreTier {
                service: SimDuration::from_millis(10),
                ..StoreTier::default()
            },
            ..SystemConfig::default()
        },
        // The caches start cold, and the first half-minute is a herd of its own; by 40 s
        // they are warm and the shards' queues have drained.
        trigger: Some((SimTime(40_000_000), SystemAction::FlushL2)),
    }
}

/// One viral key takes a third of the traffic and is written often: its shard's queue grows
/// while the others idle.
pub fn hot_shard() -> Preset {
    Preset {
        name: "hot-shard",
        title: "A hot shard",
        config: SystemConfig {
            keys: KeySpace {
                write_share: 0.2,
                ..KeySpace::default()
            },
            ..SystemConfig::default()
        },
        trigger: Some((
            SimTime(5_000_000),
            SystemAction::HotKey {
                key: 7,
                share: 0.33,
                duration: SimDuration::from_secs(30),
            },
        )),
    }
}

/// One shard is slowed tenfold: only the requests that reach it are slow, and they set p99.
pub fn slow_replica() -> Preset {
    Preset {
        name: "slow-replica",
        title: "A slow replica dragging p99",
        config: SystemConfig {
            workload: crate::sim::WorkloadConfig {
                arrivals: ArrivalProcess::Poisson { rate: 500.0 },
                cost: crate::sim::CostDistribution::Exponential { mean: 2_000.0 },
                ..crate::sim::WorkloadConfig::default()
            },
            ..SystemConfig::default()
        },
        trigger: Some((
            SimTime(5_000_000),
            SystemAction::SlowShard {
                shard: 3,
                factor: 10,
                duration: SimDuration::from_secs(60),
            },
        )),
    }
}

/// Traffic quadruples while new instances take a minute to boot: the queues fill and requests
/// drop long before help arrives.
pub fn slow_autoscaler() -> Preset {
    Preset {
        name: "slow-autoscaler",
        title: "An autoscaler too slow for a spike",
        config: SystemConfig {
            app: AppTier {
                boot: SimDuration::from_secs(60),
                threshold: crate::scaling::ThresholdConfig {
                    trigger: crate::scaling::TriggerMetrics::Cpu,
                    // The default tier's scale-in line: the quiet minutes before the spike
                    // (about a third of the CPU) keep all three instances.
                    down_pct: 20.0,
                    cooldown: SimDuration::from_secs(30),
                    ..crate::scaling::ThresholdConfig::default()
                },
                ..AppTier::default()
            },
            ..SystemConfig::default()
        },
        trigger: Some((
            SimTime(10_000_000),
            SystemAction::Spike {
                multiplier: 4.0,
                duration: SimDuration::from_secs(120),
            },
        )),
    }
}
