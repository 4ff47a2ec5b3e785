//! Slow and failed shards: setting a fault, and what a failed shard refuses.

use super::ShardManager;
use crate::sharding::{ShardFault, ShardId, ShardingError};

impl ShardManager {
    /// Makes shard `id` slow, failed or healthy again. A shard is failed only while no keys
    /// are moving, so every key is on a shard when one goes down; its keys stay on it.
    pub fn set_fault(&mut self, id: ShardId, fault: ShardFault) -> Result<(), ShardingError> {
        fault.validate()?;
        if fault == ShardFault::Down && self.is_migrating() {
            return Err(ShardingError::MigrationInProgress {
                pending: self.keys_in_flight(),
            });
        }
        let shard = self
            .shard_mut(id)
            .ok_or(ShardingError::UnknownShard { shard: id.0 })?;
        shard.fault = fault;
        Ok(())
    }

    /// Whether shard `id` is down.
    pub fn is_down(&self, id: ShardId) -> bool {
        self.shard(id).is_some_and(|s| s.fault == ShardFault::Down)
    }

    /// The shard a read or write of `key` would go to, if that shard is down.
    pub fn down_owner(&self, key: &str) -> Option<ShardId> {
        self.locate(key).filter(|&s| self.is_down(s))
    }

    /// Keys move only while every shard is up: a batch to or from a failed shard could not
    /// land, and a key half-way could be lost.
    pub(crate) fn refuse_moves_while_down(&self) -> Result<(), ShardingError> {
        match self.shards().find(|s| s.fault == ShardFault::Down) {
            Some(s) => Err(ShardingError::ShardDown { shard: s.id.0 }),
            None => Ok(()),
        }
    }
}
