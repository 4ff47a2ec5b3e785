//! The scaling scene: offered load against ready capacity over time, instances warming up,
//! serving and draining away, the autoscaler's decisions in a log, and comparisons of two
//! set-ups on the identical load (vertical vs horizontal, threshold vs HPA) with their cost
//! and latency side by side.
//!
//! The model is a core `ScalingSim` (one set-up) or a core `Comparison` (two lanes), wrapped
//! in [`model::ScalingModel`]; the actions call the core's operations.

mod build;
mod drawing;
mod model;

use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::scaling::{Reason, ScalingError, ScalingEvent, ScalingMode};
use scalelab_core::timeline::Action;
use yew::prelude::*;

pub use build::{build_model, Shape, SPECS};
pub use model::{LaneEvent, ScalingModel};

/// Highest lane number an action may name (the core allows 16 lanes).
const MAX_LANE: u32 = 15;

/// What a user can do mid-run; each calls one core operation.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalingAction {
    /// Launch one instance by hand (it warms up first).
    Add { lane: u32 },
    /// Drain an instance: the chosen one, or the least loaded.
    Remove { lane: u32, id: Option<u32> },
    /// Double the vertical machine (it is down while resized).
    ResizeUp { lane: u32 },
    /// Halve the vertical machine.
    ResizeDown { lane: u32 },
    /// Switch a horizontal lane's rule mid-run.
    SetMode { lane: u32, mode: ScalingMode },
    /// Change the load of every lane from the next tick.
    SetLoad { shape: Shape, peak: u32 },
}

impl Action<ScalingModel> for ScalingAction {
    fn apply(&self, m: &mut ScalingModel) -> Result<(), scalelab_core::Error> {
        let result: Result<(), ScalingError> = match *self {
            ScalingAction::Add { lane } => {
                m.lane_mut(lane).and_then(|s| s.add_instance().map(|_| ()))
            }
            ScalingAction::Remove { lane, id } => m.lane_mut(lane).and_then(|s| {
                // "Least loaded" asks the core's own pick; a vertical lane refuses either way.
                let id = id.or_else(|| s.fleet().least_loaded()).unwrap_or(0);
                s.remove_instance(id)
            }),
            ScalingAction::ResizeUp { lane } => m.lane_mut(lane).and_then(|s| s.resize_up()),
            ScalingAction::ResizeDown { lane } => m.lane_mut(lane).and_then(|s| s.resize_down()),
            ScalingAction::SetMode { lane, mode } => {
                m.lane_mut(lane).and_then(|s| s.set_mode(mode))
            }
            ScalingAction::SetLoad { shape, peak } => m.set_load(shape.process(peak)),
        };
        Ok(result?)
    }
}

pub struct ScalingScene;

fn encode(a: &ScalingAction) -> String {
    match a {
        ScalingAction::Add { lane } => format!("add.{lane}"),
        ScalingAction::Remove { lane, id: None } => format!("remove.{lane}"),
        ScalingAction::Remove { lane, id: Some(id) } => format!("remove.{lane}.{id}"),
        ScalingAction::ResizeUp { lane } => format!("up.{lane}"),
        ScalingAction::ResizeDown { lane } => format!("down.{lane}"),
        ScalingAction::SetMode { lane, mode } => format!("mode.{lane}.{}", build::mode_name(*mode)),
        ScalingAction::SetLoad { shape, peak } => format!("load.{}.{peak}", shape.name()),
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
            shape: Shape::parse(a?)?,
            peak: peak
                .parse::<u32>()
                .ok()
                .filter(|p| (build::MIN_RATE..=build::MAX_RATE).contains(&i64::from(*p)))?,
        },
        _ => return None,
    };
    Some(action)
}

const METRICS: &[&str] = &[
    "offered_rps",
    "capacity_rps",
    "served_rps",
    "dropped_rps",
    "p95_ms",
    "utilisation_pct",
    "ready_instances",
    "warming_instances",
    "cores",
    "cost_core_seconds",
    "lane2_capacity_rps",
    "lane2_served_rps",
    "lane2_dropped_rps",
    "lane2_p95_ms",
    "lane2_cores",
    "lane2_cost_core_seconds",
];

