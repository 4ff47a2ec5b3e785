//! The counters per level as a table (L1's restart when its policy or size changes), and the
//! origin's and the requests' totals in a line under it. In a race the table is the race
//! board: an L1 row per lane.

use super::race::{lane_rows, race_note};
use super::style::reason_label;
use crate::components::svg::{Attr, El};
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
    let mut row = El::new("tr").el(El::new("th").set(Attr::Scope, "row").text(name));
    for v in cells {
        row = row.el(El::new("td").text(v));
    }
    row.html()
}

pub fn counters(m: &CachingModel, race: &CachingRace) -> Html {
    let s = m.stats();
    let l1_rows = lane_rows(race).unwrap_or_else(|| vec![level_row("L1".into(), &s.l1)]);
    let out = |r| format!("out: {}", reason_label(r));
    let mut head = El::new("tr");
    for col in [
        "Level".to_string(),
        "hits".into(),
        "misses".into(),
        "hit rate".into(),
        out(EvictionReason::Capacity),
        out(EvictionReason::Expired),
        out(EvictionReason::Explicit),
        "entries".into(),
    ] {
        head = head.el(El::new("th").set(Attr::Scope, "col").text(col));
    }
    let mut body = El::new("tbody");
    for row in l1_rows {
        body = body.child(row);
    }
    let table = El::new("table")
        .set(Attr::Class, "data caching-counters")
        .set(
            Attr::AriaLabel,
            "Counters per cache level (L1's restart when its policy or size changes)",
        )
        .el(El::new("thead").el(head))
        .el(body.child(level_row("L2".into(), &s.l2.cache)));
    let line = format!(
        "L1 counters restart when its policy or size changes. Origin: {} loads, \
         {} warm loads, {} writes, {} stale reads · requests: {} reads, {} writes; \
         answered by L1 {}, L2 {}, origin {} · {} coalesced waits",
        s.origin.loads,
        s.origin.warm_loads,
        s.origin.writes,
        s.origin.stale_reads,
        s.requests.reads,
        s.requests.writes,
        s.requests.served_by_l1,
        s.requests.served_by_l2,
        s.requests.served_by_origin,
        s.requests.coalesced,
    );
    html! {
        <>
            {El::new("div").set(Attr::Style, "overflow-x:auto").el(table).html()}
            {El::new("p")
                .set(Attr::Class, "muted caching-origin-line")
                .text(line)
                .text(race_note(race))
                .html()}
        </>
    }
}
