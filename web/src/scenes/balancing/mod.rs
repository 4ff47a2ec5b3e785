//! The load-balancing scene: clients → balancer → servers, one animated dot per routed request,
//! health states and detection lag, and race mode (one seeded trace, several strategies).
//!
//! The model is always a core [`Race`]: a single strategy is a race with one lane, so both
//! views share the same drawing and controls.

mod build;
mod drawing;
mod marks;

use crate::decimal;
use crate::fixed::fixed;
use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::balancing::{BalancerAction, BalancerEvent, Race, RaceEvent};
use scalelab_core::sim::ServerConfig;
use yew::prelude::*;

pub use build::{race_config, SPECS};

pub struct BalancingScene;

impl Scene for BalancingScene {
    type Model = Race;
    type Event = RaceEvent;
    type Action = BalancerAction;
    const ID: SceneId = SceneId::Balancing;
    const TITLE: &'static str = "Load balancing";
    const BLURB: &'static str = "Watch each request travel to the server a strategy picks. Kill or slow a server and \
        see how long health checks take to notice; race strategies on identical traffic and \
        compare their p99.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<Race, scalelab_core::Error> {
        Ok(Race::new(race_config(params, seed))?)
    }

    fn narrate(race: &Race, e: &RaceEvent) -> Option<String> {
        // Arrivals and starts are too frequent to be worth a sentence each.
        match e.event {
            BalancerEvent::RequestArrived { .. } | BalancerEvent::Started { .. } => None,
            BalancerEvent::Probe { ok: true, .. } => None,
            // Events carry server positions; the lane's model has the names.
            _ => Some(match race.lane(e.lane) {
                Some(sim) => sim.narrate(&e.event),
                None => e.event.narrate::<&str>(&[]),
            }),
        }
    }

    fn encode_action(a: &BalancerAction) -> String {
        match a {
            BalancerAction::KillServer { server } => format!("kill.{server}"),
            BalancerAction::ReviveServer { server } => format!("revive.{server}"),
            BalancerAction::SetSlowdown { server, factor } => {
                format!("slow.{server}.{}", decimal::show(*factor))
            }
            BalancerAction::SetErrorRate { server, rate } => {
                format!("errors.{server}.{}", decimal::show(*rate))
            }
            BalancerAction::AddServer { config } => format!("add.{}", config.name),
            BalancerAction::RemoveServer { server } => format!("remove.{server}"),
            BalancerAction::SwitchStrategy { strategy } => format!("switch.{strategy}"),
            BalancerAction::SetArrivals { .. } => "load".into(),
        }
    }

    fn decode_action(text: &str) -> Option<BalancerAction> {
        let mut parts = text.splitn(3, '.');
        let op = parts.next()?;
        let a = parts.next();
        let b = parts.next();
        let server = || a.and_then(|s| s.parse::<u32>().ok());
        let number = || b.and_then(crate::decimal::parse).filter(|v| v.is_finite());
        Some(match op {
            "kill" => BalancerAction::KillServer { server: server()? },
            "revive" => BalancerAction::ReviveServer { server: server()? },
            "slow" => BalancerAction::SetSlowdown {
                server: server()?,
                factor: number()?,
            },
            "errors" => BalancerAction::SetErrorRate {
                server: server()?,
                rate: number()?,
            },
            "add" => BalancerAction::AddServer {
                config: build::added_server(a?),
            },
            "remove" => BalancerAction::RemoveServer { server: server()? },
            "switch" => BalancerAction::SwitchStrategy {
                strategy: a?.to_string(),
            },
            _ => return None,
        })
    }

    fn describe_action(a: &BalancerAction) -> String {
        match a {
            BalancerAction::KillServer { server } => format!("you killed server {}", server + 1),
            BalancerAction::ReviveServer { server } => format!("you revived server {}", server + 1),
            BalancerAction::SetSlowdown { server, factor } => {
                format!(
                    "you set server {} to {}× its service time",
                    server + 1,
                    decimal::show(*factor)
                )
            }
            BalancerAction::SetErrorRate { server, rate } => format!(
                "you made server {} answer {}% of requests with errors",
                server + 1,
                fixed(rate * 100.0, 0)
            ),
            BalancerAction::AddServer { config } => format!("you added server {}", config.name),
            BalancerAction::RemoveServer { server } => format!("you removed server {}", server + 1),
            BalancerAction::SwitchStrategy { strategy } => format!("you switched to {strategy}"),
            BalancerAction::SetArrivals { .. } => "you changed the load".into(),
        }
    }

    fn metric_names() -> &'static [&'static str] {
        &[
            "p50_ms",
            "p95_ms",
            "p99_ms",
            "throughput_rps",
            "dropped",
            "failed",
            "lane2_p99_ms",
            "lane3_p99_ms",
            "lane4_p99_ms",
            "lane5_p99_ms",
        ]
    }

    fn metrics(race: &Race) -> Vec<f64> {
        let lanes = race.lane_metrics();
        let ms = |us: u64| us as f64 / 1_000.0;
        let mut row = Vec::with_capacity(10);
        match (lanes.first(), race.lane(0)) {
            (Some(l), Some(sim)) => {
                row.push(ms(l.recent_latency.p50));
                row.push(ms(l.recent_latency.p95));
                row.push(ms(l.recent_latency.p99));
                row.push(sim.recent_throughput());
                row.push(l.dropped as f64);
                row.push(l.failed as f64);
            }
            _ => row.extend([0.0; 6]),
        }
        for lane in 1..5 {
            row.push(
                lanes
                    .get(lane)
                    .map(|l| ms(l.recent_latency.p99))
                    .unwrap_or(f64::NAN),
            );
        }
        row
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        drawing::view(v)
    }
}

/// A fresh server's config for the Add button (the name is what the link records).
pub fn new_server(name: &str) -> ServerConfig {
    build::added_server(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::timeline::Action;

    /// The scene's own error text is what the core's `Display` says.
    #[test]
    fn errors_read_as_the_core_writes_them() {
        let mut race = BalancingScene::build(&ParamValues::defaults(SPECS), 5).unwrap();
        for a in [
            BalancerAction::KillServer { server: 99 },
            BalancerAction::ReviveServer { server: 0 },
            BalancerAction::SwitchStrategy {
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
