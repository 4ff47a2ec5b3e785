//! The whole playground state in a URL: scene, parameters, seed, step position and the user's
//! actions, so a link reproduces the same view exactly.
//!
//! Everything here is untrusted: anyone can craft a link. Parsing never fails as a whole; each
//! rejected part becomes an [`InputProblem`] the page shows, and the scene runs on defaults.

use crate::input::{clip, InputProblem, MAX_STEP};
use crate::params::RawParams;
use crate::scenes::SceneId;

/// Longest query string read; longer links are ignored past the scene name.
pub const MAX_QUERY_LEN: usize = 4_096;
/// Longest seed accepted, as typed.
pub const DEFAULT_SEED: u64 = 42;

/// Keys the shell itself owns; everything else belongs to the scene.
const SHELL_KEYS: [&str; 10] = [
    "scene", "seed", "step", "embed", "ops", "theme", "parent", "lesson", "at", "speed",
];
/// Most `key=value` pairs read from a link; the rest are reported and ignored.
pub const MAX_PAIRS: usize = 64;
/// Longest `lesson=` value: an id or a same-origin path.
pub const MAX_LESSON_LEN: usize = 200;
/// Largest `at=` (a lesson's step, from 1).
pub const MAX_LESSON_STEP: u32 = 99;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlState {
    pub scene: Option<SceneId>,
    pub embed: bool,
    pub seed: u64,
    pub step: u64,
    /// Scene parameters, raw; the scene checks them against its specs.
    pub params: RawParams,
    /// Encoded user actions (`step:action`, comma-separated); decoded by the scene.
    pub ops: String,
    /// `light` or `dark` when forced by the link.
    pub theme: Option<String>,
    /// The origin of the page allowed to drive an embedded scene with `postMessage`
    /// (`parent=https://course.example.org`), checked by [`crate::embed_msg::check_origin`].
    /// `None`: every message is ignored.
    pub parent: Option<String>,
    /// The lesson this page plays (`lesson=<id>` of a built-in one, or the same-origin path of
    /// a course site's `.json` file); checked by [`crate::lesson::source`] when it loads.
    pub lesson: Option<String>,
    /// The lesson's step on screen, counted from 1 (`at=3`); 0 when the link names none.
    pub at: u32,
    /// The rung of the speed ladder the link plays at (`speed=0.02`, `speed=max`); `None`:
    /// the scene's own speed.
    pub speed: Option<usize>,
}

impl UrlState {
    pub fn new(scene: SceneId) -> Self {
        UrlState {
            scene: Some(scene),
            seed: DEFAULT_SEED,
            ..UrlState::default()
        }
    }
}

/// Decodes `%XX` escapes and `+`; invalid escapes are kept literally.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but unreserved characters and the separators our values use.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reads a query string (with or without the leading `?`).
pub fn parse_query(query: &str) -> (UrlState, Vec<InputProblem>) {
    let mut problems = Vec::new();
    let mut state = UrlState {
        seed: DEFAULT_SEED,
        ..UrlState::default()
    };
    let query = query.strip_prefix('?').unwrap_or(query);
    let too_long = query.len() > MAX_QUERY_LEN;
    if too_long {
        problems.push(InputProblem {
            param: "link".into(),
            given: format!("{} characters", query.len()),
            accepted: format!("at most {MAX_QUERY_LEN} characters; only the scene was read"),
        });
    }
    // A bounded number of pairs: a link of a million `&`s costs nothing.
    let mut pairs = query.split('&').filter(|p| !p.is_empty());
    for pair in pairs.by_ref().take(MAX_PAIRS) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(k);
        let value = percent_decode(v);
        if too_long && key != "scene" && key != "embed" {
            continue;
        }
        match key.as_str() {
            "scene" => match SceneId::parse(&value) {
                Some(id) => state.scene = Some(id),
                None => problems.push(InputProblem {
                    param: "scene".into(),
                    given: clip(&value),
                    accepted: format!("one of {}", SceneId::names().join(", ")),
                }),
            },
            "embed" => state.embed = matches!(value.as_str(), "1" | "true" | "yes"),
            "seed" => match value.trim().parse::<u64>() {
                Ok(s) => state.seed = s,
                Err(_) => problems.push(InputProblem {
                    param: "seed".into(),
                    given: clip(&value),
                    accepted: format!("a whole number from 0 to {}", u64::MAX),
                }),
            },
            "step" => match value.trim().parse::<u64>() {
                Ok(s) if s <= MAX_STEP => state.step = s,
                _ => problems.push(InputProblem {
                    param: "step".into(),
                    given: clip(&value),
                    accepted: format!("a whole number from 0 to {MAX_STEP}"),
                }),
            },
            "ops" => state.ops = value,
            "theme" => match value.as_str() {
                "light" | "dark" => state.theme = Some(value),
                _ => problems.push(InputProblem {
                    param: "theme".into(),
                    given: clip(&value),
                    accepted: "light or dark".into(),
                }),
            },
            "parent" => match crate::embed_msg::check_origin(&value) {
                Ok(()) => state.parent = Some(value),
                Err(problem) => problems.push(problem),
            },
            "lesson" => match value.len() {
                1..=MAX_LESSON_LEN => state.lesson = Some(value),
                _ => problems.push(InputProblem {
                    param: "lesson".into(),
                    given: clip(&value),
                    accepted: format!(
                        "a lesson's id or the path of its file, 1 to {MAX_LESSON_LEN} characters"
                    ),
                }),
            },
            "speed" => match crate::player::parse_speed(&value) {
                Ok(rung) => state.speed = Some(rung),
                Err(problem) => problems.push(problem),
            },
            "at" => match value.trim().parse::<u32>() {
                Ok(n) if (1..=MAX_LESSON_STEP).contains(&n) => state.at = n,
                _ => problems.push(InputProblem {
                    param: "at".into(),
                    given: clip(&value),
                    accepted: format!("a lesson step from 1 to {MAX_LESSON_STEP}"),
                }),
            },
            _ if SHELL_KEYS.contains(&key.as_str()) => {}
            _ => {
                state.params.insert(key, value);
            }
        }
    }
    if !too_long && pairs.next().is_some() {
        problems.push(InputProblem {
            param: "link".into(),
            given: format!("more than {MAX_PAIRS} settings"),
            accepted: format!("at most {MAX_PAIRS} key=value pairs; the rest were ignored"),
        });
    }
    (state, problems)
}

