//! What a strategy sees of one server: the input every pick algorithm shares.

/// One eligible server as a strategy sees it. Slices of candidates are in server order and hold
/// only servers that may take traffic (up, not ejected, breaker not open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Position in the balancer's server list.
    pub server: u32,
    /// The server's weight (weighted strategies).
    pub weight: u32,
    /// Requests in service or queued there: "connections" to a balancer.
    pub active: u32,
}
