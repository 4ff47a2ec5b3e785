//! The well-known tutorial's load rebalancing plan: shards above 120 % of the average key
//! count give keys to shards below 80 %, in batches of 100.
//!
//! The plan is a pure function of the per-shard counts so it can be tested against hand-made
//! vectors. Moving keys by *load* puts them somewhere their hash does not point; the manager
//! decides whether reads can still find them (directory) or not (the tutorial's naive version).

use super::shard::sort_packed;
use super::{ShardId, ShardingError};
use serde::{Deserialize, Serialize};

/// Largest batch a migration step may move.
pub const MAX_BATCH_SIZE: u32 = 100_000;

/// Thresholds and batch size for rebalancing; `Default` is the tutorial's 120 % / 80 % / 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebalancePolicy {
    /// A shard holding more than this percentage of the average key count gives keys away.
    pub high_percent: u32,
    /// A shard holding less than this percentage of the average receives keys.
    pub low_percent: u32,
    /// Keys moved per migration step.
    pub batch_size: u32,
}

impl Default for RebalancePolicy {
    fn default() -> Self {
        RebalancePolicy {
            high_percent: 120,
            low_percent: 80,
            batch_size: 100,
        }
    }
}

impl RebalancePolicy {
    /// Checks `low_percent < 100 < high_percent` (at most 10 000) and the batch size.
    pub fn validate(&self) -> Result<(), ShardingError> {
        if self.low_percent >= 100 || self.high_percent <= 100 || self.high_percent > 10_000 {
            return Err(ShardingError::BadThresholds {
                low: self.low_percent,
                high: self.high_percent,
            });
        }
        if self.batch_size == 0 || self.batch_size > MAX_BATCH_SIZE {
            return Err(ShardingError::BadBatchSize {
                value: self.batch_size,
                max: MAX_BATCH_SIZE,
            });
        }
        Ok(())
    }
}

/// Move `keys` keys from one shard to another (carried out in batches of `batch_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Transfer {
    /// The overloaded shard giving keys.
    pub from: ShardId,
    /// The underloaded shard taking them.
    pub to: ShardId,
    /// How many keys move.
    pub keys: u64,
}

/// Sorts `(shard, amount)` by amount, largest first, then by id — as a packed key
/// `(u64::MAX - amount) << 32 | id` (see `sort_packed`). Ids are distinct, so no two keys tie.
fn largest_first(list: &mut Vec<(ShardId, u64)>) {
    let mut keys: Vec<u128> = list
        .iter()
        .map(|&(id, amount)| (u128::from(u64::MAX - amount) << 32) | u128::from(id.0))
        .collect();
    sort_packed(&mut keys);
    *list = keys
        .into_iter()
        .map(|k| (ShardId(k as u32), u64::MAX - (k >> 32) as u64))
        .collect();
}

/// The tutorial's plan for the given `(shard, key count)` list.
///
/// `avg = total / n` (integer). Overloaded: `count·100 > avg·high` — computed as
/// `count·100·n > total·high` so no rounding decides a borderline shard; underloaded likewise
/// with `low`. Each overloaded shard gives away `count − avg`, each underloaded one takes
/// `avg − count`; the most loaded giver is paired with the least loaded taker first (ties by
/// id), and each pair moves the smaller of what one can give and the other can take.
pub fn plan_rebalance(counts: &[(ShardId, u64)], policy: &RebalancePolicy) -> Vec<Transfer> {
    let n = counts.len() as u128;
    if n == 0 {
        return Vec::new();
    }
    let total: u128 = counts.iter().map(|&(_, c)| u128::from(c)).sum();
    // Shards number far below 2^32: the limb division keeps the 128-bit division routine
    // out of the page.
    let shards = u32::try_from(counts.len()).unwrap_or(u32::MAX);
    let avg = crate::num_text::div_rem_small(total, shards).0 as u64;
    let high = u128::from(policy.high_percent);
    let low = u128::from(policy.low_percent);
    let mut givers: Vec<(ShardId, u64)> = counts
        .iter()
        .filter(|&&(_, c)| u128::from(c) * 100 * n > total * high)
        .map(|&(id, c)| (id, c.saturating_sub(avg)))
        .collect();
    let mut takers: Vec<(ShardId, u64)> = counts
        .iter()
        .filter(|&&(_, c)| u128::from(c) * 100 * n < total * low)
        .map(|&(id, c)| (id, avg.saturating_sub(c)))
        .collect();
    // Largest surplus / deficit first, then lowest id.
    largest_first(&mut givers);
    largest_first(&mut takers);

    let mut plan = Vec::new();
    let mut t = 0;
    for (from, mut surplus) in givers {
        while surplus > 0 {
            let Some((to, deficit)) = takers.get_mut(t) else {
                break;
            };
            let keys = surplus.min(*deficit);
            if keys > 0 {
                plan.push(Transfer {
                    from,
                    to: *to,
                    keys,
                });
            }
            surplus -= keys;
            *deficit -= keys;
            if *deficit == 0 {
                t += 1;
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(counts: &[u64]) -> Vec<(ShardId, u64)> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &c)| (ShardId(i as u32), c))
            .collect()
    }

    #[test]
    fn balanced_store_needs_no_plan() {
        let p = plan_rebalance(&ids(&[100, 110, 90, 100]), &RebalancePolicy::default());
        assert!(p.is_empty());
    }

    #[test]
    fn borderline_exactly_120_percent_is_not_overloaded() {
        // avg 100: 120 is not *above* 120 %, 80 is not *below* 80 %.
        let p = plan_rebalance(&ids(&[120, 80, 100, 100]), &RebalancePolicy::default());
        assert!(p.is_empty());
        let p = plan_rebalance(&ids(&[121, 79, 100, 100]), &RebalancePolicy::default());
        assert_eq!(
            p,
            vec![Transfer {
                from: ShardId(0),
                to: ShardId(1),
                keys: 21
            }]
        );
    }

    #[test]
    fn bad_policies_are_rejected() {
        let p = RebalancePolicy {
            low_percent: 100,
            ..RebalancePolicy::default()
        };
        assert!(matches!(
            p.validate(),
            Err(ShardingError::BadThresholds { .. })
        ));
        let p = RebalancePolicy {
            batch_size: 0,
            ..RebalancePolicy::default()
        };
        assert!(matches!(
            p.validate(),
            Err(ShardingError::BadBatchSize { .. })
        ));
    }
}
