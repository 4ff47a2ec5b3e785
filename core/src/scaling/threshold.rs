//! The threshold autoscaler, as the common tutorials write it.
//!
//! Scale out (one instance) when CPU or memory is above the up-threshold, or the request rate
//! is above a share of capacity; scale in when CPU *and* memory are below the down-threshold
//! *and* the rate is under a smaller share of capacity; never closer together than the
//! cooldown. Game-style autoscalers (Server Survival) and cloud "simple scaling" policies work
//! this way; its weakness next to the HPA is that it moves one instance per cooldown.
//!
//! Which readings it watches is a choice ([`TriggerMetrics`]): the guide's rule reads CPU,
//! memory and the request rate; its `Metrics` also carry an error rate. Whatever the set, the
//! guide's combination holds: any one reading above its line scales out, and all of them below
//! their lines scale in.

use super::decision::MetricCheck;
use super::error::{check_duration, ScalingError};
use super::events::{Metric, Reason};
use crate::sim::{check_range, limits, SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// The threshold rule's lines and cooldown; the default is 70 % / 30 %, 80 % / 30 % of
/// capacity in requests, 60 s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThresholdConfig {
    /// Scale out when CPU or memory utilisation (%) is above this.
    pub up_pct: f64,
    /// Scale in only when CPU and memory utilisation (%) are below this.
    pub down_pct: f64,
    /// Scale out when the request rate is above this share of ready capacity (0.8 = 80 %).
    pub rate_up_fraction: f64,
    /// Scale in only when the request rate is under this share of ready capacity.
    pub rate_down_fraction: f64,
    /// No scaling action within this long of the previous one.
    pub cooldown: SimDuration,
    /// Which readings the rule scales on.
    pub trigger: TriggerMetrics,
    /// Scale out when the error rate (% of the tick's requests dropped) is above this, when
    /// the error rate is watched.
    pub error_up_pct: f64,
    /// Scale in only when the error rate (%) is below this, when it is watched.
    pub error_down_pct: f64,
}

/// The readings the threshold rule scales on. Any watched reading above its line scales out;
/// all of them below their lines scale in, as the guide combines them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TriggerMetrics {
    /// The guide's rule: CPU or memory above the line, or the request rate above its share
    /// of capacity.
    #[default]
    Guide,
    /// CPU alone.
    Cpu,
    /// Memory alone.
    Memory,
    /// The error rate alone: the share of requests dropped.
    ErrorRate,
    /// CPU, memory or the error rate: the three readings of the guide's `Metrics`.
    Any,
}

impl TriggerMetrics {
    /// The readings watched, in the order the rule checks them.
    pub fn metrics(self) -> &'static [Metric] {
        match self {
            TriggerMetrics::Guide => &[Metric::Cpu, Metric::Memory, Metric::RequestRate],
            TriggerMetrics::Cpu => &[Metric::Cpu],
            TriggerMetrics::Memory => &[Metric::Memory],
            TriggerMetrics::ErrorRate => &[Metric::ErrorRate],
            TriggerMetrics::Any => &[Metric::Cpu, Metric::Memory, Metric::ErrorRate],
        }
    }
}

impl Default for ThresholdConfig {
    fn default() -> Self {
        ThresholdConfig {
            up_pct: 70.0,
            down_pct: 30.0,
            rate_up_fraction: 0.8,
            rate_down_fraction: 0.3,
            cooldown: SimDuration::from_secs(60),
            trigger: TriggerMetrics::Guide,
            error_up_pct: 5.0,
            error_down_pct: 1.0,
        }
    }
}

impl ThresholdConfig {
    /// Checks every line against its range, and each scale-in line below its scale-out line.
    pub fn validate(&self) -> Result<(), ScalingError> {
        check_range("scale-out threshold (%)", self.up_pct, 0.0, 100.0)?;
        check_range("scale-in threshold (%)", self.down_pct, 0.0, 100.0)?;
        if self.down_pct >= self.up_pct {
            return Err(ScalingError::ThresholdsInverted {
                field: "CPU/memory thresholds (%)",
                down: self.down_pct,
                up: self.up_pct,
            });
        }
        check_range(
            "scale-out request-rate share of capacity",
            self.rate_up_fraction,
            0.0,
            1.0,
        )?;
        check_range(
            "scale-in request-rate share of capacity",
            self.rate_down_fraction,
            0.0,
            1.0,
        )?;
        if self.rate_down_fraction >= self.rate_up_fraction {
            return Err(ScalingError::ThresholdsInverted {
                field: "request-rate shares of capacity",
                down: self.rate_down_fraction,
                up: self.rate_up_fraction,
            });
        }
        check_range("scale-out error rate (%)", self.error_up_pct, 0.0, 100.0)?;
        check_range("scale-in error rate (%)", self.error_down_pct, 0.0, 100.0)?;
        if self.error_down_pct >= self.error_up_pct {
            return Err(ScalingError::ThresholdsInverted {
                field: "error-rate thresholds (%)",
                down: self.error_down_pct,
                up: self.error_up_pct,
            });
        }
        check_duration(
            "cooldown",
            self.cooldown,
            SimDuration::ZERO,
            SimDuration(limits::MAX_DURATION_MICROS),
        )?;
        Ok(())
    }

