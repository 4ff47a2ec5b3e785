//! The sharding scene: keys on a consistent-hash ring (or in per-shard bins for the routers
//! without a ring), exact moved-key counts per router when a shard is added or removed,
//! step-by-step migration and rebalancing (lossless directory vs the guide's naive version),
//! and scatter-gather queries next to a single-key lookup.
//!
//! The model is the core [`ShardSim`]; the scene's actions only call its operations.

mod build;
mod drawing;
mod loss;
mod moves;
mod query;

use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::sharding::{
    Filter, ShardEvent, ShardEventKind, ShardId, ShardSim, ShardingError,
};
use scalelab_core::timeline::Action;
use scalelab_core::Model;
use yew::prelude::*;

pub use build::{shard_config, SPECS};
pub use moves::{movement_rows, MoveRow};

/// The scene refuses to grow beyond this many live shards, so the drawing stays legible
/// (the core itself accepts up to 1 024).
pub const MAX_SCENE_SHARDS: usize = 32;
/// Largest key rank a link may ask to query.
const MAX_RANK: u64 = 1_000_000;

pub struct ShardingScene;

/// What a user can do to the sharded store. Each variant calls one core operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShardAction {
    /// Add a shard (weight 1); keys that now route to it migrate in batches.
    AddShard,
    /// Take a shard out of the router; its keys migrate and it retires when empty.
    RemoveShard { shard: u32 },
    /// The guide's threshold rebalance (120 % / 80 % of the average).
    Rebalance,
    /// Scatter-gather: records whose `score` is in `[min, max]`.
    QueryRange { min: i64, max: i64 },
    /// Scatter-gather: keys starting with `user:<digits>`.
    QueryPrefix { digits: u64 },
    /// One key, routed to the one shard that owns it.
    QueryKey { rank: u64 },
}

impl ShardAction {
    pub fn filter(&self) -> Option<Filter> {
        match self {
            ShardAction::QueryRange { min, max } => Some(Filter::NumberInRange {
                field: "score".to_string(),
                min: *min,
                max: *max,
            }),
            ShardAction::QueryPrefix { digits } => Some(Filter::KeyPrefix {
                prefix: format!("user:{digits}"),
            }),
            _ => None,
        }
    }
}

impl Action<ShardSim> for ShardAction {
    fn apply(&self, sim: &mut ShardSim) -> Result<(), scalelab_core::Error> {
        let result = match self {
            ShardAction::AddShard => {
                let live = sim.manager().live_shards().len();
                if live >= MAX_SCENE_SHARDS {
                    Err(ShardingError::TooManyShards {
                        requested: live as u64 + 1,
                        max: MAX_SCENE_SHARDS as u64,
                    })
                } else {
                    sim.add_shard().map(|_| ())
                }
            }
            ShardAction::RemoveShard { shard } => sim.remove_shard(ShardId(*shard)),
            ShardAction::Rebalance => sim.start_rebalance().map(|_| ()),
            ShardAction::QueryKey { rank } => sim.query_key(&format!("user:{rank}")).map(|_| ()),
            ShardAction::QueryRange { .. } | ShardAction::QueryPrefix { .. } => match self.filter()
            {
                Some(f) => sim.run_query(&f).map(|_| ()),
                None => Ok(()),
            },
        };
        result.map_err(scalelab_core::Error::from)
    }
}

