//! The pick algorithms, one file per family. Each reference algorithm sits beside the seed
//! guide's naive version, which is kept on purpose so the race can show the difference.

mod ip_hash;
mod least_connections;
mod random;
mod response_time;
mod round_robin;
mod weighted;

pub use ip_hash::{ip_hash, IpHash, IpHashNaive, NAIVE_HASH_KEY};
pub use least_connections::{LeastConnections, LeastConnectionsNaive};
pub use random::{PowerOfTwoChoices, RandomChoice};
pub use response_time::{EwmaResponseTime, LeastResponseTime, ResponseWindow};
pub use round_robin::RoundRobin;
pub use weighted::{NaiveWeighted, SmoothWeighted, SwrrPeer};

use super::strategy::Candidate;

/// The first candidate at or after server position `cursor`, wrapping to the first one: how a
/// round-robin cursor survives servers leaving and re-entering the eligible set.
fn at_or_after<'a>(
    candidates: impl Iterator<Item = &'a Candidate> + Clone,
    cursor: u32,
) -> Option<&'a Candidate> {
    let mut first = None;
    for c in candidates {
        if first.is_none() {
            first = Some(c);
        }
        if c.server >= cursor {
            return Some(c);
        }
    }
    first
}

/// Keeps a cursor (a server position) pointing at the same server after `removed` left.
fn shift_cursor(cursor: &mut u32, removed: u32) {
    if *cursor > removed {
        *cursor -= 1;
    }
}

/// Removes the per-server entry at `index`, if present.
fn remove_at<T>(v: &mut Vec<T>, index: u32) {
    let i = index as usize;
    if i < v.len() {
        v.remove(i);
    }
}
