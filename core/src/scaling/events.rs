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
    /// The threshold autoscaler, scaling in the least-loaded instance.
    Threshold,
    /// The threshold autoscaler that scales in `instance_<count>` by name.
    ThresholdNaive,
    /// The Kubernetes HPA rule.
    Hpa,
    /// The threshold rule resizing one machine.
    Vertical,
    /// The threshold rule resizing one machine up to a ceiling, then adding machines.
    Hybrid,
}

impl Rule {
    /// Whether its decisions count cores rather than instances (the rules that resize a
    /// machine: vertical, and hybrid, whose machines may differ in size while it grows).
    pub fn counts_cores(self) -> bool {
        matches!(self, Rule::Vertical | Rule::Hybrid)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::Threshold => "The threshold autoscaler",
            Rule::ThresholdNaive => "The naive threshold autoscaler",
            Rule::Hpa => "The HPA",
            Rule::Vertical => "The vertical autoscaler",
            Rule::Hybrid => "The hybrid autoscaler",
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
    /// Requests dropped, % of those offered.
    ErrorRate,
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Metric::Cpu => "CPU",
            Metric::Memory => "memory",
            Metric::RequestRate => "request rate",
            Metric::Replicas => "replicas",
            Metric::ErrorRate => "error rate",
        })
    }
}

/// Why a decision came out the way it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// CPU is above the scale-out line.
    CpuHigh,
    /// Memory is above the scale-out line.
    MemoryHigh,
    /// The request rate is above its share of capacity.
    RateHigh,
    /// The error rate is above the scale-out line.
    ErrorsHigh,
    /// Every reading the rule watches is below its scale-in line (by default CPU, memory and
    /// the request rate).
    AllLow,
    /// The fleet is below the minimum (bound enforcement).
    BelowMin,
    /// The fleet is above the maximum (bound enforcement).
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
            Reason::ErrorsHigh => "the error rate is above the scale-out threshold",
            Reason::AllLow => "every reading it watches is below its scale-in line",
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

/// Which way a rule scales: up/out (more capacity) or down/in (less).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// More capacity: a bigger machine, or more instances.
    Up,
    /// Less capacity: a smaller machine, or fewer instances.
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

/// Why an instance leaves.
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
        /// The tick's end.
        t: SimTime,
        /// The tick's length.
        len: SimDuration,
        /// Requests that arrived.
        offered: u64,
        /// Requests served.
        served: u64,
        /// Arrivals that found no room, plus queued requests lost to a resize.
        dropped: u64,
        /// Requests per second of ready instances.
        capacity_rps: u64,
        /// Served / capacity of ready instances, %.
        utilisation_pct: f64,
        /// Mean memory utilisation of ready instances, %.
        memory_pct: f64,
        /// Requests waiting at the end of the tick.
        backlog: u64,
        /// Instances taking traffic.
        ready: u32,
        /// Instances warming up (or the machine, while resized).
        warming: u32,
        /// Instances working off their queue before they leave.
        draining: u32,
        /// Cores billed this tick.
        cores: u32,
        /// p95 latency of the requests served in this tick, µs.
        p95_us: u64,
    },
    /// An autoscaler read its metrics and chose a size (the same one, when it keeps it).
    Decision {
        /// When.
        t: SimTime,
        /// Which rule decided.
        rule: Rule,
        /// The reading that decided it.
        metric: Metric,
        /// The reading's value.
        value: f64,
        /// The line the metric is compared with (the target, for the HPA).
        threshold: f64,
        /// Replicas (cores, for the vertical rule) before.
        current: u32,
        /// Replicas (cores) after.
        desired: u32,
        /// Why.
        reason: Reason,
    },
    /// An instance started; it warms up before it takes traffic.
    InstanceLaunched {
        /// When.
        t: SimTime,
        /// Its id.
        id: u32,
        /// Its name (`instance_<id>`).
        name: String,
        /// When it takes traffic.
        ready_at: SimTime,
    },
    /// An instance finished warming up and takes traffic.
    InstanceReady {
        /// When.
        t: SimTime,
        /// Its id.
        id: u32,
        /// Its name.
        name: String,
    },
    /// Out of rotation, finishing its queue.
    InstanceDraining {
        /// When.
        t: SimTime,
        /// Its id.
        id: u32,
        /// Its name.
        name: String,
        /// Requests still queued on it.
        backlog: u64,
        /// Why it leaves.
        reason: RemovalReason,
    },
    /// An instance left the fleet (its queue, if any, worked off).
    InstanceRemoved {
        /// When.
        t: SimTime,
        /// Its id.
        id: u32,
        /// Its name.
        name: String,
        /// Why it left.
        reason: RemovalReason,
    },
    /// The naive rule tried to remove `name`, which does not exist: nothing was removed,
    /// yet it now believes it runs `believed` replicas while `actual` are running.
    ScaleInMissed {
        /// When.
        t: SimTime,
        /// The name it tried to remove.
        name: String,
        /// The replica count the rule now believes in.
        believed: u32,
        /// The instances actually running.
        actual: u32,
    },
    /// A rule wanted to scale but the cooldown holds it until `until`.
    CooldownBlocked {
        /// When.
        t: SimTime,
        /// Which rule.
        rule: Rule,
        /// When the cooldown ends.
        until: SimTime,
        /// Which way it wanted to scale.
        wanted: Direction,
    },
    /// The vertical machine is being resized; it is down until `ready_at`.
    Resized {
        /// When.
        t: SimTime,
        /// Its cores before.
        from_cores: u32,
        /// Its cores after.
        to_cores: u32,
        /// How long it is down.
        downtime: SimDuration,
        /// When it is back.
        ready_at: SimTime,
        /// Queued requests lost when the machine went down.
        lost: u64,
    },
    /// The HPA's scale-down window keeps the count above what the rule recommends.
    StabilisationHeld {
        /// When.
        t: SimTime,
        /// What the ratio rule recommends now.
        recommended: u32,
        /// The highest recommendation within the window, which it keeps.
        held_at: u32,
        /// The scale-down stabilisation window.
        window: SimDuration,
    },
    /// An HPA rate policy cut a change short.
    RateLimited {
        /// When.
        t: SimTime,
        /// The count it wanted.
        wanted: u32,
        /// The count the policy allows for now.
        allowed: u32,
        /// Which way.
        direction: Direction,
    },
    /// The offered load changed (from the next tick).
    LoadChanged {
        /// When.
        t: SimTime,
        /// The new load.
        load: ArrivalProcess,
    },
    /// The scaling rule was switched mid-run.
    ModeChanged {
        /// When.
        t: SimTime,
        /// The mode before.
        from: ScalingMode,
        /// The mode after.
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
                let unit = if rule.counts_cores() {
                    "cores"
                } else {
                    "instances"
                };
                let (value, threshold) = (*value, *threshold);
                let reading = match metric {
                    Metric::Cpu | Metric::Memory | Metric::ErrorRate => {
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
                    (Rule::Vertical | Rule::Hybrid, d) => d.to_string(),
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
