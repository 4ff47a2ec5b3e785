//! A lane's decision log, newest first: the autoscaler's decisions and what held them back
//! (cooldown, stabilisation, rate policies), missed scale-ins, resizes, load and mode changes.

use super::text::secs;
use crate::fixed::fixed;
use scalelab_core::scaling::{Direction, Lane, Metric, Reason, Rule, ServiceEvent};
use yew::prelude::*;

/// An entry's badge colour.
#[derive(Clone, Copy)]
enum Tone {
    Ok,
    Warn,
    Bad,
}

/// A badge of one tone. One literal class per tone: a `class={…}` expression would link yew's
/// `Classes` set into the page.
fn badge(tone: Tone, text: &'static str) -> Html {
    match tone {
        Tone::Ok => html! { <span class="badge ok">{text}</span> },
        Tone::Warn => html! { <span class="badge warn">{text}</span> },
        Tone::Bad => html! { <span class="badge bad">{text}</span> },
    }
}

fn rule_short(r: Rule) -> &'static str {
    match r {
        Rule::Threshold => "threshold",
        Rule::ThresholdNaive => "naive threshold",
        Rule::Hpa => "HPA",
        Rule::Vertical => "vertical",
        Rule::Hybrid => "hybrid",
    }
}

fn reading(metric: Metric, value: f64, threshold: f64) -> String {
    match metric {
        Metric::Cpu => format!("CPU {} % (line {} %)", fixed(value, 0), fixed(threshold, 0)),
        Metric::Memory => format!(
            "memory {} % (line {} %)",
            fixed(value, 0),
            fixed(threshold, 0)
        ),
        Metric::ErrorRate => format!(
            "errors {} % (line {} %)",
            fixed(value, 1),
            fixed(threshold, 0)
        ),
        Metric::RequestRate => format!("{} req/s (line {})", fixed(value, 0), fixed(threshold, 0)),
        Metric::Replicas => format!(
            "{} replicas (bound {})",
            fixed(value, 0),
            fixed(threshold, 0)
        ),
    }
}

/// `(badge tone, badge text, line)` for one log entry.
fn log_line(e: &ServiceEvent) -> (Tone, &'static str, String) {
    let at = secs(e.time());
    match e {
        ServiceEvent::Decision { rule, metric, value, threshold, current, desired, reason, .. } => {
            let unit = if rule.counts_cores() { "cores" } else { "instances" };
            let change = if current == desired {
                format!("keeps {current} {unit}")
            } else {
                format!("{current} → {desired} {unit}")
            };
            let tone = if matches!(reason, Reason::AtMax) { Tone::Warn } else { Tone::Ok };
            (tone, "decision", format!("{at} · {}: {} — {change}: {reason}", rule_short(*rule), reading(*metric, *value, *threshold)))
        }
        ServiceEvent::CooldownBlocked { rule, until, wanted, .. } => {
            let way = match (rule, wanted) {
                (Rule::Vertical | Rule::Hybrid, d) => d.to_string(),
                (_, Direction::Up) => "out".to_string(),
                (_, Direction::Down) => "in".to_string(),
            };
            (Tone::Warn, "cooldown", format!("{at} · {} wants to scale {way}, cooling down until {}", rule_short(*rule), secs(*until)))
        }
        ServiceEvent::StabilisationHeld { recommended, held_at, window, .. } => (
            Tone::Warn,
            "held",
            format!("{at} · HPA recommends {recommended} but holds {held_at} (highest of the last {window})"),
        ),
        ServiceEvent::RateLimited { wanted, allowed, direction, .. } => (
            Tone::Warn,
            "rate-limited",
            format!("{at} · HPA wanted {wanted}, its scale-{direction} policy allows {allowed}"),
        ),
        ServiceEvent::ScaleInMissed { name, believed, actual, .. } => (
            Tone::Bad,
            "⚠ missed",
            format!("{at} · tried to remove {name} which no longer exists — believes {believed}, {actual} running"),
        ),
        ServiceEvent::Resized { from_cores, to_cores, downtime, lost, .. } => (
            Tone::Bad,
            "resize",
            format!("{at} · {from_cores} → {to_cores} cores: down for {downtime}, {lost} queued requests lost"),
        ),
        ServiceEvent::LoadChanged { .. } => (Tone::Ok, "load", format!("{at} · the load changed")),
        ServiceEvent::ModeChanged { from, to, .. } => (Tone::Ok, "mode", format!("{at} · {from} → {to}")),
        other => (Tone::Ok, "event", other.to_string()),
    }
}

pub fn decision_log(lane: &Lane, title: &'static str) -> Html {
    let entries: Vec<&ServiceEvent> = lane.decision_log().rev().collect();
    let body = if entries.is_empty() {
        html! { <p class="muted" style="font-size: 0.82rem; margin: 0;">{"No decisions yet."}</p> }
    } else {
        html! {
            <ol style="list-style: none; padding: 0; margin: 0; font-size: 0.82rem; display: grid; gap: 0.2rem;">
                {for entries.into_iter().map(|e| {
                    let (tone, text, line) = log_line(e);
                    html! { <li>{badge(tone, text)}{" "}{line}</li> }
                })}
            </ol>
        }
    };
    html! {
        <section class="decision-log" aria-label={title}>
            <h3 style="font-size: 0.85rem; margin: 0.5rem 0 0.25rem; color: var(--muted);">{title}</h3>
            {body}
        </section>
    }
}
