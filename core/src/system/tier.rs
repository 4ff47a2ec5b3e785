//! The app tier's fleet: instances in server order (what the balancer's strategy indexes), each a
//! single CPU queue with its own L1 cache, booting before it serves.

use crate::balancing::Candidate;
use crate::caching::{L1Cache, Value};
use crate::sim::SimTime;
use serde::{Deserialize, Serialize};

/// One app instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Instance {
    /// Stable id: kept while others come and go, never reused.
    pub id: u32,
    /// When it takes traffic (booting until then).
    pub ready_at: SimTime,
    /// When its CPU has worked through every request booked so far.
    pub busy_until: SimTime,
    /// Requests it holds (queued or served, not yet answered).
    pub in_flight: u32,
    /// Its CPU slow-down (1 normally; chaos slows it).
    pub slow: u32,
    /// CPU microseconds booked since the autoscaler's last reading.
    pub busy_in_window: u64,
    /// Its own cache.
    pub l1: L1Cache<Value>,
}

impl Instance {
    /// Whether it serves at `now`.
    pub fn ready(&self, now: SimTime) -> bool {
        self.ready_at <= now
    }
}

/// The instances in server order, and the ids of those killed (their held requests fail).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fleet {
    /// Serving and booting instances.
    pub instances: Vec<Instance>,
    /// Ids of killed instances, ascending (ids only grow, so pushes keep the order).
    pub killed: Vec<u32>,
    /// The id the next instance gets.
    pub next_id: u32,
    /// The eligible instances as the strategy sees them, rebuilt per pick (kept to reuse its
    /// allocation).
    #[serde(skip)]
    pub candidates: Vec<Candidate>,
}

impl Fleet {
    /// The position of instance `id` in server order.
    pub fn position(&self, id: u32) -> Option<usize> {
        self.instances.iter().position(|i| i.id == id)
    }

    /// Instances serving at `now`.
    pub fn ready_count(&self, now: SimTime) -> u32 {
        self.instances.iter().filter(|i| i.ready(now)).count() as u32
    }

    /// Fills `candidates` with the instances serving at `now`.
    pub fn refresh_candidates(&mut self, now: SimTime) {
        self.candidates.clear();
        for (server, i) in self.instances.iter().enumerate() {
            if i.ready(now) {
                self.candidates.push(Candidate {
                    server: server as u32,
                    id: i.id,
                    weight: 1,
                    active: i.in_flight,
                });
            }
        }
    }

    /// Whether instance `id` was killed.
    pub fn was_killed(&self, id: u32) -> bool {
        self.killed.binary_search(&id).is_ok()
    }

    /// The running instances' ids, for an error naming them.
    pub fn ids_text(&self) -> String {
        let ids: Vec<String> = self.instances.iter().map(|i| i.id.to_string()).collect();
        ids.join(", ")
    }
}
