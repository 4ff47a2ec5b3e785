//! Named figures a host can ask a model for by name: what a lesson's question or task reads
//! ("how many keys moved?", "is web-2 marked DOWN yet?"). A lesson names a readout as text, so
//! a course author can write one without code, and the model answers with the same figure the
//! page shows.
//!
//! A readout is either one of the model's metric columns ([`Metrics::METRIC_NAMES`]) or one
//! of its family's own ([`Readouts::READOUTS`]). Some take a subject after a colon: a server,
//! a lane or a strategy (`server_state:web-2`, `lane_cost:horizontal`).

mod balancing;
mod caching;
mod scaling;
mod sharding;
mod system;

use crate::Metrics;
use thiserror::Error;

/// One readout's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// A figure (a count, milliseconds, a percentage…).
    Number(f64),
    /// A name or a state (`least-connections`, `crashed-down`).
    Text(String),
}

impl Reading {
    /// The value as a student reads it: a number in its shortest exact form, at most three
    /// decimals; text as it is.
    pub fn to_text(&self) -> String {
        match self {
            Reading::Number(v) => crate::num_text::shortest((v * 1_000.0).round() / 1_000.0),
            Reading::Text(t) => t.clone(),
        }
    }
}

/// A readout a family adds to its metric columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadoutSpec {
    /// Its name, before any colon.
    pub name: &'static str,
    /// What follows the colon, if it takes a subject (`"server name"`).
    pub subject: Option<&'static str>,
    /// What it reads, in one sentence.
    pub meaning: &'static str,
}

impl ReadoutSpec {
    /// The readout as an author writes it: `server_state:<server name>`, or its bare name.
    pub fn written(&self) -> String {
        match self.subject {
            Some(subject) => format!("{}:<{subject}>", self.name),
            None => self.name.to_string(),
        }
    }
}

/// Why a readout has no value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadoutError {
    /// No readout has this name here.
    #[error("there is no readout {name:?} here; the readouts are: {known}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// Every readout's name, comma-separated.
        known: String,
    },
    /// The readout takes a subject (after a colon) and none was given, or one was given to a
    /// readout that takes none.
    #[error("the readout {name:?} {}", if *.wants { "needs a subject after a colon (name:subject)" } else { "takes no subject" })]
    Subject {
        /// The readout.
        name: String,
        /// Whether it wants one.
        wants: bool,
    },
    /// The subject names nothing the model has.
    #[error("the readout {name:?} has no subject {subject:?}; it has: {known}")]
    UnknownSubject {
        /// The readout.
        name: String,
        /// The subject asked for.
        subject: String,
        /// The subjects it has, comma-separated.
        known: String,
    },
    /// The figure has no value yet (a percentile before the first answer).
    #[error("the readout {name:?} has no value yet at this point of the run")]
    NoValueYet {
        /// The readout.
        name: String,
    },
}

/// A model that answers readouts by name.
pub trait Readouts: Metrics {
    /// The family's own readouts, beside the metric columns.
    const READOUTS: &'static [ReadoutSpec];

    /// The family's own readout `name` (one of [`Readouts::READOUTS`]) about `subject`.
    /// Called only with a name from the list and a subject exactly when it takes one.
    fn family_reading(&self, name: &str, subject: &str) -> Result<Reading, ReadoutError>;

    /// The value of `readout`: a metric column's name, or a family readout's name with its
    /// subject after a colon.
    fn reading(&self, readout: &str) -> Result<Reading, ReadoutError> {
        let (name, subject) = match readout.split_once(':') {
            Some((name, subject)) => (name.trim(), Some(subject.trim())),
            None => (readout.trim(), None),
        };
        if let Some(i) = Self::METRIC_NAMES.iter().position(|m| *m == name) {
            if subject.is_some() {
                return Err(ReadoutError::Subject {
                    name: name.into(),
                    wants: false,
                });
            }
            let v = self.metrics().get(i).copied().unwrap_or(f64::NAN);
            return if v.is_finite() {
                Ok(Reading::Number(v))
            } else {
                Err(ReadoutError::NoValueYet { name: name.into() })
            };
        }
        let Some(spec) = Self::READOUTS.iter().find(|s| s.name == name) else {
            return Err(ReadoutError::Unknown {
                name: name.into(),
                known: Self::readout_names().join(", "),
            });
        };
        match (spec.subject.is_some(), subject) {
            (true, Some(subject)) => self.family_reading(name, subject),
            (false, None) => self.family_reading(name, ""),
            (wants, _) => Err(ReadoutError::Subject {
                name: name.into(),
                wants,
            }),
        }
    }

    /// Every readout's name as an author writes it: the metric columns, then the family's
    /// own (`server_state:<server name>`).
    fn readout_names() -> Vec<String> {
        let own = Self::READOUTS.iter().map(ReadoutSpec::written);
        Self::METRIC_NAMES
            .iter()
            .map(|m| m.to_string())
            .chain(own)
            .collect()
    }
}

/// The subject among `known` (case-insensitive), or the error naming them all.
fn pick<'a, T>(
    name: &str,
    subject: &str,
    known: impl IntoIterator<Item = (String, &'a T)>,
) -> Result<&'a T, ReadoutError> {
    let known: Vec<(String, &T)> = known.into_iter().collect();
    match known.iter().find(|(k, _)| k.eq_ignore_ascii_case(subject)) {
        Some((_, v)) => Ok(v),
        None => Err(ReadoutError::UnknownSubject {
            name: name.into(),
            subject: subject.into(),
            known: known
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// The key with the smallest figure; the first on a tie. `None` for no candidates.
fn smallest<K: Clone>(items: impl Iterator<Item = (K, f64)>) -> Option<K> {
    let mut best: Option<(K, f64)> = None;
    for (k, v) in items {
        if best.as_ref().is_none_or(|(_, b)| v < *b) {
            best = Some((k, v));
        }
    }
    best.map(|(k, _)| k)
}
