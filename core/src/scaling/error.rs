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
    /// A shared simulation setting (a count, a rate, a load) is out of range.
    #[error(transparent)]
    Sim(#[from] SimError),
    /// A duration setting is outside its accepted range.
    #[error("{field} must be between {min} and {max}, but it is {value}")]
    DurationOutOfRange {
        /// The setting.
        field: &'static str,
        /// Its value.
        value: SimDuration,
        /// The shortest accepted.
        min: SimDuration,
        /// The longest accepted.
        max: SimDuration,
    },
    /// The autoscaler's lower bound is above its upper bound.
    #[error("minimum replicas ({min}) must not be above maximum replicas ({max})")]
    MinAboveMax {
        /// The minimum replicas.
        min: u32,
        /// The maximum replicas.
        max: u32,
    },
    /// A scale-in line is not below its scale-out line.
    #[error(
        "{field}: the scale-in threshold ({}) must be below the scale-out threshold ({}), \
         or the autoscaler would scale in and out on the same reading",
        Num(*.down),
        Num(*.up)
    )]
    ThresholdsInverted {
        /// The pair of settings.
        field: &'static str,
        /// The scale-in line.
        down: f64,
        /// The scale-out line.
        up: f64,
    },
    /// The HPA tolerance is outside `[0, 1)`.
    #[error("HPA tolerance must be at least 0 and below 1 (0.1 is the Kubernetes default), but it is {}", Num(*.value))]
    ToleranceOutOfRange {
        /// The tolerance given.
        value: f64,
    },
    /// A fleet setting asks for more instances than the playground runs.
    #[error("{field} is {value}, but the playground runs at most {max} instances")]
    TooManyInstances {
        /// The setting.
        field: &'static str,
        /// Its value.
        value: u64,
        /// The most accepted.
        max: u64,
    },
    /// An autoscaled fleet would start outside its own bounds.
    #[error(
        "the initial number of instances ({initial}) must be within the replica bounds \
         [{min}, {max}] in {mode} mode"
    )]
    InitialOutsideBounds {
        /// Instances at the start.
        initial: u32,
        /// The minimum replicas.
        min: u32,
        /// The maximum replicas.
        max: u32,
        /// The autoscaled mode.
        mode: ScalingMode,
    },
    /// An HPA direction has no rate policy to apply.
    #[error("the HPA scale-{direction} rules need at least one policy (or select `disabled`)")]
    NoPolicies {
        /// Which direction's rules.
        direction: Direction,
    },
    /// The machine cannot double: it would pass its largest size.
    #[error("cannot scale up: doubling {cores} cores would exceed the maximum of {max} cores")]
    AtMaxCores {
        /// Its cores now.
        cores: u32,
        /// The most cores allowed.
        max: u32,
    },
    /// The machine cannot halve: it would go below its smallest size.
    #[error("cannot scale down: halving {cores} cores would go below the minimum of {min} cores")]
    AtMinCores {
        /// Its cores now.
        cores: u32,
        /// The fewest cores allowed.
        min: u32,
    },
    /// The machine is down for a resize and cannot be resized again yet.
    #[error("the machine is being resized until {until}; try again once it is back")]
    MachineResizing {
        /// When it is back.
        until: crate::sim::SimTime,
    },
    /// No instance has this id (it never existed, or it has left).
    #[error("there is no instance with id {id}")]
    UnknownInstance {
        /// The id asked for.
        id: u32,
    },
    /// The instance is already leaving.
    #[error("{name} is already draining")]
    AlreadyDraining {
        /// Its id.
        id: u32,
        /// Its name.
        name: String,
    },
    /// Removing the last active instance would leave nothing to serve traffic.
    #[error("cannot remove {name}: it is the last instance, and with none nothing serves traffic")]
    LastInstance {
        /// Its name.
        name: String,
    },
    /// The fleet already runs as many instances as the playground allows.
    #[error("cannot add an instance: {max} instances is the most the playground runs")]
    FleetFull {
        /// The most instances.
        max: u64,
    },
    /// A fleet operation on the vertical machine.
    #[error("{operation} needs a horizontal mode (manual, threshold, threshold-naive or hpa), but the mode is {mode}")]
    NotHorizontal {
        /// What was asked.
        operation: &'static str,
        /// The lane's mode.
        mode: ScalingMode,
    },
    /// A resize on a fleet.
    #[error("{operation} needs vertical mode, but the mode is {mode}")]
    NotVertical {
        /// What was asked.
        operation: &'static str,
        /// The lane's mode.
        mode: ScalingMode,
    },
    /// A switch between one machine and a fleet, which are different set-ups.
    #[error(
        "switching from {from} to {to} needs a new run (one big machine and a fleet are \
         different set-ups); a Comparison shows both side by side"
    )]
    ModeSwitchNeedsRestart {
        /// The mode now.
        from: ScalingMode,
        /// The mode asked for.
        to: ScalingMode,
    },
    /// A comparison with too few or too many lanes.
    #[error("a comparison needs between {min} and {max} lanes, but it has {count}")]
    LaneCount {
        /// Its lanes.
        count: u64,
        /// The fewest accepted.
        min: u64,
        /// The most accepted.
        max: u64,
    },
    /// A lane label that is empty (in a comparison) or too long.
    #[error("lane labels must be 1 to {max} characters, but lane {lane}'s has {len}")]
    BadLabel {
        /// The lane.
        lane: u32,
        /// Its label's length, in characters.
        len: u64,
        /// The longest accepted.
        max: u64,
    },
    /// An action names a lane the model does not have.
    #[error("there is no lane {lane}")]
    UnknownLane {
        /// The lane asked for.
        lane: u32,
    },
    /// One lane of a comparison is misconfigured.
    #[error("lane {lane}: {error}")]
    InLane {
        /// The lane.
        lane: u32,
        /// What is wrong with it.
        error: Box<ScalingError>,
    },
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
