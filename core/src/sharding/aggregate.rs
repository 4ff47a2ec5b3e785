//! Cross-shard aggregates: COUNT, SUM and top-k of the records' `score`, answered by
//! scatter-gather.
//!
//! No single shard holds the answer, so every shard computes a **partial** over the records it
//! holds and the coordinator merges the partials. Each merge is exact:
//! - COUNT and SUM: the partials add up (every record is on exactly one shard at rest).
//! - top k by score: each shard sends only its own k best. A record in the global top k has at
//!   most k − 1 records above it anywhere, so at most k − 1 on its own shard: it is in its
//!   shard's local top k. The k best of the shards' lists are therefore the global top k, for
//!   k × shards records sent instead of every record.
//!
//! A record's number is its value's `score` field (every value the scene writes has one); a
//! value without a `score` counts as 0, so every record has a number and the merges above
//! stay exact.

use super::query::field_number;
use super::ShardId;
use serde::{Deserialize, Serialize};

/// Largest `k` a top-k aggregate accepts.
pub const MAX_TOP_K: u32 = 20;

/// Which aggregate a query computes over every record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Aggregate {
    /// How many records there are.
    Count,
    /// The sum of every record's score.
    Sum,
    /// The `k` records with the highest score (ties: the smaller key first).
    TopK {
        /// How many records (1 to [`MAX_TOP_K`]).
        k: u32,
    },
}

impl Aggregate {
    /// How many ranked records a shard sends back: `k` for top-k, none otherwise.
    pub fn keep(&self) -> usize {
        match self {
            Aggregate::TopK { k } => (*k).min(MAX_TOP_K) as usize,
            _ => 0,
        }
    }
}

impl core::fmt::Display for Aggregate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Aggregate::Count => f.write_str("COUNT of all records"),
            Aggregate::Sum => f.write_str("SUM of every score"),
            Aggregate::TopK { k } => write!(f, "top {k} records by score"),
        }
    }
}

/// One record in a top-k list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Ranked {
    /// Its score.
    pub score: i64,
    /// Its key.
    pub key: String,
}

impl Ranked {
    /// Ranks before `other`: a higher score, or the same score and a smaller key.
    fn beats(&self, other: &Ranked) -> bool {
        self.score > other.score || (self.score == other.score && self.key < other.key)
    }
}

/// The score a record is ranked and summed by: its value's `score` field, 0 without one.
pub fn record_score(value: &str) -> i64 {
    field_number(value, "score").unwrap_or(0)
}

/// An aggregate over some records: one shard's partial answer, or the coordinator's merge of
/// several.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Partial {
    /// Records counted.
    pub count: u64,
    /// Their scores added up.
    pub sum: i64,
    /// The best `k` of them, best first (empty unless the aggregate is top-k).
    pub top: Vec<Ranked>,
}

impl Partial {
    /// The partial over `records` (key, value), keeping the best `keep`.
    pub fn over<'a>(records: impl Iterator<Item = (&'a str, &'a str)>, keep: usize) -> Partial {
        let mut p = Partial::default();
        for (key, value) in records {
            let score = record_score(value);
            p.count += 1;
            p.sum = p.sum.saturating_add(score);
            p.offer(score, key, keep);
        }
        p
    }

    /// Adds another partial: counts and sums add up, the top lists merge to the best `keep`.
    pub fn merge(&mut self, other: &Partial, keep: usize) {
        self.count += other.count;
        self.sum = self.sum.saturating_add(other.sum);
        for r in &other.top {
            self.offer(r.score, &r.key, keep);
        }
    }

    /// Inserts `key` in the top list if it ranks among the best `keep` (k is at most
    /// [`MAX_TOP_K`], so a sorted insert beats a heap).
    fn offer(&mut self, score: i64, key: &str, keep: usize) {
        let full = self.top.len() >= keep;
        let candidate = Ranked {
            score,
            key: key.to_string(),
        };
        if keep == 0 || (full && self.top.last().is_some_and(|w| !candidate.beats(w))) {
            return;
        }
        let at = self.top.partition_point(|r| r.beats(&candidate));
        self.top.insert(at, candidate);
        self.top.truncate(keep);
    }

    /// The figure this partial gives for `aggregate`, in words: `250`, `Σ 124503`, or the top
    /// scores best first (`top 999, 998`).
    pub fn figure(&self, aggregate: &Aggregate) -> String {
        match aggregate {
            Aggregate::Count => self.count.to_string(),
            Aggregate::Sum => format!("Σ {}", self.sum),
            Aggregate::TopK { .. } => self.list("top ", false),
        }
    }

    /// The top list with its keys, best first: `user:12 999, user:7 998`.
    pub fn ranking(&self) -> String {
        self.list("", true)
    }

    /// `start`, then the top list's scores (with their keys first when `keys`), comma-separated.
    fn list(&self, start: &str, keys: bool) -> String {
        let mut out = start.to_string();
        for (i, r) in self.top.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if keys {
                out.push_str(&r.key);
                out.push(' ');
            }
            out.push_str(&r.score.to_string());
        }
        out
    }
}

