//! Round robin: each eligible server in turn.

use super::positions::{at_or_after, shift_cursor};
use crate::balancing::candidate::Candidate;
use crate::balancing::decision::{NoTrace, PickTrace, Rule};
use serde::{Deserialize, Serialize};

/// The cursor is a server position, not an index into the eligible list, so a server that
/// goes down and comes back does not make every other server skip or repeat a turn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRobin {
    next: u32,
}

impl RoundRobin {
    /// Round robin from the server after the last pick (by position).
    pub fn pick(&mut self, candidates: &[Candidate]) -> Option<u32> {
        self.pick_traced(candidates, &mut NoTrace)
    }

    /// [`RoundRobin::pick`], reporting the cursor and whether the turn wrapped.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        trace: &mut T,
    ) -> Option<u32> {
        let chosen = at_or_after(candidates.iter(), self.next)?;
        trace.rule(Rule::NextInTurn {
            cursor: self.next,
            wrapped: chosen.server < self.next,
        });
        self.next = chosen.server.saturating_add(1);
        Some(chosen.server)
    }

    /// Keeps the cursor on the same server after the server at `index` left.
    pub fn on_server_removed(&mut self, index: u32) {
        shift_cursor(&mut self.next, index);
    }
}
