//! A [`ScalingDecision`] as one line of English: the numbers it was made from and the step
//! that decided it, e.g. "HPA: 3 × 90 % / 60 % = 4.5 → 5" or "threshold: CPU 82 % > 70 % →
//! add 1 (cooldown over)". Numbers go through [`crate::num_text`], never the float formatter.

use super::decision::{DecisionBasis, Hold, HpaWhy, ScalingDecision, ThresholdWhy, Verdict};
use super::events::{Direction, Metric, Reason, Rule};
use super::hpa::{PolicyKind, ScalingPolicy};
use crate::num_text::fixed;
use crate::sim::SimDuration;
use core::fmt;

/// `v` with at most `decimals` decimals, trailing zeros dropped: 90 → "90", 4.50 → "4.5".
struct Short(f64, u8);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = fixed(self.0, self.1);
        let trimmed = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        f.write_str(trimmed)
    }
}

/// A duration in seconds, to a tenth: "12 s", "2.5 s".
pub(crate) struct Secs(pub(crate) SimDuration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = self.0 .0 / 100_000;
        if tenths % 10 == 0 {
            write!(f, "{} s", tenths / 10)
        } else {
            write!(f, "{}.{} s", tenths / 10, tenths % 10)
        }
    }
}

/// A rate policy as its YAML reads: "4 pods per 15 s", "100 % per 15 s".
pub(crate) struct PolicyText(pub(crate) Option<ScalingPolicy>);

impl fmt::Display for PolicyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("disabled"),
            Some(p) => {
                let unit = match p.kind {
                    PolicyKind::Pods if p.value == 1 => "pod",
                    PolicyKind::Pods => "pods",
                    PolicyKind::Percent => "%",
                };
                write!(f, "{} {unit} per {}", p.value, Secs(p.period))
            }
        }
    }
}

/// A reading in its unit: "82 %", "850/s".
fn reading(metric: Metric, v: f64) -> impl fmt::Display {
    struct R(Metric, f64);
    impl fmt::Display for R {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self.0 {
                Metric::RequestRate => write!(f, "{}/s", Short(self.1, 0)),
                Metric::Replicas => write!(f, "{}", Short(self.1, 0)),
                Metric::Cpu | Metric::Memory => write!(f, "{} %", Short(self.1, 1)),
            }
        }
    }
    R(metric, v)
}

fn metric_name(m: Metric) -> &'static str {
    match m {
        Metric::RequestRate => "rate",
        Metric::Cpu => "CPU",
        Metric::Memory => "memory",
        Metric::Replicas => "replicas",
    }
}

fn rule_name(r: Rule) -> &'static str {
    match r {
        Rule::Threshold => "threshold",
        Rule::ThresholdNaive => "naive threshold",
        Rule::Hpa => "HPA",
        Rule::Vertical => "vertical",
    }
}

impl fmt::Display for ScalingDecision {
    /// The reason in one line, after the rule's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", rule_name(self.rule))?;
        match &self.basis {
            DecisionBasis::Threshold(why) => self.threshold(f, why),
            DecisionBasis::Hpa(why) => self.hpa(f, why),
        }
    }
}

