//! What a user can do to a [`ScalingModel`] mid-run, as data, so a
//! [`crate::timeline::Timeline`] can log and replay it (and a link can carry it).

use super::error::ScalingError;
use super::load::LoadShape;
use super::mode::ScalingMode;
use super::model::ScalingModel;
use crate::timeline::Action;
use serde::{Deserialize, Serialize};

/// One operation on a lane's service, or on the load of every lane. Each calls one
/// operation of the lane's [`super::Service`]; an error leaves the model unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum ScalingAction {
    /// Launch one instance by hand (it warms up first).
    Add {
        /// The lane.
        lane: u32,
    },
    /// Drain an instance: the chosen one, or the least loaded.
    Remove {
        /// The lane.
        lane: u32,
        /// The instance's id; `None` picks the least-loaded active instance, as the
        /// threshold rule's scale-in does.
        id: Option<u32>,
    },
    /// Double the vertical machine (it is down while resized).
    ResizeUp {
        /// The lane.
        lane: u32,
    },
    /// Halve the vertical machine (it is down while resized).
    ResizeDown {
        /// The lane.
        lane: u32,
    },
    /// Switch a horizontal lane's rule mid-run.
    SetMode {
        /// The lane.
        lane: u32,
        /// The new rule (a horizontal mode).
        mode: ScalingMode,
    },
    /// Change the load of every lane from the next tick.
    SetLoad {
        /// The load's shape.
        shape: LoadShape,
        /// Its highest rate, requests per second.
        peak: u32,
    },
}

impl ScalingAction {
    /// Performs the operation; on error nothing changes.
    pub fn apply_to(&self, model: &mut ScalingModel) -> Result<(), ScalingError> {
        match *self {
            ScalingAction::Add { lane } => model
                .service_mut(lane)
                .and_then(|s| s.add_instance().map(|_| ())),
            ScalingAction::Remove { lane, id } => model.service_mut(lane).and_then(|s| {
                // "Least loaded" asks the service's own pick; a vertical lane refuses either way.
                let id = id.or_else(|| s.fleet().least_loaded()).unwrap_or(0);
                s.remove_instance(id)
            }),
            ScalingAction::ResizeUp { lane } => model.service_mut(lane).and_then(|s| s.resize_up()),
            ScalingAction::ResizeDown { lane } => {
                model.service_mut(lane).and_then(|s| s.resize_down())
            }
            ScalingAction::SetMode { lane, mode } => {
                model.service_mut(lane).and_then(|s| s.set_mode(mode))
            }
            ScalingAction::SetLoad { shape, peak } => model.set_load(shape.process(peak)),
        }
    }
}

impl Action<ScalingModel> for ScalingAction {
    fn apply(&self, model: &mut ScalingModel) -> Result<(), crate::Error> {
        Ok(self.apply_to(model)?)
    }
}
