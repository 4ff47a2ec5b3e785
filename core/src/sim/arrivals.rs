//! Arrival processes: when requests reach the system.
//!
//! Constant arrivals are evenly spaced; every other process is a (possibly time-varying)
//! Poisson process, sampled exactly by thinning (Lewis & Shedler): candidate gaps are drawn at
//! the peak rate and kept with probability `rate(t) / peak`.

use super::{check_positive, check_range, limits, SimDuration, SimError, SimRng, SimTime};
use serde::{Deserialize, Serialize};

/// How requests arrive over time. Rates are requests per simulated second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ArrivalProcess {
    /// Exactly `rate` requests per second, evenly spaced.
    Constant {
        /// Requests per second (above 0).
        rate: f64,
    },
    /// Memoryless arrivals averaging `rate` per second.
    Poisson {
        /// Mean requests per second (above 0).
        rate: f64,
    },
    /// `base` per second, with a spike to `peak` for `spike_len` at the start of every `period`
    /// (after the first period).
    Spike {
        /// Requests per second between spikes (0 allowed).
        base: f64,
        /// Requests per second during a spike (above 0).
        peak: f64,
        /// Time from one spike's start to the next (1 µs to a week).
        period: SimDuration,
        /// How long each spike lasts (1 µs up to `period`).
        spike_len: SimDuration,
    },
    /// Linear ramp from `from` to `to` per second over `over`, then flat at `to`.
    Ramp {
        /// Requests per second at time zero (0 allowed, but not at both ends).
        from: f64,
        /// Requests per second from `over` on.
        to: f64,
        /// How long the ramp takes (1 µs to a week).
        over: SimDuration,
    },
    /// A day/night wave: `mean × (1 + amplitude × sin(2πt / period))`, amplitude in [0, 1].
    Diurnal {
        /// Requests per second averaged over a period (above 0).
        mean: f64,
        /// Swing as a fraction of `mean`, in [0, 1]: 1 goes from 0 to twice the mean.
        amplitude: f64,
        /// Length of one full wave (1 µs to a week).
        period: SimDuration,
    },
}

impl Default for ArrivalProcess {
    fn default() -> Self {
        ArrivalProcess::Poisson { rate: 100.0 }
    }
}

fn check_rate(field: &'static str, v: f64) -> Result<f64, SimError> {
    check_positive(field, v, limits::MAX_RATE_PER_SEC)
}

fn check_rate_or_zero(field: &'static str, v: f64) -> Result<f64, SimError> {
    check_range(field, v, 0.0, limits::MAX_RATE_PER_SEC)
}

fn check_span(field: &'static str, d: SimDuration) -> Result<SimDuration, SimError> {
    super::check_count(field, d.0, 1, limits::MAX_DURATION_MICROS)?;
    Ok(d)
}

impl ArrivalProcess {
    /// Checks the rates (finite, at most [`MAX_RATE_PER_SEC`](limits::MAX_RATE_PER_SEC)) and
    /// durations (1 µs to [`MAX_DURATION_MICROS`](limits::MAX_DURATION_MICROS)): a spike no
    /// longer than its period, a ramp not zero at both ends.
    pub fn validate(&self) -> Result<(), SimError> {
        match *self {
            ArrivalProcess::Constant { rate } | ArrivalProcess::Poisson { rate } => {
                check_rate("arrival rate", rate)?;
            }
            ArrivalProcess::Spike {
                base,
                peak,
                period,
                spike_len,
            } => {
                check_rate_or_zero("base rate", base)?;
                check_rate("spike rate", peak)?;
                check_span("spike period", period)?;
                check_span("spike length", spike_len)?;
                if spike_len > period {
                    return Err(SimError::InvertedRange {
                        field: "spike length vs period",
                        lo: spike_len.as_secs_f64(),
                        hi: period.as_secs_f64(),
                    });
                }
            }
            ArrivalProcess::Ramp { from, to, over } => {
                check_rate_or_zero("ramp start rate", from)?;
                check_rate_or_zero("ramp end rate", to)?;
                if from == 0.0 && to == 0.0 {
                    return Err(SimError::NotPositive {
                        field: "ramp end rate",
                        value: 0.0,
                    });
                }
                check_span("ramp duration", over)?;
            }
            ArrivalProcess::Diurnal {
                mean,
                amplitude,
                period,
            } => {
                check_rate("mean rate", mean)?;
                check_range("amplitude", amplitude, 0.0, 1.0)?;
                check_span("period", period)?;
            }
        }
        Ok(())
    }