impl ScalingDecision {
    fn unit(&self) -> &'static str {
        if self.rule == Rule::Vertical {
            "cores"
        } else {
            "instances"
        }
    }

    fn threshold(&self, f: &mut fmt::Formatter<'_>, why: &ThresholdWhy) -> fmt::Result {
        let [cpu, memory, rate] = why.checks;
        match why.trigger {
            Some(t) if t.metric == Metric::Replicas => {
                let side = if t.reason == Reason::BelowMin {
                    "below the minimum"
                } else {
                    "above the maximum"
                };
                write!(
                    f,
                    "{} {} {side} {}",
                    self.current,
                    self.unit(),
                    Short(t.threshold, 0)
                )?;
            }
            Some(t) if t.reason == Reason::AllLow => write!(
                f,
                "CPU {}, memory {} < {} and rate {} < {}",
                reading(Metric::Cpu, cpu.value),
                reading(Metric::Memory, memory.value),
                reading(Metric::Cpu, cpu.down),
                reading(Metric::RequestRate, rate.value),
                reading(Metric::RequestRate, rate.down),
            )?,
            Some(t) => write!(
                f,
                "{} {} > {}",
                metric_name(t.metric),
                reading(t.metric, t.value),
                reading(t.metric, t.threshold)
            )?,
            None => write!(
                f,
                "CPU {}, memory {}, rate {}",
                reading(Metric::Cpu, cpu.value),
                reading(Metric::Memory, memory.value),
                reading(Metric::RequestRate, rate.value),
            )?,
        }
        f.write_str(" → ")?;
        let vertical = self.rule == Rule::Vertical;
        match why.verdict {
            Verdict::Out | Verdict::In if vertical => write!(
                f,
                "{} → {} cores (cooldown over)",
                self.current, self.desired
            ),
            Verdict::Out => f.write_str("add 1 (cooldown over)"),
            Verdict::In => f.write_str("remove 1 (cooldown over)"),
            Verdict::Hold(hold) => {
                f.write_str("hold (")?;
                match hold {
                    Hold::WithinBand => f.write_str("within band")?,
                    Hold::AtMax => write!(f, "at the maximum, {} {}", why.max, self.unit())?,
                    Hold::AtMin => write!(f, "at the minimum, {} {}", why.min, self.unit())?,
                    Hold::Cooldown { .. } => {
                        write!(f, "cooldown: {} left", Secs(why.cooldown_left(self.at)))?
                    }
                }
                f.write_str(")")
            }
        }
    }

    fn hpa(&self, f: &mut fmt::Formatter<'_>, why: &HpaWhy) -> fmt::Result {
        match why.reason {
            Reason::BelowMin => {
                return write!(
                    f,
                    "{} replicas below the minimum {} → {}",
                    self.current, why.min, self.desired
                )
            }
            Reason::AboveMax => {
                return write!(
                    f,
                    "{} replicas above the maximum {} → {}",
                    self.current, why.max, self.desired
                )
            }
            Reason::NoReadyPods => {
                return write!(f, "no replica is ready to measure → keeps {}", self.current)
            }
            _ => {}
        }
        write!(
            f,
            "{} × {} % / {} % = {}",
            why.ready,
            Short(why.utilisation, 1),
            Short(why.target, 1),
            Short(why.raw(), 2)
        )?;
        if why.within_tolerance {
            return write!(
                f,
                ", ratio {} within tolerance {} → keeps {}",
                Short(why.ratio(), 2),
                Short(why.tolerance, 2),
                self.current
            );
        }
        write!(f, " → {}", why.recommended)?;
        if why.stabilised > why.recommended {
            write!(f, "; holds the window's highest, {}", why.stabilised)?;
        } else if why.stabilised < why.recommended {
            write!(
                f,
                "; holds the scale-up window's lowest, {}",
                why.stabilised
            )?;
        }
        if let Some(rate) = why.rate.filter(|r| r.binding) {
            let way = match rate.direction {
                Direction::Up => "up",
                Direction::Down => "down",
            };
            write!(
                f,
                "; scale-{way} policy ({}) allows {}",
                PolicyText(rate.policy),
                rate.limit
            )?;
        }
        match why.reason {
            Reason::AtMax => write!(f, "; maximum {}", why.max)?,
            Reason::AtMin => write!(f, "; minimum {}", why.min)?,
            _ => {}
        }
        if self.desired != why.stabilised {
            write!(f, " → {}", self.desired)?;
        }
        Ok(())
    }
}

/// The HPA's formula with its numbers, for an inspector's formula line:
/// "ceil(3 × 90 % / 60 %) = ceil(4.5) = 5", or, within the tolerance,
/// "|1 − 31.5 % / 30 %| = 0.05 ≤ 0.1: keeps 3".
pub struct HpaFormula<'a>(&'a HpaWhy, u32);

impl fmt::Display for HpaFormula<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let HpaFormula(why, current) = *self;
        let (u, target) = (Short(why.utilisation, 1), Short(why.target, 1));
        if why.within_tolerance {
            write!(
                f,
                "|1 − {u} % / {target} %| = {} ≤ {}: keeps {current}",
                Short((1.0 - why.ratio()).abs(), 2),
                Short(why.tolerance, 2)
            )
        } else {
            write!(
                f,
                "ceil({} × {u} % / {target} %) = ceil({}) = {}",
                why.ready,
                Short(why.raw(), 2),
                why.recommended
            )
        }
    }
}

impl ScalingDecision {
    /// The HPA's formula line with its numbers (`None` for the threshold rules, and for a
    /// reconcile that read no metric: out of bounds, or nothing ready).
    pub fn formula(&self) -> Option<HpaFormula<'_>> {
        match &self.basis {
            DecisionBasis::Hpa(why)
                if !matches!(
                    why.reason,
                    Reason::BelowMin | Reason::AboveMax | Reason::NoReadyPods
                ) =>
            {
                Some(HpaFormula(why, self.current))
            }
            _ => None,
        }
    }
}
