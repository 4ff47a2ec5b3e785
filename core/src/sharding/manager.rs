//! The well-known tutorial's `ShardManager` — add shards, write, read, per-shard key counts —
//! with a pluggable router and a migration that keeps every key readable.
//!
//! **Directory mode (default).** A key lives either where its router points or where a
//! directory entry says; reads and writes check the directory first. When the router changes,
//! every key whose route moved is *pinned* in the directory to the shard that holds it and
//! queued; each migration step moves one batch and updates the directory as each key lands
//! (CockroachDB/TiKV-style routing through a map). A write to a key in flight goes to the
//! shard that holds it, so the batch that moves it carries the latest value — no lost update.
//! A load rebalance moves keys off their hashed home on purpose and records each in the
//! directory, so they stay readable.
//!
//! **Naive mode (the tutorial's).** No directory. The router switches at once, so keys that have
//! not moved yet are unreadable until their batch arrives, writes meanwhile go to the new
//! owner and are then overwritten by the stale copy the batch brings (a lost update). The
//! tutorial's load rebalance moves keys while reads still hash to the old shard, so every key it
//! moves becomes unreadable; [`ShardManager::unreadable_keys`] counts them.
//!
//! This file holds the store, its readouts and the tutorial's operations; `moving.rs` the
//! rebalance and the migration's batches, `queries.rs` the cross-shard queries, `explain.rs`
//! where a key is and why.

mod explain;
mod faults;
mod moving;
mod queries;

use super::migration::Migration;
use super::rebalance::RebalancePolicy;
use super::shard::check_weight;
use super::{Router, RouterKind, Shard, ShardFault, ShardId, ShardingError, Versioned};
use crate::sim::limits::{MAX_KEYS, MAX_SHARDS};
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// Longest key accepted, in bytes.
pub const MAX_KEY_BYTES: u64 = 256;
/// Longest value accepted, in bytes.
pub const MAX_VALUE_BYTES: u64 = 4_096;

/// How keys are found while (and after) they move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationMode {
    /// Reads and writes consult a directory updated as each key moves: nothing is lost.
    #[default]
    Directory,
    /// The tutorial's behaviour: reads follow the hash only, so moved keys can vanish.
    Naive,
}

/// Where a write went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteReceipt {
    /// The shard that stored it.
    pub shard: ShardId,
    /// The version the store gave the value.
    pub version: u64,
}

/// What a read found, next to what the store last acknowledged for that key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOutcome {
    /// The shard asked (`None` only for a store without shards).
    pub shard: Option<ShardId>,
    /// What the shard holds for the key, if anything.
    pub value: Option<Versioned>,
    /// The latest version ever written to this key, if any.
    pub latest_version: Option<u64>,
}

impl ReadOutcome {
    /// Found with the latest value.
    pub fn is_fresh(&self) -> bool {
        matches!((&self.value, self.latest_version), (Some(v), Some(l)) if v.version == l)
    }
    /// Written before but not found where the read looked.
    pub fn is_unreadable(&self) -> bool {
        self.value.is_none() && self.latest_version.is_some()
    }
    /// Found, but an older version than the last write (a lost update).
    pub fn is_stale(&self) -> bool {
        matches!((&self.value, self.latest_version), (Some(v), Some(l)) if v.version < l)
    }
    /// Never written.
    pub fn is_miss(&self) -> bool {
        self.latest_version.is_none()
    }
}

/// One shard's load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardLoad {
    /// The shard.
    pub shard: ShardId,
    /// Keys it holds.
    pub keys: u64,
    /// Removed from the router, still handing its keys over.
    pub draining: bool,
    /// Slow or down, as a student set it.
    pub fault: ShardFault,
}

/// The effect of adding or removing a shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardChange {
    /// The shard added or removed.
    pub shard: ShardId,
    /// Keys queued to move because of this change (all keys in flight, after re-planning).
    pub keys_to_move: u64,
    /// The removed shard held nothing and is already gone.
    pub retired: bool,
}

/// Totals when the store comes to rest after a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationFinished {
    /// Keys moved since the store was last at rest.
    pub moved: u64,
    /// Written keys that a read cannot find.
    pub unreadable: u64,
    /// Written keys whose read returns an older version (lost updates).
    pub stale: u64,
}

/// One migration step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReport {
    /// The shard the keys left.
    pub from: ShardId,
    /// The shard the keys went to.
    pub to: ShardId,
    /// Keys moved, in order.
    pub keys: Vec<String>,
    /// True for a load-rebalance batch, false for keys following a router change.
    pub rebalance: bool,
    /// A draining shard that emptied with this batch and is now gone.
    pub retired: Option<ShardId>,
    /// Set when this batch was the last one.
    pub finished: Option<MigrationFinished>,
}

