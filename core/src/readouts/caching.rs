//! The caching readouts: the counters behind the hit rates, where reads were answered, and
//! what a write policy cost (stale reads, writes lost in a crash).

use super::{Reading, ReadoutError, ReadoutSpec, Readouts};
use crate::caching::CachingModel;

impl Readouts for CachingModel {
    const READOUTS: &'static [ReadoutSpec] = &[
        ReadoutSpec {
            name: "l1_hits",
            subject: None,
            meaning: "lookups the in-memory L1 cache answered",
        },
        ReadoutSpec {
            name: "l1_misses",
            subject: None,
            meaning: "lookups the in-memory L1 cache did not have",
        },
        ReadoutSpec {
            name: "l2_hits",
            subject: None,
            meaning: "L1 misses the shared L2 cache answered",
        },
        ReadoutSpec {
            name: "reads",
            subject: None,
            meaning: "read requests that arrived",
        },
        ReadoutSpec {
            name: "served_by_l1",
            subject: None,
            meaning: "reads answered from L1 (writes are answered at L2 or the origin)",
        },
        ReadoutSpec {
            name: "served_by_l2",
            subject: None,
            meaning: "requests answered from L2 (write-behind writes among them)",
        },
        ReadoutSpec {
            name: "served_by_origin",
            subject: None,
            meaning: "requests that went all the way to the origin database (cache-aside and write-through writes among them)",
        },
        ReadoutSpec {
            name: "stale_reads",
            subject: None,
            meaning: "origin reads that returned an older version than the write-behind buffer held (what a write-behind policy risks)",
        },
        ReadoutSpec {
            name: "lost_writes",
            subject: None,
            meaning: "buffered writes lost when the cache crashed before flushing them",
        },
        ReadoutSpec {
            name: "warm_loaded",
            subject: None,
            meaning: "keys the last cache warm-up has loaded",
        },
    ];

    fn family_reading(&self, name: &str, _subject: &str) -> Result<Reading, ReadoutError> {
        let s = self.stats();
        let count = match name {
            "l1_hits" => s.l1.hits,
            "l1_misses" => s.l1.misses,
            "l2_hits" => s.l2.cache.hits,
            "reads" => s.requests.reads,
            "served_by_l1" => s.requests.served_by_l1,
            "served_by_l2" => s.requests.served_by_l2,
            "served_by_origin" => s.requests.served_by_origin,
            "stale_reads" => s.origin.stale_reads,
            "lost_writes" => s.write_behind.lost,
            _ => self.last_warming().map_or(0, |w| w.loaded),
        };
        Ok(Reading::Number(count as f64))
    }
}
