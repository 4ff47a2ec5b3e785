//! From the scene's settings to a core scaling config (one set-up) or comparison config.

use crate::params::{ParamKind, ParamSpec, ParamValues};
use scalelab_core::scaling::{
    ComparisonConfig, HpaConfig, HybridConfig, InstanceConfig, LaneConfig, LoadShape,
    ScalingConfig, ScalingError, ScalingMode, ScalingModel, ScalingRules, ServiceConfig,
    ThresholdConfig, TriggerMetrics, VerticalConfig,
};
use scalelab_core::sim::{ArrivalProcess, SimDuration};

/// Mode names as the core spells them (its serde names), with labels for the form.
pub const MODES: &[(&str, &str)] = &[
    ("threshold", "Threshold autoscaler"),
    (
        "threshold-naive",
        "Threshold (naive scale-in, as the guide)",
    ),
    ("hpa", "Kubernetes HPA rule"),
    ("manual", "Manual (you add and remove)"),
    ("vertical", "Vertical: one machine, resized"),
    ("hybrid", "Hybrid: scale up to a ceiling, then out"),
];

/// Trigger names as the core spells them (its serde names).
const TRIGGERS: &[(&str, &str)] = &[
    ("guide", "CPU or memory, or request rate (the guide's rule)"),
    ("cpu", "CPU only"),
    ("memory", "Memory only"),
    ("error-rate", "Error rate only"),
    ("any", "CPU, memory or error rate (the guide's Metrics)"),
];

fn parse_trigger(s: &str) -> TriggerMetrics {
    match s {
        "cpu" => TriggerMetrics::Cpu,
        "memory" => TriggerMetrics::Memory,
        "error-rate" => TriggerMetrics::ErrorRate,
        "any" => TriggerMetrics::Any,
        _ => TriggerMetrics::Guide,
    }
}

const SHAPES: &[(&str, &str)] = &[
    (
        "preset",
        "The view's preset (day/night wave; spikes for vertical vs horizontal)",
    ),
    ("diurnal", "Day/night wave (20 min)"),
    ("ramp", "Ramp up over 10 min"),
    ("spike", "Spikes (3 min every 10 min)"),
    ("constant", "Constant"),
    ("poisson", "Random (Poisson) at the peak"),
];

pub const MIN_RATE: i64 = LoadShape::MIN_PEAK as i64;
pub const MAX_RATE: i64 = LoadShape::MAX_PEAK as i64;
const MIN_CAPACITY: i64 = 10;
const MAX_CAPACITY: i64 = 10_000;
const MAX_MIN: i64 = 20;
const MAX_MAX: i64 = 50;
const MAX_BOOT_S: i64 = 600;
const MAX_COOLDOWN_S: i64 = 1_800;
const MAX_METRIC_DELAY_S: i64 = 120;
const MAX_WINDOW_S: i64 = 1_800;
const MAX_TOLERANCE_PCT: i64 = 50;
/// The hybrid ceiling's range: from the 2-core machine every set-up starts with to the
/// largest machine on offer.
const MIN_CEILING: i64 = 2;
const MAX_CEILING: i64 = 32;

