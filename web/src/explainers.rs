//! The explainers: what each choice a student can make does, when to use it and its pitfall
//! (for a naive variant, what it gets wrong and the fix). The texts live in one data file,
//! `web/explainers.en.json` (copied beside the pages by trunk), fetched the first time a
//! student opens one, so no page carries them and a translation is one more file.

use crate::json_in::{Object, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// What a closed explainer says before its texts have arrived.
pub const SUMMARY: &str = "What does this choice do?";
/// Shown while the texts are on their way.
pub const LOADING: &str = "Loading the explanation…";
/// Shown when the texts could not be fetched or read.
pub const FAILED: &str =
    "The explanation could not be loaded; the rest of the page works as before.";

/// Where the texts are, relative to the page (the site works under any path).
pub const TEXTS_URL: &str = "explainers.en.json";

/// The texts file as far as it has been fetched.
#[derive(Debug, Clone)]
pub enum Texts {
    /// Not asked for yet, or on its way.
    Loading,
    /// Fetched and read.
    Ready(Rc<Object>),
    /// The fetch or the file failed; the page says so and goes on.
    Failed,
}

thread_local! {
    /// Fetched once per page, shared by every explainer on it.
    static TEXTS: RefCell<Option<Texts>> = const { RefCell::new(None) };
}

/// The texts, fetching them on the first call; `ready` runs once they arrive (or fail).
pub fn texts(ready: impl FnOnce(Texts) + 'static) -> Texts {
    if let Some(t) = TEXTS.with(|t| t.borrow().clone()) {
        if !matches!(t, Texts::Loading) {
            return t;
        }
    }
    TEXTS.with(|t| *t.borrow_mut() = Some(Texts::Loading));
    crate::browser::fetch_text(TEXTS_URL, move |text| {
        let read = text
            .ok()
            .and_then(|t| crate::json_in::parse(&t))
            .and_then(|v| match v {
                Value::Object(o) => Some(Texts::Ready(Rc::new(o))),
                _ => None,
            })
            .unwrap_or(Texts::Failed);
        TEXTS.with(|t| *t.borrow_mut() = Some(read.clone()));
        ready(read);
    });
    Texts::Loading
}

/// One choice's explainer, read from the texts file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explainer {
    /// The choice's name.
    pub title: String,
    /// `(label, text)` in reading order: what, when, pitfall; or what, wrong, fix.
    pub parts: Vec<(String, String)>,
}

/// The fields an explainer may have, in the order a student reads them.
pub const FIELDS: [&str; 5] = ["what", "when", "pitfall", "wrong", "fix"];

/// A string field of a JSON object.
pub fn field<'a>(o: &'a Object, name: &str) -> Option<&'a str> {
    match o.get(name) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

fn object<'a>(o: &'a Object, name: &str) -> Option<&'a Object> {
    match o.get(name) {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    }
}

/// The key of `scene`'s setting `param` set to `value`: `balancing.strategy.round-robin`.
pub fn key(scene: &str, param: &str, value: &str) -> String {
    format!("{scene}.{param}.{value}")
}

/// The explainer for `key` in `texts`, with its labels; `None` if the file has none.
pub fn explainer(texts: &Object, key: &str) -> Option<Explainer> {
    let choice = object(object(texts, "choices")?, key)?;
    let labels = object(texts, "labels");
    Some(Explainer {
        title: field(choice, "title").unwrap_or(key).to_string(),
        parts: FIELDS
            .iter()
            .filter_map(|f| {
                let text = field(choice, f)?;
                let label = labels.and_then(|l| field(l, f)).unwrap_or(f);
                Some((label.to_string(), text.to_string()))
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamKind;
    use crate::scenes::{with_scene, Scene, SceneFn, SceneId};

    fn file() -> Object {
        let text = include_str!("../explainers.en.json");
        match crate::json_in::parse(text) {
            Some(Value::Object(o)) => o,
            _ => panic!("web/explainers.en.json is not a JSON object"),
        }
    }

    /// A naive variant says what it gets wrong and the fix; every other choice what it does,
    /// when to use it and its pitfall.
    fn required(key: &str) -> [&'static str; 3] {
        if key.contains("naive") || key == "sharding.router.modulo-md5" {
            ["what", "wrong", "fix"]
        } else {
            ["what", "when", "pitfall"]
        }
    }

    /// Every choice of every scene's settings has its explainer, with every field it needs;
    /// the file has no explainer for a choice that does not exist.
    #[test]
    fn every_choice_has_its_explainer() {
        struct Keys;
        impl SceneFn for Keys {
            type Output = Vec<String>;
            fn call<S: Scene>(self) -> Vec<String> {
                S::specs()
                    .iter()
                    .flat_map(|spec| match spec.kind {
                        ParamKind::Choice { options, .. } => options
                            .iter()
                            .map(|(v, _)| key(S::ID.name(), spec.key, v))
                            .collect(),
                        _ => Vec::new(),
                    })
                    .collect()
            }
        }
        let texts = file();
        let keys: Vec<String> = SceneId::ALL
            .iter()
            .flat_map(|id| with_scene(*id, Keys))
            .collect();
        assert!(keys.len() > 40, "{} choices", keys.len());
        let choices = object(&texts, "choices").expect("a \"choices\" object");
        let mut missing = Vec::new();
        for k in &keys {
            let Some(Value::Object(choice)) = choices.get(k) else {
                missing.push(format!("{k}: no explainer"));
                continue;
            };
            for f in std::iter::once("title").chain(required(k)) {
                if field(choice, f).is_none_or(|t| t.trim().is_empty()) {
                    missing.push(format!("{k}: no {f}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "web/explainers.en.json lacks:\n{}",
            missing.join("\n")
        );
        let unknown: Vec<&String> = choices.keys().filter(|k| !keys.contains(k)).collect();
        assert!(unknown.is_empty(), "explainers for no choice: {unknown:?}");
        let labels = object(&texts, "labels").expect("a \"labels\" object");
        for l in FIELDS {
            assert!(field(labels, l).is_some(), "no label {l}");
        }
    }

    #[test]
    fn an_explainer_reads_in_order_with_its_labels() {
        let texts = file();
        let e = explainer(&texts, "balancing.strategy.least-connections-naive").unwrap();
        let labels: Vec<&str> = e.parts.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels.len(), 3);
        assert_eq!(
            labels,
            ["what", "wrong", "fix"].map(|f| field(object(&texts, "labels").unwrap(), f).unwrap())
        );
        assert!(explainer(&texts, "balancing.strategy.nope").is_none());
    }
}