/// One shard's answer to an aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateAnswer {
    /// The shard answering.
    pub shard: ShardId,
    /// Its partial over the records it holds.
    pub partial: Partial,
    /// When its answer arrives, after the query was sent.
    pub latency_micros: u64,
}

/// The gathered answer of an aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateOutcome {
    /// What was computed.
    pub aggregate: Aggregate,
    /// Every shard's answer, in id order.
    pub answers: Vec<AggregateAnswer>,
    /// The partials merged: over the shards that answered only.
    pub result: Partial,
    /// Shards that were down and answered nothing, in id order: their share is unknown.
    pub missing: Vec<ShardId>,
    /// Merge work done by the coordinator.
    pub merge_micros: u64,
    /// Total: the slowest answer plus the merge (the scatter-gather's tail latency).
    pub latency_micros: u64,
}

impl AggregateOutcome {
    /// Whether a shard's share is missing from the result.
    pub fn is_partial(&self) -> bool {
        !self.missing.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(list: &[(&'static str, i64)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, s)| (k.to_string(), format!("score={s}")))
            .collect()
    }

    fn partial(list: &[(String, String)], keep: usize) -> Partial {
        Partial::over(list.iter().map(|(k, v)| (k.as_str(), v.as_str())), keep)
    }

    #[test]
    fn a_partial_counts_sums_and_ranks() {
        let r = records(&[("a", 5), ("b", 9), ("c", 9), ("d", 1)]);
        let p = partial(&r, 2);
        assert_eq!(p.count, 4);
        assert_eq!(p.sum, 24);
        let top: Vec<_> = p.top.iter().map(|r| (r.key.as_str(), r.score)).collect();
        // Equal scores: the smaller key first.
        assert_eq!(top, vec![("b", 9), ("c", 9)]);
        assert_eq!(p.ranking(), "b 9, c 9");
        assert_eq!(p.figure(&Aggregate::TopK { k: 2 }), "top 9, 9");
        assert_eq!(p.figure(&Aggregate::Sum), "Σ 24");
        assert_eq!(p.figure(&Aggregate::Count), "4");
    }

    #[test]
    fn merging_local_top_lists_gives_the_global_top() {
        // Shard 1 holds the three best; shard 2 only weaker ones.
        let one = partial(&records(&[("a", 90), ("b", 80), ("c", 70), ("d", 1)]), 3);
        let two = partial(&records(&[("e", 60), ("f", 50)]), 3);
        let mut merged = Partial::default();
        merged.merge(&one, 3);
        merged.merge(&two, 3);
        let keys: Vec<_> = merged.top.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, vec!["a", "b", "c"]);
        assert_eq!(merged.count, 6);
        assert_eq!(merged.sum, 351);
    }

    #[test]
    fn values_without_a_score_count_as_zero() {
        assert_eq!(record_score("plain text"), 0);
        assert_eq!(record_score("score=-4"), -4);
        let p = Partial::over([("k", "no score")].into_iter(), 1);
        assert_eq!((p.count, p.sum, p.top.len()), (1, 0, 1));
    }
}
