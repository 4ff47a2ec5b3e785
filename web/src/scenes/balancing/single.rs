//! The single-strategy drawing: an SVG of what changes with the set-up and the servers' state
//! (each row redrawn only when its state changes), under canvases of the servers' live figures
//! and of the moving marks.

use super::layout::{height, row_y, CLIENTS_SHOWN, WIDTH};
use super::marks::{Gauge, Layer, Paint};
use super::server_row::{server_row, ServerFocus};
use super::topology::Topology;
use super::traffic::marks;
use crate::components::memo::memo;
use crate::components::svg::{Attr, El};
use crate::fixed::fixed;
use scalelab_core::balancing::{BalancerMetrics, BalancingEvent, BalancingModel, ServerMetrics};
// `{}` of an f64 goes through Num (the same text for these numbers), so Rust's float
// formatter is not linked into the page.
use scalelab_core::num_text::Num;
use std::collections::VecDeque;
use yew::prelude::*;

/// Server `s`'s live figures for the gauges canvas, with its latest probe and, under a
/// weighted round robin, its current weight against `total_weight`.
fn gauge(s: &ServerMetrics, probe: Option<bool>, total_weight: i64) -> Gauge {
    Gauge {
        y: row_y(s.index),
        busy: s.busy_share(),
        queue: s.queue_share(),
        figures: AttrValue::from(format!(
            "{}/{} busy · {} waiting · {}%",
            s.busy_slots,
            s.concurrency,
            s.queue_len,
            fixed(s.utilisation * 100.0, 0)
        )),
        probe,
        weight: s.current_weight.map(|c| (c, total_weight)),
    }
}

/// The first lane drawn: clients, balancer and servers, with `recent` events animated.
/// The wrapper has the drawing's aspect ratio and strict containment, so the SVG's changes
/// are laid out and painted without touching the rest of the page.
pub fn single_drawing(
    m: &BalancerMetrics,
    model: &BalancingModel,
    recent: &VecDeque<(f64, BalancingEvent)>,
    now_ms: f64,
    reduced_motion: bool,
    (focus, on_focus): (Option<ServerFocus>, &Callback<Option<ServerFocus>>),
) -> Html {
    let n = m.servers.len() as u32;
    let height = height(n);
    let assignment = model
        .lane(0)
        .map(|s| s.client_assignment())
        .unwrap_or_default();
    let show_hash = m.strategy.is_ip_hash();
    let clients = assignment
        .iter()
        .take(CLIENTS_SHOWN)
        .map(|(ip, server)| {
            let target = match server {
                Some(s) if show_hash => format!(
                    " → {}",
                    m.servers
                        .get(*s as usize)
                        .map(|x| x.name.as_str())
                        .unwrap_or("?")
                ),
                _ => String::new(),
            };
            AttrValue::from(format!("{ip}{target}"))
        })
        .collect::<Vec<_>>();
    let (marks, probes) = marks(recent, now_ms, reduced_motion, n);
    let mut svg = El::new("svg")
        .set(Attr::Class, "drawing")
        .string(Attr::ViewBox, format!("0 0 {} {}", Num(WIDTH), Num(height)))
        // A group, not an image: its servers are controls.
        .set(Attr::Role, "group")
        .string(
            Attr::AriaLabel,
            format!(
                "{} clients send requests to a {} balancer in front of {} servers",
                assignment.len(),
                m.strategy.label(),
                n
            ),
        )
        .child(memo(Topology {
            clients,
            client_count: assignment.len(),
            servers: n,
            strategy: m.strategy.name(),
        }));
    for s in &m.servers {
        svg = svg.child(server_row(s, focus == Some((0, s.index)), on_focus));
    }
    let total_weight = m.eligible_weight_total();
    let gauges = m
        .servers
        .iter()
        .map(|s| {
            gauge(
                s,
                probes.get(s.index as usize).copied().flatten(),
                total_weight,
            )
        })
        .collect::<Vec<_>>();
    El::new("div")
        .set(Attr::Class, "drawing-wrap")
        .string(
            Attr::Style,
            format!("aspect-ratio: {} / {}", Num(WIDTH), Num(height)),
        )
        .el(svg)
        .child(html! { <Layer paint={Paint::Gauges(gauges)} {height} /> })
        .child(html! { <Layer paint={Paint::Marks(marks)} {height} /> })
        .html()
}
