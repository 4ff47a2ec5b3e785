//! What a scaling model reports, each event with a one-line English narration.

use super::mode::ScalingMode;
use crate::num_text::Fixed;
use crate::sim::{ArrivalProcess, SimDuration, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// Which rule made a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    Threshold,
    ThresholdNaive,
    Hpa,
    Vertical,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::Threshold => "The threshold autoscaler",
            Rule::ThresholdNaive => "The naive threshold autoscaler",
            Rule::Hpa => "The HPA",
            Rule::Vertical => "The vertical autoscaler",
        })
    }
}

/// The reading a decision was based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Utilisation in %.
    Cpu,
    /// Memory utilisation in %.
    Memory,
    /// Requests per second.
    RequestRate,
    /// A replica count (bound enforcement).
    Replicas,
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Metric::Cpu => "CPU",
            Metric::Memory => "memory",
            Metric::RequestRate => "request rate",
            Metric::Replicas => "replicas",
        })
    }
}

/// Why a decision came out the way it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    CpuHigh,
    MemoryHigh,
    RateHigh,
    AllLow,
    BelowMin,
    AboveMax,
    /// Wants more but is at the maximum.
    AtMax,
    /// Wants less but is at the minimum.
    AtMin,
    /// The HPA ratio rule.
    HpaRatio,
    /// The HPA ratio is within the tolerance of 1.
    WithinTolerance,
    /// Nothing ready to measure.
    NoReadyPods,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::CpuHigh => "CPU is above the scale-out threshold",
            Reason::MemoryHigh => "memory is above the scale-out threshold",
            Reason::RateHigh => "the request rate is above its share of capacity",
            Reason::AllLow => "CPU, memory and request rate are all low",
            Reason::BelowMin => "the fleet is below the minimum",
            Reason::AboveMax => "the fleet is above the maximum",
            Reason::AtMax => "it is already at the maximum",
            Reason::AtMin => "it is already at the minimum",
            Reason::HpaRatio => "desired = ceil(ready × current / target)",
            Reason::WithinTolerance => "the ratio is within the tolerance, so nothing changes",
            Reason::NoReadyPods => "no instance is ready to measure",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Up,
    Down,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Up => "up",
            Direction::Down => "down",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemovalReason {
    /// An autoscaler scaled in.
    ScaleIn,
    /// The user removed it.
    Manual,
}

impl fmt::Display for RemovalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RemovalReason::ScaleIn => "scale-in",
            RemovalReason::Manual => "removed by hand",
        })
    }
}

/// Everything a [`super::Service`] reports. Times are simulated; `t` is when it happened
/// (a tick's end for `Tick` and decisions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ServiceEvent {
    /// One tick of traffic, `[t − len, t)`.
    Tick {
        t: SimTime,
        len: SimDuration,
        /// Requests that arrived.
        offered: u64,
        served: u64,
        /// Arrivals that found no room, plus queued requests lost to a resize.
        dropped: u64,
        /// Requests per second of ready instances.
        capacity_rps: u64,
        /// Served / capacity of ready instances, %.
        utilisation_pct: f64,
        memory_pct: f64,
        /// Requests waiting at the end of the tick.
        backlog: u64,
        ready: u32,
        warming: u32,
        draining: u32,
        /// Cores billed this tick.
        cores: u32,
        /// p95 latency of the requests served in this tick, µs.
        p95_us: u64,
    },
    Decision {
        t: SimTime,
        rule: Rule,
        metric: Metric,
        value: f64,
        /// The line the metric is compared with (the target, for the HPA).
        threshold: f64,
        /// Replicas (cores, for the vertical rule) before.
        current: u32,
        desired: u32,
        reason: Reason,
    },
    InstanceLaunched {
        t: SimTime,
        id: u32,
        name: String,
        ready_at: SimTime,
    },
    InstanceReady {
        t: SimTime,
        id: u32,
        name: String,
    },
    /// Out of rotation, finishing its queue.
    InstanceDraining {
        t: SimTime,
        id: u32,
        name: String,
        backlog: u64,
        reason: RemovalReason,
    },
    InstanceRemoved {
        t: SimTime,
        id: u32,
        name: String,
        reason: RemovalReason,
    },
    /// The naive rule tried to remove `name`, which does not exist: nothing was removed,
    /// yet it now believes it runs `believed` replicas while `actual` are running.
    ScaleInMissed {
        t: SimTime,
        name: String,
        believed: u32,
        actual: u32,
    },
    /// A rule wanted to scale but the cooldown holds it until `until`.
    CooldownBlocked {
        t: SimTime,
        rule: Rule,
        until: SimTime,
        wanted: Direction,
    },
    /// The vertical machine is being resized; it is down until `ready_at`.
    Resized {
        t: SimTime,
        from_cores: u32,
        to_cores: u32,
        downtime: SimDuration,
        ready_at: SimTime,
        /// Queued requests lost when the machine went down.
        lost: u64,
    },
    /// The HPA's scale-down window keeps the count above what the rule recommends.
    StabilisationHeld {
        t: SimTime,
        recommended: u32,
        held_at: u32,
        window: SimDuration,
    },
    /// An HPA rate policy cut a change short.
    RateLimited {
        t: SimTime,
        wanted: u32,
        allowed: u32,
        direction: Direction,
    },
    LoadChanged {
        t: SimTime,
        load: ArrivalProcess,
    },
    ModeChanged {
        t: SimTime,
        from: ScalingMode,
        to: ScalingMode,
    },
}

