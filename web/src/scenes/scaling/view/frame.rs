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
    /// The selected instance, (lane, id), shown in the inspector.
    pub focus: Option<(u32, u32)>,
    /// Selects an instance.
    pub on_focus: &'a Callback<Option<(u32, u32)>>,
}

impl<'a> Frame<'a> {
    /// What lane `lane`'s drawing needs to make its instances selectable.
    pub fn pick(&self, lane: u32) -> super::pick::Pick<'a> {
        super::pick::Pick {
            lane,
            focus: self.focus,
            on_focus: self.on_focus,
        }
    }
}
