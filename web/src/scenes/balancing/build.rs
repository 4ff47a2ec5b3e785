//! From the scene's settings to a core race config.

use crate::params::{ParamKind, ParamSpec, ParamValues};
use scalelab_core::balancing::{
    ActiveHealthConfig, BalancerConfig, BalancingConfig, BreakerConfig, HealthChecker,
    OutlierConfig,
};
use scalelab_core::sim::{
    ArrivalProcess, ClientConfig, CostDistribution, ServerConfig, SimDuration,
};

pub const STRATEGIES: &[(&str, &str)] = &[
    ("round-robin", "Round robin"),
    ("least-connections", "Least connections"),
    (
        "least-connections-naive",
        "Least connections (naive, as the guide)",
    ),
    (
        "smooth-weighted-round-robin",
        "Smooth weighted round robin (nginx)",
    ),
    (
        "weighted-round-robin-naive",
        "Weighted round robin (naive, two passes)",
    ),
    (
        "weighted-round-robin-guide",
        "Weighted round robin (as the guide wrote it)",
    ),
    ("ip-hash", "IP hash"),
    ("ip-hash-naive", "IP hash (naive: hashes a constant)"),
    ("ring-hash", "Ring hash (consistent hashing)"),
    ("maglev", "Maglev (consistent hashing)"),
    (
        "least-response-time",
        "Least response time (mean of last 100)",
    ),
    ("least-response-time-ewma", "Least response time (EWMA)"),
    ("random", "Random"),
    ("power-of-two-choices", "Power of two choices"),
];

pub static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "mode",
        label: "View",
        help: "One strategy, or a race: the same requests fed to several strategies side by side",
        kind: ParamKind::Choice {
            options: &[("single", "One strategy"), ("race", "Race strategies")],
            default: "single",
        },
    },
    ParamSpec {
        key: "strategy",
        label: "Strategy",
        help: "How the balancer picks a server (one-strategy view)",
        kind: ParamKind::Choice {
            options: STRATEGIES,
            default: "round-robin",
        },
    },
    ParamSpec {
        key: "lanes",
        label: "Race lanes",
        help: "Which strategies race (race view)",
        kind: ParamKind::Choice {
            options: &[
                ("classic", "Round robin · least conn · P2C · random"),
                ("weighted", "Smooth WRR vs naive WRR vs round robin"),
                ("latency", "Least response time: mean vs EWMA vs P2C"),
                ("naive", "Least connections: reference vs naive"),
                ("hash", "IP hash: reference vs naive"),
                ("consistent", "IP hash mod n vs ring hash vs Maglev"),
                ("long-lived", "Long-lived: round robin vs least conn"),
            ],
            default: "classic",
        },
    },
    ParamSpec {
        key: "servers",
        label: "Servers",
        help: "Backends behind the balancer",
        kind: ParamKind::Int {
            min: 1,
            max: 32,
            default: 4,
        },
    },
    ParamSpec {
        key: "mix",
        label: "Server sizes",
        help: "Equal servers, or mixed speeds with weights to match",
        kind: ParamKind::Choice {
            options: &[
                ("equal", "All equal"),
                ("mixed", "Mixed (weights follow speed)"),
            ],
            default: "equal",
        },
    },
    ParamSpec {
        key: "load",
        label: "Load (% of capacity)",
        help: "Offered requests per second as a share of total capacity",
        kind: ParamKind::Int {
            min: 5,
            max: 200,
            default: 70,
        },
    },
    ParamSpec {
        key: "cost",
        label: "Request cost",
        help: "How long requests take to serve (mean 10 ms)",
        kind: ParamKind::Choice {
            options: &[
                ("exponential", "Exponential"),
                ("fixed", "Fixed 10 ms"),
                ("bimodal", "Mostly fast, some 10× slow"),
                ("lognormal", "Log-normal (long tail)"),
                ("long-lived", "Long-lived connections"),
            ],
            default: "exponential",
        },
    },
    ParamSpec {
        key: "clients",
        label: "Clients",
        help: "Distinct client IP addresses",
        kind: ParamKind::Int {
            min: 1,
            max: 1_000,
            default: 64,
        },
    },
    ParamSpec {
        key: "health",
        label: "Failure handling",
        help: "Active health checks, passive outlier ejection and circuit breakers",
        kind: ParamKind::Choice {
            options: &[
                ("active", "Active health checks"),
                ("outlier", "Active checks + outlier ejection"),
                ("all", "Checks + ejection + circuit breaker"),
                ("guide", "The guide's checker (random, printed only)"),
                ("none", "None"),
            ],
            default: "active",
        },
    },
    ParamSpec {
        key: "interval",
        label: "Probe interval (ms)",
        help: "Time between health probes of one server (HAProxy inter)",
        kind: ParamKind::Int {
            min: 100,
            max: 10_000,
            default: 2_000,
        },
    },
    ParamSpec {
        key: "fall",
        label: "Fall (failed probes to mark DOWN)",
        help: "Consecutive failed probes before a server is taken out",
        kind: ParamKind::Int {
            min: 1,
            max: 10,
            default: 3,
        },
    },
    ParamSpec {
        key: "rise",
        label: "Rise (good probes to mark UP)",
        help: "Consecutive successful probes before a server is put back",
        kind: ParamKind::Int {
            min: 1,
            max: 10,
            default: 2,
        },
    },
    ParamSpec {
        key: "window",
        label: "Breaker window (calls)",
        help: "The circuit breaker judges a server on its last this many calls (with failure handling set to include the breaker)",
        kind: ParamKind::Int {
            min: 5,
            max: 1_000,
            default: 20,
        },
    },
    ParamSpec {
        key: "trip",
        label: "Breaker trips at (% failed)",
        help: "The breaker opens (stops sending to a server) once this share of the window's calls failed",
        kind: ParamKind::Int {
            min: 1,
            max: 100,
            default: 50,
        },
    },
];

