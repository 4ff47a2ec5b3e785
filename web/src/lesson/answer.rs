//! What the simulation says: a lesson's states opened and played, and the readouts its tasks
//! and questions name read off the model there. The same code answers natively (the authors'
//! `lesson check`, the tests) and in the browser, so a student is graded against exactly the
//! figures the check printed.

use super::check::Problem;
use super::format::{Condition, Lesson, Question};
use crate::player::{from_link_within, PlayerState};
use crate::scenes::{with_scene, Scene, SceneFn};
use crate::url_state::{parse_query, to_query, UrlState};
use scalelab_core::readouts::{Reading, Readouts};

/// The value of `readout` once the state `query` is opened and played to its step.
pub fn reading_at(query: &str, readout: &str) -> Result<Reading, String> {
    Live::open(query)?.reading(readout)
}

/// The answer to `q`: its readout at the end of its run.
pub fn answer(q: &Question) -> Result<Reading, String> {
    reading_at(&q.run, &q.readout)
}

/// Whether `reading` meets `c`.
pub fn holds(c: &Condition, reading: &Reading) -> bool {
    match (reading, &c.is, c.at_least, c.at_most) {
        (r, Some(is), _, _) => r.to_text().eq_ignore_ascii_case(is.trim()),
        (Reading::Number(v), None, Some(min), _) => *v >= min,
        (Reading::Number(v), None, None, Some(max)) => *v <= max,
        _ => false,
    }
}

/// Whether a student's answer `given` (a choice's value, or a typed number) is what the
/// simulation read (`truth`).
pub fn is_right(q: &Question, truth: &Reading, given: &str) -> bool {
    if let Some(n) = &q.number {
        let typed = given.trim().replace([',', '_', ' '], "");
        return match (truth, typed.parse::<f64>()) {
            (Reading::Number(t), Ok(g)) if g.is_finite() => (g - t).abs() <= n.tolerance + 1e-9,
            _ => false,
        };
    }
    truth.to_text().eq_ignore_ascii_case(given.trim())
}

/// The index of the choice that is right, if the question has choices and one matches.
pub fn right_choice(q: &Question, truth: &Reading) -> Option<usize> {
    let text = truth.to_text();
    q.choices
        .as_ref()?
        .iter()
        .position(|c| c.value().eq_ignore_ascii_case(&text))
}

/// A scene's player at some state, kept so that the next state of the same run (the page a
/// student is playing, a little further on) is reached by stepping on, not by starting over.
pub struct Live {
    /// The state's query without its step: what makes two states the same run.
    run: String,
    player: Box<dyn Reader>,
}

/// A player of any scene, as far as readouts go.
trait Reader {
    fn seek(&mut self, step: u64);
    fn reading(&self, readout: &str) -> Result<Reading, String>;
}

impl<S: Scene> Reader for PlayerState<S> {
    fn seek(&mut self, step: u64) {
        PlayerState::seek(self, step);
    }

    fn reading(&self, readout: &str) -> Result<Reading, String> {
        self.model().reading(readout).map_err(|e| e.to_string())
    }
}

impl Live {
    /// Opens the state `query` and plays it to its step; refuses a state with any problem.
    pub fn open(query: &str) -> Result<Live, String> {
        let (url, problems) = parse_query(query);
        if let Some(p) = problems.first() {
            return Err(p.to_string());
        }
        let scene = url.scene.ok_or("the state names no scene")?;
        struct Open<'a>(&'a UrlState);
        impl SceneFn for Open<'_> {
            type Output = Result<Box<dyn Reader>, String>;
            fn call<S: Scene>(self) -> Self::Output {
                let max_step = self.0.step.max(crate::input::MAX_STEP);
                let (player, problems) = from_link_within::<S>(self.0, &[], max_step);
                match problems.into_iter().next() {
                    Some(p) => Err(p),
                    None => Ok(Box::new(player)),
                }
            }
        }
        let player = with_scene(scene, Open(&url))?;
        Ok(Live {
            run: run_of(&url),
            player,
        })
    }

    /// Moves to the state `query`: on from here when it is the same run, else opened afresh.
    pub fn go_to(&mut self, query: &str) -> Result<(), String> {
        let (url, problems) = parse_query(query);
        if problems.is_empty() && run_of(&url) == self.run {
            self.player.seek(url.step);
            return Ok(());
        }
        *self = Live::open(query)?;
        Ok(())
    }

    /// The value of `readout` here.
    pub fn reading(&self, readout: &str) -> Result<Reading, String> {
        self.player.reading(readout)
    }
}