    /// One watched reading against its two lines.
    pub fn check(&self, metric: Metric, o: &Observation) -> MetricCheck {
        let (value, up, down) = match metric {
            Metric::Memory => (o.memory_pct, self.up_pct, self.down_pct),
            Metric::RequestRate => (
                o.rate_rps,
                self.rate_up_fraction * o.capacity_rps,
                self.rate_down_fraction * o.capacity_rps,
            ),
            Metric::ErrorRate => (o.error_pct, self.error_up_pct, self.error_down_pct),
            Metric::Cpu | Metric::Replicas => (o.cpu_pct, self.up_pct, self.down_pct),
        };
        MetricCheck {
            metric,
            value,
            up,
            down,
        }
    }

    /// What the rule wants from one reading, before bounds and cooldown: out on the first
    /// watched reading above its line, in when every one is below its line.
    pub fn wish(&self, o: &Observation) -> ThresholdVerdict {
        let watched = self.trigger.metrics();
        for &m in watched {
            let c = self.check(m, o);
            if c.above() {
                return ThresholdVerdict::Up(Trigger::new(reason_high(m), m, c.value, c.up));
            }
        }
        if watched.iter().all(|&m| self.check(m, o).below()) {
            let first = watched.first().copied().unwrap_or(Metric::Cpu);
            let c = self.check(first, o);
            return ThresholdVerdict::Down(Trigger::new(Reason::AllLow, first, c.value, c.down));
        }
        ThresholdVerdict::Hold
    }

    /// The rule for a fleet of `replicas` bounded by `[min, max]`: out-of-bounds fleets are
    /// brought back first; a wish to grow at the maximum becomes [`ThresholdVerdict::AtLimit`].
    pub fn evaluate(&self, o: &Observation, replicas: u32, min: u32, max: u32) -> ThresholdVerdict {
        if replicas < min {
            return ThresholdVerdict::Up(Trigger::new(
                Reason::BelowMin,
                Metric::Replicas,
                f64::from(replicas),
                f64::from(min),
            ));
        }
        if replicas > max {
            return ThresholdVerdict::Down(Trigger::new(
                Reason::AboveMax,
                Metric::Replicas,
                f64::from(replicas),
                f64::from(max),
            ));
        }
        match self.wish(o) {
            ThresholdVerdict::Up(t) if replicas >= max => ThresholdVerdict::AtLimit(t),
            ThresholdVerdict::Down(_) if replicas <= min => ThresholdVerdict::Hold,
            v => v,
        }
    }
}

/// Why a reading above its line scales out.
fn reason_high(m: Metric) -> Reason {
    match m {
        Metric::Memory => Reason::MemoryHigh,
        Metric::RequestRate => Reason::RateHigh,
        Metric::ErrorRate => Reason::ErrorsHigh,
        Metric::Cpu | Metric::Replicas => Reason::CpuHigh,
    }
}

/// One reading of the fleet, as the autoscaler sees it (possibly some ticks late).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Served / capacity of ready instances, in %.
    pub cpu_pct: f64,
    /// Mean memory utilisation of ready instances, in %.
    pub memory_pct: f64,
    /// Offered request rate, per second.
    pub rate_rps: f64,
    /// Capacity of ready instances, requests per second.
    pub capacity_rps: f64,
    /// Requests dropped in the tick, % of those offered (the error rate).
    #[serde(default)]
    pub error_pct: f64,
}

/// Which metric fired, its value and the line it crossed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// Why.
    pub reason: Reason,
    /// Which reading.
    pub metric: Metric,
    /// Its value.
    pub value: f64,
    /// The line it crossed.
    pub threshold: f64,
}

impl Trigger {
    fn new(reason: Reason, metric: Metric, value: f64, threshold: f64) -> Self {
        Trigger {
            reason,
            metric,
            value,
            threshold,
        }
    }
}

/// What the threshold rule makes of one reading.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ThresholdVerdict {
    /// Nothing to do.
    Hold,
    /// Scale out (or the machine up), for this reason.
    Up(Trigger),
    /// Scale in (or the machine down), for this reason.
    Down(Trigger),
    /// Wants to grow but is at the maximum.
    AtLimit(Trigger),
}

/// The rule's memory: when it last acted (for the cooldown) and, for the naive variant, the
/// replica count it *believes* it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ThresholdRule {
    last_action: Option<SimTime>,
    /// The cooldown window already reported as blocking, so it is narrated once.
    reported_block: Option<SimTime>,
    /// The tutorial's rule keeps a counter beside its instance map and names the instance
    /// to remove from it; once a removal misses, the counter and the fleet disagree.
    believed: u32,
}

impl ThresholdRule {
    /// A rule that has never acted and believes in `replicas`.
    pub fn new(replicas: u32) -> Self {
        ThresholdRule {
            believed: replicas,
            ..ThresholdRule::default()
        }
    }

