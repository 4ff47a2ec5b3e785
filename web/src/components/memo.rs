//! A pure view redrawn only when its data changed: what a component with props and no hooks
//! does, as one component type for all of them. Each component type links its own copy of
//! Yew's lifecycle glue (its runners, props wrapper and comparison, about 2.3 KB each before
//! gzip); drawn through [`memo`], a view costs only its own code and a comparison.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// Data that draws itself. Equal data draws the same markup, so an equal value skips the redraw.
pub trait View: PartialEq + 'static {
    /// The markup for this data.
    fn view(&self) -> Html;
}

/// [`View`] behind a pointer: compared with another of any type, drawn without knowing its type.
trait AnyView {
    fn same(&self, other: &dyn Any) -> bool;
    fn as_any(&self) -> &dyn Any;
    fn draw(&self) -> Html;
}

impl<V: View> AnyView for V {
    fn same(&self, other: &dyn Any) -> bool {
        other.downcast_ref::<V>().is_some_and(|o| o == self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn draw(&self) -> Html {
        self.view()
    }
}

#[derive(Properties, Clone)]
struct MemoProps {
    data: Rc<dyn AnyView>,
}

impl PartialEq for MemoProps {
    fn eq(&self, other: &Self) -> bool {
        self.data.same(other.data.as_any())
    }
}

#[component]
fn Memo(p: &MemoProps) -> Html {
    p.data.draw()
}

/// `data`'s markup, redrawn only on a frame where it differs from the last frame's.
pub fn memo<V: View>(data: V) -> Html {
    let data: Rc<dyn AnyView> = Rc::new(data);
    html! { <Memo {data} /> }
}

/// What a kept part was drawn from: the commands the player has run (every action, setting,
/// seek and selection is one) and the timeline's step. Nothing else changes the model, its
/// settings or the selection, so a part drawn from those alone is the same while this is.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Revision {
    pub commands: u64,
    pub step: u64,
}

/// How often live figures are redrawn while a scene plays (wall ms). The model steps on
/// nearly every frame, and a figure or table that changes 60 times a second can be neither
/// read nor drawn cheaply; four times a second reads as live. A paused scene, or a student's
/// action, redraws them at once.
pub const FIGURES_REFRESH_MS: f64 = 250.0;

/// How long a due panel waits for a frame on which the model did not step (wall ms): at the
/// default speeds the model steps on about one frame in two or three ([`Kept::note_step`]).
const QUIET_WAIT_MS: f64 = 100.0;

/// One kept part: its name, the revision and wall time it was drawn at, its markup.
type Part = (&'static str, Revision, f64, Html);

/// Parts of a scene's page kept between frames: each as last drawn, with the revision it was
/// drawn at. The player owns one; a frame that keeps a part neither draws it again nor
/// compares it with the page (its [`memo`] component skips the redraw).
#[derive(Default)]
pub struct Kept {
    parts: RefCell<Vec<Part>>,
    /// The wall time of the last frame on which a live panel was redrawn because its refresh
    /// had come, or that a step of the model took ([`Kept::refresh_slot`]).
    refreshed_at: Cell<Option<f64>>,
    /// The step the last frame showed, and the wall time of the last frame on which the
    /// model did not step ([`Kept::note_step`]).
    last_step: Cell<(u64, f64)>,
}

/// A kept part as its component compares it: by name and revision, not by its markup.
struct KeptPart {
    name: &'static str,
    revision: Revision,
    html: Html,
}

impl PartialEq for KeptPart {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.revision == other.revision
    }
}

impl View for KeptPart {
    fn view(&self) -> Html {
        self.html.clone()
    }
}

impl Kept {
    /// The part `name` as kept, unless it must be drawn again: it was drawn at another
    /// revision, and either a command ran since (a student's action shows at once), or the
    /// scene is paused, or [`FIGURES_REFRESH_MS`] have passed and no other live panel took
    /// this frame ([`Kept::refresh_slot`]).
    fn find(&self, name: &'static str, keep: Keep<'_>) -> Option<Html> {
        let parts = self.parts.borrow();
        let (_, revision, at_ms, html) = parts.iter().find(|(n, ..)| *n == name)?;
        let fresh = *revision == keep.revision
            || (keep.playing
                && revision.commands == keep.revision.commands
                && (keep.now_ms - at_ms < FIGURES_REFRESH_MS || !self.refresh_slot(keep.now_ms)));
        fresh.then(|| {
            memo(KeptPart {
                name,
                revision: *revision,
                html: html.clone(),
            })
        })
    }