/// A sharded key-value store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardManager {
    mode: MigrationMode,
    policy: RebalancePolicy,
    router: Router,
    /// Live and draining shards, in id order (ids only grow, so a new shard goes last).
    shards: Vec<Shard>,
    /// Directory mode: where a key lives when that is not where its route points.
    directory: Table<String, ShardId>,
    migration: Migration,
    /// Latest acknowledged version per key: the ground truth reads are judged against.
    ledger: Table<String, u64>,
    next_id: u32,
    next_version: u64,
    default_latency_micros: u64,
    lost_updates: u64,
    /// Written keys a read cannot find, kept up to date as keys are written and moved and as
    /// shards come and go, so asking costs nothing (a scan reads every written key).
    unreadable: u64,
    /// Written keys a read finds only in an older version, kept as `unreadable` is.
    stale: u64,
}

/// What a read of one key finds, judged against the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyHealth {
    NeverWritten,
    Fresh,
    Unreadable,
    Stale,
}

impl ShardManager {
    /// An empty store (add shards before writing, as in the tutorial).
    pub fn new(
        router: RouterKind,
        mode: MigrationMode,
        policy: RebalancePolicy,
    ) -> Result<Self, ShardingError> {
        policy.validate()?;
        Ok(ShardManager {
            mode,
            policy,
            router: Router::new(router)?,
            shards: Vec::new(),
            directory: Table::new(),
            migration: Migration::default(),
            ledger: Table::new(),
            next_id: 0,
            next_version: 1,
            default_latency_micros: 1_000,
            lost_updates: 0,
            unreadable: 0,
            stale: 0,
        })
    }

    /// A store with `shards` shards (ids 0..shards).
    pub fn with_shards(
        router: RouterKind,
        mode: MigrationMode,
        policy: RebalancePolicy,
        shards: u32,
    ) -> Result<Self, ShardingError> {
        if shards == 0 {
            return Err(ShardingError::NoShards { field: "shards" });
        }
        if u64::from(shards) > MAX_SHARDS {
            return Err(ShardingError::TooManyShards {
                requested: u64::from(shards),
                max: MAX_SHARDS,
            });
        }
        let mut m = Self::new(router, mode, policy)?;
        for _ in 0..shards {
            m.add_shard()?;
        }
        Ok(m)
    }

    // ----- reading the state -----

    /// How keys are found while they move.
    pub fn mode(&self) -> MigrationMode {
        self.mode
    }

    /// Rebalance thresholds and batch size.
    pub fn policy(&self) -> RebalancePolicy {
        self.policy
    }

    /// The router: which shards take new keys, and how keys map to them.
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// A live or draining shard by id.
    pub fn shard(&self, id: ShardId) -> Option<&Shard> {
        let at = self.shards.binary_search_by_key(&id, |s| s.id).ok()?;
        self.shards.get(at)
    }

    fn shard_mut(&mut self, id: ShardId) -> Option<&mut Shard> {
        let at = self.shards.binary_search_by_key(&id, |s| s.id).ok()?;
        self.shards.get_mut(at)
    }

    /// Forgets a retired shard.
    fn drop_shard(&mut self, id: ShardId) {
        self.shards.retain(|s| s.id != id);
    }

    /// Live and draining shards, in id order.
    pub fn shards(&self) -> impl Iterator<Item = &Shard> {
        self.shards.iter()
    }

    /// Shards the router sends new keys to.
    pub fn live_shards(&self) -> Vec<ShardId> {
        self.shards
            .iter()
            .filter(|s| !s.draining)
            .map(|s| s.id)
            .collect()
    }

    /// Per-shard key counts (the tutorial's `GetShardStats`).
    pub fn key_counts(&self) -> Vec<ShardLoad> {
        self.shards
            .iter()
            .map(|s| ShardLoad {
                shard: s.id,
                keys: s.key_count(),
                draining: s.draining,
                fault: s.fault,
            })
            .collect()
    }

    /// Distinct keys ever written.
    pub fn written_keys(&self) -> u64 {
        self.ledger.len() as u64
    }

    /// Directory entries (keys living away from their hashed home).
    pub fn directory_len(&self) -> u64 {
        self.directory.len() as u64
    }

    /// Writes overwritten by a stale copy during a naive migration.
    pub fn lost_updates(&self) -> u64 {
        self.lost_updates
    }

    /// Keys are in flight (after a shard change) or a rebalance is under way.
    pub fn is_migrating(&self) -> bool {
        !self.migration.is_idle()
    }

    /// Keys still to move in the current migration.
    pub fn keys_in_flight(&self) -> u64 {
        self.migration.remaining()
    }

