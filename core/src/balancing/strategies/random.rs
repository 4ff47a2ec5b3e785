//! Random choice and the power of two choices.

use crate::balancing::candidate::Candidate;
use crate::balancing::decision::{Draw, Figure, NoTrace, PickTrace, Rule};
use crate::sim::SimRng;
use serde::{Deserialize, Serialize};

/// A server drawn uniformly from the eligible ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RandomChoice {}

impl RandomChoice {
    /// A server drawn uniformly.
    pub fn pick(&mut self, candidates: &[Candidate], rng: &mut SimRng) -> Option<u32> {
        self.pick_traced(candidates, rng, &mut NoTrace)
    }

    /// [`RandomChoice::pick`], reporting the draw.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        rng: &mut SimRng,
        trace: &mut T,
    ) -> Option<u32> {
        let i = rng.below(candidates.len() as u64);
        let chosen = candidates.get(i as usize)?;
        trace.draw(Draw {
            server: chosen.server,
            in_flight: chosen.active,
        });
        trace.rule(Rule::UniformDraw {
            index: i as u32,
            eligible: candidates.len() as u32,
        });
        Some(chosen.server)
    }
}

/// Envoy's least-request balancer with equal weights: draw `choice_count` hosts uniformly *with
/// replacement*, keep the first, and replace it only when a later draw has strictly fewer active
/// requests. Two random draws already avoid the worst server almost always, without the herd
/// behaviour of every balancer chasing the single least-loaded server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerOfTwoChoices {
    choice_count: u32,
}

impl Default for PowerOfTwoChoices {
    fn default() -> Self {
        PowerOfTwoChoices { choice_count: 2 }
    }
}

impl PowerOfTwoChoices {
    /// Draws `choice_count` servers per pick (at least 1).
    pub fn new(choice_count: u32) -> Self {
        PowerOfTwoChoices {
            choice_count: choice_count.max(1),
        }
    }

    /// Servers drawn per pick.
    pub fn choice_count(&self) -> u32 {
        self.choice_count
    }

    /// The least busy of `choice_count` draws, the first drawn on ties.
    pub fn pick(&mut self, candidates: &[Candidate], rng: &mut SimRng) -> Option<u32> {
        self.pick_traced(candidates, rng, &mut NoTrace)
    }

    /// [`PowerOfTwoChoices::pick`], reporting every in-flight count, each draw and which draw
    /// was kept.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        rng: &mut SimRng,
        trace: &mut T,
    ) -> Option<u32> {
        let n = candidates.len() as u64;
        let mut best = candidates.get(rng.below(n) as usize)?;
        let mut kept = 0;
        if T::ON {
            for c in candidates {
                trace.figure(c.server, Figure::InFlight(c.active));
            }
            trace.draw(Draw {
                server: best.server,
                in_flight: best.active,
            });
        }
        for draw in 1..self.choice_count {
            if let Some(c) = candidates.get(rng.below(n) as usize) {
                trace.draw(Draw {
                    server: c.server,
                    in_flight: c.active,
                });
                if c.active < best.active {
                    best = c;
                    kept = draw;
                }
            }
        }
        trace.rule(Rule::FewestOfDraws { kept });
        Some(best.server)
    }
}
