//! The scenes, one per pattern family and one of the whole system, and the one interface the shell drives them by.

use crate::components::inspector::Inspection;
use crate::components::memo::Keep;
use crate::params::{ParamSpec, ParamValues};
use scalelab_core::readouts::Readouts;
use scalelab_core::timeline::Action;
use scalelab_core::{Metrics, Model};
use serde::Serialize;
use std::collections::VecDeque;
use std::rc::Rc;
use yew::prelude::*;

/// Declares [`SceneId`] and [`with_scene`] from one list of the scenes.
macro_rules! scenes {
    ($($id:ident => $module:ident::$scene:ident,)*) => {
        /// A scene, as a link names it (`?scene=<name>`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum SceneId {
            $(
                #[doc = concat!("`scene=", stringify!($module), "`: [`", stringify!($module), "::", stringify!($scene), "`].")]
                $id,
            )*
        }

        impl SceneId {
            /// Every scene, in the order the site lists them.
            pub const ALL: &'static [SceneId] = &[$(SceneId::$id,)*];

            /// The name a link uses (`scene=<name>`), which is also the scene's folder under
            /// `web/src/scenes/` and its bundle's (`scene-<name>`).
            pub fn name(self) -> &'static str {
                match self {
                    $(SceneId::$id => stringify!($module),)*
                }
            }

            /// The heading a student sees.
            pub fn title(self) -> &'static str {
                match self {
                    $(SceneId::$id => <$module::$scene as Scene>::TITLE,)*
                }
            }

            /// The speed the scene starts at ([`Scene::SPEED`]).
            pub fn speed(self) -> f64 {
                match self {
                    $(SceneId::$id => <$module::$scene as Scene>::SPEED,)*
                }
            }

            /// What the scene teaches, in a sentence or two, for the landing page.
            pub fn blurb(self) -> &'static str {
                match self {
                    $(SceneId::$id => <$module::$scene as Scene>::BLURB,)*
                }
            }
        }

        /// Runs `f` with the scene type `id` names. This links every scene's code, so it serves
        /// the tests, the fuzz targets and what checks input against all scenes; a page's bundle
        /// names its one scene's type instead (`web/src/bin/`).
        pub fn with_scene<F: SceneFn>(id: SceneId, f: F) -> F::Output {
            match id {
                $(SceneId::$id => f.call::<$module::$scene>(),)*
            }
        }
    };
}

// Each scene's module, declared outside the macro so that `cargo fmt` reaches its files
// (rustfmt does not look inside macro calls).
pub mod balancing;
pub mod caching;
pub mod scaling;
pub mod sharding;
pub mod system;

// The one list of scenes. A new scene is a folder under `scenes/` (its `Scene` impl, its
// `pub mod` line above) and one line here; `registry_tests` below then names every file that
// must also list it (the page's bundle in `web/src/bin/`, its `<link>` and the loader's list
// in index.html).
scenes! {
    Balancing => balancing::BalancingScene,
    Caching => caching::CachingScene,
    Sharding => sharding::ShardingScene,
    Scaling => scaling::ScalingScene,
    System => system::SystemScene,
}

impl SceneId {
    /// Every scene's name, in [`SceneId::ALL`]'s order.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|s| s.name()).collect()
    }

    /// The scene a link's `scene=` value names, if any.
    pub fn parse(s: &str) -> Option<SceneId> {
        Self::ALL.iter().copied().find(|id| id.name() == s.trim())
    }
}

/// Something done with a scene's type, chosen at run time by [`with_scene`].
pub trait SceneFn {
    /// What it gives back.
    type Output;
    /// Does it for scene `S`.
    fn call<S: Scene>(self) -> Self::Output;
}

