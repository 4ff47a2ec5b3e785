//! Importing a scenario: a JSON file, such as the one the JSON export writes
//! ([`crate::export::to_json`]), read back into the [`UrlState`] a link would give.
//!
//! # The accepted document
//!
//! ```json
//! {
//!   "scene": "sharding",
//!   "seed": 42,
//!   "params": { "shards": "6", "router": "jump" },
//!   "ops": "10:add,20:rm.1",
//!   "step": 300,
//!   "speed": "0.02"
//! }
//! ```
//!
//! - `scene` (required): one of the scene names;
//! - `seed`: a whole number from 0 to 2⁶⁴−1 (default [`DEFAULT_SEED`]);
//! - `params`: the scene's settings, each a string or a number, range-checked exactly as in a
//!   link ([`ParamValues::resolve`]); a key the scene does not have is an error;
//! - `ops`: the action log as a link writes it (`step:action`, comma-separated), decoded by
//!   the scene ([`crate::player::decode_ops`]), at most [`MAX_OPS`] actions;
//! - `step`: a whole number from 0 to [`MAX_STEP`] (default 0);
//! - `speed`: how fast it plays, a rung of the speed ladder as a link writes it (`0.02`,
//!   `20`, `max`; default: the scene's own).
//!
//! Any other key (an export's `events`, `metrics`, `metric_columns`) is skipped unread. The
//! file is at most [`MAX_SCENARIO_BYTES`], checked before it is parsed. Unlike a link, which
//! runs on defaults where a part is wrong, an import is all or nothing: any problem rejects
//! the file, and every problem found is reported.

use crate::input::{clip, InputProblem, MAX_STEP};
use crate::json_in::{self, shown, Value};
use crate::json_out::scenario_fields;
use crate::params::{ParamValues, RawParams};
use crate::player::{decode_ops, DecodedOps, MAX_OPS};
use crate::scenes::{with_scene, Scene, SceneFn, SceneId};
use crate::url_state::{UrlState, DEFAULT_SEED};
use miniserde::de::{Deserialize, Map, Visitor};

/// Largest scenario file read (32 MiB). A full JSON export (its trace holds 20 000 events,
/// pretty printed) is up to about 10 MB; the `a_full_export_fits` test keeps it under half
/// of this. The page should check the file's size before reading it.
pub const MAX_SCENARIO_BYTES: usize = 32 * 1024 * 1024;

/// Why a scenario file was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioError {
    /// Larger than [`MAX_SCENARIO_BYTES`]; not read.
    TooLarge { bytes: usize },
    /// Not a JSON object, or an ambiguous one (a field given twice): `detail` says which.
    NotJson { detail: String },
    /// A JSON object, but with these fields missing, of the wrong type or out of range.
    Invalid(Vec<InputProblem>),
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioError::TooLarge { bytes } => write!(
                f,
                "The scenario file is {bytes} bytes; at most {MAX_SCENARIO_BYTES} bytes \
                 ({} MiB) are read.",
                MAX_SCENARIO_BYTES / (1024 * 1024)
            ),
            ScenarioError::NotJson { detail } => write!(
                f,
                "The scenario file is not a JSON object like the JSON export ({detail})."
            ),
            ScenarioError::Invalid(problems) => {
                write!(f, "The scenario file was not imported:")?;
                for p in problems {
                    write!(f, " {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

/// The fields read; anything else in the document is skipped without being kept.
/// A field given as `null` is `Some(Value::Null)`, an error, not a missing field.
#[derive(Default)]
struct Doc {
    scene: Option<Value>,
    seed: Option<Value>,
    params: Option<Value>,
    ops: Option<Value>,
    step: Option<Value>,
    speed: Option<Value>,
    /// The first of these fields that appeared twice: the file is ambiguous, so refused.
    duplicate: Option<&'static str>,
}

impl Deserialize for Doc {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        miniserde::make_place!(Place);
        impl Visitor for Place<Doc> {
            // Only an object is a scenario: every other JSON value is refused by the
            // visitor's defaults.
            fn map(&mut self) -> miniserde::Result<Box<dyn Map + '_>> {
                Ok(Box::new(DocFields {
                    out: &mut self.out,
                    doc: <Doc as Default>::default(),
                }))
            }
        }
        Place::new(out)
    }
}

/// Fills a [`Doc`] from an object's fields, in document order.
struct DocFields<'a> {
    out: &'a mut Option<Doc>,
    doc: Doc,
}

