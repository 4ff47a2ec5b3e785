//! Zipf-distributed choice over `n` ranked items (rank 0 most popular).
//!
//! A cumulative table and a binary search: exact, O(log n) per draw, and the table is built
//! once per config. A guide table (the draw's bucket → the first rank it can be) narrows each
//! search to the few ranks of one bucket, so a draw reads one or two cache lines instead of
//! walking the whole table; the rank drawn is the same. Under the `compact` feature (the pages
//! near their size budget) there is no guide and every draw searches the whole table: the
//! guide is 5–6 % of the system scene's fast-forward in wasm and 0.3–0.4 KB of a page.
//! Used for skewed clients and for cache key popularity.

use super::{check_count, check_range, SimError, SimRng};
use serde::{Deserialize, Serialize};

/// A Zipf law over `n` ranks: rank `i` (from 0) is drawn with probability proportional to
/// `1 / (i + 1)^s`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Zipf {
    exponent: f64,
    /// `cdf[i]` = P(rank ≤ i), with the last entry exactly 1.0.
    cdf: Vec<f64>,
    /// `guide[j]` = the first rank whose `cdf` passes `j / GUIDE_BUCKETS`: a draw `u` in bucket
    /// `j` lands in ranks `guide[j] ..= guide[j + 1]`. Derived from `cdf`, so not serialized:
    /// a table read back searches the whole `cdf` (same ranks, slower).
    #[serde(skip)]
    guide: Vec<u32>,
}

/// Buckets of the guide table, at most: enough that a bucket holds a few ranks of a 100 000-key
/// tail, small enough that a model snapshot copies little more.
const GUIDE_BUCKETS: usize = 4_096;

/// Equal when the laws are (the guide table is derived).
impl PartialEq for Zipf {
    fn eq(&self, other: &Self) -> bool {
        self.exponent == other.exponent && self.cdf == other.cdf
    }
}

/// The guide table of `cdf` (empty under `compact`, or if the ranks do not fit 32 bits:
/// searches then use the whole table).
fn guide(cdf: &[f64]) -> Vec<u32> {
    if cfg!(feature = "compact") || u32::try_from(cdf.len()).is_err() {
        return Vec::new();
    }
    let buckets = cdf.len().clamp(1, GUIDE_BUCKETS);
    let mut guide = Vec::with_capacity(buckets + 1);
    // One pass: bucket edges rise, so each starts where the last stopped.
    let mut rank = 0;
    for j in 0..=buckets {
        let u = j as f64 / buckets as f64;
        rank += first_above(cdf.get(rank..).unwrap_or_default(), u);
        guide.push(rank as u32);
    }
    guide
}

/// The first rank of `cdf` above `u` (`cdf.len()` if none): the one search every draw makes.
fn first_above(cdf: &[f64], u: f64) -> usize {
    cdf.partition_point(|&c| c <= u)
}

impl Zipf {
    /// `n` items (1..=`max_n`) with exponent `s` > 0 (s = 1 is the classic 80/20-like skew).
    pub fn new(n: u64, s: f64, max_n: u64) -> Result<Self, SimError> {
        let n = check_count("number of items", n, 1, max_n)?;
        let s = check_range("Zipf exponent", s, f64::MIN_POSITIVE, 10.0)?;
        let mut cdf = Vec::with_capacity(n as usize);
        let mut total = 0.0;
        for rank in 1..=n {
            total += 1.0 / libm::pow(rank as f64, s);
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        if let Some(last) = cdf.last_mut() {
            *last = 1.0;
        }
        Ok(Zipf {
            exponent: s,
            guide: guide(&cdf),
            cdf,
        })
    }

    /// The exponent `s`: the larger, the more the first ranks dominate.
    pub fn exponent(&self) -> f64 {
        self.exponent
    }

    /// The number of ranks `n`.
    pub fn len(&self) -> u64 {
        self.cdf.len() as u64
    }

    /// True when there are no ranks, which [`Zipf::new`] never builds.
    pub fn is_empty(&self) -> bool {
        self.cdf.is_empty()
    }

    /// Draws a rank in `[0, n)`.
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        let u = rng.unit();
        // A constant under `compact`, so that build leaves the guided search out.
        let guided = if cfg!(feature = "compact") {
            None
        } else {
            self.guided(u)
        };
        let idx = guided.unwrap_or_else(|| first_above(&self.cdf, u));
        (idx.min(self.cdf.len().saturating_sub(1))) as u64
    }

    /// `cdf.partition_point(|c| c <= u)` searched within `u`'s guide bucket; `None` when the
    /// bucket's bounds do not hold the answer (rounding at a bucket's edge), so the caller
    /// searches the whole table and the rank never depends on the guide.
    fn guided(&self, u: f64) -> Option<usize> {
        let buckets = self.guide.len().checked_sub(1)?;
        let j = ((u * buckets as f64) as usize).min(buckets.checked_sub(1)?);
        let lo = *self.guide.get(j)? as usize;
        let hi = *self.guide.get(j + 1)? as usize;
        let window = self.cdf.get(lo..hi)?;
        let idx = lo + first_above(window, u);
        // Sorted table: `idx` is the global answer when the rank before the window is at most
        // `u` and the one after it is above `u`.
        let below_ok = lo == 0 || self.cdf.get(lo - 1).is_some_and(|&c| c <= u);
        let above_ok = self.cdf.get(hi).is_none_or(|&c| c > u);
        (below_ok && above_ok).then_some(idx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guided search draws exactly the rank the whole-table search does.
    #[test]
    fn guided_draws_match_the_whole_table() {
        for (n, s) in [(1, 1.0), (7, 0.5), (10_000, 1.0), (100_000, 1.2), (50, 3.0)] {
            let z = Zipf::new(n, s, 100_000).unwrap();
            let mut rng = SimRng::derive(7, 1);
            for _ in 0..20_000 {
                let u = rng.unit();
                let whole = z.cdf.partition_point(|&c| c <= u);
                assert_eq!(z.guided(u).unwrap_or(whole), whole);
            }
            for j in 0..=4_096u32 {
                let u = f64::from(j) / 4_096.0;
                let u = u.min(1.0 - f64::EPSILON);
                let whole = z.cdf.partition_point(|&c| c <= u);
                assert_eq!(z.guided(u).unwrap_or(whole), whole);
            }
        }
    }

    /// A table read back (without its guide) equals the original and draws the same ranks.
    #[test]
    fn a_table_read_back_draws_the_same_ranks() {
        let z = Zipf::new(1_000, 1.0, 1_000).unwrap();
        let back: Zipf = serde_json::from_str(&serde_json::to_string(&z).unwrap()).unwrap();
        assert_eq!(back, z);
        let (mut a, mut b) = (SimRng::derive(3, 1), SimRng::derive(3, 1));
        for _ in 0..5_000 {
            assert_eq!(z.sample(&mut a), back.sample(&mut b));
        }
    }
}
