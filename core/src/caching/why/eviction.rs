//! An L1 eviction as its policy decided it: the order it chose from, the victim and, for
//! W-TinyLFU, the admission duel.

use crate::caching::{EvictionPolicy, EvictionReason, Key, KeyName, Region};
use crate::sim::SimTime;

/// What places an entry in its policy's order when the policy chose. An *access* is an L1
/// hit or write; idle counts the accesses to the cache since the entry's own last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// LRU and the naive FIFO: accesses since its last access. LRU evicts the longest idle;
    /// FIFO ignores it and evicts the oldest inserted.
    Idle {
        /// Accesses since its last one.
        idle: u64,
    },
    /// LFU: fewest uses go first; among equals, the longest idle.
    Uses {
        /// Hits and writes since it was inserted, the insert included.
        uses: u64,
        /// Accesses since its last use.
        idle: u64,
    },
    /// TTL: the soonest expiry goes first (entries without one last); among equals, the
    /// longest idle.
    Expires {
        /// When it expires (`None`: never).
        at: Option<SimTime>,
        /// Accesses since its last write.
        idle: u64,
    },
    /// W-TinyLFU: its segment and the frequency sketch's estimate of its recent accesses.
    Segment {
        /// Window, probation or protected.
        region: Region,
        /// The sketch's estimate (0 ..= 15).
        frequency: u8,
    },
}

/// One entry of the order the policy chose from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderEntry {
    /// The entry's key.
    pub key: Key,
    /// Its L1 slot.
    pub slot: u32,
    /// What places it in the order.
    pub standing: Standing,
}

/// W-TinyLFU's admission duel: the window's victim (the candidate) against main's victim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duel {
    /// The key leaving the window, asking to enter main.
    pub candidate: Key,
    /// The sketch's estimate for the candidate.
    pub candidate_frequency: u8,
    /// Main's least recent probation entry (or protected entry, when probation holds only
    /// the candidate).
    pub victim: Key,
    /// The sketch's estimate for the victim.
    pub victim_frequency: u8,
    /// Whether the candidate got in: only a strictly higher estimate wins.
    pub admitted: bool,
}

/// One L1 eviction by its policy, with the order it chose from.
#[derive(Debug, Clone, PartialEq)]
pub struct Eviction {
    /// When it happened.
    pub at: SimTime,
    /// The policy that chose.
    pub policy: EvictionPolicy,
    /// The key whose insertion needed the room.
    pub newcomer: Key,
    /// The key evicted.
    pub victim: Key,
    /// `Capacity`, or `Expired` when the entry the policy chose had already expired.
    pub reason: EvictionReason,
    /// Entries the cache held when it chose (the order lists at most
    /// [`ORDER_LIMIT`](super::ORDER_LIMIT) of them). W-TinyLFU chooses with the newcomer
    /// already in its window, one over its capacity; the others before inserting it.
    pub held: u64,
    /// The order, kept longest first: the victim's end is last. W-TinyLFU's is its segments
    /// as they stood when the window overflowed: protected, probation, then window, each most
    /// recent first (the window's last entry is the candidate, probation's last the victim it
    /// duels).
    pub order: Vec<OrderEntry>,
    /// W-TinyLFU's admission duel, when there was one.
    pub duel: Option<Duel>,
    /// The naive FIFO only: the entry true LRU would have evicted (the longest idle).
    pub least_recent: Option<Key>,
}

impl Default for Eviction {
    fn default() -> Self {
        Eviction {
            at: SimTime::ZERO,
            policy: EvictionPolicy::Lru,
            newcomer: 0,
            victim: 0,
            reason: EvictionReason::Capacity,
            held: 0,
            order: Vec::new(),
            duel: None,
            least_recent: None,
        }
    }
}

impl Eviction {
    /// Starts a new record in this one's buffer: the order is emptied, the rest set.
    pub(crate) fn begin(
        &mut self,
        at: SimTime,
        policy: EvictionPolicy,
        newcomer: Key,
        victim: Key,
        reason: EvictionReason,
        held: u64,
    ) {
        self.at = at;
        self.policy = policy;
        self.newcomer = newcomer;
        self.victim = victim;
        self.reason = reason;
        self.held = held;
        self.order.clear();
        self.duel = None;
        self.least_recent = None;
    }

    /// The listed entry of `key`, if the order lists it.
    pub fn entry(&self, key: Key) -> Option<&OrderEntry> {
        self.order.iter().find(|e| e.key == key)
    }

    /// Accesses since `key`'s last one, where its policy keeps count.
    pub fn idle(&self, key: Key) -> Option<u64> {
        match self.entry(key)?.standing {
            Standing::Idle { idle }
            | Standing::Uses { idle, .. }
            | Standing::Expires { idle, .. } => Some(idle),
            Standing::Segment { .. } => None,
        }
    }
}

/// "LRU evicted key:8, untouched for 41 accesses, the longest of 16", and so on per policy.
impl core::fmt::Display for Eviction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let victim = KeyName(self.victim);
        let held = self.held;
        let standing = self.entry(self.victim).map(|e| e.standing);
        match (self.policy, standing, self.duel) {
            (EvictionPolicy::WTinyLfu, _, Some(d)) => {
                let (c, v) = (KeyName(d.candidate), KeyName(d.victim));
                let (cf, vf) = (d.candidate_frequency, d.victim_frequency);
                if d.admitted {
                    write!(f, "W-TinyLFU admitted newcomer {c} (freq {cf}) over {v} (freq {vf}) and evicted {v}")?;
                } else {
                    write!(
                        f,
                        "W-TinyLFU kept {v} (freq {vf}) over newcomer {c} (freq {cf})"
                    )?;
                    if cf == vf {
                        f.write_str(": a tie keeps the incumbent")?;
                    }
                }
            }
            (EvictionPolicy::FifoNaive, _, _) => {
                write!(f, "The naive \"LRU\" (really FIFO) evicted {victim}, the oldest inserted of {held}; true LRU would have evicted ")?;
                let lru = self.least_recent.unwrap_or(self.victim);
                if lru == self.victim {
                    f.write_str("it too")?;
                } else {
                    let idle = self.idle(lru).unwrap_or(0);
                    write!(f, "{}, untouched for {idle} accesses", KeyName(lru))?;
                }
            }
            (_, Some(Standing::Uses { uses, .. }), _) => {
                write!(
                    f,
                    "LFU evicted {victim}, used {uses}×, the fewest of {held}"
                )?;
                let ties = self
                    .order
                    .iter()
                    .filter(|e| matches!(e.standing, Standing::Uses { uses: u, .. } if u == uses))
                    .count();
                if ties > 1 {
                    write!(f, ", and the least recent of the {ties} used {uses}×")?;
                }
            }
            (_, Some(Standing::Expires { at: Some(at), .. }), _) => {
                write!(
                    f,
                    "TTL evicted {victim}, expiring at {at}, the soonest of {held}"
                )?;
            }
            (EvictionPolicy::Lru, Some(Standing::Idle { idle }), _) => write!(
                f,
                "LRU evicted {victim}, untouched for {idle} accesses, the longest of {held}"
            )?,
            (policy, _, _) => write!(f, "{policy} evicted {victim}")?,
        }
        if self.reason == EvictionReason::Expired {
            f.write_str(" (its TTL had passed)")?;
        }
        f.write_str(".")
    }
}
