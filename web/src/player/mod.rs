//! The host side of a scene: owns the timeline, decides how many steps each animation frame
//! runs, and keeps the bounded histories (recent events, metric series, narration, trace)
//! that the view, the live region and the exports read.
//!
//! The simulation itself is the core's; this file only schedules it against wall time.

mod link;
mod speed;

pub use link::{decode_ops, from_link, DecodedOps, MAX_OPS};
pub use speed::{speed_label, DEFAULT_SPEED, SPEEDS};

use crate::params::ParamValues;
use crate::scenes::Scene;
use scalelab_core::timeline::Timeline;
use scalelab_core::{Metrics, Model};
use std::collections::VecDeque;

/// At or above this many steps per frame, intermediate events are not drawn.
const DRAW_LIMIT_PER_FRAME: u64 = 64;
/// Milliseconds of simulation work allowed per frame, so drawing keeps its share.
pub const FRAME_BUDGET_MS: f64 = 8.0;
/// Milliseconds of one fast-forward slice. At top speed no step is drawn (the view only shows
/// the model's state, refreshed a few times a second), so the host simulates in slices of this
/// length back to back, yielding to the browser between two (input, timers, drawing): a key or
/// a click waits at most one slice.
pub const FAST_FORWARD_SLICE_MS: f64 = 40.0;
/// What [`PlayerState::frame`] spends at top speed, for a host that simulates only in frames:
/// most of a 60 Hz frame.
pub const FAST_FORWARD_FRAME_BUDGET_MS: f64 = 12.0;
/// Steps simulated between two looks at the clock (and the metric sampling) at top speed.
const BULK_CHUNK: u64 = 1_024;
/// How long an event stays in the animation window.
pub const RECENT_MS: f64 = 1_200.0;
const MAX_RECENT: usize = 400;
const MAX_SERIES: usize = 600;
const MAX_TRACE: usize = 20_000;
const MAX_NARRATION: usize = 5;
/// A screen reader can follow about one sentence every 1.5 s.
const NARRATION_GAP_MS: f64 = 1_500.0;

/// A copy of the model at `step`, from which the trace's unrecorded tail is replayed, and a
/// newer one that takes its place once it is a whole tail behind the present.
struct Unrecorded<M> {
    step: u64,
    model: M,
    newer: Option<(u64, M)>,
}

pub struct PlayerState<S: Scene> {
    pub timeline: Timeline<S::Model, S::Action>,
    pub params: ParamValues,
    pub seed: u64,
    pub playing: bool,
    pub speed: usize,
    /// Events with the wall time (ms) they were shown at.
    recent: VecDeque<(f64, S::Event)>,
    /// Metric rows: (simulated seconds, values), thinned to stay bounded.
    series: Vec<(f64, Vec<f64>)>,
    series_every: u64,
    /// `(step, event)` for CSV/JSON export, newest kept. Once settled (see
    /// [`PlayerState::settle_trace`]) it ends at the present; at top speed only the last steps
    /// before it settles are recorded (enough to fill it, see
    /// [`PlayerState::trace_tail_steps`]), so further back it may skip the steps simulated in
    /// bulk, which it would have evicted anyway.
    trace: VecDeque<(u64, S::Event)>,
    /// At top speed: where the trace's unrecorded tail can be replayed from (the trace is
    /// settled when this is `None`).
    unrecorded: Option<Unrecorded<S::Model>>,
    /// Events per recorded step, measured, to size the recorded tail of a fast-forward frame.
    events_per_step: f64,
    /// Wall time (ms) the recorded tail of the last fast-forward frame took.
    tail_ms: f64,
    pub narration: VecDeque<String>,
    last_narrated_ms: f64,
    /// Fractional steps carried between frames at slow speeds.
    carry: f64,
    pub last_error: Option<String>,
    /// Reused buffer for one step's events.
    scratch: Vec<S::Event>,
}

impl<S: Scene> PlayerState<S> {
    pub fn new(params: ParamValues, seed: u64) -> Result<Self, scalelab_core::Error> {
        let model = S::build(&params, seed)?;
        let mut state = PlayerState {
            timeline: Timeline::new(model),
            params,
            seed,
            playing: false,
            speed: DEFAULT_SPEED,
            recent: VecDeque::new(),
            series: Vec::new(),
            series_every: 1,
            trace: VecDeque::new(),
            unrecorded: None,
            events_per_step: 1.0,
            tail_ms: 0.0,
            narration: VecDeque::new(),
            last_narrated_ms: f64::NEG_INFINITY,
            carry: 0.0,
            last_error: None,
            scratch: Vec::new(),
        };
        state.sample_metrics();
        Ok(state)
    }

