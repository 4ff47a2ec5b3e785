//! The sharding readouts: how many shards and keys there are, where they are, and what reads
//! found while keys moved.

use super::{pick, Reading, ReadoutError, ReadoutSpec, Readouts};
use crate::sharding::ShardingModel;

impl Readouts for ShardingModel {
    const READOUTS: &'static [ReadoutSpec] = &[
        ReadoutSpec {
            name: "live_shards",
            subject: None,
            meaning: "shards taking reads and writes now",
        },
        ReadoutSpec {
            name: "keys_stored",
            subject: None,
            meaning: "keys held across every shard now",
        },
        ReadoutSpec {
            name: "shard_keys",
            subject: Some("shard name"),
            meaning: "keys one shard holds now",
        },
        ReadoutSpec {
            name: "reads",
            subject: None,
            meaning: "reads made so far",
        },
        ReadoutSpec {
            name: "stale_reads",
            subject: None,
            meaning: "reads that found an older value than the last write",
        },
        ReadoutSpec {
            name: "misses",
            subject: None,
            meaning: "reads of a key that was never written",
        },
    ];

    fn family_reading(&self, name: &str, subject: &str) -> Result<Reading, ReadoutError> {
        let s = self.stats();
        let count = match name {
            "live_shards" => u64::from(self.live_shard_count()),
            "keys_stored" => self.manager().shards().map(|s| s.key_count()).sum(),
            "shard_keys" => {
                let shards = self.manager().shards().map(|s| (s.name(), s));
                pick(name, subject, shards)?.key_count()
            }
            "reads" => s.reads,
            "stale_reads" => s.stale_reads,
            // misses, the last in the list.
            _ => s.misses,
        };
        Ok(Reading::Number(count as f64))
    }
}
