//! The one shape every pattern shares: config → model → `step()` → events.

use crate::sim::SimTime;

/// A simulation that advances one discrete event at a time.
///
/// Models are `Clone` so a host can keep snapshots and step back; they never read a clock
/// or do I/O, so the same config (and seed) always yields the same events.
pub trait Model: Clone {
    /// What the host animates and narrates. Each carries enough to draw without
    /// reaching back into the model.
    type Event: Clone + core::fmt::Debug;

    /// Simulated time of the last processed event.
    fn now(&self) -> SimTime;

    /// Advances by one discrete event, appending what happened to `out`.
    ///
    /// Appending to a caller-owned buffer keeps the fast-forward path free of per-step
    /// allocation; [`Model::step`] is the convenient form.
    fn step_into(&mut self, out: &mut Vec<Self::Event>);

    /// Advances by one discrete event exactly as [`Model::step_into`] does, without reporting
    /// what happened (fast-forward). `scratch` is a buffer the default may use; it is left
    /// empty. Models override this to skip building events at all.
    fn step_quiet(&mut self, scratch: &mut Vec<Self::Event>) {
        scratch.clear();
        self.step_into(scratch);
        scratch.clear();
    }

    /// Advances `n` steps exactly as `n` calls of [`Model::step_quiet`] do. Models override
    /// it to keep their state in registers across the run (fast-forward's hot loop).
    fn steps_quiet(&mut self, n: u64, scratch: &mut Vec<Self::Event>) {
        for _ in 0..n {
            self.step_quiet(scratch);
        }
    }

    /// Advances by one discrete event and returns what happened.
    fn step(&mut self) -> Vec<Self::Event> {
        let mut out = Vec::new();
        self.step_into(&mut out);
        out
    }

    /// Advances `n` steps, appending every event to `out`.
    fn run_into(&mut self, n: u64, out: &mut Vec<Self::Event>) {
        for _ in 0..n {
            self.step_into(out);
        }
    }
}

/// The figures a model reports over time, as named columns: what a host charts and exports
/// as the run's metric series. One row is sampled after each step the host shows.
pub trait Metrics {
    /// The column names, one per value of [`Metrics::metrics`], in `snake_case` (they head
    /// the CSV export's columns).
    const METRIC_NAMES: &'static [&'static str];

    /// The current values, one per name in [`Metrics::METRIC_NAMES`]; `NaN` where a column
    /// has no value yet (a hit rate before the first lookup, a lane the view does not have).
    fn metrics(&self) -> Vec<f64>;
}
