//! The configuration of a [`super::Service`] and its validation.

use super::error::{check_duration, ScalingError};
use super::horizontal::InstanceTemplate;
use super::hpa::HpaConfig;
use super::hybrid::HybridConfig;
use super::mode::ScalingMode;
use super::threshold::ThresholdConfig;
use super::vertical::{VerticalConfig, VerticalScaler};
use crate::sim::{check_count, check_range, limits, ArrivalProcess, SimDuration};
use serde::{Deserialize, Serialize};

/// One horizontal instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceConfig {
    /// Requests per second one ready instance serves.
    pub capacity_rps: u64,
    /// Cores it is billed for.
    pub cores: u32,
    /// Requests that may wait on one instance; more are dropped.
    pub queue_limit: u64,
    /// From launch to taking traffic.
    pub warmup: SimDuration,
    /// Time to serve one request once it is at the head of the queue.
    pub service_time: SimDuration,
}

impl Default for InstanceConfig {
    fn default() -> Self {
        InstanceConfig {
            capacity_rps: 500,
            cores: 1,
            queue_limit: 1_000,
            warmup: SimDuration::from_secs(30),
            service_time: SimDuration::from_millis(20),
        }
    }
}

impl InstanceConfig {
    /// What the fleet launches each instance from.
    pub fn template(&self) -> InstanceTemplate {
        InstanceTemplate {
            capacity_rps: self.capacity_rps,
            cores: self.cores,
            queue_limit: self.queue_limit,
            warmup: self.warmup,
        }
    }
}

/// Memory utilisation of an instance: a baseline plus a share per request in flight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemoryModel {
    /// % used with nothing in flight.
    pub baseline_pct: f64,
    /// % added per request waiting or in service on a standard instance.
    pub per_inflight_pct: f64,
}

impl Default for MemoryModel {
    fn default() -> Self {
        MemoryModel {
            baseline_pct: 20.0,
            per_inflight_pct: 0.05,
        }
    }
}

/// Everything a [`super::Service`] needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConfig {
    /// Seeds the arrivals, the only thing a service draws at random.
    pub seed: u64,
    /// Simulated time per step.
    pub tick: SimDuration,
    /// Offered load over time.
    pub load: ArrivalProcess,
    /// Who scales: a rule, the user, or the vertical machine's rule.
    pub mode: ScalingMode,
    /// Instances at the start (horizontal modes), all ready.
    pub initial_instances: u32,
    /// The autoscaler's lower bound (threshold and HPA modes).
    pub min_replicas: u32,
    /// The autoscaler's upper bound (threshold and HPA modes).
    pub max_replicas: u32,
    /// Each horizontal instance.
    pub instance: InstanceConfig,
    /// How memory use follows the requests in flight.
    pub memory: MemoryModel,
    /// The threshold rule (threshold modes, and the vertical machine's resizes).
    pub threshold: ThresholdConfig,
    /// The HPA rule (HPA mode).
    pub hpa: HpaConfig,
    /// The machine (vertical mode, and hybrid mode's first machine).
    pub vertical: VerticalConfig,
    /// The size the hybrid mode scales up to before it scales out (hybrid mode).
    pub hybrid: HybridConfig,
    /// Abstract price units per core-hour (warming and draining time is billed too).
    pub price_per_core_hour: f64,
    /// The autoscaler sees metrics this many ticks late (0 = current).
    pub metric_delay_ticks: u32,
    /// Ticks in the "recent" latency window.
    pub latency_window_ticks: u32,
}

impl Default for ServiceConfig {
    /// The teaching preset: the threshold autoscaler (2–10 instances of 500 req/s, 30 s
    /// warm-up, 60 s cooldown) under a 20-minute day/night wave from 300 to 2 700 req/s —
    /// more than the minimum fleet can serve at its peak, far less at its trough.
    fn default() -> Self {
        ServiceConfig {
            seed: 42,
            tick: SimDuration::from_secs(1),
            load: ArrivalProcess::Diurnal {
                mean: 1_500.0,
                amplitude: 0.8,
                period: SimDuration::from_secs(1_200),
            },
            mode: ScalingMode::Threshold,
            initial_instances: 2,
            min_replicas: 2,
            max_replicas: 10,
            instance: InstanceConfig::default(),
            memory: MemoryModel::default(),
            threshold: ThresholdConfig::default(),
            hpa: HpaConfig::default(),
            vertical: VerticalConfig::default(),
            hybrid: HybridConfig::default(),
            price_per_core_hour: 1.0,
            metric_delay_ticks: 0,
            latency_window_ticks: 60,
        }
    }
}

/// Longest metric delay, in ticks.
const MAX_METRIC_DELAY_TICKS: u64 = 600;
/// Longest recent-latency window, in ticks.
const MAX_WINDOW_TICKS: u64 = 3_600;

