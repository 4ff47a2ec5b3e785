//! The live figures above the drawing: the request ledger (every request arrived is answered,
//! dropped, failed or still in flight), the recent p99, both caches' hit rates and the tier.

use crate::components::stat::{figure, stat};
use crate::fixed::fixed;
use scalelab_core::system::{Answer, SystemModel};
use scalelab_core::Model;
use yew::prelude::*;

fn rate(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |r| format!("{} %", fixed(r * 100.0, 1)))
}

/// A count that should stay zero, marked when it is not.
fn warn(k: &'static str, v: u64) -> Html {
    let style = (v > 0).then_some("border-color:var(--bad);color:var(--bad)");
    figure(k, v.to_string(), style)
}

pub fn live_stats(m: &SystemModel) -> Html {
    let s = m.stats();
    let booting = m.instance_count() - m.ready_instances();
    html! {
        <div class="stat-grid" aria-label="Live figures">
            {stat("time", m.now().to_string())}
            {stat("arrived", s.arrived.to_string())}
            {stat("answered", s.answered.to_string())}
            {warn("dropped", s.dropped)}
            {warn("failed", s.failed)}
            {stat("in flight", s.in_flight().to_string())}
            {stat("store reads", s.answered_by(Answer::Shard).to_string())}
            {stat("p99, recent", m.recent_p99_ms().map_or_else(|| "–".to_string(), |v| format!("{} ms", fixed(v, 2))))}
            {stat("L1 hit rate", rate(m.l1_hit_rate()))}
            {stat("L2 hit rate", rate(m.l2_hit_rate()))}
            {stat("instances serving (+booting)", format!("{} (+{booting})", m.ready_instances()))}
        </div>
    }
}
