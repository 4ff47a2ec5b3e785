//! The store's answers to "why did this key go there?": the router's trace, the directory and
//! the migration state, as a [`RouteDecision`]; and a load rebalance's verdicts.

use super::ShardManager;
use crate::sharding::{
    MigrationMode, Placement, RebalanceDecision, RouteDecision, RouteOp, ShardId, Transfer,
};
use crate::sim::SimTime;

impl ShardManager {
    /// Why a request for `key` made now goes where it goes; `None` for a store without shards.
    pub fn explain_route(&self, key: &str, op: RouteOp, at: SimTime) -> Option<RouteDecision> {
        let trace = self.router.trace(key)?;
        let routed = trace.shard()?;
        let mut decision = RouteDecision {
            at,
            op,
            key: key.to_string(),
            trace,
            routed,
            shard: routed,
            mode: self.mode,
            migrating: false,
            placement: Placement::Home,
        };
        self.settle_route(&mut decision);
        Some(decision)
    }

    /// [`ShardManager::explain_route`] into `decision`, reusing its key and trace buffers, so
    /// explaining allocates nothing once warm. Returns false, leaving no decision about `key`
    /// in `decision`, for a store without shards.
    pub(crate) fn explain_route_again(
        &self,
        key: &str,
        op: RouteOp,
        at: SimTime,
        decision: &mut RouteDecision,
    ) -> bool {
        let Some(routed) = self.router.trace_into(key, &mut decision.trace) else {
            return false;
        };
        decision.routed = routed;
        decision.key.clear();
        decision.key.push_str(key);
        decision.at = at;
        decision.op = op;
        self.settle_route(decision);
        true
    }

    /// Fills in where a traced request goes and why: `locate` with the route already traced.
    fn settle_route(&self, decision: &mut RouteDecision) {
        let key = decision.key.as_str();
        let entry = match self.mode {
            MigrationMode::Directory => self.directory.get(key).copied(),
            MigrationMode::Naive => None,
        };
        decision.shard = entry.unwrap_or(decision.routed);
        decision.mode = self.mode;
        decision.migrating = self.is_migrating();
        decision.placement = self.placement_with(key, decision.routed, entry);
    }

    /// Where `key` lives relative to `routed`, the shard its route points to.
    pub fn placement(&self, key: &str, routed: ShardId) -> Placement {
        let entry = match self.mode {
            MigrationMode::Directory => self.directory.get(key).copied(),
            MigrationMode::Naive => None,
        };
        self.placement_with(key, routed, entry)
    }

    /// [`ShardManager::placement`] given the key's directory entry.
    fn placement_with(&self, key: &str, routed: ShardId, entry: Option<ShardId>) -> Placement {
        if let Some((from, to)) = self.migration.pending_move(key) {
            return Placement::Waiting { from, to };
        }
        if self.mode == MigrationMode::Directory {
            // A key lives where its route points or where its directory entry says.
            return match entry {
                Some(holder) if holder != routed => Placement::Away { holder },
                _ => Placement::Home,
            };
        }
        // Naive: copies can be anywhere. The common cases first, without visiting every
        // shard: never written, or the latest version where the route points.
        let Some(latest) = self.ledger.get(key).copied() else {
            return Placement::Home;
        };
        let at_home = self.shard(routed).and_then(|s| s.data.get(key));
        if at_home.is_some_and(|v| v.version == latest) {
            return Placement::Home;
        }
        match self.holder(key) {
            Some(holder) if holder != routed => Placement::Away { holder },
            _ => Placement::Home,
        }
    }

    /// Why the live shards' loads give `plan`.
    pub fn explain_rebalance(&self, at: SimTime, plan: &[Transfer]) -> RebalanceDecision {
        let mut decision = RebalanceDecision::new(at, self.mode, &self.policy);
        self.explain_rebalance_again(at, plan, &mut decision);
        decision
    }

    /// [`ShardManager::explain_rebalance`] into `decision`, reusing its buffers.
    pub(crate) fn explain_rebalance_again(
        &self,
        at: SimTime,
        plan: &[Transfer],
        decision: &mut RebalanceDecision,
    ) {
        decision.mode = self.mode;
        let live = self
            .shards
            .iter()
            .filter(|s| !s.draining)
            .map(|s| (s.id, s.key_count()));
        decision.fill(at, &self.policy, live, plan);
    }
}
