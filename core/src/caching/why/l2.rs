//! An L2 eviction as Redis's policy decided it: the eviction pool it chose from, each
//! candidate with the figure the policy ranks by (idle time, LFU counter or expiry).

use crate::caching::{Key, KeyName, L2Policy};
use crate::sim::SimTime;

/// What ranks a candidate in the eviction pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum L2Standing {
    /// `allkeys-lru`: accesses to the store since its last access; the longest idle goes.
    Idle {
        /// Accesses since its last one.
        idle: u64,
    },
    /// `allkeys-lfu`: its logarithmic counter after decay; the lowest goes.
    Counter {
        /// 0 ..= 255; a new key starts at 5.
        counter: u8,
    },
    /// `volatile-ttl`: when it expires; the soonest goes.
    Expires {
        /// Its expiry.
        at: SimTime,
    },
}

/// One key of the eviction pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L2Candidate {
    /// The key.
    pub key: Key,
    /// What ranks it, as sampled.
    pub standing: L2Standing,
}

/// One L2 eviction by its policy, with the pool it chose from.
#[derive(Debug, Clone, PartialEq)]
pub struct L2Eviction {
    /// When it happened.
    pub at: SimTime,
    /// The policy that chose.
    pub policy: L2Policy,
    /// The key whose write needed the room.
    pub newcomer: Key,
    /// The key evicted.
    pub victim: Key,
    /// Keys the store held when it chose.
    pub held: u64,
    /// Keys sampled per round (`maxmemory-samples`).
    pub samples: u32,
    /// The pool, best kept first: the victim is last.
    pub pool: Vec<L2Candidate>,
}

impl L2Eviction {
    /// The victim's standing, as the pool listed it.
    pub fn victim_standing(&self) -> Option<L2Standing> {
        self.pool
            .iter()
            .find(|c| c.key == self.victim)
            .map(|c| c.standing)
    }
}

/// "L2 (allkeys-lfu) evicted key:8: LFU counter 3, the lowest of 12 candidates …".
impl core::fmt::Display for L2Eviction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "L2 ({}) evicted {}", self.policy, KeyName(self.victim))?;
        let n = self.pool.len();
        match self.victim_standing() {
            Some(L2Standing::Idle { idle }) => {
                write!(f, ": idle for {idle} accesses, the longest of the {n} keys")?
            }
            Some(L2Standing::Counter { counter }) => write!(
                f,
                ": LFU counter {counter} after decay, the lowest of the {n} keys"
            )?,
            Some(L2Standing::Expires { at }) => {
                write!(f, ": expires at {at}, the soonest of the {n} keys")?
            }
            None => write!(f, ", one of the {n} keys")?,
        }
        let standing = self.victim_standing();
        let ties = self
            .pool
            .iter()
            .filter(|c| Some(c.standing) == standing)
            .count();
        write!(
            f,
            " in its eviction pool ({} sampled per round from {} held)",
            self.samples, self.held
        )?;
        if ties > 1 {
            write!(f, ", where {ties} tie and the first pooled goes")?;
        }
        write!(f, ", to make room for {}.", KeyName(self.newcomer))
    }
}