impl ServiceEvent {
    /// When it happened.
    pub fn time(&self) -> SimTime {
        match *self {
            ServiceEvent::Tick { t, .. }
            | ServiceEvent::Decision { t, .. }
            | ServiceEvent::InstanceLaunched { t, .. }
            | ServiceEvent::InstanceReady { t, .. }
            | ServiceEvent::InstanceDraining { t, .. }
            | ServiceEvent::InstanceRemoved { t, .. }
            | ServiceEvent::ScaleInMissed { t, .. }
            | ServiceEvent::CooldownBlocked { t, .. }
            | ServiceEvent::Resized { t, .. }
            | ServiceEvent::StabilisationHeld { t, .. }
            | ServiceEvent::RateLimited { t, .. }
            | ServiceEvent::LoadChanged { t, .. }
            | ServiceEvent::ModeChanged { t, .. } => t,
        }
    }

    /// A one-line sentence for screen-reader narration.
    pub fn narrate(&self) -> String {
        self.to_string()
    }
}

fn ms(us: u64) -> String {
    format!("{} ms", us / 1_000)
}

fn describe_load(p: &ArrivalProcess) -> String {
    match *p {
        ArrivalProcess::Constant { rate } => {
            format!("a constant {} requests per second", Fixed(rate, 0))
        }
        ArrivalProcess::Poisson { rate } => {
            format!(
                "random arrivals averaging {} requests per second",
                Fixed(rate, 0)
            )
        }
        ArrivalProcess::Spike {
            base,
            peak,
            period,
            spike_len,
        } => format!(
            "{} requests per second with spikes to {} for {spike_len} every {period}",
            Fixed(base, 0),
            Fixed(peak, 0)
        ),
        ArrivalProcess::Ramp { from, to, over } => {
            format!(
                "a ramp from {} to {} requests per second over {over}",
                Fixed(from, 0),
                Fixed(to, 0)
            )
        }
        ArrivalProcess::Diurnal {
            mean,
            amplitude,
            period,
        } => format!(
            "a daily wave around {} requests per second (±{} %) every {period}",
            Fixed(mean, 0),
            Fixed(amplitude * 100.0, 0)
        ),
    }
}

