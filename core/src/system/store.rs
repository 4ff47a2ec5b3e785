//! The sharded store: each shard one queue that serves a read or a write at a time, holding
//! the version of every key written to it. A shard that is down keeps its data (a crash of
//! the process, not of the disk), so its keys read again once it is back.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One shard.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Shard {
    /// When it has worked through every request booked so far.
    pub busy_until: u64,
    /// Down: requests to it fail.
    pub down: bool,
    /// Its slow-down (1 normally).
    pub slow: u32,
    /// Version of each key written here (a key never written is at version 0).
    pub versions: BTreeMap<u64, u64>,
    /// Reads and writes served since the start.
    pub served: u64,
    /// Reads and writes served since the autoscaler's last reading.
    pub served_in_window: u64,
    /// Reads and writes per second over the last full reading window.
    pub rate: f64,
}

impl Shard {
    /// A shard up and idle.
    pub fn new() -> Self {
        Shard {
            slow: 1,
            ..Shard::default()
        }
    }

    /// The version `key` holds here.
    pub fn version(&self, key: u64) -> u64 {
        self.versions.get(&key).copied().unwrap_or(0)
    }

    /// Books one request arriving at `at` taking `service` µs (times the slow-down): returns
    /// its time at the shard (queue and service), or `None` (nothing booked) when the wait in
    /// the queue would pass `timeout`.
    pub fn book(&mut self, at: u64, service: u64, timeout: u64) -> Option<u64> {
        let start = self.busy_until.max(at);
        let wait = start - at;
        if wait > timeout {
            return None;
        }
        let work = service.saturating_mul(u64::from(self.slow));
        self.busy_until = start + work;
        self.served += 1;
        self.served_in_window += 1;
        Some(wait + work)
    }

    /// One more version of `key`; returns the new version.
    pub fn write(&mut self, key: u64) -> u64 {
        let v = self.versions.entry(key).or_insert(0);
        *v += 1;
        *v
    }
}
