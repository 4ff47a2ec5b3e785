//! Where each client went last, and what that says: how many clients a change of the eligible
//! servers moved to another server, and how many requests reached the server holding their
//! client's session.
//!
//! A client's session lives on the server it last used (an in-memory session or a warm local
//! cache). A request that reaches that server keeps the affinity; one that lands elsewhere loses
//! the session. Sticky strategies (the hashes) keep almost every session; round robin loses
//! almost every one. When the set of eligible servers changes, IP hash modulo n moves most
//! clients, consistent hashing about 1 in n.

use super::candidate::Candidate;
use serde::{Deserialize, Serialize};

/// The client counts a page and a lesson read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientCounts {
    /// Changes of the set of eligible servers seen by arriving requests so far.
    pub set_changes: u32,
    /// Distinct clients routed since the last change of the eligible servers that had been
    /// routed before it.
    pub returned: u64,
    /// Of those, the clients sent to another server than the one they used before the change.
    pub moved: u64,
    /// Clients holding a session: those routed at least once. Every routed request is a
    /// client's first (opening its session), or kept its affinity, or lost its session.
    pub sessions: u64,
    /// Requests that reached the server holding their client's session.
    pub affinity_kept: u64,
    /// Requests from a client with a session that landed on another server.
    pub session_lost: u64,
}

impl ClientCounts {
    /// Moved clients as a percentage of the returned ones; `None` before any returned.
    pub fn moved_pct(&self) -> Option<f64> {
        (self.returned > 0).then(|| self.moved as f64 * 100.0 / self.returned as f64)
    }

    /// Requests that kept their session, as a percentage of those from clients with one;
    /// `None` before any.
    pub fn kept_pct(&self) -> Option<f64> {
        let with_session = self.affinity_kept + self.session_lost;
        (with_session > 0).then(|| self.affinity_kept as f64 * 100.0 / with_session as f64)
    }
}

/// A client's last pick packed in one word: the eligible set's epoch in the high half, the
/// server's stable backend id in the low half; [`NEVER_ROUTED`] before the first. One word per
/// client keeps the per-request bookkeeping to a load, two compares and a store.
type LastPick = u64;

/// The mark of a client no request of which has been routed yet.
const NEVER_ROUTED: LastPick = u64::MAX;

fn pack(epoch: u32, id: u32) -> LastPick {
    (u64::from(epoch) << 32) | u64::from(id)
}

/// Per client, the server it last used; and the eligible set the last arrival saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ClientLedger {
    /// By client index: the last pick, packed.
    last: Vec<LastPick>,
    /// The eligible backend ids at the last arrival, in server order.
    set: Vec<u32>,
    /// Whether an arrival has seen the eligible set yet (the first sighting is no change).
    observed: bool,
    /// Counts changes of the eligible set.
    epoch: u32,
    counts: ClientCounts,
}

impl ClientLedger {
    /// A ledger with room for `clients` clients, so routing never grows it.
    pub fn with_clients(clients: usize) -> Self {
        ClientLedger {
            last: vec![NEVER_ROUTED; clients],
            ..ClientLedger::default()
        }
    }

    pub fn counts(&self) -> ClientCounts {
        self.counts
    }

    /// The eligible backend ids the last arrival saw, in server order: what the balancer
    /// compares the next arrival's eligible servers with while it lists them.
    pub fn last_set(&self) -> &[u32] {
        &self.set
    }

    /// An arrival saw `candidates` eligible; `unchanged` says whether their ids equal
    /// [`Self::last_set`] (the balancer compares while it lists them, so the common case costs
    /// nothing more). A set other than the last one starts a new epoch, and the moved and
    /// returned counts start again from 0.
    pub fn observe(&mut self, unchanged: bool, candidates: &[Candidate]) {
        if self.observed && unchanged {
            return;
        }
        if self.observed {
            self.epoch = self.epoch.wrapping_add(1);
            self.counts.set_changes = self.counts.set_changes.saturating_add(1);
            self.counts.returned = 0;
            self.counts.moved = 0;
        }
        self.observed = true;
        self.set.clear();
        self.set.extend(candidates.iter().map(|c| c.id));
    }

    /// Client `client` was sent to the server with backend id `id`.
    pub fn routed(&mut self, client: u32, id: u32) {
        let i = client as usize;
        if self.last.len() <= i {
            self.last.resize(i + 1, NEVER_ROUTED);
        }
        let now = pack(self.epoch, id);
        let Some(slot) = self.last.get_mut(i) else {
            return;
        };
        let prev = std::mem::replace(slot, now);
        if prev == NEVER_ROUTED {
            self.counts.sessions += 1;
            return;
        }
        let same_server = prev as u32 == id;
        if same_server {
            self.counts.affinity_kept += 1;
        } else {
            self.counts.session_lost += 1;
        }
        if (prev >> 32) as u32 != self.epoch {
            self.counts.returned += 1;
            if !same_server {
                self.counts.moved += 1;
            }
        }
    }
}
