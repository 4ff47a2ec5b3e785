//! A read's path through the levels: L1, L1 then L2, or both then the origin.

use crate::caching::{Key, KeyName};
use crate::sim::{SimDuration, SimTime};

/// Which levels a read went through, and how long the copies it left behind live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadRoute {
    /// L1 had the key.
    L1Hit,
    /// L1 missed and L2 had it: L2's copy went into L1 (promoted) with the refill TTL.
    L2Hit {
        /// The L1 copy's TTL.
        refill_ttl: SimDuration,
    },
    /// Both missed: the origin's answer filled L1 with the set TTL and L2 with twice it.
    Origin {
        /// The L1 copy's TTL.
        l1_ttl: SimDuration,
        /// The L2 copy's TTL.
        l2_ttl: SimDuration,
        /// Reads the one origin load answered (more than 1 when misses coalesced).
        answered: u32,
    },
}

/// One completed read and the path it took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadPath {
    /// When the read completed.
    pub at: SimTime,
    /// The request.
    pub request: u64,
    /// The key read.
    pub key: Key,
    /// The levels it went through.
    pub route: ReadRoute,
    /// Time from its arrival to its answer.
    pub latency: SimDuration,
    /// The app node that served it, when there are several (0 = app-1).
    pub node: Option<u8>,
    /// With several nodes, a read older than the origin: (the version it returned, the
    /// origin's version).
    pub stale: Option<(u64, u64)>,
}

/// "Request 18: L1 hit on key:3", "… L1 miss, L2 hit, copied into L1 for 5.000s", and so on.
impl core::fmt::Display for ReadPath {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Request {} read {}", self.request, KeyName(self.key))?;
        if let Some(node) = self.node {
            write!(f, " on app-{}", u32::from(node) + 1)?;
        }
        f.write_str(": ")?;
        match self.route {
            ReadRoute::L1Hit => f.write_str("L1 hit")?,
            ReadRoute::L2Hit { refill_ttl } => {
                write!(f, "L1 miss, L2 hit, copied into L1 for {refill_ttl}")?
            }
            ReadRoute::Origin {
                l1_ttl,
                l2_ttl,
                answered,
            } => {
                write!(
                    f,
                    "L1 and L2 missed, so the origin answered and filled L1 for {l1_ttl} and L2 for {l2_ttl}"
                )?;
                if answered > 1 {
                    write!(f, "; one load answered {answered} reads")?;
                }
            }
        }
        write!(f, ", in {}", self.latency)?;
        if let Some((version, origin)) = self.stale {
            let copy = if self.route == ReadRoute::L1Hit {
                "this node's L1 copy"
            } else {
                "the copy it got"
            };
            write!(
                f,
                " — stale: {copy} is version {version} while the origin holds version {origin}"
            )?;
        }
        f.write_str(".")
    }
}
