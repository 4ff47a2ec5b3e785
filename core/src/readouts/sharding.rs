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
            name: "aggregate_count",
            subject: None,
            meaning: "records the last cross-shard aggregate counted, once gathered",
        },
        ReadoutSpec {
            name: "aggregate_sum",
            subject: None,
            meaning: "the sum of scores the last cross-shard aggregate gathered",
        },
        ReadoutSpec {
            name: "aggregate_partial",
            subject: None,
            meaning: "1 when the last cross-shard aggregate lacks the share of a shard that was down, 0 when every shard answered",
        },
        ReadoutSpec {
            name: "unavailable_requests",
            subject: None,
            meaning: "client reads and writes refused so far because the shard holding the key was down",
        },
        ReadoutSpec {
            name: "aggregate_latency_ms",
            subject: None,
            meaning: "how long the last cross-shard aggregate took, in milliseconds: the slowest shard plus the merge",
        },
        ReadoutSpec {
            name: "misses",
            subject: None,
            meaning: "reads of a key that was never written",
        },
    ];

    fn family_reading(&self, name: &str, subject: &str) -> Result<Reading, ReadoutError> {
        if let Some(figure) = name.strip_prefix("aggregate_") {
            // The last query, once gathered, and only if it was an aggregate.
            let gathered = self
                .last_query()
                .and_then(|q| Some((q.result.as_ref()?, q.gathered?, q.is_partial())));
            let Some((result, g, partial)) = gathered else {
                return Err(ReadoutError::NoValueYet {
                    name: name.to_string(),
                });
            };
            return Ok(Reading::Number(match figure {
                "count" => result.count as f64,
                "sum" => result.sum as f64,
                "partial" => f64::from(u8::from(partial)),
                // aggregate_latency_ms, the last aggregate readout.
                _ => g.latency_micros as f64 / 1_000.0,
            }));
        }
        let s = self.stats();
        let count = match name {
            "live_shards" => u64::from(self.live_shard_count()),
            "keys_stored" => self.manager().shards().map(|s| s.key_count()).sum(),
            "shard_keys" => {
                let shards = self.manager().shards().map(|s| (s.name(), s));
                pick(name, subject, shards)?.key_count()
            }
            "reads" => s.reads,
            "unavailable_requests" => s.unavailable,
            "stale_reads" => s.stale_reads,
            // misses, the last in the list.
            _ => s.misses,
        };
        Ok(Reading::Number(count as f64))
    }
}
