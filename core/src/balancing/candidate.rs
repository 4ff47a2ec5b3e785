//! What a strategy sees of one server: the input every pick algorithm shares.

/// One eligible server as a strategy sees it. Slices of candidates are in server order and hold
/// only servers that may take traffic (up, not ejected, breaker not open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Position in the balancer's server list.
    pub server: u32,
    /// The server's stable identity (it keeps it while others come and go): what consistent
    /// hashing places on its ring or table.
    pub id: u32,
    /// The server's weight (weighted strategies).
    pub weight: u32,
    /// Requests in service or queued there: "connections" to a balancer.
    pub active: u32,
}

/// Whether `ids` are the ids of `candidates`, in order: has the eligible set changed since a
/// table (or a count) was taken for `ids`?
pub(crate) fn same_ids(ids: &[u32], candidates: &[Candidate]) -> bool {
    ids.len() == candidates.len() && ids.iter().zip(candidates).all(|(i, c)| *i == c.id)
}
