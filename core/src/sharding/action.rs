//! What a user can do to the sharding scene, as data: a timeline logs and replays these, and a
//! link carries them.

use super::{key_name, Aggregate, Filter, ShardFault, ShardId, ShardingError, ShardingModel};
use crate::timeline::Action;

/// One user operation on a [`ShardingModel`]. Each variant calls one operation of the model;
/// an operation the model refuses leaves it unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShardingAction {
    /// Add a shard (weight 1); keys that now route to it migrate in batches. Refused beyond
    /// [`super::ShardingConfig::max_live_shards`] live shards.
    AddShard,
    /// Take shard `shard` out of the router; its keys migrate and it retires when empty.
    RemoveShard {
        /// The shard's id.
        shard: u32,
    },
    /// The threshold rebalance (shards above 120 % of the average give keys to shards below
    /// 80 %); refused while keys are still moving.
    Rebalance,
    /// Scatter-gather: records whose `score` is in `[min, max]`.
    QueryRange {
        /// Lowest score matched.
        min: i64,
        /// Highest score matched.
        max: i64,
    },
    /// Scatter-gather: keys starting with `user:<digits>` (neighbouring keys hash apart, so
    /// every shard is asked).
    QueryPrefix {
        /// The digits after `user:`.
        digits: u64,
    },
    /// One key, `user:<rank>`, routed to the one shard that owns it.
    QueryKey {
        /// The key's rank.
        rank: u64,
    },
    /// Make shard `shard` slow or failed, or clear its fault.
    SetFault {
        /// The shard's id.
        shard: u32,
        /// Its health from now on.
        fault: ShardFault,
    },
    /// Scatter-gather: COUNT, SUM or top-k of every record, merged from each shard's partial.
    Aggregate {
        /// What to compute.
        aggregate: Aggregate,
    },
}

impl ShardingAction {
    /// The filter a scatter-gather variant sends to every shard; `None` for the others.
    pub fn filter(&self) -> Option<Filter> {
        match self {
            ShardingAction::QueryRange { min, max } => Some(Filter::NumberInRange {
                field: "score".to_string(),
                min: *min,
                max: *max,
            }),
            ShardingAction::QueryPrefix { digits } => Some(Filter::KeyPrefix {
                prefix: key_name(*digits),
            }),
            _ => None,
        }
    }

    /// Performs the operation; on an error the model is unchanged.
    pub fn apply_to(&self, model: &mut ShardingModel) -> Result<(), ShardingError> {
        match self {
            ShardingAction::AddShard => model.add_shard().map(|_| ()),
            ShardingAction::RemoveShard { shard } => model.remove_shard(ShardId(*shard)),
            ShardingAction::Rebalance => model.start_rebalance().map(|_| ()),
            ShardingAction::QueryKey { rank } => model.query_key(&key_name(*rank)).map(|_| ()),
            ShardingAction::Aggregate { aggregate } => model.run_aggregate(*aggregate).map(|_| ()),
            ShardingAction::SetFault { shard, fault } => model.set_fault(ShardId(*shard), *fault),
            ShardingAction::QueryRange { .. } | ShardingAction::QueryPrefix { .. } => {
                match self.filter() {
                    Some(f) => model.run_query(&f).map(|_| ()),
                    None => Ok(()),
                }
            }
        }
    }
}

impl Action<ShardingModel> for ShardingAction {
    fn apply(&self, model: &mut ShardingModel) -> Result<(), crate::Error> {
        self.apply_to(model).map_err(crate::Error::from)
    }
}
