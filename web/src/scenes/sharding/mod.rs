//! The sharding scene: keys on a consistent-hash ring (or in per-shard bins for the routers
//! without a ring), exact moved-key counts per router when a shard is added or removed,
//! step-by-step migration and rebalancing (a lossless directory, or the naive version that
//! makes moved keys unreadable),
//! and scatter-gather queries next to a single-key lookup.
//!
//! The model, its actions and its readouts are the core's [`ShardingModel`]; this scene parses
//! links into [`ShardingAction`]s, narrates and draws.

mod build;
mod inspect;
mod view;

use crate::components::inspector::Inspection;
use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::sharding::{
    Aggregate, RebalanceReason, ShardEventKind, ShardFault, ShardingAction, ShardingEvent,
    ShardingModel, MAX_SLOW_FACTOR, MAX_TOP_K,
};
use yew::prelude::*;

pub use build::{router_kind, shard_config, ROUTERS, SPECS};
pub use inspect::Focus;

/// Largest key rank a link may ask to query.
const MAX_RANK: u64 = 1_000_000;

pub struct ShardingScene;

impl Scene for ShardingScene {
    type Focus = Focus;

    fn inspect(model: &ShardingModel, focus: Option<Focus>) -> Inspection {
        inspect::inspect(model, focus)
    }

