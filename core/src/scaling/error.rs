//! What can go wrong configuring or operating a scaling model.

use super::events::Direction;
use super::mode::ScalingMode;
use crate::num_text::Num;
use crate::sim::{SimDuration, SimError};
use thiserror::Error;

/// Everything that can go wrong configuring or operating a scaling model, each with the field
/// at fault and what is accepted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScalingError {
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error("{field} must be between {min} and {max}, but it is {value}")]
    DurationOutOfRange {
        field: &'static str,
        value: SimDuration,
        min: SimDuration,
        max: SimDuration,
    },
    #[error("minimum replicas ({min}) must not be above maximum replicas ({max})")]
    MinAboveMax { min: u32, max: u32 },
    #[error(
        "{field}: the scale-in threshold ({}) must be below the scale-out threshold ({}), \
         or the autoscaler would scale in and out on the same reading",
        Num(*.down),
        Num(*.up)
    )]
    ThresholdsInverted {
        field: &'static str,
        down: f64,
        up: f64,
    },
    #[error("HPA tolerance must be at least 0 and below 1 (0.1 is the Kubernetes default), but it is {}", Num(*.value))]
    ToleranceOutOfRange { value: f64 },
    #[error("{field} is {value}, but the playground runs at most {max} instances")]
    TooManyInstances {
        field: &'static str,
        value: u64,
        max: u64,
    },
    #[error(
        "the initial number of instances ({initial}) must be within the replica bounds \
         [{min}, {max}] in {mode} mode"
    )]
    InitialOutsideBounds {
        initial: u32,
        min: u32,
        max: u32,
        mode: ScalingMode,
    },
    #[error("the HPA scale-{direction} rules need at least one policy (or select `disabled`)")]
    NoPolicies { direction: Direction },
    #[error("cannot scale up: doubling {cores} cores would exceed the maximum of {max} cores")]
    AtMaxCores { cores: u32, max: u32 },
    #[error("cannot scale down: halving {cores} cores would go below the minimum of {min} cores")]
    AtMinCores { cores: u32, min: u32 },
    #[error("the machine is being resized until {until}; try again once it is back")]
    MachineResizing { until: crate::sim::SimTime },
    #[error("there is no instance with id {id}")]
    UnknownInstance { id: u32 },
    #[error("{name} is already draining")]
    AlreadyDraining { id: u32, name: String },
    #[error("cannot remove {name}: it is the last instance, and with none nothing serves traffic")]
    LastInstance { name: String },
    #[error("cannot add an instance: {max} instances is the most the playground runs")]
    FleetFull { max: u64 },
    #[error("{operation} needs a horizontal mode (manual, threshold, threshold-naive or hpa), but the mode is {mode}")]
    NotHorizontal {
        operation: &'static str,
        mode: ScalingMode,
    },
    #[error("{operation} needs vertical mode, but the mode is {mode}")]
    NotVertical {
        operation: &'static str,
        mode: ScalingMode,
    },
    #[error(
        "switching from {from} to {to} needs a new run (one big machine and a fleet are \
         different set-ups); a Comparison shows both side by side"
    )]
    ModeSwitchNeedsRestart { from: ScalingMode, to: ScalingMode },
    #[error("a comparison needs between {min} and {max} lanes, but it has {count}")]
    LaneCount { count: u64, min: u64, max: u64 },
    #[error("lane labels must be 1 to {max} characters, but lane {lane}'s has {len}")]
    BadLabel { lane: u32, len: u64, max: u64 },
    #[error("there is no lane {lane}")]
    UnknownLane { lane: u32 },
    #[error("lane {lane}: {error}")]
    InLane { lane: u32, error: Box<ScalingError> },
}

/// Checks a configured duration against `[min, max]`, naming the field.
pub(crate) fn check_duration(
    field: &'static str,
    value: SimDuration,
    min: SimDuration,
    max: SimDuration,
) -> Result<SimDuration, ScalingError> {
    if value < min || value > max {
        return Err(ScalingError::DurationOutOfRange {
            field,
            value,
            min,
            max,
        });
    }
    Ok(value)
}
