//! How much work a request needs: its service time, in microseconds, on a server of speed 1.

use super::{check_positive, check_range, limits, SimError, SimRng};
use serde::{Deserialize, Serialize};

/// How a request's cost is drawn. Every cost is in microseconds on a server of speed 1, above
/// 0 and at most [`MAX_COST_MICROS`](limits::MAX_COST_MICROS) (one hour).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CostDistribution {
    /// Every request costs the same.
    Fixed {
        /// The cost of every request, microseconds.
        micros: f64,
    },
    /// Uniform between `min` and `max`.
    Uniform {
        /// The lowest cost, microseconds.
        min: f64,
        /// The highest cost, microseconds (at least `min`).
        max: f64,
    },
    /// Exponential with the given mean: the M/M/c textbook case.
    Exponential {
        /// The mean cost, microseconds.
        mean: f64,
    },
    /// Mostly `fast`, a fraction `slow_fraction` costing `slow`: the heavy tail that makes
    /// least-connections beat round robin.
    Bimodal {
        /// The cost of a fast request, microseconds.
        fast: f64,
        /// The cost of a slow request, microseconds.
        slow: f64,
        /// The share of slow requests, in [0, 1].
        slow_fraction: f64,
    },
    /// Log-normal with the given median and shape σ: long real-world tails.
    LogNormal {
        /// The median cost, microseconds.
        median: f64,
        /// The standard deviation of the cost's natural logarithm, in [0, 4] (0 is a fixed
        /// cost; 1 puts the 99th percentile about 10× the median).
        sigma: f64,
    },
}

impl Default for CostDistribution {
    fn default() -> Self {
        CostDistribution::Exponential { mean: 10_000.0 }
    }
}

fn check_cost(field: &'static str, v: f64) -> Result<f64, SimError> {
    check_positive(field, v, limits::MAX_COST_MICROS)
}

/// Share of requests that hold their connection long in [`CostDistribution::long_lived`].
pub const LONG_LIVED_FRACTION: f64 = 0.05;
/// How many times as long a long-lived request holds its slot as a short one.
pub const LONG_LIVED_FACTOR: f64 = 100.0;

impl CostDistribution {
    /// Long-lived connections (websocket or streaming style): 1 request in 20 holds its
    /// connection 100× as long as the others, with the overall mean `mean`. For a 10 ms mean a
    /// short request costs about 1.7 ms and a long one about 168 ms. A two-cost shape, so the
    /// share of long requests is exactly [`LONG_LIVED_FRACTION`] in expectation.
    pub fn long_lived(mean: f64) -> Self {
        let fast = mean / (1.0 - LONG_LIVED_FRACTION + LONG_LIVED_FRACTION * LONG_LIVED_FACTOR);
        CostDistribution::Bimodal {
            fast,
            slow: fast * LONG_LIVED_FACTOR,
            slow_fraction: LONG_LIVED_FRACTION,
        }
    }

    /// Checks every cost (finite, above 0, at most one hour), that a uniform range is not
    /// inverted, that `slow_fraction` is in [0, 1] and `sigma` in [0, 4].
    pub fn validate(&self) -> Result<(), SimError> {
        match *self {
            CostDistribution::Fixed { micros } => {
                check_cost("request cost", micros)?;
            }
            CostDistribution::Uniform { min, max } => {
                check_cost("minimum cost", min)?;
                check_cost("maximum cost", max)?;
                if min > max {
                    return Err(SimError::InvertedRange {
                        field: "request cost",
                        lo: min,
                        hi: max,
                    });
                }
            }
            CostDistribution::Exponential { mean } => {
                check_cost("mean cost", mean)?;
            }
            CostDistribution::Bimodal {
                fast,
                slow,
                slow_fraction,
            } => {
                check_cost("fast cost", fast)?;
                check_cost("slow cost", slow)?;
                check_range("slow fraction", slow_fraction, 0.0, 1.0)?;
            }
            CostDistribution::LogNormal { median, sigma } => {
                check_cost("median cost", median)?;
                check_range("sigma", sigma, 0.0, 4.0)?;
            }
        }
        Ok(())
    }

    /// The mean cost in microseconds, for capacity planning and charts (of the distribution
    /// itself: a draw is then rounded and clamped to 1 µs … one hour).
    pub fn mean(&self) -> f64 {
        match *self {
            CostDistribution::Fixed { micros } => micros,
            CostDistribution::Uniform { min, max } => (min + max) / 2.0,
            CostDistribution::Exponential { mean } => mean,
            CostDistribution::Bimodal {
                fast,
                slow,
                slow_fraction,
            } => fast * (1.0 - slow_fraction) + slow * slow_fraction,
            CostDistribution::LogNormal { median, sigma } => {
                median * libm::exp(sigma * sigma / 2.0)
            }
        }
    }

    /// Draws one cost, in whole microseconds (at least 1, at most the cost limit).
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        let v = match *self {
            CostDistribution::Fixed { micros } => micros,
            CostDistribution::Uniform { min, max } => min + (max - min) * rng.unit(),
            CostDistribution::Exponential { mean } => rng.exponential(mean),
            CostDistribution::Bimodal {
                fast,
                slow,
                slow_fraction,
            } => {
                if rng.chance(slow_fraction) {
                    slow
                } else {
                    fast
                }
            }
            CostDistribution::LogNormal { median, sigma } => {
                // Box–Muller with libm, so the draw is identical natively and in wasm32.
                let u1 = rng.unit_open0();
                let u2 = rng.unit();
                let z = libm::sqrt(-2.0 * libm::log(u1))
                    * super::turn::cos(2.0 * core::f64::consts::PI * u2);
                median * libm::exp(sigma * z)
            }
        };
        round_at_least_one(v.clamp(1.0, limits::MAX_COST_MICROS))
    }
}

/// `v.round() as u64` for `1 ≤ v < 2^52` (the clamped cost range), as `⌊v + 0.5⌋`.
///
/// `f64::round` is a call in wasm32 (it has only round-half-even), once per request here. For
/// `v` in that range the sum `v + 0.5` is exact, or rounds to a value with the same floor,
/// so both give the same integer: the proptest below checks it against `round`.
#[inline]
fn round_at_least_one(v: f64) -> u64 {
    debug_assert!((1.0..4_503_599_627_370_496.0).contains(&v));
    (v + 0.5).floor() as u64
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn rounding_matches_round(v in 1.0f64..limits::MAX_COST_MICROS) {
            prop_assert_eq!(round_at_least_one(v), v.round() as u64);
        }

        /// Halves and their neighbours, where `v + 0.5` could round.
        #[test]
        fn rounding_matches_round_at_halves(n in 1u64..4_000_000_000, ulps in -4i64..=4) {
            let half = n as f64 + 0.5;
            let v = f64::from_bits((half.to_bits() as i64 + ulps) as u64);
            prop_assert_eq!(round_at_least_one(v), v.round() as u64, "{}", v);
        }
    }
}
