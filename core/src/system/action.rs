//! What a student switches mid-run: chaos on one tier, each with a visible effect and (when
//! timed) its recovery, and request coalescing on or off. An action is checked against the
//! model before anything changes, so a refused one leaves the model as it was.

use super::{SystemError, SystemModel};
use crate::sharding::MAX_SLOW_FACTOR;
use crate::sim::{check_count, check_range, limits, SimDuration};
use serde::{Deserialize, Serialize};

/// Most requests one stampede sends at once.
pub const MAX_STAMPEDE: u32 = 10_000;
/// Largest traffic spike, as a multiple of the normal rate.
pub const MAX_SPIKE: f64 = 100.0;

/// A chaos switch or a setting changed mid-run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SystemAction {
    /// Kill an app instance: the requests it holds fail, its L1 is gone; the autoscaler
    /// replaces it if the tier falls below its minimum.
    KillInstance {
        /// The instance's id.
        instance: u32,
    },
    /// Slow an app instance's CPU by `factor` for `duration`.
    SlowInstance {
        /// The instance's id.
        instance: u32,
        /// The slow-down, 2 to 100.
        factor: u32,
        /// How long.
        duration: SimDuration,
    },
    /// Empty the shared cache at once: every read misses it until it refills.
    FlushL2,
    /// Take the shared cache down for `duration`: its contents are lost and reads go from L1
    /// straight to the shards; it comes back empty.
    CrashL2 {
        /// How long.
        duration: SimDuration,
    },
    /// Send `share` of all requests to one key for `duration`.
    HotKey {
        /// The key.
        key: u64,
        /// The share of traffic, in (0, 1].
        share: f64,
        /// How long.
        duration: SimDuration,
    },
    /// Take a shard down for `duration`: its keys' store reads and writes fail; its data is
    /// kept and readable again afterwards.
    ShardDown {
        /// The shard.
        shard: u32,
        /// How long.
        duration: SimDuration,
    },
    /// Slow a shard by `factor` for `duration`.
    SlowShard {
        /// The shard.
        shard: u32,
        /// The slow-down, 2 to 100.
        factor: u32,
        /// How long.
        duration: SimDuration,
    },
    /// Multiply the arrival rate by `multiplier` for `duration`.
    Spike {
        /// The multiple, above 0 up to 100.
        multiplier: f64,
        /// How long.
        duration: SimDuration,
    },
    /// A cached key expires everywhere and `requests` reads of it arrive at once: without
    /// coalescing each one misses and reads the key's shard.
    Stampede {
        /// The key.
        key: u64,
        /// Concurrent reads, 1 to 10 000.
        requests: u32,
    },
    /// Turn request coalescing on or off.
    SetCoalescing {
        /// On.
        on: bool,
    },
}

impl SystemAction {
    /// How long the switch lasts (zero for a one-off).
    pub fn duration(&self) -> SimDuration {
        match self {
            SystemAction::SlowInstance { duration, .. }
            | SystemAction::CrashL2 { duration }
            | SystemAction::HotKey { duration, .. }
            | SystemAction::ShardDown { duration, .. }
            | SystemAction::SlowShard { duration, .. }
            | SystemAction::Spike { duration, .. } => *duration,
            SystemAction::KillInstance { .. }
            | SystemAction::FlushL2
            | SystemAction::Stampede { .. }
            | SystemAction::SetCoalescing { .. } => SimDuration::ZERO,
        }
    }

    /// Checks the action against `model` without changing it.
    pub fn check(&self, model: &SystemModel) -> Result<(), SystemError> {
        match *self {
            SystemAction::KillInstance { instance } => {
                model.check_instance(instance)?;
                if model.instance_count() <= 1 {
                    return Err(SystemError::LastInstance { instance });
                }
            }
            SystemAction::SlowInstance {
                instance, factor, ..
            } => {
                model.check_instance(instance)?;
                check_factor(factor)?;
            }
            SystemAction::HotKey { key, share, .. } => {
                model.check_key(key)?;
                check_range("hot key share of traffic", share, 0.000_001, 1.0)?;
            }
            SystemAction::ShardDown { shard, .. } => model.check_shard(shard)?,
            SystemAction::SlowShard { shard, factor, .. } => {
                model.check_shard(shard)?;
                check_factor(factor)?;
            }
            SystemAction::Spike { multiplier, .. } => {
                check_range("spike multiplier", multiplier, 0.01, MAX_SPIKE)?;
            }
            SystemAction::Stampede { key, requests } => {
                model.check_key(key)?;
                check_count(
                    "stampede requests",
                    u64::from(requests),
                    1,
                    u64::from(MAX_STAMPEDE),
                )?;
            }
            SystemAction::FlushL2
            | SystemAction::CrashL2 { .. }
            | SystemAction::SetCoalescing { .. } => {}
        }
        if self.is_timed() {
            check_count(
                "chaos duration (µs)",
                self.duration().0,
                1,
                limits::MAX_DURATION_MICROS,
            )?;
        }
        Ok(())
    }

    /// Whether the switch wears off after its duration.
    pub fn is_timed(&self) -> bool {
        matches!(
            self,
            SystemAction::SlowInstance { .. }
                | SystemAction::CrashL2 { .. }
                | SystemAction::HotKey { .. }
                | SystemAction::ShardDown { .. }
                | SystemAction::SlowShard { .. }
                | SystemAction::Spike { .. }
        )
    }

    /// Checks the action, then applies it; a refused action changes nothing.
    pub fn apply_to(&self, model: &mut SystemModel) -> Result<(), SystemError> {
        self.check(model)?;
        model.start_chaos(self)
    }
}

fn check_factor(factor: u32) -> Result<(), SystemError> {
    check_count(
        "slow-down factor",
        u64::from(factor),
        2,
        u64::from(MAX_SLOW_FACTOR),
    )?;
    Ok(())
}

impl crate::timeline::Action<SystemModel> for SystemAction {
    fn apply(&self, model: &mut SystemModel) -> Result<(), crate::Error> {
        self.apply_to(model).map_err(crate::Error::from)
    }
}
