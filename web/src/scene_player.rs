//! Drives one scene: builds its model from the link, runs it on animation frames, and wires
//! the shared controls, keyboard shortcuts, settings, narration, exports and URL sync.

use crate::browser;
use crate::components::controls::Controls;
use crate::components::help::Help;
use crate::components::notices::Notices;
use crate::components::settings::Settings;
use crate::components::svg::{Attr, El};
use crate::embed_msg::ParentCommand;
use crate::export;
use crate::params::ParamValues;
use crate::player::{speed_label, PlayerState, FAST_FORWARD_SLICE_MS, SPEEDS};
use crate::scenario;
use crate::scenes::{Scene, SceneView};
use crate::url_state::{to_query, UrlState};
use scalelab_core::Model;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// How often the charts are redrawn while playing (wall ms): four times a second reads as
/// live and keeps their SVG out of most frames.
const CHART_REFRESH_MS: f64 = 250.0;

#[derive(Properties, PartialEq, Clone)]
pub struct ScenePlayerProps {
    /// The link's state; read once, when the scene mounts.
    pub url: UrlState,
    /// Problems found while reading the link (shown above the scene).
    #[prop_or_default]
    pub problems: Vec<String>,
}

/// Everything a control, a key or the frame loop can ask of the player.
enum Cmd<S: Scene> {
    TogglePlay,
    /// Play or pause outright (the embedding page's commands).
    SetPlaying(bool),
    Step,
    Back,
    Faster,
    Slower,
    Reset,
    Seed(u64),
    Seek(u64),
    Param(&'static str, String),
    Act(S::Action),
    ToggleHelp,
    CopyLink,
    ExportCsv,
    ExportJson,
    /// The text of a scenario file the user picked, or why it could not be read.
    Import(Result<String, String>),
}

struct Holder<S: Scene> {
    player: PlayerState<S>,
    url: UrlState,
    problems: Vec<String>,
    help: bool,
    status: String,
    last_frame_ms: Option<f64>,
    /// When the view was last redrawn while fast-forwarding.
    last_draw_ms: f64,
    last_written_query: String,
    /// The player's metric series, shared with the charts; replaced only when a row changes,
    /// so a chart whose rows are the same `Rc` is not re-rendered.
    series: Rc<Vec<(f64, Vec<f64>)>>,
    /// Wall time (ms) the shared series was last refreshed.
    series_at_ms: f64,
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
    /// The series to draw: the shared copy, refreshed if the player's rows changed — while
    /// playing at most every [`CHART_REFRESH_MS`], since a new row arrives nearly every frame
    /// and redrawing four charts of 600 points each frame costs more than the rest of it.
    fn series(&mut self, now_ms: f64) -> Rc<Vec<(f64, Vec<f64>)>> {
        let due = !self.player.playing || now_ms - self.series_at_ms >= CHART_REFRESH_MS;
        if due && !same_rows(&self.series, self.player.series()) {
            self.series = Rc::new(self.player.series().to_vec());
            self.series_at_ms = now_ms;
        }
        self.series.clone()
    }

    fn query(&self) -> String {
        let mut url = self.url.clone();
        url.seed = self.player.seed;
        url.step = self.player.timeline.step();
        url.ops = self.player.encoded_ops();
        let params = self.player.params.non_default(S::specs());
        to_query(&url, &params)
    }

