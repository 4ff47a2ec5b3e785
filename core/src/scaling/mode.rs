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
}

impl ScalingMode {
    /// Whether the mode runs a fleet (every mode but vertical).
    pub fn is_horizontal(self) -> bool {
        self != ScalingMode::Vertical
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
        })
    }
}