    pub fn model(&self) -> &S::Model {
        self.timeline.model()
    }

    pub fn recent(&self) -> &VecDeque<(f64, S::Event)> {
        &self.recent
    }

    pub fn series(&self) -> &[(f64, Vec<f64>)] {
        &self.series
    }

    /// The export's trace, up to the last [`PlayerState::settle_trace`]: a host settles it
    /// before reading it while playing at top speed.
    pub fn trace(&self) -> &VecDeque<(u64, S::Event)> {
        &self.trace
    }

    /// Records the trace's tail that top speed left unrecorded, so the trace ends at the
    /// present again. Replays at most two tails' worth of steps (a few milliseconds) from a
    /// kept copy of the model, with the actions logged in between, exactly as the timeline
    /// took them: the model is deterministic, so the events are those the steps had.
    pub fn settle_trace(&mut self) {
        self.settle_trace_to(self.timeline.step());
    }

    /// [`PlayerState::settle_trace`] up to step `end` (at most the present).
    fn settle_trace_to(&mut self, end: u64) {
        let Some(Unrecorded {
            step, mut model, ..
        }) = self.unrecorded.take()
        else {
            return;
        };
        let end = end.min(self.timeline.step());
        let tail = self.trace_tail_steps();
        let (mut at, mut recorded, mut counted) = (step, 0u64, 0usize);
        let mut events = std::mem::take(&mut self.scratch);
        while at < end {
            events.clear();
            // Steps whose events the trace would evict at once are only simulated.
            if end - at > tail {
                model.step_quiet(&mut events);
            } else {
                model.step_into(&mut events);
                recorded += 1;
                counted += events.len();
            }
            at += 1;
            self.timeline.apply_logged_actions(&mut model, at);
            for e in events.drain(..) {
                if self.trace.len() >= MAX_TRACE {
                    self.trace.pop_front();
                }
                self.trace.push_back((at, e));
            }
        }
        self.scratch = events;
        if recorded >= 256 {
            self.events_per_step = counted as f64 / recorded as f64;
        }
    }

    fn sample_metrics(&mut self) {
        let step = self.timeline.step();
        if step % self.series_every != 0 {
            return;
        }
        let t = self.model().now().as_secs_f64();
        // After a step back, drop samples from the abandoned present.
        while self.series.last().is_some_and(|(st, _)| *st > t) {
            self.series.pop();
        }
        self.series.push((t, self.model().metrics()));
        if self.series.len() > MAX_SERIES {
            // Thin: keep every other sample and halve the sampling rate from now on.
            let mut i = 0;
            self.series.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.series_every = self.series_every.saturating_mul(2);
        }
    }

    /// Records the step just taken (trace, and when `draw` the animation and narration);
    /// returns how many events it had.
    fn record(&mut self, now_ms: f64, draw: bool) -> usize {
        let step = self.timeline.step();
        // An unrecorded tail comes before this step in the trace.
        self.settle_trace_to(step.saturating_sub(1));
        // Move the step's events out of the timeline rather than cloning them.
        let mut events = std::mem::take(&mut self.scratch);
        events.extend(self.timeline.drain_last_events());
        let count = events.len();
        for e in events.drain(..) {
            if draw {
                if self.recent.len() >= MAX_RECENT {
                    self.recent.pop_front();
                }
                self.recent.push_back((now_ms, e.clone()));
                if now_ms - self.last_narrated_ms >= NARRATION_GAP_MS || !self.playing {
                    if let Some(line) = S::narrate(self.timeline.model(), &e) {
                        self.narrate(line, now_ms);
                    }
                }
            }
            if self.trace.len() >= MAX_TRACE {
                self.trace.pop_front();
            }
            self.trace.push_back((step, e));
        }
        self.scratch = events;
        self.sample_metrics();
        count
    }

    /// How many steps, recorded, refill the whole trace (from the measured events per step).
    fn trace_tail_steps(&self) -> u64 {
        let steps = MAX_TRACE as f64 / self.events_per_step.max(0.5);
        (steps.ceil() as u64).clamp(DRAW_LIMIT_PER_FRAME, 2 * MAX_TRACE as u64)
    }

