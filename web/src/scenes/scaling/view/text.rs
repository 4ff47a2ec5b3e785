//! The scaling view's words and numbers: durations, times, mode names, lane titles.

// `{}` of an f64 goes through Num or `fixed` (the same text for these numbers), so Rust's
// float formatter is not linked into the page.
use crate::fixed::fixed;
use scalelab_core::scaling::{Lane, ScalingMode, ServiceConfig};
use scalelab_core::sim::SimTime;

/// A latency in µs, in ms: one decimal below 100 ms.
pub fn ms(us: u64) -> String {
    let v = us as f64 / 1_000.0;
    if v >= 100.0 {
        format!("{} ms", fixed(v, 0))
    } else {
        format!("{} ms", fixed(v, 1))
    }
}

/// A simulated time in whole seconds.
pub fn secs(t: SimTime) -> String {
    format!("{} s", fixed(t.as_secs_f64(), 0))
}

pub fn mode_label(m: ScalingMode) -> &'static str {
    match m {
        ScalingMode::Manual => "manual",
        ScalingMode::Threshold => "threshold autoscaler",
        ScalingMode::ThresholdNaive => "threshold, naive scale-in",
        ScalingMode::Hpa => "Kubernetes HPA",
        ScalingMode::Vertical => "vertical (one machine)",
        ScalingMode::Hybrid => "hybrid (up to a ceiling, then out)",
    }
}

/// The line under a fleet a rule sizes, naming the room its drawing keeps: "room for the
/// autoscaler's 2–10 instances".
pub fn fleet_room(mode: ScalingMode, config: &ServiceConfig) -> String {
    let max = config.max_replicas;
    if mode == ScalingMode::Hybrid {
        format!("room for the hybrid rule's {max} machines")
    } else {
        format!(
            "room for the autoscaler's {}–{max} instances",
            config.min_replicas
        )
    }
}

/// The lane's label and mode ("vertical — vertical (one machine)" says it once).
pub fn lane_title(lane: &Lane) -> String {
    let label = lane.label();
    let mode = mode_label(lane.service().mode());
    if label.is_empty() || mode.contains(label) {
        mode.to_string()
    } else {
        format!("{label} — {mode}")
    }
}
