//! Property tests: every valid state survives its encodings. A link (`to_query` →
//! `parse_query`), a scenario file (export shape → `scenario::import`) and a parent page's
//! message (`ParentCommand::to_json` → `parse_message`) each read back exactly what was
//! written, with no problem reported.
#![cfg(not(target_arch = "wasm32"))]
// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_web::embed_msg::{self, ParentCommand};
use scalelab_web::input::MAX_STEP;
use scalelab_web::params::{ParamKind, ParamSpec, ParamValue};
use scalelab_web::player;
use scalelab_web::scenario;
use scalelab_web::scenes::{balancing, caching, scaling, sharding, system, Scene, SceneId};
use scalelab_web::url_state::{parse_query, to_query, UrlState};
use std::collections::BTreeMap;

/// A valid encoded value of `spec`, chosen by `r`.
fn valid_value(spec: &ParamSpec, r: u64) -> String {
    match spec.kind {
        ParamKind::Int { min, max, .. } => {
            let span = (max - min) as u64 + 1;
            ParamValue::Int(min + (r % span) as i64).encode()
        }
        ParamKind::Float { min, max, .. } => {
            let v = match r % 4 {
                0 => min,
                1 => max,
                _ => min + (r as f64 / u64::MAX as f64) * (max - min),
            };
            ParamValue::Float(v.clamp(min, max)).encode()
        }
        ParamKind::Choice { options, .. } => {
            options[(r % options.len() as u64) as usize].0.to_string()
        }
    }
}

/// Words an action of `S` may be made of: its operations, every choice of its settings, and
/// a few that actions name.
fn vocabulary<S: Scene>() -> Vec<String> {
    let mut words: Vec<String> = [
        "add",
        "remove",
        "rm",
        "kill",
        "revive",
        "slow",
        "errors",
        "switch",
        "rebal",
        "qr",
        "qp",
        "qk",
        "warm",
        "stampede",
        "flush",
        "clear",
        "crash",
        "policy",
        "workload",
        "write",
        "coalesce",
        "resize",
        "up",
        "down",
        "mode",
        "load",
        "on",
        "off",
        "write-behind",
        "web-9",
        "hot",
        "slowshard",
        "spike",
    ]
    .iter()
    .map(|w| w.to_string())
    .collect();
    for spec in S::specs() {
        if let ParamKind::Choice { options, .. } = spec.kind {
            words.extend(options.iter().map(|(v, _)| v.to_string()));
        }
    }
    words
}

/// One part of an action's text: a word, a small number, or any number.
fn part(words: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(words),
        2 => (0u64..12).prop_map(|n| n.to_string()),
        1 => (0u64..100_000).prop_map(|n| n.to_string()),
        1 => (0.0f64..10.0).prop_map(|v| format!("{v}")),
    ]
}

/// A valid encoded action log of `S`: random texts, kept where the scene decodes them, and
/// written back with its encoder (whose output must decode to the same action).
fn ops<S: Scene>() -> impl Strategy<Value = String> {
    let words = vocabulary::<S>();
    let op = proptest::sample::select(words.clone());
    let action = (op, proptest::collection::vec(part(words), 0..3)).prop_map(|(op, args)| {
        std::iter::once(op)
            .chain(args)
            .collect::<Vec<_>>()
            .join(".")
    });
    proptest::collection::vec((0..=MAX_STEP, action), 0..24).prop_map(|items| {
        let mut out = Vec::new();
        for (step, text) in items {
            if let Some(a) = S::decode_action(&text) {
                let encoded = S::encode_action(&a);
                assert_eq!(S::decode_action(&encoded).as_ref(), Some(&a), "{text}");
                out.push(format!("{step}:{encoded}"));
            }
        }
        out.join(",")
    })
}

/// Valid settings of `S`: each spec present or not, with a valid value.
fn params<S: Scene>() -> impl Strategy<Value = BTreeMap<String, String>> {
    let specs = S::specs();
    proptest::collection::vec(any::<(bool, u64)>(), specs.len()).prop_map(move |picks| {
        specs
            .iter()
            .zip(picks)
            .filter(|(_, (keep, _))| *keep)
            .map(|(spec, (_, r))| (spec.key.to_string(), valid_value(spec, r)))
            .collect()
    })
}

/// An origin as browsers write it.
fn origin() -> impl Strategy<Value = String> {
    let label = "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?";
    (
        prop::bool::ANY,
        proptest::collection::vec(label, 1..4),
        prop::option::of(1u32..=65_535),
    )
        .prop_filter_map("default port", |(https, labels, port)| {
            let (scheme, default) = if https { ("https", 443) } else { ("http", 80) };
            if port == Some(default) {
                return None;
            }
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            Some(format!("{scheme}://{}{port}", labels.join(".")))
        })
}

/// A valid state of `S`'s scene.
fn state_of<S: Scene>() -> impl Strategy<Value = UrlState> {
    (
        any::<u64>(),
        0..=MAX_STEP,
        params::<S>(),
        ops::<S>(),
        prop::bool::ANY,
        prop::option::of(prop_oneof![Just("light"), Just("dark")]),
        prop::option::of(origin()),
        prop::option::of(prop_oneof![
            "[a-z0-9-]{1,48}",
            "[a-zA-Z0-9_-]{1,20}(/[a-zA-Z0-9_-]{1,20}){0,3}\\.json"
        ]),
        0..=scalelab_web::url_state::MAX_LESSON_STEP,
        prop::option::of(0..=scalelab_web::player::MAX_SPEED),
    )
        .prop_map(
            |(seed, step, params, ops, embed, theme, parent, lesson, at, speed)| UrlState {
                scene: Some(S::ID),
                embed,
                seed,
                step,
                params: params.into_iter().collect(),
                ops,
                theme: theme.map(str::to_string),
                parent,
                lesson,
                at,
                speed,
            },
        )
}

