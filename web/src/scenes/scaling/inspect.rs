//! The inspector's content for the scaling scene: the focused lane's last autoscaler decision
//! (each metric against the threshold rule's lines, or the HPA's steps from the ratio rule
//! through its window, rate policy and bounds) with its why sentence and formula, and the
//! focused instance's state. Every figure is the core's readout; this only lays it out, with
//! the core's text pushers (one call per piece, not a `format!` per cell: the page is
//! downloaded).

use crate::components::inspector::{DecisionTable, FactList, Inspection};
use scalelab_core::scaling::{
    metric_name, push_count, push_policy, push_reading, push_secs, put, DecisionBasis, Hold,
    HpaWhy, InstanceState, Lane, Metric, Reason, ScalingDecision, ScalingModel, ThresholdWhy,
    Verdict,
};
use scalelab_core::sim::{SimDuration, SimTime};
use scalelab_core::Model;

type Row = (bool, Vec<String>);

fn count(n: u64) -> String {
    let mut s = String::new();
    push_count(&mut s, n);
    s
}

fn reading(metric: Metric, v: f64) -> String {
    let mut s = String::new();
    push_reading(&mut s, metric, v);
    s
}

fn secs(d: SimDuration) -> String {
    let mut s = String::new();
    push_secs(&mut s, d);
    s
}

/// `t` as the step label writes it.
fn time(t: SimTime) -> String {
    t.to_string()
}

/// What the inspector shows for `focus` = (lane, instance id): that lane's decision, or lane
/// 0's when nothing is selected.
pub fn inspect(model: &ScalingModel, focus: Option<(u32, u32)>) -> Inspection {
    let lane = model.lane(focus.map_or(0, |(l, _)| l));
    Inspection {
        decision: lane.and_then(|l| l.last_decision().map(|d| decision_table(l, d))),
        focus: focus.and_then(|(l, id)| instance_facts(model.lane(l)?, id)),
        selectable: "an instance",
    }
}

fn decision_table(lane: &Lane, d: &ScalingDecision) -> DecisionTable {
    let mut caption = String::from(lane.label());
    if !caption.is_empty() {
        put(&mut caption, ": ");
    }
    put(&mut caption, "tick ");
    push_count(&mut caption, d.tick);
    put(&mut caption, ", at ");
    put(&mut caption, &time(d.at));
    let mut why = String::new();
    d.push_why(&mut why);
    let (columns, rows) = match &d.basis {
        DecisionBasis::Threshold(w) => (
            vec!["reading", "value", "out above", "in below"],
            threshold_rows(d, w),
        ),
        DecisionBasis::Hpa(w) => (vec!["step", "replicas", "note"], hpa_rows(w)),
    };
    let formula = d.formula();
    DecisionTable {
        caption,
        why,
        columns,
        rows,
        formula,
    }
}

fn threshold_rows(d: &ScalingDecision, why: &ThresholdWhy) -> Vec<Row> {
    let trigger = why.trigger.map(|t| t.metric);
    let by_bound = trigger == Some(Metric::Replicas);
    // Scale-in (or a hold at the minimum) needs every reading low: all three decide.
    let all_low = !by_bound && matches!(why.verdict, Verdict::In | Verdict::Hold(Hold::AtMin));
    let mut rows: Vec<Row> = why
        .checks
        .iter()
        .map(|c| {
            (
                trigger == Some(c.metric) || all_low,
                vec![
                    metric_name(c.metric).to_string(),
                    reading(c.metric, c.value),
                    reading(c.metric, c.up),
                    reading(c.metric, c.down),
                ],
            )
        })
        .collect();
    let unit = if d.rule.counts_cores() {
        "cores"
    } else {
        "instances"
    };
    let at_bound = by_bound || matches!(why.verdict, Verdict::Hold(Hold::AtMax | Hold::AtMin));
    // The hybrid rule's bound is on machines (each of the machine's size), not cores.
    let (unit, current, max, min) = match why.hybrid {
        Some(h) => ("machines", h.machines, h.max_machines, 1),
        None => (unit, d.current, why.max, why.min),
    };
    rows.push((
        at_bound && !all_low,
        vec![
            unit.to_string(),
            count(u64::from(current)),
            count(u64::from(max)),
            count(u64::from(min)),
        ],
    ));
    let left = why.cooldown_left(d.at);
    let mut left_text = secs(left);
    put(&mut left_text, " left");
    rows.push((
        matches!(why.verdict, Verdict::Hold(Hold::Cooldown { .. })),
        vec![
            "cooldown".to_string(),
            left_text,
            secs(why.cooldown),
            String::new(),
        ],
    ));
    rows
}

/// Window rows shown at most (the default 300 s window at a 15 s sync holds 21).
const WINDOW_ROWS: usize = 8;

fn hpa_rows(why: &HpaWhy) -> Vec<Row> {
    let clamped = why.clamped();
    let limited = why.rate.is_some_and(|r| r.binding);
    let held = why.stabilised != why.recommended;
    // Out of bounds or nothing ready: the rule read no metric.
    let measured = !matches!(
        why.reason,
        Reason::BelowMin | Reason::AboveMax | Reason::NoReadyPods
    );
    let mut rows = vec![(
        measured && !clamped && !limited && !held,
        vec![
            "ratio rule".to_string(),
            count(u64::from(why.recommended)),
            if !measured {
                "no reading"
            } else if why.within_tolerance {
                "within tolerance"
            } else {
                "ceil"
            }
            .to_string(),
        ],
    )];
    // The window, newest first; the recommendation that held the count decided it.
    let mut marked = false;
    for r in why.window.iter().rev().take(WINDOW_ROWS) {
        let decides = held && !clamped && !limited && !marked && r.replicas == why.stabilised;
        marked |= decides;
        let mut at = String::from("at ");
        put(&mut at, &time(r.at));
        rows.push((
            decides,
            vec![
                at,
                count(u64::from(r.replicas)),
                if r.in_down_window {
                    "scale-down window"
                } else {
                    "scale-up window"
                }
                .to_string(),
            ],
        ));
    }
    if let Some(rate) = why.rate {
        let mut policy = String::new();
        push_policy(&mut policy, rate.policy);
        rows.push((
            limited,
            vec![
                "rate limit".to_string(),
                count(u64::from(rate.limit)),
                policy,
            ],
        ));
    }
    let mut bounds = count(u64::from(why.min));
    put(&mut bounds, "–");
    push_count(&mut bounds, u64::from(why.max));
    rows.push((clamped, vec!["bounds".to_string(), bounds, String::new()]));
    rows
}

fn instance_facts(lane: &Lane, id: u32) -> Option<FactList> {
    let sim = lane.service();
    let inst = sim.instances().iter().find(|i| i.id == id)?;
    let mut title = String::from(lane.label());
    if !title.is_empty() {
        put(&mut title, ": ");
    }
    put(&mut title, &inst.name);
    let state = match inst.state {
        InstanceState::Ready => "ready",
        InstanceState::Warming => "warming up",
        InstanceState::Draining => "draining",
    };
    let mut queue = count(inst.backlog);
    put(&mut queue, " of ");
    push_count(&mut queue, inst.queue_limit);
    Some(FactList {
        title,
        facts: vec![
            ("state", state.to_string()),
            (
                "utilisation",
                reading(Metric::Cpu, inst.utilisation(sim.config().tick) * 100.0),
            ),
            ("queue", queue),
            ("warm-up left", secs(inst.warm_left(sim.now()))),
        ],
    })
}
