//! From the scene's settings to a core cache config: every value is range-checked by its
//! spec, then clamped again here, because links are untrusted.

use crate::params::{ParamKind, ParamSpec, ParamValues};
use scalelab_core::caching::{
    CachingConfig, CachingRaceConfig, EvictionPolicy, Invalidation, KeyWorkload, L1Config,
    L2Config, L2Policy, WorkloadKind, WritePolicy, MAX_APP_NODES, MAX_L1_RESIZE,
};
use scalelab_core::sim::{ArrivalProcess, SimDuration};

/// `(core name, label)` of the L1 eviction policies.
pub const POLICIES: &[(&str, &str)] = &[
    ("lru", "LRU"),
    ("fifo-naive", "FIFO (the guide's \"LRU\")"),
    ("lfu", "LFU"),
    ("ttl", "TTL (soonest expiry first)"),
    ("w-tinylfu", "W-TinyLFU"),
];

/// `(core name, label)` of the key workloads.
pub const WORKLOADS: &[(&str, &str)] = &[
    ("uniform", "Uniform"),
    ("zipf", "Zipf (few hot keys)"),
    ("scan", "Sequential scan (loop)"),
    ("shifting-hot-set", "Hot set that moves"),
    ("zipf-with-scan", "Zipf + scan bursts"),
];

/// `(core name, label)` of the write policies.
pub const WRITE_POLICIES: &[(&str, &str)] = &[
    ("cache-aside", "Cache-aside (write origin, invalidate)"),
    ("write-through", "Write-through"),
    ("write-behind", "Write-behind (buffered)"),
];

/// `(core name, label)` of what tells the other app nodes about a write.
pub const INVALIDATIONS: &[(&str, &str)] = &[
    ("none", "None (other nodes keep old copies)"),
    ("broadcast", "Broadcast (pub/sub: others drop the key)"),
];

/// `(Redis name, label)` of the L2's `maxmemory-policy`.
pub const L2_POLICIES: &[(&str, &str)] = &[
    ("allkeys-lru", "allkeys-lru (sampled LRU)"),
    ("allkeys-lfu", "allkeys-lfu (sampled LFU)"),
    ("volatile-ttl", "volatile-ttl (nearest expiry)"),
    ("noeviction", "noeviction (refuse writes)"),
];

/// The most L1 slots a setting asks for: the most a resize may reach.
pub const MAX_CAPACITY: i64 = MAX_L1_RESIZE as i64;
pub const MIN_KEYS: i64 = 10;
pub const MAX_KEYS: i64 = 10_000;
pub const MIN_EXPONENT: f64 = 0.1;
pub const MAX_EXPONENT: f64 = 3.0;
pub const MAX_RATE: i64 = 5_000;
pub const MIN_DELAY_MS: i64 = 10;
pub const MAX_DELAY_MS: i64 = 60_000;
pub const MAX_L2_KIB: i64 = 1_024;
pub const MAX_LFU_FACTOR: i64 = 100;
pub const MAX_LFU_DECAY_S: i64 = 3_600;

/// `(name, label)` of the race's lane sets; the lanes themselves are [`lane_policies`].
pub const LANE_SETS: &[(&str, &str)] = &[
    ("reference", "LRU · LFU · TTL · W-TinyLFU"),
    ("all", "All five, the guide's FIFO too"),
    ("lru-fifo", "LRU vs the guide's FIFO"),
    ("frequency", "LRU vs LFU vs W-TinyLFU"),
];

