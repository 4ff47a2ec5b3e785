//! The scaling charts over time: one set-up's load, latency, utilisation, fleet and cost, or
//! two lanes' side by side.

use crate::components::chart::{Chart, Line};
use scalelab_core::scaling::col;
use std::rc::Rc;
use yew::prelude::*;

type Rows = Rc<Vec<(f64, Vec<f64>)>>;

fn l(column: usize, label: &str) -> Line {
    Line {
        column,
        label: label.to_string().into(),
    }
}

/// One chart: a single `html!` component expansion shared by all of them.
fn chart(title: &'static str, rows: &Rows, y_max: Option<f64>, lines: Vec<Line>) -> Html {
    let rows = rows.clone();
    html! { <Chart {title} {rows} {y_max} {lines} /> }
}

/// One set-up's charts; `vertical` charts cores billed where a fleet charts its instances.
pub fn single_charts(rows: &Rows, vertical: bool) -> Html {
    let fleet = if vertical {
        chart("Cores billed", rows, None, vec![l(col::CORES, "cores")])
    } else {
        chart(
            "Instances",
            rows,
            None,
            vec![l(col::READY, "ready"), l(col::WARMING, "warming")],
        )
    };
    html! {
        <div class="charts">
            {chart(
                "Offered load vs ready capacity (req/s)",
                rows,
                None,
                vec![
                    l(col::OFFERED, "offered"),
                    l(col::CAPACITY, "ready capacity"),
                    l(col::SERVED, "served"),
                    l(col::DROPPED, "dropped"),
                ],
            )}
            {chart("p95 latency per tick (ms)", rows, None, vec![l(col::P95, "p95")])}
            {chart(
                "Utilisation of ready capacity (%)",
                rows,
                Some(100.0),
                vec![l(col::UTILISATION, "utilisation")],
            )}
            {fleet}
            {chart("Cost so far (core-seconds)", rows, None, vec![l(col::COST, "core-seconds")])}
        </div>
    }
}

/// Two lanes' charts, lines labelled `a` and `b`.
pub fn compare_charts(rows: &Rows, a: &str, b: &str) -> Html {
    let pair = |ca: usize, cb: usize| vec![l(ca, a), l(cb, b)];
    html! {
        <div class="charts">
            {chart(
                "Offered load vs ready capacity (req/s)",
                rows,
                None,
                vec![
                    l(col::OFFERED, "offered"),
                    l(col::CAPACITY, &format!("{a} capacity")),
                    l(col::L2_CAPACITY, &format!("{b} capacity")),
                ],
            )}
            {chart("p95 latency per tick (ms)", rows, None, pair(col::P95, col::L2_P95))}
            {chart("Dropped (req/s)", rows, None, pair(col::DROPPED, col::L2_DROPPED))}
            {chart("Cost so far (core-seconds)", rows, None, pair(col::COST, col::L2_COST))}
            {chart("Cores billed", rows, None, pair(col::CORES, col::L2_CORES))}
        </div>
    }
}
