//! The one source of randomness: a named, portable generator.
//!
//! `rand`'s `StdRng`/`SmallRng` are documented as not portable across platforms and versions.
//! Draws come from xoshiro256++ (Blackman & Vigna; `rand_xoshiro`), specified bit for bit, so
//! the same seed draws the same numbers natively and in wasm32. It is used rather than ChaCha8
//! for speed: a draw is a handful of 64-bit adds, shifts and rotates, where ChaCha8 costs about 55
//! instructions a draw natively and more in wasm32 (no SIMD there), and the balancer draws
//! three times per request. Its statistical quality is ample for a simulation; nothing here
//! needs unpredictability.
//!
//! Each stream's 256-bit starting state is filled by SplitMix64 (`rand_xoshiro`'s
//! `seed_from_u64`, as xoshiro's authors recommend for seeding it), started from the seed
//! mixed with one SplitMix64 output of the stream number. Streams therefore start at unrelated
//! points of xoshiro's 2^256 − 1 period; deriving one costs five SplitMix64 steps. (Deriving
//! the states with ChaCha8 would add 4 KB of code to every page for nothing a simulation
//! needs.)
//! Draws take and return fixed-width integers (never `usize`, which is 32-bit on wasm).

use rand_core::{Rng, SeedableRng};
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};
use serde::{Deserialize, Serialize};

/// A seeded, portable, serializable random number generator: xoshiro256++, each stream seeded
/// by SplitMix64 as its authors recommend, so the same seed gives the same draws natively and
/// in wasm32.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimRng {
    inner: Xoshiro256PlusPlus,
}

impl SimRng {
    /// Stream 0 of `seed` (see [`SimRng::derive`]).
    pub fn seed_from(seed: u64) -> Self {
        Self::derive(seed, 0)
    }

    /// An independent stream derived from this seed, so that adding draws in one part of a
    /// model (say, the workload) does not shift the numbers another part (the balancer) sees.
    pub fn derive(seed: u64, stream: u64) -> Self {
        let stream_mix = SplitMix64::seed_from_u64(stream).next_u64();
        SimRng {
            inner: Xoshiro256PlusPlus::seed_from_u64(seed ^ stream_mix),
        }
    }

    /// The next 64 bits of the stream (one xoshiro256++ output).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// The next 32 bits: the high half of one xoshiro256++ output (its low bits are the
    /// weakest).
    pub fn next_u32(&mut self) -> u32 {
        self.inner.next_u32()
    }

    /// Uniform in `[0, n)`, without modulo bias (Lemire's method). Returns 0 when `n == 0`.
    ///
    /// The rejection threshold `2^64 mod n` is below `n`, so it is only computed (a 64-bit
    /// division) when the low half of the product is below `n` too: rarely, for small `n`.
    /// Which draws are rejected, and so every result, is the same as always computing it.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
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
    /// gaps and service costs.
    ///
    /// Sampled with the ziggurat method (Marsaglia & Tsang 2000, 256 layers): about 99 % of
    /// draws cost one `u64`, a multiply and a compare, where inverting the CDF costs a
    /// logarithm every time (the balancer draws two exponentials per request). The rare
    /// edge and tail cases use `libm`, and the tables are built with `libm` too, so samples
    /// are bit-identical natively and in wasm32.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        self.standard_exponential() * mean
    }

    /// Exponential with mean 1 (ziggurat; see [`SimRng::exponential`]).
    pub fn standard_exponential(&mut self) -> f64 {
        let z = zig_exp();
        loop {
            let bits = self.next_u64();
            // The low 8 bits pick the layer, the top 53 bits the position in it: disjoint.
            let i = (bits & 0xff) as usize;
            let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            let (Some(&xi), Some(&xn), Some(&fi), Some(&fn_)) =
                (z.x.get(i), z.x.get(i + 1), z.f.get(i), z.f.get(i + 1))
            else {
                continue;
            };
            let x = u * xi;
            if x < xn {
                return x;
            }
            if i == 0 {
                // The tail beyond R is R plus another exponential (memorylessness).
                return ZIG_EXP_R - libm::log(self.unit_open0());
            }
            if fn_ + (fi - fn_) * self.unit() < libm::exp(-x) {
                return x;
            }
        }
    }
}

/// Layers of the exponential ziggurat.
const ZIG_LAYERS: usize = 256;
/// Where the tail starts, for 256 layers (Marsaglia & Tsang 2000).
const ZIG_EXP_R: f64 = 7.697_117_470_131_05;