pub static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "view",
        label: "View",
        help: "One set-up, or two side by side on the identical load",
        kind: ParamKind::Choice {
            options: &[
                ("single", "One set-up"),
                ("compare-vh", "Compare: vertical vs horizontal"),
                ("compare-th", "Compare: threshold vs HPA"),
                ("compare-vhy", "Compare: vertical vs horizontal vs hybrid"),
                ("compare-tn", "Compare: threshold vs the guide's naive scale-in"),
            ],
            default: "single",
        },
    },
    ParamSpec {
        key: "mode",
        label: "Scaling (one set-up)",
        help: "Who decides the fleet size: a threshold rule, the HPA, you, or one resized machine",
        kind: ParamKind::Choice {
            options: MODES,
            default: "threshold",
        },
    },
    ParamSpec {
        key: "shape",
        label: "Load shape",
        help: "How the offered requests per second change over time",
        kind: ParamKind::Choice {
            options: SHAPES,
            default: "preset",
        },
    },
    ParamSpec {
        key: "peak",
        label: "Peak load (req/s)",
        help: "The highest offered load of the shape",
        kind: ParamKind::Int {
            min: MIN_RATE,
            max: MAX_RATE,
            default: 2_700,
        },
    },
    ParamSpec {
        key: "capacity",
        label: "Capacity per instance (req/s)",
        help: "What one ready instance (or one core of the vertical machine) serves",
        kind: ParamKind::Int {
            min: MIN_CAPACITY,
            max: MAX_CAPACITY,
            default: 500,
        },
    },
    ParamSpec {
        key: "min",
        label: "Minimum instances",
        help: "The autoscaler's lower bound, and the fleet at the start",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_MIN,
            default: 2,
        },
    },
    ParamSpec {
        key: "max",
        label: "Maximum instances",
        help: "The autoscaler's upper bound (raised to the minimum if below it)",
        kind: ParamKind::Int {
            min: 1,
            max: MAX_MAX,
            default: 10,
        },
    },
    ParamSpec {
        key: "warmup",
        label: "Boot time (s)",
        help: "A new instance's warm-up before it takes traffic; the vertical machine is down this long while resized",
        kind: ParamKind::Int {
            min: 0,
            max: MAX_BOOT_S,
            default: 30,
        },
    },
    ParamSpec {
        key: "cooldown",
        label: "Cooldown (s)",
        help: "The threshold rule waits this long after one scaling action before the next",
        kind: ParamKind::Int {
            min: 0,
            max: MAX_COOLDOWN_S,
            default: 60,
        },
    },
    ParamSpec {
        key: "up",
        label: "Scale out above (% CPU or memory)",
        help: "The threshold rule adds an instance when average CPU or memory passes this",
        // Above the scale-in default and …
        kind: ParamKind::Int {
            min: 31,
            max: 100,
            default: 70,
        },
    },
    ParamSpec {
        key: "down",
        label: "Scale in below (% CPU and memory)",
        help: "The threshold rule removes an instance when CPU and memory are both under this (it must be below the scale-out threshold)",
        // … below the scale-out default, so either alone is always a valid set-up.
        kind: ParamKind::Int {
            min: 0,
            max: 69,
            default: 30,
        },
    },
    ParamSpec {
        key: "trigger",
        label: "Scale on",
        help: "Which readings the threshold rule watches: any one above its line scales out, all below scale in",
        kind: ParamKind::Choice {
            options: TRIGGERS,
            default: "guide",
        },
    },
    ParamSpec {
        key: "errup",
        label: "Scale out above (% errors)",
        help: "With the error rate watched: add an instance when more than this share of a second's requests is dropped",
        kind: ParamKind::Int {
            min: 1,
            max: 100,
            default: 5,
        },
    },
    ParamSpec {
        key: "errdown",
        label: "Scale in below (% errors)",
        help: "With the error rate watched: remove an instance only when fewer than this share are dropped (kept below the scale-out line)",
        kind: ParamKind::Int {
            min: 0,
            max: 99,
            default: 1,
        },
    },
    ParamSpec {
        key: "ceiling",
        label: "Hybrid ceiling (cores)",
        help: "The hybrid rule doubles one machine up to this size (the largest that doubling from 2 reaches), then adds machines of that size",
        kind: ParamKind::Int {
            min: MIN_CEILING,
            max: MAX_CEILING,
            default: 4,
        },
    },
    ParamSpec {
        key: "lag",
        label: "Metric delay (s)",
        help: "How old the readings the autoscaler sees are: real metrics pipelines lag, and a late reading makes a rule over- and under-shoot",
        kind: ParamKind::Int {
            min: 0,
            max: MAX_METRIC_DELAY_S,
            default: 0,
        },
    },
    ParamSpec {
        key: "target",
        label: "HPA target CPU (%)",
        help: "The utilisation the HPA steers towards: desired = ceil(ready × current / target)",
        kind: ParamKind::Int {
            min: 10,
            max: 100,
            default: 50,
        },
    },
    ParamSpec {
        key: "window",
        label: "HPA scale-in window (s)",
        help: "The HPA scales in only to the highest recommendation of this many seconds, so a brief dip does not remove instances (Kubernetes: 300)",
        kind: ParamKind::Int {
            min: 0,
            max: MAX_WINDOW_S,
            default: 300,
        },
    },
    ParamSpec {
        key: "tolerance",
        label: "HPA tolerance (%)",
        help: "The HPA leaves the count alone while current ÷ target is within this of 1 (Kubernetes: 10)",
        kind: ParamKind::Int {
            min: 0,
            max: MAX_TOLERANCE_PCT,
            default: 10,
        },
    },
];

/// A load shape's name in a link and in the form.
pub fn shape_name(s: LoadShape) -> &'static str {
    match s {
        LoadShape::Diurnal => "diurnal",
        LoadShape::Ramp => "ramp",
        LoadShape::Spike => "spike",
        LoadShape::Constant => "constant",
        LoadShape::Poisson => "poisson",
    }
}

pub fn parse_shape(s: &str) -> Option<LoadShape> {
    LoadShape::ALL.into_iter().find(|x| shape_name(*x) == s)
}