    type Model = ShardingModel;
    type Event = ShardingEvent;
    type Action = ShardingAction;
    const ID: SceneId = SceneId::Sharding;
    const TITLE: &'static str = "Sharding";
    /// About 1 000 steps per simulated second: 20 a second on screen.
    const SPEED: f64 = 0.02;
    /// About fourteen lookups: a key's trip to its shard shows at 1/50× as the drawing was designed (700 ms).
    const MOTION_SIM_MS: f64 = 14.0;
    const BLURB: &'static str =
        "Keys on a consistent-hash ring. Add a shard and count exactly which keys move under \
        modulo, ring and jump hashing; rebalance step by step while reads go on.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<ShardingModel, scalelab_core::Error> {
        Ok(ShardingModel::new(shard_config(params, seed))?)
    }

    fn narrate(model: &Self::Model, e: &ShardingEvent) -> Option<String> {
        // Single key moves are too frequent to be worth a sentence. A plain read or write is
        // told by the decision behind it (which names the key, the shard and why); a lost
        // key, a query and a load rebalance by what happened, then why.
        let route = |key: &str| {
            model
                .last_route()
                .filter(|d| d.at == e.at && d.key == key)
                .map(|d| d.to_string())
        };
        let why = match &e.kind {
            // Each shard's answer (its count or partial, and its time, or "down: no answer") is
            // written beside its row in the drawing, and the gather narrates the merged answer.
            ShardEventKind::KeyMoved { .. }
            | ShardEventKind::QueryShardAnswered { .. }
            | ShardEventKind::QueryShardFailed { .. }
            | ShardEventKind::AggregateShardAnswered { .. } => return None,
            ShardEventKind::Read { key, .. }
            | ShardEventKind::Write { key, .. }
            | ShardEventKind::ReadMiss { key, .. } => return route(key),
            ShardEventKind::Unreadable { key, .. } | ShardEventKind::StaleRead { key, .. } => {
                route(key)
            }
            ShardEventKind::QueryRouted { key, .. } => route(key),
            ShardEventKind::QueryScattered { query, .. }
            | ShardEventKind::AggregateScattered { query, .. } => model
                .last_fan_out()
                .filter(|d| d.query == *query)
                .map(|d| d.to_string()),
            ShardEventKind::RebalanceStarted {
                reason: RebalanceReason::LoadImbalance,
                ..
            } => model
                .last_rebalance()
                .filter(|d| d.at == e.at)
                .map(|d| d.to_string()),
            _ => None,
        };
        let what = e.kind.narrate();
        Some(match why {
            Some(why) => format!("{what} Why: {why}"),
            None => what,
        })
    }

    fn encode_action(a: &ShardingAction) -> String {
        match a {
            ShardingAction::AddShard => "add".into(),
            ShardingAction::RemoveShard { shard } => format!("rm.{shard}"),
            ShardingAction::Rebalance => "rebal".into(),
            ShardingAction::QueryRange { min, max } => format!("qr.{min}.{max}"),
            ShardingAction::QueryPrefix { digits } => format!("qp.{digits}"),
            ShardingAction::QueryKey { rank } => format!("qk.{rank}"),
            ShardingAction::SetFault { shard, fault } => match fault {
                ShardFault::Healthy => format!("heal.{shard}"),
                ShardFault::Slow { factor } => format!("slow.{shard}.{factor}"),
                ShardFault::Down => format!("down.{shard}"),
            },
            ShardingAction::Aggregate { aggregate } => match aggregate {
                Aggregate::Count => "agg.count".into(),
                Aggregate::Sum => "agg.sum".into(),
                Aggregate::TopK { k } => format!("agg.top.{k}"),
            },
        }
    }

    fn decode_action(text: &str) -> Option<ShardingAction> {
        let mut parts = text.trim().split('.');
        let op = parts.next()?;
        let a = parts.next();
        let b = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let int = |s: Option<&str>| s.and_then(|s| s.parse::<i64>().ok());
        let action = match (op, a, b) {
            ("add", None, None) => ShardingAction::AddShard,
            ("rebal", None, None) => ShardingAction::Rebalance,
            ("rm", Some(s), None) => ShardingAction::RemoveShard {
                shard: s.parse().ok()?,
            },
            ("qr", Some(_), Some(_)) => ShardingAction::QueryRange {
                min: int(a)?,
                max: int(b)?,
            },
            ("qp", Some(d), None) => ShardingAction::QueryPrefix {
                digits: d.parse().ok().filter(|d| *d <= MAX_RANK)?,
            },
            ("qk", Some(r), None) => ShardingAction::QueryKey {
                rank: r.parse().ok().filter(|r| *r <= MAX_RANK)?,
            },
            ("heal" | "down", Some(s), None) => ShardingAction::SetFault {
                shard: s.parse().ok()?,
                fault: if op == "heal" {
                    ShardFault::Healthy
                } else {
                    ShardFault::Down
                },
            },
            ("slow", Some(s), Some(f)) => ShardingAction::SetFault {
                shard: s.parse().ok()?,
                fault: ShardFault::Slow {
                    factor: f
                        .parse()
                        .ok()
                        .filter(|f| (2..=MAX_SLOW_FACTOR).contains(f))?,
                },
            },
            ("agg", Some(what), k) => ShardingAction::Aggregate {
                aggregate: match (what, k) {
                    ("count", None) => Aggregate::Count,
                    ("sum", None) => Aggregate::Sum,
                    ("top", Some(k)) => Aggregate::TopK {
                        k: k.parse().ok().filter(|k| (1..=MAX_TOP_K).contains(k))?,
                    },
                    _ => return None,
                },
            },
            _ => return None,
        };
        Some(action)
    }

    fn describe_action(a: &ShardingAction) -> String {
        match a {
            ShardingAction::AddShard => "you added a shard".into(),
            ShardingAction::RemoveShard { shard } => format!("you removed shard S{shard}"),
            ShardingAction::Rebalance => "you started a rebalance (120 % / 80 % thresholds)".into(),
            ShardingAction::QueryRange { min, max } => {
                format!("you ran a cross-shard query for scores {min} to {max}")
            }
            ShardingAction::QueryPrefix { digits } => {
                format!("you ran a cross-shard query for keys starting user:{digits}")
            }
            ShardingAction::QueryKey { rank } => format!("you queried one key (rank {rank})"),
            ShardingAction::Aggregate { aggregate } => {
                format!("you ran a cross-shard aggregate: {aggregate}")
            }
            ShardingAction::SetFault { shard, fault } => match fault {
                ShardFault::Healthy => format!("you cleared the fault of shard S{shard}"),
                fault => format!("you made shard S{shard} {fault}"),
            },
        }
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        view::view(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::timeline::Action;

    fn all_actions() -> Vec<ShardingAction> {
        vec![
            ShardingAction::AddShard,
            ShardingAction::RemoveShard { shard: 0 },
            ShardingAction::RemoveShard { shard: 17 },
            ShardingAction::Rebalance,
            ShardingAction::QueryRange { min: 100, max: 199 },
            ShardingAction::QueryRange { min: -5, max: 0 },
            ShardingAction::QueryPrefix { digits: 1 },
            ShardingAction::QueryPrefix { digits: 42 },
            ShardingAction::QueryKey { rank: 0 },
            ShardingAction::QueryKey { rank: 4_999 },
            ShardingAction::Aggregate {
                aggregate: Aggregate::Count,
            },
            ShardingAction::SetFault {
                shard: 1,
                fault: ShardFault::Down,
            },
            ShardingAction::SetFault {
                shard: 1,
                fault: ShardFault::Healthy,
            },
            ShardingAction::SetFault {
                shard: 3,
                fault: ShardFault::Slow { factor: 10 },
            },
            ShardingAction::Aggregate {
                aggregate: Aggregate::Sum,
            },
            ShardingAction::Aggregate {
                aggregate: Aggregate::TopK { k: 3 },
            },
            ShardingAction::Aggregate {
                aggregate: Aggregate::TopK { k: MAX_TOP_K },
            },
        ]
    }

    #[test]
    fn actions_round_trip_through_the_url() {
        for a in all_actions() {
            let text = ShardingScene::encode_action(&a);
            assert!(!text.contains(','), "{text}");
            assert!(!text.contains(':'), "{text}");
            assert_eq!(
                ShardingScene::decode_action(&text),
                Some(a.clone()),
                "{text}"
            );
        }
    }

    #[test]
    fn garbage_actions_are_rejected() {
        for bad in [
            "",
            "add.1",
            "rm",
            "rm.x",
            "rm.-1",
            "qr.1",
            "qr.a.b",
            "qr.1.2.3",
            "qk.",
            "qk.99999999999",
            "qp.1.2",
            "nope",
            "rebal.now",
            "agg",
            "agg.max",
            "agg.count.1",
            "agg.top",
            "agg.top.0",
            "agg.top.21",
            "down",
            "down.x",
            "heal.1.2",
            "slow.1",
            "slow.1.1",
            "slow.1.101",
        ] {
            assert_eq!(ShardingScene::decode_action(bad), None, "{bad}");
        }
    }

    #[test]
    fn focus_codes_round_trip() {
        for f in [
            Focus::Shard(0),
            Focus::Shard(17),
            Focus::Key(0),
            Focus::Key(4_999),
        ] {
            assert_eq!(Focus::parse(&f.code()), Some(f));
        }
        for bad in ["", "s", "k-1", "x3", "s3x"] {
            assert_eq!(Focus::parse(bad), None, "{bad}");
        }
    }

    /// The inspector lays out the model's latest route for every router: the winner row is
    /// the shard the request went to, and the headline is the core's sentence.
    #[test]
    fn the_inspector_shows_the_latest_route_and_the_selection() {
        use scalelab_core::sharding::{RouterKind, ShardingConfig};
        use scalelab_core::Model;
        for router in [
            RouterKind::ModuloMd5,
            RouterKind::Ring { virtual_nodes: 10 },
            RouterKind::Jump,
            RouterKind::Rendezvous,
        ] {
            let mut sim = ShardingModel::new(ShardingConfig {
                router,
                ..ShardingConfig::default()
            })
            .unwrap();
            let i = ShardingScene::inspect(&sim, None);
            assert!(i.decision.is_none());
            sim.run_into(20, &mut Vec::new());
            let d = sim.last_route().unwrap();
            let i = ShardingScene::inspect(&sim, Some(Focus::Shard(1)));
            let table = i.decision.unwrap();
            assert_eq!(table.why, d.to_string());
            let chosen: Vec<_> = table.rows.iter().filter(|r| r.0).collect();
            assert_eq!(chosen.len(), 1, "{router:?}: {table:?}");
            if matches!(router, RouterKind::Rendezvous) {
                assert_eq!(chosen[0].1[0], d.routed.to_string());
            }
            assert_eq!(i.focus.unwrap().title, "shard-1");
            let key = ShardingScene::inspect(&sim, Some(Focus::Key(3)))
                .focus
                .unwrap();
            assert_eq!(key.title, "user:3");
            assert!(key.facts[0].1.contains("user:3"), "{key:?}");
            // A shard that does not exist shows nothing.
            assert!(ShardingScene::inspect(&sim, Some(Focus::Shard(99)))
                .focus
                .is_none());
        }
    }

    /// A read or write is narrated by the route behind it.
    #[test]
    fn requests_are_narrated_with_their_why() {
        use scalelab_core::Model;
        let mut sim = ShardingScene::build(&ParamValues::defaults(SPECS), 42).unwrap();
        let mut told = 0;
        for _ in 0..50 {
            for e in sim.step() {
                if let ShardEventKind::Read { .. } | ShardEventKind::Write { .. } = e.kind {
                    let line = ShardingScene::narrate(&sim, &e).unwrap();
                    assert!(line.contains(", so the "), "{line}");
                    told += 1;
                }
            }
        }
        assert!(told > 0);
    }

    /// The scene's own error text is what the core's `Display` says.
    #[test]
    fn errors_read_as_the_core_writes_them() {
        let mut sim = ShardingScene::build(&ParamValues::defaults(SPECS), 42).unwrap();
        let e = ShardingAction::RemoveShard { shard: 17 }
            .apply(&mut sim)
            .unwrap_err();
        assert_eq!(
            crate::scenes::error_text::<ShardingScene>(&e),
            e.to_string()
        );
        while sim.can_add_shard() {
            ShardingAction::AddShard.apply(&mut sim).unwrap();
        }
        let e = ShardingAction::AddShard.apply(&mut sim).unwrap_err();
        assert_eq!(
            crate::scenes::error_text::<ShardingScene>(&e),
            e.to_string()
        );
    }
}
