//! TinyLFU's popularity estimate: a count-min sketch of 4-bit counters (Caffeine's
//! `FrequencySketch`).
//!
//! Four rows, each `width` counters (the next power of two ≥ capacity); an item's estimate is
//! the smallest of its four counters, so collisions only ever over-estimate. Counters saturate
//! at 15, and after `10 × capacity` additions every counter is halved ("reset"), so yesterday's
//! hot keys age out and new ones can win.

use serde::{Deserialize, Serialize};

const DEPTH: usize = 4;
/// A 4-bit counter's ceiling.
pub const MAX_COUNT: u8 = 15;
/// Independent per-row seeds (digits of π), so the four rows hash differently.
const SEEDS: [u64; DEPTH] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

/// A count-min sketch of 4-bit counters that estimates how often each key was accessed lately (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrequencySketch {
    /// `DEPTH` rows of `width` counters, one per byte (values 0..=15).
    counters: Vec<u8>,
    width: u32,
    additions: u64,
    sample_size: u64,
    resets: u64,
}

/// splitmix64's finalizer: a full-avalanche mix so each row's index is independent.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl FrequencySketch {
    /// A sketch sized for a cache of `capacity` entries, all counters at 0.
    pub fn new(capacity: u32) -> Self {
        let width = capacity.max(16).next_power_of_two();
        FrequencySketch {
            counters: vec![0; DEPTH * width as usize],
            width,
            additions: 0,
            sample_size: 10 * u64::from(capacity.max(1)),
            resets: 0,
        }
    }

    fn slot(&self, key: u64, row: usize) -> usize {
        let seed = SEEDS.get(row).copied().unwrap_or(0);
        let col = (mix(key ^ seed) & u64::from(self.width - 1)) as usize;
        row * self.width as usize + col
    }

    /// The estimated number of recent accesses of `key` (0..=15).
    pub fn frequency(&self, key: u64) -> u8 {
        (0..DEPTH)
            .map(|row| self.counters.get(self.slot(key, row)).copied().unwrap_or(0))
            .min()
            .unwrap_or(0)
    }

    /// Records one access of `key`.
    pub fn increment(&mut self, key: u64) {
        let mut added = false;
        for row in 0..DEPTH {
            let i = self.slot(key, row);
            if let Some(c) = self.counters.get_mut(i) {
                if *c < MAX_COUNT {
                    *c += 1;
                    added = true;
                }
            }
        }
        if added {
            self.additions += 1;
            if self.additions >= self.sample_size {
                self.reset();
            }
        }
    }

    /// Halves every counter (the aging step).
    fn reset(&mut self) {
        for c in &mut self.counters {
            *c >>= 1;
        }
        self.additions /= 2;
        self.resets += 1;
    }

    /// Additions after which every counter is halved: 10 × the capacity.
    pub fn sample_size(&self) -> u64 {
        self.sample_size
    }

    /// How many times the counters have been halved.
    pub fn resets(&self) -> u64 {
        self.resets
    }

    /// Sets every counter to 0.
    pub fn clear(&mut self) {
        self.counters.fill(0);
        self.additions = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_saturate_at_15_and_halve_after_the_sample_size() {
        let mut s = FrequencySketch::new(10); // sample size 100
        for _ in 0..20 {
            s.increment(7);
        }
        assert_eq!(s.frequency(7), 15);
        assert_eq!(s.frequency(8), 0);
        // 15 counted additions so far (saturated ones do not count); 85 more trigger a reset.
        for k in 1000..1085 {
            s.increment(k);
        }
        assert_eq!(s.resets(), 1);
        assert_eq!(s.frequency(7), 7);
    }
}
