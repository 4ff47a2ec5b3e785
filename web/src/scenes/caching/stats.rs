//! The live figures above the drawings: hit rates over the last lookups, origin loads, read
//! latency and requests in flight.

use super::style::pct;
use crate::components::stat::stat;
use crate::fixed::fixed;
use scalelab_core::caching::CachingModel;
use yew::prelude::*;

/// A latency in µs as it reads best: "7 µs", "1.25 ms", "20 ms".
fn ms(us: u64) -> String {
    if us < 10 {
        return format!("{us} µs");
    }
    let v = us as f64 / 1_000.0;
    if v >= 10.0 {
        format!("{} ms", fixed(v, 0))
    } else {
        format!("{} ms", fixed(v, 2))
    }
}

pub fn stats(m: &CachingModel) -> Html {
    let s = m.stats();
    html! {
        <div class="stat-grid" aria-label="Live figures">
            {stat("L1 hit rate", pct(m.recent_l1_hit_rate()))}
            {stat("L2 hit rate", pct(m.recent_l2_hit_rate()))}
            {stat("overall", pct(m.recent_hit_rate()))}
            {stat("origin loads", s.origin.loads.to_string())}
            {stat("read p50", ms(s.read_latency.p50))}
            {stat("read p99", ms(s.read_latency.p99))}
            {stat("in flight", s.requests.in_flight.to_string())}
        </div>
    }
}