/// Column indices, for the charts.
pub mod col {
    pub const OFFERED: usize = 0;
    pub const CAPACITY: usize = 1;
    pub const SERVED: usize = 2;
    pub const DROPPED: usize = 3;
    pub const P95: usize = 4;
    pub const UTILISATION: usize = 5;
    pub const READY: usize = 6;
    pub const WARMING: usize = 7;
    pub const CORES: usize = 8;
    pub const COST: usize = 9;
    pub const L2_CAPACITY: usize = 10;
    pub const L2_SERVED: usize = 11;
    pub const L2_DROPPED: usize = 12;
    pub const L2_P95: usize = 13;
    pub const L2_CORES: usize = 14;
    pub const L2_COST: usize = 15;
}

fn lane_row(m: &ScalingModel, lane: u32) -> Option<[f64; 10]> {
    let sim = m.lane(lane)?;
    let t = m
        .readout(lane)
        .and_then(|r| r.last_tick)
        .unwrap_or_default();
    let s = sim.stats();
    Some([
        t.rate(t.offered),
        s.capacity_rps as f64,
        t.rate(t.served),
        t.rate(t.dropped),
        t.p95_us as f64 / 1_000.0,
        t.utilisation_pct,
        f64::from(s.ready),
        f64::from(s.warming),
        f64::from(s.cores),
        s.cost.core_seconds,
    ])
}

