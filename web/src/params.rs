//! Scene parameters: declared once per scene with their accepted ranges, so the URL decoder,
//! the settings form and the error messages all agree on what is allowed.

use crate::decimal;
use crate::input::{clip, InputProblem};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    /// A whole number in `[min, max]`.
    Int { min: i64, max: i64, default: i64 },
    /// A decimal number in `[min, max]`, changed in increments of `step` by the form.
    Float {
        min: f64,
        max: f64,
        default: f64,
        step: f64,
    },
    /// One of `options` (`(value, label)`).
    Choice {
        options: &'static [(&'static str, &'static str)],
        default: &'static str,
    },
}

/// One tunable parameter of a scene.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// The URL key.
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub kind: ParamKind,
}

impl ParamSpec {
    /// The accepted values, as a student reads them in an error message.
    pub fn accepted(&self) -> String {
        match self.kind {
            ParamKind::Int { min, max, .. } => format!("a whole number from {min} to {max}"),
            ParamKind::Float { min, max, .. } => {
                format!(
                    "a number from {} to {}",
                    decimal::show(min),
                    decimal::show(max)
                )
            }
            ParamKind::Choice { options, .. } => {
                let names: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
                format!("one of {}", names.join(", "))
            }
        }
    }

    /// The values a test should try: both ends of a range, every choice.
    #[cfg(test)]
    pub fn extremes(&self) -> Vec<String> {
        match self.kind {
            ParamKind::Int { min, max, .. } => vec![min.to_string(), max.to_string()],
            ParamKind::Float { min, max, .. } => vec![decimal::show(min), decimal::show(max)],
            ParamKind::Choice { options, .. } => {
                options.iter().map(|(v, _)| v.to_string()).collect()
            }
        }
    }

    pub fn default_value(&self) -> ParamValue {
        match self.kind {
            ParamKind::Int { default, .. } => ParamValue::Int(default),
            ParamKind::Float { default, .. } => ParamValue::Float(default),
            ParamKind::Choice { default, .. } => ParamValue::Choice(default),
        }
    }

    /// Parses and range-checks a raw string from a URL or a form.
    pub fn parse(&self, raw: &str) -> Result<ParamValue, InputProblem> {
        let problem = || InputProblem {
            param: self.key.to_string(),
            given: clip(raw),
            accepted: self.accepted(),
        };
        let raw = raw.trim();
        match self.kind {
            ParamKind::Int { min, max, .. } => {
                let v: i64 = raw.parse().map_err(|_| problem())?;
                if v < min || v > max {
                    return Err(problem());
                }
                Ok(ParamValue::Int(v))
            }
            ParamKind::Float { min, max, .. } => {
                let v = decimal::parse(raw).ok_or_else(problem)?;
                if !v.is_finite() || v < min || v > max {
                    return Err(problem());
                }
                Ok(ParamValue::Float(v))
            }
            ParamKind::Choice { options, .. } => options
                .iter()
                .find(|(v, _)| *v == raw)
                .map(|(v, _)| ParamValue::Choice(v))
                .ok_or_else(problem),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue {
    Int(i64),
    Float(f64),
    Choice(&'static str),
}

impl ParamValue {
    pub fn encode(&self) -> String {
        match self {
            ParamValue::Int(v) => v.to_string(),
            ParamValue::Float(v) => decimal::show(*v),
            ParamValue::Choice(v) => (*v).to_string(),
        }
    }
}

/// Every parameter of a scene, resolved: given values where valid, defaults elsewhere.
///
/// A short list in spec order (a scene has at most a dozen settings), looked up by key: a
/// `BTreeMap` here costs each page about 9 KB of wasm for no gain at this size.
#[derive(Debug, Clone, Default)]
pub struct ParamValues {
    values: Vec<(&'static str, ParamValue)>,
}

impl PartialEq for ParamValues {
    /// The same keys with the same values, in any order.
    fn eq(&self, other: &Self) -> bool {
        self.values.len() == other.values.len()
            && self.values.iter().all(|(k, v)| other.lookup(k) == Some(v))
    }
}

impl ParamValues {
    pub fn defaults(specs: &[ParamSpec]) -> Self {
        ParamValues {
            values: specs.iter().map(|s| (s.key, s.default_value())).collect(),
        }
    }

    fn lookup(&self, key: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Resolves raw `key → value` pairs against `specs`, reporting every rejected one.
    pub fn resolve(specs: &[ParamSpec], raw: &RawParams) -> (Self, Vec<InputProblem>) {
        let mut values = Self::defaults(specs);
        let mut problems = Vec::new();
        for spec in specs {
            if let Some(given) = raw.get(spec.key) {
                match spec.parse(given) {
                    Ok(v) => values.set(spec.key, v),
                    Err(p) => problems.push(p),
                }
            }
        }
        (values, problems)
    }

    pub fn set(&mut self, key: &'static str, value: ParamValue) {
        match self.values.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.values.push((key, value)),
        }
    }

    pub fn int(&self, key: &str) -> i64 {
        match self.lookup(key) {
            Some(ParamValue::Int(v)) => *v,
            Some(ParamValue::Float(v)) => *v as i64,
            _ => 0,
        }
    }

    pub fn float(&self, key: &str) -> f64 {
        match self.lookup(key) {
            Some(ParamValue::Float(v)) => *v,
            Some(ParamValue::Int(v)) => *v as f64,
            _ => 0.0,
        }
    }

    pub fn choice(&self, key: &str) -> &'static str {
        match self.lookup(key) {
            Some(ParamValue::Choice(v)) => v,
            _ => "",
        }
    }

    pub fn get(&self, key: &str) -> Option<ParamValue> {
        self.lookup(key).copied()
    }

    /// `(key, encoded value)` for values that differ from their defaults, in spec order:
    /// short, stable links.
    pub fn non_default(&self, specs: &[ParamSpec]) -> Vec<(&'static str, String)> {
        specs
            .iter()
            .filter_map(|s| {
                let v = self.lookup(s.key)?;
                (*v != s.default_value()).then(|| (s.key, v.encode()))
            })
            .collect()
    }
}

/// Scene parameters as given, raw: one value per key (the last one given), sorted by key.
///
/// A sorted `Vec`: a link holds at most [`MAX_PAIRS`](crate::url_state::MAX_PAIRS) of them, and a
/// `BTreeMap<String, String>` here cost every page its own copy of the B-tree code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawParams(Vec<(String, String)>);

impl RawParams {
    /// Sets `key` to `value`, replacing what it had (so the last value given wins).
    pub fn insert(&mut self, key: String, value: String) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        let i = self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// `(key, value)` in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a RawParams {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, String)> for RawParams {
    /// As [`RawParams::insert`] each in turn: a repeated key keeps its last value.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut params = RawParams::default();
        for (k, v) in pairs {
            params.insert(k, v);
        }
        params
    }
}
