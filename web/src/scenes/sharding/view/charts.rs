//! The four charts under the drawings, each over the model's metric columns: imbalance,
//! unreadable and stale keys, keys moved and in flight, reads per second.

use crate::components::chart::{time_chart, Line};
use scalelab_core::sharding::ShardingModel;
use std::rc::Rc;
use yew::prelude::*;

fn line(column: usize, label: &'static str) -> Line {
    Line {
        column,
        label: label.into(),
    }
}

/// One chart over simulated time.
fn chart(title: &'static str, rows: &Rc<Vec<(f64, Vec<f64>)>>, lines: Vec<Line>) -> Html {
    time_chart(title, rows.clone(), lines, None)
}

/// The charts over `series`, the metric rows sampled so far.
pub fn charts(series: &Rc<Vec<(f64, Vec<f64>)>>) -> Html {
    html! {
        <div class="charts">
            { chart(
                "Keys per shard: max / average",
                series,
                vec![line(ShardingModel::COL_IMBALANCE, "max/avg")],
            ) }
            { chart(
                "Unreadable and stale keys",
                series,
                vec![
                    line(ShardingModel::COL_UNREADABLE_KEYS, "unreadable"),
                    line(ShardingModel::COL_STALE_KEYS, "stale"),
                ],
            ) }
            { chart(
                "Keys moved",
                series,
                vec![
                    line(ShardingModel::COL_KEYS_MOVED, "moved so far"),
                    line(ShardingModel::COL_KEYS_IN_FLIGHT, "in flight"),
                ],
            ) }
            { chart(
                "Reads per second (average)",
                series,
                vec![line(ShardingModel::COL_READS_PER_S, "reads/s")],
            ) }
        </div>
    }
}
