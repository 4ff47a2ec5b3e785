//! How a strategy reports what it compared: a recorder passed as a type parameter, so the
//! quiet path's [`NoTrace`] compiles to nothing and the event path fills a [`RouteDecision`].

use super::{Draw, Figure, RouteDecision, Rule};

/// What a pick reports while it runs. Strategies compute a figure that only a recording needs
/// (a tie count, a second pass) only when [`PickTrace::ON`] is true.
pub(crate) trait PickTrace {
    /// Whether anything is kept.
    const ON: bool;
    /// The figure compared for the server at `server`.
    fn figure(&mut self, server: u32, figure: Figure);
    /// Changes the figure already reported for `server` (a winner paying back a total).
    fn amend(&mut self, server: u32, change: impl FnOnce(&mut Figure));
    /// The rule that decided.
    fn rule(&mut self, rule: Rule);
    /// One random draw, in draw order.
    fn draw(&mut self, draw: Draw);
}

/// Keeps nothing: the fast-forward path's recorder.
pub(crate) struct NoTrace;

impl PickTrace for NoTrace {
    const ON: bool = false;
    #[inline(always)]
    fn figure(&mut self, _server: u32, _figure: Figure) {}
    #[inline(always)]
    fn amend(&mut self, _server: u32, _change: impl FnOnce(&mut Figure)) {}
    #[inline(always)]
    fn rule(&mut self, _rule: Rule) {}
    #[inline(always)]
    fn draw(&mut self, _draw: Draw) {}
}

/// Fills the decision begun for this pick (one entry per server, in list order).
impl PickTrace for RouteDecision {
    const ON: bool = true;

    fn figure(&mut self, server: u32, figure: Figure) {
        if let Some(c) = self.servers.get_mut(server as usize) {
            c.figure = figure;
        }
    }

    fn amend(&mut self, server: u32, change: impl FnOnce(&mut Figure)) {
        if let Some(c) = self.servers.get_mut(server as usize) {
            change(&mut c.figure);
        }
    }

    fn rule(&mut self, rule: Rule) {
        self.rule = rule;
    }

    fn draw(&mut self, draw: Draw) {
        self.draws.push(draw);
    }
}
