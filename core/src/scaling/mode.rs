//! Which scaling a service runs: a fixed fleet, an autoscaler, or one resized machine.

use core::fmt;
use serde::{Deserialize, Serialize};

/// How the model scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScalingMode {
    /// A fixed fleet; only the user adds or removes instances.
    Manual,
    /// The threshold rule; scale-in removes the least-loaded instance that exists.
    Threshold,
    /// The threshold rule as the common tutorial writes it: scale-in removes
    /// `instance_<count>` by name, which may not exist — then nothing is removed but the rule
    /// counts it as done.
    ThresholdNaive,
    /// The Kubernetes HPA rule.
    Hpa,
    /// One machine, doubled or halved by the threshold rule, down while it is resized.
    Vertical,
    /// One machine doubled by the threshold rule up to a ceiling, then more machines of that
    /// size; it shrinks by removing machines, then halving the last one.
    Hybrid,
}

impl ScalingMode {
    /// Whether the mode runs a fleet of identical instances that a user may add to and
    /// switch between (every mode but vertical and hybrid).
    pub fn is_horizontal(self) -> bool {
        !matches!(self, ScalingMode::Vertical | ScalingMode::Hybrid)
    }

    /// Whether the mode resizes a machine (vertical, and hybrid below its ceiling).
    pub fn resizes(self) -> bool {
        matches!(self, ScalingMode::Vertical | ScalingMode::Hybrid)
    }

    /// Whether an autoscaler bounds the fleet to `[min, max]`.
    pub fn is_autoscaled(self) -> bool {
        matches!(
            self,
            ScalingMode::Threshold | ScalingMode::ThresholdNaive | ScalingMode::Hpa
        )
    }
}

impl fmt::Display for ScalingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScalingMode::Manual => "manual",
            ScalingMode::Threshold => "threshold",
            ScalingMode::ThresholdNaive => "naive threshold",
            ScalingMode::Hpa => "HPA",
            ScalingMode::Vertical => "vertical",
            ScalingMode::Hybrid => "hybrid",
        })
    }
}
