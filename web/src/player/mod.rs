//! The host side of a scene: owns the timeline, decides how many steps each animation frame
//! runs, and keeps the bounded histories (recent events, metric series, narration) that the
//! view and the live region read. The exports keep no history here: the export bundle
//! re-simulates the run from its link (see [`crate::export`]).
//!
//! The simulation itself is the core's; this file only schedules it against wall time.

mod link;
mod speed;

pub use link::{decode_ops, from_link, from_link_within, DecodedOps, MAX_OPS};
pub use speed::{
    parse_speed, rate, rung_of, speed_label, speed_meaning, speed_text, speed_value, MAX_SPEED,
    RUNGS,
};

use crate::params::ParamValues;
use crate::scenes::Scene;
use scalelab_core::timeline::Timeline;
use scalelab_core::{Metrics, Model};
use std::collections::VecDeque;

/// At most this many steps are drawn per frame; a frame that must take more simulates the
/// earlier ones without drawing them.
const DRAW_LIMIT_PER_FRAME: u64 = 64;
/// Wall time over which the pace kept is measured (ms).
const PACE_WINDOW_MS: f64 = 1_000.0;
/// The pace kept counts as behind when it is under this share of the pace asked.
const BEHIND_SHARE: f64 = 0.9;
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
/// How long an event stays in the animation window (ms of the drawing's clock).
pub const RECENT_MS: f64 = 1_200.0;
/// How long a scene's standard motion (a dot's trip, a flash) is drawn at the pace the scenes
/// were designed for (ms of the drawing's clock).
const BASE_MOTION_MS: f64 = 700.0;
/// The standard motion lasts at least this long on screen, so it is still seen at fast
/// speeds (where the drawing shows the flow rather than each event)…
const MIN_MOTION_MS: f64 = 150.0;
/// …and at most this long, so a slow speed does not leave marks crawling for minutes.
const MAX_MOTION_MS: f64 = 2_500.0;
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
    /// The rung of the speed ladder ([`RUNGS`]).
    pub speed: usize,
    /// Where play has brought the simulated clock (µs): it moves at the speed's rate, and the
    /// model steps until its clock reaches it. Between two events it runs ahead of the model.
    playhead_us: f64,
    /// The step play last left the timeline at: when something else moved it (a step, a seek,
    /// an action), the playhead starts again from the model's clock.
    played_to: u64,
    /// Simulated µs per step over the last frame that stepped, to know how many steps a frame
    /// will take before it takes them.
    gap_us: f64,
    /// The pace being measured: wall ms and playhead µs in the current window, and whether a
    /// frame in it ran out of time.
    pace_window: (f64, f64, bool),
    /// The pace kept over the last whole window, when it fell behind the pace asked.
    behind: Option<f64>,
    /// Events with the time (ms of the drawing's clock) they were shown at.
    recent: VecDeque<(f64, S::Event)>,
    /// The drawing's clock (ms): wall time, run faster or slower while playing so that a
    /// scene's standard motion, which stands for [`Scene::MOTION_SIM_MS`] of simulated time,
    /// lasts on screen what that simulated time lasts at the speed (within
    /// [`MIN_MOTION_MS`]…[`MAX_MOTION_MS`]); and the wall time it was last moved at.
    drawing_clock: (f64, Option<f64>),
    /// Metric rows: (simulated seconds, values), thinned to stay bounded.
    series: Vec<(f64, Vec<f64>)>,
    series_every: u64,
    pub narration: VecDeque<String>,
    last_narrated_ms: f64,
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
            speed: const { rung_of(S::SPEED) },
            playhead_us: 0.0,
            played_to: 0,
            gap_us: 0.0,
            pace_window: (0.0, 0.0, false),
            behind: None,
            recent: VecDeque::new(),
            drawing_clock: (0.0, None),
            series: Vec::new(),
            series_every: 1,
            narration: VecDeque::new(),
            last_narrated_ms: f64::NEG_INFINITY,
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

    /// The drawing's clock now (ms), what [`PlayerState::recent`]'s times are on.
    pub fn drawing_ms(&self) -> f64 {
        self.drawing_clock.0
    }

    /// How much faster than the wall the drawing's clock runs at this speed while playing:
    /// the standard motion's [`BASE_MOTION_MS`] over what its simulated time lasts on screen.
    pub fn motion_factor(&self) -> f64 {
        let shown_ms = (S::MOTION_SIM_MS / rate(self.speed)).clamp(MIN_MOTION_MS, MAX_MOTION_MS);
        BASE_MOTION_MS / shown_ms
    }

    /// Moves the drawing's clock to the wall time `wall_ms`: at the speed's pace while
    /// playing, at the wall's while paused (a step is drawn as the scene was designed).
    pub fn tick_drawing(&mut self, wall_ms: f64) {
        let factor = if self.playing {
            self.motion_factor()
        } else {
            1.0
        };
        let (clock, last) = &mut self.drawing_clock;
        if let Some(last) = *last {
            *clock += (wall_ms - last).clamp(0.0, 250.0) * factor;
        }
        *last = Some(wall_ms);
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
                self.recent.push_back((self.drawing_clock.0, e));
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
                self.recent.push_back((self.drawing_clock.0, e));
            }
            self.sample_metrics();
            self.narrate(format!("Stepped back to step {step}."), now_ms);
        }
    }

    /// Playing at top speed: the host runs [`PlayerState::fast_forward_slice`] back to back
    /// instead of [`PlayerState::frame`], and draws only now and then.
    pub fn fast_forwarding(&self) -> bool {
        self.playing && rate(self.speed).is_infinite()
    }

    /// Runs whatever the speed asks for in a frame of `dt_ms`, within the frame budget:
    /// the playhead moves `rate × dt` of simulated time and the model steps until its clock
    /// reaches it. `clock` reads wall time so the budget is honoured however slow the machine
    /// is; a frame that runs out of it leaves the playhead at the model's clock (the pace kept
    /// drops, the results do not change). At top speed this simulates one frame's budget; a
    /// host that can should call [`PlayerState::fast_forward_slice`] between frames instead.
    pub fn frame(&mut self, dt_ms: f64, now_ms: f64, clock: &dyn Fn() -> f64) {
        if !self.playing {
            return;
        }
        let rate = rate(self.speed);
        if rate.is_infinite() {
            self.fast_forward(FAST_FORWARD_FRAME_BUDGET_MS, clock);
            return;
        }
        let model_us = self.model().now().as_micros() as f64;
        if self.timeline.step() != self.played_to {
            self.playhead_us = model_us;
        }
        let dt = dt_ms.clamp(0.0, 250.0);
        let from = self.playhead_us;
        self.playhead_us += rate * dt * 1_000.0;
        let kept_up = self.advance_to(self.playhead_us, FRAME_BUDGET_MS, now_ms, clock);
        if !kept_up {
            self.playhead_us = self.model().now().as_micros() as f64;
        }
        self.played_to = self.timeline.step();
        self.measure_pace(dt, self.playhead_us - from, !kept_up, rate);
    }

    /// Adds a frame to the pace window; a full window sets [`PlayerState::behind`].
    fn measure_pace(&mut self, wall_ms: f64, sim_us: f64, fell_behind: bool, asked: f64) {
        let (wall, sim, short) = &mut self.pace_window;
        *wall += wall_ms;
        *sim += sim_us.max(0.0);
        *short |= fell_behind;
        if *wall >= PACE_WINDOW_MS {
            let kept = *sim / (*wall * 1_000.0);
            self.behind = (*short && kept < asked * BEHIND_SHARE).then_some(kept);
            self.pace_window = (0.0, 0.0, false);
        }
    }

    /// The pace kept (simulated seconds per second) when this machine could not keep the
    /// pace asked over the last second of play; `None` while it keeps up.
    pub fn behind(&self) -> Option<f64> {
        if self.playing && !self.fast_forwarding() {
            self.behind
        } else {
            None
        }
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

    /// Steps until the model's clock reaches `target_us`, within `budget` ms of wall time;
    /// false when the budget ran out first. Only the last [`DRAW_LIMIT_PER_FRAME`] steps (as
    /// the steps' recent spacing predicts them) are drawn; the earlier ones are simulated
    /// without their events.
    fn advance_to(
        &mut self,
        target_us: f64,
        budget: f64,
        now_ms: f64,
        clock: &dyn Fn() -> f64,
    ) -> bool {
        let started = clock();
        let over = || clock() - started > budget;
        let (start_step, start_us) = (self.timeline.step(), self.now_us());
        let draw_from_us = target_us - self.gap_us * DRAW_LIMIT_PER_FRAME as f64;
        if self.gap_us > 0.0 && self.now_us() < draw_from_us {
            self.recent.clear();
            while self.now_us() < draw_from_us {
                let estimate = ((draw_from_us - self.now_us()) / self.gap_us).ceil();
                let chunk = (estimate as u64).clamp(1, BULK_CHUNK);
                if self.simulate_quietly(chunk, &over) < chunk || over() {
                    self.note_gap(start_step, start_us);
                    return false;
                }
            }
        }
        let mut drawn = 0u64;
        while self.now_us() < target_us {
            if drawn % 256 == 255 && over() {
                self.note_gap(start_step, start_us);
                return false;
            }
            self.timeline.forward();
            self.record(now_ms, true);
            drawn += 1;
        }
        self.note_gap(start_step, start_us);
        self.expire();
        true
    }

    fn now_us(&self) -> f64 {
        self.model().now().as_micros() as f64
    }

    /// Keeps the steps' spacing in simulated time, measured since `(step, us)`.
    fn note_gap(&mut self, step: u64, us: f64) {
        let steps = self.timeline.step().saturating_sub(step);
        let span = self.now_us() - us;
        if steps > 0 && span > 0.0 {
            self.gap_us = span / steps as f64;
        }
    }

    /// Drops animation entries older than the animation window.
    pub fn expire(&mut self) {
        let now = self.drawing_clock.0;
        self.recent.retain(|(at, _)| now - *at < RECENT_MS);
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
        p.speed = MAX_SPEED;
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