pub static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "policy",
        label: "L1 eviction policy",
        help: "Which entry the in-process cache gives up when it is full (one-policy view)",
        kind: ParamKind::Choice {
            options: POLICIES,
            default: "lru",
        },
    },
    ParamSpec {
        key: "mode",
        label: "View",
        help: "One L1 policy, or several raced on the same requests",
        kind: ParamKind::Choice {
            options: &[("single", "One policy"), ("race", "Race L1 policies")],
            default: "single",
        },
    },
    ParamSpec {
        key: "lanes",
        label: "Race lanes",
        help: "Which L1 policies race (race view)",
        kind: ParamKind::Choice {
            options: LANE_SETS,
            default: "reference",
        },
    },
    ParamSpec {
        key: "workload",
        label: "Key workload",
        help: "Which keys the requests ask for",
        kind: ParamKind::Choice {
            options: WORKLOADS,
            default: "zipf",
        },
    },
    ParamSpec {
        key: "capacity",
        label: "L1 capacity (entries)",
        help: "Slots in the in-process cache",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_CAPACITY,
            default: 16,
        },
    },
    ParamSpec {
        key: "keys",
        label: "Key space",
        help: "Distinct keys the requests choose from",
        kind: ParamKind::Int {
            min: MIN_KEYS,
            max: MAX_KEYS,
            default: 200,
        },
    },
    ParamSpec {
        key: "zipf",
        label: "Zipf exponent",
        help: "Skew of the Zipf workloads: higher means fewer, hotter keys (1.0 is classic)",
        kind: ParamKind::Float {
            min: MIN_EXPONENT,
            max: MAX_EXPONENT,
            default: 1.0,
            step: 0.1,
        },
    },
    ParamSpec {
        key: "reads",
        label: "Reads (% of requests)",
        help: "The rest are writes",
        kind: ParamKind::Int {
            min: 0,
            max: 100,
            default: 90,
        },
    },
    ParamSpec {
        key: "rate",
        label: "Request rate (per second)",
        help: "Average arrivals per simulated second (Poisson)",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_RATE,
            default: 200,
        },
    },
    ParamSpec {
        key: "write",
        label: "Write policy",
        help: "How writes reach the origin and the caches",
        kind: ParamKind::Choice {
            options: WRITE_POLICIES,
            default: "cache-aside",
        },
    },
    ParamSpec {
        key: "delay",
        label: "Write-behind delay (ms)",
        help: "How long a buffered write waits before it reaches the origin",
        kind: ParamKind::Int {
            min: MIN_DELAY_MS,
            max: MAX_DELAY_MS,
            default: 2_000,
        },
    },
    ParamSpec {
        key: "coalescing",
        label: "Request coalescing",
        help: "Concurrent misses on one key share one origin load (singleflight)",
        kind: ParamKind::Choice {
            options: &[("off", "Off"), ("on", "On")],
            default: "off",
        },
    },
    ParamSpec {
        key: "nodes",
        label: "App nodes",
        help: "Each with its own L1 in front of the one L2; requests take turns",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_APP_NODES as i64,
            default: 1,
        },
    },
    ParamSpec {
        key: "invalidate",
        label: "L1 invalidation",
        help: "What tells the other nodes' L1s about a write",
        kind: ParamKind::Choice {
            options: INVALIDATIONS,
            default: "none",
        },
    },
    ParamSpec {
        key: "ttl",
        label: "Cache TTL (s)",
        help: "How long a written or loaded value stays in L1 (L2 keeps it twice as long): shorter is fresher, longer spares the origin",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_TTL_S,
            default: 60,
        },
    },
    ParamSpec {
        key: "refill",
        label: "L1 refill TTL (s)",
        help: "How long the L1 copy made on an L2 hit lives; it ignores how long the L2 entry has left, so L1 can outlive L2's copy",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_TTL_S,
            default: 300,
        },
    },
    ParamSpec {
        key: "l2",
        label: "L2 memory limit (KiB)",
        help: "maxmemory of the shared cache; over it, Redis-style sampled eviction",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_L2_KIB,
            default: 8,
        },
    },
    ParamSpec {
        key: "l2policy",
        label: "L2 eviction policy",
        help: "Redis's maxmemory-policy: which key the shared cache gives up, or whether it refuses the write, when a write needs room",
        kind: ParamKind::Choice {
            options: L2_POLICIES,
            default: "allkeys-lru",
        },
    },
    ParamSpec {
        key: "lfufactor",
        label: "L2 lfu-log-factor",
        help: "allkeys-lfu only: how slowly a key's counter grows; at 10 (Redis's default) 100 hits make about 10, a million make 255",
        kind: ParamKind::Int {
            min: 0,
            max: MAX_LFU_FACTOR,
            default: 10,
        },
    },
    ParamSpec {
        key: "lfudecay",
        label: "L2 lfu-decay-time (s)",
        help: "allkeys-lfu only: a key's counter loses 1 per period without access (Redis's default 1 minute); 0 never decays",
        kind: ParamKind::Int {
            min: 0,
            max: MAX_LFU_DECAY_S,
            default: 60,
        },
    },
];

/// Longest TTL the settings offer (an hour).
const MAX_TTL_S: i64 = 3_600;

pub fn parse_policy(name: &str) -> Option<EvictionPolicy> {
    EvictionPolicy::ALL.into_iter().find(|p| p.name() == name)
}

pub fn policy_label(p: EvictionPolicy) -> &'static str {
    POLICIES
        .iter()
        .find(|(n, _)| *n == p.name())
        .map(|(_, l)| *l)
        .unwrap_or("?")
}

/// The workload named `name` over `keys` keys (clamped, as the exponent), in the core's
/// teaching shape for its kind ([`WorkloadKind::workload`]).
pub fn workload(name: &str, keys: u64, exponent: f64) -> Option<KeyWorkload> {
    let keys = keys.clamp(MIN_KEYS as u64, MAX_KEYS as u64);
    WorkloadKind::from_name(name).map(|kind| kind.workload(keys, clamp_exponent(exponent)))
}

