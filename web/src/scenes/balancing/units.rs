//! Figures as the balancing panels write them.

use crate::fixed::fixed;
use scalelab_core::balancing::ClientCounts;

/// Microseconds as milliseconds with one decimal: "12.5 ms".
pub fn ms(us: u64) -> String {
    format!("{} ms", fixed(us as f64 / 1_000.0, 1))
}

/// Clients moved since the eligible servers last changed, out of those seen since: "12 of 48";
/// "no change yet" before the first change.
pub fn moved(c: &ClientCounts) -> String {
    if c.set_changes == 0 {
        "no change yet".into()
    } else {
        format!("{} of {}", c.moved, c.returned)
    }
}

/// Requests that reached their client's session server, out of those from clients with a
/// session: "97% kept · 12 lost".
pub fn sessions(c: &ClientCounts) -> String {
    match c.kept_pct() {
        Some(pct) => format!("{}% kept · {} lost", fixed(pct, 0), c.session_lost),
        None => "none yet".into(),
    }
}
