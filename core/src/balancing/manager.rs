//! Every strategy by name, one of them active; switch live.

use super::candidate::Candidate;
use super::decision::{NoTrace, PickTrace};
use super::error::BalancingError;
use super::strategy::{Strategy, StrategyOptions};
use super::strategy_kind::StrategyKind;
use crate::sim::{Ipv4, SimRng};
use serde::{Deserialize, Serialize};

/// Positions in [`StrategyKind::ALL`] of the first and last strategy that learns from
/// response times (see [`Strategy::record_response`]).
const RESPONSE_TIME_KINDS: (usize, usize) = (
    StrategyKind::LeastResponseTime as usize,
    StrategyKind::LeastResponseTimeEwma as usize,
);

/// Holds one instance of every strategy, in [`StrategyKind::ALL`] order, and routes picks to
/// the active one. Responses and failures are reported to all of them, so switching live to,
/// say, least response time starts from real observations instead of an empty window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyManager {
    strategies: Vec<Strategy>,
    active: StrategyKind,
}

impl StrategyManager {
    /// Builds every strategy for servers with `weights`, with `active` picking.
    pub fn new(active: StrategyKind, options: &StrategyOptions, weights: &[u32]) -> Self {
        StrategyManager {
            strategies: StrategyKind::ALL
                .iter()
                .map(|&k| Strategy::new(k, options, weights))
                .collect(),
            active,
        }
    }

    /// The strategy that picks.
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

    /// Picks a server among `candidates` with the active strategy (see [`Strategy::pick`]).
    pub fn pick(
        &mut self,
        candidates: &[Candidate],
        client: Ipv4,
        rng: &mut SimRng,
    ) -> Option<u32> {
        self.pick_traced(candidates, client, rng, &mut NoTrace)
    }

    /// [`StrategyManager::pick`], reporting what the active strategy compared to `trace`.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        client: Ipv4,
        rng: &mut SimRng,
        trace: &mut T,
    ) -> Option<u32> {
        // `strategies` is in `StrategyKind::ALL` order, which is declaration order.
        let active = self.active;
        match self.strategies.get_mut(active as usize) {
            Some(s) if s.kind() == active => s.pick_traced(candidates, client, rng, trace),
            _ => self
                .strategies
                .iter_mut()
                .find(|s| s.kind() == active)?
                .pick_traced(candidates, client, rng, trace),
        }
    }

    /// Tells every strategy a server with `weight` was appended.
    pub fn on_server_added(&mut self, weight: u32) {
        for s in &mut self.strategies {
            s.on_server_added(weight);
        }
    }

    /// Tells every strategy the server at `index` left.
    pub fn on_server_removed(&mut self, index: u32) {
        for s in &mut self.strategies {
            s.on_server_removed(index);
        }
    }

    /// Once per answer: only the response-time strategies keep anything, so only they are
    /// told (they sit next to each other in `StrategyKind::ALL`).
    pub fn record_response(&mut self, server: u32, latency: u64) {
        let (from, to) = RESPONSE_TIME_KINDS;
        if let Some(some) = self.strategies.get_mut(from..=to) {
            for s in some {
                s.record_response(server, latency);
            }
        }
    }

    /// Tells every strategy a call to `server` failed.
    pub fn record_failure(&mut self, server: u32) {
        for s in &mut self.strategies {
            s.record_failure(server);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_declaration_order_and_only_response_time_kinds_record() {
        for (i, k) in StrategyKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i, "{k}");
        }
        let weights = [1, 1];
        let opts = StrategyOptions::default();
        let (from, to) = RESPONSE_TIME_KINDS;
        for (i, &k) in StrategyKind::ALL.iter().enumerate() {
            let mut s = Strategy::new(k, &opts, &weights);
            let before = s.clone();
            s.record_response(0, 1_000);
            assert_eq!(s != before, (from..=to).contains(&i), "{k}");
        }
    }
}
