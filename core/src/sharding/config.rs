//! The sharding scene's config and its teaching preset.

use super::{MigrationMode, QueryCost, RebalancePolicy, RouterKind, ShardingError};
use crate::sim::limits::{MAX_DURATION_MICROS, MAX_KEYS, MAX_SHARDS};
use crate::sim::{check_count, check_range};
use serde::{Deserialize, Serialize};

/// How the workload picks keys.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum KeyPopularity {
    /// Every key equally likely.
    Uniform,
    /// Zipf over key ranks (`user:0` most popular); exponent 1.0 is the classic skew.
    Zipf {
        /// The skew: 1.0 is the classic Zipf; larger is more skewed.
        exponent: f64,
    },
}

/// The name of the key of popularity rank `rank`: `user:<rank>`. The model's key space is
/// `user:0` … `user:<keys-1>`, and queries and tables name keys the same way.
pub fn key_name(rank: u64) -> String {
    format!("user:{rank}")
}

/// Everything [`super::ShardingModel`] needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardingConfig {
    /// Shards at the start (ids 0..shards).
    pub shards: u32,
    /// Live shards the model accepts at most: adding one more is refused with
    /// [`ShardingError::TooManyShards`]. The preset's 32 keeps a drawing of every shard
    /// legible; the store itself accepts up to 1 024.
    pub max_live_shards: u32,
    /// How a key is mapped to a shard.
    pub router: RouterKind,
    /// Directory (lossless, default) or the tutorial's naive migration.
    pub mode: MigrationMode,
    /// Size of the key space: keys are `user:0` … `user:<keys-1>`.
    pub keys: u64,
    /// Fraction of client operations that are reads (the rest write).
    pub read_fraction: f64,
    /// How the workload picks keys.
    pub popularity: KeyPopularity,
    /// Write every key once before the run starts, so reads have something to find.
    pub preload: bool,
    /// Simulated time between client operations, in microseconds.
    pub op_interval_micros: u64,
    /// Simulated time one migration batch takes, in microseconds.
    pub batch_interval_micros: u64,
    /// Rebalance thresholds and batch size (the tutorial's: 120 %, 80 %, 100 keys).
    pub rebalance: RebalancePolicy,
    /// Each shard's fixed query latency, in microseconds.
    pub shard_latency_micros: u64,
    /// What a query costs per key scanned, per shard and per row merged.
    pub query_cost: QueryCost,
    /// Seeds the workload, the preload values and the query jitter.
    pub seed: u64,
}

impl Default for ShardingConfig {
    /// The teaching preset: 4 shards on a ring with 100 virtual nodes, 1 000 keys, 80 % reads,
    /// seed 42.
    fn default() -> Self {
        ShardingConfig {
            shards: 4,
            max_live_shards: 32,
            router: RouterKind::Ring { virtual_nodes: 100 },
            mode: MigrationMode::Directory,
            keys: 1_000,
            read_fraction: 0.8,
            popularity: KeyPopularity::Uniform,
            preload: true,
            op_interval_micros: 1_000,
            batch_interval_micros: 5_000,
            rebalance: RebalancePolicy::default(),
            shard_latency_micros: 1_000,
            query_cost: QueryCost::default(),
            seed: 42,
        }
    }
}

