//! The sharding scene: keys on a consistent-hash ring (or in per-shard bins for the routers
//! without a ring), exact moved-key counts per router when a shard is added or removed,
//! step-by-step migration and rebalancing (a lossless directory, or the naive version that
//! makes moved keys unreadable),
//! and scatter-gather queries next to a single-key lookup.
//!
//! The model, its actions and its readouts are the core's [`ShardingModel`]; this scene parses
//! links into [`ShardingAction`]s, narrates and draws.

mod build;
mod view;

use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::sharding::{ShardEventKind, ShardingAction, ShardingEvent, ShardingModel};
use yew::prelude::*;

pub use build::{shard_config, SPECS};

/// Largest key rank a link may ask to query.
const MAX_RANK: u64 = 1_000_000;

pub struct ShardingScene;

impl Scene for ShardingScene {
    /// A shard, by position (nothing is selectable while the page has no inspector).
    type Focus = u32;

    /// No inspector on this page yet: the core records every route, fan-out and rebalance
    /// decision ([`ShardingModel::last_decision`]), but drawing them, with shards and keys
    /// selectable, costs the page about 5.6 KB gzipped, past its 150 KB budget.
    fn inspect(_: &Self::Model, _: Option<u32>) -> Option<crate::components::inspector::Inspection> {
        None
    }

    type Model = ShardingModel;
    type Event = ShardingEvent;
    type Action = ShardingAction;
    const ID: SceneId = SceneId::Sharding;
    const TITLE: &'static str = "Sharding";
    const BLURB: &'static str = "Keys on a consistent-hash ring. Add a shard and count exactly which keys move under \
        modulo, ring and jump hashing; rebalance step by step while reads go on.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<ShardingModel, scalelab_core::Error> {
        Ok(ShardingModel::new(shard_config(params, seed))?)
    }

    fn narrate(_model: &Self::Model, e: &ShardingEvent) -> Option<String> {
        // Plain reads, writes and single key moves are too frequent to be worth a sentence.
        match e.kind {
            ShardEventKind::Read { .. }
            | ShardEventKind::Write { .. }
            | ShardEventKind::ReadMiss { .. }
            | ShardEventKind::KeyMoved { .. } => None,
            _ => Some(e.kind.narrate()),
        }
    }

    fn encode_action(a: &ShardingAction) -> String {
        match a {
            ShardingAction::AddShard => "add".into(),
            ShardingAction::RemoveShard { shard } => format!("rm.{shard}"),
            ShardingAction::Rebalance => "rebal".into(),
            ShardingAction::QueryRange { min, max } => format!("qr.{min}.{max}"),
            ShardingAction::QueryPrefix { digits } => format!("qp.{digits}"),
            ShardingAction::QueryKey { rank } => format!("qk.{rank}"),
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
        ] {
            assert_eq!(ShardingScene::decode_action(bad), None, "{bad}");
        }
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
