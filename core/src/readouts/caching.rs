//! The caching readouts: the counters behind the hit rates, where reads were answered, and
//! what a write policy cost (stale reads, writes lost in a crash); in a race, each lane's L1
//! hit rate and the policy that leads. Outside the lane readouts, a race reads its first lane.

use super::{pick, Reading, ReadoutError, ReadoutSpec, Readouts};
use crate::caching::{CachingModel, CachingRace};

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
            name: "l1_hit_pct",
            subject: None,
            meaning: "the share of L1 lookups that hit since the start, in percent (the page shows hit rates in percent)",
        },
        ReadoutSpec {
            name: "l2_hit_pct",
            subject: None,
            meaning: "the share of L2 lookups (L1 misses) that hit since the start, in percent",
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
            name: "l2_evictions",
            subject: None,
            meaning: "keys the shared L2 cache evicted to make room under its maxmemory-policy",
        },
        ReadoutSpec {
            name: "l2_refused_writes",
            subject: None,
            meaning: "writes to L2 refused with Redis's OOM error (noeviction, or volatile-ttl with no key with a TTL to evict); reads that missed were still answered by the origin",
        },
        ReadoutSpec {
            name: "reads_behind_origin",
            subject: None,
            meaning: "reads answered with an older version than the origin held at that moment, over every app node (another node's write left this node's L1 copy old, or a load raced a write)",
        },
        ReadoutSpec {
            name: "reads_behind_origin_pct",
            subject: None,
            meaning: "reads_behind_origin as a share of the reads that arrived, in percent",
        },
        ReadoutSpec {
            name: "invalidations_sent",
            subject: None,
            meaning: "invalidations the writing app node published to the others (broadcast invalidation with two nodes or more)",
        },
        ReadoutSpec {
            name: "warm_loaded",
            subject: None,
            meaning: "keys the last cache warm-up has loaded",
        },
    ];

    fn family_reading(&self, name: &str, _subject: &str) -> Result<Reading, ReadoutError> {
        let s = self.stats();
        let pct = |hits: u64, misses: u64| match hits + misses {
            0 => Err(ReadoutError::NoValueYet { name: name.into() }),
            n => Ok(Reading::Number(hits as f64 * 100.0 / n as f64)),
        };
        match name {
            "l1_hit_pct" => return pct(s.l1.hits, s.l1.misses),
            "l2_hit_pct" => return pct(s.l2.cache.hits, s.l2.cache.misses),
            "reads_behind_origin_pct" => {
                let behind: u64 = self.stale_reads_by_node().iter().sum();
                return pct(behind, s.requests.reads.saturating_sub(behind));
            }
            _ => {}
        }
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
            "reads_behind_origin" => self.stale_reads_by_node().iter().sum(),
            "invalidations_sent" => self.invalidations_sent(),
            "l2_evictions" => s.l2.cache.evictions.capacity,
            "l2_refused_writes" => s.l2.refused_writes,
            _ => self.last_warming().map_or(0, |w| w.loaded),
        };
        Ok(Reading::Number(count as f64))
    }
}

/// The readouts a race adds to its first lane's.
const LANE_READOUTS: [ReadoutSpec; 2] = [
    ReadoutSpec {
        name: "lane_hit_pct",
        subject: Some("L1 policy name"),
        meaning: "a race lane's L1 hit rate since the start, in percent: the share of its L1 lookups that hit",
    },
    ReadoutSpec {
        name: "highest_hit_lane",
        subject: None,
        meaning: "the L1 policy of the race lane with the highest L1 hit rate since the start (the first lane on a tie)",
    },
];

impl Readouts for CachingRace {
    const READOUTS: &'static [ReadoutSpec] = &crate::caching::concat::<
        _,
        { CachingModel::READOUTS.len() + LANE_READOUTS.len() },
    >(CachingModel::READOUTS, &LANE_READOUTS);

    fn family_reading(&self, name: &str, subject: &str) -> Result<Reading, ReadoutError> {
        let board = self.board();
        let looked_up = |l: &&crate::caching::RaceLane| l.l1.hits + l.l1.misses > 0;
        let pct = |l: &crate::caching::RaceLane| l.l1.hit_rate * 100.0;
        let lane = match name {
            "lane_hit_pct" => pick(
                name,
                subject,
                board.iter().map(|l| (l.policy.name().to_string(), l)),
            )?,
            "highest_hit_lane" => {
                let mut best: Option<&crate::caching::RaceLane> = None;
                for l in board.iter().filter(looked_up) {
                    if best.is_none_or(|b| l.l1.hit_rate > b.l1.hit_rate) {
                        best = Some(l);
                    }
                }
                let best = best.ok_or_else(|| ReadoutError::NoValueYet { name: name.into() })?;
                return Ok(Reading::Text(best.policy.name().into()));
            }
            _ => {
                return match self.lead() {
                    Some(lead) => lead.family_reading(name, subject),
                    None => Err(ReadoutError::NoValueYet { name: name.into() }),
                }
            }
        };
        if !looked_up(&lane) {
            return Err(ReadoutError::NoValueYet { name: name.into() });
        }
        Ok(Reading::Number(pct(lane)))
    }
}
