//! What every panel of the system scene is given for one frame.

use crate::components::memo::Keep;
use crate::scenes::system::Focus;
use scalelab_core::system::{SystemAction, SystemEvent, SystemModel};
use std::rc::Rc;
use yew::prelude::*;

pub struct Frame<'a> {
    pub model: &'a SystemModel,
    /// Recent events with their age in ms of the drawing's clock (newest last).
    pub recent: Vec<(f64, &'a SystemEvent)>,
    /// Sends a chaos switch through the timeline.
    pub act: &'a Callback<SystemAction>,
    pub reduced_motion: bool,
    /// Metric rows over time, for the charts.
    pub series: &'a Rc<Vec<(f64, Vec<f64>)>>,
    /// The selected instance or shard, shown in the inspector and aimed at by the switches.
    pub focus: Option<Focus>,
    pub on_focus: &'a Callback<Option<Focus>>,
    /// The preset's name and title, when the settings name one.
    pub story: Option<(&'static str, &'static str)>,
    /// The parts drawn from the model alone, kept between frames.
    pub keep: Keep<'a>,
}
