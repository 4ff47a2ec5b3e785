//! The shard operations and queries a student can run: add a shard, remove the last or a
//! chosen one, rebalance, and four queries (a score range, a key prefix and the aggregate
//! chosen in the settings, which scatter to every shard, and one key, which is routed), and
//! the fault menu, which makes a shard slow or failed (the kind chosen in the settings) or
//! clears its fault.

use scalelab_core::sharding::{key_name, Aggregate, ShardFault, ShardingAction, ShardingModel};
use yew::prelude::*;

/// One `ctl` button that sends `action` through `act`.
fn button(
    act: &Callback<ShardingAction>,
    action: ShardingAction,
    label: String,
    title: &'static str,
    disabled: bool,
) -> Html {
    let act = act.clone();
    let onclick = Callback::from(move |_: MouseEvent| act.emit(action.clone()));
    html! {
        <button type="button" class="ctl" {disabled} {title} {onclick}>{ label }</button>
    }
}

/// The action bar for the model's present; each button sends its action through `act`.
pub fn actions(
    sim: &ShardingModel,
    act: &Callback<ShardingAction>,
    aggregate: Aggregate,
    fault: ShardFault,
) -> Html {
    let live = sim.manager().live_shards();
    let keys = sim.config().keys.max(1);
    // A different key for each query, spread over the key space.
    let rank = (sim.stats().queries.wrapping_mul(7_919).wrapping_add(17)) % keys;
    let on_pick = {
        let act = act.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(shard) = select.value().parse::<u32>() {
                act.emit(ShardingAction::RemoveShard { shard });
            }
            select.set_value("");
        })
    };
    // The fault menu: a healthy shard gets the chosen fault, a faulty one is cleared.
    let on_fault = {
        let act = act.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let (heal, id) = match value.strip_prefix('h') {
                Some(id) => (true, id),
                None => (false, value.as_str()),
            };
            if let Ok(shard) = id.parse::<u32>() {
                let fault = if heal { ShardFault::Healthy } else { fault };
                act.emit(ShardingAction::SetFault { shard, fault });
            }
            select.set_value("");
        })
    };
    let verb = match fault {
        ShardFault::Down => "Fail",
        _ => "Slow down",
    };
    let fault_options = sim.manager().key_counts().into_iter().map(|l| {
        let s = l.shard.0;
        if l.fault == ShardFault::Healthy {
            html! { <option value={s.to_string()}>{ format!("{verb} S{s}") }</option> }
        } else {
            html! { <option value={format!("h{s}")}>{ format!("Heal S{s} ({})", l.fault) }</option> }
        }
    });
    let remove_last = match live.last() {
        Some(id) => {
            let act = act.clone();
            let shard = id.0;
            html! {
                <button type="button" class="ctl danger" disabled={live.len() <= 1}
                    title="Take the last shard out of the router; its keys migrate to their new owners"
                    onclick={move |_| act.emit(ShardingAction::RemoveShard { shard })}>
                    { format!("Remove S{shard}") }
                </button>
            }
        }
        None => Html::default(),
    };
    html! {
        <div class="actions" role="group" aria-label="Shard operations and queries">
            { button(
                act,
                ShardingAction::AddShard,
                "Add shard".into(),
                "Add a shard; the keys that now hash to it migrate batch by batch",
                !sim.can_add_shard(),
            ) }
            { remove_last }
            <select class="ctl" aria-label="Remove a chosen shard" onchange={on_pick}
                disabled={live.len() <= 1}>
                <option value="" selected=true>{ "Remove shard…" }</option>
                { for live.iter().map(|s| html! {
                    <option value={s.0.to_string()}>{ format!("S{} ({})", s.0, s.name()) }</option>
                }) }
            </select>
            { button(
                act,
                ShardingAction::Rebalance,
                "Rebalance (120 % / 80 %)".into(),
                "The guide's load rebalance: shards above 120 % of the average give keys to shards below 80 %",
                sim.manager().is_migrating(),
            ) }
            { button(
                act,
                ShardingAction::QueryRange { min: 100, max: 199 },
                "Run query: score 100–199".into(),
                "A range filter cannot be routed by hash: scatter to every shard, gather the answers",
                false,
            ) }
            { button(
                act,
                ShardingAction::QueryPrefix { digits: 1 },
                "Run query: keys user:1…".into(),
                "A key-prefix filter: hashing scatters neighbouring keys, so every shard is asked",
                false,
            ) }
            { button(
                act,
                ShardingAction::Aggregate { aggregate },
                format!("Run aggregate: {aggregate}"),
                "Every shard answers for its own records; the coordinator merges the partials",
                false,
            ) }
            <select class="ctl" aria-label="Fault a shard" onchange={on_fault}>
                <option value="" selected=true>{ "Fault a shard…" }</option>
                { for fault_options }
            </select>
            { button(
                act,
                ShardingAction::QueryKey { rank },
                format!("Query one key ({})", key_name(rank)),
                "A single key is routed to the one shard that owns it",
                false,
            ) }
        </div>
    }
}
