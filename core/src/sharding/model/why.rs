//! The model's "why" readouts: the latest route, fan-out and rebalance decisions, recorded on
//! the event path (stepping with events, and actions) and never on the quiet path.

use super::ShardingModel;
use crate::sharding::{
    FanOutDecision, Filter, QueryOutcome, RebalanceDecision, RouteDecision, RouteOp,
    ShardingDecision,
};

impl ShardingModel {
    /// Why the latest read, write or key query went to its shard: the router's trace, where
    /// the key lived and the migration mode. `None` before the first one; steps taken on the
    /// quiet path (fast-forward) leave it as it was, and its `at` says when it was made.
    pub fn last_route(&self) -> Option<&RouteDecision> {
        self.decisions.route.as_ref()
    }

    /// Why the latest scatter-gather query went to every shard.
    pub fn last_fan_out(&self) -> Option<&FanOutDecision> {
        self.decisions.fan_out.as_ref()
    }

    /// Why the latest load rebalance moves what it moves: each live shard's keys against the
    /// thresholds, and the plan.
    pub fn last_rebalance(&self) -> Option<&RebalanceDecision> {
        self.decisions.rebalance.as_ref()
    }

    /// The latest decision of any kind.
    pub fn last_decision(&self) -> Option<ShardingDecision<'_>> {
        self.decisions.latest()
    }

    /// Records why a request for `key` goes where it goes, before it is carried out.
    pub(super) fn record_route(&mut self, key: &str, op: RouteOp) {
        let now = self.now;
        if self
            .manager
            .explain_route_into(key, op, now, &mut self.decisions.route)
        {
            self.decisions.routed();
        }
    }

    /// Records that query `query` went to every shard `outcome` asked.
    pub(super) fn record_fan_out(&mut self, query: u64, filter: &Filter, outcome: &QueryOutcome) {
        let at = self.now;
        let decision = self
            .decisions
            .fan_out
            .get_or_insert_with(|| FanOutDecision {
                at,
                query,
                filter: filter.clone(),
                shards: Vec::new(),
                draining: 0,
            });
        decision.at = at;
        decision.query = query;
        decision.filter.clone_from(filter);
        decision.shards.clear();
        decision
            .shards
            .extend(outcome.answers.iter().map(|a| a.shard));
        decision.draining = decision
            .shards
            .iter()
            .filter(|&&s| self.manager.shard(s).is_some_and(|s| s.draining))
            .count() as u32;
        self.decisions.fanned_out();
    }
}
