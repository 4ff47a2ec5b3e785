//! Least connections: the server with the fewest requests in flight.

use super::positions::{at_or_after, shift_cursor};
use crate::balancing::candidate::Candidate;
use crate::balancing::decision::{Figure, NoTrace, PickTrace, Rule, TieBreak};
use serde::{Deserialize, Serialize};

/// HAProxy `leastconn`: lowest in-flight count, ties broken round-robin. At low load every
/// server reads 0, so without rotation the first server would take nearly everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeastConnections {
    next: u32,
}

impl LeastConnections {
    /// The least busy server; ties go round-robin from the last pick.
    pub fn pick(&mut self, candidates: &[Candidate]) -> Option<u32> {
        self.pick_traced(candidates, &mut NoTrace)
    }

    /// [`LeastConnections::pick`], reporting every in-flight count and the tie cursor.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        trace: &mut T,
    ) -> Option<u32> {
        let least = candidates.iter().map(|c| c.active).min()?;
        let tied = candidates.iter().filter(|c| c.active == least);
        let chosen = at_or_after(tied, self.next)?;
        if T::ON {
            trace_fewest(
                candidates,
                least,
                TieBreak::Rotation { cursor: self.next },
                trace,
            );
        }
        self.next = chosen.server.saturating_add(1);
        Some(chosen.server)
    }

    /// Keeps the tie cursor on the same server after the server at `index` left.
    pub fn on_server_removed(&mut self, index: u32) {
        shift_cursor(&mut self.next, index);
    }
}

/// Least connections as the well-known tutorial code writes it: the *first* server with the lowest
/// count wins every tie, which piles work onto server 0 whenever servers are idle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeastConnectionsNaive {}

impl LeastConnectionsNaive {
    /// The first of the least busy servers.
    pub fn pick(&mut self, candidates: &[Candidate]) -> Option<u32> {
        self.pick_traced(candidates, &mut NoTrace)
    }

    /// [`LeastConnectionsNaive::pick`], reporting every in-flight count.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        trace: &mut T,
    ) -> Option<u32> {
        let mut best: Option<&Candidate> = None;
        for c in candidates {
            if best.is_none_or(|b| c.active < b.active) {
                best = Some(c);
            }
        }
        let best = best?;
        if T::ON {
            trace_fewest(candidates, best.active, TieBreak::FirstServer, trace);
        }
        Some(best.server)
    }
}

/// Reports every candidate's in-flight count and the least-connections rule.
fn trace_fewest<T: PickTrace>(candidates: &[Candidate], least: u32, tie: TieBreak, trace: &mut T) {
    for c in candidates {
        trace.figure(c.server, Figure::InFlight(c.active));
    }
    let tied = candidates.iter().filter(|c| c.active == least).count() as u32;
    trace.rule(Rule::FewestInFlight {
        in_flight: least,
        tied,
        tie,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idle(n: u32) -> Vec<Candidate> {
        (0..n)
            .map(|server| Candidate {
                server,
                id: server,
                weight: 1,
                active: 0,
            })
            .collect()
    }

    #[test]
    fn ties_rotate_but_naive_takes_the_first() {
        let c = idle(3);
        let mut lc = LeastConnections::default();
        let picks: Vec<u32> = (0..6).filter_map(|_| lc.pick(&c)).collect();
        assert_eq!(picks, vec![0, 1, 2, 0, 1, 2]);
        let mut naive = LeastConnectionsNaive::default();
        let picks: Vec<u32> = (0..6).filter_map(|_| naive.pick(&c)).collect();
        assert_eq!(picks, vec![0; 6]);
    }

    #[test]
    fn the_least_loaded_wins_over_rotation() {
        let mut c = idle(3);
        c[0].active = 2;
        c[1].active = 1;
        c[2].active = 3;
        let mut lc = LeastConnections::default();
        assert_eq!(lc.pick(&c), Some(1));
        assert_eq!(lc.pick(&c), Some(1));
    }
}
