//! Moving keys: the tutorial's load rebalance and the batches of a migration (after a shard is
//! added or removed, or a rebalance is planned), with the directory kept so every key stays
//! readable in directory mode.

use super::{BatchReport, MigrationFinished, MigrationMode, ShardManager};
use crate::sharding::migration::is_pending;
use crate::sharding::rebalance::{plan_rebalance, Transfer};
use crate::sharding::{Router, ShardId, ShardingError};

impl ShardManager {
    // ----- rebalancing -----

    /// Plans the tutorial's load rebalance (120 % / 80 % of the average, batches of the policy's
    /// size) over the live shards; [`Self::step_migration`] then carries it out one batch per
    /// call. An empty plan means the store is already within the thresholds.
    pub fn start_rebalance(&mut self) -> Result<Vec<Transfer>, ShardingError> {
        self.refuse_moves_while_down()?;
        if !self.migration.is_idle() {
            return Err(ShardingError::MigrationInProgress {
                pending: self.migration.remaining(),
            });
        }
        let counts: Vec<(ShardId, u64)> = self
            .shards
            .iter()
            .filter(|s| !s.draining)
            .map(|s| (s.id, s.key_count()))
            .collect();
        let plan = plan_rebalance(&counts, &self.policy);
        self.migration.moved = 0;
        self.migration.set_plan(plan.clone());
        Ok(plan)
    }

    /// Carries out one batch of the migration in progress; `None` when nothing is moving.
    pub fn step_migration(&mut self) -> Option<BatchReport> {
        if self.migration.is_idle() {
            return None;
        }
        let mut report = if self.migration.pending_count() > 0 {
            self.move_pending_batch()?
        } else {
            self.move_rebalance_batch()?
        };
        self.migration.moved = self
            .migration
            .moved
            .saturating_add(report.keys.len() as u64);
        if self.migration.is_idle() {
            report.finished = Some(MigrationFinished {
                moved: self.migration.moved,
                unreadable: self.unreadable,
                stale: self.stale,
            });
            self.migration.moved = 0;
        }
        Some(report)
    }

    /// Runs the migration to completion (for tests and instant "apply" buttons).
    pub fn finish_migration(&mut self) -> Option<MigrationFinished> {
        let mut last = None;
        while let Some(report) = self.step_migration() {
            if report.finished.is_some() {
                last = report.finished;
            }
        }
        last
    }

    // ----- migration internals -----

    /// Re-plans which keys must move after the router changed from `old`.
    pub(super) fn after_router_change(&mut self, old: &Router) {
        let was_idle = self.migration.is_idle();
        // A load rebalance was planned against the old layout; keys following the router
        // take priority and the plan is dropped (start a new one afterwards).
        self.migration.cancel_plan();
        let was_pending = self.migration.take_pending();
        let mut pins: Vec<(String, Option<ShardId>)> = Vec::new();
        let mut moves: Vec<(ShardId, ShardId, String)> = Vec::new();
        for shard in &self.shards {
            let sid = shard.id;
            for key in shard.data.keys() {
                let in_flight = is_pending(&was_pending, sid, key);
                let target = self.router.route(key);
                match self.mode {
                    MigrationMode::Directory => {
                        let placed_here = !in_flight
                            && !shard.draining
                            && self.directory.get(key.as_str()) == Some(&sid);
                        if target == Some(sid) {
                            pins.push((key.clone(), None));
                        } else if !placed_here {
                            if let Some(to) = target {
                                pins.push((key.clone(), Some(sid)));
                                moves.push((sid, to, key.clone()));
                            }
                        }
                    }
                    MigrationMode::Naive => {
                        // The tutorial only knows where the hash pointed: copies it had already
                        // lost track of stay lost.
                        let tracked = in_flight || shard.draining || old.route(key) == Some(sid);
                        if let Some(to) = target {
                            if tracked && to != sid {
                                moves.push((sid, to, key.clone()));
                            }
                        }
                    }
                }
            }
        }
        for (key, pin) in pins {
            match pin {
                Some(s) => self.directory.insert(key, s),
                None => self.directory.remove(&key),
            };
        }
        if was_idle {
            self.migration.moved = 0;
        }
        for (from, to, key) in moves {
            self.migration.add_pending(from, to, key);
        }
        self.recount();
    }

    fn move_pending_batch(&mut self) -> Option<BatchReport> {
        let (from, to, keys) = self.migration.next_pending_batch(self.policy.batch_size)?;
        let mut moved = Vec::with_capacity(keys.len());
        for key in keys {
            if self.move_key(&key, from, to) {
                moved.push(key);
            }
        }
        let retired = self.retire_if_drained(from);
        Some(BatchReport {
            from,
            to,
            keys: moved,
            rebalance: false,
            retired,
            finished: None,
        })
    }

    fn move_rebalance_batch(&mut self) -> Option<BatchReport> {
        let transfer = self.migration.current_transfer()?;
        let want = transfer.keys.min(u64::from(self.policy.batch_size));
        // The tutorial takes whichever keys come first; sorted order keeps it deterministic.
        let keys: Vec<String> = self
            .shard(transfer.from)
            .map(|s| s.data.keys().take(want as usize).cloned().collect())
            .unwrap_or_default();
        let mut moved = Vec::with_capacity(keys.len());
        for key in keys {
            if self.move_key(&key, transfer.from, transfer.to) {
                moved.push(key);
            }
        }
        let exhausted = (moved.len() as u64) < want;
        self.migration.advance_plan(moved.len() as u64, exhausted);
        Some(BatchReport {
            from: transfer.from,
            to: transfer.to,
            keys: moved,
            rebalance: true,
            retired: None,
            finished: None,
        })
    }

    /// Moves one key's record; in directory mode the directory follows it.
    fn move_key(&mut self, key: &str, from: ShardId, to: ShardId) -> bool {
        if self.shard(to).is_none() || self.shard(from).is_none_or(|s| !s.data.contains(key)) {
            return false;
        }
        // A move changes only this key's copies and directory entry, so only its own health
        // can change.
        let before = self.health(key);
        let Some(record) = self.shard_mut(from).and_then(|s| s.data.remove(key)) else {
            return false;
        };
        if let Some(dest) = self.shard_mut(to) {
            // Only the naive mode can have two copies: the blind copy overwrites a newer
            // write made at the new owner meanwhile.
            let overwrites_newer = dest
                .data
                .get(key)
                .is_some_and(|existing| existing.version > record.version);
            dest.data.insert(key.to_string(), record);
            if overwrites_newer {
                self.lost_updates += 1;
            }
        }
        if self.mode == MigrationMode::Directory {
            if self.router.route(key) == Some(to) {
                self.directory.remove(key);
            } else {
                self.directory.insert(key.to_string(), to);
            }
        }
        let after = self.health(key);
        self.retally(before, after);
        true
    }

    fn retire_if_drained(&mut self, id: ShardId) -> Option<ShardId> {
        let shard = self.shard(id)?;
        if shard.draining && shard.data.is_empty() {
            self.drop_shard(id);
            self.migration.forget_from(id);
            Some(id)
        } else {
            None
        }
    }
}
