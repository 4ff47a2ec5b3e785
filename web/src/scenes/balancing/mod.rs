//! The load-balancing scene: clients → balancer → servers, one animated dot per routed request,
//! health states and detection lag, and race mode (one seeded trace, several strategies).
//!
//! The model is always a core [`BalancingModel`]: a single strategy is a race with one lane, so
//! both views share the same drawing and controls.

mod build;
mod charts;
mod lane_strips;
mod layout;
mod marks;
mod race_board;
mod server_actions;
mod server_row;
mod single;
mod stats;
mod topology;
mod traffic;
mod units;
mod view;

use crate::decimal;
use crate::fixed::fixed;
use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::balancing::{BalancerEvent, BalancingAction, BalancingEvent, BalancingModel};
use scalelab_core::sim::{ArrivalProcess, SimDuration};
use scalelab_core::Metrics;
use yew::prelude::*;

pub use build::{race_config, SPECS};

pub struct BalancingScene;

impl Scene for BalancingScene {
    type Model = BalancingModel;
    type Event = BalancingEvent;
    type Action = BalancingAction;
    const ID: SceneId = SceneId::Balancing;

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
            BalancerEvent::Probe { ok: true, .. } => None,
            // Events carry server positions; the lane's model has the names.
            _ => Some(match race.lane(e.lane) {
                Some(sim) => sim.narrate(&e.event),
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
            BalancingAction::SetArrivals { arrivals } => {
                format!("load.{}", arrivals_text(arrivals))
            }
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
            "load" => BalancingAction::SetArrivals {
                arrivals: parse_arrivals(a?, b?)?,
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

    fn metric_names() -> &'static [&'static str] {
        BalancingModel::METRIC_NAMES
    }

    fn metrics(model: &BalancingModel) -> Vec<f64> {
        model.metrics()
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        view::view(v)
    }
}

/// An arrival process as a link writes it after `load.`: its shape, then its figures joined by
/// `_` (decimals may hold `.`): rates per second, durations in whole microseconds. For example
/// `poisson.1120`, `spike.100_900_10000000_2000000` (base, peak, period, spike length),
/// `ramp.100_900_30000000` (from, to, over), `diurnal.500_0.5_60000000` (mean, amplitude,
/// period), `constant.800`.
fn arrivals_text(a: &ArrivalProcess) -> String {
    let n = |v: f64| decimal::show(v);
    match *a {
        ArrivalProcess::Constant { rate } => format!("constant.{}", n(rate)),
        ArrivalProcess::Poisson { rate } => format!("poisson.{}", n(rate)),
        ArrivalProcess::Spike {
            base,
            peak,
            period,
            spike_len,
        } => format!("spike.{}_{}_{}_{}", n(base), n(peak), period.0, spike_len.0),
        ArrivalProcess::Ramp { from, to, over } => {
            format!("ramp.{}_{}_{}", n(from), n(to), over.0)
        }
        ArrivalProcess::Diurnal {
            mean,
            amplitude,
            period,
        } => format!("diurnal.{}_{}_{}", n(mean), n(amplitude), period.0),
    }
}

/// Reads what [`arrivals_text`] writes: the shape, and its figures (exactly as many as it has).
/// The core checks the values when the action is applied.
fn parse_arrivals(shape: &str, figures: &str) -> Option<ArrivalProcess> {
    let mut f = figures.split('_');
    let mut rate = || f.next().and_then(decimal::parse).filter(|v| v.is_finite());
    let a = rate()?;
    let process = match shape {
        "constant" => ArrivalProcess::Constant { rate: a },
        "poisson" => ArrivalProcess::Poisson { rate: a },
        "spike" | "ramp" | "diurnal" => {
            let b = rate()?;
            let mut micros = || {
                f.next()
                    .and_then(|s| s.parse::<u64>().ok())
                    .map(SimDuration)
            };
            match shape {
                "spike" => ArrivalProcess::Spike {
                    base: a,
                    peak: b,
                    period: micros()?,
                    spike_len: micros()?,
                },
                "ramp" => ArrivalProcess::Ramp {
                    from: a,
                    to: b,
                    over: micros()?,
                },
                _ => ArrivalProcess::Diurnal {
                    mean: a,
                    amplitude: b,
                    period: micros()?,
                },
            }
        }
        _ => return None,
    };
    f.next().is_none().then_some(process)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::timeline::Action;

    /// Every operation has a link text that reads back as the same operation.
    #[test]
    fn every_action_round_trips_through_its_link_text() {
        let secs = |s: u64| SimDuration::from_secs(s);
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
            BalancingAction::SetArrivals {
                arrivals: ArrivalProcess::Constant { rate: 800.0 },
            },
            BalancingAction::SetArrivals {
                arrivals: ArrivalProcess::Poisson { rate: 1_120.5 },
            },
            BalancingAction::SetArrivals {
                arrivals: ArrivalProcess::Spike {
                    base: 100.0,
                    peak: 900.25,
                    period: secs(10),
                    spike_len: SimDuration(1_500_001),
                },
            },
            BalancingAction::SetArrivals {
                arrivals: ArrivalProcess::Ramp {
                    from: 0.5,
                    to: 1e6,
                    over: secs(30),
                },
            },
            BalancingAction::SetArrivals {
                arrivals: ArrivalProcess::Diurnal {
                    mean: 500.0,
                    amplitude: 0.75,
                    period: secs(60),
                },
            },
        ];
        for a in actions {
            let text = BalancingScene::encode_action(&a);
            assert!(!text.contains(','), "{text}");
            assert_eq!(BalancingScene::decode_action(&text), Some(a), "{text}");
        }
        assert_eq!(
            BalancingScene::encode_action(&BalancingAction::SetArrivals {
                arrivals: ArrivalProcess::Spike {
                    base: 100.0,
                    peak: 900.0,
                    period: secs(10),
                    spike_len: secs(2),
                }
            }),
            "load.spike.100_900_10000000_2000000"
        );
        for bad in [
            "load",
            "load.poisson",
            "load.poisson.",
            "load.poisson.1_2",
            "load.spike.1_2_3",
            "load.spike.1_2_3_4_5",
            "load.ramp.1_2_3.5",
            "load.diurnal.1_2_-3",
            "load.wave.1",
            "load.constant.inf",
        ] {
            assert_eq!(BalancingScene::decode_action(bad), None, "{bad}");
        }
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
