//! Walking a lesson: which step is on screen, what the student has answered and done, and
//! what each button does.

use super::page;
use super::prose::Prose;
use super::question::{Feedback, QuestionBox};
use super::task::TaskBox;
use crate::browser;
use crate::lesson::answer::{self, holds, is_right, right_choice, Live};
use crate::lesson::format::{Lesson, Question, Step};
use crate::lesson::progress::Progress;
use crate::url_state::parse_query;
use scalelab_core::readouts::Reading;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct WalkProps {
    pub lesson: Rc<Lesson>,
}

impl PartialEq for WalkProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.lesson, &other.lesson)
    }
}

/// What the walk keeps between renders (shared with the page's event listeners).
struct Walking {
    lesson: Rc<Lesson>,
    /// The step on screen, from 1.
    at: u32,
    progress: Progress,
    feedback: Option<Feedback>,
    /// Each asked question's answer, computed once: `(step, reading)`.
    truths: BTreeMap<u32, Result<Reading, String>>,
    /// What the task's readout read at the last check.
    reading: Option<String>,
    /// The scene's state as last re-simulated for a task check.
    live: Option<Live>,
}

impl Walking {
    fn storage_key(&self) -> String {
        format!("scalelab-lesson:{}", self.lesson.id)
    }

    fn step(&self) -> Option<&Step> {
        self.lesson.steps.get(self.at.saturating_sub(1) as usize)
    }

    fn save(&self) {
        page::save(&self.storage_key(), &self.progress.to_stored());
    }

    /// The step the address names (from 1), kept within the lesson.
    fn at_of_page(&self) -> u32 {
        let at = parse_query(&browser::query()).0.at;
        at.clamp(1, self.lesson.steps.len().max(1) as u32)
    }

    /// Follows the address: the step it names, and the task checked against its state.
    fn follow_page(&mut self) {
        let at = self.at_of_page();
        if at != self.at {
            self.at = at;
            self.arrive();
        }
        self.check_task();
    }

    /// A step came on screen.
    fn arrive(&mut self) {
        self.feedback = self
            .progress
            .answered
            .contains(&self.at)
            .then_some(Feedback::Shown);
        self.reading = None;
        self.progress.saw(self.at);
        self.save();
    }

    /// Asks the model whether the step's task is done, at the state the address holds.
    fn check_task(&mut self) {
        let at = self.at;
        let Some(task) = self.step().and_then(|s| s.task.clone()) else {
            return;
        };
        if self.progress.tasks_done.contains(&at) {
            return;
        }
        let query = browser::query();
        let moved = match &mut self.live {
            Some(live) => live.go_to(&query),
            None => Live::open(&query).map(|l| self.live = Some(l)),
        };
        if moved.is_err() {
            self.live = None;
            return;
        }
        let Some(reading) = self
            .live
            .as_ref()
            .and_then(|l| l.reading(&task.done_when.readout).ok())
        else {
            return;
        };
        self.reading = Some(reading.to_text());
        if holds(&task.done_when, &reading) {
            self.progress.task_done(at);
            self.save();
        }
    }

    /// The answer as the student reads it: the right choice's text, or the number and unit.
    fn truth_text(&self) -> Option<String> {
        let q = self.step()?.question.as_ref()?;
        let truth = self.truths.get(&self.at)?.as_ref().ok()?;
        Some(match (right_choice(q, truth), &q.choices, &q.number) {
            (Some(i), Some(choices), _) => choices.get(i).map(|c| c.text().to_string())?,
            (_, _, Some(n)) => match &n.unit {
                Some(unit) => format!("{} {unit}", truth.to_text()),
                None => truth.to_text(),
            },
            _ => truth.to_text(),
        })
    }

    /// The step's question and what the simulation answers to it (computed once per step);
    /// `None`, and the feedback saying why, when its run does not open.
    fn question_and_truth(&mut self) -> Option<(Question, Reading)> {
        let q = self.step()?.question.clone()?;
        let truth = self
            .truths
            .entry(self.at)
            .or_insert_with(|| answer::answer(&q))
            .clone();
        match truth {
            Ok(t) => Some((q, t)),
            Err(e) => {
                self.feedback = Some(Feedback::Broken(e));
                None
            }
        }
    }

