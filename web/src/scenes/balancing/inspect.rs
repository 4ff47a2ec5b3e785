//! The inspector's content: the last pick in the selected server's lane (every server with the
//! figure its strategy compared, the winner marked, the rule's numbers) and the selected
//! server's state. Every figure and sentence is the core's readout.

use super::server_row::{server_state, ServerFocus};
use crate::components::inspector::{DecisionTable, FactList, Inspection};
use crate::fixed::fixed;
use scalelab_core::balancing::{Balancer, BalancerEvent, BalancingModel, Figure, RouteDecision};
use scalelab_core::sim::SimDuration;

/// What the inspector shows for `model` with `focus` selected.
pub fn inspect(model: &BalancingModel, focus: Option<ServerFocus>) -> Inspection {
    let lane_at = focus.map_or(0, |f| f.0);
    let lane = model.lane(lane_at);
    let names = lane.map(Balancer::server_names).unwrap_or_default();
    Inspection {
        decision: lane
            .and_then(Balancer::last_decision)
            .map(|d| table(d, &names, model.is_race().then_some(lane_at))),
        focus: lane.zip(focus).and_then(|(l, (_, s))| facts(l, s)),
        selectable: "a server",
    }
}

/// A float figure in µs as a duration ("12.3ms"), without the float formatter.
fn micros(v: f64) -> String {
    SimDuration(if v > 0.0 { v as u64 } else { 0 }).to_string()
}

/// The columns after "Server" and "State" for the figure the strategy compared.
fn figure_columns(f: Figure) -> &'static [&'static str] {
    match f {
        Figure::None => &[],
        Figure::InFlight(_) => &["In flight"],
        Figure::Smooth { .. } => &["Weight", "Effective", "Before", "Raised", "After"],
        Figure::Accumulated { .. } => &["Weight", "Before", "Raised", "After"],
        Figure::Mean { .. } => &["Mean", "Samples"],
        Figure::Ewma { .. } => &["EWMA", "In flight", "Score"],
    }
}

fn figure_cells(f: Figure) -> Vec<String> {
    match f {
        Figure::None => vec![],
        Figure::InFlight(n) => vec![n.to_string()],
        Figure::Smooth {
            weight,
            effective_weight,
            current_before,
            current_raised,
            current_after,
        } => [
            weight,
            effective_weight,
            current_before,
            current_raised,
            current_after,
        ]
        .iter()
        .map(i64::to_string)
        .collect(),
        Figure::Accumulated {
            weight,
            before,
            raised,
            after,
        } => vec![
            weight.to_string(),
            before.to_string(),
            raised.to_string(),
            after.to_string(),
        ],
        Figure::Mean { mean, samples } => {
            vec![SimDuration(mean).to_string(), samples.to_string()]
        }
        Figure::Ewma {
            ewma,
            in_flight,
            score,
        } => vec![
            ewma.map_or_else(|| "none yet".into(), micros),
            in_flight.to_string(),
            micros(score),
        ],
    }
}

fn table(d: &RouteDecision, names: &[String], lane: Option<u32>) -> DecisionTable {
    let extra = figure_columns(d.eligible().next().map_or(Figure::None, |c| c.figure));
    let mut columns = vec!["Server", "State"];
    columns.extend_from_slice(extra);
    let rows = d
        .servers
        .iter()
        .map(|c| {
            let mut cells = vec![
                names.get(c.server as usize).cloned().unwrap_or_default(),
                c.standing.label().to_string(),
            ];
            let mut figures = figure_cells(c.figure);
            figures.resize(extra.len(), "–".into());
            cells.extend(figures);
            (d.winner == Some(c.server), cells)
        })
        .collect();
    let lane = lane
        .map(|l| format!("Lane {}, r", l + 1))
        .unwrap_or("R".into());
    DecisionTable {
        caption: format!("{lane}equest {}, at {}", d.request, d.at),
        why: d.why(names).to_string(),
        columns,
        rows,
        // The why sentence gives the rule's numbers (the hash and its modulo, the current
        // weights, the cursor): no formula line repeats them.
        formula: None,
    }
}

/// Server `index`'s state in `lane`: what the balancer believes, its load and counters, how the
/// last pick saw it.
fn facts(lane: &Balancer, index: u32) -> Option<FactList> {
    let m = lane.metrics();
    let s = m.servers.get(index as usize)?;
    let mut facts = vec![
        ("State", server_state(s).0.to_string()),
        ("Weight", s.weight.to_string()),
        ("In flight", s.in_flight.to_string()),
        (
            "Busy slots",
            format!("{} of {}", s.busy_slots, s.concurrency),
        ),
        ("Queue", format!("{} of {}", s.queue_len, s.queue_limit)),
        (
            "Utilisation",
            format!("{} %", fixed(s.utilisation * 100.0, 0)),
        ),
        ("Routed", s.counters.routed.to_string()),
        ("Completed", s.counters.completed.to_string()),
    ];
    if let Some(c) = lane.last_decision().and_then(|d| d.considered(index)) {
        let mut seen = c.standing.label().to_string();
        for (column, cell) in figure_columns(c.figure).iter().zip(figure_cells(c.figure)) {
            seen.push_str(&format!(" · {column} {cell}"));
        }
        facts.push(("Last pick", seen));
    }
    Some(FactList {
        title: s.name.clone(),
        facts,
    })
}

/// The narration of a pick with its reason, when `lane` recorded one for exactly this event.
/// (Health changes keep their plain narration: their reasons' sentences would cost the page
/// about 0.7 KB gzipped.)
pub fn narrate_why(lane: &Balancer, event: &BalancerEvent) -> Option<String> {
    let BalancerEvent::Routed { at, request, .. } = *event else {
        return None;
    };
    let d = lane.last_decision().filter(|d| d.request == request)?;
    Some(format!(
        "At {at}, request {request}: {}.",
        d.why(&lane.server_names())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::balancing::BalancingConfig;
    use scalelab_core::Model;

    /// The table marks exactly the server the last Routed event went to, the narration
    /// gives its reason, and a selected server's facts are its own.
    #[test]
    fn the_inspector_shows_the_last_pick_and_the_selected_server() {
        let mut model = BalancingModel::new(BalancingConfig::default()).unwrap();
        let mut routed = None;
        while routed.is_none() {
            for e in model.step() {
                if let BalancerEvent::Routed { server, .. } = e.event {
                    let line = narrate_why(model.lane(0).unwrap(), &e.event).unwrap();
                    assert!(line.contains("round robin chose web-"), "{line}");
                    routed = Some(server);
                }
            }
        }
        let i = inspect(&model, Some((0, 1)));
        let d = i.decision.unwrap();
        assert_eq!(d.rows.len(), 4);
        let chosen: Vec<usize> = (0..4).filter(|&r| d.rows[r].0).collect();
        assert_eq!(chosen, vec![routed.unwrap() as usize]);
        assert!(d.why.starts_with("round robin chose"), "{}", d.why);
        let f = i.focus.unwrap();
        assert_eq!(f.title, "web-2");
        assert!(f.facts.iter().any(|(k, _)| *k == "Last pick"));
        assert!(inspect(&model, Some((0, 9))).focus.is_none());
    }
}
