//! Rewind for any model: step forward, step back and seek, without losing the future until the
//! user changes something.
//!
//! Models are deterministic, so the past need not be stored step by step: the timeline keeps a
//! bounded set of snapshots and the log of user actions, and reaches any earlier step by
//! restoring the nearest snapshot at or before it and replaying. Stepping back and then forward
//! again re-derives exactly the same future. Acting in the past (killing a server at step 40
//! after having played to step 90) discards the future beyond the current step, as RaftScope
//! does, because that future no longer follows.
//!
//! Memory stays bounded: when the snapshot list is full, every other snapshot is dropped and
//! the spacing doubles, so a long session keeps `max_snapshots` models spread over its whole
//! history and a seek replays at most one spacing's worth of steps.

use crate::Model;
use serde::{Deserialize, Serialize};

/// A user operation that can be replayed at a given step.
pub trait Action<M>: Clone {
    /// Applies the operation; an `Err` leaves the model unchanged and is shown to the user.
    fn apply(&self, model: &mut M) -> Result<(), crate::Error>;
}

/// Default number of snapshots kept.
pub const DEFAULT_MAX_SNAPSHOTS: u32 = 64;
/// Default spacing between snapshots, in steps, before any thinning.
pub const DEFAULT_SNAPSHOT_EVERY: u64 = 64;

/// A model `M` with its rewind history: the current state, a bounded set of snapshots and the
/// log of user actions `A`. The events of the latest step are not serialized.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Timeline<M: Model, A> {
    current: M,
    step: u64,
    /// The furthest step reached since the last change: the future that stepping forward
    /// replays rather than discards.
    horizon: u64,
    /// `(step, model)` in increasing step order; the first is always step 0.
    snapshots: Vec<(u64, M)>,
    snapshot_every: u64,
    max_snapshots: u32,
    /// `(step, action)` in log order: applied right after the model reaches `step`.
    actions: Vec<(u64, A)>,
    #[serde(skip)]
    last_events: Vec<M::Event>,
}

impl<M: Model, A: Action<M>> Timeline<M, A> {
    /// A timeline at step 0 of `model`, keeping up to [`DEFAULT_MAX_SNAPSHOTS`] snapshots
    /// taken every [`DEFAULT_SNAPSHOT_EVERY`] steps.
    pub fn new(model: M) -> Self {
        Self::with_limits(model, DEFAULT_MAX_SNAPSHOTS, DEFAULT_SNAPSHOT_EVERY)
    }

    /// A timeline at step 0 of `model`, keeping up to `max_snapshots` snapshots (at least 2)
    /// taken every `snapshot_every` steps (at least 1); the spacing doubles whenever the list
    /// fills.
    pub fn with_limits(model: M, max_snapshots: u32, snapshot_every: u64) -> Self {
        Timeline {
            snapshots: vec![(0, model.clone())],
            current: model,
            step: 0,
            horizon: 0,
            snapshot_every: snapshot_every.max(1),
            max_snapshots: max_snapshots.max(2),
            actions: Vec::new(),
            last_events: Vec::new(),
        }
    }

