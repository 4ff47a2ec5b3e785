//! Reading a lesson file as untrusted input: its size, its JSON, every field's type and every
//! bound of [`super::format`], and each text's Markdown. Every problem is named with where it
//! is (`steps[3].question.choices`), all at once, so an author fixes a file in one pass.
//!
//! This checks what can be checked without running anything; [`super::answer::verify`] then
//! opens every state and computes every answer.

use super::format::*;
use super::markdown;
use crate::url_state::{parse_query, MAX_QUERY_LEN};
use serde_json::Value;
use std::fmt;

/// One thing wrong with a lesson file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `id`, `steps[2].text`… (empty for the file as a whole).
    pub at: String,
    /// What is wrong, and what is accepted.
    pub problem: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", self.at, self.problem)
        }
    }
}

/// Collects problems as a file is read.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, at: impl Into<String>, problem: impl Into<String>) {
        self.0.push(Problem {
            at: at.into(),
            problem: problem.into(),
        });
    }

    /// `text` at `at` is present and at most `max` characters.
    fn text(&mut self, at: &str, text: &str, max: usize) {
        let n = text.chars().count();
        if text.trim().is_empty() {
            self.add(at, "is empty");
        } else if n > max {
            self.add(at, format!("is {n} characters; at most {max} are allowed"));
        }
    }

    /// `text` at `at` is present, short enough and in the Markdown subset.
    fn prose(&mut self, at: &str, text: &str, max: usize) {
        self.text(at, text, max);
        if let Err(problems) = markdown::parse(text) {
            for p in problems {
                self.add(at, p);
            }
        }
    }

    /// `query` at `at` is a link's query that opens a scene without a problem.
    fn state(&mut self, at: &str, query: &str) {
        if query.len() > MAX_QUERY_LEN {
            self.add(
                at,
                format!(
                    "is {} characters; at most {MAX_QUERY_LEN} are allowed",
                    query.len()
                ),
            );
            return;
        }
        let (url, problems) = parse_query(query);
        for p in problems {
            self.add(at, format!("{p}"));
        }
        if url.scene.is_none() {
            self.add(
                at,
                "names no scene (scene=balancing, caching, sharding, scaling or system)",
            );
        }
        if url.lesson.is_some() || url.embed || url.parent.is_some() {
            self.add(at, "holds lesson=, embed= or parent=: a step's state is the scene's own link; the player adds the rest");
        }
    }
}

/// Reads a lesson file, or names everything wrong with it.
pub fn parse(text: &str) -> Result<Lesson, Vec<Problem>> {
    let mut p = Problems::default();
    if text.len() > MAX_FILE_BYTES {
        p.add(
            "",
            format!(
                "the file is {} bytes; a lesson is at most {MAX_FILE_BYTES}",
                text.len()
            ),
        );
        return Err(p.0);
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            p.add("", format!("not JSON: {e}"));
            return Err(p.0);
        }
    };
    let Value::Object(fields) = value else {
        p.add("", "a lesson is a JSON object");
        return Err(p.0);
    };
    const FIELDS: [&str; 5] = ["format", "id", "title", "summary", "steps"];
    for key in fields.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        p.add(
            key.as_str(),
            format!(
                "is not a field of a lesson (its fields: {})",
                FIELDS.join(", ")
            ),
        );
    }
    let string = |p: &mut Problems, key: &str| match fields.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            p.add(key, "must be a string");
            String::new()
        }
        None => {
            p.add(key, "is missing");
            String::new()
        }
    };
    let format = string(&mut p, "format");
    let id = string(&mut p, "id");
    let title = string(&mut p, "title");
    let summary = string(&mut p, "summary");
    if fields.contains_key("format") && format != FORMAT {
        p.add(
            "format",
            format!("is {format:?}; this player reads {FORMAT:?}"),
        );
    }
    check_id(&mut p, &id);
    p.text("title", &title, MAX_TITLE_CHARS);
    p.text("summary", &summary, MAX_SUMMARY_CHARS);
    let mut steps = Vec::new();
    match fields.get("steps") {
        Some(Value::Array(items)) => {
            if items.is_empty() || items.len() > MAX_STEPS {
                p.add(
                    "steps",
                    format!("has {} steps; a lesson has 1 to {MAX_STEPS}", items.len()),
                );
            }
            for (i, item) in items.iter().take(MAX_STEPS).enumerate() {
                let at = format!("steps[{i}]");
                match serde_json::from_value::<Step>(item.clone()) {
                    Ok(step) => {
                        check_step(&mut p, &at, &step);
                        steps.push(step);
                    }
                    Err(e) => p.add(at, e.to_string()),
                }
            }
        }
        Some(_) => p.add("steps", "must be a list of steps"),
        None => p.add("steps", "is missing"),
    }
    if p.0.is_empty() {
        Ok(Lesson {
            format,
            id,
            title,
            summary,
            steps,
        })
    } else {
        Err(p.0)
    }
}