/// The write policy named `name`; write-behind flushes after `delay_ms` (clamped).
pub fn write_policy(name: &str, delay_ms: i64) -> Option<WritePolicy> {
    Some(match name {
        "cache-aside" => WritePolicy::CacheAside,
        "write-through" => WritePolicy::WriteThrough,
        "write-behind" => WritePolicy::WriteBehind {
            delay: SimDuration::from_millis(delay_ms.clamp(MIN_DELAY_MS, MAX_DELAY_MS) as u64),
        },
        _ => return None,
    })
}

/// The core config for these settings.
pub fn cache_config(p: &ParamValues, seed: u64) -> CachingConfig {
    let keys = p.int("keys").clamp(MIN_KEYS, MAX_KEYS) as u64;
    let exponent = p.float("zipf");
    let defaults = CachingConfig::default();
    CachingConfig {
        seed,
        l1: L1Config {
            policy: parse_policy(p.choice("policy")).unwrap_or_default(),
            capacity: p.int("capacity").clamp(1, MAX_CAPACITY) as u64,
            ..L1Config::default()
        },
        l2: L2Config {
            memory_limit: Some(p.int("l2").clamp(1, MAX_L2_KIB) as u64 * 1_024),
            policy: L2Policy::from_name(p.choice("l2policy")).unwrap_or_default(),
            lfu_log_factor: p.int("lfufactor").clamp(0, MAX_LFU_FACTOR) as u32,
            lfu_decay_time: SimDuration::from_secs(
                p.int("lfudecay").clamp(0, MAX_LFU_DECAY_S) as u64
            ),
            ..L2Config::default()
        },
        workload: workload(p.choice("workload"), keys, exponent).unwrap_or(defaults.workload),
        read_ratio: p.int("reads").clamp(0, 100) as f64 / 100.0,
        arrivals: Some(ArrivalProcess::Poisson {
            rate: p.int("rate").clamp(1, MAX_RATE) as f64,
        }),
        write_policy: write_policy(p.choice("write"), p.int("delay")).unwrap_or_default(),
        coalescing: p.choice("coalescing") == "on",
        set_ttl: SimDuration::from_secs(p.int("ttl").clamp(1, MAX_TTL_S) as u64),
        refill_ttl: SimDuration::from_secs(p.int("refill").clamp(1, MAX_TTL_S) as u64),
        switch_exponent: clamp_exponent(exponent),
        app_nodes: p.int("nodes").clamp(1, i64::from(MAX_APP_NODES)) as u8,
        invalidation: if p.choice("invalidate") == "broadcast" {
            Invalidation::Broadcast
        } else {
            Invalidation::None
        },
        ..defaults
    }
}

/// The L1 policies of the lane set `set`, in lane order.
pub fn lane_policies(set: &str) -> Vec<EvictionPolicy> {
    use EvictionPolicy::{FifoNaive, Lfu, Lru, Ttl, WTinyLfu};
    match set {
        "all" => EvictionPolicy::ALL.to_vec(),
        "lru-fifo" => vec![Lru, FifoNaive],
        "frequency" => vec![Lru, Lfu, WTinyLfu],
        _ => vec![Lru, Lfu, Ttl, WTinyLfu],
    }
}

/// The core race for these settings: one lane under the chosen policy, or the chosen lane set.
pub fn race_config(p: &ParamValues, seed: u64) -> CachingRaceConfig {
    let base = cache_config(p, seed);
    if p.choice("mode") == "race" {
        CachingRaceConfig {
            base,
            lanes: lane_policies(p.choice("lanes")),
        }
    } else {
        CachingRaceConfig::single(base)
    }
}

