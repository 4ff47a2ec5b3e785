//! What a balancer scene is built from.

use super::error::BalancingError;
use super::health::{ActiveHealthConfig, BreakerConfig, OutlierConfig};
use super::strategy::StrategyOptions;
use super::strategy_kind::StrategyKind;
use crate::sim::{
    check_count, limits, ArrivalProcess, ClientConfig, CostDistribution, ServerConfig,
    WorkloadConfig,
};
use serde::{Deserialize, Serialize};

/// Longest server name (names appear in narration and in the URL).
pub const MAX_SERVER_NAME_LEN: u64 = 64;
/// Largest window of recent latencies for the live percentiles.
pub const MAX_RECENT_WINDOW: u64 = 100_000;

/// The balancer's set-up: servers, strategy, workload, health handling and seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BalancerConfig {
    /// The backends, in order; their position is the server number events and operations use.
    pub servers: Vec<ServerConfig>,
    /// The strategy's kebab-case name, e.g. `"round-robin"` (see [`StrategyKind::ALL`]). Kept as a
    /// string so a hand-edited URL with a typo is reported by [`BalancerConfig::validate`].
    pub strategy: String,
    /// Tuning of the strategies that have any.
    pub strategy_options: StrategyOptions,
    /// The requests: arrivals, clients and costs.
    pub workload: WorkloadConfig,
    /// Active health checks; `None` turns probing off.
    pub active_health: Option<ActiveHealthConfig>,
    /// Passive outlier ejection; `None` turns it off.
    pub outlier_detection: Option<OutlierConfig>,
    /// A circuit breaker per server; `None` turns it off.
    pub circuit_breaker: Option<BreakerConfig>,
    /// Completed requests in the "live" percentile window.
    pub recent_window: u32,
    /// Seed of every random draw: the same config and seed give the same run.
    pub seed: u64,
}

/// Mean service time of the preset's requests (10 ms).
const PRESET_MEAN_COST_MICROS: f64 = 10_000.0;
const PRESET_SERVERS: u32 = 4;
const PRESET_CONCURRENCY: u32 = 4;
const PRESET_LOAD: f64 = 0.7;

impl Default for BalancerConfig {
    /// The teaching preset: four equal servers behind round robin, Poisson arrivals at about
    /// 70 % of capacity (4 servers × 4 slots / 10 ms = 1 600 req/s, so 1 120 req/s), 64 clients,
    /// active health checks on, seed 42.
    fn default() -> Self {
        let servers: Vec<ServerConfig> = (1..=PRESET_SERVERS)
            .map(|i| ServerConfig {
                concurrency: PRESET_CONCURRENCY,
                ..ServerConfig::named(format!("web-{i}"))
            })
            .collect();
        let capacity_per_sec =
            f64::from(PRESET_SERVERS * PRESET_CONCURRENCY) * 1e6 / PRESET_MEAN_COST_MICROS;
        BalancerConfig {
            servers,
            strategy: StrategyKind::RoundRobin.name().to_string(),
            strategy_options: StrategyOptions::default(),
            workload: WorkloadConfig {
                arrivals: ArrivalProcess::Poisson {
                    rate: capacity_per_sec * PRESET_LOAD,
                },
                clients: ClientConfig {
                    count: 64,
                    ..ClientConfig::default()
                },
                cost: CostDistribution::Exponential {
                    mean: PRESET_MEAN_COST_MICROS,
                },
            },
            active_health: Some(ActiveHealthConfig::default()),
            outlier_detection: None,
            circuit_breaker: None,
            recent_window: 1_000,
            seed: 42,
        }
    }
}

impl BalancerConfig {
    /// The preset with another strategy (by kind, so it cannot be misspelt).
    pub fn with_strategy(mut self, kind: StrategyKind) -> Self {
        self.strategy = kind.name().to_string();
        self
    }

    /// The configured strategy, or an error listing the known names.
    pub fn strategy_kind(&self) -> Result<StrategyKind, BalancingError> {
        StrategyKind::from_name(&self.strategy)
    }

    /// Total requests the servers can serve per second at the workload's mean cost (for load
    /// sliders: offered rate / capacity = utilisation).
    pub fn capacity_per_sec(&self) -> f64 {
        let mean = self.workload.cost.mean();
        if !(mean.is_finite() && mean > 0.0) {
            return 0.0;
        }
        self.servers
            .iter()
            .map(|s| f64::from(s.concurrency) * s.speed * 1e6 / mean)
            .sum()
    }

