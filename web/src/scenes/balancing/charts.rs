//! The charts under the drawing: live latency (per percentile, or per lane in a race) and
//! throughput, read from the model's metric columns.

use crate::components::chart::{Chart, Line};
use scalelab_core::balancing::{BalancingModel, LaneMetrics};
use std::rc::Rc;
use yew::prelude::*;

/// One chart: a single `html!` component expansion shared by the three.
fn chart(title: &'static str, rows: Rc<Vec<(f64, Vec<f64>)>>, lines: Vec<Line>) -> Html {
    html! { <Chart {title} {rows} {lines} /> }
}

/// One line per lane of `lanes` that has a column under `column`.
fn lane_lines(lanes: &[LaneMetrics], column: fn(u32) -> Option<usize>) -> Vec<Line> {
    lanes
        .iter()
        .filter_map(|l| {
            Some(Line {
                column: column(l.lane)?,
                label: format!("{}. {}", l.lane + 1, l.strategy.label()).into(),
            })
        })
        .collect()
}

/// The charts of the metric `rows`; a race (`is_race`) charts each of `lanes`' live p99 and
/// its drops so far.
pub fn charts(rows: &Rc<Vec<(f64, Vec<f64>)>>, lanes: &[LaneMetrics], is_race: bool) -> Html {
    let first_chart = if is_race {
        let p99 = lane_lines(lanes, BalancingModel::lane_p99_column);
        let dropped = lane_lines(lanes, BalancingModel::lane_dropped_column);
        html! {
            <>
                {chart("Live p99 latency per lane (ms)", rows.clone(), p99)}
                {chart("Dropped so far per lane", rows.clone(), dropped)}
            </>
        }
    } else {
        chart(
            "Live latency percentiles (ms)",
            rows.clone(),
            vec![
                Line {
                    column: BalancingModel::COL_P50_MS,
                    label: "p50".into(),
                },
                Line {
                    column: BalancingModel::COL_P95_MS,
                    label: "p95".into(),
                },
                Line {
                    column: BalancingModel::COL_P99_MS,
                    label: "p99".into(),
                },
            ],
        )
    };
    let throughput = chart(
        "Throughput (requests/s)",
        rows.clone(),
        vec![Line {
            column: BalancingModel::COL_THROUGHPUT_RPS,
            label: "completed per second".into(),
        }],
    );
    html! { <div class="charts">{first_chart}{throughput}</div> }
}
