//! The inspector beside a scene: why the simulation made its last decision (every candidate with
//! the figure the rule compared, the winner marked, the formula with its numbers) and the state
//! of whatever the student selected in the drawing. Drawn with `memo`, so an unchanged inspection
//! (the player rebuilds it at most four times a second while playing) is not redrawn.

use super::memo::View;
use super::svg::{ctl_button, Attr, El};
use std::rc::Rc;
use yew::prelude::*;
use yew::virtual_dom::VList;

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

/// The inspector panel. (Built with [`El`], not `html!`: every scene's page carries it, and
/// the macro's expansion of each element cost about 1 KB of each page.)
fn inspector(p: &Inspector) -> Html {
    let (i, on_clear) = (&p.inspection, &p.on_clear);
    let decision = match &i.decision {
        Some(d) => decision_table(d),
        None => El::new("p")
            .set(Attr::Class, "why")
            .text("No decision yet: press Step or Play.")
            .html(),
    };
    let focus = match &i.focus {
        Some(f) => {
            let clear = on_clear.clone();
            let mut facts = El::new("dl");
            for (label, value) in &f.facts {
                facts = facts
                    .el(El::new("dt").text(*label))
                    .el(El::new("dd").text(value.clone()));
            }
            El::new("div")
                .set(Attr::Class, "focus")
                .el(El::new("h4").text(f.title.clone()))
                .el(facts)
                .el(ctl_button("", "Deselect", Callback::from(move |_| clear.emit(()))))
        }
        None => El::new("p").set(Attr::Class, "hint").text(format!(
            "Select {} in the drawing (click it, or Tab to it and press Enter) to see its state here.",
            i.selectable
        )),
    };
    El::new("section")
        .set(Attr::Class, "inspector")
        .set(Attr::AriaLabelledby, "inspector-title")
        .set(Attr::Tabindex, "0")
        .el(El::new("h3").set(Attr::Id, "inspector-title").text("Why"))
        .child(decision)
        .el(focus)
        .html()
}

fn decision_table(d: &DecisionTable) -> Html {
    let table = (!d.columns.is_empty()).then(|| {
        let mut head = El::new("tr");
        for c in &d.columns {
            head = head.el(El::new("th").set(Attr::Scope, "col").text(*c));
        }
        let mut body = El::new("tbody");
        for (chosen, cells) in &d.rows {
            body = body.el(row(*chosen, cells));
        }
        // Seven columns of smooth WRR or a 64-bit hash are wider than the side panel: the
        // table scrolls sideways in its own box (a Tab stop, so the keyboard can scroll it).
        El::new("div")
            .set(Attr::Class, "table-scroll")
            .set(Attr::Tabindex, "0")
            .set(Attr::Role, "region")
            .set(Attr::AriaLabel, "The candidates the rule compared")
            .el(El::new("table")
                .set(Attr::Class, "decision")
                .el(El::new("caption").text(d.caption.clone()))
                .el(El::new("thead").el(head))
                .el(body))
    });
    let formula = d.formula.as_ref().map(|f| {
        El::new("p")
            .set(Attr::Class, "formula")
            .el(El::new("code").text(f.clone()))
    });
    let why = El::new("p").set(Attr::Class, "why").text(d.why.clone());
    let parts = vec![
        why.html(),
        formula.map_or_else(Html::default, El::html),
        table.map_or_else(Html::default, El::html),
    ];
    Html::VList(Rc::new(VList::with_children(parts, None)))
}

fn row(chosen: bool, cells: &[String]) -> El {
    let mut cells = cells.iter();
    let first = cells.next().cloned().unwrap_or_default();
    let mut tr = if chosen {
        El::new("tr").set(Attr::Class, "chosen").el(El::new("th")
            .set(Attr::Scope, "row")
            .el(El::new("span")
                .set(Attr::Class, "visually-hidden")
                .text("chosen: "))
            .text("▶ ")
            .text(first))
    } else {
        El::new("tr").el(El::new("th").set(Attr::Scope, "row").text(first))
    };
    for c in cells {
        tr = tr.el(El::new("td").text(c.clone()));
    }
    tr
}