    /// Where the key's hash points, ignoring the directory.
    pub fn route(&self, key: &str) -> Option<ShardId> {
        self.router.route(key)
    }

    /// Where reads and writes for the key go: the directory first (directory mode), then the
    /// route.
    pub fn locate(&self, key: &str) -> Option<ShardId> {
        match self.mode {
            MigrationMode::Directory => self
                .directory
                .get(key)
                .copied()
                .or_else(|| self.router.route(key)),
            MigrationMode::Naive => self.router.route(key),
        }
    }

    // ----- the tutorial's operations -----

    /// Adds a shard of weight 1 (weights only matter to rendezvous).
    pub fn add_shard(&mut self) -> Result<ShardChange, ShardingError> {
        self.add_weighted_shard(1.0)
    }

    /// Adds a shard; keys whose route now points at it are queued to move.
    pub fn add_weighted_shard(&mut self, weight: f64) -> Result<ShardChange, ShardingError> {
        let weight = check_weight(weight)?;
        self.refuse_moves_while_down()?;
        if self.shards.len() as u64 >= MAX_SHARDS {
            return Err(ShardingError::TooManyShards {
                requested: self.shards.len() as u64 + 1,
                max: MAX_SHARDS,
            });
        }
        if self.next_id == u32::MAX {
            return Err(ShardingError::ShardIdsExhausted { max: u32::MAX });
        }
        let id = ShardId(self.next_id);
        let old = self.router.clone();
        self.router.add(id, weight)?;
        self.next_id += 1;
        // Ids only grow, so pushing keeps `shards` in id order.
        self.shards
            .push(Shard::new(id, weight, self.default_latency_micros));
        self.after_router_change(&old);
        Ok(ShardChange {
            shard: id,
            keys_to_move: self.migration.remaining(),
            retired: false,
        })
    }

    /// Removes a shard from the router. Its keys migrate to their new owners step by step;
    /// the shard keeps answering for them (directory mode) until it is empty, then retires.
    pub fn remove_shard(&mut self, id: ShardId) -> Result<ShardChange, ShardingError> {
        self.refuse_moves_while_down()?;
        let shard = self
            .shard(id)
            .ok_or(ShardingError::UnknownShard { shard: id.0 })?;
        if shard.draining {
            return Err(ShardingError::ShardDraining { shard: id.0 });
        }
        let empty = shard.data.is_empty();
        let old = self.router.clone();
        self.router.remove(id)?;
        if empty {
            self.drop_shard(id);
        } else if let Some(s) = self.shard_mut(id) {
            s.draining = true;
        }
        self.after_router_change(&old);
        Ok(ShardChange {
            shard: id,
            keys_to_move: self.migration.remaining(),
            retired: empty,
        })
    }

    /// Stores `value` under `key` on the shard that currently owns the key.
    pub fn write(&mut self, key: &str, value: &str) -> Result<WriteReceipt, ShardingError> {
        check_key(key)?;
        if value.len() as u64 > MAX_VALUE_BYTES {
            return Err(ShardingError::ValueTooLong {
                len: value.len() as u64,
                max: MAX_VALUE_BYTES,
            });
        }
        if !self.ledger.contains(key) && self.ledger.len() as u64 >= MAX_KEYS {
            return Err(ShardingError::TooManyKeys {
                requested: self.ledger.len() as u64 + 1,
                max: MAX_KEYS,
            });
        }
        let shard_id = self
            .locate(key)
            .ok_or(ShardingError::NoShards { field: "shards" })?;
        if self.is_down(shard_id) {
            return Err(ShardingError::ShardDown { shard: shard_id.0 });
        }
        let version = self.next_version;
        let before = self.health_on(key, Some(shard_id));
        let shard = self
            .shard_mut(shard_id)
            .ok_or(ShardingError::UnknownShard { shard: shard_id.0 })?;
        shard.data.insert(
            key.to_string(),
            Versioned {
                value: value.to_string(),
                version,
            },
        );
        self.next_version += 1;
        self.ledger.insert(key.to_string(), version);
        // The write went where reads look and is the latest version: the key is fresh.
        self.retally(before, KeyHealth::Fresh);
        Ok(WriteReceipt {
            shard: shard_id,
            version,
        })
    }

    /// Reads `key` from the shard that currently owns it.
    pub fn read(&self, key: &str) -> ReadOutcome {
        let shard = self.locate(key);
        let value = shard
            .and_then(|s| self.shard(s))
            .and_then(|s| s.data.get(key))
            .cloned();
        ReadOutcome {
            shard,
            value,
            latest_version: self.ledger.get(key).copied(),
        }
    }