fn any_state() -> impl Strategy<Value = UrlState> {
    prop_oneof![
        state_of::<balancing::BalancingScene>(),
        state_of::<caching::CachingScene>(),
        state_of::<sharding::ShardingScene>(),
        state_of::<scaling::ScalingScene>(),
        state_of::<system::SystemScene>(),
    ]
}

/// The generated actions all decode (checked through the player's own decoder).
fn ops_decode(state: &UrlState) -> bool {
    let unreadable = match state.scene {
        Some(SceneId::Balancing) => {
            player::decode_ops::<balancing::BalancingScene>(&state.ops).unreadable
        }
        Some(SceneId::Caching) => {
            player::decode_ops::<caching::CachingScene>(&state.ops).unreadable
        }
        Some(SceneId::Sharding) => {
            player::decode_ops::<sharding::ShardingScene>(&state.ops).unreadable
        }
        Some(SceneId::Scaling) => {
            player::decode_ops::<scaling::ScalingScene>(&state.ops).unreadable
        }
        Some(SceneId::System) => player::decode_ops::<system::SystemScene>(&state.ops).unreadable,
        None => Vec::new(),
    };
    unreadable.is_empty()
}

proptest! {
    #[test]
    fn a_link_reads_back_what_was_written(state in any_state()) {
        prop_assert!(ops_decode(&state));
        let query = to_query(&state, &scenario::param_pairs(&state.params));
        let (back, problems) = parse_query(&query);
        prop_assert!(problems.is_empty(), "{}: {:?}", query, problems);
        prop_assert_eq!(back, state);
    }

    #[test]
    fn a_scenario_reads_back_what_was_exported(state in any_state(), trace in any::<bool>()) {
        // The export's shape: the state's fields, plus a trace and series that are skipped.
        let mut doc: serde_json::Value =
            serde_json::from_str(&scenario::to_json(&state, &scenario::param_pairs(&state.params)))
                .expect("to_json writes JSON");
        if trace {
            doc["metric_columns"] = serde_json::json!(["time_s", "p99_ms"]);
            doc["metrics"] = serde_json::json!([[0.0, 1.5], [0.1, 2.5]]);
            doc["events"] = serde_json::json!([{"step": 1, "event": {"Routed": {"server": 0}}}]);
        }
        let back = scenario::import(&serde_json::to_string_pretty(&doc).expect("json"));
        // A scenario carries the run, not how the page shows it or the lesson around it; the
        // scene's own speed is the one a link leaves out.
        let own = state.scene.map(|s| scalelab_web::player::rung_of(s.speed()));
        let speed = state.speed.filter(|r| Some(*r) != own);
        let want = UrlState { embed: false, theme: None, parent: None, lesson: None, at: 0, speed, ..state };
        prop_assert_eq!(back, Ok(want));
    }

    #[test]
    fn a_parent_command_reads_back(pick in 0u8..6, step in 0..=MAX_STEP) {
        let cmd = match pick {
            0 => ParentCommand::Play,
            1 => ParentCommand::Pause,
            2 => ParentCommand::Step,
            3 => ParentCommand::Back,
            4 => ParentCommand::Reset,
            _ => ParentCommand::Seek(step),
        };
        prop_assert_eq!(embed_msg::parse_message(&cmd.to_json()), Ok(cmd));
        // As a parent page would write it by hand: other key order, spaces.
        let hand = match cmd {
            ParentCommand::Seek(s) => format!(
                "{{ \"step\": {s}, \"command\": \"seek\", \"type\": \"scalelab:command\" }}"
            ),
            c => format!("{{ \"command\": \"{}\", \"type\": \"scalelab:command\" }}", c.name()),
        };
        prop_assert_eq!(embed_msg::parse_message(&hand), Ok(cmd));
    }

    #[test]
    fn only_the_configured_origin_is_accepted(a in origin(), b in origin()) {
        prop_assert!(embed_msg::check_origin(&a).is_ok(), "{}", a);
        prop_assert!(embed_msg::accept_origin(Some(&a), &a));
        prop_assert_eq!(embed_msg::accept_origin(Some(&a), &b), a == b);
        prop_assert!(!embed_msg::accept_origin(None, &a));
    }
}

/// The action generator is not vacuous: each scene decodes some of its vocabulary.
#[test]
fn every_scene_has_decodable_actions() {
    fn count<S: Scene>(samples: &[&str]) -> usize {
        samples
            .iter()
            .filter(|t| S::decode_action(t).is_some())
            .count()
    }
    assert!(count::<balancing::BalancingScene>(&["kill.1", "slow.0.2", "add.web-9"]) == 3);
    assert!(count::<caching::CachingScene>(&["warm.10", "flush", "coalesce.on"]) == 3);
    assert!(count::<sharding::ShardingScene>(&["add", "rm.1", "qk.5"]) == 3);
    assert!(count::<scaling::ScalingScene>(&["add.0", "up.0", "remove.0.3"]) == 3);
}
