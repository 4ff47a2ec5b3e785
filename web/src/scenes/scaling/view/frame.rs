//! What one frame of the scaling view is drawn from: the scene's view, with the settings'
//! load already read, so no panel reaches back into the scene.

use scalelab_core::scaling::{LoadShape, ScalingAction, ScalingEvent, ScalingModel};
use std::rc::Rc;
use yew::Callback;

pub struct Frame<'a> {
    pub model: &'a ScalingModel,
    /// Recent events with their age in ms (newest last), for animation.
    pub recent: Vec<(f64, &'a ScalingEvent)>,
    /// Sends a user action through the timeline.
    pub act: &'a Callback<ScalingAction>,
    pub reduced_motion: bool,
    /// Metric rows over time, for the charts.
    pub series: &'a Rc<Vec<(f64, Vec<f64>)>>,
    /// The load the settings ask for: "Back to …" restores it.
    pub shape: LoadShape,
    pub peak: u32,
}
