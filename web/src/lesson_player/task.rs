//! A step's task: what to do on the page, and whether the model says it is done yet.

use super::prose::Prose;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TaskProps {
    /// What to do (Markdown).
    pub text: AttrValue,
    pub done: bool,
    /// What the readout the task waits for reads now, if the page has been checked.
    pub reading: Option<AttrValue>,
}

#[component]
pub fn TaskBox(p: &TaskProps) -> Html {
    let status = if p.done {
        "Done: the simulation says so.".to_string()
    } else {
        match &p.reading {
            Some(r) => {
                format!("Not done yet (it reads {r} now). The lesson checks the scene as you play.")
            }
            None => "Not done yet. The lesson checks the scene as you play.".into(),
        }
    };
    html! {
        <div class={classes!("task", p.done.then_some("done"))}>
            <p class="task-label">{ if p.done { "✓ Task" } else { "Your task" } }</p>
            <Prose text={p.text.clone()} />
            <p class="task-status" role="status" aria-live="polite">{ status }</p>
        </div>
    }
}
