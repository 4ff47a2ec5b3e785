//! One strip per race lane: each server's utilisation and queue as two bars.

use super::layout::num;
use super::server_row::{selectable, ServerFocus};
use crate::components::svg::{Attr, El};
use scalelab_core::balancing::BalancingModel;
// `{}` of an f64 goes through Num, so Rust's float formatter is not linked into the page.
use scalelab_core::num_text::Num;
use yew::prelude::*;

/// A strip for every lane of `model`: the bars are SVG redrawn every frame (built with `El`),
/// their captions and the grid around them `html!`.
pub fn lane_strips(
    model: &BalancingModel,
    focus: Option<ServerFocus>,
    on_focus: &Callback<Option<ServerFocus>>,
) -> Html {
    let mut strips = Vec::with_capacity(model.lanes().len());
    for (i, lane) in model.lanes().iter().enumerate() {
        let m = lane.metrics();
        let w = 28.0;
        let width = (m.servers.len() as f64 * (w + 4.0)).max(100.0) + 8.0;
        let mut svg = El::new("svg")
            .set(Attr::Class, "drawing")
            .string(Attr::ViewBox, format!("0 0 {} 52", Num(width)))
            // A group, not an image: its servers are controls.
            .set(Attr::Role, "group")
            .string(
                Attr::AriaLabel,
                format!("{}: utilisation per server", m.strategy.label()),
            );
        for (j, s) in m.servers.iter().enumerate() {
            let x = 4.0 + j as f64 * (w + 4.0);
            let h = 36.0 * s.utilisation.clamp(0.0, 1.0);
            let q = s.queue_share().min(1.0) * 36.0;
            let at = (i as u32, j as u32);
            let bars = El::new("g")
                .el(El::new("rect")
                    .set(Attr::Class, "box")
                    .string(Attr::X, num(x))
                    .set(Attr::Y, "4")
                    .string(Attr::Width, num(w))
                    .set(Attr::Height, "36"))
                .el(El::new("rect")
                    .set(Attr::Class, "bar")
                    .string(Attr::X, num(x))
                    .string(Attr::Y, num(40.0 - h))
                    .string(Attr::Width, num(w / 2.0))
                    .string(Attr::Height, num(h)))
                .el(El::new("rect")
                    .set(Attr::Class, "bar queue")
                    .string(Attr::X, num(x + w / 2.0))
                    .string(Attr::Y, num(40.0 - q))
                    .string(Attr::Width, num(w / 2.0))
                    .string(Attr::Height, num(q)))
                .el(El::new("text")
                    .set(Attr::Class, "muted")
                    .string(Attr::X, num(x + w / 2.0))
                    .set(Attr::Y, "50")
                    .set(Attr::TextAnchor, "middle")
                    .set(Attr::FontSize, "8")
                    .text(s.name.trim_start_matches("web-").to_string()))
                .html();
            svg = svg.child(selectable(
                at,
                format!("{}, {}", s.name, m.strategy.label()),
                focus == Some(at),
                on_focus,
                (j.to_string(), s.eligible),
                bars,
            ));
        }
        strips.push(html! {
            <figure class="lane">
                <figcaption>{format!("{}. {}", i + 1, m.strategy.label())}</figcaption>
                {svg.html()}
            </figure>
        });
    }
    html! { <div class="lanes">{ for strips }</div> }
}