impl ServiceConfig {
    /// The preset in another mode.
    pub fn with_mode(mode: ScalingMode) -> Self {
        ServiceConfig {
            mode,
            ..ServiceConfig::default()
        }
    }

    /// Checks every setting against its range, naming the first one out of it.
    pub fn validate(&self) -> Result<(), ScalingError> {
        check_duration(
            "tick",
            self.tick,
            SimDuration::from_millis(1),
            SimDuration::from_secs(60),
        )?;
        self.load.validate()?;
        check_count(
            "initial instances",
            u64::from(self.initial_instances),
            1,
            u64::MAX,
        )?;
        if u64::from(self.initial_instances) > limits::MAX_SERVERS {
            return Err(ScalingError::TooManyInstances {
                field: "initial instances",
                value: u64::from(self.initial_instances),
                max: limits::MAX_SERVERS,
            });
        }
        check_count(
            "minimum replicas",
            u64::from(self.min_replicas),
            1,
            u64::MAX,
        )?;
        if u64::from(self.max_replicas) > limits::MAX_SERVERS {
            return Err(ScalingError::TooManyInstances {
                field: "maximum replicas",
                value: u64::from(self.max_replicas),
                max: limits::MAX_SERVERS,
            });
        }
        if self.min_replicas > self.max_replicas {
            return Err(ScalingError::MinAboveMax {
                min: self.min_replicas,
                max: self.max_replicas,
            });
        }
        if self.mode.is_autoscaled()
            && !(self.min_replicas..=self.max_replicas).contains(&self.initial_instances)
        {
            return Err(ScalingError::InitialOutsideBounds {
                initial: self.initial_instances,
                min: self.min_replicas,
                max: self.max_replicas,
                mode: self.mode,
            });
        }
        self.instance.template().validate()?;
        check_duration(
            "service time",
            self.instance.service_time,
            SimDuration::from_micros(1),
            SimDuration::from_secs(60),
        )?;
        check_range("memory baseline (%)", self.memory.baseline_pct, 0.0, 100.0)?;
        check_range(
            "memory per request in flight (%)",
            self.memory.per_inflight_pct,
            0.0,
            100.0,
        )?;
        self.threshold.validate()?;
        self.hpa.validate()?;
        self.vertical.validate()?;
        if self.mode == ScalingMode::Hybrid {
            self.hybrid.validate(&self.vertical)?;
        }
        check_range("price per core-hour", self.price_per_core_hour, 0.0, 1e9)?;
        check_count(
            "metric delay (ticks)",
            u64::from(self.metric_delay_ticks),
            0,
            MAX_METRIC_DELAY_TICKS,
        )?;
        check_count(
            "recent latency window (ticks)",
            u64::from(self.latency_window_ticks),
            1,
            MAX_WINDOW_TICKS,
        )?;
        Ok(())
    }

    /// The machine this config starts with: the vertical machine, bounded by the hybrid
    /// ceiling in hybrid mode.
    pub fn vertical_scaler(&self) -> Result<VerticalScaler, ScalingError> {
        if self.mode == ScalingMode::Hybrid {
            VerticalConfig {
                max_cores: self.hybrid.ceiling_cores,
                ..self.vertical.clone()
            }
            .scaler()
        } else {
            self.vertical.scaler()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_preset_is_valid_and_as_documented() {
        let c = ServiceConfig::default();
        c.validate().unwrap();
        assert_eq!(c.mode, ScalingMode::Threshold);
        assert_eq!((c.min_replicas, c.max_replicas), (2, 10));
        assert_eq!(c.instance.capacity_rps, 500);
        assert_eq!(c.instance.warmup, SimDuration::from_secs(30));
        assert_eq!(c.threshold.cooldown, SimDuration::from_secs(60));
        assert_eq!(c.seed, 42);
        // The load outgrows the minimum fleet.
        let peak = c.load.peak_rate();
        assert!(peak > f64::from(c.min_replicas) * c.instance.capacity_rps as f64);
        for m in [
            ScalingMode::Manual,
            ScalingMode::ThresholdNaive,
            ScalingMode::Hpa,
            ScalingMode::Vertical,
            ScalingMode::Hybrid,
        ] {
            ServiceConfig::with_mode(m).validate().unwrap();
        }
    }

    #[test]
    fn serde_round_trip_and_partial_json() {
        let c = ServiceConfig::default();
        let json = serde_json::to_string(&c).unwrap();
        let back: ServiceConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        let partial: ServiceConfig = serde_json::from_str(r#"{"mode":"hpa","seed":7}"#).unwrap();
        assert_eq!(partial.mode, ScalingMode::Hpa);
        assert_eq!(partial.max_replicas, 10);
    }
}
