//! The parts of the balancer drawing that change every frame while it plays, painted on
//! canvases laid over the SVG instead of being SVG elements:
//!
//! - [`Paint::Marks`]: request dots travelling from the balancer to their server, and the
//!   short-lived "dropped" and "✕" (failed) marks;
//! - [`Paint::Gauges`]: each server's busy-slot and queue bars, its figures line and its latest
//!   probe.
//!
//! Both are one component, [`Layer`], told what to paint: one copy of a component's glue and of
//! the canvas hook instead of two (1.1 KB smaller page, gzipped).
//!
//! As SVG elements these were a Yew diff of hundreds of elements, text layout and a repaint of
//! the whole drawing every frame; a canvas is one repaint (of the rows that changed, for the
//! gauges), on its own compositor layer. The canvases are decorative (`aria-hidden`): what they
//! show is told by the drawing's label, the live figures and the narration, as it was when
//! these were SVG elements inside the drawing's `role="img"`.

use crate::fixed::fixed;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, MediaQueryList};
use yew::prelude::*;

/// The strip the marks canvas covers (drawing units), from the balancer's right side to the
/// servers' left edge: every mark lies there, and a narrow canvas is cheap to hand to the
/// compositor each frame.
const MARKS_LEFT: f64 = 300.0;
const MARKS_RIGHT: f64 = 424.0;
/// The strip the gauges canvas covers: the weight bars, the bars, figures and probe labels of
/// the server rows.
const GAUGES_LEFT: f64 = 486.0;
const GAUGES_RIGHT: f64 = 714.0;
/// Where the bars start and how long a full one is.
const BAR_X: f64 = 550.0;
const BAR_W: f64 = 150.0;
/// A weighted round robin's current-weight bar: its zero line, and how long a bar of the whole
/// total weight is on either side of it.
const WEIGHT_X: f64 = 517.0;
const WEIGHT_HALF: f64 = 26.0;
/// Where a probe label ends (it is right-aligned).
const PROBE_X: f64 = 706.0;
const DOT_R: f64 = 3.5;

/// One mark, in drawing units.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Mark {
    Dot {
        x: f64,
        y: f64,
    },
    /// "✕ dropped" at the balancer, rising as it ages.
    Dropped {
        x: f64,
        y: f64,
    },
    /// "✕" in front of a server whose request failed.
    Failed {
        x: f64,
        y: f64,
    },
    /// "+N more" when more dots travel than are drawn.
    More {
        x: f64,
        y: f64,
        n: usize,
    },
}

/// One server row's live figures, drawn centred on `y` (the row's middle, drawing units).
#[derive(Clone, PartialEq, Debug)]
pub struct Gauge {
    pub y: f64,
    /// Busy slots and queue as fractions of their capacity.
    pub busy: f64,
    pub queue: f64,
    /// "3/4 busy · 2 waiting · 85%".
    pub figures: AttrValue,
    /// A health probe's outcome, shown while it is recent.
    pub probe: Option<bool>,
    /// Under a weighted round robin: the server's current weight and the total weight it is
    /// measured against (the largest current weight is picked next and pays the total back).
    pub weight: Option<(i64, i64)>,
}

/// Colours read from the stylesheet (the theme's custom properties), for the canvases.
#[derive(Clone, PartialEq)]
struct Palette {
    /// What the palette was read under: `data-theme` and the system's dark preference.
    key: (Option<String>, bool),
    accent: String,
    warn: String,
    bad: String,
    ok: String,
    muted: String,
    line: String,
}

#[derive(Default)]
struct Surface {
    ctx: Option<CanvasRenderingContext2d>,
    /// Device pixels per drawing unit; measured on mount and after a resize only, so drawing
    /// never forces a layout.
    scale: Option<f64>,
    palette: Option<Palette>,
    dark: Option<MediaQueryList>,
    /// What the gauges canvas shows, to repaint only the rows that changed.
    shown: Vec<Gauge>,
}

impl Surface {
    fn theme_key(&mut self) -> (Option<String>, bool) {
        if self.dark.is_none() {
            self.dark = crate::browser::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
        }
        (
            crate::browser::current_theme(),
            self.dark.as_ref().is_some_and(MediaQueryList::matches),
        )
    }

