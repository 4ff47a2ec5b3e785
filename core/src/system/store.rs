//! The sharded store: each shard one queue that serves a read or a write at a time. The
//! version of every key is held store-wide ([`Versions`]), each key on its own shard. A shard
//! that is down keeps its data (a crash of the process, not of the disk), so its keys read
//! again once it is back.

use serde::{Deserialize, Serialize};

/// One shard.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Shard {
    /// When it has worked through every request booked so far.
    pub busy_until: u64,
    /// Down: requests to it fail.
    pub down: bool,
    /// Its slow-down (1 normally).
    pub slow: u32,
    /// Keys written here at least once.
    pub keys_written: u64,
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
}

/// The version of every key (a key never written is at version 0), indexed by the key: keys
/// are below [`super::MAX_SYSTEM_KEYS`], so a flat vector (grown to the highest key written)
/// is a timeline snapshot's one cheap copy, where a map per shard allocated a node per few
/// keys on every snapshot. Versions are `u32`: one key written four billion times is beyond
/// any run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Versions(Vec<u32>);

impl Versions {
    /// The version `key` holds.
    pub(super) fn get(&self, key: u64) -> u64 {
        self.0.get(key as usize).map_or(0, |&v| u64::from(v))
    }

    /// One more version of `key`, written on `shard`; returns the new version.
    pub(super) fn write(&mut self, key: u64, shard: &mut Shard) -> u64 {
        let i = key as usize;
        if i >= self.0.len() {
            self.0.resize(i + 1, 0);
        }
        let Some(v) = self.0.get_mut(i) else {
            return 0;
        };
        if *v == 0 {
            shard.keys_written += 1;
        }
        *v = v.saturating_add(1);
        u64::from(*v)
    }
}
