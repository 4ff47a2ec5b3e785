//! One server's row in the drawing: its box, name and state in words. Its live figures (slots,
//! queue, probes) are painted on the gauges canvas, so the row is redrawn only when its state
//! changes.

use super::layout::{num, row_y, SERVER_X};
use crate::components::svg::{Attr, El};
use scalelab_core::balancing::{ServerMetrics, ServerState};
use yew::prelude::*;

/// A server's state in words and its tone (the box's class): what the balancer believes beside
/// what is really true. The gap between the two is the detection lag a student should see.
fn server_state(s: &ServerMetrics) -> (&'static str, &'static str) {
    match s.state() {
        ServerState::Ejected => ("ejected (outlier)", "bad"),
        ServerState::BreakerOpen => ("breaker open", "bad"),
        ServerState::BreakerHalfOpen => ("breaker half-open", "warn"),
        ServerState::CrashedUnnoticed => ("crashed — still UP to the balancer", "warn"),
        ServerState::CrashedDown => ("crashed — DOWN", "bad"),
        ServerState::RunningButDown => ("running — still DOWN to the balancer", "warn"),
        ServerState::Slowed => ("UP, slowed", "warn"),
        ServerState::Up => ("UP", "ok"),
    }
}

/// What one server's row shows in the SVG (its state), so the row is redrawn only when that
/// changes; its live figures are on the gauges canvas.
#[derive(Properties, PartialEq)]
struct ServerRowProps {
    index: u32,
    name: AttrValue,
    eligible: bool,
    label: &'static str,
    tone: &'static str,
}

/// Server `s`'s row.
pub fn server_row(s: &ServerMetrics) -> Html {
    let (label, tone) = server_state(s);
    html! {
        <ServerRow index={s.index} name={AttrValue::from(s.name.clone())} eligible={s.eligible} {label} {tone} />
    }
}

#[component]
fn ServerRow(s: &ServerRowProps) -> Html {
    let y = row_y(s.index);
    let (label, tone) = (s.label, s.tone);
    El::new("g")
        .set(Attr::Class, "server")
        .string(Attr::DataServer, s.index.to_string())
        .string(Attr::DataEligible, s.eligible.to_string())
        .el(El::new("rect")
            .set(Attr::Class, box_class(tone))
            .string(Attr::X, num(SERVER_X))
            .string(Attr::Y, num(y - 17.0))
            .set(Attr::Width, "292")
            .set(Attr::Height, "38")
            .set(Attr::Rx, "6"))
        .el(El::new("text")
            .string(Attr::X, num(SERVER_X + 8.0))
            .string(Attr::Y, num(y - 3.0))
            .set(Attr::FontWeight, "600")
            .text(s.name.clone()))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .string(Attr::X, num(SERVER_X + 8.0))
            .string(Attr::Y, num(y + 13.0))
            .text(label))
        .html()
}

/// A server box's class for its tone (plain text: no `classes!` set built per row).
fn box_class(tone: &'static str) -> &'static str {
    match tone {
        "warn" => "box warn",
        "bad" => "box bad",
        _ => "box",
    }
}