impl Map for DocFields<'_> {
    fn key(&mut self, k: &str) -> miniserde::Result<&mut dyn Visitor> {
        let (name, slot) = match k {
            "scene" => ("scene", &mut self.doc.scene),
            "seed" => ("seed", &mut self.doc.seed),
            "params" => ("params", &mut self.doc.params),
            "ops" => ("ops", &mut self.doc.ops),
            "step" => ("step", &mut self.doc.step),
            "speed" => ("speed", &mut self.doc.speed),
            _ => return Ok(<dyn Visitor>::ignore()),
        };
        if slot.is_some() {
            self.doc.duplicate.get_or_insert(name);
            return Ok(<dyn Visitor>::ignore());
        }
        Ok(Value::begin(slot))
    }

    fn finish(&mut self) -> miniserde::Result<()> {
        *self.out = Some(std::mem::take(&mut self.doc));
        Ok(())
    }
}

fn problem(param: &str, given: &Value, accepted: impl Into<String>) -> InputProblem {
    InputProblem {
        param: param.into(),
        given: shown(given),
        accepted: accepted.into(),
    }
}

/// A whole number from JSON (not a float, not a string), at most `max`.
fn whole(
    param: &str,
    v: Option<&Value>,
    default: u64,
    max: u64,
    problems: &mut Vec<InputProblem>,
) -> u64 {
    match v {
        None => default,
        Some(v) => match json_in::whole(v) {
            Some(n) if n <= max => n,
            _ => {
                problems.push(problem(param, v, format!("a whole number from 0 to {max}")));
                default
            }
        },
    }
}

/// Reads a scenario document (see the module documentation) into the state a link with the
/// same scene, seed, settings, actions and step would give, checked by its scene.
pub fn import(text: &str) -> Result<UrlState, ScenarioError> {
    let (state, mut problems) = read(text)?;
    struct Check<'a>(&'a UrlState);
    impl SceneFn for Check<'_> {
        type Output = Vec<InputProblem>;
        fn call<S: Scene>(self) -> Vec<InputProblem> {
            check::<S>(self.0)
        }
    }
    if let Some(id) = state.scene {
        problems.extend(with_scene(id, Check(&state)));
    }
    verdict(state, problems)
}

/// What opening a scenario file on a page gives: the link to open (a query with its leading
/// `?`), keeping how the page was opened (`page_query`'s embedding, parent origin and theme
/// when the file names none), or every problem that refused the file, in one sentence.
/// The files bundle runs this (`src/bin/files.rs`), so no page carries the scenario reader.
pub fn open(text: &str, page_query: &str) -> Result<String, String> {
    let mut url = import(text).map_err(|e| e.to_string())?;
    let (page, _problems) = crate::url_state::parse_query(page_query);
    url.embed = page.embed;
    url.parent = page.parent;
    url.theme = url.theme.or(page.theme);
    Ok(crate::url_state::to_query(&url, &param_pairs(&url.params)))
}

fn verdict(state: UrlState, problems: Vec<InputProblem>) -> Result<UrlState, ScenarioError> {
    if problems.is_empty() {
        Ok(state)
    } else {
        Err(ScenarioError::Invalid(problems))
    }
}

