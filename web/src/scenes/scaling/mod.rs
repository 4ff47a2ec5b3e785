//! The scaling scene: offered load against ready capacity over time, instances warming up,
//! serving and draining away, the autoscaler's decisions in a log, and comparisons of
//! set-ups on the identical load (vertical vs horizontal, with or without the hybrid;
//! threshold vs HPA; threshold vs the guide's naive scale-in) with their cost and latency
//! side by side.
//!
//! The model, its actions and its readouts are the core's ([`ScalingModel`],
//! [`ScalingAction`]); this scene maps the settings to a config (`build`), actions to and from
//! link text, events to sentences, and draws.

mod build;
mod inspect;
mod view;

use crate::components::inspector::Inspection;
use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::scaling::{Reason, ScalingAction, ScalingEvent, ScalingModel, ServiceEvent};
use scalelab_core::sim::limits;
use yew::prelude::*;

pub use build::{build_model, SPECS};

/// Highest lane number an action may name (a comparison has at most `MAX_RACE_LANES` lanes).
const MAX_LANE: u32 = limits::MAX_RACE_LANES as u32 - 1;

pub struct ScalingScene;

fn encode(a: &ScalingAction) -> String {
    match a {
        ScalingAction::Add { lane } => format!("add.{lane}"),
        ScalingAction::Remove { lane, id: None } => format!("remove.{lane}"),
        ScalingAction::Remove { lane, id: Some(id) } => format!("remove.{lane}.{id}"),
        ScalingAction::ResizeUp { lane } => format!("up.{lane}"),
        ScalingAction::ResizeDown { lane } => format!("down.{lane}"),
        ScalingAction::SetMode { lane, mode } => format!("mode.{lane}.{}", build::mode_name(*mode)),
        ScalingAction::SetLoad { shape, peak } => {
            format!("load.{}.{peak}", build::shape_name(*shape))
        }
    }
}

fn decode(text: &str) -> Option<ScalingAction> {
    let mut parts = text.trim().split('.');
    let op = parts.next()?;
    let a = parts.next();
    let b = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let lane = || {
        a.and_then(|s| s.parse::<u32>().ok())
            .filter(|l| *l <= MAX_LANE)
    };
    let action = match (op, b) {
        ("add", None) => ScalingAction::Add { lane: lane()? },
        ("remove", None) => ScalingAction::Remove {
            lane: lane()?,
            id: None,
        },
        ("remove", Some(id)) => ScalingAction::Remove {
            lane: lane()?,
            id: Some(id.parse().ok()?),
        },
        ("up", None) => ScalingAction::ResizeUp { lane: lane()? },
        ("down", None) => ScalingAction::ResizeDown { lane: lane()? },
        ("mode", Some(mode)) => ScalingAction::SetMode {
            lane: lane()?,
            mode: build::parse_mode(mode)?,
        },
        ("load", Some(peak)) => ScalingAction::SetLoad {
            shape: build::parse_shape(a?)?,
            peak: peak
                .parse::<u32>()
                .ok()
                .filter(|p| (build::MIN_RATE..=build::MAX_RATE).contains(&i64::from(*p)))?,
        },
        _ => return None,
    };
    Some(action)
}

impl Scene for ScalingScene {
    /// An instance: (lane, instance id). The vertical machine is its lane's one instance.
    type Focus = (u32, u32);

    fn inspect(model: &ScalingModel, focus: Option<(u32, u32)>) -> Inspection {
        inspect::inspect(model, focus)
    }

