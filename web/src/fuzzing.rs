//! The bodies of the fuzz targets (`fuzz/`), one per parser of untrusted input (and
//! `link_player`, what the page builds from a parsed link). They live
//! here, not in `fuzz/`, so a plain test (`tests/fuzz_corpus.rs`) runs them over the checked-in
//! corpus on every `cargo test`, without libFuzzer.
//!
//! Each takes arbitrary bytes, runs the parser as the page does, and panics if an invariant
//! breaks: a panic here is a bug the fuzzer reports.

#![allow(
    clippy::indexing_slicing,
    reason = "a fuzz harness: a panic here is the finding the fuzzer reports"
)]

use crate::embed_msg::{self, ParentCommand};
use crate::input::{InputProblem, MAX_STEP};
use crate::params::ParamValues;
use crate::player::{self, PlayerState};
use crate::scenario;
use crate::scenes::{with_scene, Scene, SceneFn, SceneId};
use crate::url_state::{self, UrlState, MAX_QUERY_LEN};

/// Furthest step one fuzz input simulates (a link's step and its actions' steps are folded
/// under it), so one execution stays in milliseconds. The player itself allows [`MAX_STEP`].
pub const FUZZ_MAX_STEP: u64 = 200;

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// What every problem shown to a user must be: short (what the user typed is clipped).
fn check_problem(p: &InputProblem) {
    assert!(p.given.chars().count() <= 41, "unclipped: {p:?}");
    assert!(p.param.chars().count() <= 41, "unclipped: {p:?}");
    assert!(!p.accepted.is_empty());
    let _ = p.to_string();
}

/// A link: `parse_query` and the invariants of what it returns, then the scene's own checks
/// of the link's settings ([`ParamValues::resolve`]) and actions ([`player::decode_ops`]) for
/// every scene. Fast (no model is built): the long run reaches millions of executions.
pub fn url_state(data: &[u8]) {
    let query = text(data);
    let (state, problems) = url_state::parse_query(&query);
    problems.iter().for_each(check_problem);
    assert!(state.step <= MAX_STEP);
    if let Some(parent) = &state.parent {
        assert!(embed_msg::check_origin(parent).is_ok());
    }
    assert!(matches!(
        state.theme.as_deref(),
        None | Some("light" | "dark")
    ));
    // Whatever was read is written back to a link that reads the same (when it fits one).
    let params = scenario::param_pairs(&state.params);
    let again = url_state::to_query(&state, &params);
    if again.len() <= MAX_QUERY_LEN && params.len() + 9 <= url_state::MAX_PAIRS {
        let (back, back_problems) = url_state::parse_query(&again);
        assert_eq!(back, state, "{again}");
        assert!(back_problems.is_empty(), "{again}: {back_problems:?}");
    }
    struct CheckLink<'a>(&'a UrlState);
    impl SceneFn for CheckLink<'_> {
        type Output = ();
        fn call<S: Scene>(self) {
            check_link::<S>(self.0)
        }
    }
    for id in SceneId::ALL {
        with_scene(*id, CheckLink(&state));
    }
}

/// The link's settings and actions as scene `S` reads them, and what it writes back.
fn check_link<S: Scene>(state: &UrlState) {
    let (values, problems) = ParamValues::resolve(S::specs(), &state.params);
    problems.iter().for_each(check_problem);
    assert!(values.non_default(S::specs()).len() + problems.len() <= S::specs().len());
    let decoded = player::decode_ops::<S>(&state.ops);
    assert!(decoded.actions.len() + decoded.unreadable.len() <= player::MAX_OPS);
    for (step, action) in &decoded.actions {
        assert!(*step <= MAX_STEP);
        let encoded = S::encode_action(action);
        assert!(!encoded.contains(','), "{encoded}");
        assert_eq!(
            S::decode_action(&encoded).as_ref(),
            Some(action),
            "{encoded}"
        );
    }
}

/// A link, as the page opens it: the player built from it ([`player::from_link`]: the model
/// from the resolved settings, the actions replayed, the step reached), with the steps folded
/// under [`FUZZ_MAX_STEP`]. Slow (a model is built per input), hence its own target.
pub fn link_player(data: &[u8]) {
    let query = text(data);
    let (state, problems) = url_state::parse_query(&query);
    let mut small = state.clone();
    small.step %= FUZZ_MAX_STEP + 1;
    small.ops = fold_op_steps(&state.ops);
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let scene = state
        .scene
        .unwrap_or(SceneId::ALL[data.len() % SceneId::ALL.len()]);
    struct Build<'a>(&'a UrlState, &'a [String]);
    impl SceneFn for Build<'_> {
        type Output = ();
        fn call<S: Scene>(self) {
            build::<S>(self.0, self.1)
        }
    }
    with_scene(scene, Build(&small, &messages));
}

