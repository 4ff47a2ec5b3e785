//! The explainers: what each choice a student can make does, when to use it and its pitfall
//! (for a naive variant, what it gets wrong and the fix). The texts live in one data file,
//! `web/explain/explainers.en.json`, rendered by the explainers' page beside it
//! (`explain.html`, which a scene's settings show in a frame at the selected choice): no page
//! carries them, and a translation is one more file.

/// What a closed explainer says.
pub const SUMMARY: &str = "What does this choice do?";

/// The fields an explainer may have, in the order a student reads them.
pub const FIELDS: [&str; 5] = ["what", "when", "pitfall", "wrong", "fix"];

/// The key of `scene`'s setting `param` set to `value`: `balancing.strategy.round-robin`.
pub fn key(scene: &str, param: &str, value: &str) -> String {
    format!("{scene}.{param}.{value}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_in::{Object, Value};

    fn field<'a>(o: &'a Object, name: &str) -> Option<&'a str> {
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
    use crate::params::ParamKind;
    use crate::scenes::{with_scene, Scene, SceneFn, SceneId};

    fn file() -> Object {
        let text = include_str!("../explain/explainers.en.json");
        match crate::json_in::parse(text) {
            Some(Value::Object(o)) => o,
            _ => panic!("web/explain/explainers.en.json is not a JSON object"),
        }
    }

    /// A naive variant says what it gets wrong and the fix; every other choice what it does,
    /// when to use it and its pitfall.
    fn required(key: &str) -> [&'static str; 3] {
        let guides = key.ends_with("-guide") || key == "sharding.router.modulo-md5";
        if key.contains("naive") || guides {
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
            let Some(Value::Object(own)) = choices.get(k) else {
                missing.push(format!("{k}: no explainer"));
                continue;
            };
            let mut choice = own;
            // `{"same": key}`: the choice does what another scene's does, and reads its text.
            let mut text_key = k.as_str();
            if let Some(same) = field(choice, "same") {
                match choices.get(same) {
                    Some(Value::Object(o)) if field(o, "same").is_none() => {
                        choice = o;
                        text_key = same;
                    }
                    _ => {
                        missing.push(format!("{k}: \"same\" names no explainer with text"));
                        continue;
                    }
                }
            }
            for f in std::iter::once("title").chain(required(text_key)) {
                if field(choice, f).is_none_or(|t| t.trim().is_empty()) {
                    missing.push(format!("{k}: no {f}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "web/explain/explainers.en.json lacks:\n{}",
            missing.join("\n")
        );
        let unknown: Vec<&String> = choices.keys().filter(|k| !keys.contains(k)).collect();
        assert!(unknown.is_empty(), "explainers for no choice: {unknown:?}");
        let labels = object(&texts, "labels").expect("a \"labels\" object");
        for l in FIELDS {
            assert!(field(labels, l).is_some(), "no label {l}");
        }
    }
}
