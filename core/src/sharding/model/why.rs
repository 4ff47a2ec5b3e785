//! The model's "why" readouts: the latest route, fan-out and rebalance decisions, recorded on
//! the event path (stepping with events, and actions) and never on the quiet path.

use super::ShardingModel;
use crate::sharding::decision::unshared;
use crate::sharding::{
    Aggregate, FanOutDecision, Filter, RebalanceDecision, RouteDecision, RouteOp, ShardId,
    ShardingDecision, Transfer,
};
use std::rc::Rc;

impl ShardingModel {
    /// Why the latest read, write or key query went to its shard: the router's trace, where
    /// the key lived and the migration mode. `None` before the first one; steps taken on the
    /// quiet path (fast-forward) leave it as it was, and its `at` says when it was made.
    pub fn last_route(&self) -> Option<&RouteDecision> {
        self.decisions.route.as_deref()
    }

    /// Why the latest scatter-gather query went to every shard.
    pub fn last_fan_out(&self) -> Option<&FanOutDecision> {
        self.decisions.fan_out.as_deref()
    }

    /// Why the latest load rebalance moves what it moves: each live shard's keys against the
    /// thresholds, and the plan.
    pub fn last_rebalance(&self) -> Option<&RebalanceDecision> {
        self.decisions.rebalance.as_deref()
    }

    /// The latest decision of any kind.
    pub fn last_decision(&self) -> Option<ShardingDecision<'_>> {
        self.decisions.latest()
    }

    /// Records why a request for `key` goes where it goes, before it is carried out.
    pub(super) fn record_route(&mut self, key: &str, op: RouteOp) {
        let (at, store) = (self.now, &self.manager);
        match unshared(&mut self.decisions.route) {
            Some(d) => {
                if !store.explain_route_again(key, op, at, d) {
                    return;
                }
            }
            None => match store.explain_route(key, op, at) {
                Some(d) => self.decisions.route = Some(Rc::new(d)),
                None => return,
            },
        }
        self.decisions.routed();
    }

    /// Records that query `query` went to every shard `outcome` asked.
    pub(super) fn record_fan_out(
        &mut self,
        query: u64,
        filter: &Filter,
        aggregate: Option<Aggregate>,
        shards: impl Iterator<Item = ShardId>,
    ) {
        let at = self.now;
        if unshared(&mut self.decisions.fan_out).is_none() {
            self.decisions.fan_out = Some(Rc::new(FanOutDecision {
                at,
                query,
                filter: filter.clone(),
                shards: Vec::new(),
                draining: 0,
                aggregate,
                down: Vec::new(),
            }));
        }
        let store = &self.manager;
        if let Some(d) = unshared(&mut self.decisions.fan_out) {
            d.at = at;
            d.query = query;
            d.filter.clone_from(filter);
            d.shards.clear();
            d.shards.extend(shards);
            d.aggregate = aggregate;
            d.down.clear();
            d.down
                .extend(d.shards.iter().copied().filter(|&s| store.is_down(s)));
            d.draining = d
                .shards
                .iter()
                .filter(|&&s| store.shard(s).is_some_and(|s| s.draining))
                .count() as u32;
        }
        self.decisions.fanned_out();
    }

    /// Records why the live shards' loads give `plan`.
    pub(super) fn record_rebalance(&mut self, plan: &[Transfer]) {
        let (at, store) = (self.now, &self.manager);
        match unshared(&mut self.decisions.rebalance) {
            Some(d) => store.explain_rebalance_again(at, plan, d),
            None => self.decisions.rebalance = Some(Rc::new(store.explain_rebalance(at, plan))),
        }
        self.decisions.rebalanced();
    }
}
