//! From the scene's settings to a core system config: a preset (the steady day or a classic
//! incident, its trigger scheduled in the config), then the balancer's strategy, the L1
//! policy, the shard router and request coalescing on top of it.

use crate::params::{ParamKind, ParamSpec, ParamValues};
use crate::scenes::{balancing, caching, sharding};
use scalelab_core::balancing::StrategyKind;
use scalelab_core::system::{preset, SystemConfig, SystemError, SystemModel};

/// `(name, label)` of the presets: the steady day, then the core's incidents in its order.
pub const PRESETS: &[(&str, &str)] = &[
    ("steady", "A steady day (no incident)"),
    ("thundering-herd", "Thundering herd after a cache flush"),
    ("hot-shard", "A hot shard"),
    ("slow-replica", "A slow replica dragging p99"),
    ("slow-autoscaler", "An autoscaler too slow for a spike"),
];

/// Virtual nodes per shard when the ring routes keys (the sharding scene's default).
const RING_VNODES: u32 = 100;

pub static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "preset",
        label: "Incident",
        help: "A steady day, or a classic incident that starts by itself a few seconds in",
        kind: ParamKind::Choice {
            options: PRESETS,
            default: "steady",
        },
    },
    ParamSpec {
        key: "strategy",
        label: "Balancer strategy",
        help: "How the load balancer picks an app instance for each request",
        kind: ParamKind::Choice {
            options: balancing::STRATEGIES,
            default: "least-connections",
        },
    },
    ParamSpec {
        key: "l1",
        label: "L1 eviction policy",
        help: "Which entry each instance's own cache gives up when it is full",
        kind: ParamKind::Choice {
            options: caching::POLICIES,
            default: "lru",
        },
    },
    ParamSpec {
        key: "router",
        label: "Shard router",
        help: "How a key finds its shard",
        kind: ParamKind::Choice {
            options: sharding::ROUTERS,
            default: "ring",
        },
    },
    ParamSpec {
        key: "coalescing",
        label: "Request coalescing",
        help: "Whether concurrent misses on one key share one store read (single flight)",
        kind: ParamKind::Choice {
            options: &[
                ("off", "Off: every miss reads the store"),
                ("on", "On: one read per key, the others wait for it"),
            ],
            default: "off",
        },
    },
];

/// The config the settings describe, seeded with `seed`.
pub fn system_config(params: &ParamValues, seed: u64) -> SystemConfig {
    let mut config = preset(params.choice("preset"))
        .map(|p| p.scheduled())
        .unwrap_or_default();
    config.seed = seed;
    // Every listed strategy name is the core's (a test checks), so the fallback is never taken.
    config.balancer.strategy =
        StrategyKind::from_name(params.choice("strategy")).unwrap_or(config.balancer.strategy);
    if let Some(policy) = caching::parse_policy(params.choice("l1")) {
        config.l1.policy = policy;
    }
    config.store.router = sharding::router_kind(params.choice("router"), RING_VNODES);
    config.coalescing = params.choice("coalescing") == "on";
    config
}

/// The model the settings describe.
pub fn build_model(params: &ParamValues, seed: u64) -> Result<SystemModel, SystemError> {
    SystemModel::new(system_config(params, seed))
}

/// The name and title of the preset the settings name (none on the steady day).
pub fn preset_story(params: &ParamValues) -> Option<(&'static str, &'static str)> {
    preset(params.choice("preset")).map(|p| (p.name, p.title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::system::presets;

    fn with(pairs: &[(&str, &str)]) -> ParamValues {
        let mut p = ParamValues::defaults(SPECS);
        for (k, v) in pairs {
            let spec = SPECS.iter().find(|s| s.key == *k).unwrap();
            p.set(spec.key, spec.parse(v).unwrap());
        }
        p
    }

    /// The picker lists the steady day and every core preset, in the core's order.
    #[test]
    fn the_picker_lists_every_preset() {
        let names: Vec<&str> = PRESETS.iter().skip(1).map(|(n, _)| *n).collect();
        let core: Vec<&str> = presets().iter().map(|p| p.name).collect();
        assert_eq!(names, core);
        for p in presets() {
            let listed = PRESETS.iter().find(|(n, _)| *n == p.name).unwrap();
            assert_eq!(listed.1, p.title);
        }
    }

    #[test]
    fn every_setting_reaches_the_config() {
        let c = system_config(&ParamValues::defaults(SPECS), 9);
        assert_eq!(c.seed, 9);
        assert_eq!(c.schedule, []);
        assert_eq!(c.balancer.strategy, StrategyKind::LeastConnections);
        for (name, _) in balancing::STRATEGIES {
            let c = system_config(&with(&[("strategy", name)]), 1);
            assert_eq!(c.balancer.strategy, StrategyKind::from_name(name).unwrap());
        }
        for (name, _) in caching::POLICIES {
            let c = system_config(&with(&[("l1", name)]), 1);
            assert_eq!(c.l1.policy.name(), *name);
        }
        let c = system_config(&with(&[("router", "jump"), ("coalescing", "on")]), 1);
        assert_eq!(c.store.router, scalelab_core::sharding::RouterKind::Jump);
        assert!(c.coalescing);
        // A preset brings its config and its trigger; the other settings apply on top.
        let herd = presets().into_iter().next().unwrap();
        let c = system_config(&with(&[("preset", herd.name), ("l1", "lfu")]), 42);
        let mut expected = herd.scheduled();
        expected.l1.policy = c.l1.policy;
        assert_eq!(c, expected);
        assert_eq!(c.schedule.len(), 1);
        assert!(preset_story(&with(&[("preset", herd.name)])).is_some());
        assert!(preset_story(&ParamValues::defaults(SPECS)).is_none());
    }
}