    /// The instantaneous rate at `t`, requests per second (also what a load chart plots).
    pub fn rate_at(&self, t: SimTime) -> f64 {
        match *self {
            ArrivalProcess::Constant { rate } | ArrivalProcess::Poisson { rate } => rate,
            ArrivalProcess::Spike {
                base,
                peak,
                period,
                spike_len,
            } => {
                let p = period.0.max(1);
                let in_period = t.0 % p;
                if t.0 >= p && in_period < spike_len.0 {
                    peak
                } else {
                    base
                }
            }
            ArrivalProcess::Ramp { from, to, over } => {
                if t.0 >= over.0 {
                    to
                } else {
                    from + (to - from) * (t.0 as f64 / over.0.max(1) as f64)
                }
            }
            ArrivalProcess::Diurnal {
                mean,
                amplitude,
                period,
            } => {
                let phase = (t.0 % period.0.max(1)) as f64 / period.0.max(1) as f64;
                (mean * (1.0 + amplitude * super::turn::sin(2.0 * core::f64::consts::PI * phase)))
                    .max(0.0)
            }
        }
    }

    /// The highest rate the process ever reaches (the thinning envelope).
    pub fn peak_rate(&self) -> f64 {
        match *self {
            ArrivalProcess::Constant { rate } | ArrivalProcess::Poisson { rate } => rate,
            ArrivalProcess::Spike { base, peak, .. } => base.max(peak),
            ArrivalProcess::Ramp { from, to, .. } => from.max(to),
            ArrivalProcess::Diurnal {
                mean, amplitude, ..
            } => mean * (1.0 + amplitude),
        }
    }
}

/// Bound on thinning rejections per draw, so a long stretch of zero rate cannot stall a step;
/// the generator resumes from where it stopped on the next call.
const MAX_REJECTIONS_PER_DRAW: u32 = 4_096;

/// Produces successive arrival times for a process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArrivalGenerator {
    process: ArrivalProcess,
    /// Arrivals emitted so far (constant process: the next one is `start + n / rate`).
    emitted: u64,
    /// Where thinning resumes.
    cursor: SimTime,
}

impl ArrivalGenerator {
    /// A generator at time zero for `process`, once it validates.
    pub fn new(process: ArrivalProcess) -> Result<Self, SimError> {
        process.validate()?;
        Ok(ArrivalGenerator {
            process,
            emitted: 0,
            cursor: SimTime::ZERO,
        })
    }

    /// The process arrivals follow now.
    pub fn process(&self) -> &ArrivalProcess {
        &self.process
    }

    /// Replaces the process from the current time on (a live change of load).
    pub fn set_process(&mut self, process: ArrivalProcess, now: SimTime) -> Result<(), SimError> {
        process.validate()?;
        self.process = process;
        self.cursor = self.cursor.max(now);
        self.emitted = 0;
        Ok(())
    }

    /// The next arrival time, or `None` if thinning rejected too many candidates in a row
    /// (only possible while the rate is near zero); call again to continue.
    pub fn next_arrival(&mut self, rng: &mut SimRng) -> Option<SimTime> {
        if let ArrivalProcess::Constant { rate } = self.process {
            self.emitted += 1;
            let gap_us = 1e6 / rate;
            let t = self.cursor.0 as f64 + gap_us;
            // Carry the fractional part: the next arrival is measured from the exact one.
            let at = SimTime(t.round() as u64);
            self.cursor = at;
            return Some(at);
        }
        let peak = self.process.peak_rate();
        if peak <= 0.0 {
            return None;
        }
        let mean_gap_us = 1e6 / peak;
        for _ in 0..MAX_REJECTIONS_PER_DRAW {
            let gap = rng.exponential(mean_gap_us).max(1.0);
            self.cursor = SimTime(self.cursor.0.saturating_add(gap as u64));
            let accept = self.process.rate_at(self.cursor) / peak;
            if accept >= 1.0 || rng.unit() < accept {
                self.emitted += 1;
                return Some(self.cursor);
            }
        }
        None
    }

    /// Where the generator has got to (the last candidate time considered).
    pub fn cursor(&self) -> SimTime {
        self.cursor
    }
}