pub fn parse_mode(s: &str) -> Option<ScalingMode> {
    Some(match s {
        "manual" => ScalingMode::Manual,
        "threshold" => ScalingMode::Threshold,
        "threshold-naive" => ScalingMode::ThresholdNaive,
        "hpa" => ScalingMode::Hpa,
        "vertical" => ScalingMode::Vertical,
        "hybrid" => ScalingMode::Hybrid,
        _ => return None,
    })
}

pub fn mode_name(m: ScalingMode) -> &'static str {
    match m {
        ScalingMode::Manual => "manual",
        ScalingMode::Threshold => "threshold",
        ScalingMode::ThresholdNaive => "threshold-naive",
        ScalingMode::Hpa => "hpa",
        ScalingMode::Vertical => "vertical",
        ScalingMode::Hybrid => "hybrid",
    }
}

/// Which comparison a view asks for, if any.
fn comparison_preset(view: &str) -> Option<ComparisonConfig> {
    match view {
        "compare-vh" => Some(ComparisonConfig::vertical_vs_horizontal()),
        "compare-th" => Some(ComparisonConfig::threshold_vs_hpa()),
        "compare-vhy" => Some(ComparisonConfig::up_out_hybrid()),
        "compare-tn" => Some(ComparisonConfig::threshold_vs_naive()),
        _ => None,
    }
}

/// The load shape in effect: "preset" is the view's core preset shape.
pub fn shape(p: &ParamValues) -> LoadShape {
    match parse_shape(p.choice("shape")) {
        Some(s) => s,
        None if p.choice("view").starts_with("compare-vh") => LoadShape::Spike,
        None => LoadShape::Diurnal,
    }
}

pub fn peak(p: &ParamValues) -> u32 {
    p.int("peak").clamp(MIN_RATE, MAX_RATE) as u32
}

pub fn load(p: &ParamValues) -> ArrivalProcess {
    shape(p).process(peak(p))
}

/// One set-up's core config in `mode`, from the settings.
pub fn service_config(p: &ParamValues, seed: u64, mode: ScalingMode) -> ServiceConfig {
    let capacity = p.int("capacity").clamp(MIN_CAPACITY, MAX_CAPACITY) as u64;
    let min = p.int("min").clamp(1, MAX_MIN) as u32;
    let max = (p.int("max").clamp(1, MAX_MAX) as u32).max(min);
    let boot = SimDuration::from_secs(p.int("warmup").clamp(0, MAX_BOOT_S) as u64);
    let cooldown = SimDuration::from_secs(p.int("cooldown").clamp(0, MAX_COOLDOWN_S) as u64);
    let base = ServiceConfig::with_mode(mode);
    let hpa = HpaConfig::default();
    let err_up = p.int("errup").clamp(1, 100);
    ServiceConfig {
        seed,
        load: load(p),
        initial_instances: min,
        min_replicas: min,
        max_replicas: max,
        instance: InstanceConfig {
            capacity_rps: capacity,
            warmup: boot,
            ..InstanceConfig::default()
        },
        threshold: ThresholdConfig {
            cooldown,
            up_pct: p.int("up").clamp(31, 100) as f64,
            down_pct: p.int("down").clamp(0, 69) as f64,
            trigger: parse_trigger(p.choice("trigger")),
            error_up_pct: err_up as f64,
            // Below the scale-out line, so every pair of settings is a valid rule.
            error_down_pct: p.int("errdown").clamp(0, err_up - 1) as f64,
            ..ThresholdConfig::default()
        },
        hpa: HpaConfig {
            target_cpu_pct: p.int("target").clamp(10, 100) as f64,
            tolerance: p.int("tolerance").clamp(0, MAX_TOLERANCE_PCT) as f64 / 100.0,
            scale_down: ScalingRules {
                stabilization_window: SimDuration::from_secs(
                    p.int("window").clamp(0, MAX_WINDOW_S) as u64,
                ),
                ..hpa.scale_down.clone()
            },
            ..hpa
        },
        // One reading per tick (a second), so the delay in seconds is in ticks.
        metric_delay_ticks: p.int("lag").clamp(0, MAX_METRIC_DELAY_S) as u32,
        // One core serves what one instance serves, so costs compare like for like.
        vertical: VerticalConfig {
            rps_per_core: capacity,
            resize_downtime: boot,
            ..VerticalConfig::default()
        },
        hybrid: HybridConfig {
            ceiling_cores: p.int("ceiling").clamp(MIN_CEILING, MAX_CEILING) as u32,
        },
        ..base
    }
}