/// The document's shape, seed, step, settings (as text) and actions (as text), before any
/// scene looks at them, with the problems found so far (a wrong scene name is reported alone).
fn read(text: &str) -> Result<(UrlState, Vec<InputProblem>), ScenarioError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(ScenarioError::TooLarge { bytes: text.len() });
    }
    // serde would also read a struct from an array of its fields: only an object is a scenario.
    if !text.trim_start().starts_with('{') {
        return Err(ScenarioError::NotJson {
            detail: "it does not start with {".into(),
        });
    }
    let doc: Doc = miniserde::json::from_str(text).map_err(|_| ScenarioError::NotJson {
        detail: "it is not valid JSON".into(),
    })?;
    if let Some(field) = doc.duplicate {
        return Err(ScenarioError::NotJson {
            detail: format!("it gives \"{field}\" twice"),
        });
    }
    let mut problems = Vec::new();
    let scenes = format!("one of {}", SceneId::names().join(", "));
    let scene = match &doc.scene {
        Some(Value::String(s)) => SceneId::parse(s),
        _ => None,
    };
    let Some(scene) = scene else {
        let given = doc.scene.unwrap_or(Value::String("nothing".into()));
        return Err(ScenarioError::Invalid(vec![problem(
            "scene", &given, scenes,
        )]));
    };
    let mut state = UrlState::new(scene);
    state.seed = whole(
        "seed",
        doc.seed.as_ref(),
        DEFAULT_SEED,
        u64::MAX,
        &mut problems,
    );
    state.step = whole("step", doc.step.as_ref(), 0, MAX_STEP, &mut problems);
    let speed = match &doc.speed {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(json_in::number_text(n)),
        Some(other) => {
            problems.push(problem("speed", other, "max or a rate such as 0.02 or 20"));
            None
        }
    };
    if let Some(text) = speed {
        match crate::player::parse_speed(&text) {
            // The scene's own speed is left out, as the page's own links leave it out: the
            // link opened is then the one the page writes back, not a second spelling of it.
            Ok(rung) if rung == crate::player::rung_of(scene.speed()) => {}
            Ok(rung) => state.speed = Some(rung),
            Err(p) => problems.push(p),
        }
    }
    match &doc.params {
        None => {}
        Some(Value::Object(map)) => {
            for (k, v) in map {
                match v {
                    Value::String(s) => {
                        state.params.insert(k.clone(), s.clone());
                    }
                    Value::Number(n) => {
                        state.params.insert(k.clone(), json_in::number_text(n));
                    }
                    other => problems.push(problem(&clip(k), other, "a string or a number")),
                }
            }
        }
        Some(other) => problems.push(problem(
            "params",
            other,
            "an object of settings, such as {\"servers\": \"4\"}",
        )),
    }
    match &doc.ops {
        None => {}
        Some(Value::String(s)) => state.ops = s.clone(),
        Some(other) => problems.push(problem(
            "ops",
            other,
            "the actions as a string, such as \"10:add,20:rm.1\"",
        )),
    }
    Ok((state, problems))
}

/// The scene's own checks, the same a link goes through: settings against its specs (and no
/// setting it does not have), actions through its decoder.
fn check<S: Scene>(state: &UrlState) -> Vec<InputProblem> {
    let specs = S::specs();
    let mut problems = Vec::new();
    for (k, v) in &state.params {
        if !specs.iter().any(|s| s.key == k) {
            let keys: Vec<&str> = specs.iter().map(|s| s.key).collect();
            problems.push(InputProblem {
                param: clip(k),
                given: clip(v),
                accepted: format!(
                    "no such setting in the {} scene; its settings are {}",
                    S::ID.name(),
                    keys.join(", ")
                ),
            });
        }
    }
    let (_, param_problems) = ParamValues::resolve(specs, &state.params);
    problems.extend(param_problems);
    let DecodedOps {
        unreadable,
        skipped,
        ..
    } = decode_ops::<S>(&state.ops);
    let accepted = format!(
        "step:action, with a step from 0 to {MAX_STEP} and an action of the {} scene",
        S::ID.name()
    );
    problems.extend(unreadable.into_iter().map(|item| InputProblem {
        param: "ops".into(),
        given: item,
        accepted: accepted.clone(),
    }));
    if skipped > 0 {
        problems.push(InputProblem {
            param: "ops".into(),
            given: format!("{} actions", MAX_OPS + skipped),
            accepted: format!("at most {MAX_OPS} actions"),
        });
    }
    problems
}

/// The scenario document for a state (what the JSON export writes, without its trace):
/// `params` are written in the order given.
pub fn to_json(state: &UrlState, params: &[(&str, String)]) -> String {
    format!(
        "{{{}}}",
        scenario_fields(
            state.scene,
            state.seed,
            params,
            &state.ops,
            state.step,
            state.speed,
            ","
        )
    )
}