    /// Sizes the canvas for the strip `left..right` × `0..height` (drawing units) and sets its
    /// transform to drawing units. Returns whether it starts blank (new size or colours).
    fn prepare(
        &mut self,
        canvas: &HtmlCanvasElement,
        left: f64,
        right: f64,
        height: f64,
    ) -> Option<bool> {
        let span = right - left;
        let scale = match self.scale {
            Some(k) => k,
            None => {
                let dpr = crate::browser::window()
                    .map(|w| w.device_pixel_ratio())
                    .unwrap_or(1.0);
                let k = (f64::from(canvas.client_width()) / span * dpr).clamp(0.25, 8.0);
                self.scale = Some(k);
                k
            }
        };
        let (w, h) = ((span * scale).ceil() as u32, (height * scale).ceil() as u32);
        let mut blank = false;
        // Setting a size clears the canvas and its state even when unchanged: only on change.
        if canvas.width() != w || canvas.height() != h {
            canvas.set_width(w);
            canvas.set_height(h);
            blank = true;
        }
        if self.ctx.is_none() {
            self.ctx = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok());
            blank = true;
        }
        let key = self.theme_key();
        if self.palette.as_ref().is_none_or(|p| p.key != key) {
            self.palette = read_palette(canvas, key);
            blank = true;
        }
        let ctx = self.ctx.as_ref()?;
        let _ = ctx.set_transform(scale, 0.0, 0.0, scale, -left * scale, 0.0);
        if blank {
            ctx.clear_rect(left, 0.0, span, height);
        }
        Some(blank)
    }
}

fn read_palette(canvas: &HtmlCanvasElement, key: (Option<String>, bool)) -> Option<Palette> {
    let style = crate::browser::window()?
        .get_computed_style(canvas)
        .ok()
        .flatten()?;
    let var = |name: &str, fallback: &str| {
        let v = style.get_property_value(name).unwrap_or_default();
        let v = v.trim();
        if v.is_empty() {
            fallback.to_string()
        } else {
            v.to_string()
        }
    };
    Some(Palette {
        key,
        accent: var("--accent", "#2f6fde"),
        warn: var("--warn", "#b85c00"),
        bad: var("--bad", "#c62f3a"),
        ok: var("--ok", "#1a7a43"),
        muted: var("--muted", "#5b6676"),
        line: var("--line", "#d9dee6"),
    })
}

fn text(ctx: &CanvasRenderingContext2d, font: &str, colour: &str, align: &str) {
    ctx.set_font(font);
    ctx.set_fill_style_str(colour);
    ctx.set_text_align(align);
}

fn draw_marks(canvas: &HtmlCanvasElement, s: &mut Surface, marks: &[Mark], height: f64) {
    if s.prepare(canvas, MARKS_LEFT, MARKS_RIGHT, height).is_none() {
        return;
    }
    let (Some(ctx), Some(pal)) = (s.ctx.as_ref(), s.palette.as_ref()) else {
        return;
    };
    ctx.clear_rect(MARKS_LEFT, 0.0, MARKS_RIGHT - MARKS_LEFT, height);
    // All dots in one path, filled once.
    ctx.begin_path();
    for m in marks {
        if let Mark::Dot { x, y } = *m {
            ctx.move_to(x + DOT_R, y);
            let _ = ctx.arc(x, y, DOT_R, 0.0, std::f64::consts::TAU);
        }
    }
    ctx.set_fill_style_str(&pal.accent);
    ctx.fill();
    for m in marks {
        match *m {
            Mark::Dot { .. } => {}
            Mark::Dropped { x, y } => {
                text(ctx, "700 11px system-ui, sans-serif", &pal.bad, "start");
                let _ = ctx.fill_text("✕ dropped", x, y);
            }
            Mark::Failed { x, y } => {
                text(ctx, "700 11px system-ui, sans-serif", &pal.bad, "start");
                let _ = ctx.fill_text("✕", x, y);
            }
            Mark::More { x, y, n } => {
                text(ctx, "10px system-ui, sans-serif", &pal.muted, "start");
                let _ = ctx.fill_text(&format!("+{n} more"), x, y);
            }
        }
    }
}