    /// Whether a live panel whose refresh has come (the stats, the counters, the charts, the
    /// inspector) may be redrawn on the frame at `now_ms`: one panel a frame. Redrawn on one
    /// frame together, they made that frame several frames long, a stutter four times a
    /// second; each due panel takes the next free frame instead, a frame or two later.
    pub fn refresh_slot(&self, now_ms: f64) -> bool {
        let free = self.refreshed_at.get() != Some(now_ms);
        if free {
            self.refreshed_at.set(Some(now_ms));
        }
        free
    }

    /// Notes the step a frame at `now_ms` shows. A frame on which the model stepped redraws
    /// the drawings and starts the new marks; a due panel redrawn on it too made it the
    /// longest frame of a run, so the panel waits for a frame on which the model did not
    /// step. Where the model steps on every frame (a fast speed: no frame without a step for
    /// [`QUIET_WAIT_MS`]), the panels take step frames, or they would never refresh.
    pub fn note_step(&self, now_ms: f64, step: u64) {
        let (last, quiet_at) = self.last_step.get();
        if step == last {
            self.last_step.set((step, now_ms));
        } else {
            if now_ms - quiet_at < QUIET_WAIT_MS {
                self.refreshed_at.set(Some(now_ms));
            }
            self.last_step.set((step, quiet_at));
        }
    }

    fn store(&self, name: &'static str, keep: Keep<'_>, html: Html) -> Html {
        let part = (name, keep.revision, keep.now_ms, html.clone());
        let mut parts = self.parts.borrow_mut();
        match parts.iter_mut().find(|(n, ..)| *n == name) {
            Some(old) => *old = part,
            None => parts.push(part),
        }
        memo(KeptPart {
            name,
            revision: keep.revision,
            html,
        })
    }
}

/// A frame's handle on the player's [`Kept`] parts: the frame's revision and wall time, and
/// whether the scene plays.
#[derive(Clone, Copy)]
pub struct Keep<'a> {
    pub kept: &'a Kept,
    pub revision: Revision,
    pub now_ms: f64,
    pub playing: bool,
}