    /// Grades `given` against the simulation and records it; on a right answer, the link to
    /// the run that answers it, for the caller to open.
    fn answer(&mut self, given: String) -> Option<String> {
        let at = self.at;
        let (q, truth) = self.question_and_truth()?;
        let right = is_right(&q, &truth, &given);
        // A choice is recorded by the text the student read.
        let said = q
            .choices
            .as_ref()
            .and_then(|cs| cs.iter().find(|c| c.value() == given))
            .map_or(given.trim().to_string(), |c| c.text().to_string());
        self.progress.record(at, &said, right, page::now_iso());
        self.save();
        if right {
            self.feedback = Some(Feedback::Right(said));
            Some(page::step_link(&q.run, at))
        } else {
            self.feedback = Some(Feedback::Wrong(said));
            None
        }
    }

    /// Shows the answer without another guess: the link to the run that answers it.
    fn show(&mut self) -> Option<String> {
        let at = self.at;
        let (q, _) = self.question_and_truth()?;
        self.progress.record(at, "", false, page::now_iso());
        self.save();
        self.feedback = Some(Feedback::Shown);
        Some(page::step_link(&q.run, at))
    }

    /// Moves the panel to step `to` (from 1): the link to its state, for the caller to open.
    fn go(&mut self, to: u32) -> Option<String> {
        let step = self.lesson.steps.get(to.saturating_sub(1) as usize)?;
        let link = page::step_link(&step.state, to);
        self.at = to;
        self.arrive();
        Some(link)
    }

    fn complete(&self, step: u32) -> bool {
        let Some(s) = self.lesson.steps.get(step.saturating_sub(1) as usize) else {
            return false;
        };
        self.progress
            .complete(step, s.task.is_some(), s.question.is_some())
    }

    fn export(&self, csv: bool) {
        let lesson = &self.lesson;
        let title = |step: u32| {
            lesson
                .steps
                .get(step.saturating_sub(1) as usize)
                .map(|s| s.title.clone())
                .unwrap_or_default()
        };
        let n = lesson.steps.len() as u32;
        let name = format!(
            "scalelab-lesson-{}.{}",
            lesson.id,
            if csv { "csv" } else { "json" }
        );
        if csv {
            browser::download(&name, "text/csv", &self.progress.to_csv(&lesson.id, title));
        } else {
            let complete: Vec<u32> = (1..=n).filter(|s| self.complete(*s)).collect();
            let text = self
                .progress
                .to_export_json(&lesson.id, &lesson.title, n, &complete);
            browser::download(&name, "application/json", &text);
        }
    }

    fn reset(&mut self) {
        self.progress = Progress::default();
        page::forget(&self.storage_key());
        self.feedback = None;
        self.reading = None;
        self.progress.saw(self.at);
    }
}

