//! A lesson file as an author writes it (JSON, described for authors in
//! `web/lessons/lesson.schema.json` and the README): the types serde reads, and the limits
//! [`super::check`] holds them to.

use serde::{Deserialize, Serialize};

/// The `format` every lesson file names: a later format gets a new name.
pub const FORMAT: &str = "scalelab-lesson-1";
/// Largest lesson file read, in bytes.
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// Most steps a lesson has.
pub const MAX_STEPS: usize = 20;
/// Longest id (lowercase letters, digits and hyphens).
pub const MAX_ID_CHARS: usize = 48;
/// Longest lesson or step title.
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest summary.
pub const MAX_SUMMARY_CHARS: usize = 300;
/// Longest prose of a step, an explanation or a task.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Longest question.
pub const MAX_ASK_CHARS: usize = 500;
/// Fewest and most choices of a multiple-choice question.
pub const CHOICES: std::ops::RangeInclusive<usize> = 2..=6;
/// Longest choice text or value.
pub const MAX_CHOICE_CHARS: usize = 120;
/// Longest readout name.
pub const MAX_READOUT_CHARS: usize = 80;

/// A guided lesson: ordered steps, each opening an exact state of a scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Always [`FORMAT`].
    pub format: String,
    /// What links name it by (`?lesson=<id>`), and its progress is kept under.
    pub id: String,
    /// Its title.
    pub title: String,
    /// One or two sentences: what a student will learn.
    pub summary: String,
    /// Its steps, in order.
    pub steps: Vec<Step>,
}

/// One step: prose, the state it opens, and optionally a task and a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Its heading.
    pub title: String,
    /// What the student reads (the Markdown subset of [`super::markdown`]).
    pub text: String,
    /// The state it opens: a link's query (`scene=…&seed=…&ops=…&step=…`), as the page's
    /// "copy link" gives it.
    pub state: String,
    /// Something the student does on the page, done when the model says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    /// A prediction the student makes before seeing the run that answers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<Question>,
}

/// Something to do, checked against the model as the student plays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// What to do (Markdown).
    pub text: String,
    /// When it is done.
    pub done_when: Condition,
}

/// A readout compared with a value: `{"readout": "server_state:web-2", "is": "crashed-down"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// What the model is asked ([`scalelab_core::readouts`]).
    pub readout: String,
    /// Holds when the readout reads exactly this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<String>,
    /// Holds when the readout is at least this number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Holds when the readout is at most this number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

/// A prediction whose right answer is what the simulation reads after its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question (Markdown).
    pub ask: String,
    /// The run that answers it: a link's query, played to its `step`.
    pub run: String,
    /// The readout whose value at the end of the run is the answer.
    pub readout: String,
    /// The answers to choose from (a multiple-choice question).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<Choice>>,
    /// A number to type (a numeric question).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<NumberAnswer>,
    /// Why the run came out as it did (Markdown), shown after answering.
    pub explain: String,
}

/// A choice: the text a student reads, and the readout value it stands for when that differs
/// (`{"text": "Least connections", "value": "least-connections"}`); a plain string is both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Choice {
    /// Text and value in one.
    Plain(String),
    /// Text shown, value compared.
    Labelled {
        /// What the student reads.
        text: String,
        /// The readout value it means.
        value: String,
    },
}

impl Choice {
    /// What the student reads.
    pub fn text(&self) -> &str {
        match self {
            Choice::Plain(t) | Choice::Labelled { text: t, .. } => t,
        }
    }

    /// The readout value it stands for.
    pub fn value(&self) -> &str {
        match self {
            Choice::Plain(v) | Choice::Labelled { value: v, .. } => v,
        }
    }
}

/// How a typed number is judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberAnswer {
    /// How far from the computed answer a guess may be and still be right (0: exactly).
    #[serde(default)]
    pub tolerance: f64,
    /// What the number counts (`keys`, `ms`), shown beside the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}
