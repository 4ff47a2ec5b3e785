//! The system's charts over simulated time: the tail latency, both caches' hit rates, what
//! went wrong, the app tier and the store's load.

use crate::components::chart::{time_chart, Chart, Line};
use crate::components::memo::memo;
use scalelab_core::system::SystemModel;
use std::rc::Rc;
use yew::prelude::*;

type Rows = Rc<Vec<(f64, Vec<f64>)>>;

fn l(column: usize, label: &'static str) -> Line {
    Line {
        column,
        label: label.into(),
    }
}

pub fn charts(rows: &Rows) -> Html {
    let hit_rates = memo(Chart {
        title: "Cache hit rates".into(),
        rows: rows.clone(),
        lines: vec![
            l(SystemModel::COL_L1_HIT_RATE, "L1 (all instances)"),
            l(SystemModel::COL_L2_HIT_RATE, "L2"),
        ],
        y_max: Some(1.0),
        percent: true,
        x_end: None,
    });
    html! {
        <div class="charts">
            {time_chart("p99 latency (ms)", rows.clone(), vec![
                l(SystemModel::COL_RECENT_P99_MS, "recent requests"),
                l(SystemModel::COL_P99_MS, "whole run"),
            ], None)}
            {hit_rates}
            {time_chart("Requests dropped and failed (so far)", rows.clone(), vec![
                l(SystemModel::COL_DROPPED, "dropped"),
                l(SystemModel::COL_FAILED, "failed"),
            ], None)}
            {time_chart("App instances", rows.clone(), vec![
                l(SystemModel::COL_INSTANCES, "running"),
                l(SystemModel::COL_READY_INSTANCES, "serving"),
            ], None)}
            {time_chart("Autoscaler's CPU reading (%)", rows.clone(), vec![
                l(SystemModel::COL_CPU_PCT, "mean CPU"),
            ], Some(100.0))}
            {time_chart("Reads the store answered (so far)", rows.clone(), vec![
                l(SystemModel::COL_STORE_READS, "store reads"),
            ], None)}
        </div>
    }
}