#[component]
pub fn Walk(p: &WalkProps) -> Html {
    let state = {
        let lesson = p.lesson.clone();
        use_mut_ref(move || {
            let mut w = Walking {
                progress: Progress::default(),
                at: 1,
                feedback: None,
                truths: BTreeMap::new(),
                reading: None,
                live: None,
                lesson,
            };
            w.progress = page::load(&w.storage_key())
                .and_then(|t| Progress::from_stored(&t))
                .unwrap_or_default();
            w.at = w.at_of_page();
            w.arrive();
            w
        })
    };
    let redraw = use_force_update();
    // First: the scene opens this step's set-up, unless it already shows it (a reload keeps
    // what the student did). Then follow the address as the scene and the history move.
    {
        let state = state.clone();
        let redraw = redraw.clone();
        use_effect_with((), move |_| {
            let open = {
                let w = state.borrow();
                w.step()
                    .filter(|step| !page::shows_setup_of(&step.state))
                    .map(|step| page::step_link(&step.state, w.at))
            };
            if let Some(link) = open {
                page::open(&link, true);
            }
            let listeners = browser::window().map(|win| {
                [browser::STATE_EVENT, "popstate"].map(|name| {
                    let state = state.clone();
                    let redraw = redraw.clone();
                    gloo_events::EventListener::new(&win, name, move |_| {
                        state.borrow_mut().follow_page();
                        redraw.force_update();
                    })
                })
            });
            state.borrow_mut().check_task();
            move || drop(listeners)
        });
    }
    let heading = use_node_ref();
    let w = state.borrow();
    // Move focus to a new step's heading, so a screen reader reads where the student now is.
    {
        let heading = heading.clone();
        let first = use_mut_ref(|| true);
        use_effect_with(w.at, move |_| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        });
    }
    /// Runs `f` on the walk, then opens the link it gives, if any. Opening happens after the
    /// walk is released: it sends `popstate`, whose listener reads the walk again.
    fn callback<E>(
        state: &Rc<std::cell::RefCell<Walking>>,
        redraw: &UseForceUpdateHandle,
        f: impl Fn(&mut Walking) -> Option<String> + 'static,
    ) -> Callback<E> {
        let (state, redraw) = (state.clone(), redraw.clone());
        Callback::from(move |_| {
            let link = f(&mut state.borrow_mut());
            if let Some(link) = link {
                page::open(&link, false);
            }
            redraw.force_update();
        })
    }
    let act = |f: fn(&mut Walking)| {
        callback::<MouseEvent>(&state, &redraw, move |w| {
            f(w);
            None
        })
    };
    let n = w.lesson.steps.len() as u32;
    let at = w.at;
    let done = (1..=n).filter(|s| w.complete(*s)).count();
    let go = |to: u32| callback::<MouseEvent>(&state, &redraw, move |w| w.go(to));
    let dots = w.lesson.steps.iter().zip(1u32..).map(|(s, i)| {
        let label = format!("Step {i}: {}{}", s.title, if w.complete(i) { " (complete)" } else { "" });
        html! {
            <li>
                <button type="button" class={classes!("dot", w.complete(i).then_some("complete"))}
                    aria-current={(i == at).then_some("step")} aria-label={label.clone()} title={label}
                    onclick={go(i)}>{ i }</button>
            </li>
        }
    });
    let Some(step) = w.step() else {
        return html! {};
    };
    let task = step.task.as_ref().map(|t| {
        html! {
            <TaskBox text={t.text.clone()} done={w.progress.tasks_done.contains(&at)}
                reading={w.reading.clone().map(AttrValue::from)} />
        }
    });
    let question = step.question.as_ref().map(|q| {
        let on_answer = {
            let (state, redraw) = (state.clone(), redraw.clone());
            Callback::from(move |given: String| {
                let link = state.borrow_mut().answer(given);
                if let Some(link) = link {
                    page::open(&link, false);
                }
                redraw.force_update();
            })
        };
        html! {
            <QuestionBox key={at} question={Rc::new(q.clone())} step={at} feedback={w.feedback.clone()}
                truth={w.truth_text().map(AttrValue::from)} {on_answer} on_show={callback::<()>(&state, &redraw, Walking::show)} />
        }
    });
    let lesson = &w.lesson;
    let embedded = parse_query(&browser::query()).0.embed;
    html! {
        <div class="lesson-panel">
            <header class="lesson-head">
                <p class="lesson-kicker">
                    { "Lesson · " }
                    // Embedded, the list opens beside the course page rather than in the widget.
                    <a href="?#lessons" target={embedded.then_some("_blank")}>{ "all lessons" }</a>
                </p>
                <h2>{ lesson.title.clone() }</h2>
                <p class="lesson-count">{ format!("Step {at} of {n} · {done} of {n} complete") }</p>
                <progress max={n.to_string()} value={done.to_string()} aria-label="Steps complete"></progress>
                <ol class="lesson-dots" aria-label="Steps">{ for dots }</ol>
            </header>
            <section class="lesson-step" aria-labelledby="lesson-step-title">
                <h3 id="lesson-step-title" tabindex="-1" ref={heading}>{ step.title.clone() }</h3>
                <Prose text={step.text.clone()} />
                { for task }
                { for question }
            </section>
            <nav class="lesson-nav" aria-label="Lesson steps">
                <button type="button" class="ctl" disabled={at <= 1} onclick={go(at.saturating_sub(1))}>{ "← Back" }</button>
                <button type="button" class="ctl" onclick={go(at)} title="Open this step's state again">{ "Restart step" }</button>
                <button type="button" class="ctl primary" disabled={at >= n} onclick={go(at + 1)}>{ "Next →" }</button>
            </nav>
            <footer class="lesson-foot">
                <span>{ "Your answers stay in this browser." }</span>
                <button type="button" class="ctl" onclick={act(|w| w.export(true))}>{ "Export CSV" }</button>
                <button type="button" class="ctl" onclick={act(|w| w.export(false))}>{ "Export JSON" }</button>
                <button type="button" class="ctl" onclick={act(Walking::reset)}>{ "Reset progress" }</button>
            </footer>
        </div>
    }
}