    /// When the cooldown after the last action ends (`None` if it never acted).
    pub fn cooldown_until(&self, cooldown: SimDuration) -> Option<SimTime> {
        self.last_action.map(|t| t.after(cooldown))
    }

    /// `Some(until)` if an action now would fall inside the cooldown.
    pub fn blocked(&self, now: SimTime, cooldown: SimDuration) -> Option<SimTime> {
        self.cooldown_until(cooldown).filter(|&until| now < until)
    }

    /// True the first time a given cooldown window blocks an action (narrate once).
    pub fn first_block(&mut self, until: SimTime) -> bool {
        if self.reported_block == Some(until) {
            return false;
        }
        self.reported_block = Some(until);
        true
    }

    /// Notes an action at `now`: the cooldown runs from here.
    pub fn record_action(&mut self, now: SimTime) {
        self.last_action = Some(now);
    }

    /// When it last acted.
    pub fn last_action(&self) -> Option<SimTime> {
        self.last_action
    }

    /// The naive rule's replica count.
    pub fn believed(&self) -> u32 {
        self.believed
    }

    /// Sets the replica count the naive rule believes in.
    pub fn set_believed(&mut self, n: u32) {
        self.believed = n;
    }

    /// The name the naive scale-in removes: `instance_<count>`, which need not exist.
    pub fn naive_victim(&self) -> String {
        format!("instance_{}", self.believed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(cpu: f64, mem: f64, rate: f64, cap: f64) -> Observation {
        Observation {
            cpu_pct: cpu,
            memory_pct: mem,
            rate_rps: rate,
            capacity_rps: cap,
            error_pct: 0.0,
        }
    }

    #[test]
    fn each_metric_can_trigger_a_scale_out() {
        let c = ThresholdConfig::default();
        let up = |o| match c.wish(&o) {
            ThresholdVerdict::Up(t) => Some(t.reason),
            _ => None,
        };
        assert_eq!(up(obs(71.0, 10.0, 10.0, 1000.0)), Some(Reason::CpuHigh));
        assert_eq!(up(obs(10.0, 71.0, 10.0, 1000.0)), Some(Reason::MemoryHigh));
        assert_eq!(up(obs(10.0, 10.0, 801.0, 1000.0)), Some(Reason::RateHigh));
        assert_eq!(up(obs(70.0, 70.0, 800.0, 1000.0)), None);
    }

    #[test]
    fn scale_in_needs_everything_low() {
        let c = ThresholdConfig::default();
        assert!(matches!(
            c.wish(&obs(29.0, 29.0, 299.0, 1000.0)),
            ThresholdVerdict::Down(_)
        ));
        assert_eq!(
            c.wish(&obs(29.0, 31.0, 100.0, 1000.0)),
            ThresholdVerdict::Hold
        );
        assert_eq!(
            c.wish(&obs(29.0, 29.0, 300.0, 1000.0)),
            ThresholdVerdict::Hold
        );
    }

    #[test]
    fn bounds_shape_the_verdict() {
        let c = ThresholdConfig::default();
        let hot = obs(95.0, 20.0, 900.0, 1000.0);
        let cold = obs(5.0, 20.0, 50.0, 1000.0);
        assert!(matches!(
            c.evaluate(&hot, 10, 2, 10),
            ThresholdVerdict::AtLimit(_)
        ));
        assert_eq!(c.evaluate(&cold, 2, 2, 10), ThresholdVerdict::Hold);
        assert!(
            matches!(c.evaluate(&cold, 1, 2, 10), ThresholdVerdict::Up(t) if t.reason == Reason::BelowMin)
        );
        assert!(
            matches!(c.evaluate(&hot, 11, 2, 10), ThresholdVerdict::Down(t) if t.reason == Reason::AboveMax)
        );
    }

    #[test]
    fn cooldown_blocks_until_it_ends_and_is_reported_once() {
        let mut r = ThresholdRule::new(2);
        let cd = SimDuration::from_secs(60);
        assert_eq!(r.blocked(SimTime::from_secs(5), cd), None);
        r.record_action(SimTime::from_secs(10));
        let until = SimTime::from_secs(70);
        assert_eq!(r.blocked(SimTime::from_secs(69), cd), Some(until));
        assert_eq!(r.blocked(SimTime::from_secs(70), cd), None);
        assert!(r.first_block(until));
        assert!(!r.first_block(until));
    }

    #[test]
    fn invalid_thresholds_are_rejected() {
        let bad = ThresholdConfig {
            down_pct: 80.0,
            ..ThresholdConfig::default()
        };
        assert!(matches!(
            bad.validate(),
            Err(ScalingError::ThresholdsInverted { .. })
        ));
        let nan = ThresholdConfig {
            up_pct: f64::NAN,
            ..ThresholdConfig::default()
        };
        assert!(nan.validate().is_err());
        let over = ThresholdConfig {
            up_pct: 120.0,
            ..ThresholdConfig::default()
        };
        assert!(over.validate().is_err());
    }
}