const MEAN_COST_MICROS: f64 = 10_000.0;
const SLOTS: u32 = 4;

fn lane_names(set: &str) -> Vec<&'static str> {
    match set {
        "weighted" => vec![
            "smooth-weighted-round-robin",
            "weighted-round-robin-naive",
            "round-robin",
        ],
        "latency" => vec![
            "least-response-time",
            "least-response-time-ewma",
            "power-of-two-choices",
        ],
        "naive" => vec!["least-connections", "least-connections-naive"],
        "hash" => vec!["ip-hash", "ip-hash-naive"],
        "consistent" => vec!["ip-hash", "ring-hash", "maglev"],
        "long-lived" => vec!["round-robin", "least-connections"],
        _ => vec![
            "round-robin",
            "least-connections",
            "power-of-two-choices",
            "random",
        ],
    }
}

/// Speeds for the "mixed" fleet: a repeating pattern of fast, normal and slow machines.
fn mixed_speed(i: u32) -> (f64, u32) {
    match i % 3 {
        0 => (2.0, 4),
        1 => (1.0, 2),
        _ => (0.5, 1),
    }
}

pub fn added_server(name: &str) -> ServerConfig {
    ServerConfig {
        concurrency: SLOTS,
        ..ServerConfig::named(name)
    }
}

