//! Keeping a strategy's memory aligned with server positions as servers come and go.

use crate::balancing::candidate::Candidate;

/// The first candidate at or after server position `cursor`, wrapping to the first one: how a
/// round-robin cursor survives servers leaving and re-entering the eligible set.
pub(super) fn at_or_after<'a>(
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
pub(super) fn shift_cursor(cursor: &mut u32, removed: u32) {
    if *cursor > removed {
        *cursor -= 1;
    }
}

/// Removes the per-server entry at `index`, if present.
pub(super) fn remove_at<T>(v: &mut Vec<T>, index: u32) {
    let i = index as usize;
    if i < v.len() {
        v.remove(i);
    }
}
