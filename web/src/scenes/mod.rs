//! The four scenes, one per pattern family, and the one interface the shell drives them by.

use crate::params::{ParamSpec, ParamValues};
use scalelab_core::timeline::Action;
use scalelab_core::Model;
use serde::Serialize;
use std::collections::VecDeque;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SceneId {
    Balancing,
    Caching,
    Sharding,
    Scaling,
}

impl SceneId {
    pub const ALL: [SceneId; 4] = [
        SceneId::Balancing,
        SceneId::Caching,
        SceneId::Sharding,
        SceneId::Scaling,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SceneId::Balancing => "balancing",
            SceneId::Caching => "caching",
            SceneId::Sharding => "sharding",
            SceneId::Scaling => "scaling",
        }
    }

    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|s| s.name()).collect()
    }

    pub fn parse(s: &str) -> Option<SceneId> {
        Self::ALL.into_iter().find(|id| id.name() == s.trim())
    }

    pub fn title(self) -> &'static str {
        match self {
            SceneId::Balancing => "Load balancing",
            SceneId::Caching => "Caching",
            SceneId::Sharding => "Sharding",
            SceneId::Scaling => "Scaling",
        }
    }

    /// What the scene teaches, in a sentence or two, for the landing page.
    pub fn blurb(self) -> &'static str {
        match self {
            SceneId::Balancing => {
                "Watch each request travel to the server a strategy picks. Kill or slow a server \
                 and see how long health checks take to notice; race strategies on identical \
                 traffic and compare their p99."
            }
            SceneId::Caching => {
                "An L1 cache in front of a shared L2 and the origin. See hits, misses and \
                 evictions with their reasons; compare true LRU with the FIFO that tutorials \
                 call LRU, and watch W-TinyLFU survive a scan."
            }
            SceneId::Sharding => {
                "Keys on a consistent-hash ring. Add a shard and count exactly which keys move \
                 under modulo, ring and jump hashing; rebalance step by step while reads go on."
            }
            SceneId::Scaling => {
                "Load against capacity over time. Instances warm up before they serve; compare \
                 a threshold autoscaler with the Kubernetes HPA rule, and scaling up with \
                 scaling out on the same load."
            }
        }
    }
}

/// What a scene view is given each frame.
pub struct SceneView<'a, S: Scene> {
    pub model: &'a S::Model,
    /// Recent events with the wall time (ms) they were shown at (newest last), for animation;
    /// an event's age is `now_ms - at`. Borrowed from the player, never copied per frame.
    pub recent: &'a VecDeque<(f64, <S::Model as Model>::Event)>,
    /// Wall time (ms) of this render.
    pub now_ms: f64,
    /// Sends a user action (kill a server, add a shard…) through the timeline.
    pub act: Callback<S::Action>,
    pub params: &'a ParamValues,
    pub reduced_motion: bool,
    /// Metric rows over time (oldest first), as [`Scene::metrics`] produced them. The same
    /// `Rc` is passed until a row changes, so charts given it skip re-rendering.
    pub series: &'a Rc<Vec<(f64, Vec<f64>)>>,
}

impl<'a, S: Scene> SceneView<'a, S> {
    /// Recent events with their age in ms (newest last), borrowed rather than cloned.
    pub fn aged(&self) -> Vec<(f64, &'a <S::Model as Model>::Event)> {
        let now = self.now_ms;
        self.recent.iter().map(|(at, e)| (now - at, e)).collect()
    }
}

/// A scene: its parameters, how to build its model, and how to draw it.
pub trait Scene: 'static {
    type Model: Model<Event = Self::Event> + 'static;
    type Event: Clone + std::fmt::Debug + Serialize + 'static;
    type Action: Action<Self::Model> + std::fmt::Debug + PartialEq + 'static;

    const ID: SceneId;

    fn specs() -> &'static [ParamSpec];

    fn build(params: &ParamValues, seed: u64) -> Result<Self::Model, scalelab_core::Error>;

    /// One sentence for the screen-reader narration, or `None` for events too minor to say.
    /// `model` is the state right after the step that emitted `event` (events carry positions,
    /// the model the names).
    fn narrate(model: &Self::Model, event: &Self::Event) -> Option<String>;

    /// Compact text for the URL (no `,`; `:` only inside the action's own syntax).
    fn encode_action(action: &Self::Action) -> String;
    fn decode_action(text: &str) -> Option<Self::Action>;

    /// A short phrase for the narration ("kill web-2"). Scenes may say it better; the default
    /// is the action as data.
    fn describe_action(action: &Self::Action) -> String {
        format!("{action:?}")
    }

    /// Names of the metric columns [`Scene::metrics`] returns, for charts and CSV export.
    fn metric_names() -> &'static [&'static str];
    fn metrics(model: &Self::Model) -> Vec<f64>;

    fn view(view: SceneView<'_, Self>) -> Html
    where
        Self: Sized;
}

