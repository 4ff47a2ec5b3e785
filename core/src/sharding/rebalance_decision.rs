//! Why a load rebalance moves what it moves: each live shard's keys against the thresholds
//! (above 120 % of the average gives, below 80 % takes), and the plan that follows.

use super::{MigrationMode, RebalancePolicy, ShardId, Transfer};
use crate::num_text::Fixed;
use crate::sim::SimTime;
use core::fmt;

/// A shard's load against the rebalance thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadVerdict {
    /// Above `high_percent` of the average: gives keys away.
    Above,
    /// Between the thresholds (either one included): left alone.
    Within,
    /// Below `low_percent` of the average: takes keys.
    Below,
}

impl LoadVerdict {
    /// The verdict for a shard holding `keys` of `total` keys over `shards` live shards.
    /// Compared as `keys·100·shards` against `total·percent`, so no rounding of the average
    /// decides a borderline shard: the rule [`super::plan_rebalance`] applies.
    pub fn judge(keys: u64, total: u128, shards: u128, policy: &RebalancePolicy) -> Self {
        let scaled = u128::from(keys) * 100 * shards;
        if scaled > total * u128::from(policy.high_percent) {
            LoadVerdict::Above
        } else if scaled < total * u128::from(policy.low_percent) {
            LoadVerdict::Below
        } else {
            LoadVerdict::Within
        }
    }
}

/// One live shard's load when the rebalance was planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardVerdict {
    /// The shard.
    pub shard: ShardId,
    /// Keys it held.
    pub keys: u64,
    /// Against the thresholds.
    pub load: LoadVerdict,
}

/// Why a load rebalance moves the keys it moves.
#[derive(Debug, Clone, PartialEq)]
pub struct RebalanceDecision {
    /// When it was planned.
    pub at: SimTime,
    /// How moved keys are found afterwards.
    pub mode: MigrationMode,
    /// A shard above this percentage of the average gives keys away.
    pub high_percent: u32,
    /// A shard below this percentage of the average takes keys.
    pub low_percent: u32,
    /// Keys on the live shards.
    pub total_keys: u64,
    /// Every live shard's load, in id order.
    pub loads: Vec<ShardVerdict>,
    /// The transfers planned (empty when every shard is within the thresholds).
    pub plan: Vec<Transfer>,
}

impl RebalanceDecision {
    /// An empty decision to fill with [`RebalanceDecision::fill`].
    pub(crate) fn new(at: SimTime, mode: MigrationMode, policy: &RebalancePolicy) -> Self {
        RebalanceDecision {
            at,
            mode,
            high_percent: policy.high_percent,
            low_percent: policy.low_percent,
            total_keys: 0,
            loads: Vec::new(),
            plan: Vec::new(),
        }
    }

    /// Judges `counts` (live shards in id order) and records `plan`, reusing the buffers.
    pub(crate) fn fill(
        &mut self,
        at: SimTime,
        policy: &RebalancePolicy,
        counts: impl Iterator<Item = (ShardId, u64)> + Clone,
        plan: &[Transfer],
    ) {
        self.at = at;
        self.high_percent = policy.high_percent;
        self.low_percent = policy.low_percent;
        let (n, total) = counts
            .clone()
            .fold((0u128, 0u128), |(n, t), (_, c)| (n + 1, t + u128::from(c)));
        self.total_keys = total as u64;
        self.loads.clear();
        self.loads.extend(counts.map(|(shard, keys)| ShardVerdict {
            shard,
            keys,
            load: LoadVerdict::judge(keys, total, n, policy),
        }));
        self.plan.clear();
        self.plan.extend_from_slice(plan);
    }

    /// Keys per live shard on average.
    pub fn average(&self) -> f64 {
        match self.loads.len() {
            0 => 0.0,
            n => self.total_keys as f64 / n as f64,
        }
    }

    /// `keys` as a percentage of the average (100 for an empty store).
    pub fn percent_of_average(&self, keys: u64) -> f64 {
        let average = self.average();
        if average > 0.0 {
            keys as f64 * 100.0 / average
        } else {
            100.0
        }
    }

    /// Keys the plan moves.
    pub fn keys_to_move(&self) -> u64 {
        self.plan.iter().map(|t| t.keys).sum()
    }

    fn list(&self, f: &mut fmt::Formatter<'_>, load: LoadVerdict) -> fmt::Result {
        let mut first = true;
        for v in self.loads.iter().filter(|v| v.load == load) {
            let sep = if first { "" } else { ", " };
            first = false;
            let percent = Fixed(self.percent_of_average(v.keys), 0);
            write!(f, "{sep}{} with {} keys ({percent} %)", v.shard, v.keys)?;
        }
        Ok(())
    }
}

impl fmt::Display for RebalanceDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (high, low) = (self.high_percent, self.low_percent);
        write!(
            f,
            "rebalance: the live shards hold {} keys on average; ",
            Fixed(self.average(), 1)
        )?;
        if self.plan.is_empty() {
            return write!(
                f,
                "no shard is above {high} % while another is below {low} %, so nothing moves."
            );
        }
        write!(f, "above {high} %: ")?;
        self.list(f, LoadVerdict::Above)?;
        write!(f, "; below {low} %: ")?;
        self.list(f, LoadVerdict::Below)?;
        write!(f, "; so {} keys move", self.keys_to_move())?;
        match self.mode {
            MigrationMode::Directory => f.write_str(
                ", and the directory records each moved key, so every key stays readable.",
            ),
            MigrationMode::Naive => f.write_str(
                ", but naive reads still hash to the old shards: the naive rebalancer makes \
                 moved keys unreadable.",
            ),
        }
    }
}
