//! The race's latency histogram: for each lane, the share of its answers in each latency band
//! (below 1 ms, 1–2 ms, 2–5 ms … 2 s or more), one line per lane over the bands, so a fat
//! tail shows as a line that stays up on the right.

use crate::components::chart::{Chart, Line};
use crate::components::memo::{memo, View};
use scalelab_core::balancing::BalancingModel;
use std::rc::Rc;
use yew::prelude::*;

/// Each lane's shares per band, in tenths of a percent: the chart is drawn again only when
/// one of them moves by that much, not on every answer.
#[derive(PartialEq)]
struct Bands {
    per_mille: Vec<Vec<u16>>,
    lines: Vec<Line>,
}

impl View for Bands {
    fn view(&self) -> Html {
        let bands = BalancingModel::LATENCY_BAND_EDGES_MS.len() + 1;
        let rows: Vec<(f64, Vec<f64>)> = (0..bands)
            .map(|b| {
                let shares = self
                    .per_mille
                    .iter()
                    .map(|lane| lane.get(b).map_or(f64::NAN, |m| f64::from(*m) / 1_000.0))
                    .collect();
                (b as f64, shares)
            })
            .collect();
        Chart {
            title:
                "Latency histogram per lane: share of answers by band (< 1 ms, 1–2, 2–5 … ≥ 2 s)"
                    .into(),
            rows: Rc::new(rows),
            lines: self.lines.clone(),
            y_max: None,
            percent: true,
            x_end: Some("≥ 2 s".into()),
        }
        .view()
    }
}

/// The histogram of `model`'s lanes, drawn as `lines` (one per lane, its column the lane's
/// position).
pub fn latency_bands(model: &BalancingModel, lines: Vec<Line>) -> Html {
    let per_mille: Vec<Vec<u16>> = model
        .lane_latency_shares()
        .into_iter()
        .map(|lane| {
            lane.into_iter()
                .map(|s| (s * 1_000.0).round() as u16)
                .collect()
        })
        .collect();
    memo(Bands { per_mille, lines })
}
