//! Cross-shard queries: filters, the latency model, and the gathered result.
//!
//! A filter that is not "this one key" cannot be routed by hash, so it is sent to every shard
//! (scatter), each shard scans its keys, and the answers are merged (gather). The query is as
//! slow as the slowest shard plus the merge, which is the cost of fan-out the playground shows
//! next to a single-shard lookup routed by key.

use super::{Aggregate, AggregateAnswer, Partial, ShardEventKind, ShardId, ShardingError};
use crate::sim::limits::MAX_DURATION_MICROS;
use crate::sim::SimTime;
use serde::{Deserialize, Serialize};

/// Which records a query wants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Filter {
    /// Every record.
    All,
    /// Keys starting with `prefix` (e.g. `"user:1"`).
    KeyPrefix {
        /// The start every matching key has.
        prefix: String,
    },
    /// Values containing `text`.
    ValueContains {
        /// The text a matching value contains.
        text: String,
    },
    /// Values of the form `name=number;name=number…` whose `field` is a number in
    /// `[min, max]` (e.g. `score` between 100 and 200). Records without the field never match.
    NumberInRange {
        /// The field's name (`score`).
        field: String,
        /// Lowest number matched.
        min: i64,
        /// Highest number matched.
        max: i64,
    },
}

impl Filter {
    /// Refuses a filter that cannot match as written (an inverted range, a nameless field).
    pub fn validate(&self) -> Result<(), ShardingError> {
        match self {
            Filter::NumberInRange { field, min, max } => {
                if field.is_empty() {
                    return Err(ShardingError::BadFilter {
                        reason: "the number filter needs a field name".to_string(),
                    });
                }
                if min > max {
                    return Err(ShardingError::BadFilter {
                        reason: format!("the range minimum {min} is above the maximum {max}"),
                    });
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Whether the record `key` = `value` matches.
    pub fn matches(&self, key: &str, value: &str) -> bool {
        match self {
            Filter::All => true,
            Filter::KeyPrefix { prefix } => key.starts_with(prefix.as_str()),
            Filter::ValueContains { text } => value.contains(text.as_str()),
            Filter::NumberInRange { field, min, max } => {
                field_number(value, field).is_some_and(|n| (*min..=*max).contains(&n))
            }
        }
    }
}

impl core::fmt::Display for Filter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Filter::All => write!(f, "all records"),
            Filter::KeyPrefix { prefix } => write!(f, "keys starting with \"{prefix}\""),
            Filter::ValueContains { text } => write!(f, "values containing \"{text}\""),
            Filter::NumberInRange { field, min, max } => {
                write!(f, "{field} between {min} and {max}")
            }
        }
    }
}

/// The number stored under `field` in a `name=number;name=number` value.
pub(crate) fn field_number(value: &str, field: &str) -> Option<i64> {
    value.split(';').find_map(|pair| {
        let (name, number) = pair.split_once('=')?;
        if name.trim() == field {
            number.trim().parse().ok()
        } else {
            None
        }
    })
}

/// The simulated latency model, in microseconds. Each shard answers after its own base latency
/// (see [`super::Shard::base_latency_micros`]) plus `per_key_scan_micros` per key it scans plus
/// a uniform jitter in `[0, jitter_micros]`; the coordinator then pays `merge_per_shard_micros`
/// per shard answer and `merge_per_row_micros` per returned row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryCost {
    /// Per key a shard scans.
    pub per_key_scan_micros: u64,
    /// Largest random extra per shard answer.
    pub jitter_micros: u64,
    /// Per shard answer merged.
    pub merge_per_shard_micros: u64,
    /// Per row returned.
    pub merge_per_row_micros: u64,
}

impl Default for QueryCost {
    fn default() -> Self {
        QueryCost {
            per_key_scan_micros: 2,
            jitter_micros: 300,
            merge_per_shard_micros: 100,
            merge_per_row_micros: 1,
        }
    }
}

impl QueryCost {
    /// Checks each cost is within the simulation's bounds.
    pub fn validate(&self) -> Result<(), ShardingError> {
        for (field, v) in [
            ("query_cost.per_key_scan_micros", self.per_key_scan_micros),
            ("query_cost.jitter_micros", self.jitter_micros),
            (
                "query_cost.merge_per_shard_micros",
                self.merge_per_shard_micros,
            ),
            ("query_cost.merge_per_row_micros", self.merge_per_row_micros),
        ] {
            crate::sim::check_count(field, v, 0, MAX_DURATION_MICROS / 1_000)?;
        }
        Ok(())
    }
}