/// `step:action` items with their step folded under [`FUZZ_MAX_STEP`]; others unchanged.
fn fold_op_steps(ops: &str) -> String {
    ops.split(',')
        .map(|item| match item.split_once(':') {
            Some((s, a)) => match s.parse::<u64>() {
                Ok(n) if n > FUZZ_MAX_STEP => format!("{}:{a}", n % (FUZZ_MAX_STEP + 1)),
                _ => item.to_string(),
            },
            None => item.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn build<S: Scene>(url: &UrlState, link_problems: &[String]) {
    let (p, problems) = player::from_link::<S>(url, link_problems);
    assert!(problems.len() >= link_problems.len());
    assert!(p.timeline.step() <= url.step.max(FUZZ_MAX_STEP));
    // Every action the player took from the link is written back to a link that reads.
    let ops = p.encoded_ops();
    let decoded = player::decode_ops::<S>(&ops);
    assert!(
        decoded.unreadable.is_empty(),
        "{ops}: {:?}",
        decoded.unreadable
    );
    assert_eq!(decoded.skipped, 0);
    let encoded: Vec<String> = decoded
        .actions
        .iter()
        .map(|(s, a)| format!("{s}:{}", S::encode_action(a)))
        .collect();
    assert_eq!(encoded.join(","), ops);
    // And the parameters it runs on are within their specs.
    let (_, param_problems) = ParamValues::resolve(
        S::specs(),
        &p.params
            .non_default(S::specs())
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    );
    assert!(param_problems.is_empty(), "{param_problems:?}");
    let _ = PlayerState::<S>::encoded_ops(&p);
}

/// A scenario file: [`scenario::import`], and for an accepted one, that it is written back
/// (as a scenario and as a link) to something that reads the same.
pub fn scenario_import(data: &[u8]) {
    let doc = text(data);
    match scenario::import(&doc) {
        Ok(state) => {
            assert!(state.scene.is_some());
            assert!(state.step <= MAX_STEP);
            let params = scenario::param_pairs(&state.params);
            let json = scenario::to_json(&state, &params);
            assert_eq!(scenario::import(&json).as_ref(), Ok(&state), "{json}");
            let query = url_state::to_query(&state, &params);
            if query.len() <= MAX_QUERY_LEN {
                let (back, problems) = url_state::parse_query(&query);
                assert!(problems.is_empty(), "{query}: {problems:?}");
                assert_eq!(back, state, "{query}");
            }
        }
        Err(e) => {
            if let scenario::ScenarioError::Invalid(problems) = &e {
                assert!(!problems.is_empty());
                problems.iter().for_each(check_problem);
            }
            let _ = e.to_string();
        }
    }
}

/// A message from the embedding page: [`embed_msg::parse_message`], and the origin rule.
/// The first line is also tried as a configured origin and the second as a sender's.
pub fn parent_message(data: &[u8]) {
    let msg = text(data);
    match embed_msg::parse_message(&msg) {
        Ok(cmd) => {
            assert_eq!(embed_msg::parse_message(&cmd.to_json()), Ok(cmd));
            if let ParentCommand::Seek(step) = cmd {
                assert!(step <= MAX_STEP);
            }
        }
        Err(embed_msg::MessageError::Invalid(p)) => check_problem(&p),
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let (configured, origin) = msg.split_once('\n').unwrap_or((&msg, &msg));
    if embed_msg::accept_origin(Some(configured), origin) {
        assert_eq!(configured, origin);
        assert!(configured != "*" && configured != "null");
    }
    assert!(!embed_msg::accept_origin(None, origin));
    // A valid origin survives a link; an invalid one is reported, never kept.
    let query = format!("?parent={}", url_state::percent_encode(configured));
    let (state, problems) = url_state::parse_query(&query);
    match embed_msg::check_origin(configured) {
        Ok(()) => assert_eq!(state.parent.as_deref(), Some(configured)),
        Err(p) => {
            check_problem(&p);
            assert_eq!(state.parent, None);
            assert!(problems
                .iter()
                .any(|p| p.param == "parent" || p.param == "link"));
        }
    }
}

/// A lesson file: [`lesson::parse`] names problems or gives a lesson within every limit, whose
/// texts all read as the Markdown subset and whose links are all safe; it writes back to JSON
/// that reads as the same lesson. Nothing is simulated (the long run stays fast).
pub fn lesson_file(data: &[u8]) {
    use crate::lesson::{self, format, markdown};
    let text = text(data);
    match lesson::parse(&text) {
        Err(problems) => {
            assert!(!problems.is_empty());
            problems
                .iter()
                .for_each(|p| assert!(!p.to_string().is_empty()));
        }
        Ok(l) => {
            assert!((1..=format::MAX_STEPS).contains(&l.steps.len()));
            assert!(lesson::check::valid_id(&l.id));
            let mut texts = Vec::new();
            for s in &l.steps {
                texts.push(&s.text);
                if let Some(t) = &s.task {
                    texts.push(&t.text);
                }
                if let Some(q) = &s.question {
                    texts.extend([&q.ask, &q.explain]);
                    assert!(q.choices.is_some() != q.number.is_some());
                }
            }
            for t in texts {
                let blocks = markdown::parse(t);
                assert!(blocks.is_ok(), "a checked text is not Markdown: {blocks:?}");
                let hrefs = blocks.map(|b| links(&b)).unwrap_or_default();
                assert!(hrefs.iter().all(|h| markdown::safe_href(h)), "{hrefs:?}");
            }
            let json = serde_json::to_string(&l).unwrap_or_default();
            assert_eq!(lesson::parse(&json).as_ref(), Ok(&l));
        }
    }
}

/// Every link's address in `blocks`.
fn links(blocks: &[crate::lesson::markdown::Block]) -> Vec<String> {
    use crate::lesson::markdown::{Block, Inline};
    fn runs(r: &[Inline], out: &mut Vec<String>) {
        for i in r {
            match i {
                Inline::Link { href, text } => {
                    out.push(href.clone());
                    runs(text, out);
                }
                Inline::Emphasis(r) | Inline::Strong(r) => runs(r, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph(r) => runs(r, &mut out),
            Block::List { items, .. } => items.iter().for_each(|i| out.extend(links(i))),
            Block::Code(_) => {}
        }
    }
    out
}