impl Scene for ScalingScene {
    type Model = ScalingModel;
    type Event = LaneEvent;
    type Action = ScalingAction;
    const ID: SceneId = SceneId::Scaling;
    const TITLE: &'static str = "Scaling";
    const BLURB: &'static str = "Load against capacity over time. Instances warm up before they serve; compare a \
        threshold autoscaler with the Kubernetes HPA rule, and scaling up with scaling out on \
        the same load.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<ScalingModel, scalelab_core::Error> {
        Ok(build_model(params, seed)?)
    }

    fn narrate(_model: &Self::Model, e: &LaneEvent) -> Option<String> {
        let said = match &e.event {
            ScalingEvent::Tick { .. } => return None,
            // The HPA confirms its count every sync period: not worth a sentence each time.
            ScalingEvent::Decision {
                current,
                desired,
                reason,
                ..
            } if current == desired && !matches!(reason, Reason::AtMax | Reason::AtMin) => {
                return None
            }
            other => other.narrate(),
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
            ScalingAction::SetMode { mode, .. } => format!("you switched the rule to {mode:?}"),
            ScalingAction::SetLoad { peak, .. } => {
                format!("you changed the load (peak {peak} req/s)")
            }
        }
    }

    fn metric_names() -> &'static [&'static str] {
        METRICS
    }

    fn metrics(m: &ScalingModel) -> Vec<f64> {
        let mut row = Vec::with_capacity(METRICS.len());
        row.extend(lane_row(m, 0).unwrap_or([f64::NAN; 10]));
        match lane_row(m, 1) {
            Some(l) => row.extend([l[1], l[2], l[3], l[4], l[8], l[9]]),
            None => row.extend([f64::NAN; 6]),
        }
        row
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        drawing::view(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::Model;

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
        for shape in Shape::ALL {
            v.push(ScalingAction::SetLoad { shape, peak: 5_400 });
        }
        v
    }

    #[test]
    fn actions_round_trip_through_the_url() {
        for a in all_actions() {
            let text = encode(&a);
            assert!(!text.contains(',') && !text.contains(':'), "{text}");
            assert_eq!(decode(&text), Some(a.clone()), "{text}");
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

    fn run(m: &mut ScalingModel, ticks: u64) -> Vec<LaneEvent> {
        let mut out = Vec::new();
        m.run_into(ticks, &mut out);
        out
    }

    /// The guide's bug, produced with the scene's own action: let the preset grow the fleet,
    /// remove instance_3 by hand, and the naive scale-in later asks for it by name.
    #[test]
    fn naive_mode_misses_a_scale_in_after_a_manual_removal() {
        let mut m = ScalingScene::build(&params(&[("mode", "threshold-naive")]), 42).unwrap();
        let mut ticks = 0;
        while m.lane(0).unwrap().fleet().active_count() < 5 && ticks < 600 {
            run(&mut m, 1);
            ticks += 1;
        }
        assert!(ticks < 600, "the preset should grow the fleet to 5");
        ScalingAction::Remove {
            lane: 0,
            id: Some(3),
        }
        .apply(&mut m)
        .unwrap();
        let events = run(&mut m, 1_200);
        let missed: Vec<&String> = events
            .iter()
            .filter_map(|e| match &e.event {
                ScalingEvent::ScaleInMissed { name, .. } => Some(name),
                _ => None,
            })
            .collect();
        assert_eq!(missed.first().map(|s| s.as_str()), Some("instance_3"));
        let r = m.readout(0).unwrap();
        assert!(r.last_missed.is_some() && r.missed_count >= 1);
        // The fixed rule, given the same action, never misses.
        let mut fixed = ScalingScene::build(&params(&[]), 42).unwrap();
        run(&mut fixed, ticks);
        ScalingAction::Remove {
            lane: 0,
            id: Some(3),
        }
        .apply(&mut fixed)
        .unwrap();
        let events = run(&mut fixed, 1_200);
        assert!(!events
            .iter()
            .any(|e| matches!(e.event, ScalingEvent::ScaleInMissed { .. })));
    }

    #[test]
    fn actions_reach_the_core_and_refuse_what_it_refuses() {
        let mut m = ScalingScene::build(&params(&[("mode", "manual")]), 1).unwrap();
        ScalingAction::Add { lane: 0 }.apply(&mut m).unwrap();
        assert_eq!(m.lane(0).unwrap().fleet().warming_count(), 1);
        ScalingAction::Remove { lane: 0, id: None }
            .apply(&mut m)
            .unwrap();
        assert!(ScalingAction::ResizeUp { lane: 0 }.apply(&mut m).is_err());
        assert!(ScalingAction::Add { lane: 1 }.apply(&mut m).is_err());
        ScalingAction::SetMode {
            lane: 0,
            mode: ScalingMode::Hpa,
        }
        .apply(&mut m)
        .unwrap();
        assert_eq!(m.lane(0).unwrap().mode(), ScalingMode::Hpa);

        let mut vh = ScalingScene::build(&params(&[("view", "compare-vh")]), 1).unwrap();
        assert_eq!(vh.lane_count(), 2);
        assert_eq!(vh.lane(0).unwrap().mode(), ScalingMode::Vertical);
        ScalingAction::ResizeUp { lane: 0 }.apply(&mut vh).unwrap();
        assert!(
            ScalingAction::ResizeUp { lane: 0 }.apply(&mut vh).is_err(),
            "resizing"
        );
        assert!(ScalingAction::Add { lane: 0 }.apply(&mut vh).is_err());
        ScalingAction::Add { lane: 1 }.apply(&mut vh).unwrap();
        ScalingAction::SetLoad {
            shape: Shape::Constant,
            peak: 100,
        }
        .apply(&mut vh)
        .unwrap();
        let events = run(&mut vh, 40);
        assert!(events
            .iter()
            .any(|e| e.lane == 0 && matches!(e.event, ScalingEvent::Resized { to_cores: 4, .. })));
        assert!(events
            .iter()
            .any(|e| e.lane == 1 && matches!(e.event, ScalingEvent::LoadChanged { .. })));
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

    #[test]
    fn metrics_have_one_value_per_column() {
        for view in ["single", "compare-vh", "compare-th"] {
            let mut m = ScalingScene::build(&params(&[("view", view)]), 3).unwrap();
            run(&mut m, 30);
            let row = ScalingScene::metrics(&m);
            assert_eq!(row.len(), METRICS.len());
            assert!(
                row[col::OFFERED] > 0.0 && row[col::CAPACITY] > 0.0,
                "{view}: {row:?}"
            );
            assert_eq!(row[col::L2_CAPACITY].is_nan(), view == "single");
        }
    }
}