/// A state's query without its step, lesson, embedding or theme: the run it is a point of.
fn run_of(url: &UrlState) -> String {
    let run = UrlState {
        step: 0,
        embed: false,
        theme: None,
        parent: None,
        lesson: None,
        at: 0,
        ..url.clone()
    };
    // Raw params are kept sorted by key, so equal runs write equal queries.
    to_query(&run, &crate::scenario::param_pairs(&run.params))
}

/// Whether two links set up the same run: the same scene, seed and settings (a setting left
/// at its default counts as given), whatever actions and step each is at.
pub fn same_setup(a: &str, b: &str) -> bool {
    let ((a, _), (b, _)) = (parse_query(a), parse_query(b));
    struct Settings<'a>(&'a UrlState);
    impl SceneFn for Settings<'_> {
        type Output = Vec<(&'static str, String)>;
        fn call<S: Scene>(self) -> Self::Output {
            let (values, _) = crate::params::ParamValues::resolve(S::specs(), &self.0.params);
            values.non_default(S::specs())
        }
    }
    match (a.scene, b.scene) {
        (Some(sa), Some(sb)) if sa == sb => {
            a.seed == b.seed && with_scene(sa, Settings(&a)) == with_scene(sb, Settings(&b))
        }
        _ => false,
    }
}

/// What the check found for one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// The step's title.
    pub title: String,
    /// The task's readout and what it reads when the step opens (it must not already hold).
    pub task: Option<(String, Option<Reading>)>,
    /// The question, its computed answer and, for a multiple-choice one, the right choice.
    pub question: Option<(String, Reading, Option<usize>)>,
}

/// Opens every state of `lesson` and computes every answer: the problems a run finds (a
/// state that does not open cleanly, an unknown readout, a computed answer that is none of
/// the choices, a task already done when its step opens), or one report per step.
pub fn verify(lesson: &Lesson) -> Result<Vec<StepReport>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut reports = Vec::new();
    let mut add = |at: String, problem: String| problems.push(Problem { at, problem });
    for (i, step) in lesson.steps.iter().enumerate() {
        let at = format!("steps[{i}]");
        let live = match Live::open(&step.state) {
            Ok(live) => Some(live),
            Err(e) => {
                add(format!("{at}.state"), e);
                None
            }
        };
        let task = step.task.as_ref().map(|t| {
            let c = &t.done_when;
            let now = live.as_ref().map(|l| l.reading(&c.readout));
            let at = format!("{at}.task.done_when.readout");
            match now {
                Some(Ok(r)) => {
                    if holds(c, &r) {
                        add(at, format!("already holds when the step opens ({}), so the task would be done before the student starts", r.to_text()));
                    }
                    (c.readout.clone(), Some(r))
                }
                Some(Err(e)) if !e.contains("no value yet") => {
                    add(at, e);
                    (c.readout.clone(), None)
                }
                _ => (c.readout.clone(), None),
            }
        });
        let question = step.question.as_ref().and_then(|q| {
            let at = format!("{at}.question");
            match answer(q) {
                Ok(truth) => {
                    let right = right_choice(q, &truth);
                    if q.choices.is_some() && right.is_none() {
                        add(
                            format!("{at}.choices"),
                            format!(
                                "the simulation reads {:?}, which is none of the choices' values",
                                truth.to_text()
                            ),
                        );
                    }
                    if q.number.is_some() && !matches!(truth, Reading::Number(_)) {
                        add(
                            format!("{at}.readout"),
                            format!(
                                "reads the text {:?}; a numeric question needs a number",
                                truth.to_text()
                            ),
                        );
                    }
                    Some((q.ask.clone(), truth, right))
                }
                Err(e) => {
                    add(format!("{at}.run"), e);
                    None
                }
            }
        });
        reports.push(StepReport {
            title: step.title.clone(),
            task,
            question,
        });
    }
    if problems.is_empty() {
        Ok(reports)
    } else {
        Err(problems)
    }
}
