//! A step's prediction: the question, the choices or a number field, and — once answered —
//! what the simulation says and why. The student answers before the run is shown.

use super::prose::{inline_only, Prose};
use crate::lesson::format::Question;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How the student's last answer went.
#[derive(Clone, PartialEq)]
pub enum Feedback {
    /// The simulation agrees with `0`.
    Right(String),
    /// The simulation does not agree with `0`; the student may try again or ask to be shown.
    Wrong(String),
    /// The student asked to be shown the answer.
    Shown,
    /// The question could not be answered (its run does not open: a course file's mistake).
    Broken(String),
}

#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    pub question: Rc<Question>,
    /// The step, from 1 (names the fields).
    pub step: u32,
    pub feedback: Option<Feedback>,
    /// The answer as the simulation gives it, once the student has answered: the right
    /// choice's text, or the number with its unit.
    pub truth: Option<AttrValue>,
    /// Submits an answer: a choice's value, or the typed number.
    pub on_answer: Callback<String>,
    /// Shows the answer without guessing again.
    pub on_show: Callback<()>,
}

#[component]
pub fn QuestionBox(p: &QuestionProps) -> Html {
    let q = &p.question;
    let form = use_node_ref();
    let name = format!("lesson-q{}", p.step);
    let settled = matches!(p.feedback, Some(Feedback::Right(_) | Feedback::Shown));
    let onsubmit = {
        let form = form.clone();
        let on_answer = p.on_answer.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(answer) = form
                .cast::<web_sys::HtmlFormElement>()
                .and_then(|f| read_answer(&f))
            {
                on_answer.emit(answer);
            }
        })
    };
    let field = match (&q.choices, &q.number) {
        (Some(choices), _) => {
            let items = choices.iter().enumerate().map(|(i, c)| {
                let id = format!("{name}-{i}");
                html! {
                    <li>
                        <input type="radio" id={id.clone()} name={name.clone()} value={c.value().to_string()} disabled={settled} />
                        <label for={id}>{ inline_only(c.text()) }</label>
                    </li>
                }
            });
            html! { <ul class="choices">{ for items }</ul> }
        }
        (None, number) => {
            let unit = number.as_ref().and_then(|n| n.unit.clone());
            html! {
                <p class="number-answer">
                    <label for={name.clone()}>{ "Your prediction" }</label>
                    <input type="text" inputmode="decimal" id={name.clone()} name={name.clone()} autocomplete="off" disabled={settled} />
                    { for unit.map(|u| html! { <span class="unit">{ u }</span> }) }
                </p>
            }
        }
    };
    let truth = p.truth.clone().unwrap_or_default();
    let feedback = match &p.feedback {
        None => html! {},
        Some(Feedback::Right(given)) => html! {
            <div class="feedback right">
                <p><strong>{ "Right. " }</strong>{ format!("You said {given}; the simulation says {truth}.") }</p>
                <Prose text={q.explain.clone()} />
                <p class="hint">{ "The scene now shows the run that answers it: play it back, step through it or look at the inspector." }</p>
            </div>
        },
        Some(Feedback::Wrong(given)) => html! {
            <div class="feedback wrong">
                <p><strong>{ "Not what the simulation says. " }</strong>{ format!("You said {given}. Think again and try another answer, or ask to see the run.") }</p>
                <button type="button" class="ctl" onclick={p.on_show.reform(|_| ())}>{ "Show me the answer" }</button>
            </div>
        },
        Some(Feedback::Shown) => html! {
            <div class="feedback shown">
                <p><strong>{ "The simulation says " }</strong>{ format!("{truth}.") }</p>
                <Prose text={q.explain.clone()} />
                <p class="hint">{ "The scene now shows the run that answers it." }</p>
            </div>
        },
        Some(Feedback::Broken(why)) => html! {
            <div class="feedback wrong"><p>{ format!("This question cannot be answered: {why}") }</p></div>
        },
    };
    html! {
        <form class="question" ref={form} {onsubmit}>
            <fieldset>
                <legend><span class="question-label">{ "Predict" }</span><Prose text={q.ask.clone()} /></legend>
                { field }
            </fieldset>
            if !settled {
                <button type="submit" class="ctl primary">{ "Check my prediction" }</button>
            }
            <div role="status" aria-live="polite">{ feedback }</div>
        </form>
    }
}

/// The answer the form holds: the checked choice's value, or the typed text.
fn read_answer(form: &web_sys::HtmlFormElement) -> Option<String> {
    let elements = form.elements();
    (0..elements.length())
        .filter_map(|i| {
            elements
                .item(i)?
                .dyn_into::<web_sys::HtmlInputElement>()
                .ok()
        })
        .find(|input| match input.type_().as_str() {
            "radio" => input.checked(),
            "text" => !input.value().trim().is_empty(),
            _ => false,
        })
        .map(|input| input.value())
}
