//! The lesson panel, beside a scene: the lesson's steps with progress, back and next, each
//! step's prose, its task (checked against the model as the student plays) and its
//! prediction (graded against the simulation's own run, which the scene then shows).
//!
//! It runs in the lessons bundle (`src/bin/lessons.rs`), drawn into the room the scene's page
//! makes for it ((`crate::app`)). It talks to the scene only through the
//! address: it opens a step's state as a link, and reads the link the scene writes as it
//! plays (`scalelab:state`), re-simulating that state to ask the model about the task.

mod page;
mod prose;
mod question;
mod task;
mod walk;

use crate::browser;
use crate::lesson::source::{self, Source};
use crate::lesson::{self, answer, Lesson};
use crate::url_state::parse_query;
use std::rc::Rc;
use yew::prelude::*;

/// Draws the lesson the page's link names into `slot`.
pub fn mount(slot: web_sys::Element) {
    yew::Renderer::<LessonPlayer>::with_root(slot).render();
}

/// Checks a lesson file the student picked (every problem, as `lesson check` names them),
/// keeps it in this browser, and gives the link that plays it; or every problem, one per line.
pub fn import(text: &str) -> Result<String, String> {
    let checked = lesson::parse(text).and_then(|l| answer::verify(&l).map(|_| l));
    match checked {
        Ok(l) => {
            page::save(&source::stored_key(&l.id), text);
            Ok(source::imported_link(&l.id))
        }
        Err(problems) => Err(problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

enum Load {
    Loading,
    Failed(Vec<String>),
    Ready(Rc<Lesson>),
}

#[component]
pub fn LessonPlayer() -> Html {
    let load = use_state(|| Load::Loading);
    {
        let load = load.clone();
        use_effect_with((), move |_| {
            let (url, _) = parse_query(&browser::query());
            let read = |text: String| match lesson::parse(&text) {
                Ok(l) => Load::Ready(Rc::new(l)),
                Err(problems) => Load::Failed(problems.iter().map(|p| p.to_string()).collect()),
            };
            match source::source_of(url.lesson.as_deref().unwrap_or_default()) {
                Err(e) => load.set(Load::Failed(vec![e])),
                Ok(Source::Stored(key)) => load.set(match page::load(&key) {
                    Some(text) => read(text),
                    None => Load::Failed(vec!["this lesson was imported in another browser, or its file has been cleared from this one: open the lesson file again from the start page".into()]),
                }),
                Ok(Source::Site(src)) => wasm_bindgen_futures::spawn_local(async move {
                    load.set(match page::fetch_text(&src).await {
                        Err(e) => Load::Failed(vec![format!("the lesson could not be loaded: {e}")]),
                        Ok(text) => read(text),
                    });
                }),
            }
        });
    }
    match &*load {
        Load::Loading => {
            html! { <p class="lesson-status" role="status">{ "Loading the lesson…" }</p> }
        }
        Load::Failed(problems) => html! {
            <div class="lesson-failed" role="alert">
                <h2>{ "This lesson cannot be played" }</h2>
                <ul>{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                <p>{ "The scene beside it still works. " }<a href="?">{ "See the built-in lessons" }</a></p>
            </div>
        },
        Load::Ready(lesson) => html! { <walk::Walk lesson={lesson.clone()} /> },
    }
}