    /// Written keys a read cannot find (a scan of every written key; [`Self::unreadable_count`]
    /// gives their number at no cost).
    pub fn unreadable_keys(&self) -> Vec<String> {
        self.ledger
            .keys()
            .filter(|k| self.read(k).is_unreadable())
            .cloned()
            .collect()
    }

    /// Written keys a read finds only in an older version (a scan of every written key;
    /// [`Self::stale_count`] gives their number at no cost).
    pub fn stale_keys(&self) -> Vec<String> {
        self.ledger
            .keys()
            .filter(|k| self.read(k).is_stale())
            .cloned()
            .collect()
    }

    /// How many written keys a read cannot find right now: the length of
    /// [`Self::unreadable_keys`], kept as the store changes rather than counted.
    pub fn unreadable_count(&self) -> u64 {
        self.unreadable
    }

    /// How many written keys a read finds only in an older version right now: the length of
    /// [`Self::stale_keys`], kept as the store changes rather than counted.
    pub fn stale_count(&self) -> u64 {
        self.stale
    }

    /// The shard holding the newest copy of `key` (a naive migration can leave two copies;
    /// the older one is ignored), whether or not a read would look there.
    pub fn holder(&self, key: &str) -> Option<ShardId> {
        self.shards
            .iter()
            .filter_map(|s| s.data.get(key).map(|v| (v.version, s.id)))
            .max()
            .map(|(_, id)| id)
    }

    /// The largest live shard's key count over the live shards' average: 1.0 is perfectly
    /// even, and 1.2 is where the rebalance's upper threshold starts. 1.0 for an empty store.
    /// Draining shards are left out: they are on their way out, not part of the balance.
    pub fn imbalance(&self) -> f64 {
        let max = self
            .shards
            .iter()
            .filter(|s| !s.draining)
            .map(|s| s.key_count())
            .max()
            .unwrap_or(0);
        let average = self.average_live_keys();
        if average > 0.0 {
            max as f64 / average
        } else {
            1.0
        }
    }

    /// Keys per live shard on average: the reference the rebalance's thresholds (120 % and
    /// 80 % of it) compare each shard with. Draining shards are left out; 0 with none live.
    pub fn average_live_keys(&self) -> f64 {
        let (mut live, mut total) = (0u64, 0u64);
        for s in self.shards.iter().filter(|s| !s.draining) {
            live += 1;
            total += s.key_count();
        }
        if live == 0 {
            0.0
        } else {
            total as f64 / live as f64
        }
    }

    /// What a read of `key` finds, judged against the ledger.
    fn health(&self, key: &str) -> KeyHealth {
        self.health_on(key, self.locate(key))
    }

    /// What a read of `key` finds when it looks on `shard`.
    fn health_on(&self, key: &str, shard: Option<ShardId>) -> KeyHealth {
        let Some(&latest) = self.ledger.get(key) else {
            return KeyHealth::NeverWritten;
        };
        match shard
            .and_then(|s| self.shard(s))
            .and_then(|s| s.data.get(key))
        {
            None => KeyHealth::Unreadable,
            Some(v) if v.version < latest => KeyHealth::Stale,
            Some(_) => KeyHealth::Fresh,
        }
    }

    /// Moves one key from `before` to `after` in the unreadable and stale counts.
    fn retally(&mut self, before: KeyHealth, after: KeyHealth) {
        if before == after {
            return;
        }
        match before {
            KeyHealth::Unreadable => self.unreadable = self.unreadable.saturating_sub(1),
            KeyHealth::Stale => self.stale = self.stale.saturating_sub(1),
            KeyHealth::NeverWritten | KeyHealth::Fresh => {}
        }
        match after {
            KeyHealth::Unreadable => self.unreadable += 1,
            KeyHealth::Stale => self.stale += 1,
            KeyHealth::NeverWritten | KeyHealth::Fresh => {}
        }
    }

    /// Counts unreadable and stale keys afresh. A router change can move where any key is
    /// looked for, and re-planning already visits every stored key, so the counts are redone
    /// there rather than tracked key by key.
    fn recount(&mut self) {
        let (mut unreadable, mut stale) = (0, 0);
        for key in self.ledger.keys() {
            match self.health(key) {
                KeyHealth::Unreadable => unreadable += 1,
                KeyHealth::Stale => stale += 1,
                KeyHealth::NeverWritten | KeyHealth::Fresh => {}
            }
        }
        self.unreadable = unreadable;
        self.stale = stale;
    }
}

fn check_key(key: &str) -> Result<(), ShardingError> {
    if key.is_empty() {
        return Err(ShardingError::EmptyKey);
    }
    if key.len() as u64 > MAX_KEY_BYTES {
        return Err(ShardingError::KeyTooLong {
            len: key.len() as u64,
            max: MAX_KEY_BYTES,
        });
    }
    Ok(())
}
