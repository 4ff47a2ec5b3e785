//! "Switch strategy now": the balancer changes its algorithm with traffic flowing, as a load
//! balancer's manager does, and the run goes on (one strategy only; a race compares fixed
//! strategies). The switch is an action, so a link replays it at its step.

use crate::components::memo::View;
use scalelab_core::balancing::{BalancingAction, StrategyKind};
use yew::prelude::*;

#[derive(PartialEq)]
pub struct StrategySwitch {
    /// The strategy picking now.
    pub current: StrategyKind,
    /// Takes the switch.
    pub act: Callback<BalancingAction>,
}

/// Drawn with `memo`, so it is skipped on frames where the strategy did not change.
impl View for StrategySwitch {
    fn view(&self) -> Html {
        strategy_switch(self)
    }
}

fn strategy_switch(p: &StrategySwitch) -> Html {
    let act = p.act.clone();
    let onchange = Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        act.emit(BalancingAction::SwitchStrategy {
            strategy: select.value(),
        });
    });
    html! {
        <div class="actions" role="group" aria-label="Switch strategy">
            <label for="switch-strategy">{ "Switch strategy now (the run goes on):" }</label>
            <select id="switch-strategy" {onchange}>
                { for StrategyKind::ALL.iter().map(|k| html! {
                    <option value={k.name()} selected={*k == p.current}>{ k.label() }</option>
                }) }
            </select>
        </div>
    }
}
