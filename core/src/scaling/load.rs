//! Offered load per tick: how many requests arrive in each tick.
//!
//! A `Constant` process delivers exactly its rate (the fraction carried to the next tick);
//! every other kernel process is a Poisson process with rate `rate_at(t)`, so each tick draws
//! a Poisson count with mean ∫rate over the tick — the noise that makes autoscalers twitch.

use crate::sim::{ArrivalProcess, SimDuration, SimError, SimRng, SimTime};
use serde::{Deserialize, Serialize};

/// The RNG stream arrivals draw from; nothing else in a scaling model draws, so lanes of a
/// comparison with the same seed see identical arrivals.
const STREAM_ARRIVALS: u64 = 1;

/// Below this mean, counts are drawn exactly (Knuth); above, from the normal approximation,
/// whose error is far below the per-tick noise it models.
const EXACT_POISSON_BELOW: f64 = 30.0;

/// Sub-points per tick at which the rate is sampled to integrate it.
const RATE_SAMPLES: u64 = 8;

/// A Poisson-distributed count with the given mean, drawn with `libm` so it is bit-identical
/// natively and in wasm32.
pub fn poisson(rng: &mut SimRng, mean: f64) -> u64 {
    if !mean.is_finite() || mean <= 0.0 {
        return 0;
    }
    if mean < EXACT_POISSON_BELOW {
        let limit = libm::exp(-mean);
        let mut k = 0u64;
        let mut p = rng.unit_open0();
        while p > limit && k < 1_000 {
            k += 1;
            p *= rng.unit_open0();
        }
        return k;
    }
    // Box–Muller.
    let u1 = rng.unit_open0();
    let u2 = rng.unit();
    let z =
        libm::sqrt(-2.0 * libm::log(u1)) * crate::sim::turn::cos(2.0 * core::f64::consts::PI * u2);
    let x = libm::round(mean + libm::sqrt(mean) * z);
    if x <= 0.0 {
        0
    } else {
        x as u64
    }
}

/// Arrival counts for successive ticks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadSource {
    process: ArrivalProcess,
    rng: SimRng,
    /// Fraction of a request carried between ticks (constant process only).
    carry: f64,
}

impl LoadSource {
    /// Arrivals of `process`, drawn from `seed`'s arrival stream.
    pub fn new(process: ArrivalProcess, seed: u64) -> Result<Self, SimError> {
        process.validate()?;
        Ok(LoadSource {
            process,
            rng: SimRng::derive(seed, STREAM_ARRIVALS),
            carry: 0.0,
        })
    }

    /// The arrival process drawn from.
    pub fn process(&self) -> &ArrivalProcess {
        &self.process
    }

    /// Replaces the process from the next tick on.
    pub fn set_process(&mut self, process: ArrivalProcess) -> Result<(), SimError> {
        process.validate()?;
        self.process = process;
        self.carry = 0.0;
        Ok(())
    }

    /// Expected arrivals in `[start, start + len)`: the rate averaged over evenly spaced
    /// sub-points (so a spike shorter than a long tick still counts), times the length.
    pub fn expected(&self, start: SimTime, len: SimDuration) -> f64 {
        let mut sum = 0.0;
        for i in 0..RATE_SAMPLES {
            let offset = len.0 / RATE_SAMPLES * i + len.0 / (2 * RATE_SAMPLES);
            sum += self.process.rate_at(start.after(SimDuration(offset)));
        }
        sum / RATE_SAMPLES as f64 * len.as_secs_f64()
    }

    /// Draws the arrivals of the tick `[start, start + len)`.
    pub fn draw(&mut self, start: SimTime, len: SimDuration) -> u64 {
        let mean = self.expected(start, len);
        match self.process {
            ArrivalProcess::Constant { .. } => {
                let x = mean + self.carry;
                let n = libm::floor(x);
                self.carry = x - n;
                if n <= 0.0 {
                    0
                } else {
                    n as u64
                }
            }
            _ => poisson(&mut self.rng, mean),
        }
    }
}

