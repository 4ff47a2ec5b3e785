//! Shard faults a student can switch on and off: a **slow** shard answers every request a
//! factor later, a **down** shard answers nothing.
//!
//! A scatter-gather waits for every shard that answers, so a slow shard stretches every
//! cross-shard query (its tail latency). A down shard refuses its requests at once: a
//! cross-shard query then returns a **partial** result that names the missing shard and leaves
//! its share unknown, never a smaller figure passed off as whole; a read, write or key query
//! of a key the down shard holds fails with [`ShardingError::ShardDown`]. The shard keeps its
//! data: clearing the fault brings every key back as it was. Keys do not move while a shard is
//! down (adding, removing or rebalancing is refused), so none can be lost on the way.

use super::ShardingError;
use serde::{Deserialize, Serialize};

/// Largest slow-down factor.
pub const MAX_SLOW_FACTOR: u32 = 100;

/// A shard's health as the student set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ShardFault {
    /// Answers after its usual time.
    #[default]
    Healthy,
    /// Answers `factor` times later than usual.
    Slow {
        /// The slow-down, 2 to [`MAX_SLOW_FACTOR`].
        factor: u32,
    },
    /// Answers nothing; its data stays on it.
    Down,
}

impl ShardFault {
    /// Refuses a slow-down outside 2 to [`MAX_SLOW_FACTOR`].
    pub fn validate(&self) -> Result<(), ShardingError> {
        match self {
            ShardFault::Slow { factor } if !(2..=MAX_SLOW_FACTOR).contains(factor) => {
                Err(ShardingError::BadSlowFactor {
                    value: *factor,
                    max: MAX_SLOW_FACTOR,
                })
            }
            _ => Ok(()),
        }
    }

    /// How many times its usual time the shard takes to answer: 1 when healthy, `None` when
    /// it is down and answers nothing.
    pub fn factor(&self) -> Option<u64> {
        match self {
            ShardFault::Healthy => Some(1),
            ShardFault::Slow { factor } => Some(u64::from(*factor)),
            ShardFault::Down => None,
        }
    }
}

impl core::fmt::Display for ShardFault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ShardFault::Healthy => f.write_str("healthy"),
            ShardFault::Slow { factor } => write!(f, "slow (×{factor})"),
            ShardFault::Down => f.write_str("down"),
        }
    }
}