/// The message a student sees for an error from `S`'s build or actions: word for word the
/// error's own `Display`. Matching on `S::ID` (a constant) rather than formatting the whole
/// [`scalelab_core::Error`] lets each page link only its own family's messages (and the shared
/// simulation ones) instead of all five families' texts and formatting code.
pub fn error_text<S: Scene>(error: &scalelab_core::Error) -> String {
    use scalelab_core::Error;
    match (S::ID, error) {
        (_, Error::Sim(e)) => e.to_string(),
        (SceneId::Balancing, Error::Balancing(e)) => e.to_string(),
        (SceneId::Caching, Error::Caching(e)) => e.to_string(),
        (SceneId::Sharding, Error::Sharding(e)) => e.to_string(),
        (SceneId::Scaling, Error::Scaling(e)) => e.to_string(),
        // A scene's model is one family's, so its build and actions return that family's
        // errors or the shared simulation ones; no scene reaches this arm (the test
        // `error_text_is_the_errors_display` checks each family against its scene).
        _ => "the simulation refused this".to_string(),
    }
}

pub mod balancing;
pub mod caching;
pub mod scaling;
pub mod sharding;

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults_build<S: Scene>() {
        let params = ParamValues::defaults(S::specs());
        for seed in [0, 42, u64::MAX] {
            assert!(
                S::build(&params, seed).is_ok(),
                "{}: defaults",
                S::ID.name()
            );
        }
    }

    /// Every number at one end of its range (choices at their defaults).
    fn at_ends<S: Scene>(largest: bool) -> ParamValues {
        use crate::params::{ParamKind, ParamValue};
        let mut v = ParamValues::defaults(S::specs());
        for spec in S::specs() {
            match spec.kind {
                ParamKind::Int { min, max, .. } => {
                    v.set(spec.key, ParamValue::Int(if largest { max } else { min }))
                }
                ParamKind::Float { min, max, .. } => {
                    v.set(spec.key, ParamValue::Float(if largest { max } else { min }))
                }
                ParamKind::Choice { .. } => {}
            }
        }
        v
    }

    /// Arithmetic on user-sized quantities: with overflow checks on (tests build with them),
    /// each scene builds and steps at the smallest and the largest settings a link may ask for.
    fn steps_at_ends<S: Scene>() {
        for largest in [false, true] {
            let end = if largest { "largest" } else { "smallest" };
            let mut m = S::build(&at_ends::<S>(largest), 3)
                .unwrap_or_else(|e| panic!("{} at its {end} settings: {e}", S::ID.name()));
            let mut events = Vec::new();
            for _ in 0..3_000 {
                events.clear();
                scalelab_core::Model::step_into(&mut m, &mut events);
            }
        }
    }

    #[test]
    fn every_scene_steps_at_its_smallest_and_largest_settings() {
        steps_at_ends::<balancing::BalancingScene>();
        steps_at_ends::<caching::CachingScene>();
        steps_at_ends::<sharding::ShardingScene>();
        steps_at_ends::<scaling::ScalingScene>();
    }

    /// The drawings write their sizes and coordinates with `Num` instead of `{}` (keeping Rust's
    /// float formatter out of the pages): the same text over the range they span (the two
    /// differ only below 1e-5 and from 1e16, where `Num` uses an exponent).
    #[test]
    fn num_writes_drawing_sizes_as_display_does() {
        use scalelab_core::num_text::Num;
        for i in 0..=20_000 {
            let v = f64::from(i);
            assert_eq!(Num(v).to_string(), format!("{v}"));
            // Layout arithmetic gives fractions too (rows of a third, a seventh…).
            for u in [v / 2.0, v / 3.0, v / 7.0, v * 0.1 - 3.0] {
                assert_eq!(Num(u).to_string(), format!("{u}"));
            }
        }
    }

    /// Each scene's messages are its errors' own `Display`, word for word.
    #[test]
    fn error_text_is_the_errors_display() {
        use scalelab_core::{self as core, Error};
        fn same<S: Scene>(e: Error) {
            assert_eq!(error_text::<S>(&e), e.to_string(), "{}", S::ID.name());
        }
        let sim = || core::sim::SimError::NotPositive {
            field: "rate",
            value: -1.5,
        };
        same::<balancing::BalancingScene>(Error::Sim(sim()));
        same::<balancing::BalancingScene>(core::balancing::BalancingError::NoServers.into());
        same::<caching::CachingScene>(Error::Sim(sim()));
        same::<caching::CachingScene>(
            core::caching::CachingError::ZeroCapacity { field: "L1" }.into(),
        );
        same::<sharding::ShardingScene>(Error::Sim(sim()));
        same::<sharding::ShardingScene>(core::sharding::ShardingError::NoVirtualNodes.into());
        same::<scaling::ScalingScene>(Error::Sim(sim()));
        same::<scaling::ScalingScene>(core::scaling::ScalingError::UnknownLane { lane: 3 }.into());
    }

    /// The player relies on this when a link's settings cannot run together.
    #[test]
    fn every_scene_builds_from_its_defaults() {
        defaults_build::<balancing::BalancingScene>();
        defaults_build::<caching::CachingScene>();
        defaults_build::<sharding::ShardingScene>();
        defaults_build::<scaling::ScalingScene>();
    }
}