/// A load's shape before it is given a peak: the shapes a link names. [`LoadShape::process`]
/// turns one into the arrival process whose highest rate is the peak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadShape {
    /// A 20-minute day/night wave, ±80 % around 5/9 of the peak.
    Diurnal,
    /// From a ninth of the peak up to the peak over 10 minutes, then flat.
    Ramp,
    /// A fifth of the peak, with 3-minute spikes to the peak every 10 minutes.
    Spike,
    /// Exactly the peak every second.
    Constant,
    /// Random (Poisson) arrivals averaging the peak.
    Poisson,
}

impl LoadShape {
    /// Every shape, in the order a form lists them.
    pub const ALL: [LoadShape; 5] = [
        LoadShape::Diurnal,
        LoadShape::Ramp,
        LoadShape::Spike,
        LoadShape::Constant,
        LoadShape::Poisson,
    ];

    /// The lowest peak a shape is given (req/s); a lower one is raised to it.
    pub const MIN_PEAK: u32 = 10;
    /// The highest peak a shape is given (req/s); a higher one is lowered to it.
    pub const MAX_PEAK: u32 = 100_000;

    /// The arrival process with this shape whose highest rate is `peak` requests per second
    /// (clamped to [`LoadShape::MIN_PEAK`]…[`LoadShape::MAX_PEAK`]). The proportions are the
    /// presets': a peak of 2 700 gives [`super::ServiceConfig::default`]'s wave (300…2 700).
    pub fn process(self, peak: u32) -> ArrivalProcess {
        let peak = f64::from(peak.clamp(Self::MIN_PEAK, Self::MAX_PEAK));
        match self {
            LoadShape::Diurnal => ArrivalProcess::Diurnal {
                mean: peak * 5.0 / 9.0,
                amplitude: 0.8,
                period: SimDuration::from_secs(1_200),
            },
            LoadShape::Ramp => ArrivalProcess::Ramp {
                from: peak / 9.0,
                to: peak,
                over: SimDuration::from_secs(600),
            },
            LoadShape::Spike => ArrivalProcess::Spike {
                base: peak / 5.0,
                peak,
                period: SimDuration::from_secs(600),
                spike_len: SimDuration::from_secs(180),
            },
            LoadShape::Constant => ArrivalProcess::Constant { rate: peak },
            LoadShape::Poisson => ArrivalProcess::Poisson { rate: peak },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_peaks_where_asked() {
        for s in LoadShape::ALL {
            let proc = s.process(2_700);
            proc.validate().unwrap();
            let top = (0..1_200)
                .map(|t| proc.rate_at(SimTime::from_secs(t)))
                .fold(0.0f64, f64::max);
            assert!((top - 2_700.0).abs() < 1.0, "{s:?}: {top}");
        }
    }

    #[test]
    fn constant_load_is_exact_with_carry() {
        let mut l = LoadSource::new(ArrivalProcess::Constant { rate: 2.5 }, 1).unwrap();
        let tick = SimDuration::from_secs(1);
        let counts: Vec<u64> = (0..4)
            .map(|i| l.draw(SimTime::from_secs(i), tick))
            .collect();
        assert_eq!(counts, vec![2, 3, 2, 3]);
    }

    #[test]
    fn poisson_counts_have_the_right_mean_and_noise() {
        for mean in [4.0, 1_000.0] {
            let mut rng = SimRng::seed_from(7);
            let n = 4_000;
            let xs: Vec<f64> = (0..n).map(|_| poisson(&mut rng, mean) as f64).collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64;
            assert!((m - mean).abs() < 0.05 * mean, "mean {m} vs {mean}");
            assert!((var - mean).abs() < 0.15 * mean, "variance {var} vs {mean}");
        }
    }

    #[test]
    fn spike_is_seen_by_the_tick_it_falls_in() {
        let p = ArrivalProcess::Spike {
            base: 100.0,
            peak: 1_000.0,
            period: SimDuration::from_secs(60),
            spike_len: SimDuration::from_secs(10),
        };
        let l = LoadSource::new(p, 1).unwrap();
        let tick = SimDuration::from_secs(1);
        assert_eq!(l.expected(SimTime::from_secs(59), tick), 100.0);
        assert_eq!(l.expected(SimTime::from_secs(60), tick), 1_000.0);
        assert_eq!(l.expected(SimTime::from_secs(70), tick), 100.0);
    }
}