    /// Checks every field and the rules between fields; the error names the first problem.
    pub fn validate(&self) -> Result<(), BalancingError> {
        if self.servers.is_empty() {
            return Err(BalancingError::NoServers);
        }
        let count = self.servers.len() as u64;
        if count > limits::MAX_SERVERS {
            return Err(BalancingError::TooManyServers {
                count,
                max: limits::MAX_SERVERS,
            });
        }
        // At most MAX_SERVERS names: comparing each with those before it needs no set type.
        for (i, server) in self.servers.iter().enumerate() {
            validate_server(server, i as u32)?;
            let earlier = self.servers.get(..i).unwrap_or_default();
            if earlier.iter().any(|s| s.name == server.name) {
                return Err(BalancingError::DuplicateServerName {
                    name: server.name.clone(),
                });
            }
        }
        self.strategy_kind()?;
        self.strategy_options.validate()?;
        self.workload.validate()?;
        if let Some(h) = &self.active_health {
            h.validate()?;
        }
        if let Some(o) = &self.outlier_detection {
            o.validate()?;
            if o.base_ejection_time > o.max_ejection_time {
                return Err(BalancingError::EjectionTimesInverted {
                    base_ms: o.base_ejection_time.as_millis(),
                    max_ms: o.max_ejection_time.as_millis(),
                });
            }
        }
        if let Some(b) = &self.circuit_breaker {
            b.validate()?;
            if b.minimum_calls > b.window_size {
                return Err(BalancingError::MinimumCallsExceedWindow {
                    minimum: b.minimum_calls,
                    window: b.window_size,
                });
            }
        }
        check_count(
            "recent latency window",
            u64::from(self.recent_window),
            1,
            MAX_RECENT_WINDOW,
        )?;
        Ok(())
    }
}

/// One server's config, with its name in any error.
pub(crate) fn validate_server(server: &ServerConfig, index: u32) -> Result<(), BalancingError> {
    if server.name.trim().is_empty() {
        return Err(BalancingError::EmptyServerName { index });
    }
    let len = server.name.chars().count() as u64;
    if len > MAX_SERVER_NAME_LEN {
        return Err(BalancingError::ServerNameTooLong {
            name: server.name.chars().take(16).collect::<String>() + "…",
            len,
            max: MAX_SERVER_NAME_LEN,
        });
    }
    server
        .validate()
        .map_err(|source| BalancingError::InvalidServer {
            name: server.name.clone(),
            source,
        })
}

/// The balancing scene's set-up: one balancer config shared by every lane, and a strategy per lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BalancingConfig {
    /// Servers, workload, health settings and seed shared by every lane (its `strategy` is
    /// ignored).
    pub base: BalancerConfig,
    /// One strategy name per lane; a name may appear twice (a control lane).
    pub lanes: Vec<String>,
}

impl Default for BalancingConfig {
    /// The preset balancer under a heavy-tailed load, raced by the classic four.
    fn default() -> Self {
        BalancingConfig {
            base: BalancerConfig::default(),
            lanes: [
                StrategyKind::RoundRobin,
                StrategyKind::LeastConnections,
                StrategyKind::PowerOfTwoChoices,
                StrategyKind::Random,
            ]
            .iter()
            .map(|k| k.name().to_string())
            .collect(),
        }
    }
}

impl BalancingConfig {
    /// Checks the lanes and the shared balancer config (with the first lane's strategy).
    pub fn validate(&self) -> Result<(), BalancingError> {
        if self.lanes.is_empty() {
            return Err(BalancingError::NoLanes);
        }
        let count = self.lanes.len() as u64;
        if count > limits::MAX_RACE_LANES {
            return Err(BalancingError::TooManyLanes {
                count,
                max: limits::MAX_RACE_LANES,
            });
        }
        for name in &self.lanes {
            StrategyKind::from_name(name)?;
        }
        // The base is checked with its own strategy replaced by the first lane's, so a stale
        // strategy name in the base does not block a race.
        let mut base = self.base.clone();
        base.strategy = self.lanes.first().cloned().unwrap_or_default();
        base.validate()
    }
}
