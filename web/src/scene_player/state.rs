//! What the player keeps between frames: the simulation's player state, the link it came
//! from, and the page's own bits (help open, status line, the charts' shared series, the
//! inspector's content).

use crate::components::inspector::Inspection;
use crate::components::memo::{Keep, Kept, Revision};
use crate::params::ParamValues;
use crate::player::PlayerState;
use crate::scenes::Scene;
use crate::url_state::{to_query, UrlState};
use std::rc::Rc;

/// How often the charts are redrawn while playing (wall ms): four times a second reads as
/// live and keeps their SVG out of most frames.
const CHART_REFRESH_MS: f64 = 250.0;

/// How often the inspector is rebuilt while playing (wall ms). Its table can list 32 servers
/// or a policy's whole order; rebuilt and redrawn every frame it cost the balancing scene's
/// frame about 3 ms at 1 024 steps/s, and nobody reads a table that changes 60 times a second.
/// A new selection, or any change while paused, rebuilds it at once.
const INSPECT_REFRESH_MS: f64 = 250.0;

/// A metric row per sample: `(simulated seconds, one value per column)`.
pub type Series = Rc<Vec<(f64, Vec<f64>)>>;

/// The player's state; see the module documentation.
pub struct Holder<S: Scene> {
    pub player: PlayerState<S>,
    pub url: UrlState,
    pub problems: Vec<String>,
    pub help: bool,
    /// What the student selected in the drawing (the inspector shows its state).
    pub focus: Option<S::Focus>,
    pub status: String,
    pub last_frame_ms: Option<f64>,
    /// When the view was last redrawn while fast-forwarding.
    pub last_draw_ms: f64,
    pub last_written_query: String,
    /// When the address was last written (page milliseconds).
    pub written_at_ms: f64,
    /// The player's metric series, shared with the charts; replaced only when a row changes,
    /// so a chart whose rows are the same `Rc` is not re-rendered.
    series: Series,
    /// Wall time (ms) the shared series was last refreshed.
    series_at_ms: f64,
    /// The inspector's content, shared with its component, and the selection and wall time it
    /// was built for.
    inspection: Rc<Inspection>,
    inspected: (Option<S::Focus>, f64),
    /// Commands run so far: with the timeline's step, the revision of what the model, the
    /// settings and the selection show.
    pub commands: u64,
    /// The scene's parts drawn from those alone, kept between frames.
    kept: Kept,
}

/// Rows equal bit for bit (NaN marks a missing value, so `==` on floats would never match).
fn same_rows(a: &[(f64, Vec<f64>)], b: &[(f64, Vec<f64>)]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|((ta, va), (tb, vb))| {
            ta.to_bits() == tb.to_bits()
                && va.len() == vb.len()
                && va.iter().zip(vb).all(|(x, y)| x.to_bits() == y.to_bits())
        })
}

impl<S: Scene> Holder<S> {
    /// The player a link opens, with the link's problems and the player's own.
    pub fn from_link(url: &UrlState, link_problems: &[String]) -> Self {
        let (player, problems) = crate::player::from_link::<S>(url, link_problems);
        Holder {
            player,
            url: url.clone(),
            problems,
            help: false,
            focus: None,
            status: String::new(),
            last_frame_ms: None,
            last_draw_ms: f64::NEG_INFINITY,
            last_written_query: String::new(),
            written_at_ms: f64::NEG_INFINITY,
            series: Rc::new(Vec::new()),
            series_at_ms: f64::NEG_INFINITY,
            inspection: Rc::default(),
            inspected: (None, f64::NEG_INFINITY),
            commands: 0,
            kept: Kept::default(),
        }
    }

    /// The kept parts, at this frame's revision and wall time `now_ms`.
    pub fn keep(&self, now_ms: f64) -> Keep<'_> {
        Keep {
            kept: &self.kept,
            revision: Revision {
                commands: self.commands,
                step: self.player.timeline.step(),
            },
            now_ms,
            playing: self.player.playing,
        }
    }

    /// Notes the step this frame, at `now_ms`, shows ([`Kept::note_step`]).
    pub fn note_step(&self, now_ms: f64) {
        self.kept.note_step(now_ms, self.player.timeline.step());
    }

    /// The inspector's content: the shared copy, rebuilt for a new selection, on every redraw
    /// while paused (a step, a seek or an action), and while playing at most every
    /// [`INSPECT_REFRESH_MS`], on a frame no other live panel takes ([`Kept::refresh_slot`]).
    /// Replaced only when it changed, so its component skips the redraw.
    pub fn inspection(&mut self, now_ms: f64) -> Rc<Inspection> {
        let (focus, at_ms) = self.inspected;
        let due = !self.player.playing
            || (now_ms - at_ms >= INSPECT_REFRESH_MS && self.kept.refresh_slot(now_ms));
        if due || focus != self.focus {
            let fresh = S::inspect(self.player.model(), self.focus);
            if *self.inspection != fresh {
                self.inspection = Rc::new(fresh);
            }
            self.inspected = (self.focus, now_ms);
        }
        self.inspection.clone()
    }

    /// The series to draw: the shared copy, refreshed if the player's rows changed — while
    /// playing at most every [`CHART_REFRESH_MS`], since a new row arrives nearly every frame
    /// and redrawing four charts of 600 points each frame costs more than the rest of it (and
    /// on a frame no other live panel takes, [`Kept::refresh_slot`]).
    pub fn series(&mut self, now_ms: f64) -> Series {
        let playing = self.player.playing;
        let due = !playing || now_ms - self.series_at_ms >= CHART_REFRESH_MS;
        if due
            && !same_rows(&self.series, self.player.series())
            && (!playing || self.kept.refresh_slot(now_ms))
        {
            self.series = Rc::new(self.player.series().to_vec());
            self.series_at_ms = now_ms;
        }
        self.series.clone()
    }

    /// The link to exactly this state.
    pub fn query(&self) -> String {
        let mut url = self.url.clone();
        url.seed = self.player.seed;
        url.step = self.player.timeline.step();
        url.ops = self.player.encoded_ops();
        // The scene's own speed is left out, so a link names a speed only when it was chosen.
        url.speed = (self.player.speed != const { crate::player::rung_of(S::SPEED) })
            .then_some(self.player.speed);
        let params = self.player.params.non_default(S::specs());
        to_query(&url, &params)
    }

    /// Rebuilds the model (new seed or settings). On an invalid combination the previous
    /// model stays and the message is shown.
    pub fn rebuild(&mut self, params: ParamValues, seed: u64) {
        match PlayerState::<S>::new(params, seed) {
            Ok(mut p) => {
                p.speed = self.player.speed;
                p.playing = self.player.playing;
                self.player = p;
                self.status.clear();
            }
            Err(e) => self.player.last_error = Some(crate::scenes::error_text::<S>(&e)),
        }
    }

    /// The messages above the scene: the link's problems, then the last refused change.
    pub fn notices(&self) -> Vec<String> {
        let mut notices = self.problems.clone();
        if let Some(e) = &self.player.last_error {
            notices.push(e.clone());
        }
        notices
    }
}
