//! Several scaling set-ups on the identical load, side by side.
//!
//! Every lane gets the comparison's seed, load and tick, and arrivals are the only thing a
//! `ScalingSim` draws at random, so every lane is offered exactly the same requests in every
//! tick: the differences in cost and latency come from the scaling alone.

use super::{ScalingConfig, ScalingError, ScalingEvent, ScalingMode, ScalingSim, ScalingStats};
use crate::model::Model;
use crate::sim::{limits, ArrivalProcess, SimDuration, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// Longest lane label, in characters.
const MAX_LABEL: u64 = 40;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneConfig {
    pub label: String,
    /// Its `seed`, `load` and `tick` are replaced by the comparison's.
    pub config: ScalingConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComparisonConfig {
    pub seed: u64,
    pub load: ArrivalProcess,
    pub tick: SimDuration,
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
                    config: ScalingConfig::with_mode(ScalingMode::Vertical),
                },
                LaneConfig {
                    label: String::from("horizontal"),
                    config: ScalingConfig::with_mode(ScalingMode::Threshold),
                },
            ],
        }
    }

    /// The guide's threshold rule vs the Kubernetes HPA on the default day/night wave.
    pub fn threshold_vs_hpa() -> Self {
        let base = ScalingConfig::default();
        ComparisonConfig {
            seed: base.seed,
            load: base.load.clone(),
            tick: base.tick,
            lanes: vec![
                LaneConfig {
                    label: String::from("threshold"),
                    config: ScalingConfig::with_mode(ScalingMode::Threshold),
                },
                LaneConfig {
                    label: String::from("HPA"),
                    config: ScalingConfig::with_mode(ScalingMode::Hpa),
                },
            ],
        }
    }

    /// Each lane's config with the shared seed, load and tick applied.
    pub fn lane_configs(&self) -> Vec<ScalingConfig> {
        self.lanes
            .iter()
            .map(|l| ScalingConfig {
                seed: self.seed,
                load: self.load.clone(),
                tick: self.tick,
                ..l.config.clone()
            })
            .collect()
    }

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

/// An event of one lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonEvent {
    pub lane: u32,
    pub label: String,
    pub event: ScalingEvent,
}

impl fmt::Display for ComparisonEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label, self.event)
    }
}

impl ComparisonEvent {
    pub fn narrate(&self) -> String {
        self.to_string()
    }
}

/// One lane's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneSummary {
    pub label: String,
    pub stats: ScalingStats,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Lane {
    label: String,
    sim: ScalingSim,
}

/// Lanes stepped together; one step = one tick of every lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    lanes: Vec<Lane>,
    now: SimTime,
}

impl Comparison {
    pub fn new(config: ComparisonConfig) -> Result<Self, ScalingError> {
        config.validate()?;
        let mut lanes = Vec::with_capacity(config.lanes.len());
        for (i, (lane, cfg)) in config.lanes.iter().zip(config.lane_configs()).enumerate() {
            let sim = ScalingSim::new(cfg).map_err(|e| ScalingError::InLane {
                lane: i as u32,
                error: Box::new(e),
            })?;
            lanes.push(Lane {
                label: lane.label.clone(),
                sim,
            });
        }
        Ok(Comparison {
            lanes,
            now: SimTime::ZERO,
        })
    }

    pub fn lane_count(&self) -> u32 {
        self.lanes.len() as u32
    }

    pub fn label(&self, lane: u32) -> Option<&str> {
        self.lanes.get(lane as usize).map(|l| l.label.as_str())
    }

    pub fn lane(&self, lane: u32) -> Option<&ScalingSim> {
        self.lanes.get(lane as usize).map(|l| &l.sim)
    }

    /// A lane, for per-lane operations (add an instance, switch its mode…).
    pub fn lane_mut(&mut self, lane: u32) -> Result<&mut ScalingSim, ScalingError> {
        self.lanes
            .get_mut(lane as usize)
            .map(|l| &mut l.sim)
            .ok_or(ScalingError::UnknownLane { lane })
    }

    /// Changes the load of every lane at once (so they stay comparable).
    pub fn set_load(&mut self, load: ArrivalProcess) -> Result<(), ScalingError> {
        load.validate()?;
        for l in &mut self.lanes {
            l.sim.set_load(load.clone())?;
        }
        Ok(())
    }

    pub fn summaries(&self) -> Vec<LaneSummary> {
        self.lanes
            .iter()
            .map(|l| LaneSummary {
                label: l.label.clone(),
                stats: l.sim.stats(),
            })
            .collect()
    }
}

impl Model for Comparison {
    type Event = ComparisonEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    fn step_into(&mut self, out: &mut Vec<ComparisonEvent>) {
        let mut buf = Vec::new();
        for (i, l) in self.lanes.iter_mut().enumerate() {
            buf.clear();
            l.sim.step_into(&mut buf);
            out.extend(buf.drain(..).map(|event| ComparisonEvent {
                lane: i as u32,
                label: l.label.clone(),
                event,
            }));
            self.now = self.now.max(l.sim.now());
        }
    }
}