/// The comparison for a compare view: the core preset's lanes, each configured from the
/// settings, on the settings' load.
pub fn comparison_config(p: &ParamValues, seed: u64) -> Option<ComparisonConfig> {
    let preset = comparison_preset(p.choice("view"))?;
    Some(ComparisonConfig {
        seed,
        load: load(p),
        lanes: preset
            .lanes
            .iter()
            .map(|l| LaneConfig {
                label: l.label.clone(),
                config: service_config(p, seed, l.config.mode),
            })
            .collect(),
        ..preset
    })
}

/// The family config the settings describe: a comparison for a compare view, else one
/// unlabelled set-up in the chosen mode.
pub fn scaling_config(p: &ParamValues, seed: u64) -> ScalingConfig {
    match comparison_config(p, seed) {
        Some(c) => ScalingConfig::Compare(c),
        None => {
            let mode = parse_mode(p.choice("mode")).unwrap_or(ScalingMode::Threshold);
            ScalingConfig::Single(LaneConfig {
                label: String::new(),
                config: service_config(p, seed, mode),
            })
        }
    }
}

pub fn build_model(p: &ParamValues, seed: u64) -> Result<ScalingModel, ScalingError> {
    ScalingModel::new(scaling_config(p, seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_names_are_the_core_names() {
        for (name, _) in MODES {
            let mode = parse_mode(name).unwrap();
            assert_eq!(mode_name(mode), *name);
            // The core's own (serde) spelling.
            assert_eq!(serde_json::to_value(mode).unwrap(), *name);
        }
    }

    #[test]
    fn defaults_are_the_core_preset() {
        let p = ParamValues::defaults(SPECS);
        let cfg = service_config(&p, 42, ScalingMode::Threshold);
        assert_eq!(cfg, ServiceConfig::default());
        assert_eq!(scaling_config(&p, 42), ScalingConfig::default());
        let vh = comparison_config(&vh_params(), 42).unwrap();
        let preset = ComparisonConfig::vertical_vs_horizontal();
        assert_eq!(vh.lanes.len(), preset.lanes.len());
        assert!(matches!(vh.load, ArrivalProcess::Spike { .. }));
    }

    fn vh_params() -> ParamValues {
        let mut p = ParamValues::defaults(SPECS);
        p.set("view", spec_value("view", "compare-vh"));
        p
    }

    #[test]
    fn every_setting_extreme_builds() {
        for view in [
            "single",
            "compare-vh",
            "compare-th",
            "compare-vhy",
            "compare-tn",
        ] {
            for spec in SPECS {
                for raw in spec.extremes() {
                    let mut p = ParamValues::defaults(SPECS);
                    p.set("view", spec_value("view", view));
                    p.set(spec.key, spec.parse(&raw).unwrap());
                    build_model(&p, 1)
                        .unwrap_or_else(|e| panic!("view={view} {}={raw}: {e}", spec.key));
                }
            }
        }
        // Every mode with every extreme of the fleet settings at once.
        for (mode, _) in MODES {
            for (min, max, cap, boot) in [(1, 1, 10, 0), (20, 50, 10_000, 600), (20, 1, 10, 600)] {
                let mut p = ParamValues::defaults(SPECS);
                p.set("mode", spec_value("mode", mode));
                p.set("min", spec_value("min", &min.to_string()));
                p.set("max", spec_value("max", &max.to_string()));
                p.set("capacity", spec_value("capacity", &cap.to_string()));
                p.set("warmup", spec_value("warmup", &boot.to_string()));
                build_model(&p, 7).unwrap_or_else(|e| panic!("{mode} {min}/{max}: {e}"));
            }
        }
    }

    #[test]
    fn trigger_names_are_the_core_names() {
        for (name, _) in TRIGGERS {
            let t = parse_trigger(name);
            assert_eq!(serde_json::to_value(t).unwrap(), *name);
        }
    }

    #[test]
    fn shape_names_round_trip() {
        for s in LoadShape::ALL {
            assert_eq!(parse_shape(shape_name(s)), Some(s));
            assert!(SHAPES.iter().any(|(name, _)| *name == shape_name(s)));
        }
    }

    #[test]
    fn naive_mode_builds_the_naive_core_mode() {
        let mut p = ParamValues::defaults(SPECS);
        p.set("mode", spec_value("mode", "threshold-naive"));
        let m = build_model(&p, 42).unwrap();
        assert_eq!(
            m.lane(0).unwrap().service().mode(),
            ScalingMode::ThresholdNaive
        );
        assert!(!m.is_comparison());
    }

    pub(crate) fn spec_value(key: &str, raw: &str) -> crate::params::ParamValue {
        SPECS
            .iter()
            .find(|s| s.key == key)
            .unwrap()
            .parse(raw)
            .unwrap()
    }
}