/// One returned record, with the shard it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryRow {
    /// The record's key.
    pub key: String,
    /// Its value.
    pub value: String,
    /// Its version.
    pub version: u64,
    /// The shard it came from.
    pub shard: ShardId,
}

/// One shard's part of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardAnswer {
    /// The shard answering.
    pub shard: ShardId,
    /// Records that matched on this shard.
    pub matched: u64,
    /// Keys the shard had to look at.
    pub scanned: u64,
    /// When this shard's answer arrives, after the query was sent.
    pub latency_micros: u64,
}

/// The gathered answer of a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryOutcome {
    /// Matching records, sorted by key, one per key (the highest version wins if a naive
    /// migration left two copies).
    pub rows: Vec<QueryRow>,
    /// Every shard that answered, in id order.
    pub answers: Vec<ShardAnswer>,
    /// Shards that were down and answered nothing, in id order: their records are missing.
    pub failed: Vec<ShardId>,
    /// Merge work done by the coordinator.
    pub merge_micros: u64,
    /// Total: the slowest answer plus the merge.
    pub latency_micros: u64,
}

impl QueryOutcome {
    /// Shards the query went to.
    pub fn shards_asked(&self) -> u64 {
        self.answers.len() as u64
    }
}

/// The coordinator's merged answer to a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gathered {
    /// Records returned, one per key.
    pub rows: u64,
    /// From sending to the merged answer: the slowest shard plus the merge.
    pub latency_micros: u64,
}

/// The latest query as far as it has got by the model's present: what was asked, which shards
/// were asked, each answer that has arrived and the merged total once the coordinator has it.
///
/// It follows the query's events as the model emits them, so stepping back to an earlier
/// snapshot also steps this back: an answer that arrives later is not here yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastQuery {
    /// The query's number (0, 1, 2… in the order queries are run).
    pub id: u64,
    /// When the query was sent.
    pub sent_at: SimTime,
    /// What was asked: the filter in words, or the key of a routed query.
    pub asked_for: String,
    /// Routed by key to the one shard that owns it, rather than scattered to every shard.
    pub routed: bool,
    /// The shards asked, in id order.
    pub shards: Vec<ShardId>,
    /// The answers that have arrived, in shard id order.
    pub answers: Vec<ShardAnswer>,
    /// The merged answer, once every shard has answered and the merge is done.
    pub gathered: Option<Gathered>,
    /// What an aggregate computes (`None` for a filter or a key).
    pub aggregate: Option<Aggregate>,
    /// Each shard's partial that has arrived (aggregates only), in shard id order.
    pub partials: Vec<AggregateAnswer>,
    /// The merged aggregate, once gathered.
    pub result: Option<Partial>,
    /// Shards that were down and refused the query, in id order: the answer lacks their part.
    pub failed: Vec<ShardId>,
}

impl LastQuery {
    /// Records `answer`, kept in shard order (a few shards, so a sorted list).
    fn answered(&mut self, answer: ShardAnswer) {
        let at = self.answers.partition_point(|a| a.shard < answer.shard);
        match self.answers.get_mut(at) {
            Some(slot) if slot.shard == answer.shard => *slot = answer,
            _ => self.answers.insert(at, answer),
        }
    }

    /// The answer of `shard`, if it has arrived.
    pub fn answer(&self, shard: ShardId) -> Option<&ShardAnswer> {
        self.answers.iter().find(|a| a.shard == shard)
    }

    /// The partial of `shard`, if it has arrived (aggregates only).
    pub fn partial(&self, shard: ShardId) -> Option<&Partial> {
        self.partials
            .iter()
            .find(|a| a.shard == shard)
            .map(|a| &a.partial)
    }

    /// Whether the answer lacks the part of a shard that was down.
    pub fn is_partial(&self) -> bool {
        !self.failed.is_empty()
    }

    /// The slowest answer so far (the highest shard id among equals): once every shard has
    /// answered, the one the whole query waited for.
    pub fn slowest(&self) -> Option<&ShardAnswer> {
        self.answers.iter().max_by_key(|a| a.latency_micros)
    }

