//! The system scene: the four patterns on one request path. Clients reach a load balancer,
//! which picks an app instance from an autoscaled tier; each instance has its own L1 cache in
//! front of the shared L2, and both miss to a sharded store. The drawing follows requests hop
//! by hop, the breakdown shows where their latency went, and chaos switches and presets show
//! how trouble in one tier reaches the others.
//!
//! The model, its actions and its readouts are the core's ([`SystemModel`], [`SystemAction`]);
//! this scene maps the settings to a config (`build`), actions to and from link text, events
//! to sentences, and draws.

mod build;
mod inspect;
mod view;

use crate::components::inspector::Inspection;
use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::sim::SimDuration;
use scalelab_core::system::{SystemAction, SystemEvent, SystemModel};
use yew::prelude::*;

pub use build::{system_config, PRESETS, SPECS};
pub use inspect::Focus;

pub struct SystemScene;

/// An action as link text: dot-separated, durations in ms, a hot key's share in thousandths
/// and a spike's multiple in hundredths, so every number is a whole one.
fn encode(a: &SystemAction) -> String {
    let ms = |d: &SimDuration| d.0 / 1_000;
    match a {
        SystemAction::KillInstance { instance } => format!("kill.{instance}"),
        SystemAction::SlowInstance {
            instance,
            factor,
            duration,
        } => format!("slow.{instance}.{factor}.{}", ms(duration)),
        SystemAction::FlushL2 => "flush".into(),
        SystemAction::CrashL2 { duration } => format!("crash.{}", ms(duration)),
        SystemAction::HotKey {
            key,
            share,
            duration,
        } => format!(
            "hot.{key}.{}.{}",
            (share * 1_000.0).round() as u64,
            ms(duration)
        ),
        SystemAction::ShardDown { shard, duration } => format!("down.{shard}.{}", ms(duration)),
        SystemAction::SlowShard {
            shard,
            factor,
            duration,
        } => format!("slowshard.{shard}.{factor}.{}", ms(duration)),
        SystemAction::Spike {
            multiplier,
            duration,
        } => format!(
            "spike.{}.{}",
            (multiplier * 100.0).round() as u64,
            ms(duration)
        ),
        SystemAction::Stampede { key, requests } => format!("stampede.{key}.{requests}"),
        SystemAction::SetCoalescing { on } => {
            format!("coalesce.{}", if *on { "on" } else { "off" })
        }
    }
}

/// Link text back to an action; `None` for anything malformed. Ranges are the core's to
/// check (an action it refuses is named where it is applied).
fn decode(text: &str) -> Option<SystemAction> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let n = |i: usize| parts.get(i).and_then(|s| s.parse::<u64>().ok());
    let small = |i: usize| n(i).and_then(|v| u32::try_from(v).ok());
    // At most a day, so a duration in µs cannot overflow.
    let ms = |i: usize| {
        n(i).filter(|v| *v <= 86_400_000)
            .map(|v| SimDuration(v * 1_000))
    };
    let action = match (parts.first().copied()?, parts.len()) {
        ("kill", 2) => SystemAction::KillInstance {
            instance: small(1)?,
        },
        ("slow", 4) => SystemAction::SlowInstance {
            instance: small(1)?,
            factor: small(2)?,
            duration: ms(3)?,
        },
        ("flush", 1) => SystemAction::FlushL2,
        ("crash", 2) => SystemAction::CrashL2 { duration: ms(1)? },
        ("hot", 4) => SystemAction::HotKey {
            key: n(1)?,
            share: n(2).filter(|v| *v <= 1_000)? as f64 / 1_000.0,
            duration: ms(3)?,
        },
        ("down", 3) => SystemAction::ShardDown {
            shard: small(1)?,
            duration: ms(2)?,
        },
        ("slowshard", 4) => SystemAction::SlowShard {
            shard: small(1)?,
            factor: small(2)?,
            duration: ms(3)?,
        },
        ("spike", 3) => SystemAction::Spike {
            multiplier: n(1).filter(|v| *v <= 100_000)? as f64 / 100.0,
            duration: ms(2)?,
        },
        ("stampede", 3) => SystemAction::Stampede {
            key: n(1)?,
            requests: small(2)?,
        },
        ("coalesce", 2) => SystemAction::SetCoalescing {
            on: match parts.get(1).copied()? {
                "on" => true,
                "off" => false,
                _ => return None,
            },
        },
        _ => return None,
    };
    Some(action)
}

