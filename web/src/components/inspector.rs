//! The inspector beside a scene: why the simulation made its last decision (every candidate with
//! the figure the rule compared, the winner marked, the formula with its numbers) and the state
//! of whatever the student selected in the drawing. Drawn with `memo`, so an unchanged inspection
//! (the player rebuilds it at most four times a second while playing) is not redrawn.

use super::memo::View;
use std::rc::Rc;
use yew::prelude::*;

/// What the inspector shows. A scene builds it from its model
/// ([`crate::scenes::Scene::inspect`]); the texts come from the core's readouts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inspection {
    /// The last decision, in full; `None` before the first one.
    pub decision: Option<DecisionTable>,
    /// The selected item's state; `None` when nothing is selected (or it no longer exists).
    pub focus: Option<FactList>,
    /// What a student can select in this scene, e.g. "a server".
    pub selectable: &'static str,
}

/// One decision: what it was about, why, and the candidates it compared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DecisionTable {
    /// What was decided and when, e.g. "Request 18, at 1.234 s".
    pub caption: String,
    /// The reason in one sentence, e.g. "least connections chose web-3: 0 in flight, web-1 had 2".
    pub why: String,
    /// Column headings of the candidate table (empty: no table).
    pub columns: Vec<&'static str>,
    /// One row per candidate, one cell per column; `true` marks the one the rule chose.
    pub rows: Vec<(bool, Vec<String>)>,
    /// The rule as a formula with its numbers, when it is one ("3 × 90 % / 60 % = 4.5 → 5").
    pub formula: Option<String>,
}

/// The state of one selected item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FactList {
    /// The item's name, e.g. "web-3".
    pub title: String,
    /// `(label, value)` pairs, in reading order.
    pub facts: Vec<(&'static str, String)>,
}

/// The panel's data; drawn with [`crate::components::memo::memo`].
#[derive(PartialEq)]
pub struct Inspector {
    /// Shared with the player: the same `Rc` (or an equal inspection) skips the redraw.
    pub inspection: Rc<Inspection>,
    /// Deselects.
    pub on_clear: Callback<()>,
}

impl View for Inspector {
    fn view(&self) -> Html {
        inspector(self)
    }
}

/// The inspector panel.
fn inspector(p: &Inspector) -> Html {
    let (i, on_clear) = (&p.inspection, &p.on_clear);
    let decision = match &i.decision {
        Some(d) => decision_table(d),
        None => html! { <p class="why">{ "No decision yet: press Step or Play." }</p> },
    };
    let focus = match &i.focus {
        Some(f) => {
            let clear = on_clear.clone();
            html! {
                <div class="focus">
                    <h4>{ f.title.clone() }</h4>
                    <dl>
                        { for f.facts.iter().map(|(label, value)| html! {
                            <><dt>{ *label }</dt><dd>{ value.clone() }</dd></>
                        }) }
                    </dl>
                    <button type="button" class="ctl" onclick={Callback::from(move |_| clear.emit(()))}>
                        { "Deselect" }
                    </button>
                </div>
            }
        }
        None => html! {
            <p class="hint">{ format!("Select {} in the drawing (click it, or Tab to it and press Enter) to see its state here.", i.selectable) }</p>
        },
    };
    html! {
        <section class="inspector" aria-labelledby="inspector-title" tabindex="0">
            <h3 id="inspector-title">{ "Why" }</h3>
            { decision }
            { focus }
        </section>
    }
}

fn decision_table(d: &DecisionTable) -> Html {
    let table = if d.columns.is_empty() {
        html! {}
    } else {
        // Seven columns of smooth WRR or a 64-bit hash are wider than the side panel: the
        // table scrolls sideways in its own box (a Tab stop, so the keyboard can scroll it).
        html! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="The candidates the rule compared">
                <table class="decision">
                    <caption>{ d.caption.clone() }</caption>
                    <thead><tr>{ for d.columns.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                    <tbody>
                        { for d.rows.iter().map(|(chosen, cells)| row(*chosen, cells)) }
                    </tbody>
                </table>
            </div>
        }
    };
    html! {
        <>
            <p class="why">{ d.why.clone() }</p>
            if let Some(formula) = &d.formula {
                <p class="formula"><code>{ formula.clone() }</code></p>
            }
            { table }
        </>
    }
}

fn row(chosen: bool, cells: &[String]) -> Html {
    let mut cells = cells.iter();
    let first = cells.next().cloned().unwrap_or_default();
    let rest: Html = cells.map(|c| html! { <td>{ c.clone() }</td> }).collect();
    // Two literal classes rather than a computed one: a class expression links yew's
    // `Classes` set into the page.
    if chosen {
        html! {
            <tr class="chosen">
                <th scope="row"><span class="visually-hidden">{ "chosen: " }</span>{ "▶ " }{ first }</th>
                { rest }
            </tr>
        }
    } else {
        html! { <tr><th scope="row">{ first }</th>{ rest }</tr> }
    }
}