impl ShardingConfig {
    /// Checks every field, naming the first one out of range.
    pub fn validate(&self) -> Result<(), ShardingError> {
        if self.shards == 0 {
            return Err(ShardingError::NoShards { field: "shards" });
        }
        if u64::from(self.shards) > MAX_SHARDS {
            return Err(ShardingError::TooManyShards {
                requested: u64::from(self.shards),
                max: MAX_SHARDS,
            });
        }
        check_count(
            "max_live_shards",
            u64::from(self.max_live_shards),
            1,
            MAX_SHARDS,
        )?;
        if self.shards > self.max_live_shards {
            return Err(ShardingError::TooManyShards {
                requested: u64::from(self.shards),
                max: u64::from(self.max_live_shards),
            });
        }
        self.router.validate()?;
        if self.keys == 0 {
            return Err(ShardingError::NoKeys);
        }
        if self.keys > MAX_KEYS {
            return Err(ShardingError::TooManyKeys {
                requested: self.keys,
                max: MAX_KEYS,
            });
        }
        check_range("read_fraction", self.read_fraction, 0.0, 1.0)?;
        if let KeyPopularity::Zipf { exponent } = self.popularity {
            if !exponent.is_finite() || exponent <= 0.0 {
                return Err(ShardingError::BadZipfExponent { value: exponent });
            }
            check_range("Zipf exponent", exponent, f64::MIN_POSITIVE, 10.0)?;
        }
        check_count(
            "op_interval_micros",
            self.op_interval_micros,
            1,
            MAX_DURATION_MICROS,
        )?;
        check_count(
            "batch_interval_micros",
            self.batch_interval_micros,
            1,
            MAX_DURATION_MICROS,
        )?;
        check_count(
            "shard_latency_micros",
            self.shard_latency_micros,
            0,
            MAX_DURATION_MICROS,
        )?;
        self.rebalance.validate()?;
        self.query_cost.validate()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset_is_valid_and_as_documented() {
        let c = ShardingConfig::default();
        c.validate().unwrap();
        assert_eq!(c.shards, 4);
        assert_eq!(c.max_live_shards, 32);
        assert_eq!(c.router, RouterKind::Ring { virtual_nodes: 100 });
        assert_eq!(c.keys, 1_000);
        assert_eq!(c.read_fraction, 0.8);
        assert_eq!(c.seed, 42);
    }

    #[test]
    fn every_bad_field_is_a_typed_error() {
        let bad = |f: fn(&mut ShardingConfig)| {
            let mut c = ShardingConfig::default();
            f(&mut c);
            c.validate().unwrap_err()
        };
        assert_eq!(
            bad(|c| c.shards = 0),
            ShardingError::NoShards { field: "shards" }
        );
        assert!(matches!(
            bad(|c| c.shards = 5_000),
            ShardingError::TooManyShards { .. }
        ));
        assert_eq!(
            bad(|c| c.shards = 33),
            ShardingError::TooManyShards {
                requested: 33,
                max: 32
            }
        );
        assert!(matches!(
            bad(|c| c.max_live_shards = 0),
            ShardingError::Sim(_)
        ));
        assert!(matches!(
            bad(|c| c.max_live_shards = 5_000),
            ShardingError::Sim(_)
        ));
        assert_eq!(
            bad(|c| c.router = RouterKind::Ring { virtual_nodes: 0 }),
            ShardingError::NoVirtualNodes
        );
        assert!(matches!(
            bad(|c| c.router = RouterKind::Ring {
                virtual_nodes: 5_000
            }),
            ShardingError::TooManyVirtualNodes { .. }
        ));
        assert_eq!(bad(|c| c.keys = 0), ShardingError::NoKeys);
        assert!(matches!(
            bad(|c| c.keys = MAX_KEYS + 1),
            ShardingError::TooManyKeys { .. }
        ));
        assert!(matches!(
            bad(|c| c.read_fraction = f64::NAN),
            ShardingError::Sim(_)
        ));
        assert!(matches!(
            bad(|c| c.read_fraction = 1.5),
            ShardingError::Sim(_)
        ));
        assert!(matches!(
            bad(|c| c.popularity = KeyPopularity::Zipf { exponent: 0.0 }),
            ShardingError::BadZipfExponent { .. }
        ));
        assert!(matches!(
            bad(|c| c.popularity = KeyPopularity::Zipf { exponent: f64::NAN }),
            ShardingError::BadZipfExponent { .. }
        ));
        assert!(matches!(
            bad(|c| c.popularity = KeyPopularity::Zipf { exponent: -1.0 }),
            ShardingError::BadZipfExponent { .. }
        ));
        assert!(matches!(
            bad(|c| c.op_interval_micros = 0),
            ShardingError::Sim(_)
        ));
        assert!(matches!(
            bad(|c| c.rebalance.high_percent = 90),
            ShardingError::BadThresholds { .. }
        ));
        assert!(matches!(
            bad(|c| c.rebalance.batch_size = 0),
            ShardingError::BadBatchSize { .. }
        ));
    }
}