/// Whether `id` can name a lesson: 1 to [`MAX_ID_CHARS`] lowercase letters, digits and
/// hyphens (it is part of links, file names and storage keys).
pub fn valid_id(id: &str) -> bool {
    (1..=MAX_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_id(p: &mut Problems, id: &str) {
    if !valid_id(id) {
        p.add(
            "id",
            format!(
                "is {id:?}; an id is 1 to {MAX_ID_CHARS} lowercase letters, digits and hyphens"
            ),
        );
    }
}

fn check_step(p: &mut Problems, at: &str, step: &Step) {
    p.text(&format!("{at}.title"), &step.title, MAX_TITLE_CHARS);
    p.prose(&format!("{at}.text"), &step.text, MAX_TEXT_CHARS);
    p.state(&format!("{at}.state"), &step.state);
    if let Some(task) = &step.task {
        p.prose(&format!("{at}.task.text"), &task.text, MAX_TEXT_CHARS);
        check_condition(p, &format!("{at}.task.done_when"), &task.done_when);
    }
    if let Some(q) = &step.question {
        let at = format!("{at}.question");
        p.prose(&format!("{at}.ask"), &q.ask, MAX_ASK_CHARS);
        p.prose(&format!("{at}.explain"), &q.explain, MAX_TEXT_CHARS);
        p.state(&format!("{at}.run"), &q.run);
        p.text(&format!("{at}.readout"), &q.readout, MAX_READOUT_CHARS);
        match (&q.choices, &q.number) {
            (Some(choices), None) => check_choices(p, &format!("{at}.choices"), choices),
            (None, Some(n)) => {
                if !(n.tolerance.is_finite() && n.tolerance >= 0.0) {
                    p.add(format!("{at}.number.tolerance"), "must be a number, 0 or more");
                }
                if let Some(unit) = &n.unit {
                    p.text(&format!("{at}.number.unit"), unit, 20);
                }
            }
            _ => p.add(at, "needs exactly one of choices (a multiple-choice question) or number (a numeric one)"),
        }
    }
}

fn check_choices(p: &mut Problems, at: &str, choices: &[Choice]) {
    if !CHOICES.contains(&choices.len()) {
        p.add(
            at,
            format!(
                "has {} choices; a question has {} to {}",
                choices.len(),
                CHOICES.start(),
                CHOICES.end()
            ),
        );
    }
    for (i, c) in choices.iter().enumerate() {
        p.text(&format!("{at}[{i}]"), c.text(), MAX_CHOICE_CHARS);
        p.text(&format!("{at}[{i}].value"), c.value(), MAX_CHOICE_CHARS);
        if choices.iter().take(i).any(|d| d.value() == c.value()) {
            p.add(
                format!("{at}[{i}]"),
                format!("repeats the value {:?}", c.value()),
            );
        }
    }
}

fn check_condition(p: &mut Problems, at: &str, c: &Condition) {
    p.text(&format!("{at}.readout"), &c.readout, MAX_READOUT_CHARS);
    let set = [c.is.is_some(), c.at_least.is_some(), c.at_most.is_some()];
    if set.iter().filter(|s| **s).count() != 1 {
        p.add(
            at,
            "needs exactly one of is (a text), at_least or at_most (a number)",
        );
    }
    for (name, v) in [("at_least", c.at_least), ("at_most", c.at_most)] {
        if v.is_some_and(|v| !v.is_finite()) {
            p.add(format!("{at}.{name}"), "must be a finite number");
        }
    }
    if let Some(is) = &c.is {
        p.text(&format!("{at}.is"), is, MAX_CHOICE_CHARS);
    }
}