impl Scene for SystemScene {
    type Model = SystemModel;
    type Event = SystemEvent;
    type Action = SystemAction;
    type Focus = Focus;
    const ID: SceneId = SceneId::System;
    const TITLE: &'static str = "The whole system";
    /// A tenth of real time: about 50 events a second on screen, 20 requests whose trips can
    /// each be followed. The autoscaler and the presets' incidents (5 to 10 s in) play out over
    /// simulated seconds, so the story says how to get there faster.
    const SPEED: f64 = 0.1;
    /// A dot's trip through the tiers takes 1.1 s on screen at 1/10×.
    const MOTION_SIM_MS: f64 = 110.0;
    const BLURB: &'static str = "Every pattern on one request path: a load balancer, an \
        autoscaled app tier with its own caches, a shared cache and a sharded store. Pull a chaos \
        switch or start a classic incident and see where the latency goes.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<SystemModel, scalelab_core::Error> {
        Ok(build::build_model(params, seed)?)
    }

    fn narrate(_model: &SystemModel, event: &SystemEvent) -> Option<String> {
        view::narrate(event)
    }

    fn inspect(model: &SystemModel, focus: Option<Focus>) -> Inspection {
        inspect::inspect(model, focus)
    }

    fn encode_action(action: &SystemAction) -> String {
        encode(action)
    }

    fn decode_action(text: &str) -> Option<SystemAction> {
        decode(text)
    }

    fn describe_action(action: &SystemAction) -> String {
        let mut s = String::from("you pulled: ");
        view::push_chaos(&mut s, action);
        s
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        let story = build::preset_story(v.params);
        view::view(&view::Frame {
            model: v.model,
            recent: v.aged(),
            act: &v.act,
            reduced_motion: v.reduced_motion,
            series: v.series,
            focus: v.focus,
            on_focus: &v.on_focus,
            story,
            keep: v.keep,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_actions() -> Vec<SystemAction> {
        let d = SimDuration::from_secs(10);
        vec![
            SystemAction::KillInstance { instance: 2 },
            SystemAction::SlowInstance {
                instance: 0,
                factor: 10,
                duration: d,
            },
            SystemAction::FlushL2,
            SystemAction::CrashL2 { duration: d },
            SystemAction::HotKey {
                key: 7,
                share: 0.33,
                duration: d,
            },
            SystemAction::ShardDown {
                shard: 3,
                duration: d,
            },
            SystemAction::SlowShard {
                shard: 1,
                factor: 10,
                duration: d,
            },
            SystemAction::Spike {
                multiplier: 4.0,
                duration: SimDuration::from_millis(1_500),
            },
            SystemAction::Stampede {
                key: 0,
                requests: 500,
            },
            SystemAction::SetCoalescing { on: true },
            SystemAction::SetCoalescing { on: false },
        ]
    }

    #[test]
    fn actions_round_trip_through_the_url() {
        for a in all_actions() {
            let text = encode(&a);
            assert!(!text.contains(',') && !text.contains(':'), "{text}");
            assert_eq!(decode(&text), Some(a), "{text}");
        }
    }

    #[test]
    fn malformed_actions_are_rejected() {
        for bad in [
            "",
            "kill",
            "kill.x",
            "kill.1.2",
            "flush.1",
            "crash",
            "crash.99999999999",
            "hot.7.1001.10",
            "spike.x.10",
            "coalesce.maybe",
            "stampede.0.99999999999",
            "slow.0.10",
            "jump.0",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    /// Every switch, and every event a run gives, reads as a sentence that names what
    /// happened.
    #[test]
    fn switches_and_events_read_as_sentences() {
        for a in all_actions() {
            let said = SystemScene::describe_action(&a);
            assert!(said.len() > "you pulled: ".len() + 8, "{said}");
        }
        let mut m = SystemScene::build(&ParamValues::defaults(SPECS), 42).unwrap();
        use scalelab_core::timeline::Action;
        SystemAction::KillInstance { instance: 1 }
            .apply(&mut m)
            .unwrap();
        let mut said = Vec::new();
        for _ in 0..20_000 {
            for e in scalelab_core::Model::step(&mut m) {
                said.extend(SystemScene::narrate(&m, &e));
            }
        }
        assert_eq!(
            said,
            [
                "app-1 was killed: the requests it held failed.",
                "At 0.000s: chaos, kill app-1."
            ]
        );
        // The slow-autoscaler preset: its spike starts by itself, and the autoscaler answers.
        let mut p = ParamValues::defaults(SPECS);
        p.set("preset", SPECS[0].parse("slow-autoscaler").unwrap());
        let mut m = SystemScene::build(&p, 42).unwrap();
        let mut said = Vec::new();
        while scalelab_core::Model::now(&m).0 < 15_000_000 {
            for e in scalelab_core::Model::step(&mut m) {
                said.extend(SystemScene::narrate(&m, &e));
            }
        }
        assert!(
            said.iter()
                .any(|s| s == "At 10.000s: chaos, a traffic spike for 120.000s."),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|s| s.starts_with("The autoscaler started app-3; it serves from ")),
            "{said:?}"
        );
    }

    /// The scene's own error text is what the core's `Display` says.
    #[test]
    fn errors_read_as_the_core_writes_them() {
        use scalelab_core::timeline::Action;
        let mut m = SystemScene::build(&ParamValues::defaults(SPECS), 1).unwrap();
        let e = SystemAction::KillInstance { instance: 99 }
            .apply(&mut m)
            .unwrap_err();
        assert_eq!(crate::scenes::error_text::<SystemScene>(&e), e.to_string());
        assert!(e.to_string().contains("no app instance 99"));
    }
}