/// Repaints the rows whose figures changed (all of them on a blank canvas).
fn draw_gauges(canvas: &HtmlCanvasElement, s: &mut Surface, gauges: &[Gauge], height: f64) {
    let Some(blank) = s.prepare(canvas, GAUGES_LEFT, GAUGES_RIGHT, height) else {
        return;
    };
    let shown = std::mem::take(&mut s.shown);
    let (Some(ctx), Some(pal)) = (s.ctx.as_ref(), s.palette.as_ref()) else {
        return;
    };
    // Rows no longer there (a server was removed).
    if !blank {
        for g in shown.iter().skip(gauges.len()) {
            ctx.clear_rect(GAUGES_LEFT, g.y - 23.0, GAUGES_RIGHT - GAUGES_LEFT, 46.0);
        }
    }
    for (i, g) in gauges.iter().enumerate() {
        if !blank && shown.get(i) == Some(g) {
            continue;
        }
        let y = g.y;
        if !blank {
            if let Some(old) = shown.get(i).filter(|old| old.y != y) {
                ctx.clear_rect(GAUGES_LEFT, old.y - 23.0, GAUGES_RIGHT - GAUGES_LEFT, 46.0);
            }
            ctx.clear_rect(GAUGES_LEFT, y - 23.0, GAUGES_RIGHT - GAUGES_LEFT, 46.0);
        }
        ctx.set_global_alpha(0.85);
        ctx.set_fill_style_str(&pal.accent);
        ctx.fill_rect(BAR_X, y - 12.0, BAR_W * g.busy.clamp(0.0, 1.0), 8.0);
        ctx.set_fill_style_str(&pal.warn);
        ctx.fill_rect(BAR_X, y, BAR_W * g.queue.clamp(0.0, 1.0), 6.0);
        ctx.set_global_alpha(1.0);
        ctx.set_stroke_style_str(&pal.line);
        ctx.set_line_width(1.0);
        ctx.stroke_rect(BAR_X, y - 12.0, BAR_W, 8.0);
        ctx.stroke_rect(BAR_X, y, BAR_W, 6.0);
        text(ctx, "9.5px system-ui, sans-serif", &pal.muted, "start");
        let _ = ctx.fill_text(&g.figures, BAR_X, y + 17.0);
        if let Some((current, total)) = g.weight {
            draw_weight(ctx, pal, y, current, total);
        }
        if let Some(ok) = g.probe {
            let (colour, label) = if ok {
                (&pal.ok, "probe ✓")
            } else {
                (&pal.bad, "probe ✕")
            };
            text(ctx, "10px system-ui, sans-serif", colour, "end");
            let _ = ctx.fill_text(label, PROBE_X, y - 4.0);
        }
    }
    s.shown = gauges.to_vec();
}

/// A current weight as a bar from a zero line (right when positive, left when negative), a
/// whole `total` reaching `WEIGHT_HALF`, under its value: "current +3".
fn draw_weight(ctx: &CanvasRenderingContext2d, pal: &Palette, y: f64, current: i64, total: i64) {
    let share = (current as f64 / total.max(1) as f64).clamp(-1.0, 1.0);
    ctx.set_fill_style_str(if current < 0 { &pal.warn } else { &pal.accent });
    let w = share * WEIGHT_HALF;
    ctx.fill_rect(WEIGHT_X + w.min(0.0), y - 3.0, w.abs(), 6.0);
    ctx.set_stroke_style_str(&pal.line);
    ctx.stroke_rect(WEIGHT_X - WEIGHT_HALF, y - 3.0, 2.0 * WEIGHT_HALF, 6.0);
    ctx.set_stroke_style_str(&pal.muted);
    ctx.begin_path();
    ctx.move_to(WEIGHT_X, y - 5.0);
    ctx.line_to(WEIGHT_X, y + 5.0);
    ctx.stroke();
    text(ctx, "8.5px system-ui, sans-serif", &pal.muted, "center");
    let sign = if current > 0 { "+" } else { "" };
    let _ = ctx.fill_text(&format!("current {sign}{current}"), WEIGHT_X, y - 8.0);
}

/// What a canvas layer paints.
#[derive(Clone, PartialEq)]
pub enum Paint {
    /// The request marks.
    Marks(Vec<Mark>),
    /// One gauge per server row, in row order.
    Gauges(Vec<Gauge>),
}

#[derive(Properties, PartialEq, Clone)]
pub struct LayerProps {
    pub paint: Paint,
    /// The drawing's height in units (its viewBox's); its width is [`super::layout::WIDTH`].
    pub height: f64,
}

/// A canvas over the strip its paint covers, of a drawing `WIDTH` units wide, repainted after
/// every render. A window resize makes it measure its pixels per unit again.
#[component]
pub fn Layer(p: &LayerProps) -> Html {
    let (left, right) = match p.paint {
        Paint::Marks(_) => (MARKS_LEFT, MARKS_RIGHT),
        Paint::Gauges(_) => (GAUGES_LEFT, GAUGES_RIGHT),
    };
    let canvas = use_node_ref();
    let surface: Rc<RefCell<Surface>> = use_mut_ref(Surface::default);
    {
        let surface = surface.clone();
        use_effect_with((), move |_| {
            let listener = crate::browser::window().map(|w| {
                gloo_events::EventListener::new(&w, "resize", move |_| {
                    surface.borrow_mut().scale = None;
                })
            });
            move || drop(listener)
        });
    }
    {
        let canvas = canvas.clone();
        let p = p.clone();
        use_effect(move || {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let s = &mut surface.borrow_mut();
                match &p.paint {
                    Paint::Marks(marks) => draw_marks(&c, s, marks, p.height),
                    Paint::Gauges(gauges) => draw_gauges(&c, s, gauges, p.height),
                }
            }
        });
    }
    let width = super::layout::WIDTH;
    html! {
        <canvas ref={canvas} class="layer" aria-hidden="true"
            style={format!("left:{}%;width:{}%", fixed(left / width * 100.0, 4), fixed((right - left) / width * 100.0, 4))} />
    }
}
