//! The charts under the counters: in a race, each lane's L1 hit rate; then windowed hit rates,
//! origin loads, evictions by reason and L1's fill, each a line per metric column.

use crate::components::chart::{Chart, Line};
use scalelab_core::caching::{CachingModel, HIT_WINDOW};
use std::rc::Rc;
use yew::prelude::*;

/// One chart: a single `html!` component expansion shared by them all.
fn chart(
    title: AttrValue,
    rows: &Rc<Vec<(f64, Vec<f64>)>>,
    percent: bool,
    lines: Vec<Line>,
) -> Html {
    let rows = rows.clone();
    let y_max = percent.then_some(1.0);
    html! { <Chart {title} {rows} {y_max} {percent} {lines} /> }
}

fn line(column: usize, label: &'static str) -> Line {
    Line {
        column,
        label: label.into(),
    }
}

/// The charts of the metric `rows`; a race's `lanes` (one line per lane) come first.
pub fn charts(rows: &Rc<Vec<(f64, Vec<f64>)>>, lanes: Option<Vec<Line>>) -> Html {
    html! {
        <div class="charts">
            {lanes.map(|lines| chart(
                format!("L1 hit rate per lane over the last {HIT_WINDOW} lookups").into(),
                rows,
                true,
                lines,
            ))}
            {chart(
                format!("Hit rate over the last {HIT_WINDOW} lookups").into(),
                rows,
                true,
                vec![
                    line(CachingModel::COL_L1_HIT_RATE, "L1"),
                    line(CachingModel::COL_L2_HIT_RATE, "L2"),
                    line(CachingModel::COL_OVERALL_HIT_RATE, "overall (reads not sent to origin)"),
                ],
            )}
            {chart(
                "Origin loads (total)".into(),
                rows,
                false,
                vec![line(CachingModel::COL_ORIGIN_LOADS, "loads")],
            )}
            {chart(
                "Evictions by reason (total, L1 + L2)".into(),
                rows,
                false,
                vec![
                    line(CachingModel::COL_EVICTIONS_CAPACITY, "capacity"),
                    line(CachingModel::COL_EVICTIONS_EXPIRED, "expiry"),
                    line(CachingModel::COL_EVICTIONS_EXPLICIT, "explicit"),
                ],
            )}
            {chart(
                "L1 entries".into(),
                rows,
                false,
                vec![line(CachingModel::COL_L1_LEN, "entries")],
            )}
        </div>
    }
}
