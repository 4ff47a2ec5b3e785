//! What a [`super::ScalingModel`] is built from: one labelled set-up, or several compared on
//! the identical load.
//!
//! Every lane of a comparison gets the comparison's seed, load and tick, and arrivals are the
//! only thing a `Service` draws at random, so every lane is offered exactly the same requests
//! in every tick: the differences in cost and latency come from the scaling alone.

use super::config::ServiceConfig;
use super::error::ScalingError;
use super::mode::ScalingMode;
use crate::sim::{limits, ArrivalProcess, SimDuration};
use serde::{Deserialize, Serialize};

/// Longest lane label, in characters.
pub(crate) const MAX_LABEL: u64 = 40;

/// One set-up with the label its events and readouts carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneConfig {
    /// Shown before the lane's events ("vertical: …"); a lone set-up may leave it empty.
    pub label: String,
    /// The set-up. In a comparison its `seed`, `load` and `tick` are replaced by the
    /// comparison's.
    pub config: ServiceConfig,
}

/// Two or more set-ups on the identical load, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComparisonConfig {
    /// The seed of every lane, so every lane draws the same arrivals.
    pub seed: u64,
    /// The load every lane is offered.
    pub load: ArrivalProcess,
    /// Simulated time per step, in every lane.
    pub tick: SimDuration,
    /// The set-ups compared, in lane order.
    pub lanes: Vec<LaneConfig>,
}

impl Default for ComparisonConfig {
    fn default() -> Self {
        Self::vertical_vs_horizontal()
    }
}

impl ComparisonConfig {
    /// One machine resized by the threshold rule vs a fleet scaled by it, under spikes.
    pub fn vertical_vs_horizontal() -> Self {
        ComparisonConfig {
            seed: 42,
            load: ArrivalProcess::Spike {
                base: 600.0,
                peak: 3_000.0,
                period: SimDuration::from_secs(600),
                spike_len: SimDuration::from_secs(180),
            },
            tick: SimDuration::from_secs(1),
            lanes: vec![
                LaneConfig {
                    label: String::from("vertical"),
                    config: ServiceConfig::with_mode(ScalingMode::Vertical),
                },
                LaneConfig {
                    label: String::from("horizontal"),
                    config: ServiceConfig::with_mode(ScalingMode::Threshold),
                },
            ],
        }
    }

    /// Vertical vs horizontal vs hybrid: the vertical-vs-horizontal preset with a third lane
    /// that doubles one machine up to its 4-core ceiling, then adds 4-core machines.
    pub fn up_out_hybrid() -> Self {
        let mut c = Self::vertical_vs_horizontal();
        c.lanes.push(LaneConfig {
            label: String::from("hybrid"),
            config: ServiceConfig::with_mode(ScalingMode::Hybrid),
        });
        c
    }

    /// Lanes of the default service in each `(label, mode)`, on its default day/night wave.
    fn on_default_day(lanes: &[(&str, ScalingMode)]) -> Self {
        let base = ServiceConfig::default();
        ComparisonConfig {
            seed: base.seed,
            load: base.load.clone(),
            tick: base.tick,
            lanes: lanes
                .iter()
                .map(|&(label, mode)| LaneConfig {
                    label: String::from(label),
                    config: ServiceConfig::with_mode(mode),
                })
                .collect(),
        }
    }

    /// The threshold rule vs the Kubernetes HPA on the default day/night wave.
    pub fn threshold_vs_hpa() -> Self {
        Self::on_default_day(&[
            ("threshold", ScalingMode::Threshold),
            ("HPA", ScalingMode::Hpa),
        ])
    }

    /// The threshold rule vs the guide's naive scale-in on the default day/night wave: the
    /// same lines and cooldown, so every difference comes from the scale-ins the naive rule
    /// misses (the instances it keeps and pays for).
    pub fn threshold_vs_naive() -> Self {
        Self::on_default_day(&[
            ("threshold", ScalingMode::Threshold),
            ("naive", ScalingMode::ThresholdNaive),
        ])
    }

    /// Each lane's config with the shared seed, load and tick applied.
    pub fn lane_configs(&self) -> Vec<ServiceConfig> {
        self.lanes
            .iter()
            .map(|l| ServiceConfig {
                seed: self.seed,
                load: self.load.clone(),
                tick: self.tick,
                ..l.config.clone()
            })
            .collect()
    }

    /// Checks the lane count (2 to 16), every label (1 to 40 characters) and every lane's
    /// config as the comparison applies it.
    pub fn validate(&self) -> Result<(), ScalingError> {
        let n = self.lanes.len() as u64;
        if !(2..=limits::MAX_RACE_LANES).contains(&n) {
            return Err(ScalingError::LaneCount {
                count: n,
                min: 2,
                max: limits::MAX_RACE_LANES,
            });
        }
        for (i, (lane, cfg)) in self.lanes.iter().zip(self.lane_configs()).enumerate() {
            let len = lane.label.chars().count() as u64;
            if len == 0 || len > MAX_LABEL {
                return Err(ScalingError::BadLabel {
                    lane: i as u32,
                    len,
                    max: MAX_LABEL,
                });
            }
            cfg.validate().map_err(|e| ScalingError::InLane {
                lane: i as u32,
                error: Box::new(e),
            })?;
        }
        Ok(())
    }
}

/// The scaling family's config: one set-up, or a comparison of several on the identical load.
// A config is built once per run: a boxed variant would only make it clumsier to write.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScalingConfig {
    /// One set-up: a model with one lane.
    Single(LaneConfig),
    /// Several set-ups on the identical load: one lane each.
    Compare(ComparisonConfig),
}

impl Default for ScalingConfig {
    /// The teaching preset ([`ServiceConfig::default`]) alone, unlabelled.
    fn default() -> Self {
        ScalingConfig::Single(LaneConfig {
            label: String::new(),
            config: ServiceConfig::default(),
        })
    }
}

impl ScalingConfig {
    /// Checks every lane's config and label; a lone set-up's label may be empty.
    pub fn validate(&self) -> Result<(), ScalingError> {
        match self {
            ScalingConfig::Single(lane) => {
                let len = lane.label.chars().count() as u64;
                if len > MAX_LABEL {
                    return Err(ScalingError::BadLabel {
                        lane: 0,
                        len,
                        max: MAX_LABEL,
                    });
                }
                lane.config.validate()
            }
            ScalingConfig::Compare(c) => c.validate(),
        }
    }

    /// Each lane's label and config as the model runs it (a comparison's shared seed, load
    /// and tick applied).
    pub fn lanes(&self) -> Vec<LaneConfig> {
        match self {
            ScalingConfig::Single(lane) => vec![lane.clone()],
            ScalingConfig::Compare(c) => c
                .lanes
                .iter()
                .zip(c.lane_configs())
                .map(|(l, config)| LaneConfig {
                    label: l.label.clone(),
                    config,
                })
                .collect(),
        }
    }
}
