//! The one source of randomness: a named, portable generator.
//!
//! `rand`'s `StdRng`/`SmallRng` are documented as not portable across platforms and versions;
//! ChaCha8 is specified bit for bit, so the same seed draws the same numbers natively and in
//! wasm32. Draws take and return fixed-width integers (never `usize`, which is 32-bit on wasm).

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// A seeded, portable, serializable random number generator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimRng {
    inner: ChaCha8Rng,
}

impl SimRng {
    pub fn seed_from(seed: u64) -> Self {
        SimRng {
            inner: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// An independent stream derived from this seed, so that adding draws in one part of a
    /// model (say, the workload) does not shift the numbers another part (the balancer) sees.
    pub fn derive(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        SimRng { inner: rng }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    pub fn next_u32(&mut self) -> u32 {
        self.inner.next_u32()
    }

    /// Uniform in `[0, n)`, without modulo bias (Lemire's method). Returns 0 when `n == 0`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let x = self.next_u64();
            let m = (x as u128) * (n as u128);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// Uniform in `[lo, hi]` (inclusive). Returns `lo` when `hi <= lo`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        match (hi - lo).checked_add(1) {
            Some(span) => lo + self.below(span),
            None => self.next_u64(),
        }
    }

    /// Uniform in `[0, 1)` with 53 bits of precision.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `(0, 1]`, safe to take the logarithm of.
    pub fn unit_open0(&mut self) -> f64 {
        1.0 - self.unit()
    }

    /// True with probability `p` (clamped to [0, 1]).
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Exponentially distributed with the given mean, as used for Poisson inter-arrival
    /// gaps. The logarithm comes from `libm`, not the platform, so it is bit-identical
    /// natively and in wasm32.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -libm::log(self.unit_open0()) * mean
    }
}
