//! The caching page, top to bottom: live figures, the drawings, what the last operations did,
//! the action buttons, the counters and the charts.

use super::actions::actions;
use super::charts::charts;
use super::counters::counters;
use super::drawings::drawings;
use super::focus::Focus;
use super::race::lane_lines;
use super::stats::stats;
use super::status::status;
use crate::components::memo::Keep;
use crate::params::ParamValues;
use scalelab_core::caching::{CachingAction, CachingEvent, CachingModel, CachingRace};
use std::rc::Rc;
use yew::prelude::*;

/// What one frame of the page shows.
pub struct Frame<'a> {
    /// The drawn lane: the race's first.
    pub model: &'a CachingModel,
    /// Every lane, for the race board and chart.
    pub race: &'a CachingRace,
    /// Recent events with their age in ms, newest last.
    pub recent: &'a [(f64, &'a CachingEvent)],
    pub reduced_motion: bool,
    pub params: &'a ParamValues,
    pub act: &'a Callback<CachingAction>,
    /// The metric rows the charts draw.
    pub series: &'a Rc<Vec<(f64, Vec<f64>)>>,
    /// The selected key, and how the drawing selects one.
    pub focus: Focus<'a>,
    /// The parts drawn from the model alone, kept between frames.
    pub keep: Keep<'a>,
}

pub fn view(f: Frame<'_>) -> Html {
    let (m, keep) = (f.model, f.keep);
    html! {
        <div class="caching">
            {keep.figures("caching-stats", &|| stats(m))}
            {drawings(m, f.recent, f.reduced_motion, f.focus)}
            {status(m)}
            {actions(m, f.race.is_race(), f.params, f.act)}
            {keep.figures("caching-counters", &|| counters(m, f.race))}
            {charts(f.series, f.race.is_race().then(|| lane_lines(f.race)))}
        </div>
    }
}
