//! The load-balancing scene: clients → balancer → servers, one animated dot per routed request,
//! health states and detection lag, and race mode (one seeded trace, several strategies).
//!
//! The model is always a core [`BalancingModel`]: a single strategy is a race with one lane, so
//! both views share the same drawing and controls.

mod build;
mod charts;
mod inspect;
mod lane_strips;
mod latency_bands;
mod layout;
mod marks;
mod race_board;
mod server_actions;
mod server_row;
mod single;
mod stats;
mod strategy_switch;
mod topology;
mod traffic;
mod units;
mod view;

use crate::components::inspector::Inspection;
use crate::decimal;
use crate::fixed::fixed;
use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::balancing::{BalancerEvent, BalancingAction, BalancingEvent, BalancingModel};
use yew::prelude::*;

pub use build::{race_config, SPECS, STRATEGIES};
use server_row::ServerFocus;

pub struct BalancingScene;

impl Scene for BalancingScene {
    type Focus = ServerFocus;

    fn inspect(model: &BalancingModel, focus: Option<ServerFocus>) -> Inspection {
        inspect::inspect(model, focus)
    }

    type Model = BalancingModel;
    type Event = BalancingEvent;
    type Action = BalancingAction;
    const ID: SceneId = SceneId::Balancing;
    const TITLE: &'static str = "Load balancing";
    /// About 2 300 events per simulated second at the defaults: 45 a second on screen, 0.2 s of simulated time in the first ten seconds.
    const SPEED: f64 = 0.02;
    /// A request's mean service time: a dot's trip to its server stands for it (at 1/50×, 500 ms).
    const MOTION_SIM_MS: f64 = 10.0;
    const BLURB: &'static str =
        "Watch each request travel to the server a strategy picks. Kill or slow a server and \
        see how long health checks take to notice; race strategies on identical traffic and \
        compare their p99.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<BalancingModel, scalelab_core::Error> {
        Ok(BalancingModel::new(race_config(params, seed))?)
    }

    fn narrate(race: &BalancingModel, e: &BalancingEvent) -> Option<String> {
        // Arrivals and starts are too frequent to be worth a sentence each.
        match e.event {
            BalancerEvent::RequestArrived { .. } | BalancerEvent::Started { .. } => None,
            BalancerEvent::Probe { ok: true, .. }
            | BalancerEvent::GuideVerdict { healthy: true, .. } => None,
            // Events carry server positions; the lane's model has the names, and the reason
            // recorded for a pick or a health change.
            _ => Some(match race.lane(e.lane) {
                Some(sim) => {
                    inspect::narrate_why(sim, &e.event).unwrap_or_else(|| sim.narrate(&e.event))
                }
                None => e.event.narrate::<&str>(&[]),
            }),
        }
    }

    fn encode_action(a: &BalancingAction) -> String {
        match a {
            BalancingAction::KillServer { server } => format!("kill.{server}"),
            BalancingAction::ReviveServer { server } => format!("revive.{server}"),
            BalancingAction::SetSlowdown { server, factor } => {
                format!("slow.{server}.{}", decimal::show(*factor))
            }
            BalancingAction::SetErrorRate { server, rate } => {
                format!("errors.{server}.{}", decimal::show(*rate))
            }
            BalancingAction::AddServer { config } => format!("add.{}", config.name),
            BalancingAction::RemoveServer { server } => format!("remove.{server}"),
            BalancingAction::SwitchStrategy { strategy } => format!("switch.{strategy}"),
            // No link text (see `BalancingAction::SetArrivals`): "load" reads back as nothing,
            // so a link holding it reports it unreadable rather than misreading it.
            BalancingAction::SetArrivals { .. } => "load".into(),
        }
    }

    fn decode_action(text: &str) -> Option<BalancingAction> {
        let mut parts = text.splitn(3, '.');
        let op = parts.next()?;
        let a = parts.next();
        let b = parts.next();
        let server = || a.and_then(|s| s.parse::<u32>().ok());
        let number = || b.and_then(crate::decimal::parse).filter(|v| v.is_finite());
        Some(match op {
            "kill" => BalancingAction::KillServer { server: server()? },
            "revive" => BalancingAction::ReviveServer { server: server()? },
            "slow" => BalancingAction::SetSlowdown {
                server: server()?,
                factor: number()?,
            },
            "errors" => BalancingAction::SetErrorRate {
                server: server()?,
                rate: number()?,
            },
            "add" => BalancingAction::AddServer {
                config: build::added_server(a?),
            },
            "remove" => BalancingAction::RemoveServer { server: server()? },
            "switch" => BalancingAction::SwitchStrategy {
                strategy: a?.to_string(),
            },
            _ => return None,
        })
    }

    fn describe_action(a: &BalancingAction) -> String {
        match a {
            BalancingAction::KillServer { server } => format!("you killed server {}", server + 1),
            BalancingAction::ReviveServer { server } => {
                format!("you revived server {}", server + 1)
            }
            BalancingAction::SetSlowdown { server, factor } => {
                format!(
                    "you set server {} to {}× its service time",
                    server + 1,
                    decimal::show(*factor)
                )
            }
            BalancingAction::SetErrorRate { server, rate } => format!(
                "you made server {} answer {}% of requests with errors",
                server + 1,
                fixed(rate * 100.0, 0)
            ),
            BalancingAction::AddServer { config } => format!("you added server {}", config.name),
            BalancingAction::RemoveServer { server } => {
                format!("you removed server {}", server + 1)
            }
            BalancingAction::SwitchStrategy { strategy } => format!("you switched to {strategy}"),
            BalancingAction::SetArrivals { .. } => "you changed the load".into(),
        }
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        view::view(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::sim::ArrivalProcess;
    use scalelab_core::timeline::Action;

    /// Every operation a link can carry has a link text that reads back as the same operation;
    /// a load change has none and reads back as nothing.
    #[test]
    fn every_action_round_trips_through_its_link_text() {
        let actions = [
            BalancingAction::KillServer { server: 3 },
            BalancingAction::ReviveServer { server: 0 },
            BalancingAction::SetSlowdown {
                server: 1,
                factor: 2.5,
            },
            BalancingAction::SetErrorRate {
                server: 2,
                rate: 0.125,
            },
            BalancingAction::AddServer {
                config: build::added_server("web-9"),
            },
            BalancingAction::RemoveServer { server: 4 },
            BalancingAction::SwitchStrategy {
                strategy: "power-of-two-choices".into(),
            },
        ];
        for a in actions {
            let text = BalancingScene::encode_action(&a);
            assert!(!text.contains(','), "{text}");
            assert_eq!(BalancingScene::decode_action(&text), Some(a), "{text}");
        }
        let load = BalancingScene::encode_action(&BalancingAction::SetArrivals {
            arrivals: ArrivalProcess::Poisson { rate: 500.0 },
        });
        assert_eq!(load, "load");
        assert_eq!(BalancingScene::decode_action(&load), None);
        assert_eq!(BalancingScene::decode_action("load.poisson.500"), None);
    }

    /// The scene's own error text is what the core's `Display` says.
    #[test]
    fn errors_read_as_the_core_writes_them() {
        let mut race = BalancingScene::build(&ParamValues::defaults(SPECS), 5).unwrap();
        for a in [
            BalancingAction::KillServer { server: 99 },
            BalancingAction::ReviveServer { server: 0 },
            BalancingAction::SwitchStrategy {
                strategy: "nope".into(),
            },
        ] {
            let e = a.apply(&mut race).unwrap_err();
            assert_eq!(
                crate::scenes::error_text::<BalancingScene>(&e),
                e.to_string()
            );
        }
    }
}
