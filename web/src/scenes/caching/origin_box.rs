//! The origin: a database box with its loads, writes and warm loads, lit while loads are in
//! flight, and its stale reads under write-behind.

use super::geometry::{OR_W, OR_X, TOP};
use super::style::{middle_text, TRAVEL_MS};
use crate::components::svg::{Attr, El};
use scalelab_core::caching::{CachingEvent, CachingModel};
use yew::Html;

/// The `<g class="origin">` and the bottom of what it drew.
pub fn origin_box(model: &CachingModel, recent: &[(f64, &CachingEvent)]) -> (Html, f64) {
    let s = model.cache().origin_stats();
    let h = 150.0;
    let y0 = TOP;
    let loading = recent
        .iter()
        .filter(|(age, e)| {
            matches!(e, CachingEvent::OriginLoadStarted { .. }) && *age < TRAVEL_MS * 2.0
        })
        .count();
    let busy = loading > 0;
    let cx = OR_X + OR_W / 2.0;
    let mut out = El::new("g")
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
            .kid(format!(
                "database · {} ms",
                model.cache().origin().latency().as_millis()
            )))
        .el(El::new("rect")
            .set(Attr::Class, "box")
            .num(Attr::X, OR_X)
            .num(Attr::Y, y0)
            .num(Attr::Width, OR_W)
            .num(Attr::Height, h)
            .set(Attr::Rx, "8")
            .opt(
                Attr::Style,
                busy.then_some("stroke:var(--accent);stroke-width:2.5"),
            ))
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
    if busy {
        out = out.el(middle_text(cx, y0 + 96.0)
            .set(Attr::FontWeight, "700")
            .set(Attr::Style, "font-size:10px;fill:var(--accent)")
            .kid(format!("loading ×{loading}")));
    }
    if s.stale_reads > 0 {
        out = out.el(middle_text(cx, y0 + 112.0)
            .set(Attr::Style, "font-size:9px;fill:var(--warn)")
            .kid(format!(
                "{} stale read{}",
                s.stale_reads,
                if s.stale_reads == 1 { "" } else { "s" }
            )));
    }
    (out.html(), y0 + h)
}
