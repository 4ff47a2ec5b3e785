//! The system scene's config: one request path from clients to the sharded store, each tier
//! with its own settings. Every field has a default, so a config names only what it changes.

use super::SystemError;
use crate::balancing::{StrategyKind, StrategyOptions};
use crate::caching::{L1Config, L2Config};
use crate::scaling::{ThresholdConfig, TriggerMetrics};
use crate::sharding::RouterKind;
use crate::sim::{
    check_count, check_range, limits, ArrivalProcess, CostDistribution, SimDuration, WorkloadConfig,
};
use serde::{Deserialize, Serialize};

/// Most app instances the tier may run.
pub const MAX_INSTANCES: u32 = 64;
/// Most shards behind the caches.
pub const MAX_SYSTEM_SHARDS: u32 = 64;
/// Most requests kept in the per-hop ring a page draws.
pub const MAX_RECENT: u32 = 4_096;
/// Most keys in the key space (each has its route precomputed).
pub const MAX_SYSTEM_KEYS: u64 = 100_000;

/// The whole request path. The default is a steady day: 200 requests per second over three app
/// instances at about a third of their CPU, caches warming up and eight lightly loaded shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemConfig {
    /// Seed of every random stream (arrivals, keys, picks, cache sampling).
    pub seed: u64,
    /// When requests arrive and how much app CPU each one costs.
    pub workload: WorkloadConfig,
    /// Which keys requests read and write.
    pub keys: KeySpace,
    /// The load balancer in front of the app tier.
    pub balancer: BalancerTier,
    /// The app instances and their autoscaler.
    pub app: AppTier,
    /// Each app instance's in-process cache (every instance has its own).
    pub l1: L1Config,
    /// The shared remote cache.
    pub l2: L2Config,
    /// How long a filled entry lives in either cache.
    pub ttl: SimDuration,
    /// The sharded store behind the caches.
    pub store: StoreTier,
    /// Concurrent misses on one key wait for the first one's read instead of each reading the
    /// store (request coalescing, "single flight").
    pub coalescing: bool,
    /// Requests kept in the ring of recent per-hop breakdowns.
    pub recent: u32,
    /// Chaos switches pulled at set simulated times (a preset's trigger), in any order.
    pub schedule: Vec<ScheduledChaos>,
}

/// A chaos switch the model pulls itself when its clock reaches `at`, so a preset's incident
/// happens at the same simulated moment in every run, link and export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledChaos {
    /// When, in simulated time.
    pub at: crate::sim::SimTime,
    /// The switch. Checked when it is pulled; one the model refuses then (an instance already
    /// gone) changes nothing.
    pub action: super::SystemAction,
}

/// Most switches a config may schedule.
pub const MAX_SCHEDULED: u32 = 16;

impl Default for SystemConfig {
    fn default() -> Self {
        SystemConfig {
            seed: 42,
            workload: WorkloadConfig {
                arrivals: ArrivalProcess::Poisson { rate: 200.0 },
                cost: CostDistribution::Exponential { mean: 5_000.0 },
                ..WorkloadConfig::default()
            },
            keys: KeySpace::default(),
            balancer: BalancerTier::default(),
            app: AppTier::default(),
            l1: L1Config {
                capacity: 256,
                ..L1Config::default()
            },
            l2: L2Config {
                memory_limit: Some(512 * 1024),
                ..L2Config::default()
            },
            ttl: SimDuration::from_secs(60),
            store: StoreTier::default(),
            coalescing: false,
            recent: 64,
            schedule: Vec::new(),
        }
    }
}

/// The keys requests carry: ranked by a Zipf law (key 0 most read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeySpace {
    /// Distinct keys.
    pub count: u64,
    /// The Zipf exponent: the larger, the more the first keys dominate.
    pub exponent: f64,
    /// Share of requests that write their key (the rest read it), in [0, 1].
    pub write_share: f64,
}

impl Default for KeySpace {
    fn default() -> Self {
        KeySpace {
            count: 10_000,
            exponent: 1.0,
            write_share: 0.02,
        }
    }
}

/// The load balancer: which instance gets each request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BalancerTier {
    /// The pick rule, any of the balancing scene's strategies.
    pub strategy: StrategyKind,
    /// Its tuning.
    pub options: StrategyOptions,
    /// Time the balancer adds to every request (its own hop).
    pub latency: SimDuration,
    /// A request that would wait longer than this in an instance's queue is dropped.
    pub queue_timeout: SimDuration,
}

impl Default for BalancerTier {
    fn default() -> Self {
        BalancerTier {
            strategy: StrategyKind::LeastConnections,
            options: StrategyOptions::default(),
            latency: SimDuration::from_micros(100),
            queue_timeout: SimDuration::from_secs(1),
        }
    }
}