impl Scene for ShardingScene {
    type Model = ShardSim;
    type Event = ShardEvent;
    type Action = ShardAction;
    const ID: SceneId = SceneId::Sharding;
    const TITLE: &'static str = "Sharding";
    const BLURB: &'static str = "Keys on a consistent-hash ring. Add a shard and count exactly which keys move under \
        modulo, ring and jump hashing; rebalance step by step while reads go on.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<ShardSim, scalelab_core::Error> {
        Ok(ShardSim::new(shard_config(params, seed))?)
    }

    fn narrate(_model: &Self::Model, e: &ShardEvent) -> Option<String> {
        // Plain reads, writes and single key moves are too frequent to be worth a sentence.
        match e.kind {
            ShardEventKind::Read { .. }
            | ShardEventKind::Write { .. }
            | ShardEventKind::ReadMiss { .. }
            | ShardEventKind::KeyMoved { .. } => None,
            _ => Some(e.kind.narrate()),
        }
    }

    fn encode_action(a: &ShardAction) -> String {
        match a {
            ShardAction::AddShard => "add".into(),
            ShardAction::RemoveShard { shard } => format!("rm.{shard}"),
            ShardAction::Rebalance => "rebal".into(),
            ShardAction::QueryRange { min, max } => format!("qr.{min}.{max}"),
            ShardAction::QueryPrefix { digits } => format!("qp.{digits}"),
            ShardAction::QueryKey { rank } => format!("qk.{rank}"),
        }
    }

    fn decode_action(text: &str) -> Option<ShardAction> {
        let mut parts = text.trim().split('.');
        let op = parts.next()?;
        let a = parts.next();
        let b = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let int = |s: Option<&str>| s.and_then(|s| s.parse::<i64>().ok());
        let action = match (op, a, b) {
            ("add", None, None) => ShardAction::AddShard,
            ("rebal", None, None) => ShardAction::Rebalance,
            ("rm", Some(s), None) => ShardAction::RemoveShard {
                shard: s.parse().ok()?,
            },
            ("qr", Some(_), Some(_)) => ShardAction::QueryRange {
                min: int(a)?,
                max: int(b)?,
            },
            ("qp", Some(d), None) => ShardAction::QueryPrefix {
                digits: d.parse().ok().filter(|d| *d <= MAX_RANK)?,
            },
            ("qk", Some(r), None) => ShardAction::QueryKey {
                rank: r.parse().ok().filter(|r| *r <= MAX_RANK)?,
            },
            _ => return None,
        };
        Some(action)
    }

    fn describe_action(a: &ShardAction) -> String {
        match a {
            ShardAction::AddShard => "you added a shard".into(),
            ShardAction::RemoveShard { shard } => format!("you removed shard S{shard}"),
            ShardAction::Rebalance => "you started a rebalance (120 % / 80 % thresholds)".into(),
            ShardAction::QueryRange { min, max } => {
                format!("you ran a cross-shard query for scores {min} to {max}")
            }
            ShardAction::QueryPrefix { digits } => {
                format!("you ran a cross-shard query for keys starting user:{digits}")
            }
            ShardAction::QueryKey { rank } => format!("you queried one key (rank {rank})"),
        }
    }

    fn metric_names() -> &'static [&'static str] {
        &[
            "imbalance_max_over_avg",
            "unreadable_keys",
            "stale_keys",
            "keys_moved",
            "keys_in_flight",
            "directory_size",
            "reads_per_s",
            "unreadable_reads",
        ]
    }

    fn metrics(sim: &ShardSim) -> Vec<f64> {
        let m = sim.manager();
        let stats = sim.stats();
        let secs = sim.now().as_secs_f64();
        let lost = loss::loss(sim);
        vec![
            drawing::imbalance(sim),
            lost.unreadable as f64,
            lost.stale as f64,
            stats.keys_moved as f64,
            m.keys_in_flight() as f64,
            m.directory_len() as f64,
            if secs > 0.0 {
                stats.reads as f64 / secs
            } else {
                0.0
            },
            stats.unreadable_reads as f64,
        ]
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        drawing::view(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_actions() -> Vec<ShardAction> {
        vec![
            ShardAction::AddShard,
            ShardAction::RemoveShard { shard: 0 },
            ShardAction::RemoveShard { shard: 17 },
            ShardAction::Rebalance,
            ShardAction::QueryRange { min: 100, max: 199 },
            ShardAction::QueryRange { min: -5, max: 0 },
            ShardAction::QueryPrefix { digits: 1 },
            ShardAction::QueryPrefix { digits: 42 },
            ShardAction::QueryKey { rank: 0 },
            ShardAction::QueryKey { rank: 4_999 },
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

    #[test]
    fn actions_apply_to_the_default_scene() {
        let mut sim = ShardingScene::build(&ParamValues::defaults(SPECS), 42).unwrap();
        for a in all_actions() {
            // Unknown shard 17 is a user-facing error, not a panic.
            let r = a.apply(&mut sim);
            if a == (ShardAction::RemoveShard { shard: 17 }) {
                assert!(r.is_err());
            } else if a == ShardAction::Rebalance {
                // Refused while the removal's keys are still moving.
                assert!(r.is_err());
            } else {
                r.unwrap_or_else(|e| panic!("{a:?}: {e}"));
            }
        }
        let mut out = Vec::new();
        sim.run_into(200, &mut out);
        assert_eq!(sim.manager().live_shards().len(), 4);
        assert_eq!(
            ShardingScene::metrics(&sim).len(),
            ShardingScene::metric_names().len()
        );
    }

    /// The scene's own error text is what the core's `Display` says.
    #[test]
    fn errors_read_as_the_core_writes_them() {
        let mut sim = ShardingScene::build(&ParamValues::defaults(SPECS), 42).unwrap();
        let e = ShardAction::RemoveShard { shard: 17 }
            .apply(&mut sim)
            .unwrap_err();
        assert_eq!(
            crate::scenes::error_text::<ShardingScene>(&e),
            e.to_string()
        );
        for _ in 4..MAX_SCENE_SHARDS {
            ShardAction::AddShard.apply(&mut sim).unwrap();
        }
        let e = ShardAction::AddShard.apply(&mut sim).unwrap_err();
        assert_eq!(
            crate::scenes::error_text::<ShardingScene>(&e),
            e.to_string()
        );
    }

    #[test]
    fn add_shard_is_capped_for_the_drawing() {
        let mut sim = ShardingScene::build(&ParamValues::defaults(SPECS), 1).unwrap();
        for _ in 4..MAX_SCENE_SHARDS {
            ShardAction::AddShard.apply(&mut sim).unwrap();
        }
        assert!(ShardAction::AddShard.apply(&mut sim).is_err());
    }
}
