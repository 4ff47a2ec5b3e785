//! What a student has done in a lesson: every answer given (right or wrong, when) and which
//! steps are complete. The browser keeps it per lesson (localStorage) and a course author can
//! export it as CSV or JSON. What storage gives back is untrusted (a student can edit it): it
//! is read with bounds, and anything unreadable starts the lesson afresh.

use serde::{Deserialize, Serialize};

/// Most answers kept per lesson: the oldest go first.
pub const MAX_ATTEMPTS: usize = 500;
/// Largest stored progress read back, in bytes.
pub const MAX_STORED_BYTES: usize = 128 * 1024;

/// One answer to a step's question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// The step, from 1.
    pub step: u32,
    /// What the student answered (a choice's text or a typed number); empty when they asked
    /// to be shown the answer.
    pub answer: String,
    /// Whether the simulation agreed.
    pub right: bool,
    /// When, as an ISO 8601 UTC time.
    pub time: String,
}

/// A student's progress through one lesson.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Every answer, oldest first.
    pub attempts: Vec<Attempt>,
    /// Steps whose question was answered (right, or shown).
    #[serde(default)]
    pub answered: Vec<u32>,
    /// Steps whose task the model found done.
    #[serde(default)]
    pub tasks_done: Vec<u32>,
    /// Steps the student has opened.
    #[serde(default)]
    pub seen: Vec<u32>,
}

impl Progress {
    /// Reads stored progress; `None` for anything too large or unreadable.
    pub fn from_stored(text: &str) -> Option<Progress> {
        if text.len() > MAX_STORED_BYTES {
            return None;
        }
        let mut p: Progress = serde_json::from_str(text).ok()?;
        let keep_from = p.attempts.len().saturating_sub(MAX_ATTEMPTS);
        p.attempts.drain(..keep_from);
        p.answered.truncate(MAX_ATTEMPTS);
        p.tasks_done.truncate(MAX_ATTEMPTS);
        p.seen.truncate(MAX_ATTEMPTS);
        Some(p)
    }

    /// The text to store.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Records an answer; a right one (or one shown, `answer` empty) answers the step.
    pub fn record(&mut self, step: u32, answer: &str, right: bool, time: String) {
        if self.attempts.len() >= MAX_ATTEMPTS {
            self.attempts.remove(0);
        }
        self.attempts.push(Attempt {
            step,
            answer: answer.to_string(),
            right,
            time,
        });
        if (right || answer.is_empty()) && !self.answered.contains(&step) {
            self.answered.push(step);
        }
    }

    /// Records that the model found step `step`'s task done.
    pub fn task_done(&mut self, step: u32) {
        if !self.tasks_done.contains(&step) {
            self.tasks_done.push(step);
        }
    }

    /// Records that the student opened step `step`.
    pub fn saw(&mut self, step: u32) {
        if !self.seen.contains(&step) {
            self.seen.push(step);
        }
    }

    /// Whether step `step` (from 1) is complete: its task done and its question answered,
    /// where it has them; a step with neither is complete once seen.
    pub fn complete(&self, step: u32, has_task: bool, has_question: bool) -> bool {
        let task = !has_task || self.tasks_done.contains(&step);
        let question = !has_question || self.answered.contains(&step);
        task && question && (has_task || has_question || self.seen.contains(&step))
    }

    /// The answers as CSV: `lesson,step,step_title,answer,right,time`.
    pub fn to_csv(&self, lesson: &str, step_title: impl Fn(u32) -> String) -> String {
        let mut out = String::from("lesson,step,step_title,answer,right,time\n");
        for a in &self.attempts {
            let right = if a.right { "right" } else { "wrong" };
            let row = [
                csv(lesson),
                a.step.to_string(),
                csv(&step_title(a.step)),
                csv(&a.answer),
                right.into(),
                csv(&a.time),
            ];
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }

    /// The answers and completed steps as JSON, for a course author.
    pub fn to_export_json(
        &self,
        lesson: &str,
        title: &str,
        steps: u32,
        complete: &[u32],
    ) -> String {
        #[derive(Serialize)]
        struct Export<'a> {
            lesson: &'a str,
            title: &'a str,
            steps: u32,
            complete: &'a [u32],
            attempts: &'a [Attempt],
        }
        serde_json::to_string_pretty(&Export {
            lesson,
            title,
            steps,
            complete,
            attempts: &self.attempts,
        })
        .unwrap_or_default()
    }
}

/// One CSV field, quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`
/// or `@` is prefixed with `'` so a spreadsheet does not run it as a formula.
fn csv(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_through_storage_and_export() {
        let mut p = Progress::default();
        p.record(2, "round-robin", false, "2026-01-01T00:00:00.000Z".into());
        p.record(
            2,
            "least-connections",
            true,
            "2026-01-01T00:01:00.000Z".into(),
        );
        p.task_done(3);
        let back = Progress::from_stored(&p.to_stored()).expect("reads back");
        assert_eq!(back, p);
        assert!(back.complete(2, false, true));
        assert!(!back.complete(3, true, true));
        assert!(!back.complete(4, false, false));
        let csv = p.to_csv("rr", |s| format!("Step, {s}"));
        assert_eq!(csv.lines().count(), 3);
        assert!(csv.contains("rr,2,\"Step, 2\",round-robin,wrong,2026-01-01T00:00:00.000Z"));
        let json = p.to_export_json("rr", "RR", 5, &[2]);
        assert!(json.contains("\"right\": true"));
    }

    #[test]
    fn tampered_storage_starts_afresh() {
        assert_eq!(Progress::from_stored("{\"attempts\": 3}"), None);
        assert_eq!(
            Progress::from_stored(&"x".repeat(MAX_STORED_BYTES + 1)),
            None
        );
        let many = format!(
            "{{\"attempts\":[{}]}}",
            vec!["{\"step\":1,\"answer\":\"a\",\"right\":false,\"time\":\"t\"}"; MAX_ATTEMPTS + 9]
                .join(",")
        );
        assert_eq!(
            Progress::from_stored(&many).map(|p| p.attempts.len()),
            Some(MAX_ATTEMPTS)
        );
    }

    #[test]
    fn a_formula_is_not_run_by_a_spreadsheet() {
        assert_eq!(csv("=1+1"), "'=1+1");
        assert_eq!(csv("-3"), "'-3");
    }
}
