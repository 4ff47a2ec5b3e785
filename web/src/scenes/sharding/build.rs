//! From the scene's settings to a core [`ShardingConfig`].

use crate::params::{ParamKind, ParamSpec, ParamValues};
use scalelab_core::sharding::{
    Aggregate, KeyPopularity, MigrationMode, RebalancePolicy, RouterKind, ShardFault,
    ShardingConfig,
};

/// Router choices, by their core (kebab-case) names.
pub const ROUTERS: &[(&str, &str)] = &[
    (
        "modulo-md5",
        "Modulo over MD5 (the guide's 'consistent hashing')",
    ),
    ("ring", "Consistent-hash ring (virtual nodes)"),
    ("jump", "Jump consistent hash"),
    ("rendezvous", "Rendezvous (highest random weight)"),
];

pub const MIN_KEYS: i64 = 10;
pub const MAX_KEYS: i64 = 5_000;
pub const MAX_START_SHARDS: i64 = 16;
pub const MAX_VNODES: i64 = 500;

pub static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "router",
        label: "Router",
        help: "How a key is mapped to a shard",
        kind: ParamKind::Choice {
            options: ROUTERS,
            default: "ring",
        },
    },
    ParamSpec {
        key: "shards",
        label: "Shards",
        help: "Shards at the start",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_START_SHARDS,
            default: 4,
        },
    },
    ParamSpec {
        key: "vnodes",
        label: "Virtual nodes per shard",
        help: "Points each shard places on the ring (ring router only)",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_VNODES,
            default: 100,
        },
    },
    ParamSpec {
        key: "keys",
        label: "Keys",
        help: "Distinct keys user:0 … user:N-1, all written before the run starts",
        kind: ParamKind::Int {
            min: MIN_KEYS,
            max: MAX_KEYS,
            default: 1_000,
        },
    },
    ParamSpec {
        key: "reads",
        label: "Read share (%)",
        help: "Share of client operations that are reads; the rest are writes",
        kind: ParamKind::Int {
            min: 0,
            max: 100,
            default: 80,
        },
    },
    ParamSpec {
        key: "popularity",
        label: "Key popularity",
        help: "Every key equally likely, or a few hot keys (Zipf, exponent 1)",
        kind: ParamKind::Choice {
            options: &[("uniform", "Uniform"), ("zipf", "Zipf (a few hot keys)")],
            default: "uniform",
        },
    },
    ParamSpec {
        key: "mode",
        label: "Migration",
        help: "Directory keeps every key readable while it moves; naive is the guide's version",
        kind: ParamKind::Choice {
            options: &[
                ("directory", "Directory (lossless)"),
                ("naive", "Naive (as the guide)"),
            ],
            default: "directory",
        },
    },
    ParamSpec {
        key: "pace",
        label: "Migration pace",
        help:
            "One batch per Step with traffic paused, or batches interleaved with reads and writes",
        kind: ParamKind::Choice {
            options: &[
                ("step", "One batch per step"),
                ("interleave", "Interleaved with traffic"),
            ],
            default: "step",
        },
    },
    ParamSpec {
        key: "hot",
        label: "Rebalance: give keys above (% of average)",
        help: "A shard holding more than this share of the average key count gives keys away when you rebalance",
        kind: ParamKind::Int {
            min: 101,
            max: 500,
            default: 120,
        },
    },
    ParamSpec {
        key: "cold",
        label: "Rebalance: take keys below (% of average)",
        help: "A shard holding less than this share of the average key count receives keys when you rebalance",
        kind: ParamKind::Int {
            min: 0,
            max: 99,
            default: 80,
        },
    },
    ParamSpec {
        key: "latency",
        label: "Per-shard latency (ms)",
        help: "How long one shard takes to answer: a cross-shard query waits for the slowest shard it asks",
        kind: ParamKind::Float {
            min: 0.0,
            max: 100.0,
            default: 1.0,
            step: 0.1,
        },
    },
    ParamSpec {
        key: "aggregate",
        label: "Cross-shard aggregate",
        help: "What the aggregate button computes over every record",
        kind: ParamKind::Choice {
            options: &[
                ("count", "COUNT of all records"),
                ("sum", "SUM of the scores"),
                ("top-k", "Top 3 by score"),
            ],
            default: "count",
        },
    },
    ParamSpec {
        key: "fault",
        label: "Shard fault",
        help: "What the fault menu does to a shard",
        kind: ParamKind::Choice {
            options: &[
                ("slow", "Slow: answers 10 times later"),
                ("down", "Failed: answers nothing"),
            ],
            default: "slow",
        },
    },
];

/// The fault the action bar's fault menu sets.
pub fn fault(p: &ParamValues) -> ShardFault {
    match p.choice("fault") {
        "down" => ShardFault::Down,
        _ => ShardFault::Slow { factor: 10 },
    }
}

/// The aggregate the action bar's aggregate button runs.
pub fn aggregate(p: &ParamValues) -> Aggregate {
    match p.choice("aggregate") {
        "sum" => Aggregate::Sum,
        "top-k" => Aggregate::TopK { k: 3 },
        _ => Aggregate::Count,
    }
}

/// Simulated time between client operations.
const OP_INTERVAL_MICROS: u64 = 1_000;