/// Layer edges `x` (decreasing, `x[0]` the base strip's equivalent width, `x[256] = 0`) and
/// the density at each, `f[i] = e^(-x[i])`.
struct ZigTables {
    x: [f64; ZIG_LAYERS + 1],
    f: [f64; ZIG_LAYERS + 1],
}

/// The exponential ziggurat's tables, built once with `libm` (so the same bits everywhere).
fn zig_exp() -> &'static ZigTables {
    static TABLES: std::sync::OnceLock<ZigTables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let r = ZIG_EXP_R;
        // Every layer, and the base strip with the tail, has area v.
        let v = (r + 1.0) * libm::exp(-r);
        let mut x = [0.0; ZIG_LAYERS + 1];
        x[0] = v / libm::exp(-r);
        x[1] = r;
        // x[i + 1] from x[i], for x[2] … x[255].
        let mut prev = r;
        for xi in x.iter_mut().skip(2).take(ZIG_LAYERS - 2) {
            *xi = -libm::log(v / prev + libm::exp(-prev));
            prev = *xi;
        }
        x[ZIG_LAYERS] = 0.0;
        let mut f = [0.0; ZIG_LAYERS + 1];
        for (fi, xi) in f.iter_mut().zip(x.iter()) {
            *fi = libm::exp(-xi);
        }
        ZigTables { x, f }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ziggurat_tables_close_at_zero() {
        let z = zig_exp();
        assert!((z.x[0] - 8.697_117_470_131_05).abs() < 1e-12);
        for w in z.x.windows(2) {
            assert!(w[0] > w[1], "edges decrease: {w:?}");
        }
        // R is chosen so the recursion closes: the top layer, from x[255] to 0, has area v
        // too (to the precision R is given with).
        let v = (ZIG_EXP_R + 1.0) * (-ZIG_EXP_R).exp();
        let top = z.x[255] * (1.0 - z.f[255]);
        assert!(
            (top - v).abs() < 1e-9 * v.max(1.0) + 1e-6 * v,
            "top {top} vs v {v}"
        );
        assert_eq!(z.f[256], 1.0);
    }

    #[test]
    fn exponential_has_the_right_moments_and_tail() {
        let mut rng = SimRng::seed_from(7);
        let n = 400_000;
        let (mut sum, mut sum2, mut over3, mut over8) = (0.0, 0.0, 0u32, 0u32);
        for _ in 0..n {
            let x = rng.exponential(2.0);
            assert!(x >= 0.0 && x.is_finite());
            sum += x;
            sum2 += x * x;
            over3 += u32::from(x > 6.0);
            over8 += u32::from(x > 16.0);
        }
        let mean = sum / f64::from(n);
        let var = sum2 / f64::from(n) - mean * mean;
        assert!((mean - 2.0).abs() < 0.02, "mean {mean}");
        assert!((var - 4.0).abs() < 0.1, "variance {var}");
        // P(X > 3 means) = e^-3 ≈ 0.0498; P(X > 8 means) = e^-8 ≈ 0.000335 (the tail path).
        let p3 = f64::from(over3) / f64::from(n);
        let p8 = f64::from(over8) / f64::from(n);
        assert!((p3 - (-3.0f64).exp()).abs() < 0.002, "P(>3 means) {p3}");
        assert!((p8 - (-8.0f64).exp()).abs() < 0.0001, "P(>8 means) {p8}");
    }

    #[test]
    fn exponential_deciles_match_the_cdf() {
        let mut rng = SimRng::seed_from(11);
        let n = 200_000u32;
        let mut counts = [0u32; 10];
        for _ in 0..n {
            // The CDF maps an exponential to a uniform; its deciles should be even.
            let u = 1.0 - (-rng.standard_exponential()).exp();
            counts[((u * 10.0) as usize).min(9)] += 1;
        }
        for c in counts {
            let share = f64::from(c) / f64::from(n);
            assert!((share - 0.1).abs() < 0.004, "{counts:?}");
        }
    }

    #[test]
    fn below_is_uniform_and_in_range() {
        let mut rng = SimRng::seed_from(3);
        let mut counts = [0u32; 7];
        for _ in 0..70_000 {
            counts[rng.below(7) as usize] += 1;
        }
        for c in counts {
            assert!((9_400..10_600).contains(&c), "{counts:?}");
        }
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
    }
}