impl fmt::Display for ServiceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceEvent::Tick {
                t,
                offered,
                served,
                dropped,
                capacity_rps,
                utilisation_pct,
                backlog,
                ready,
                warming,
                p95_us,
                ..
            } => write!(
                f,
                "At {t}: {offered} requests arrived, {served} served, {dropped} dropped, \
                 {backlog} waiting; {ready} ready and {warming} warming instances give \
                 {capacity_rps} requests per second at {} % utilisation; \
                 p95 latency {}.",
                Fixed(*utilisation_pct, 0),
                ms(*p95_us)
            ),
            ServiceEvent::Decision {
                t,
                rule,
                metric,
                value,
                threshold,
                current,
                desired,
                reason,
            } => {
                let unit = if *rule == Rule::Vertical {
                    "cores"
                } else {
                    "instances"
                };
                let (value, threshold) = (*value, *threshold);
                let reading = match metric {
                    Metric::Cpu | Metric::Memory => {
                        format!(
                            "{metric} at {} % (line {} %)",
                            Fixed(value, 1),
                            Fixed(threshold, 0)
                        )
                    }
                    Metric::RequestRate => format!(
                        "{metric} at {} per second (line {} per second)",
                        Fixed(value, 0),
                        Fixed(threshold, 0)
                    ),
                    Metric::Replicas => {
                        format!("{} {unit} (bound {})", Fixed(value, 0), Fixed(threshold, 0))
                    }
                };
                if current == desired {
                    write!(
                        f,
                        "At {t}: {rule} reads {reading} and keeps {current} {unit}: {reason}."
                    )
                } else {
                    write!(
                        f,
                        "At {t}: {rule} reads {reading} and goes from {current} to {desired} \
                         {unit}: {reason}."
                    )
                }
            }
            ServiceEvent::InstanceLaunched {
                t, name, ready_at, ..
            } => write!(
                f,
                "At {t}: {name} launched; it warms up and takes traffic from {ready_at}."
            ),
            ServiceEvent::InstanceReady { t, name, .. } => {
                write!(f, "At {t}: {name} is ready and takes traffic.")
            }
            ServiceEvent::InstanceDraining {
                t,
                name,
                backlog,
                reason,
                ..
            } => write!(
                f,
                "At {t}: {name} is draining ({reason}): no new requests, {backlog} still queued."
            ),
            ServiceEvent::InstanceRemoved {
                t, name, reason, ..
            } => {
                write!(f, "At {t}: {name} removed ({reason}).")
            }
            ServiceEvent::ScaleInMissed {
                t,
                name,
                believed,
                actual,
            } => write!(
                f,
                "At {t}: the naive autoscaler tried to remove {name}, which does not exist; \
                 nothing was removed, but it now believes it runs {believed} instances while \
                 {actual} are running."
            ),
            ServiceEvent::CooldownBlocked {
                t,
                rule,
                until,
                wanted,
            } => {
                let way = match (rule, wanted) {
                    (Rule::Vertical, d) => d.to_string(),
                    (_, Direction::Up) => String::from("out"),
                    (_, Direction::Down) => String::from("in"),
                };
                write!(
                    f,
                    "At {t}: {rule} wants to scale {way} but is cooling down until {until}."
                )
            }
            ServiceEvent::Resized {
                t,
                from_cores,
                to_cores,
                downtime,
                ready_at,
                lost,
            } => write!(
                f,
                "At {t}: the machine is resized from {from_cores} to {to_cores} cores; it is \
                 down for {downtime} until {ready_at}, and {lost} queued requests were lost."
            ),
            ServiceEvent::StabilisationHeld {
                t,
                recommended,
                held_at,
                window,
            } => write!(
                f,
                "At {t}: the HPA recommends {recommended} replicas but holds {held_at}, the \
                 highest recommendation of the last {window}."
            ),
            ServiceEvent::RateLimited {
                t,
                wanted,
                allowed,
                direction,
            } => write!(
                f,
                "At {t}: the HPA wanted {wanted} replicas, but its scale-{direction} policy \
                 allows {allowed} for now."
            ),
            ServiceEvent::LoadChanged { t, load } => {
                write!(f, "At {t}: the load is now {}.", describe_load(load))
            }
            ServiceEvent::ModeChanged { t, from, to } => {
                write!(f, "At {t}: scaling mode changed from {from} to {to}.")
            }
        }
    }
}
