//! The player's clock: a `requestAnimationFrame` loop that steps and redraws while something
//! moves, and at top speed a pump that simulates in slices between frames (frames then only
//! redraw, a few times a second).

use super::state::Holder;
use crate::browser;
use crate::player::FAST_FORWARD_SLICE_MS;
use crate::scenes::Scene;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Runs the frame loop while the player is mounted.
pub fn use_frame_loop<S: Scene>(
    holder: Rc<RefCell<Holder<S>>>,
    redraw: UseForceUpdateHandle,
) -> impl Hook<Output = ()> {
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
                h.player.tick_drawing(now);
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
                h.player.expire();
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
    })
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