impl Keep<'_> {
    /// Live figures (a stat, a counters table), drawn by `draw` from the model, the settings
    /// and the selection alone (never from the wall clock or the passing marks): drawn again
    /// when those changed, but while the scene plays and only the model stepped, at most
    /// every [`FIGURES_REFRESH_MS`].
    /// (`draw` is a `dyn Fn`, so one copy of this serves every part.)
    pub fn figures(self, name: &'static str, draw: &dyn Fn() -> Html) -> Html {
        match self.kept.find(name, self) {
            Some(html) => html,
            None => self.kept.store(name, self, draw()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Keep, Kept, Revision, FIGURES_REFRESH_MS};
    use std::cell::Cell;
    use yew::Html;

    /// A part's drawing that counts its calls in `draws`.
    fn counted(draws: &Cell<u32>) -> impl Fn() -> Html + '_ {
        || {
            draws.set(draws.get() + 1);
            Html::default()
        }
    }

    fn keep(kept: &Kept, step: u64, now_ms: f64, playing: bool) -> Keep<'_> {
        Keep {
            kept,
            revision: Revision { commands: 0, step },
            now_ms,
            playing,
        }
    }

    /// Paused, figures are drawn again exactly when their revision changes.
    #[test]
    fn paused_figures_are_drawn_again_only_at_a_new_revision() {
        let (kept, draws) = (Kept::default(), Cell::new(0));
        let draw = counted(&draws);
        let _ = keep(&kept, 1, 0.0, false).figures("p", &draw);
        let _ = keep(&kept, 1, 16.0, false).figures("p", &draw);
        assert_eq!(draws.get(), 1);
        let _ = keep(&kept, 2, 33.0, false).figures("p", &draw);
        assert_eq!(draws.get(), 2);
    }

    /// Figures wait for their refresh while the scene plays, and follow every change at
    /// once while it is paused.
    #[test]
    fn figures_refresh_while_playing_and_follow_a_paused_scene() {
        let (kept, draws) = (Kept::default(), Cell::new(0));
        let draw = counted(&draws);
        let _ = keep(&kept, 1, 0.0, true).figures("f", &draw);
        let _ = keep(&kept, 2, 16.0, true).figures("f", &draw);
        assert_eq!(
            draws.get(),
            1,
            "a new step before the refresh keeps the figures"
        );
        let _ = keep(&kept, 3, FIGURES_REFRESH_MS, true).figures("f", &draw);
        assert_eq!(draws.get(), 2, "the refresh draws them again");
        let _ = keep(&kept, 4, FIGURES_REFRESH_MS + 1.0, false).figures("f", &draw);
        assert_eq!(draws.get(), 3, "paused, a change draws them at once");
        let _ = keep(&kept, 4, FIGURES_REFRESH_MS + 2.0, false).figures("f", &draw);
        assert_eq!(draws.get(), 3, "and nothing new keeps them");
        let mut acted = keep(&kept, 4, FIGURES_REFRESH_MS + 3.0, true);
        acted.revision.commands += 1;
        let _ = acted.figures("f", &draw);
        assert_eq!(
            draws.get(),
            4,
            "a command draws them at once while playing too"
        );
    }

    /// Two panels due on the same frame while playing are redrawn on two frames, one each;
    /// paused, both at once.
    #[test]
    fn due_panels_take_one_frame_each() {
        let (kept, stats, table) = (Kept::default(), Cell::new(0), Cell::new(0));
        let (draw_stats, draw_table) = (counted(&stats), counted(&table));
        // A frame at `step` and wall time `at` that draws both panels: their draws so far.
        let frame = |step, at, playing| {
            let _ = keep(&kept, step, at, playing).figures("stats", &draw_stats);
            let _ = keep(&kept, step, at, playing).figures("table", &draw_table);
            (stats.get(), table.get())
        };
        assert_eq!(frame(1, 0.0, true), (1, 1));
        let due = FIGURES_REFRESH_MS + 1.0;
        assert_eq!(
            frame(2, due, true),
            (2, 1),
            "the first due panel takes the frame"
        );
        assert_eq!(
            frame(3, due + 16.0, true),
            (2, 2),
            "the other takes the next"
        );
        assert_eq!(
            frame(4, due + 20.0, false),
            (3, 3),
            "paused, both follow at once"
        );
    }

    /// A due panel is not redrawn on a frame on which the model stepped but on the next one
    /// on which it did not; where the model steps on every frame, on a step frame.
    #[test]
    fn a_due_panel_waits_out_a_step_frame() {
        let (kept, draws) = (Kept::default(), Cell::new(0));
        let draw = counted(&draws);
        let frame = |step, at| {
            kept.note_step(at, step);
            let _ = keep(&kept, step, at, true).figures("p", &draw);
            draws.get()
        };
        assert_eq!(frame(0, 0.0), 1);
        let due = FIGURES_REFRESH_MS + 1.0;
        assert_eq!(frame(0, due - 16.0), 1, "not due yet");
        assert_eq!(frame(1, due), 1, "the model stepped: the panel waits");
        assert_eq!(frame(1, due + 16.0), 2, "no step: the panel is redrawn");
        let drawn = due + 16.0;
        assert_eq!(frame(1, drawn + 240.0), 2, "not due yet");
        assert_eq!(
            frame(2, drawn + 256.0),
            2,
            "a step 16 ms after a quiet frame: held"
        );
        assert_eq!(frame(3, drawn + 272.0), 2, "and 32 ms after: held");
        assert_eq!(
            frame(4, drawn + 360.0),
            3,
            "no quiet frame for 120 ms: taken"
        );
    }
}
