//! The user's operations on the caching model as data, so a [`Timeline`](crate::timeline::Timeline)
//! can log and replay them and a link can carry them.

use super::{CachingError, CachingModel, EvictionPolicy, Key, WorkloadKind, WritePolicy};
use crate::timeline::Action;

/// Most L1 slots a [`CachingAction::Resize`] asks for: the page draws every slot, and 64 is
/// the most its grid shows legibly.
pub const MAX_L1_RESIZE: u64 = 64;

/// What a user can do mid-run; each is one operation of [`CachingModel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachingAction {
    /// Warm the `count` hottest keys, `0 .. count` (under Zipf, key 0 is the most popular):
    /// [`CachingModel::warm_range`].
    Warm {
        /// Keys to warm.
        count: u64,
    },
    /// `count` concurrent reads of `key`, arriving now: [`CachingModel::stampede`].
    Stampede {
        /// The key every read asks for.
        key: Key,
        /// Reads sent.
        count: u64,
    },
    /// FLUSHALL on the L2: [`CachingModel::flush_l2`].
    FlushL2,
    /// Clear both levels: [`CachingModel::clear_caches`].
    Clear,
    /// The process holding the write-behind buffer crashes: [`CachingModel::crash_write_behind`].
    Crash,
    /// Rebuild L1 under another eviction policy: [`CachingModel::switch_policy`].
    Policy(EvictionPolicy),
    /// Switch to a workload of this kind over the same key space: the current workload's Zipf
    /// exponent where it has one, else the config's
    /// [`switch_exponent`](super::CachingConfig::switch_exponent).
    Workload(WorkloadKind),
    /// Handle later writes this way: [`CachingModel::set_write_policy`].
    Write(WritePolicy),
    /// Turn request coalescing on or off: [`CachingModel::set_coalescing`].
    Coalescing(bool),
    /// Rebuild L1 with this many slots, clamped to 1 ..= [`MAX_L1_RESIZE`]:
    /// [`CachingModel::resize_l1`].
    Resize(u64),
}

impl CachingAction {
    /// Performs the operation on `model`. On error nothing changes.
    pub fn apply_to(&self, model: &mut CachingModel) -> Result<(), CachingError> {
        match *self {
            CachingAction::Warm { count } => model.warm_range(0, count).map(|_| ()),
            CachingAction::Stampede { key, count } => model.stampede(key, count).map(|_| ()),
            CachingAction::FlushL2 => {
                model.flush_l2();
                Ok(())
            }
            CachingAction::Clear => {
                model.clear_caches();
                Ok(())
            }
            CachingAction::Crash => model.crash_write_behind().map(|_| ()),
            CachingAction::Policy(p) => model.switch_policy(p).map(|_| ()),
            CachingAction::Workload(kind) => {
                let config = model.config();
                let keys = config.workload.keys();
                let exponent = config.workload.exponent().unwrap_or(config.switch_exponent);
                model.switch_workload(kind.workload(keys, exponent))
            }
            CachingAction::Write(p) => model.set_write_policy(p),
            CachingAction::Coalescing(on) => {
                model.set_coalescing(on);
                Ok(())
            }
            CachingAction::Resize(capacity) => model
                .resize_l1(capacity.clamp(1, MAX_L1_RESIZE))
                .map(|_| ()),
        }
    }
}

impl Action<CachingModel> for CachingAction {
    fn apply(&self, model: &mut CachingModel) -> Result<(), crate::Error> {
        self.apply_to(model).map_err(crate::Error::from)
    }
}