    /// Rebuilds the model (new seed or settings). On an invalid combination the previous
    /// model stays and the message is shown.
    fn rebuild(&mut self, params: ParamValues, seed: u64) {
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
}

fn build<S: Scene>(url: &UrlState, link_problems: &[String]) -> Holder<S> {
    let (player, problems) = crate::player::from_link::<S>(url, link_problems);
    Holder {
        player,
        url: url.clone(),
        problems,
        help: false,
        status: String::new(),
        last_frame_ms: None,
        last_draw_ms: f64::NEG_INFINITY,
        last_written_query: String::new(),
        series: Rc::new(Vec::new()),
        series_at_ms: f64::NEG_INFINITY,
    }
}

fn run<S: Scene>(h: &mut Holder<S>, cmd: Cmd<S>) {
    let now = browser::now_ms();
    let p = &mut h.player;
    match cmd {
        Cmd::TogglePlay => {
            p.playing = !p.playing;
            h.last_frame_ms = None;
        }
        Cmd::SetPlaying(on) => {
            if p.playing != on {
                p.playing = on;
                h.last_frame_ms = None;
            }
        }
        Cmd::Step => {
            p.playing = false;
            p.step_once(now);
        }
        Cmd::Back => {
            p.playing = false;
            p.step_back(now);
        }
        Cmd::Faster => p.speed = (p.speed + 1).min(SPEEDS.len() - 1),
        Cmd::Slower => p.speed = p.speed.saturating_sub(1),
        Cmd::Reset => {
            let (params, seed) = (p.params.clone(), p.seed);
            h.rebuild(params, seed);
            h.player.playing = false;
        }
        Cmd::Seed(seed) => {
            let params = p.params.clone();
            h.rebuild(params, seed);
        }
        Cmd::Seek(step) => {
            p.playing = false;
            p.seek(step);
        }
        Cmd::Param(key, raw) => {
            let spec = S::specs().iter().find(|s| s.key == key);
            match spec.map(|s| s.parse(&raw)) {
                Some(Ok(value)) => {
                    let mut params = p.params.clone();
                    params.set(key, value);
                    let seed = p.seed;
                    h.rebuild(params, seed);
                }
                Some(Err(problem)) => p.last_error = Some(problem.to_string()),
                None => {}
            }
        }
        Cmd::Act(action) => p.act(action, now),
        Cmd::ToggleHelp => h.help = !h.help,
        Cmd::CopyLink => {
            let url = browser::url_with_query(&h.query());
            browser::copy_to_clipboard(&url);
            h.status = format!("Link copied: {url}");
        }
        Cmd::ExportCsv => {
            // At top speed the trace's tail is recorded only now (see `settle_trace`).
            p.settle_trace();
            let name = format!("scalelab-{}-seed{}.csv", S::ID.name(), p.seed);
            browser::download(&name, "text/csv", &export::to_csv(p));
            h.status = format!("Saved {name}");
        }
        Cmd::ExportJson => {
            p.settle_trace();
            let name = format!("scalelab-{}-seed{}.json", S::ID.name(), p.seed);
            browser::download(&name, "application/json", &export::to_json(p));
            h.status = format!("Saved {name}");
        }
        Cmd::Import(text) => {
            // A good scenario opens as its own link (so its scene's bundle loads and the
            // address bar can be shared); a bad one is reported and nothing else changes.
            match text.and_then(|t| scenario::import_for::<S>(&t).map_err(|e| e.to_string())) {
                Ok(mut url) => {
                    url.embed = h.url.embed;
                    url.parent = h.url.parent.clone();
                    url.theme = url.theme.or_else(|| h.url.theme.clone());
                    let params = scenario::param_pairs(&url.params);
                    browser::navigate_to_query(&to_query(&url, &params));
                    h.status = "Opening the imported scenario…".into();
                }
                Err(e) => h.status = format!("Import failed: {e}. Nothing was changed."),
            }
        }
    }
}

fn key_command<S: Scene>(e: &web_sys::KeyboardEvent) -> Option<Cmd<S>> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    // Typing in a field is not a shortcut.
    let target = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    if let Some(el) = target {
        let tag = el.tag_name().to_ascii_lowercase();
        if matches!(tag.as_str(), "input" | "select" | "textarea") {
            return None;
        }
    }
    Some(match e.key().as_str() {
        " " | "k" => Cmd::TogglePlay,
        "ArrowRight" => Cmd::Step,
        "ArrowLeft" => Cmd::Back,
        "+" | "=" => Cmd::Faster,
        "-" | "_" => Cmd::Slower,
        "r" | "R" => Cmd::Reset,
        "?" => Cmd::ToggleHelp,
        "l" | "L" => Cmd::CopyLink,
        "c" | "C" => Cmd::ExportCsv,
        "j" | "J" => Cmd::ExportJson,
        _ => return None,
    })
}

#[component]
pub fn ScenePlayer<S: Scene>(props: &ScenePlayerProps) -> Html {
    let holder = {
        let url = props.url.clone();
        let problems = props.problems.clone();
        use_mut_ref(move || build::<S>(&url, &problems))
    };
    let redraw = use_force_update();

    // Made once, so callbacks built from it stay equal across frames and components given
    // them can skip re-rendering.
    let dispatch: Rc<dyn Fn(Cmd<S>)> = {
        let holder = holder.clone();
        let redraw = redraw.clone();
        let made = use_memo((), move |_| -> Rc<dyn Fn(Cmd<S>)> {
            Rc::new(move |cmd| {
                run(&mut holder.borrow_mut(), cmd);
                redraw.force_update();
            })
        });
        (*made).clone()
    };
    let act = {
        let d = dispatch.clone();
        let made = use_memo((), move |_| {
            Callback::from(move |a: S::Action| d(Cmd::Act(a)))
        });
        (*made).clone()
    };
    // Made once too, so the settings form is not re-rendered every frame while playing.
    let on_param = {
        let d = dispatch.clone();
        let made = use_memo((), move |_| {
            Callback::from(move |(k, v): (&'static str, String)| d(Cmd::Param(k, v)))
        });
        (*made).clone()
    };

    // The frame loop: runs while mounted; re-renders only while something moves. At top speed
    // the simulation runs in slices between frames (the pump) and frames only redraw, a few
    // times a second.
    {
        let holder = holder.clone();
        let redraw = redraw.clone();
        use_effect_with((), move |_| {
            let pump = {
                let holder = holder.clone();
                Pump::new(move || {
                    let now = browser::now_ms();
                    let mut h = holder.borrow_mut();
                    // Frames stop in a hidden tab: so does fast-forward, as it did when it ran
                    // in frames.
                    let visible = h
                        .last_frame_ms
                        .is_some_and(|t| now - t < FAST_FORWARD_HIDDEN_MS);
                    if !(visible && h.player.fast_forwarding()) {
                        return false;
                    }
                    h.player
                        .fast_forward_slice(FAST_FORWARD_SLICE_MS, &browser::now_ms);
                    true
                })
            };
            let frames = {
                let pump = pump.clone();
                FrameLoop::start(move || {
                    let now = browser::now_ms();
                    let mut h = holder.borrow_mut();
                    let dt = h.last_frame_ms.map(|t| now - t).unwrap_or(0.0);
                    h.last_frame_ms = Some(now);
                    let animating = if h.player.fast_forwarding() {
                        if !pump.run() {
                            // No channel: simulate in frames, as before.
                            h.player.frame(dt, now, &browser::now_ms);
                        }
                        let due = now - h.last_draw_ms >= FAST_FORWARD_DRAW_MS;
                        if due {
                            h.last_draw_ms = now;
                        }
                        due
                    } else {
                        h.player.frame(dt, now, &browser::now_ms);
                        h.player.playing || !h.player.recent().is_empty()
                    };
                    h.player.expire(now);
                    drop(h);
                    if animating {
                        redraw.force_update();
                    }
                })
            };
            move || {
                frames.stop();
                pump.stop();
            }
        });
    }

    // Keyboard shortcuts on the document.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = browser::window().and_then(|w| w.document()).map(|doc| {
                // Not passive: Space must not scroll the page when it means play/pause.
                let options = gloo_events::EventListenerOptions::enable_prevent_default();
                gloo_events::EventListener::new_with_options(&doc, "keydown", options, move |e| {
                    if let Some(ke) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                        if let Some(cmd) = key_command::<S>(ke) {
                            ke.prevent_default();
                            dispatch(cmd);
                        }
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Commands from the embedding page (embed mode with `parent=` only; see `embed_msg`).
    {
        let dispatch = dispatch.clone();
        let (embed, parent) = {
            let h = holder.borrow();
            (h.url.embed, h.url.parent.clone())
        };
        use_effect_with((), move |_| {
            let listener = parent.filter(|_| embed).and_then(|origin| {
                browser::listen_to_parent(origin, move |cmd| {
                    dispatch(match cmd {
                        ParentCommand::Play => Cmd::SetPlaying(true),
                        ParentCommand::Pause => Cmd::SetPlaying(false),
                        ParentCommand::Step => Cmd::Step,
                        ParentCommand::Back => Cmd::Back,
                        ParentCommand::Reset => Cmd::Reset,
                        ParentCommand::Seek(step) => Cmd::Seek(step),
                    })
                })
            });
            move || drop(listener)
        });
    }

    // Keep the address bar (and an embedding parent) in step with what is on screen,
    // except while playing, when the URL would change sixty times a second.
    {
        let holder = holder.clone();
        use_effect(move || {
            let mut h = holder.borrow_mut();
            if !h.player.playing {
                let q = h.query();
                if q != h.last_written_query {
                    browser::replace_query(&q);
                    h.last_written_query = q;
                }
            }
            if h.url.embed {
                browser::post_height_to_parent(
                    browser::content_height(),
                    &h.last_written_query,
                    h.url.parent.as_deref(),
                );
            }
        });
    }

    let series = holder.borrow_mut().series(browser::now_ms());
    let h = holder.borrow();
    let p = &h.player;
    let cb = |make: fn() -> Cmd<S>| {
        let d = dispatch.clone();
        Callback::from(move |()| d(make()))
    };
    let on_seed = {
        let d = dispatch.clone();
        Callback::from(move |s: u64| d(Cmd::Seed(s)))
    };
    let on_seek = {
        let d = dispatch.clone();
        Callback::from(move |s: u64| d(Cmd::Seek(s)))
    };
    let on_import = {
        let d = dispatch.clone();
        Callback::from(move |file: web_sys::File| {
            let d = d.clone();
            browser::read_file_text(file, scenario::MAX_SCENARIO_BYTES, move |text| {
                d(Cmd::Import(text))
            });
        })
    };
    let view = S::view(SceneView {
        model: p.model(),
        recent: p.recent(),
        now_ms: browser::now_ms(),
        act,
        params: &p.params,
        reduced_motion: browser::prefers_reduced_motion(),
        series: &series,
    });
    let mut notices = h.problems.clone();
    if let Some(e) = &p.last_error {
        notices.push(e.clone());
    }
    let id = S::ID;
    let controls = html! {
        <Controls
            playing={p.playing}
            step={p.timeline.step()}
            horizon={p.timeline.horizon()}
            speed_label={AttrValue::from(speed_label(p.speed))}
            seed={p.seed}
            sim_time={AttrValue::from(p.model().now().to_string())}
            on_play={cb(|| Cmd::TogglePlay)}
            on_step={cb(|| Cmd::Step)}
            on_back={cb(|| Cmd::Back)}
            on_faster={cb(|| Cmd::Faster)}
            on_slower={cb(|| Cmd::Slower)}
            on_reset={cb(|| Cmd::Reset)}
            on_seed={on_seed}
            on_seek={on_seek}
            on_copy_link={cb(|| Cmd::CopyLink)}
            on_export_csv={cb(|| Cmd::ExportCsv)}
            on_export_json={cb(|| Cmd::ExportJson)}
            on_help={cb(|| Cmd::ToggleHelp)}
            on_import={on_import}
        />
    };
    let help = if h.help {
        html! { <Help on_close={cb(|| Cmd::ToggleHelp)} /> }
    } else {
        Html::default()
    };
    // The plain elements through El (one shared builder) rather than an html! expansion each;
    // the components keep html!.
    El::new("section")
        .string(Attr::Class, format!("scene scene-{}", id.name()))
        .set(Attr::AriaLabelledby, "scene-title")
        .set(Attr::DataScene, id.name())
        .child(
            El::new("header")
                .set(Attr::Class, "scene-head")
                .child(El::new("h2").set(Attr::Id, "scene-title").text(id.title()).html())
                .html(),
        )
        .child(html! { <Notices messages={notices} /> })
        .child(controls)
        .child(
            El::new("div")
                .set(Attr::Class, "scene-body")
                .child(El::new("div").set(Attr::Class, "stage").child(view).html())
                .child(
                    El::new("aside")
                        .set(Attr::Class, "side")
                        .child(html! {
                            <Settings specs={S::specs()} values={p.params.clone()} on_change={on_param} />
                        })
                        .html(),
                )
                .html(),
        )
        .child(
            El::new("div")
                .set(Attr::Class, "narration")
                .set(Attr::Role, "log")
                .set(Attr::AriaLive, "polite")
                .set(Attr::AriaLabel, "What just happened")
                .child(
                    p.narration
                        .iter()
                        .rev()
                        .take(3)
                        .map(|l| El::new("p").text(l.clone()).html())
                        .collect::<Html>(),
                )
                .html(),
        )
        .child(
            El::new("p")
                .set(Attr::Class, "status")
                .set(Attr::Role, "status")
                .text(h.status.clone())
                .html(),
        )
        .child(help)
        .html()
}

/// While fast-forwarding, the view is redrawn at most this often (ms): about 6 times a second.
const FAST_FORWARD_DRAW_MS: f64 = 160.0;
/// Fast-forward stops when no frame has come for this long (ms): the tab is hidden.
const FAST_FORWARD_HIDDEN_MS: f64 = 500.0;

#[wasm_bindgen]
extern "C" {
    /// The DOM `MessageChannel` (bound here rather than through a web-sys feature).
    type MessageChannel;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<MessageChannel, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn port1(this: &MessageChannel) -> MessagePort;
    #[wasm_bindgen(method, getter)]
    fn port2(this: &MessageChannel) -> MessagePort;

    type MessagePort;
    #[wasm_bindgen(method, setter)]
    fn set_onmessage(this: &MessagePort, handler: Option<&js_sys::Function>);
    #[wasm_bindgen(method, js_name = postMessage, catch)]
    fn post_message(this: &MessagePort, message: &JsValue) -> Result<(), JsValue>;
}

type SliceClosure = Closure<dyn FnMut(JsValue)>;

/// Runs `slice` back to back as browser tasks, yielding between two so input, timers and
/// frames get their turn: a message posted to oneself on a `MessageChannel` is the next task
/// without `setTimeout`'s 4 ms clamp. `run` starts it if it is idle; it goes idle when `slice`
/// returns false. `stop` detaches the handler (a message still queued is then dropped) and
/// frees the closure.
#[derive(Clone)]
struct Pump {
    inner: Rc<PumpInner>,
}

struct PumpInner {
    channel: Option<MessageChannel>,
    running: std::cell::Cell<bool>,
    closure: RefCell<Option<SliceClosure>>,
}

impl Pump {
    fn new(mut slice: impl FnMut() -> bool + 'static) -> Pump {
        let inner = Rc::new(PumpInner {
            channel: MessageChannel::new().ok(),
            running: std::cell::Cell::new(false),
            closure: RefCell::new(None),
        });
        let weak = Rc::downgrade(&inner);
        let closure: SliceClosure = Closure::new(move |_msg: JsValue| {
            let Some(me) = weak.upgrade() else {
                return;
            };
            if slice() {
                if !me.post() {
                    me.running.set(false);
                }
            } else {
                me.running.set(false);
            }
        });
        if let Some(ch) = &inner.channel {
            ch.port1()
                .set_onmessage(Some(closure.as_ref().unchecked_ref()));
        }
        *inner.closure.borrow_mut() = Some(closure);
        Pump { inner }
    }

    /// Starts the pump if it is idle; false if it cannot run (no `MessageChannel`).
    fn run(&self) -> bool {
        if !self.inner.running.get() && self.inner.post() {
            self.inner.running.set(true);
        }
        self.inner.running.get()
    }

    fn stop(&self) {
        if let Some(ch) = &self.inner.channel {
            ch.port1().set_onmessage(None);
        }
        self.inner.running.set(false);
        self.inner.closure.borrow_mut().take();
    }
}

impl PumpInner {
    fn post(&self) -> bool {
        self.closure.borrow().is_some()
            && self
                .channel
                .as_ref()
                .is_some_and(|ch| ch.port2().post_message(&JsValue::UNDEFINED).is_ok())
    }
}

type FrameClosure = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// A `requestAnimationFrame` loop with one long-lived closure (the Rust-wasm book's pattern).
/// `stop` cancels the pending frame and frees the closure; it is never dropped while running.
struct FrameLoop {
    closure: FrameClosure,
    pending: Rc<std::cell::Cell<Option<i32>>>,
}

impl FrameLoop {
    fn start(mut tick: impl FnMut() + 'static) -> FrameLoop {
        let closure: FrameClosure = Rc::new(RefCell::new(None));
        let pending = Rc::new(std::cell::Cell::new(None));
        let (me, pending_in) = (closure.clone(), pending.clone());
        *closure.borrow_mut() = Some(Closure::new(move |_ts: f64| {
            pending_in.set(None);
            tick();
            if let Some(f) = me.borrow().as_ref() {
                pending_in.set(request_frame(f));
            }
        }));
        if let Some(f) = closure.borrow().as_ref() {
            pending.set(request_frame(f));
        }
        FrameLoop { closure, pending }
    }

    fn stop(&self) {
        if let (Some(id), Some(w)) = (self.pending.take(), browser::window()) {
            let _ = w.cancel_animation_frame(id);
        }
        self.closure.borrow_mut().take();
    }
}

fn request_frame(f: &Closure<dyn FnMut(f64)>) -> Option<i32> {
    browser::window().and_then(|w| w.request_animation_frame(f.as_ref().unchecked_ref()).ok())
}