/// `(key, value)` pairs of a raw parameter map, for [`to_json`] and
/// [`crate::url_state::to_query`].
pub fn param_pairs(params: &RawParams) -> Vec<(&str, String)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export;
    use crate::player::PlayerState;
    use crate::scenes::{balancing, caching, scaling, sharding, system};

    fn invalid(text: &str) -> Vec<InputProblem> {
        match import(text) {
            Err(ScenarioError::Invalid(p)) => p,
            other => panic!("{text}: {other:?}"),
        }
    }

    /// Builds a player from a link's ops, exports it, imports the export.
    fn export_round_trip<S: Scene>(params: &[(&str, &str)], ops: &str, step: u64) {
        let raw: RawParams = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (values, problems) = ParamValues::resolve(S::specs(), &raw);
        assert!(problems.is_empty(), "{problems:?}");
        let mut p = PlayerState::<S>::new(values, 7).expect("builds");
        assert!(p.replay_ops(ops).is_empty());
        p.seek(step);
        let run = export::record(p);
        let p = &run.player;
        let json = export::to_json(&run);
        let back = import(&json).unwrap_or_else(|e| panic!("{e}\n{json}"));
        assert_eq!(back.scene, Some(S::ID));
        assert_eq!((back.seed, back.step), (7, step));
        assert_eq!(back.ops, p.encoded_ops());
        assert_eq!(back.ops, ops);
        let non_default: RawParams = p
            .params
            .non_default(S::specs())
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(back.params, non_default);
        // The imported state builds the same player as the one exported.
        let (again, problems) = crate::player::from_link::<S>(&back, &[]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(again.encoded_ops(), p.encoded_ops());
        assert_eq!(again.params, p.params);
        assert_eq!(again.timeline.step(), step);
    }

    #[test]
    fn an_export_imports_back() {
        export_round_trip::<sharding::ShardingScene>(&[], "10:add,20:rm.1", 60);
        export_round_trip::<balancing::BalancingScene>(&[], "5:kill.1,9:revive.1", 40);
        export_round_trip::<caching::CachingScene>(&[], "3:flush,8:warm.10", 30);
        export_round_trip::<scaling::ScalingScene>(&[], "4:add.0", 25);
        export_round_trip::<system::SystemScene>(
            &[("preset", "hot-shard")],
            "6:flush,9:kill.1",
            40,
        );
        let extreme: Vec<(&str, String)> = sharding::ShardingScene::specs()
            .iter()
            .map(|s| (s.key, s.extremes().remove(0)))
            .collect();
        let extreme: Vec<(&str, &str)> = extreme.iter().map(|(k, v)| (*k, v.as_str())).collect();
        export_round_trip::<sharding::ShardingScene>(&extreme, "", 5);
    }

    #[test]
    fn a_full_export_fits() {
        // The trace is full (20 000 events) long before this step in every scene.
        fn size<S: Scene>() -> usize {
            let mut p = PlayerState::<S>::new(ParamValues::defaults(S::specs()), 1).unwrap();
            p.seek(60_000);
            let json = export::to_json(&export::record(p));
            if let Err(e) = import(&json) {
                panic!("{}: {e}", S::ID.name());
            }
            json.len()
        }
        for (name, bytes) in [
            ("balancing", size::<balancing::BalancingScene>()),
            ("caching", size::<caching::CachingScene>()),
            ("sharding", size::<sharding::ShardingScene>()),
            ("scaling", size::<scaling::ScalingScene>()),
            ("system", size::<system::SystemScene>()),
        ] {
            eprintln!("a full {name} export: {bytes} bytes");
            assert!(bytes < MAX_SCENARIO_BYTES / 2, "{name}: {bytes} bytes");
        }
    }

    #[test]
    fn a_hand_written_scenario_takes_defaults() {
        let s = import(r#"{"scene":"caching"}"#).unwrap();
        assert_eq!(s, UrlState::new(SceneId::Caching));
        let s = import(r#"{"scene":"balancing","params":{"servers":5},"seed":9}"#).unwrap();
        assert_eq!(s.params.get("servers").map(String::as_str), Some("5"));
        assert_eq!(s.seed, 9);
    }

    #[test]
    fn wrong_documents_say_what_is_accepted() {
        assert!(matches!(import(""), Err(ScenarioError::NotJson { .. })));
        assert!(matches!(import("[1]"), Err(ScenarioError::NotJson { .. })));
        match import(r#"{"scene":"caching","seed":1,"scene":"sharding"}"#) {
            Err(ScenarioError::NotJson { detail }) => assert!(detail.contains("\"scene\" twice")),
            other => panic!("{other:?}"),
        }
        // Unknown keys may repeat and nest deeply: they are skipped, not kept.
        let deep = format!(
            r#"{{"events":{}{},"events":1,"scene":"caching"}}"#,
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        assert_eq!(import(&deep), Ok(UrlState::new(SceneId::Caching)));
        let big = format!(
            r#"{{"scene":"caching","x":"{}"}}"#,
            "a".repeat(MAX_SCENARIO_BYTES)
        );
        assert!(matches!(import(&big), Err(ScenarioError::TooLarge { .. })));

        let p = invalid(r#"{"scene":"queues"}"#);
        assert_eq!(
            (p[0].param.as_str(), p[0].given.as_str()),
            ("scene", "queues")
        );
        assert!(p[0].accepted.contains("sharding"));
        assert_eq!(invalid("{}")[0].given, "nothing");
        assert_eq!(invalid(r#"{"scene":3}"#)[0].given, "3");

        let p = invalid(
            r#"{"scene":"sharding","seed":-1,"step":1000001,"ops":"1:fly","params":{"nope":"1"}}"#,
        );
        let names: Vec<&str> = p.iter().map(|p| p.param.as_str()).collect();
        assert_eq!(names, ["seed", "step", "nope", "ops"]);
        assert!(p[1].accepted.contains("1000000"));
        assert!(p[2].accepted.contains("shards"));
        assert_eq!(p[3].given, "1:fly");

        for seed in ["1.5", "\"12\"", "1e3", "null", "18446744073709551616"] {
            let p = invalid(&format!(r#"{{"scene":"caching","seed":{seed}}}"#));
            assert_eq!(p[0].param, "seed", "{seed}");
        }
        let p = invalid(r#"{"scene":"caching","params":[1]}"#);
        assert_eq!(p[0].param, "params");
        let p = invalid(r#"{"scene":"caching","ops":[1]}"#);
        assert_eq!(p[0].param, "ops");
        let p = invalid(r#"{"scene":"balancing","params":{"servers":true}}"#);
        assert_eq!(p[0].accepted, "a string or a number");
    }

    #[test]
    fn float_settings_refuse_nan_and_infinity() {
        // caching's `zipf` is a decimal setting.
        assert!(caching::CachingScene::specs()
            .iter()
            .any(|s| s.key == "zipf" && matches!(s.kind, crate::params::ParamKind::Float { .. })));
        for bad in ["\"NaN\"", "\"inf\"", "\"-infinity\"", "\"1e999\"", "1e999"] {
            let text = format!(r#"{{"scene":"caching","params":{{"zipf":{bad}}}}}"#);
            match import(&text) {
                Err(ScenarioError::Invalid(p)) => assert_eq!(p[0].param, "zipf", "{bad}"),
                // 1e999 as a JSON number is out of the parser's range: not JSON at all.
                Err(ScenarioError::NotJson { .. }) => assert_eq!(bad, "1e999"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn opening_a_file_gives_its_link_and_keeps_how_the_page_was_opened() {
        let file =
            r#"{"scene":"sharding","seed":3,"params":{"shards":"6"},"ops":"1:add","step":9}"#;
        let page = "?scene=caching&embed=1&parent=https%3A%2F%2Fcourse.example&theme=dark&seed=5";
        let query = open(file, page).unwrap();
        let (url, problems) = crate::url_state::parse_query(&query);
        assert_eq!(problems, []);
        assert_eq!(
            (url.scene, url.seed, url.step),
            (Some(SceneId::Sharding), 3, 9)
        );
        assert_eq!(url.ops, "1:add");
        assert_eq!(url.params.get("shards").map(String::as_str), Some("6"));
        assert!(url.embed);
        assert_eq!(url.parent.as_deref(), Some("https://course.example"));
        assert_eq!(url.theme.as_deref(), Some("dark"));
        // Every scene's settings and actions are checked, whichever page opens the file, and
        // every problem is named.
        let bad = r#"{"scene":"sharding","seed":-1,"params":{"shards":"99"},"ops":"1:fly"}"#;
        let e = open(bad, page).unwrap_err();
        for named in ["seed", "shards", "ops"] {
            assert!(e.contains(named), "{named}: {e}");
        }
        assert!(open("{\"scene\": ", page)
            .unwrap_err()
            .contains("not valid JSON"));
    }

    #[test]
    fn too_many_actions_are_refused() {
        let ops: Vec<String> = (0..=MAX_OPS).map(|i| format!("{i}:add")).collect();
        let text = format!(r#"{{"scene":"sharding","ops":"{}"}}"#, ops.join(","));
        let p = invalid(&text);
        assert_eq!(p.len(), 1);
        assert!(p[0].accepted.contains("256"), "{:?}", p[0]);
    }

    #[test]
    fn to_json_imports_back() {
        let mut s = UrlState::new(SceneId::Sharding);
        s.seed = u64::MAX;
        s.step = MAX_STEP;
        s.ops = "1:add".into();
        s.params.insert("shards".into(), "6".into());
        assert_eq!(import(&to_json(&s, &param_pairs(&s.params))), Ok(s));
    }
}
