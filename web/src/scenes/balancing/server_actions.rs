//! The fault-injection buttons: kill or revive, slow down, inject errors, add or remove a
//! server.

use super::build::added_server;
use crate::components::svg::{ctl_button, Attr, El};
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
#[derive(Properties, PartialEq)]
pub struct ServerActionsProps {
    /// One per server, in server order.
    pub servers: Vec<ServerButtons>,
    /// Takes the action a button stands for.
    pub act: Callback<BalancingAction>,
}

/// The buttons only change when a server's state does, so they are a component: Yew skips
/// it on frames where its props are equal.
#[component]
pub fn ServerActions(p: &ServerActionsProps) -> Html {
    let (servers, act) = (&p.servers, &p.act);
    let next_name = {
        let mut i = servers.len() + 1;
        while servers.iter().any(|s| s.name == format!("web-{i}")) {
            i += 1;
        }
        format!("web-{i}")
    };
    let button = |label: String, action: BalancingAction, class: &'static str| {
        let act = act.clone();
        ctl_button(
            class,
            label,
            Callback::from(move |_| act.emit(action.clone())),
        )
        .html()
    };
    let mut out = El::new("div")
        .set(Attr::Class, "actions")
        .set(Attr::Role, "group")
        .set(Attr::AriaLabel, "Fault injection");
    for s in servers {
        let server = s.index;
        out = out
            .child(if s.running {
                button(
                    format!("Kill {}", s.name),
                    BalancingAction::KillServer { server },
                    "danger",
                )
            } else {
                button(
                    format!("Revive {}", s.name),
                    BalancingAction::ReviveServer { server },
                    "",
                )
            })
            .child(if s.slowed {
                button(
                    format!("Normal speed {}", s.name),
                    BalancingAction::SetSlowdown {
                        server,
                        factor: 1.0,
                    },
                    "",
                )
            } else {
                button(
                    format!("Slow {} ×4", s.name),
                    BalancingAction::SetSlowdown {
                        server,
                        factor: 4.0,
                    },
                    "",
                )
            })
            .child(if s.errors {
                button(
                    format!("Stop errors {}", s.name),
                    BalancingAction::SetErrorRate { server, rate: 0.0 },
                    "",
                )
            } else {
                button(
                    format!("50% errors {}", s.name),
                    BalancingAction::SetErrorRate { server, rate: 0.5 },
                    "",
                )
            });
    }
    out = out.child(button(
        "Add server".into(),
        BalancingAction::AddServer {
            config: added_server(&next_name),
        },
        "",
    ));
    if servers.len() > 1 {
        out = out.child(button(
            "Remove last server".into(),
            BalancingAction::RemoveServer {
                server: servers.len() as u32 - 1,
            },
            "",
        ));
    }
    out.html()
}