/// The app tier and its threshold autoscaler (CPU against two lines, one instance per
/// cooldown, new instances serving only after booting). The default scales out above 70 %
/// CPU and in below 20 %, so the default day (about 33 % on three instances) holds steady.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppTier {
    /// Instances at the start.
    pub initial: u32,
    /// The autoscaler never goes below this.
    pub min: u32,
    /// The autoscaler never goes above this.
    pub max: u32,
    /// Time from a scale-out to the new instance taking traffic.
    pub boot: SimDuration,
    /// How often the autoscaler reads CPU (the window CPU is averaged over).
    pub interval: SimDuration,
    /// The lines and cooldown, as the scaling scene's threshold rule reads them.
    pub threshold: ThresholdConfig,
}

impl Default for AppTier {
    fn default() -> Self {
        AppTier {
            initial: 3,
            min: 2,
            max: 16,
            boot: SimDuration::from_secs(20),
            interval: SimDuration::from_secs(1),
            threshold: ThresholdConfig {
                trigger: TriggerMetrics::Cpu,
                down_pct: 20.0,
                cooldown: SimDuration::from_secs(15),
                ..ThresholdConfig::default()
            },
        }
    }
}

/// The sharded store: a router over shards that each serve one read or write at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoreTier {
    /// Shards.
    pub shards: u32,
    /// How a key finds its shard.
    pub router: RouterKind,
    /// Time a shard takes for one read or write.
    pub service: SimDuration,
    /// A request that would wait longer than this in a shard's queue is dropped.
    pub queue_timeout: SimDuration,
}

impl Default for StoreTier {
    fn default() -> Self {
        StoreTier {
            shards: 8,
            router: RouterKind::default(),
            service: SimDuration::from_millis(2),
            queue_timeout: SimDuration::from_secs(1),
        }
    }
}

/// Checks a duration in microseconds against `[min, limit]`.
pub(crate) fn check_span(
    field: &'static str,
    value: SimDuration,
    min: u64,
) -> Result<(), SystemError> {
    check_count(field, value.0, min, limits::MAX_DURATION_MICROS)?;
    Ok(())
}

impl SystemConfig {
    /// Checks every tier; the error names the first setting out of range.
    pub fn validate(&self) -> Result<(), SystemError> {
        self.workload.validate()?;
        check_count("key count", self.keys.count, 1, MAX_SYSTEM_KEYS)?;
        check_range("key Zipf exponent", self.keys.exponent, 0.01, 10.0)?;
        check_range("write share", self.keys.write_share, 0.0, 1.0)?;
        self.balancer.options.validate()?;
        check_span("balancer latency (µs)", self.balancer.latency, 0)?;
        check_span("app queue timeout (µs)", self.balancer.queue_timeout, 1)?;
        let app = &self.app;
        check_count(
            "app minimum instances",
            u64::from(app.min),
            1,
            u64::from(MAX_INSTANCES),
        )?;
        check_count(
            "app maximum instances",
            u64::from(app.max),
            1,
            u64::from(MAX_INSTANCES),
        )?;
        if app.min > app.max {
            return Err(SystemError::BoundsInverted {
                min: app.min,
                max: app.max,
            });
        }
        if app.initial < app.min || app.initial > app.max {
            return Err(SystemError::InitialOutsideBounds {
                initial: app.initial,
                min: app.min,
                max: app.max,
            });
        }
        check_span("boot time (µs)", app.boot, 0)?;
        check_span("autoscaler interval (µs)", app.interval, 1_000)?;
        app.threshold.validate()?;
        self.l1.validate()?;
        self.l2.validate()?;
        check_span("cache TTL (µs)", self.ttl, 1)?;
        check_count(
            "shard count",
            u64::from(self.store.shards),
            1,
            u64::from(MAX_SYSTEM_SHARDS),
        )?;
        self.store.router.validate()?;
        check_span("shard service time (µs)", self.store.service, 1)?;
        check_span("shard queue timeout (µs)", self.store.queue_timeout, 1)?;
        check_count(
            "recent requests kept",
            u64::from(self.recent),
            1,
            u64::from(MAX_RECENT),
        )?;
        check_count(
            "scheduled chaos switches",
            self.schedule.len() as u64,
            0,
            u64::from(MAX_SCHEDULED),
        )?;
        for s in &self.schedule {
            check_span(
                "scheduled switch time (µs)",
                crate::sim::SimDuration(s.at.0),
                0,
            )?;
        }
        Ok(())
    }

    /// Reads a config from JSON; absent fields take their defaults.
    pub fn from_json(text: &str) -> Result<SystemConfig, SystemError> {
        serde_json::from_str(text).map_err(|e| SystemError::Parse(e.to_string()))
    }
}
