//! The scaling charts over time: one set-up's load, latency, utilisation, fleet and cost, or
//! two lanes' side by side.

use crate::components::chart::{time_chart, Line};
use scalelab_core::scaling::ScalingModel;
use std::rc::Rc;
use yew::prelude::*;

type Rows = Rc<Vec<(f64, Vec<f64>)>>;

fn l(column: usize, label: &str) -> Line {
    Line {
        column,
        label: label.to_string().into(),
    }
}

/// One chart over simulated time.
fn chart(title: &'static str, rows: &Rows, y_max: Option<f64>, lines: Vec<Line>) -> Html {
    time_chart(title, rows.clone(), lines, y_max)
}

/// One set-up's charts; `vertical` charts cores billed where a fleet charts its instances.
pub fn single_charts(rows: &Rows, vertical: bool) -> Html {
    let fleet = if vertical {
        chart(
            "Cores billed",
            rows,
            None,
            vec![l(ScalingModel::COL_CORES, "cores")],
        )
    } else {
        chart(
            "Instances",
            rows,
            None,
            vec![
                l(ScalingModel::COL_READY_INSTANCES, "ready"),
                l(ScalingModel::COL_WARMING_INSTANCES, "warming"),
            ],
        )
    };
    html! {
        <div class="charts">
            {chart(
                "Offered load vs ready capacity (req/s)",
                rows,
                None,
                vec![
                    l(ScalingModel::COL_OFFERED_RPS, "offered"),
                    l(ScalingModel::COL_CAPACITY_RPS, "ready capacity"),
                    l(ScalingModel::COL_SERVED_RPS, "served"),
                    l(ScalingModel::COL_DROPPED_RPS, "dropped"),
                ],
            )}
            {chart("p95 latency per tick (ms)", rows, None, vec![l(ScalingModel::COL_P95_MS, "p95")])}
            {chart(
                "CPU, memory and error rate (%)",
                rows,
                Some(100.0),
                vec![
                    l(ScalingModel::COL_UTILISATION_PCT, "CPU"),
                    l(ScalingModel::COL_MEMORY_PCT, "memory"),
                    l(ScalingModel::COL_ERROR_PCT, "error rate"),
                ],
            )}
            {fleet}
            {chart("Cost so far (core-seconds)", rows, None, vec![l(ScalingModel::COL_COST_CORE_SECONDS, "core-seconds")])}
        </div>
    }
}

/// The first two lanes' charts, lines labelled `a` and `b`, and a third lane's capacity,
/// drops, cores and cost labelled `c` when there is one.
pub fn compare_charts(rows: &Rows, a: &str, b: &str, c: Option<&str>) -> Html {
    let lines = |ca: usize, cb: usize, cc: usize| {
        let mut v = vec![l(ca, a), l(cb, b)];
        if let Some(c) = c {
            v.push(l(cc, c));
        }
        v
    };
    let mut capacity = vec![l(ScalingModel::COL_OFFERED_RPS, "offered")];
    capacity.extend(
        lines(
            ScalingModel::COL_CAPACITY_RPS,
            ScalingModel::COL_LANE2_CAPACITY_RPS,
            ScalingModel::COL_LANE3_CAPACITY_RPS,
        )
        .into_iter()
        .map(|mut line| {
            line.label = format!("{} capacity", line.label).into();
            line
        }),
    );
    html! {
        <div class="charts">
            {chart("Offered load vs ready capacity (req/s)", rows, None, capacity)}
            {chart("p95 latency per tick (ms)", rows, None, vec![l(ScalingModel::COL_P95_MS, a), l(ScalingModel::COL_LANE2_P95_MS, b)])}
            {chart("Dropped (req/s)", rows, None, lines(ScalingModel::COL_DROPPED_RPS, ScalingModel::COL_LANE2_DROPPED_RPS, ScalingModel::COL_LANE3_DROPPED_RPS))}
            {chart("Cost so far (core-seconds)", rows, None, lines(ScalingModel::COL_COST_CORE_SECONDS, ScalingModel::COL_LANE2_COST_CORE_SECONDS, ScalingModel::COL_LANE3_COST_CORE_SECONDS))}
            {chart("Cores billed", rows, None, lines(ScalingModel::COL_CORES, ScalingModel::COL_LANE2_CORES, ScalingModel::COL_LANE3_CORES))}
        </div>
    }
}