    /// The model at the current step.
    pub fn model(&self) -> &M {
        &self.current
    }
    /// The current step: how many steps the model has taken since step 0.
    pub fn step(&self) -> u64 {
        self.step
    }
    /// The furthest step reached since the last action: stepping forward up to here replays
    /// the future already seen.
    pub fn horizon(&self) -> u64 {
        self.horizon
    }
    /// The user actions in force, as `(step, action)` in step order; each is applied right
    /// after the model reaches its step.
    pub fn actions(&self) -> &[(u64, A)] {
        &self.actions
    }
    /// Events of the most recent forward step (empty after a seek back to step 0).
    pub fn last_events(&self) -> &[M::Event] {
        &self.last_events
    }
    /// Moves the most recent step's events out (no clone), for a host that keeps its own log.
    pub fn drain_last_events(&mut self) -> std::vec::Drain<'_, M::Event> {
        self.last_events.drain(..)
    }
    /// Snapshots held now (at most the limit the timeline was built with).
    pub fn snapshot_count(&self) -> u32 {
        self.snapshots.len() as u32
    }

    /// Advances one step, then applies any action logged for the new step. Events of the step
    /// are appended to `out` and also kept as [`Timeline::last_events`].
    pub fn forward_into(&mut self, out: &mut Vec<M::Event>) {
        self.last_events.clear();
        self.advance(true);
        out.extend(self.last_events.iter().cloned());
    }

    /// Advances one step and returns its events.
    pub fn forward(&mut self) -> &[M::Event] {
        self.last_events.clear();
        self.advance(true);
        &self.last_events
    }

    /// Advances `n` steps without keeping events (fast-forward: simulate, don't draw);
    /// [`Timeline::last_events`] is empty afterwards.
    pub fn fast_forward(&mut self, n: u64) {
        self.last_events.clear();
        let end = self.step.saturating_add(n);
        while self.step < end {
            // Only a step that takes a snapshot or replays a logged action needs the
            // timeline; the plain steps before it go to the model in one run, which keeps
            // the per-step bookkeeping out of the hot loop.
            let stop = end
                .min(self.next_snapshot_step())
                .min(self.next_action_step());
            let plain = stop - self.step - 1;
            self.current.steps_quiet(plain, &mut self.last_events);
            self.step += plain;
            self.advance(false);
        }
    }

    /// The first step after the current one at which a snapshot is due.
    fn next_snapshot_step(&self) -> u64 {
        let every = self.snapshot_every;
        (self.step / every).saturating_add(1).saturating_mul(every)
    }

    /// The first step after the current one with a logged action (`u64::MAX` if none).
    fn next_action_step(&self) -> u64 {
        let later = self.actions.partition_point(|(s, _)| *s <= self.step);
        self.actions.get(later).map_or(u64::MAX, |(s, _)| *s)
    }

    fn advance(&mut self, keep_events: bool) {
        if keep_events {
            self.current.step_into(&mut self.last_events);
        } else {
            // Same state change; the model need not build the events.
            self.current.step_quiet(&mut self.last_events);
        }
        self.step += 1;
        apply_logged(&self.actions, &mut self.current, self.step);
        self.horizon = self.horizon.max(self.step);
        // Spacings are powers of two unless a host chose otherwise: a mask then, not a
        // 64-bit division every step.
        let every = self.snapshot_every;
        let due = if every.is_power_of_two() {
            self.step & (every - 1) == 0
        } else {
            self.step % every == 0
        };
        if due {
            self.remember();
        }
    }

    fn remember(&mut self) {
        if self.snapshots.last().map(|(s, _)| *s) >= Some(self.step) {
            return;
        }
        self.snapshots.push((self.step, self.current.clone()));
        if self.snapshots.len() as u32 > self.max_snapshots {
            // Keep step 0 and every snapshot on the doubled spacing.
            self.snapshot_every = self.snapshot_every.saturating_mul(2);
            let every = self.snapshot_every;
            self.snapshots.retain(|(s, _)| s % every == 0);
        }
    }

    /// Goes back one step. Returns false at step 0.
    pub fn back(&mut self) -> bool {
        if self.step == 0 {
            return false;
        }
        self.seek(self.step - 1);
        true
    }

    /// Applies to `model` the actions logged at `step`, as the timeline does on reaching it:
    /// for a host replaying steps on its own copy of the model (the player's trace).
    pub fn apply_logged_actions(&self, model: &mut M, step: u64) {
        apply_logged(&self.actions, model, step);
    }

    /// Moves to `target` (clamped to the horizon), replaying from the nearest snapshot.
    /// The events of the step that led to `target` become [`Timeline::last_events`].
    pub fn seek(&mut self, target: u64) {
        let target = target.min(self.horizon.max(self.step));
        if target < self.step {
            let idx = self.snapshots.partition_point(|(s, _)| *s <= target);
            if let Some((s, m)) = idx.checked_sub(1).and_then(|i| self.snapshots.get(i)) {
                self.step = *s;
                self.current = m.clone();
            }
        }
        self.last_events.clear();
        while self.step < target {
            let last = self.step + 1 == target;
            self.last_events.clear();
            self.advance(last);
        }
    }

    /// Applies a user action at the current step. The future beyond this step is discarded
    /// (it no longer follows); on error nothing changes.
    ///
    /// The state at step `s` is "after `s` steps and after the actions taken at `s`", so seeking
    /// back to `s` later shows the action's effect, exactly as it looked when it was taken.
    pub fn act(&mut self, action: A) -> Result<(), crate::Error> {
        let mut trial = self.current.clone();
        action.apply(&mut trial)?;
        let step = self.step;
        self.actions.retain(|(s, _)| *s <= step);
        self.actions.push((step, action));
        self.current = trial;
        self.horizon = step;
        if step == 0 {
            // Replays start from snapshot 0, so fold step-0 actions into it.
            self.snapshots.truncate(1);
            if let Some(first) = self.snapshots.first_mut() {
                first.1 = self.current.clone();
            }
        } else {
            self.snapshots.retain(|(s, _)| *s < step);
        }
        Ok(())
    }
}

/// Applies the actions of `log` taken at `step` to `model`. The log is in step order: past its
/// last entry (the usual case while playing) there is nothing to look up, otherwise a binary
/// search finds this step's actions.
fn apply_logged<M, A: Action<M>>(log: &[(u64, A)], model: &mut M, step: u64) {
    if log.last().is_some_and(|(s, _)| *s >= step) {
        let first = log.partition_point(|(s, _)| *s < step);
        let due = log.get(first..).unwrap_or_default();
        for (_, action) in due.iter().take_while(|(s, _)| *s == step) {
            // Each action succeeded when the user first applied it, on this very state (the
            // model is deterministic), so replaying it succeeds too.
            let _ = action.apply(model);
        }
    }
}
