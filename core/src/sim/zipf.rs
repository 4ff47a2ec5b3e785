//! Zipf-distributed choice over `n` ranked items (rank 0 most popular).
//!
//! A cumulative table and a binary search: exact, O(log n) per draw, and the table is built
//! once per config. Used for skewed clients and for cache key popularity.

use super::{check_count, check_range, SimError, SimRng};
use serde::{Deserialize, Serialize};

/// A Zipf law over `n` ranks: rank `i` (from 0) is drawn with probability proportional to
/// `1 / (i + 1)^s`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zipf {
    exponent: f64,
    /// `cdf[i]` = P(rank ≤ i), with the last entry exactly 1.0.
    cdf: Vec<f64>,
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
        Ok(Zipf { exponent: s, cdf })
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
        let idx = self.cdf.partition_point(|&c| c <= u);
        (idx.min(self.cdf.len().saturating_sub(1))) as u64
    }
}