    /// Simulates up to `n` steps without recording their events (they are neither drawn nor
    /// kept: the trace's tail is recorded separately), taking the metric samples exactly where
    /// step-by-step recording would. Stops early once `stop()` says so (looked at every
    /// [`BULK_CHUNK`] steps at most). Returns the steps taken.
    fn simulate_unrecorded(&mut self, n: u64, stop: &dyn Fn() -> bool) -> u64 {
        let (mut done, mut unchecked) = (0, 0);
        while done < n {
            let step = self.timeline.step();
            let to_sample = self.series_every - step % self.series_every;
            let chunk = (n - done).min(BULK_CHUNK).min(to_sample);
            self.timeline.fast_forward(chunk);
            done += chunk;
            unchecked += chunk;
            self.sample_metrics();
            if unchecked >= BULK_CHUNK {
                unchecked = 0;
                if stop() {
                    break;
                }
            }
        }
        done
    }

    fn narrate(&mut self, line: String, now_ms: f64) {
        if self.narration.len() >= MAX_NARRATION {
            self.narration.pop_front();
        }
        self.narration.push_back(line);
        self.last_narrated_ms = now_ms;
    }

    /// One step forward, drawn and narrated (the Step button).
    pub fn step_once(&mut self, now_ms: f64) {
        self.timeline.forward();
        self.record(now_ms, true);
    }

    /// One step back (the Step back button): the view shows the step that led here.
    pub fn step_back(&mut self, now_ms: f64) {
        self.settle_trace();
        if self.timeline.back() {
            self.recent.clear();
            self.drop_trace_after_present();
            let step = self.timeline.step();
            let events: Vec<S::Event> = self.timeline.last_events().to_vec();
            for e in events {
                self.recent.push_back((now_ms, e));
            }
            self.sample_metrics();
            self.narrate(format!("Stepped back to step {step}."), now_ms);
        }
    }

    /// Playing at top speed: the host runs [`PlayerState::fast_forward_slice`] back to back
    /// instead of [`PlayerState::frame`], and draws only now and then.
    pub fn fast_forwarding(&self) -> bool {
        self.playing && SPEEDS.get(self.speed).is_some_and(|s| s.is_infinite())
    }

    /// Runs whatever the speed asks for in a frame of `dt_ms`, within the frame budget.
    /// `clock` reads wall time so the budget is honoured however slow the machine is.
    /// At top speed this simulates one frame's budget; a host that can should call
    /// [`PlayerState::fast_forward_slice`] between frames instead.
    pub fn frame(&mut self, dt_ms: f64, now_ms: f64, clock: &dyn Fn() -> f64) {
        if !self.playing {
            return;
        }
        let rate = SPEEDS.get(self.speed).copied().unwrap_or(1.0);
        if rate.is_infinite() {
            self.fast_forward(FAST_FORWARD_FRAME_BUDGET_MS, clock);
            return;
        }
        self.carry += rate * dt_ms.clamp(0.0, 250.0) / 1_000.0;
        let whole = self.carry.floor();
        self.carry -= whole;
        self.advance(whole as u64, FRAME_BUDGET_MS, now_ms, clock);
    }

    /// At top speed: simulates for `budget_ms` of wall time, in bulk (see
    /// [`PlayerState::fast_forward`]; settle the trace before exporting it). Does nothing
    /// unless [`PlayerState::fast_forwarding`].
    pub fn fast_forward_slice(&mut self, budget_ms: f64, clock: &dyn Fn() -> f64) {
        if self.fast_forwarding() {
            self.fast_forward(budget_ms, clock);
        }
    }

    /// Top speed: simulates for `budget` ms of wall time, every step in bulk. Nothing is drawn,
    /// and the trace's tail is not recorded here but replayed when the trace is next needed
    /// ([`PlayerState::settle_trace`]): most slices are followed by another, which would evict
    /// it. For that a copy of the model is kept every [`PlayerState::trace_tail_steps`] steps,
    /// the older of the last two being where the replay starts (one to two tails back).
    fn fast_forward(&mut self, budget: f64, clock: &dyn Fn() -> f64) {
        let started = clock();
        self.recent.clear();
        let stop = || clock() - started > budget;
        loop {
            let now = self.timeline.step();
            let tail = self.trace_tail_steps();
            let unrecorded = self.unrecorded.get_or_insert_with(|| Unrecorded {
                step: now,
                model: self.timeline.model().clone(),
                newer: None,
            });
            let newest = unrecorded.newer.as_ref().map_or(unrecorded.step, |n| n.0);
            let n = (newest + tail).saturating_sub(now).max(1);
            let done = self.simulate_unrecorded(n, &stop);
            let now = self.timeline.step();
            if now >= newest + tail {
                let copy = (now, self.timeline.model().clone());
                if let Some(u) = self.unrecorded.as_mut() {
                    if let Some((step, model)) = u.newer.replace(copy) {
                        u.step = step;
                        u.model = model;
                    }
                }
            }
            // `simulate_unrecorded` looks at the clock only every `BULK_CHUNK` steps; a short
            // tail may end before that.
            if done < n || stop() {
                break;
            }
        }
    }