    /// Follows one event of the model: a new query replaces the last one, and an answer or a
    /// merge of the last query is recorded.
    pub(crate) fn follow(last: &mut Option<LastQuery>, at: SimTime, kind: &ShardEventKind) {
        let newer = |query: u64| last.as_ref().is_none_or(|q| query > q.id);
        match kind {
            ShardEventKind::QueryScattered {
                query,
                filter,
                shards,
            } if newer(*query) => {
                *last = Some(LastQuery {
                    id: *query,
                    sent_at: at,
                    asked_for: filter.clone(),
                    routed: false,
                    shards: shards.clone(),
                    answers: Vec::new(),
                    gathered: None,
                    aggregate: None,
                    partials: Vec::new(),
                    result: None,
                    failed: Vec::new(),
                });
            }
            ShardEventKind::QueryRouted { query, key, shard } if newer(*query) => {
                *last = Some(LastQuery {
                    id: *query,
                    sent_at: at,
                    asked_for: key.clone(),
                    routed: true,
                    shards: vec![*shard],
                    answers: Vec::new(),
                    gathered: None,
                    aggregate: None,
                    partials: Vec::new(),
                    result: None,
                    failed: Vec::new(),
                });
            }
            ShardEventKind::AggregateScattered {
                query,
                aggregate,
                shards,
            } if newer(*query) => {
                *last = Some(LastQuery {
                    id: *query,
                    sent_at: at,
                    asked_for: aggregate.to_string(),
                    routed: false,
                    shards: shards.clone(),
                    answers: Vec::new(),
                    gathered: None,
                    aggregate: Some(*aggregate),
                    partials: Vec::new(),
                    result: None,
                    failed: Vec::new(),
                });
            }
            ShardEventKind::QueryShardAnswered {
                query,
                shard,
                count,
                scanned,
                latency_micros,
            } => {
                if let Some(q) = last.as_mut().filter(|q| q.id == *query) {
                    q.answered(ShardAnswer {
                        shard: *shard,
                        matched: *count,
                        scanned: *scanned,
                        latency_micros: *latency_micros,
                    });
                }
            }
            ShardEventKind::AggregateShardAnswered {
                query,
                shard,
                partial,
                latency_micros,
            } => {
                if let Some(q) = last.as_mut().filter(|q| q.id == *query) {
                    // Every record is looked at and counted.
                    q.answered(ShardAnswer {
                        shard: *shard,
                        matched: partial.count,
                        scanned: partial.count,
                        latency_micros: *latency_micros,
                    });
                    let at = q.partials.partition_point(|a| a.shard < *shard);
                    if q.partials.get(at).is_none_or(|a| a.shard != *shard) {
                        q.partials.insert(
                            at,
                            AggregateAnswer {
                                shard: *shard,
                                partial: partial.clone(),
                                latency_micros: *latency_micros,
                            },
                        );
                    }
                }
            }
            ShardEventKind::QueryShardFailed { query, shard } => {
                if let Some(q) = last.as_mut().filter(|q| q.id == *query) {
                    if !q.failed.contains(shard) {
                        q.failed.push(*shard);
                    }
                }
            }
            ShardEventKind::AggregateGathered {
                query,
                result,
                latency_micros,
                ..
            } => {
                if let Some(q) = last.as_mut().filter(|q| q.id == *query) {
                    q.gathered = Some(Gathered {
                        rows: result.count,
                        latency_micros: *latency_micros,
                    });
                    q.result = Some(result.clone());
                }
            }
            ShardEventKind::QueryGathered {
                query,
                total,
                latency_micros,
                ..
            } => {
                if let Some(q) = last.as_mut().filter(|q| q.id == *query) {
                    q.gathered = Some(Gathered {
                        rows: *total,
                        latency_micros: *latency_micros,
                    });
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_field_parsing() {
        assert_eq!(field_number("score=42;city=7", "score"), Some(42));
        assert_eq!(field_number("score=42;city=7", "city"), Some(7));
        assert_eq!(field_number("score=x", "score"), None);
        assert_eq!(field_number("plain text", "score"), None);
    }

    #[test]
    fn filters_match() {
        let f = Filter::NumberInRange {
            field: "score".into(),
            min: 10,
            max: 20,
        };
        assert!(f.matches("k", "score=10"));
        assert!(f.matches("k", "score=20"));
        assert!(!f.matches("k", "score=21"));
        assert!(Filter::KeyPrefix {
            prefix: "user:1".into()
        }
        .matches("user:12", ""));
        assert!(!Filter::ValueContains { text: "zz".into() }.matches("k", "abc"));
    }

    #[test]
    fn inverted_range_is_rejected() {
        let f = Filter::NumberInRange {
            field: "score".into(),
            min: 5,
            max: 1,
        };
        assert!(matches!(f.validate(), Err(ShardingError::BadFilter { .. })));
    }
}
