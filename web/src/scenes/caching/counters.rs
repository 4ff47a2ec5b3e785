//! The counters per level as a table (L1's restart when its policy or size changes), and the
//! origin's and the requests' totals in a line under it. In a race the table is the race
//! board: an L1 row per lane.

use super::race::{lane_rows, race_note};
use super::style::reason_label;
use crate::fixed::fixed;
use scalelab_core::caching::{CacheStats, CachingModel, CachingRace, EvictionReason};
use yew::prelude::*;

/// One level's row: its name, then hits, misses, hit rate, evictions by reason, entries.
pub(super) fn level_row(name: String, c: &CacheStats) -> Html {
    let cells = [
        c.hits.to_string(),
        c.misses.to_string(),
        format!("{}%", fixed(c.hit_rate * 100.0, 1)),
        c.evictions.capacity.to_string(),
        c.evictions.expired.to_string(),
        c.evictions.explicit.to_string(),
        c.len.to_string(),
    ];
    html! {
        <tr>
            <th scope="row">{name}</th>
            {for cells.into_iter().map(|v| html! { <td>{v}</td> })}
        </tr>
    }
}

pub fn counters(m: &CachingModel, race: &CachingRace) -> Html {
    let s = m.stats();
    let l1_rows = lane_rows(race).unwrap_or_else(|| vec![level_row("L1".into(), &s.l1)]);
    let out = |r| format!("out: {}", reason_label(r));
    html! {
        <>
            <div style="overflow-x:auto">
                <table
                    class="data caching-counters"
                    aria-label="Counters per cache level (L1's restart when its policy or size changes)"
                >
                    <thead>
                        <tr>
                            <th scope="col">{"Level"}</th>
                            <th scope="col">{"hits"}</th>
                            <th scope="col">{"misses"}</th>
                            <th scope="col">{"hit rate"}</th>
                            <th scope="col">{out(EvictionReason::Capacity)}</th>
                            <th scope="col">{out(EvictionReason::Expired)}</th>
                            <th scope="col">{out(EvictionReason::Explicit)}</th>
                            <th scope="col">{"entries"}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {for l1_rows}
                        {level_row("L2".into(), &s.l2.cache)}
                    </tbody>
                </table>
            </div>
            <p class="muted caching-origin-line">
                {format!(
                    "L1 counters restart when its policy or size changes. Origin: {} loads, \
                     {} warm loads, {} writes, {} stale reads · requests: {} reads, {} writes; \
                     answered by L1 {}, L2 {}, origin {} · {} coalesced waits",
                    s.origin.loads, s.origin.warm_loads, s.origin.writes, s.origin.stale_reads,
                    s.requests.reads, s.requests.writes,
                    s.requests.served_by_l1, s.requests.served_by_l2, s.requests.served_by_origin,
                    s.requests.coalesced,
                )}
                {race_note(race)}
            </p>
        </>
    }
}