    /// Up to `wanted` steps within `budget` ms of wall time.
    fn advance(&mut self, wanted: u64, budget: f64, now_ms: f64, clock: &dyn Fn() -> f64) {
        if wanted == 0 {
            return;
        }
        let started = clock();
        let draw_from = if wanted > DRAW_LIMIT_PER_FRAME {
            // Fast-forward: simulate everything, draw only the frame's last few steps.
            self.recent.clear();
            wanted.saturating_sub(DRAW_LIMIT_PER_FRAME)
        } else {
            0
        };
        // Only the newest MAX_TRACE events are kept, so steps before the frame's recorded
        // tail are simulated in bulk (events dropped, metric samples kept), leaving the tail's
        // expected time of the budget for recording it.
        let tail = self.trace_tail_steps();
        let mut done = 0u64;
        if wanted > tail {
            let bulk_ms = budget - self.tail_ms;
            done = self.simulate_unrecorded(wanted - tail, &|| clock() - started > bulk_ms);
        }
        let tail_started = clock();
        let (mut recorded, mut events) = (0u64, 0usize);
        while done < wanted && recorded < tail {
            if recorded % 256 == 0 && recorded > 0 && clock() - started > budget {
                break;
            }
            self.timeline.forward();
            events += self.record(now_ms, done >= draw_from);
            done += 1;
            recorded += 1;
        }
        if recorded >= 256 {
            self.tail_ms = clock() - tail_started;
            self.events_per_step = events as f64 / recorded as f64;
        }
        self.recent.retain(|(at, _)| now_ms - *at < RECENT_MS);
    }

    /// Drops animation entries older than the animation window.
    pub fn expire(&mut self, now_ms: f64) {
        self.recent.retain(|(at, _)| now_ms - *at < RECENT_MS);
    }

    /// Applies a user action; on error the message is kept for the page and nothing changes.
    pub fn act(&mut self, action: S::Action, now_ms: f64) {
        let said = S::describe_action(&action);
        // The replay of an unrecorded tail reads the action log, which acting rewrites.
        self.settle_trace();
        match self.timeline.act(action) {
            Ok(()) => {
                self.last_error = None;
                self.drop_trace_after_present();
                let step = self.timeline.step();
                self.sample_metrics();
                // What the user did is narrated too, so a screen-reader user hears the cause
                // before its effects.
                self.narrate(format!("At step {step}: {said}."), now_ms);
            }
            Err(e) => self.last_error = Some(crate::scenes::error_text::<S>(&e)),
        }
    }

    /// Trace entries past the present belong to a future the user has stepped back from (kept
    /// by the timeline for stepping forward again, or abandoned by an action): the export
    /// describes what is on screen, and stepping forward records them again.
    fn drop_trace_after_present(&mut self) {
        let step = self.timeline.step();
        while self.trace.back().is_some_and(|(s, _)| *s > step) {
            self.trace.pop_back();
        }
    }