pub fn router_kind(name: &str, virtual_nodes: u32) -> RouterKind {
    match name {
        "modulo-md5" => RouterKind::ModuloMd5,
        "jump" => RouterKind::Jump,
        "rendezvous" => RouterKind::Rendezvous,
        _ => RouterKind::Ring { virtual_nodes },
    }
}

pub fn shard_config(p: &ParamValues, seed: u64) -> ShardingConfig {
    let vnodes = p.int("vnodes").clamp(1, MAX_VNODES) as u32;
    let popularity = match p.choice("popularity") {
        "zipf" => KeyPopularity::Zipf { exponent: 1.0 },
        _ => KeyPopularity::Uniform,
    };
    let mode = match p.choice("mode") {
        "naive" => MigrationMode::Naive,
        _ => MigrationMode::Directory,
    };
    // "step": a batch every microsecond, so while keys move each step is one batch and the
    // next client operation (a millisecond away) waits; "interleave": a batch every 2 ms with
    // reads and writes in between, so a naive migration can lose updates.
    let batch_interval_micros = match p.choice("pace") {
        "interleave" => 2 * OP_INTERVAL_MICROS,
        _ => 1,
    };
    ShardingConfig {
        shards: p.int("shards").clamp(1, MAX_START_SHARDS) as u32,
        router: router_kind(p.choice("router"), vnodes),
        mode,
        keys: p.int("keys").clamp(MIN_KEYS, MAX_KEYS) as u64,
        read_fraction: p.int("reads").clamp(0, 100) as f64 / 100.0,
        popularity,
        preload: true,
        op_interval_micros: OP_INTERVAL_MICROS,
        batch_interval_micros,
        rebalance: RebalancePolicy {
            high_percent: p.int("hot").clamp(101, 500) as u32,
            low_percent: p.int("cold").clamp(0, 99) as u32,
            ..RebalancePolicy::default()
        },
        shard_latency_micros: (p.float("latency").clamp(0.0, 100.0) * 1_000.0).round() as u64,
        seed,
        ..ShardingConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue;
    use scalelab_core::sharding::ShardingModel;

    fn choice_values(key: &str) -> Vec<&'static str> {
        match SPECS.iter().find(|s| s.key == key).map(|s| s.kind) {
            Some(ParamKind::Choice { options, .. }) => options.iter().map(|(v, _)| *v).collect(),
            _ => panic!("{key} is not a choice"),
        }
    }

    #[test]
    fn default_is_the_core_preset() {
        let c = shard_config(&ParamValues::defaults(SPECS), 42);
        let preset = ShardingConfig::default();
        assert_eq!(c.shards, preset.shards);
        assert_eq!(c.router, preset.router);
        assert_eq!(c.mode, preset.mode);
        assert_eq!(c.keys, preset.keys);
        assert_eq!(c.read_fraction, preset.read_fraction);
        assert_eq!(c.seed, 42);
    }

    #[test]
    fn every_setting_extreme_builds() {
        for spec in SPECS {
            for raw in spec.extremes() {
                let mut p = ParamValues::defaults(SPECS);
                p.set(spec.key, spec.parse(&raw).unwrap());
                ShardingModel::new(shard_config(&p, 1))
                    .unwrap_or_else(|e| panic!("{}={raw}: {e}", spec.key));
            }
        }
        // All the maxima together.
        let mut p = ParamValues::defaults(SPECS);
        p.set("shards", ParamValue::Int(MAX_START_SHARDS));
        p.set("vnodes", ParamValue::Int(MAX_VNODES));
        p.set("keys", ParamValue::Int(MAX_KEYS));
        p.set("popularity", ParamValue::Choice("zipf"));
        ShardingModel::new(shard_config(&p, u64::MAX)).unwrap();
    }

    #[test]
    fn out_of_range_values_are_clamped_not_trusted() {
        let mut p = ParamValues::defaults(SPECS);
        p.set("shards", ParamValue::Int(1_000_000));
        p.set("vnodes", ParamValue::Int(-5));
        p.set("keys", ParamValue::Int(i64::MAX));
        p.set("reads", ParamValue::Int(900));
        let c = shard_config(&p, 1);
        assert_eq!(c.shards, 16);
        assert_eq!(c.router, RouterKind::Ring { virtual_nodes: 1 });
        assert_eq!(c.keys, 5_000);
        assert_eq!(c.read_fraction, 1.0);
        ShardingModel::new(c).unwrap();
    }

    #[test]
    fn choice_values_are_core_names() {
        for name in choice_values("router") {
            let json = serde_json::json!({ "kind": name, "virtual_nodes": 100 });
            let kind: RouterKind =
                serde_json::from_value(json).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(kind, router_kind(name, 100), "{name}");
        }
        for name in choice_values("mode") {
            let mode: MigrationMode = serde_json::from_value(serde_json::json!(name))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut p = ParamValues::defaults(SPECS);
            p.set("mode", ParamValue::Choice(name));
            assert_eq!(shard_config(&p, 1).mode, mode);
        }
        for name in choice_values("popularity") {
            let json = serde_json::json!({ "kind": name, "exponent": 1.0 });
            let pop: KeyPopularity =
                serde_json::from_value(json).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut p = ParamValues::defaults(SPECS);
            p.set("popularity", ParamValue::Choice(name));
            assert_eq!(shard_config(&p, 1).popularity, pop);
        }
    }
}
