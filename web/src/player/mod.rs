//! The host side of a scene: owns the timeline, decides how many steps each animation frame
//! runs, and keeps the bounded histories (recent events, metric series, narration) that the
//! view and the live region read. The exports keep no history here: the export bundle
//! re-simulates the run from its link (see [`crate::export`]).
//!
//! The simulation itself is the core's; this file only schedules it against wall time.

mod link;
mod speed;

pub use link::{decode_ops, from_link, from_link_within, DecodedOps, MAX_OPS};
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
const MAX_NARRATION: usize = 5;
/// A screen reader can follow about one sentence every 1.5 s.
const NARRATION_GAP_MS: f64 = 1_500.0;

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

    /// Shows the step just taken when `draw` (the animation and narration), and samples the
    /// metrics.
    fn record(&mut self, now_ms: f64, draw: bool) {
        if draw {
            // Move the step's events out of the timeline rather than cloning them.
            let mut events = std::mem::take(&mut self.scratch);
            events.extend(self.timeline.drain_last_events());
            for e in events.drain(..) {
                if self.recent.len() >= MAX_RECENT {
                    self.recent.pop_front();
                }
                if now_ms - self.last_narrated_ms >= NARRATION_GAP_MS || !self.playing {
                    if let Some(line) = S::narrate(self.timeline.model(), &e) {
                        self.narrate(line, now_ms);
                    }
                }
                self.recent.push_back((now_ms, e));
            }
            self.scratch = events;
        }
        self.sample_metrics();
    }

    /// Simulates up to `n` steps without their events (nothing is drawn), taking the metric
    /// samples exactly where step-by-step recording would. Stops early once `stop()` says so (looked at every
    /// [`BULK_CHUNK`] steps at most). Returns the steps taken.
    fn simulate_quietly(&mut self, n: u64, stop: &dyn Fn() -> bool) -> u64 {
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
        if self.timeline.back() {
            self.recent.clear();
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

    /// At top speed: simulates for `budget_ms` of wall time, in bulk. Does nothing unless
    /// [`PlayerState::fast_forwarding`].
    pub fn fast_forward_slice(&mut self, budget_ms: f64, clock: &dyn Fn() -> f64) {
        if self.fast_forwarding() {
            self.fast_forward(budget_ms, clock);
        }
    }

    /// Top speed: simulates for `budget` ms of wall time, every step in bulk; nothing is
    /// drawn (the view only shows the model's state, refreshed a few times a second).
    fn fast_forward(&mut self, budget: f64, clock: &dyn Fn() -> f64) {
        let started = clock();
        self.recent.clear();
        self.simulate_quietly(u64::MAX, &|| clock() - started > budget);
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
        let mut done = 0u64;
        if draw_from > 0 {
            done = self.simulate_quietly(draw_from, &|| clock() - started > budget);
        }
        while done < wanted {
            if done % 256 == 0 && done > draw_from && clock() - started > budget {
                break;
            }
            self.timeline.forward();
            self.record(now_ms, true);
            done += 1;
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
        match self.timeline.act(action) {
            Ok(()) => {
                self.last_error = None;
                let step = self.timeline.step();
                self.sample_metrics();
                // What the user did is narrated too, so a screen-reader user hears the cause
                // before its effects.
                self.narrate(format!("At step {step}: {said}."), now_ms);
            }
            Err(e) => self.last_error = Some(crate::scenes::error_text::<S>(&e)),
        }
    }

    /// Moves to `step` (a link's position, or the timeline slider): back by replaying
    /// deterministically from a snapshot; forward by simulating the steps it passes, within
    /// the kept future or past it, with the metric samples play would take. The last step is
    /// taken as a shown one (its events built), as stepping back takes it, so the model's
    /// readouts of that step are there.
    pub fn seek(&mut self, step: u64) {
        if step < self.timeline.step() {
            self.timeline.seek(step);
        }
        let ahead = step.saturating_sub(self.timeline.step());
        if ahead > 0 {
            self.simulate_quietly(ahead - 1, &|| false);
            self.timeline.forward();
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

    /// Rows bit for bit (NaN marks a missing value, and `NaN != NaN`).
    fn bits(rows: &[(f64, Vec<f64>)]) -> Vec<(u64, Vec<u64>)> {
        rows.iter()
            .map(|(t, v)| (t.to_bits(), v.iter().map(|x| x.to_bits()).collect()))
            .collect()
    }

    /// What a page shows and what its link re-simulates must agree: the metric series taken
    /// at top speed (with an action between two runs) equals the one a seek to the same
    /// steps takes, and so do the models' figures.
    #[test]
    fn top_speed_and_a_seek_take_the_same_series() {
        let kill = decode_ops::<BalancingScene>("0:kill.1").actions.remove(0).1;
        let mut now = 0.0;
        let mut p = player();
        play_top_speed(&mut p, 4, 0.5, &mut now);
        let acted_at = p.timeline.step();
        p.act(kill.clone(), now);
        play_top_speed(&mut p, 3, 0.5, &mut now);
        let end = p.timeline.step();
        assert!(end > acted_at + 10_000, "{acted_at} → {end}");

        let mut r = player();
        r.seek(acted_at);
        r.act(kill, now);
        r.seek(end);
        assert_eq!(
            bits(&[(0.0, r.model().metrics())]),
            bits(&[(0.0, p.model().metrics())])
        );
        assert!(bits(r.series()) == bits(p.series()), "the series differ");
    }

    /// Seeking back drops the samples past the present; forward again takes them again (a
    /// seek samples where it lands, so a row may repeat the one before it).
    #[test]
    fn seeking_back_and_forth_keeps_one_series() {
        let mut p = player();
        for _ in 0..300 {
            p.step_once(0.0);
        }
        let full = p.series().to_vec();
        p.seek(120);
        let t = p.model().now().as_secs_f64();
        assert!(p.series().iter().all(|(at, _)| *at <= t));
        p.seek(300);
        let mut again = bits(p.series());
        again.dedup();
        let mut full = bits(&full);
        full.dedup();
        assert!(
            again == full,
            "the series after seeking back and forth differs"
        );
    }

    /// A step shown after a run at top speed is drawn and narrated like any other.
    #[test]
    fn stepping_after_top_speed_shows_the_step() {
        let mut now = 0.0;
        let mut p = player();
        play_top_speed(&mut p, 2, 0.5, &mut now);
        assert!(p.recent().is_empty());
        let before = p.timeline.step();
        p.step_once(now);
        assert_eq!(p.timeline.step(), before + 1);
        assert!(!p.recent().is_empty());
    }
}