/// Writes a query string (with the leading `?`). Parameters come in the order given.
pub fn to_query(state: &UrlState, params: &[(&str, String)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(scene) = state.scene {
        parts.push(format!("scene={}", scene.name()));
    }
    if state.embed {
        parts.push("embed=1".into());
    }
    parts.push(format!("seed={}", state.seed));
    for (k, v) in params {
        parts.push(format!("{}={}", percent_encode(k), percent_encode(v)));
    }
    if !state.ops.is_empty() {
        parts.push(format!("ops={}", percent_encode(&state.ops)));
    }
    if state.step > 0 {
        parts.push(format!("step={}", state.step));
    }
    if let Some(rung) = state.speed {
        parts.push(format!("speed={}", crate::player::speed_value(rung)));
    }
    if let Some(theme) = &state.theme {
        parts.push(format!("theme={}", percent_encode(theme)));
    }
    if let Some(parent) = &state.parent {
        parts.push(format!("parent={}", percent_encode(parent)));
    }
    if let Some(lesson) = &state.lesson {
        parts.push(format!("lesson={}", percent_encode(lesson)));
    }
    if state.at > 0 {
        parts.push(format!("at={}", state.at));
    }
    format!("?{}", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_full_state() {
        let mut s = UrlState::new(SceneId::Sharding);
        s.seed = 1234;
        s.step = 77;
        s.embed = true;
        s.ops = "10:add,20:remove-1".into();
        let params = vec![("shards", "6".to_string()), ("router", "jump".to_string())];
        let q = to_query(&s, &params);
        let (back, problems) = parse_query(&q);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back.scene, Some(SceneId::Sharding));
        assert_eq!((back.seed, back.step, back.embed), (1234, 77, true));
        assert_eq!(back.ops, s.ops);
        assert_eq!(back.params.get("router").map(String::as_str), Some("jump"));
    }

    #[test]
    fn bad_parts_are_reported_and_the_rest_is_kept() {
        let (s, problems) = parse_query("?scene=nope&seed=abc&step=-4&servers=3");
        assert_eq!(s.scene, None);
        assert_eq!(s.seed, DEFAULT_SEED);
        assert_eq!(s.step, 0);
        assert_eq!(s.params.get("servers").map(String::as_str), Some("3"));
        let names: Vec<&str> = problems.iter().map(|p| p.param.as_str()).collect();
        assert_eq!(names, ["scene", "seed", "step"]);
        assert!(problems[0].accepted.contains("balancing"));
    }

    #[test]
    fn a_huge_link_is_read_only_for_its_scene() {
        let q = format!("scene=caching&seed=9&x={}", "a".repeat(100_000));
        let (s, problems) = parse_query(&q);
        assert_eq!(s.scene, Some(SceneId::Caching));
        assert_eq!(s.seed, DEFAULT_SEED);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn percent_coding_round_trips() {
        for s in ["a b", "x%y", "ünï", "1:2,3"] {
            assert_eq!(percent_decode(&percent_encode(s)), s);
        }
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn a_parent_origin_is_checked_and_kept() {
        let (s, problems) =
            parse_query("?scene=caching&embed=1&parent=https%3A%2F%2Fcourse.example.org");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.parent.as_deref(), Some("https://course.example.org"));
        assert!(!s.params.contains_key("parent"));
        assert_eq!(parse_query(&to_query(&s, &[])).0, s);
        for bad in [
            "*",
            "null",
            "https://course.example.org/page",
            "https://x.org:443",
        ] {
            let q = format!("?scene=caching&parent={}", percent_encode(bad));
            let (s, problems) = parse_query(&q);
            assert_eq!(s.parent, None, "{bad}");
            assert_eq!(problems.len(), 1, "{bad}");
            assert_eq!(problems[0].param, "parent");
            assert!(problems[0].accepted.contains("https://course.example.org"));
        }
    }

    #[test]
    fn raw_params_keep_the_last_value_in_key_order() {
        let (s, _) = parse_query("?b=1&a=2&c=3&b=4&a=5");
        let pairs: Vec<(&str, &str)> = s
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(pairs, [("a", "5"), ("b", "4"), ("c", "3")]);
        assert_eq!(s.params.get("b").map(String::as_str), Some("4"));
        assert_eq!(s.params.get("d"), None);
        assert_eq!(s.params.len(), 3);
        let collected: RawParams = [("x", "1"), ("w", "2"), ("x", "3")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let pairs: Vec<(&String, &String)> = collected.iter().collect();
        assert_eq!(pairs.len(), 2);
        assert_eq!(collected.get("x").map(String::as_str), Some("3"));
        assert_eq!(pairs[0].0, "w");
    }

    #[test]
    fn too_many_pairs_are_reported() {
        let q: Vec<String> = (0..70).map(|i| format!("k{i}=1")).collect();
        let (_, problems) = parse_query(&q.join("&"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].param, "link");
        assert!(problems[0].accepted.contains("64"));
    }
}
