//! The inspector's content: the autoscaler's last reading (its inputs, the lines it compared
//! them with, what it did and why) and the selected app instance's or shard's state. Every
//! figure and sentence is the core's.

use crate::components::inspector::{DecisionTable, FactList, Inspection};
use scalelab_core::caching::Cache;
use scalelab_core::num_text::fixed;
use scalelab_core::sim::SimDuration;
use scalelab_core::system::SystemModel;
use scalelab_core::Model;

/// What a student can select: an app instance (by id) or a shard (by number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Instance(u32),
    Shard(u32),
}

impl Focus {
    /// The code a drawing item carries (`i3`, `s5`), read back by the selection handlers.
    pub fn code(self) -> String {
        match self {
            Focus::Instance(id) => format!("i{id}"),
            Focus::Shard(s) => format!("s{s}"),
        }
    }

    pub fn parse(code: &str) -> Option<Focus> {
        let (kind, n) = code.split_at_checked(1)?;
        let n = n.parse().ok()?;
        match kind {
            "i" => Some(Focus::Instance(n)),
            "s" => Some(Focus::Shard(n)),
            _ => None,
        }
    }
}

/// An instance's name as every panel writes it.
pub fn instance_name(id: u32) -> String {
    format!("app-{id}")
}

pub fn inspect(model: &SystemModel, focus: Option<Focus>) -> Inspection {
    Inspection {
        decision: autoscaler(model),
        focus: focus.and_then(|f| facts(model, f)),
        selectable: "an app instance or a shard",
    }
}

fn pct(v: f64) -> String {
    let mut s = fixed(v, 1);
    s.push_str(" %");
    s
}

/// The autoscaler's last reading as a table: each input beside the line it was held against.
fn autoscaler(model: &SystemModel) -> Option<DecisionTable> {
    let why = model.last_autoscale()?;
    let mut caption = String::from("The autoscaler's reading at ");
    caption.push_str(&model.now().to_string());
    let row = |name: String, value: String, chosen: bool| (chosen, vec![name, value]);
    use scalelab_core::scaling::ThresholdVerdict as V;
    let out = matches!(why.verdict, V::Up(_) | V::AtLimit(_));
    let inn = matches!(why.verdict, V::Down(_));
    Some(DecisionTable {
        caption,
        why: why.sentence(),
        columns: vec!["Input (its rule)", "Now"],
        rows: vec![
            row(
                format!(
                    "mean CPU (out above {}, in below {})",
                    pct(why.up_pct),
                    pct(why.down_pct)
                ),
                pct(why.cpu_pct),
                out || inn,
            ),
            row(
                format!("instances ({} to {})", why.min, why.max),
                format!("{} + {} booting", why.ready, why.booting),
                matches!(why.verdict, V::AtLimit(_)),
            ),
            row(
                "cooldown (one change each)".to_string(),
                why.cooldown_until
                    .map_or_else(|| "passed".to_string(), |t| format!("until {t}")),
                why.cooldown_until.is_some() && why.verdict != V::Hold,
            ),
        ],
        formula: None,
    })
}

fn facts(model: &SystemModel, focus: Focus) -> Option<FactList> {
    let now = model.now();
    match focus {
        Focus::Instance(id) => {
            let i = model.instances().iter().find(|i| i.id == id)?;
            let state = if !i.ready(now) {
                format!("booting, serves from {}", i.ready_at)
            } else if i.slow > 1 {
                format!("serving, {}× slower", i.slow)
            } else {
                "serving".to_string()
            };
            let queue = SimDuration(i.busy_until.0.saturating_sub(now.0));
            Some(FactList {
                title: instance_name(id),
                facts: vec![
                    ("state", state),
                    ("requests held", i.in_flight.to_string()),
                    ("CPU queue", queue.to_string()),
                    ("L1 entries", i.l1.len().to_string()),
                ],
            })
        }
        Focus::Shard(n) => {
            let s = model.shards().get(n as usize)?;
            let state = if s.down {
                "down: its reads and writes fail".to_string()
            } else if s.slow > 1 {
                format!("up, {}× slower", s.slow)
            } else {
                "up".to_string()
            };
            let queue = SimDuration(s.busy_until.saturating_sub(now.0));
            Some(FactList {
                title: format!("shard {n}"),
                facts: vec![
                    ("state", state),
                    ("queue", queue.to_string()),
                    ("load", format!("{} /s", fixed(s.rate, 0))),
                    ("served", s.served.to_string()),
                    ("keys written", s.keys_written.to_string()),
                ],
            })
        }
    }
}
