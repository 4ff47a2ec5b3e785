//! The race view, worded: in a race the counters table is the race board (an L1 row per lane,
//! fed the same requests) and the charts' first chart draws each lane's windowed L1 hit rate.

use super::build::policy_label;
use super::counters::level_row;
use crate::components::chart::Line;
use scalelab_core::caching::{CachingRace, EvictionPolicy};
use yew::prelude::*;

/// Lane `i`'s name as the board and the chart's legend write it, e.g. "2. LFU".
fn lane_name(i: usize, policy: EvictionPolicy) -> String {
    format!("{}. {}", i + 1, policy_label(policy))
}

/// The board's L1 rows, one per lane ("L1 · 2. LFU"); `None` outside a race.
pub fn lane_rows(race: &CachingRace) -> Option<Vec<Html>> {
    race.is_race().then(|| {
        race.board()
            .iter()
            .enumerate()
            .map(|(i, l)| level_row(format!("L1 · {}", lane_name(i, l.policy)), &l.l1))
            .collect()
    })
}

/// The board's reading note (empty outside a race).
pub fn race_note(race: &CachingRace) -> &'static str {
    if race.is_race() {
        " · Race: every lane gets the same requests; only the L1 policy differs. The drawing, \
         the L2 row and the totals are lane 1's."
    } else {
        ""
    }
}

/// One chart line per lane: its L1 hit rate over its last lookups.
pub fn lane_lines(race: &CachingRace) -> Vec<Line> {
    race.lanes()
        .enumerate()
        .filter_map(|(i, lane)| {
            Some(Line {
                column: CachingRace::lane_hit_rate_column(i as u32)?,
                label: lane_name(i, lane.config().l1.policy).into(),
            })
        })
        .collect()
}
