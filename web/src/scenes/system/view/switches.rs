//! The chaos switches: one button per switch, each with the line saying what to watch. The
//! instance and shard switches aim at the selected instance or shard (the first serving
//! instance, shard 0, when none is selected); a switch the model would refuse is disabled.
//! Drawn through `memo`: the panel changes only when a target, a refusal or coalescing does,
//! not on every frame of play.

use super::frame::Frame;
use super::text::{self, SwitchText};
use crate::components::memo::{memo, View};
use crate::scenes::system::inspect::instance_name;
use crate::scenes::system::Focus;
use scalelab_core::sim::SimDuration;
use scalelab_core::system::SystemAction;
use scalelab_core::Model;
use yew::prelude::*;

/// The key the hot-key switch heats, and the key a stampede asks for (the most read one).
const HOT_KEY: u64 = 7;
const STAMPEDE_KEY: u64 = 0;

/// One switch as the panel shows it: its words, what it aims at, the action and whether the
/// model would take it now.
#[derive(PartialEq)]
struct Switch {
    text: &'static SwitchText,
    target: Option<String>,
    action: SystemAction,
    enabled: bool,
}

/// The panel's data.
#[derive(PartialEq)]
struct Switches {
    rows: Vec<Switch>,
    act: Callback<SystemAction>,
}

impl View for Switches {
    fn view(&self) -> Html {
        html! {
            <section class="switches" aria-label="Chaos switches">
                <h3>{"Chaos switches"}</h3>
                <p class="muted">{"Select an instance or a shard in the drawing to aim the switches at it. Each one says what to watch."}</p>
                <ul>{for self.rows.iter().map(|row| switch(&self.act, row))}</ul>
            </section>
        }
    }
}

fn switch(act: &Callback<SystemAction>, row: &Switch) -> Html {
    let (act, action) = (act.clone(), row.action.clone());
    let onclick = Callback::from(move |_: MouseEvent| act.emit(action.clone()));
    let disabled = !row.enabled;
    let label = match &row.target {
        Some(target) => format!("{} · {target}", row.text.label),
        None => row.text.label.to_string(),
    };
    html! {
        <li>
            <button type="button" class="ctl danger" {disabled} {onclick}>{label}</button>
            <span class="muted">{row.text.shows}</span>
        </li>
    }
}

pub fn switches(f: &Frame<'_>) -> Html {
    let m = f.model;
    let now = m.now();
    let instance = match f.focus {
        Some(Focus::Instance(id)) if m.instances().iter().any(|i| i.id == id) => id,
        _ => m
            .instances()
            .iter()
            .find(|i| i.ready(now))
            .map_or(0, |i| i.id),
    };
    let shard = match f.focus {
        Some(Focus::Shard(s)) => s,
        _ => 0,
    };
    let secs = SimDuration::from_secs;
    let coalescing = m.coalescing();
    let (coalesce_text, coalesce_to) = if coalescing {
        (&text::COALESCE_OFF, false)
    } else {
        (&text::COALESCE_ON, true)
    };
    let who = Some(instance_name(instance));
    let which = Some(format!("shard {shard}"));
    // One row per switch, drawn by one loop: the page carries one button's code, not ten.
    let rows: [(&'static SwitchText, Option<String>, SystemAction); 10] = [
        (
            &text::KILL,
            who.clone(),
            SystemAction::KillInstance { instance },
        ),
        (
            &text::SLOW_INSTANCE,
            who,
            SystemAction::SlowInstance {
                instance,
                factor: 10,
                duration: secs(20),
            },
        ),
        (&text::FLUSH, None, SystemAction::FlushL2),
        (
            &text::CRASH,
            None,
            SystemAction::CrashL2 { duration: secs(10) },
        ),
        (
            &text::HOT_KEY,
            None,
            SystemAction::HotKey {
                key: HOT_KEY,
                share: 0.33,
                duration: secs(30),
            },
        ),
        (
            &text::SHARD_DOWN,
            which.clone(),
            SystemAction::ShardDown {
                shard,
                duration: secs(10),
            },
        ),
        (
            &text::SLOW_SHARD,
            which,
            SystemAction::SlowShard {
                shard,
                factor: 10,
                duration: secs(20),
            },
        ),
        (
            &text::SPIKE,
            None,
            SystemAction::Spike {
                multiplier: 4.0,
                duration: secs(30),
            },
        ),
        (
            &text::STAMPEDE,
            None,
            SystemAction::Stampede {
                key: STAMPEDE_KEY,
                requests: 500,
            },
        ),
        (
            coalesce_text,
            None,
            SystemAction::SetCoalescing { on: coalesce_to },
        ),
    ];
    let rows = rows
        .into_iter()
        .map(|(text, target, action)| Switch {
            enabled: action.check(m).is_ok(),
            text,
            target,
            action,
        })
        .collect();
    memo(Switches {
        rows,
        act: f.act.clone(),
    })
}