/// What a scene view is given each frame.
pub struct SceneView<'a, S: Scene> {
    pub model: &'a S::Model,
    /// Recent events with the time (ms of the drawing's clock) they were shown at (newest last), for animation;
    /// an event's age is `now_ms - at`. Borrowed from the player, never copied per frame.
    pub recent: &'a VecDeque<(f64, <S::Model as Model>::Event)>,
    /// The drawing's clock (ms) at this render: wall time, run at the speed's pace while
    /// playing (see [`crate::player::PlayerState::drawing_ms`]).
    pub now_ms: f64,
    /// Sends a user action (kill a server, add a shard…) through the timeline.
    pub act: Callback<S::Action>,
    pub params: &'a ParamValues,
    pub reduced_motion: bool,
    /// Metric rows over time (oldest first), as [`Scene::metrics`] produced them. The same
    /// `Rc` is passed until a row changes, so charts given it skip re-rendering.
    pub series: &'a Rc<Vec<(f64, Vec<f64>)>>,
    /// What the student selected in the drawing, shown in the inspector.
    pub focus: Option<S::Focus>,
    /// Selects an item (`None` deselects); the drawing calls it on click and on Enter/Space.
    pub on_focus: Callback<Option<S::Focus>>,
    /// The page's parts kept between frames: a part drawn from the model, the settings and
    /// the selection alone is drawn again only when they changed.
    pub keep: Keep<'a>,
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
    /// The core model, whose [`Metrics`] are the charts' and the exports' series.
    type Model: Model<Event = Self::Event> + Metrics + Readouts + 'static;
    type Event: Clone + std::fmt::Debug + Serialize + 'static;
    type Action: Action<Self::Model> + std::fmt::Debug + PartialEq + 'static;

    const ID: SceneId;
    /// The heading a student sees.
    const TITLE: &'static str;
    /// The speed a student starts at, in simulated seconds per second (a rung of
    /// [`crate::player::RUNGS`]): chosen so the first ten seconds of play show single events
    /// one by one and the charts' first trend.
    const SPEED: f64;
    /// The simulated time (ms) the scene's standard motion stands for: a dot's trip or a
    /// flash takes as long on screen as this much simulated time takes at the speed.
    const MOTION_SIM_MS: f64;
    /// What the scene teaches, in a sentence or two, for the landing page.
    const BLURB: &'static str;

    /// What a student can select in the drawing to see its state (a server, a cache key, a
    /// shard, an instance).
    type Focus: Copy + PartialEq + std::fmt::Debug + 'static;

    fn specs() -> &'static [ParamSpec];

    fn build(params: &ParamValues, seed: u64) -> Result<Self::Model, scalelab_core::Error>;

    /// One sentence for the screen-reader narration, or `None` for events too minor to say.
    /// `model` is the state right after the step that emitted `event` (events carry positions,
    /// the model the names).
    fn narrate(model: &Self::Model, event: &Self::Event) -> Option<String>;

    /// The inspector's content: the model's last decision in full, and `focus`'s state (none
    /// when it no longer exists, e.g. a removed server).
    fn inspect(model: &Self::Model, focus: Option<Self::Focus>) -> Inspection;

    /// Compact text for the URL (no `,`; `:` only inside the action's own syntax).
    fn encode_action(action: &Self::Action) -> String;
    fn decode_action(text: &str) -> Option<Self::Action>;

    /// A short phrase for the narration ("you killed server 2").
    fn describe_action(action: &Self::Action) -> String;

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
        (SceneId::System, Error::System(e)) => e.to_string(),
        // A scene's model is one family's, so its build and actions return that family's
        // errors or the shared simulation ones; no scene reaches this arm (the test
        // `error_text_is_the_errors_display` checks each family against its scene).
        _ => "the simulation refused this".to_string(),
    }
}

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
        struct StepsAtEnds;
        impl SceneFn for StepsAtEnds {
            type Output = ();
            fn call<S: Scene>(self) {
                steps_at_ends::<S>()
            }
        }
        for id in SceneId::ALL {
            with_scene(*id, StepsAtEnds);
        }
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
        struct DefaultsBuild;
        impl SceneFn for DefaultsBuild {
            type Output = ();
            fn call<S: Scene>(self) {
                defaults_build::<S>()
            }
        }
        for id in SceneId::ALL {
            with_scene(*id, DefaultsBuild);
        }
    }

    /// `with_scene` gives each id its own scene, and names and titles are distinct.
    #[test]
    fn the_registry_is_consistent() {
        struct Id;
        impl SceneFn for Id {
            type Output = SceneId;
            fn call<S: Scene>(self) -> SceneId {
                S::ID
            }
        }
        for id in SceneId::ALL {
            assert_eq!(with_scene(*id, Id), *id);
            assert_eq!(SceneId::parse(id.name()), Some(*id));
            assert!(!id.title().is_empty() && !id.blurb().is_empty());
        }
        let mut names = SceneId::names();
        names.dedup();
        assert_eq!(names.len(), SceneId::ALL.len());
    }
}

/// The files that must name every scene too, checked against the registry: each names exactly
/// the registry's scenes, and a failure says what to add where.
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod registry_tests {
    use super::SceneId;
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Each scene has its page's bundle, `web/src/bin/scene-<name>.rs`, mounting that scene.
    #[test]
    fn every_scene_has_a_bundle() {
        let mut bins: Vec<String> = std::fs::read_dir(root().join("src/bin"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|f| Some(f.strip_prefix("scene-")?.strip_suffix(".rs")?.to_string()))
            .collect();
        bins.sort();
        let mut names = SceneId::names();
        names.sort();
        assert_eq!(
            bins, names,
            "web/src/bin/ must hold scene-<name>.rs for each scene, as the others do"
        );
        for id in SceneId::ALL {
            let bin = read(&root().join(format!("src/bin/scene-{}.rs", id.name())));
            assert!(
                bin.contains(&format!("scenes::{}::", id.name())),
                "web/src/bin/scene-{}.rs must mount its own scene",
                id.name()
            );
        }
    }

    /// index.html has one trunk `<link>` per scene bundle, and no other.
    #[test]
    fn index_html_builds_every_bundle() {
        let html = read(&root().join("../index.html"));
        let mut linked: Vec<&str> = html
            .split("data-bin=\"scene-")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        linked.sort();
        let mut names = SceneId::names();
        names.sort();
        assert_eq!(
            linked, names,
            "index.html needs a <link data-trunk rel=\"rust\" data-bin=\"scene-<name>\" data-type=\"worker\" …> per scene, as the others have"
        );
    }

    /// The loader starts only bundles of scenes the registry has, and every one of them.
    #[test]
    fn the_loader_knows_every_scene() {
        let js = read(&root().join("../index.html"));
        let list = js
            .split("const SCENES = [")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .expect("the loader in index.html declares `const SCENES = [...]`");
        let listed: Vec<&str> = list
            .split(',')
            .map(|s| s.trim().trim_matches('"'))
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(
            listed,
            SceneId::names(),
            "the loader's SCENES (index.html) must list the registry's scenes in its order"
        );
    }
}
