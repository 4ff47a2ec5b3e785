//! Every strategy by name, one of them active; switch live.

use super::strategy::{Candidate, Strategy, StrategyKind, StrategyOptions};
use super::BalancingError;
use crate::sim::{Ipv4, SimRng};
use serde::{Deserialize, Serialize};

/// Holds one instance of every strategy, in [`StrategyKind::ALL`] order, and routes picks to
/// the active one. Responses and failures are reported to all of them, so switching live to,
/// say, least response time starts from real observations instead of an empty window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyManager {
    strategies: Vec<Strategy>,
    active: StrategyKind,
}

impl StrategyManager {
    pub fn new(active: StrategyKind, options: &StrategyOptions, weights: &[u32]) -> Self {
        StrategyManager {
            strategies: StrategyKind::ALL
                .iter()
                .map(|&k| Strategy::new(k, options, weights))
                .collect(),
            active,
        }
    }

    pub fn active(&self) -> StrategyKind {
        self.active
    }

    /// Every strategy's name, in picker order.
    pub fn names(&self) -> Vec<&'static str> {
        self.strategies.iter().map(|s| s.kind().name()).collect()
    }

    /// The strategy called `kind`, with its current memory.
    pub fn get(&self, kind: StrategyKind) -> Option<&Strategy> {
        self.strategies.iter().find(|s| s.kind() == kind)
    }

    /// Makes `name` the active strategy; returns the one it replaced. An unknown name is an
    /// error listing the known ones, and changes nothing.
    pub fn switch(&mut self, name: &str) -> Result<StrategyKind, BalancingError> {
        let kind = StrategyKind::from_name(name)?;
        Ok(self.switch_to(kind))
    }

    /// Makes `kind` active; returns the previous one.
    pub fn switch_to(&mut self, kind: StrategyKind) -> StrategyKind {
        core::mem::replace(&mut self.active, kind)
    }

    pub fn pick(
        &mut self,
        candidates: &[Candidate],
        client: Ipv4,
        rng: &mut SimRng,
    ) -> Option<u32> {
        let active = self.active;
        self.strategies
            .iter_mut()
            .find(|s| s.kind() == active)?
            .pick(candidates, client, rng)
    }

    pub fn on_server_added(&mut self, weight: u32) {
        for s in &mut self.strategies {
            s.on_server_added(weight);
        }
    }

    pub fn on_server_removed(&mut self, index: u32) {
        for s in &mut self.strategies {
            s.on_server_removed(index);
        }
    }

    pub fn record_response(&mut self, server: u32, latency: u64) {
        for s in &mut self.strategies {
            s.record_response(server, latency);
        }
    }

    pub fn record_failure(&mut self, server: u32) {
        for s in &mut self.strategies {
            s.record_failure(server);
        }
    }
}
