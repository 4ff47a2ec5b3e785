//! The scene's presets: a config that shows one way the patterns interact, with its name,
//! the paragraph a student reads before pressing play, and the switch that sets it off.

use super::config::{AppTier, KeySpace, StoreTier, SystemConfig};
use super::SystemAction;
use crate::sim::{ArrivalProcess, SimDuration, SimTime};

/// A named starting point with its explainer.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// Its name in links and the picker (`thundering-herd`).
    pub name: &'static str,
    /// Its title as a student reads it.
    pub title: &'static str,
    /// One paragraph: what to watch and why it happens.
    pub explainer: &'static str,
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
        explainer: "The two caches answer most reads, so the shards see only part of the traffic. At \
            10 s the cache is flushed: every read that misses its instance's own cache now goes \
            to a shard, all at once, and the shards are asked for more than they can serve. Watch \
            the shard hop's latency and the shards' load jump and requests drop at the shard \
            queues, then all of it fall back as the popular keys are filled again. The herd is worst right after \
            the flush, when many requests miss the same popular keys; turning on request \
            coalescing lets one read per key go to the shard and the others wait for it.",
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
        trigger: Some((SimTime(10_000_000), SystemAction::FlushL2)),
    }
}

/// One viral key takes a third of the traffic and is written often: its shard's queue grows
/// while the others idle.
pub fn hot_shard() -> Preset {
    Preset {
        name: "hot-shard",
        title: "A hot shard",
        explainer: "At 5 s one key goes viral: a third of all requests are for it, and a fifth \
            of requests write (a like counter). Reads of the key mostly hit the caches, but every \
            write goes to the key's shard and deletes the shared cache's copy, so the misses \
            follow it there too. One shard's load climbs while the others stay flat: sharding \
            spreads keys, not traffic, and adding app instances does not help a shard.",
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
        explainer: "At 5 s shard 3 becomes ten times slower (a noisy neighbour, a failing \
            disk). Most requests never reach it: the caches answer them, and the other shards \
            are fine. So the median barely moves while the shard hop's p99 and the end-to-end \
            p99 climb: the slowest part a request may touch sets the tail, which is why \
            percentiles matter more than averages.",
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
        explainer:
            "At 10 s traffic quadruples. The autoscaler sees CPU above its line at its next \
            reading and starts one instance, but the instance boots for 60 s and the cooldown \
            lets it add only one more every 30 s. Meanwhile the running instances' queues grow \
            until requests wait past the balancer's timeout and are dropped. Watch dropped \
            requests and the balancer hop's latency rise, then fall only as instances come up: \
            scaling out answers a trend, not a spike.",
        config: SystemConfig {
            app: AppTier {
                boot: SimDuration::from_secs(60),
                threshold: crate::scaling::ThresholdConfig {
                    trigger: crate::scaling::TriggerMetrics::Cpu,
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