pub fn race_config(p: &ParamValues, seed: u64) -> BalancingConfig {
    let n = p.int("servers").clamp(1, 32) as u32;
    let mixed = p.choice("mix") == "mixed";
    let servers: Vec<ServerConfig> = (0..n)
        .map(|i| {
            let (speed, weight) = if mixed { mixed_speed(i) } else { (1.0, 1) };
            ServerConfig {
                speed,
                weight,
                ..added_server(&format!("web-{}", i + 1))
            }
        })
        .collect();
    let capacity: f64 = servers
        .iter()
        .map(|s| f64::from(s.concurrency) * s.speed * 1e6 / MEAN_COST_MICROS)
        .sum();
    let rate = (capacity * p.int("load") as f64 / 100.0).max(1.0);
    let cost = match p.choice("cost") {
        "long-lived" => CostDistribution::long_lived(MEAN_COST_MICROS),
        "fixed" => CostDistribution::Fixed {
            micros: MEAN_COST_MICROS,
        },
        "bimodal" => CostDistribution::Bimodal {
            fast: MEAN_COST_MICROS / 1.9 * 1.0,
            slow: MEAN_COST_MICROS / 1.9 * 10.0,
            slow_fraction: 0.1,
        },
        "lognormal" => CostDistribution::LogNormal {
            median: MEAN_COST_MICROS / 1.6487,
            sigma: 1.0,
        },
        _ => CostDistribution::Exponential {
            mean: MEAN_COST_MICROS,
        },
    };
    let health = p.choice("health");
    let active = (health != "none").then(|| ActiveHealthConfig {
        interval: SimDuration::from_millis(p.int("interval").clamp(100, 10_000) as u64),
        rise: p.int("rise").clamp(1, 10) as u32,
        fall: p.int("fall").clamp(1, 10) as u32,
        checker: if health == "guide" {
            HealthChecker::Guide
        } else {
            HealthChecker::RiseFall
        },
    });
    let mut base = BalancerConfig {
        servers,
        active_health: active,
        outlier_detection: matches!(health, "outlier" | "all").then(OutlierConfig::default),
        circuit_breaker: (health == "all").then(|| {
            let window = p.int("window").clamp(5, 1_000) as u32;
            BreakerConfig {
                window_size: window,
                minimum_calls: window,
                failure_rate_threshold: p.int("trip").clamp(1, 100) as f64,
                ..BreakerConfig::default()
            }
        }),
        seed,
        ..BalancerConfig::default()
    };
    base.workload.arrivals = ArrivalProcess::Poisson { rate };
    base.workload.cost = cost;
    base.workload.clients = ClientConfig {
        count: p.int("clients").clamp(1, 1_000) as u32,
        ..ClientConfig::default()
    };
    let lanes: Vec<String> = if p.choice("mode") == "race" {
        lane_names(p.choice("lanes"))
            .into_iter()
            .map(String::from)
            .collect()
    } else {
        vec![p.choice("strategy").to_string()]
    };
    base.strategy = lanes.first().cloned().unwrap_or_default();
    BalancingConfig { base, lanes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::balancing::{BalancingModel, StrategyKind};

    #[test]
    fn every_listed_strategy_is_a_core_strategy() {
        for (name, _) in STRATEGIES {
            assert!(StrategyKind::from_name(name).is_ok(), "{name}");
        }
        for set in [
            "classic",
            "weighted",
            "latency",
            "naive",
            "hash",
            "consistent",
            "long-lived",
        ] {
            for name in lane_names(set) {
                assert!(StrategyKind::from_name(name).is_ok(), "{name}");
            }
        }
    }

    #[test]
    fn every_setting_extreme_builds() {
        let specs = SPECS;
        for spec in specs {
            for raw in spec.extremes() {
                let mut p = ParamValues::defaults(specs);
                p.set(spec.key, spec.parse(&raw).unwrap());
                if spec.key == "lanes" {
                    p.set("mode", spec_value("mode", "race"));
                }
                BalancingModel::new(race_config(&p, 1))
                    .unwrap_or_else(|e| panic!("{}={raw}: {e}", spec.key));
            }
        }
    }

    /// The long-lived race: round robin against least connections on held connections.
    #[test]
    fn the_long_lived_race_races_on_held_connections() {
        let mut p = ParamValues::defaults(SPECS);
        p.set("mode", spec_value("mode", "race"));
        p.set("lanes", spec_value("lanes", "long-lived"));
        p.set("cost", spec_value("cost", "long-lived"));
        let c = race_config(&p, 1);
        assert_eq!(c.lanes, ["round-robin", "least-connections"]);
        assert_eq!(
            c.base.workload.cost,
            CostDistribution::long_lived(MEAN_COST_MICROS)
        );
    }

    fn spec_value(key: &str, raw: &str) -> crate::params::ParamValue {
        SPECS
            .iter()
            .find(|s| s.key == key)
            .unwrap()
            .parse(raw)
            .unwrap()
    }
}
