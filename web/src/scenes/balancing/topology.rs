//! The parts of the drawing that only change with the set-up: clients, links, the balancer.

use super::layout::{mid_y, num, row_y, BALANCER_X, CLIENTS_SHOWN, SERVER_X};
use crate::components::memo::View;
use crate::components::svg::{Attr, El};
use yew::prelude::*;

/// What the topology shows.
#[derive(PartialEq)]
pub struct Topology {
    /// Client lines as shown (address, and its server under IP hash).
    pub clients: Vec<AttrValue>,
    /// Clients in the population (more than are listed).
    pub client_count: usize,
    /// Servers the balancer links to.
    pub servers: u32,
    /// The active strategy's name, under the balancer.
    pub strategy: &'static str,
}

impl View for Topology {
    fn view(&self) -> Html {
        topology(self)
    }
}

fn topology(p: &Topology) -> Html {
    let mid = mid_y(p.servers);
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for less wasm.
    let mut g = El::new("g").set(Attr::Class, "topology").el(El::new("text")
        .set(Attr::Class, "muted")
        .set(Attr::X, "10")
        .set(Attr::Y, "14")
        .set(Attr::FontSize, "10")
        .text(format!("{} clients", p.client_count)));
    for (i, label) in p.clients.iter().enumerate() {
        let y = 30.0 + i as f64 * 20.0;
        g = g.el(El::new("g")
            .el(El::new("text")
                .set(Attr::X, "10")
                .string(Attr::Y, num(y + 4.0))
                .set(Attr::FontFamily, "ui-monospace, monospace")
                .set(Attr::FontSize, "10")
                .text(label.clone()))
            .el(El::new("line")
                .set(Attr::Class, "link")
                .set(Attr::X1, "150")
                .string(Attr::Y1, num(y))
                .string(Attr::X2, num(BALANCER_X))
                .string(Attr::Y2, num(mid))));
    }
    if p.client_count > CLIENTS_SHOWN {
        g = g.el(El::new("text")
            .set(Attr::Class, "muted")
            .set(Attr::X, "10")
            .string(Attr::Y, num(34.0 + CLIENTS_SHOWN as f64 * 20.0))
            .set(Attr::FontSize, "10")
            .text(format!("… and {} more", p.client_count - CLIENTS_SHOWN)));
    }
    for i in 0..p.servers {
        g = g.el(El::new("line")
            .set(Attr::Class, "link")
            .string(Attr::X1, num(BALANCER_X + 60.0))
            .string(Attr::Y1, num(mid))
            .string(Attr::X2, num(SERVER_X))
            .string(Attr::Y2, num(row_y(i))));
    }
    g.el(El::new("rect")
        .set(Attr::Class, "box")
        .string(Attr::X, num(BALANCER_X))
        .string(Attr::Y, num(mid - 24.0))
        .set(Attr::Width, "60")
        .set(Attr::Height, "48")
        .set(Attr::Rx, "8"))
        .el(El::new("text")
            .string(Attr::X, num(BALANCER_X + 30.0))
            .string(Attr::Y, num(mid - 4.0))
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontWeight, "600")
            .text("LB"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .string(Attr::X, num(BALANCER_X + 30.0))
            .string(Attr::Y, num(mid + 12.0))
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "9")
            .text(p.strategy))
        .html()
}
