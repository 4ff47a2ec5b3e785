//! One server's row in the drawing: its box, name and state in words. Its live figures (slots,
//! queue, probes) are painted on the gauges canvas, so the row is redrawn only when its state
//! changes.

use super::layout::{num, row_y, SERVER_X};
use crate::components::memo::{memo, View};
use crate::components::svg::{Attr, El};
use scalelab_core::balancing::{ServerMetrics, ServerState};
use yew::prelude::*;

/// A server a student selected: (lane, position).
pub type ServerFocus = (u32, u32);

/// `child` as a selectable server: focusable, named for screen readers, selected by a click
/// or by Enter or Space (which then neither scroll nor reach the page's shortcuts). Class
/// `server`, with its position and eligibility as data attributes.
pub fn selectable(
    focus: ServerFocus,
    label: String,
    focused: bool,
    on_focus: &Callback<Option<ServerFocus>>,
    data: (String, bool),
    child: Html,
) -> Html {
    let onclick = on_focus.reform(move |_: MouseEvent| Some(focus));
    let keys = on_focus.clone();
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if matches!(e.key().as_str(), "Enter" | " ") {
            e.prevent_default();
            e.stop_propagation();
            keys.emit(Some(focus));
        }
    });
    html! {
        // A literal class: a computed one links yew's `Classes` set into the page.
        <g class="server" data-server={data.0} data-eligible={data.1.to_string()} tabindex="0" role="button"
            aria-label={label} aria-pressed={focused.to_string()} data-focused={focused.then_some("")}
            {onclick} {onkeydown}>
            { child }
        </g>
    }
}

/// A server's state in words and its tone (the box's class): what the balancer believes beside
/// what is really true. The gap between the two is the detection lag a student should see.
pub fn server_state(s: &ServerMetrics) -> (&'static str, &'static str) {
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
#[derive(PartialEq)]
struct ServerRow {
    index: u32,
    name: AttrValue,
    eligible: bool,
    label: &'static str,
    tone: &'static str,
    focused: bool,
    on_focus: Callback<Option<ServerFocus>>,
}

/// Server `s`'s row in the first lane, selectable.
pub fn server_row(
    s: &ServerMetrics,
    focused: bool,
    on_focus: &Callback<Option<ServerFocus>>,
) -> Html {
    let (label, tone) = server_state(s);
    memo(ServerRow {
        index: s.index,
        name: AttrValue::from(s.name.clone()),
        eligible: s.eligible,
        label,
        tone,
        focused,
        on_focus: on_focus.clone(),
    })
}

impl View for ServerRow {
    fn view(&self) -> Html {
        row(self)
    }
}

fn row(s: &ServerRow) -> Html {
    let y = row_y(s.index);
    let (label, tone) = (s.label, s.tone);
    let row = El::new("g")
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
        .html();
    selectable(
        (0, s.index),
        format!("{}: {label}", s.name),
        s.focused,
        &s.on_focus,
        (s.index.to_string(), s.eligible),
        row,
    )
}

/// A server box's class for its tone (plain text: no `classes!` set built per row).
fn box_class(tone: &'static str) -> &'static str {
    match tone {
        "warn" => "box warn",
        "bad" => "box bad",
        _ => "box",
    }
}
