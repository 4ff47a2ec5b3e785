//! The action buttons, in four groups: the L1 policy, the workload, warming / stampede / L1
//! size, and writes and failures. A button shows its state with `aria-pressed` and is
//! disabled when the model would refuse it.

use super::build::{parse_policy, write_policy, MAX_CAPACITY, POLICIES, WORKLOADS, WRITE_POLICIES};
use crate::components::memo::{memo, View};
use crate::params::ParamValues;
use scalelab_core::caching::{CachingAction, CachingModel, EvictionPolicy, Key, WorkloadKind};
use yew::prelude::*;

/// Reads one stampede sends at a cold key.
const STAMPEDE_READS: u64 = 50;

/// A `ctl` button that sends `action`.
fn button(
    act: &Callback<CachingAction>,
    label: String,
    action: CachingAction,
    pressed: Option<bool>,
    disabled: bool,
    title: &'static str,
) -> Html {
    let onclick = act.reform(move |_: MouseEvent| action);
    let pressed = pressed.map(|p| if p { "true" } else { "false" });
    html! {
        <button type="button" class="ctl" {onclick} aria-pressed={pressed} {disabled} {title}>
            {label}
        </button>
    }
}

/// A `ctl danger` button: an action that breaks something on purpose. Its own function, so
/// each button's class stays a literal (a computed class would link yew's `Classes`).
fn danger_button(
    act: &Callback<CachingAction>,
    label: String,
    action: CachingAction,
    disabled: bool,
    title: &'static str,
) -> Html {
    let onclick = act.reform(move |_: MouseEvent| action);
    html! {
        <button type="button" class="ctl danger" {onclick} {disabled} {title}>{label}</button>
    }
}

/// What the buttons show: drawn through [`memo`], so the buttons (and their handlers) are
/// made again only when one of these changes, not on every frame of play.
#[derive(PartialEq)]
struct Actions {
    race: bool,
    policy: EvictionPolicy,
    workload: &'static str,
    keys: u64,
    write: &'static str,
    warming: bool,
    capacity: u64,
    cold: Key,
    delay: i64,
    coalescing: bool,
    can_crash: bool,
    act: Callback<CachingAction>,
}

/// The buttons; a race (`race`) has no policy switch, since its lanes' policies are what it
/// compares.
pub fn actions(
    m: &CachingModel,
    race: bool,
    params: &ParamValues,
    act: &Callback<CachingAction>,
) -> Html {
    let config = m.config();
    memo(Actions {
        race,
        policy: config.l1.policy,
        workload: config.workload.name(),
        keys: config.workload.keys(),
        write: config.write_policy.name(),
        warming: m.is_warming(),
        capacity: config.l1.capacity,
        cold: m.cold_key(),
        delay: params.int("delay"),
        coalescing: config.coalescing,
        can_crash: m.can_crash(),
        act: act.clone(),
    })
}

impl View for Actions {
    fn view(&self) -> Html {
        let Actions {
            race,
            policy,
            workload,
            keys,
            write,
            warming,
            capacity,
            cold,
            delay,
            coalescing,
            can_crash,
            ref act,
        } = *self;
        let max_capacity = MAX_CAPACITY as u64;
        let warm = |n: u64| {
            let n = n.min(keys).max(1);
            button(
            act,
            format!("Warm hottest {n}"),
            CachingAction::Warm { count: n },
            None,
            warming,
            "Load keys 0…N−1 (the most popular under Zipf) before traffic needs them, 10 at a time",
        )
        };
        let policies = POLICIES.iter().filter_map(|(name, label)| {
            let p = parse_policy(name)?;
            Some(button(
                act,
                label.to_string(),
                CachingAction::Policy(p),
                Some(p == policy),
                false,
                "Rebuild L1 under this policy, keeping the fresh entries that fit",
            ))
        });
        let workloads = WORKLOADS.iter().filter_map(|(name, label)| {
            let kind = WorkloadKind::from_name(name)?;
            Some(button(
                act,
                label.to_string(),
                CachingAction::Workload(kind),
                Some(*name == workload),
                false,
                "Requests ask for keys this way from now on",
            ))
        });
        let writes = WRITE_POLICIES.iter().filter_map(|(name, label)| {
            let p = write_policy(name, delay)?;
            Some(button(
                act,
                label.to_string(),
                CachingAction::Write(p),
                Some(*name == write),
                false,
                "How later writes are handled",
            ))
        });
        let coalescing_label = if coalescing {
            "Coalescing: on"
        } else {
            "Coalescing: off"
        };
        html! {
            <div class="caching-actions">
                if !race {
                    <div class="actions" role="group" aria-label="L1 eviction policy (live switch)">
                        <span class="muted">{"Policy:"}</span>
                        {for policies}
                    </div>
                }
                <div class="actions" role="group" aria-label="Key workload (live switch)">
                    <span class="muted">{"Workload:"}</span>
                    {for workloads}
                </div>
                <div class="actions" role="group" aria-label="Warming, stampede and L1 size">
                    {warm(20)}
                    {(keys > 20).then(|| warm(100))}
                    {danger_button(
                        act,
                        format!("Inject stampede ({STAMPEDE_READS} reads of key:{cold})"),
                        CachingAction::Stampede { key: cold, count: STAMPEDE_READS },
                        false,
                        "Fifty concurrent reads of one cold key arrive at once",
                    )}
                    {button(
                        act,
                        coalescing_label.into(),
                        CachingAction::Coalescing(!coalescing),
                        Some(coalescing),
                        false,
                        "Request coalescing (singleflight): concurrent misses on one key share one origin load",
                    )}
                    {button(
                        act,
                        "L1 ÷2".into(),
                        CachingAction::Resize((capacity / 2).max(1)),
                        None,
                        capacity <= 1,
                        "Halve the L1 capacity",
                    )}
                    {button(
                        act,
                        "L1 ×2".into(),
                        CachingAction::Resize((capacity * 2).min(max_capacity)),
                        None,
                        capacity >= max_capacity,
                        "Double the L1 capacity (up to 64 slots)",
                    )}
                </div>
                <div class="actions" role="group" aria-label="Writes and failures">
                    <span class="muted">{"Writes:"}</span>
                    {for writes}
                    {danger_button(
                        act,
                        "Crash write-behind".into(),
                        CachingAction::Crash,
                        !can_crash,
                        "The process holding the write-behind buffer dies: unflushed writes are lost",
                    )}
                    {button(act, "Flush L2".into(), CachingAction::FlushL2, None, false, "FLUSHALL on the shared cache")}
                    {button(act, "Clear both caches".into(), CachingAction::Clear, None, false, "Empty L1 and L2")}
                </div>
            </div>
        }
    }
}