    type Model = ScalingModel;
    type Event = ScalingEvent;
    type Action = ScalingAction;
    const ID: SceneId = SceneId::Scaling;
    const TITLE: &'static str = "Scaling";
    /// One tick per simulated second: twenty a second, the first 200 s of traffic in the first ten seconds.
    const SPEED: f64 = 20.0;
    /// Fourteen one-second ticks: at 20× a launch or a removal flashes for 700 ms, as the drawing was designed.
    const MOTION_SIM_MS: f64 = 14000.0;
    const BLURB: &'static str =
        "Load against capacity over time. Instances warm up before they serve; compare a \
        threshold autoscaler with the Kubernetes HPA rule, and scaling up with scaling out on \
        the same load.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<ScalingModel, scalelab_core::Error> {
        Ok(build_model(params, seed)?)
    }

    fn narrate(model: &Self::Model, e: &ScalingEvent) -> Option<String> {
        let decision = model
            .last_decision(e.lane)
            .filter(|d| d.at == e.event.time());
        let said = match (&e.event, decision) {
            (ServiceEvent::Tick { .. }, _) => return None,
            // The HPA confirms its count every sync period: not worth a sentence each time.
            (
                ServiceEvent::Decision {
                    current,
                    desired,
                    reason,
                    ..
                },
                _,
            ) if current == desired && !matches!(reason, Reason::AtMax | Reason::AtMin) => {
                return None
            }
            // The rate limit is part of the decision's sentence, said with it.
            (ServiceEvent::RateLimited { .. }, Some(_)) => return None,
            // The deciding events say why, in the decision's own sentence.
            (
                ServiceEvent::Decision { t, .. }
                | ServiceEvent::CooldownBlocked { t, .. }
                | ServiceEvent::StabilisationHeld { t, .. },
                Some(d),
            ) => {
                let mut s = String::from("At ");
                s.push_str(&t.to_string());
                s.push_str(": ");
                d.push_why(&mut s);
                s.push('.');
                s
            }
            (other, _) => other.narrate(),
        };
        Some(if e.lane == 0 && e.label.is_empty() {
            said
        } else {
            format!("{}: {said}", e.label)
        })
    }

    fn encode_action(a: &ScalingAction) -> String {
        encode(a)
    }

    fn decode_action(text: &str) -> Option<ScalingAction> {
        decode(text)
    }

    fn describe_action(a: &ScalingAction) -> String {
        match a {
            ScalingAction::Add { .. } => "you launched an instance".into(),
            ScalingAction::Remove { id: Some(id), .. } => format!("you removed instance_{id}"),
            ScalingAction::Remove { id: None, .. } => {
                "you removed the least-loaded instance".into()
            }
            ScalingAction::ResizeUp { .. } => "you doubled the machine".into(),
            ScalingAction::ResizeDown { .. } => "you halved the machine".into(),
            ScalingAction::SetMode { mode, .. } => {
                format!("you switched the rule to {}", view::mode_label(*mode))
            }
            ScalingAction::SetLoad { peak, .. } => {
                format!("you changed the load (peak {peak} req/s)")
            }
        }
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        view::view(&view::Frame {
            model: v.model,
            recent: v.aged(),
            act: &v.act,
            reduced_motion: v.reduced_motion,
            series: v.series,
            shape: build::shape(v.params),
            peak: build::peak(v.params),
            focus: v.focus,
            on_focus: &v.on_focus,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::scaling::LoadShape;
    use scalelab_core::timeline::Action;

    fn all_actions() -> Vec<ScalingAction> {
        let mut v = vec![
            ScalingAction::Add { lane: 0 },
            ScalingAction::Add { lane: 1 },
            ScalingAction::Remove { lane: 0, id: None },
            ScalingAction::Remove {
                lane: 1,
                id: Some(12),
            },
            ScalingAction::ResizeUp { lane: 0 },
            ScalingAction::ResizeDown { lane: 15 },
        ];
        for (name, _) in build::MODES {
            v.push(ScalingAction::SetMode {
                lane: 0,
                mode: build::parse_mode(name).unwrap(),
            });
        }
        for shape in LoadShape::ALL {
            v.push(ScalingAction::SetLoad { shape, peak: 5_400 });
        }
        v
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
            "add",
            "add.x",
            "add.99",
            "remove.0.x",
            "remove.0.1.2",
            "mode.0.fast",
            "load.wave.100",
            "load.spike.0",
            "load.spike.999999999",
            "up.0.1",
            "jump.0",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    fn params(pairs: &[(&str, &str)]) -> ParamValues {
        let mut p = ParamValues::defaults(SPECS);
        for (k, v) in pairs {
            let spec = SPECS.iter().find(|s| s.key == *k).unwrap();
            p.set(spec.key, spec.parse(v).unwrap());
        }
        p
    }

    /// Steps until `lane`'s decision changes the count; returns the step's events.
    fn step_to_a_change(m: &mut ScalingModel) -> Vec<ScalingEvent> {
        use scalelab_core::Model;
        for _ in 0..600 {
            let events = m.step();
            if m.last_decision(0)
                .is_some_and(|d| d.current != d.desired && d.at == m.now())
            {
                return events;
            }
        }
        panic!("no scaling decision in 600 ticks");
    }

    #[test]
    fn the_deciding_event_is_narrated_with_the_decisions_why() {
        for mode in ["threshold", "hpa", "vertical"] {
            let mut m = ScalingScene::build(&params(&[("mode", mode)]), 1).unwrap();
            let events = step_to_a_change(&mut m);
            let why = m.last_decision(0).unwrap().to_string();
            let said: Vec<String> = events
                .iter()
                .filter_map(|e| ScalingScene::narrate(&m, e))
                .collect();
            assert!(
                said.iter().any(|s| s.contains(&why)),
                "{mode}: {said:?} lacks {why}"
            );
        }
    }

    #[test]
    fn the_inspector_shows_the_decision_and_the_selected_instance() {
        let mut m = ScalingScene::build(&params(&[("mode", "hpa")]), 1).unwrap();
        step_to_a_change(&mut m);
        let d = m.last_decision(0).unwrap();
        let id = m.lane(0).unwrap().service().instances()[0].id;
        let i = ScalingScene::inspect(&m, Some((0, id)));
        let table = i.decision.unwrap();
        assert_eq!(table.why, d.to_string());
        assert!(table.formula.unwrap().starts_with("ceil("));
        assert_eq!(table.rows.iter().filter(|(chosen, _)| *chosen).count(), 1);
        assert!(table.rows.iter().any(|(_, r)| r[0] == "ratio rule"));
        let facts = i.focus.unwrap();
        assert_eq!(facts.title, "instance_1");
        assert!(facts.facts.iter().any(|(k, _)| *k == "queue"));
        // An instance that does not exist shows nothing.
        assert_eq!(ScalingScene::inspect(&m, Some((0, 999))).focus, None);

        let mut m = ScalingScene::build(&params(&[("mode", "threshold")]), 1).unwrap();
        step_to_a_change(&mut m);
        let table = ScalingScene::inspect(&m, None).decision.unwrap();
        let names: Vec<&str> = table.rows.iter().map(|(_, r)| r[0].as_str()).collect();
        assert_eq!(names, ["CPU", "memory", "rate", "instances", "cooldown"]);
        assert!(table.rows.iter().any(|(chosen, _)| *chosen));
    }

    /// The scene's own error text is what the core's `Display` says.
    #[test]
    fn errors_read_as_the_core_writes_them() {
        let mut m = ScalingScene::build(&params(&[("mode", "manual")]), 1).unwrap();
        for a in [
            ScalingAction::ResizeUp { lane: 0 },
            ScalingAction::Add { lane: 1 },
        ] {
            let e = a.apply(&mut m).unwrap_err();
            assert_eq!(crate::scenes::error_text::<ScalingScene>(&e), e.to_string());
        }
    }
}
