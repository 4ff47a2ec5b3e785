//! The fault-injection buttons: kill or revive, slow down, inject errors, add or remove a
//! server.

use super::build::added_server;
use crate::components::memo::View;
use scalelab_core::balancing::{BalancingAction, ServerMetrics};
use yew::prelude::*;

/// What the fault-injection buttons depend on for one server.
#[derive(Clone, PartialEq)]
pub struct ServerButtons {
    index: u32,
    name: String,
    running: bool,
    slowed: bool,
    errors: bool,
}

impl ServerButtons {
    /// Server `s`'s buttons.
    pub fn of(s: &ServerMetrics) -> Self {
        ServerButtons {
            index: s.index,
            name: s.name.clone(),
            running: s.running,
            slowed: s.slowdown > 1.0,
            errors: s.error_rate > 0.0,
        }
    }
}

/// The servers' buttons, and where their actions go.
#[derive(PartialEq)]
pub struct ServerActions {
    /// One per server, in server order.
    pub servers: Vec<ServerButtons>,
    /// Takes the action a button stands for.
    pub act: Callback<BalancingAction>,
}

/// One button that sends `action`; `danger` marks the destructive one.
fn button(
    act: &Callback<BalancingAction>,
    label: String,
    action: BalancingAction,
    danger: bool,
) -> Html {
    let act = act.clone();
    let onclick = Callback::from(move |_: MouseEvent| act.emit(action.clone()));
    if danger {
        html! { <button type="button" class="ctl danger" {onclick}>{label}</button> }
    } else {
        html! { <button type="button" class="ctl" {onclick}>{label}</button> }
    }
}

/// The buttons only change when a server's state does, so they are drawn with `memo`, which
/// skips them on frames where their data is equal.
impl View for ServerActions {
    fn view(&self) -> Html {
        server_actions(self)
    }
}

fn server_actions(p: &ServerActions) -> Html {
    let (servers, act) = (&p.servers, &p.act);
    let next_name = {
        let mut i = servers.len() + 1;
        while servers.iter().any(|s| s.name == format!("web-{i}")) {
            i += 1;
        }
        format!("web-{i}")
    };
    let mut buttons = Vec::with_capacity(servers.len() * 3 + 2);
    for s in servers {
        let server = s.index;
        buttons.push(if s.running {
            button(
                act,
                format!("Kill {}", s.name),
                BalancingAction::KillServer { server },
                true,
            )
        } else {
            button(
                act,
                format!("Revive {}", s.name),
                BalancingAction::ReviveServer { server },
                false,
            )
        });
        let (label, factor) = if s.slowed {
            (format!("Normal speed {}", s.name), 1.0)
        } else {
            (format!("Slow {} ×4", s.name), 4.0)
        };
        buttons.push(button(
            act,
            label,
            BalancingAction::SetSlowdown { server, factor },
            false,
        ));
        let (label, rate) = if s.errors {
            (format!("Stop errors {}", s.name), 0.0)
        } else {
            (format!("50% errors {}", s.name), 0.5)
        };
        buttons.push(button(
            act,
            label,
            BalancingAction::SetErrorRate { server, rate },
            false,
        ));
    }
    buttons.push(button(
        act,
        "Add server".into(),
        BalancingAction::AddServer {
            config: added_server(&next_name),
        },
        false,
    ));
    if servers.len() > 1 {
        buttons.push(button(
            act,
            "Remove last server".into(),
            BalancingAction::RemoveServer {
                server: servers.len() as u32 - 1,
            },
            false,
        ));
    }
    html! {
        <div class="actions" role="group" aria-label="Fault injection">{ for buttons }</div>
    }
}
