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
        let mut decision = None;
        self.explain_route_into(key, op, at, &mut decision);
        decision
    }

    /// [`ShardManager::explain_route`] into `slot`, reusing the decision already there (its
    /// key and trace buffers), so explaining allocates nothing once warm. Returns false for a
    /// store without shards.
    pub(crate) fn explain_route_into(
        &self,
        key: &str,
        op: RouteOp,
        at: SimTime,
        slot: &mut Option<RouteDecision>,
    ) -> bool {
        let decision = match slot {
            Some(d) => {
                let Some(routed) = self.router.trace_into(key, &mut d.trace) else {
                    return false;
                };
                d.routed = routed;
                d.key.clear();
                d.key.push_str(key);
                d
            }
            None => {
                let Some(trace) = self.router.trace(key) else {
                    return false;
                };
                let Some(routed) = trace.shard() else {
                    return false;
                };
                slot.insert(RouteDecision {
                    at,
                    op,
                    key: key.to_string(),
                    trace,
                    routed,
                    shard: routed,
                    mode: self.mode,
                    migrating: false,
                    placement: Placement::Home,
                })
            }
        };
        // `locate`, with the route already traced.
        let entry = match self.mode {
            MigrationMode::Directory => self.directory.get(key).copied(),
            MigrationMode::Naive => None,
        };
        decision.at = at;
        decision.op = op;
        decision.shard = entry.unwrap_or(decision.routed);
        decision.mode = self.mode;
        decision.migrating = self.is_migrating();
        decision.placement = self.placement_with(key, decision.routed, entry);
        true
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

    /// Records into `slot` why the live shards' loads give `plan`, reusing its buffers.
    pub(crate) fn explain_rebalance_into(
        &self,
        at: SimTime,
        plan: &[Transfer],
        slot: &mut Option<RebalanceDecision>,
    ) {
        let decision =
            slot.get_or_insert_with(|| RebalanceDecision::new(at, self.mode, &self.policy));
        decision.mode = self.mode;
        let live = self
            .shards
            .iter()
            .filter(|s| !s.draining)
            .map(|s| (s.id, s.key_count()));
        decision.fill(at, &self.policy, live, plan);
    }
}