    /// Moves to `step` (a link's position, or the timeline slider): back by replaying
    /// deterministically from a snapshot; forward by simulating the steps it passes, within
    /// the kept future or past it, recorded as play records them.
    pub fn seek(&mut self, step: u64) {
        self.settle_trace();
        if step < self.timeline.step() {
            self.timeline.seek(step);
            self.drop_trace_after_present();
        }
        // Forward, within the kept future or past it, is recorded like play does, undrawn, so
        // the charts and the export cover it (the export as far back as the trace holds).
        let ahead = step.saturating_sub(self.timeline.step());
        let tail = self.trace_tail_steps();
        if ahead > tail {
            self.simulate_unrecorded(ahead - tail, &|| false);
        }
        while self.timeline.step() < step {
            self.timeline.forward();
            self.record(f64::NEG_INFINITY, false);
        }
        self.recent.clear();
        self.sample_metrics();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenes::balancing::BalancingScene;
    use std::cell::Cell;

    fn player() -> PlayerState<BalancingScene> {
        PlayerState::new(ParamValues::defaults(BalancingScene::specs()), 7).expect("builds")
    }

    /// `frames` frames at top speed, on a fake clock where each look costs `look_ms` (so a
    /// frame simulates a fixed number of steps, however fast this machine is).
    fn play_top_speed(
        p: &mut PlayerState<BalancingScene>,
        frames: u32,
        look_ms: f64,
        now: &mut f64,
    ) {
        p.playing = true;
        p.speed = SPEEDS.len() - 1;
        let t = Cell::new(*now);
        let clock = || {
            t.set(t.get() + look_ms);
            t.get()
        };
        for _ in 0..frames {
            *now += 16.0;
            t.set(*now);
            p.frame(16.0, *now, &clock);
        }
        p.playing = false;
    }

    #[test]
    fn a_settled_top_speed_trace_is_the_recorded_one() {
        let kill = decode_ops::<BalancingScene>("0:kill.1").actions.remove(0).1;
        let mut now = 0.0;
        let mut p = player();
        play_top_speed(&mut p, 4, 0.5, &mut now);
        // An action between two runs at top speed: the replay must see the log as it was.
        let acted_at = p.timeline.step();
        p.act(kill.clone(), now);
        play_top_speed(&mut p, 3, 0.5, &mut now);
        let end = p.timeline.step();
        // Several tails were simulated, so the kept copies of the model were replaced.
        assert!(end - acted_at > 3 * MAX_TRACE as u64, "{acted_at} → {end}");
        p.settle_trace();

        // The same run taken by seeking, which records the steps it ends on as it goes.
        let mut r = player();
        r.seek(acted_at);
        r.act(kill, now);
        r.seek(end);
        assert_eq!(r.trace().len(), MAX_TRACE);
        assert_eq!(r.trace().back().map(|(s, _)| *s), Some(end));
        assert!(p.trace() == r.trace(), "the settled trace differs");
        // Settling again changes nothing.
        p.settle_trace();
        assert!(p.trace() == r.trace());

        // Back to before the action, then at top speed through it again for less than a tail:
        // the replay starts before the logged action and must apply it where the timeline did.
        p.seek(acted_at - 100);
        play_top_speed(&mut p, 1, 2.0, &mut now);
        let end = p.timeline.step();
        assert!(end > acted_at + 1_000, "{acted_at} → {end}");
        p.settle_trace();
        let mut r = player();
        r.seek(acted_at);
        r.act(
            decode_ops::<BalancingScene>("0:kill.1").actions.remove(0).1,
            now,
        );
        r.seek(end);
        // The seek back dropped every entry past acted_at − 100 (the earlier trace held only
        // steps near the first end), so p's trace is exactly what was recorded since.
        let since: Vec<_> = r
            .trace()
            .iter()
            .filter(|(s, _)| *s > acted_at - 100)
            .collect();
        assert_eq!(since.last().map(|(s, _)| *s), Some(end));
        assert!(since.len() > 1_000);
        let settled: Vec<_> = p.trace().iter().collect();
        assert!(
            settled == since,
            "the settled trace differs after the action"
        );
    }

    #[test]
    fn seeking_back_keeps_the_trace_up_to_the_present() {
        let mut p = player();
        for _ in 0..300 {
            p.step_once(0.0);
        }
        let full: Vec<_> = p.trace().iter().cloned().collect();
        assert_eq!(full.last().map(|(s, _)| *s), Some(300));
        p.seek(120);
        assert_eq!(p.trace().back().map(|(s, _)| *s), Some(120));
        assert!(p.trace().iter().all(|(s, _)| *s <= 120));
        // Forward again through the kept future: the same trace, each step once.
        p.seek(300);
        let again: Vec<_> = p.trace().iter().cloned().collect();
        assert!(
            again == full,
            "the trace after seeking back and forth differs"
        );
        // And stepping from a seek back records each step once, in order.
        p.seek(200);
        p.step_once(0.0);
        assert_eq!(p.trace().back().map(|(s, _)| *s), Some(201));
        assert!(p
            .trace()
            .iter()
            .zip(p.trace().iter().skip(1))
            .all(|(a, b)| a.0 <= b.0));
    }

    #[test]
    fn stepping_after_top_speed_records_the_tail_first() {
        let mut now = 0.0;
        let mut p = player();
        play_top_speed(&mut p, 2, 0.5, &mut now);
        let before = p.timeline.step();
        p.step_once(now);
        let trace = p.trace();
        assert_eq!(trace.back().map(|(s, _)| *s), Some(before + 1));
        // Steps in order, the unrecorded tail ending right before the stepped one.
        assert!(trace
            .iter()
            .zip(trace.iter().skip(1))
            .all(|(a, b)| a.0 <= b.0));
        assert!(trace.iter().any(|(s, _)| *s == before));
    }
}