/// A Zipf exponent within the settings' range (1.0 for a value that is not a number).
fn clamp_exponent(e: f64) -> f64 {
    if e.is_finite() {
        e.clamp(MIN_EXPONENT, MAX_EXPONENT)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue;
    use scalelab_core::caching::CachingModel;
    use scalelab_core::Model;

    #[test]
    fn choice_values_are_core_names() {
        for (name, _) in POLICIES {
            assert_eq!(parse_policy(name).map(|p| p.name()), Some(*name));
        }
        for (name, _) in WORKLOADS {
            assert_eq!(workload(name, 200, 1.0).map(|w| w.name()), Some(*name));
        }
        for (name, _) in WRITE_POLICIES {
            assert_eq!(write_policy(name, 100).map(|w| w.name()), Some(*name));
        }
        for (name, _) in L2_POLICIES {
            assert_eq!(L2Policy::from_name(name).map(L2Policy::name), Some(*name));
        }
        for (name, _) in INVALIDATIONS {
            let named = [Invalidation::None, Invalidation::Broadcast].map(Invalidation::name);
            assert!(named.contains(name), "{name}");
        }
        assert!(parse_policy("lru-ish").is_none());
        assert!(workload("random", 200, 1.0).is_none());
    }

    #[test]
    fn every_setting_extreme_builds() {
        for spec in SPECS {
            for raw in spec.extremes() {
                let mut p = ParamValues::defaults(SPECS);
                p.set(spec.key, spec.parse(&raw).unwrap());
                // The scene's model (what `CachingScene::build` makes) runs a few steps.
                let mut m = CachingModel::new(cache_config(&p, 7))
                    .unwrap_or_else(|e| panic!("{}={raw}: {e}", spec.key));
                for _ in 0..50 {
                    m.step();
                }
            }
        }
    }

    #[test]
    fn every_workload_at_every_extreme_builds() {
        for (name, _) in WORKLOADS {
            for keys in [MIN_KEYS as u64, MAX_KEYS as u64] {
                for e in [MIN_EXPONENT, MAX_EXPONENT] {
                    let w = workload(name, keys, e).unwrap();
                    w.validate()
                        .unwrap_or_else(|err| panic!("{name} {keys} {e}: {err}"));
                }
            }
        }
    }

    #[test]
    fn out_of_range_values_are_clamped_not_trusted() {
        let mut p = ParamValues::defaults(SPECS);
        p.set("capacity", ParamValue::Int(1_000_000));
        p.set("keys", ParamValue::Int(-5));
        p.set("zipf", ParamValue::Float(f64::NAN));
        p.set("l2", ParamValue::Int(0));
        p.set("rate", ParamValue::Int(i64::MAX));
        let c = cache_config(&p, 1);
        assert_eq!(c.l1.capacity, MAX_CAPACITY as u64);
        assert_eq!(c.workload.keys(), MIN_KEYS as u64);
        assert!(CachingModel::new(c).is_ok());
        // Without the L2 settings a link is Redis's default, as before they existed.
        let c = cache_config(&ParamValues::defaults(SPECS), 1);
        assert_eq!(c.l2, L2Config::default());
    }

    #[test]
    fn every_lane_set_races_distinct_core_policies() {
        use scalelab_core::caching::CachingRace;
        for (set, _) in LANE_SETS {
            let mut p = ParamValues::defaults(SPECS);
            p.set("mode", ParamValue::Choice("race"));
            p.set("lanes", ParamValue::Choice(set));
            let c = race_config(&p, 1);
            assert_eq!(c.lanes, lane_policies(set), "{set}");
            assert!(c.lanes.len() > 1, "{set}");
            assert!(CachingRace::new(c).unwrap().is_race(), "{set}");
        }
        // The one-policy view is one lane under the chosen policy, whatever the lane set.
        let mut p = ParamValues::defaults(SPECS);
        p.set("policy", ParamValue::Choice("lfu"));
        p.set("lanes", ParamValue::Choice("all"));
        assert_eq!(race_config(&p, 1).lanes, vec![EvictionPolicy::Lfu]);
    }

    /// L1 hit rate after `steps` steps of the scan workload under `policy`.
    fn scan_hit_rate(policy: &str, steps: u32) -> f64 {
        let mut p = ParamValues::defaults(SPECS);
        p.set("workload", ParamValue::Choice("scan"));
        p.set("policy", SPECS[0].parse(policy).unwrap());
        p.set("keys", ParamValue::Int(20));
        let mut m = CachingModel::new(cache_config(&p, 42)).unwrap();
        for _ in 0..steps {
            m.step();
        }
        m.stats().l1.hit_rate
    }

    #[test]
    fn fifo_naive_and_lru_differ_on_the_scan_workload() {
        let lru = scan_hit_rate("lru", 4_000);
        let fifo = scan_hit_rate("fifo-naive", 4_000);
        eprintln!("scan, 20 keys, 16 slots: lru {lru}, fifo-naive {fifo}");
        assert!(lru > 0.0 || fifo > 0.0, "some hits: lru {lru}, fifo {fifo}");
        assert!(
            (lru - fifo).abs() > 1e-6,
            "same seed, different policy, different L1 hit rate: lru {lru}, fifo {fifo}"
        );
        // A loop a little longer than the cache is LRU's worst case: each key is evicted just
        // before it comes round again, while FIFO's order, untouched by hits, keeps some.
        assert!(fifo > lru + 0.1, "lru {lru}, fifo-naive {fifo}");
    }
}
