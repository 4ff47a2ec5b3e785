//! The origin: a database box with its loads, writes and warm loads, and its stale reads
//! under write-behind; and, on the marks layer, lit while loads are in flight.

use super::geometry::{OR_W, OR_X, TOP};
use super::style::{middle_text, outline, TRAVEL_MS};
use crate::components::svg::{Attr, El};
use scalelab_core::caching::{CachingEvent, CachingModel, OriginStats};
use yew::Html;

/// The box's height; it starts at [`TOP`].
pub const ORIGIN_H: f64 = 150.0;

/// What the origin box shows, read from the model.
#[derive(PartialEq)]
pub struct OriginShown {
    pub stats: OriginStats,
    pub latency_ms: u64,
}

impl OriginShown {
    pub fn of(model: &CachingModel) -> OriginShown {
        OriginShown {
            stats: model.cache().origin_stats(),
            latency_ms: model.cache().origin().latency().as_millis(),
        }
    }
}

/// The `<g class="origin">`.
pub fn origin_box(origin: &OriginShown) -> Html {
    let s = &origin.stats;
    let (h, y0) = (ORIGIN_H, TOP);
    let cx = OR_X + OR_W / 2.0;
    let out = El::new("g")
        .set(Attr::Class, "origin")
        .el(El::new("text")
            .num(Attr::X, OR_X)
            .set(Attr::Y, "16")
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:12px")
            .text("Origin"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .num(Attr::X, OR_X)
            .set(Attr::Y, "31")
            .set(Attr::Style, "font-size:10px")
            .kid(format!("database · {} ms", origin.latency_ms)))
        .el(El::new("rect")
            .set(Attr::Class, "box")
            .num(Attr::X, OR_X)
            .num(Attr::Y, y0)
            .num(Attr::Width, OR_W)
            .num(Attr::Height, h)
            .set(Attr::Rx, "8"))
        .el(middle_text(cx, y0 + 22.0)
            .set(Attr::FontWeight, "600")
            .text("DB"))
        .el(middle_text(cx, y0 + 44.0)
            .set(Attr::Style, "font-size:10px")
            .kid(format!("{} loads", s.loads)))
        .el(middle_text(cx, y0 + 58.0)
            .set(Attr::Style, "font-size:10px")
            .kid(format!("{} writes", s.writes)))
        .el(middle_text(cx, y0 + 72.0)
            .set(Attr::Class, "muted")
            .set(Attr::Style, "font-size:9px")
            .kid(format!("{} warm loads", s.warm_loads)));
    let out = out.maybe((s.stale_reads > 0).then(|| {
        middle_text(cx, y0 + 112.0)
            .set(Attr::Style, "font-size:9px;fill:var(--warn)")
            .kid(format!(
                "{} stale read{}",
                s.stale_reads,
                if s.stale_reads == 1 { "" } else { "s" }
            ))
    }));
    out.html()
}

/// While loads are in flight (started within two trips): the box's outline lit, and how many.
pub fn origin_busy(recent: &[(f64, &CachingEvent)]) -> Option<El> {
    let loading = recent
        .iter()
        .filter(|(age, e)| {
            matches!(e, CachingEvent::OriginLoadStarted { .. }) && *age < TRAVEL_MS * 2.0
        })
        .count();
    (loading > 0).then(|| {
        El::new("g")
            .el(outline((OR_X, TOP, OR_W, ORIGIN_H), 0.0, "8")
                .set(Attr::Style, "stroke:var(--accent);stroke-width:2.5"))
            .el(middle_text(OR_X + OR_W / 2.0, TOP + 96.0)
                .set(Attr::FontWeight, "700")
                .set(Attr::Style, "font-size:10px;fill:var(--accent)")
                .kid(format!("loading ×{loading}")))
    })
}
