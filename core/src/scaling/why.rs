//! A [`ScalingDecision`] as one line of English: the numbers it was made from and the step
//! that decided it, e.g. "HPA: 3 × 90 % / 60 % = 4.5 → 5" or "threshold: CPU 82 % > 70 % →
//! add 1 (cooldown over)". Numbers go through [`crate::num_text`], never the float formatter.
//!
//! The sentences are pushed piece by piece onto one `String` rather than written with
//! `write!`: every `write!` with arguments expands its own formatting call, and these
//! sentences have dozens, which a page downloads.

use super::decision::{
    DecisionBasis, Hold, HpaWhy, MetricCheck, ScalingDecision, ThresholdWhy, Verdict,
};
use super::events::{Direction, Metric, Reason, Rule};
use super::hpa::{PolicyKind, ScalingPolicy};
use super::hybrid::{HybridPhase, HybridWhy};
use crate::num_text::push_fixed;
use crate::sim::SimDuration;
use core::fmt;

/// Pushes `s`: one shared call where an inlined `push_str` at each of the sentences' pieces
/// would be copied into the page dozens of times.
#[inline(never)]
pub fn put(out: &mut String, s: &str) {
    out.push_str(s);
}

/// Pushes `v` with at most `decimals` decimals, trailing zeros dropped: 90 → "90", 4.50 →
/// "4.5".
pub fn push_short(out: &mut String, v: f64, decimals: u8) {
    let start = out.len();
    push_fixed(out, v, decimals);
    // Bytes, not a `char` pattern: the text is ASCII digits, and a pattern search would
    // link its searcher into the page.
    let digits = out.as_bytes().get(start..).unwrap_or_default();
    if digits.contains(&b'.') {
        let zeros = digits.iter().rev().take_while(|&&b| b == b'0').count();
        let mut end = out.len() - zeros;
        if out.as_bytes().get(end.wrapping_sub(1)) == Some(&b'.') {
            end -= 1;
        }
        out.truncate(end);
    }
}

/// Pushes a count in decimal.
pub fn push_count(out: &mut String, n: u64) {
    push_fixed(out, n as f64, 0);
}

/// Pushes a duration in seconds, to a tenth: "12 s", "2.5 s".
pub fn push_secs(out: &mut String, d: SimDuration) {
    push_short(out, (d.0 / 100_000) as f64 / 10.0, 1);
    put(out, " s");
}

/// Pushes a rate policy as its YAML reads: "4 pods per 15 s", "100 % per 15 s", or
/// "disabled".
pub fn push_policy(out: &mut String, policy: Option<ScalingPolicy>) {
    let Some(p) = policy else {
        put(out, "disabled");
        return;
    };
    push_count(out, u64::from(p.value));
    put(
        out,
        match p.kind {
            PolicyKind::Pods if p.value == 1 => " pod per ",
            PolicyKind::Pods => " pods per ",
            PolicyKind::Percent => " % per ",
        },
    );
    push_secs(out, p.period);
}

/// Pushes a reading in its unit: "82 %", "850/s", or a bare count of replicas.
pub fn push_reading(out: &mut String, metric: Metric, v: f64) {
    match metric {
        Metric::RequestRate => {
            push_short(out, v, 0);
            put(out, "/s");
        }
        Metric::Replicas => push_short(out, v, 0),
        Metric::Cpu | Metric::Memory | Metric::ErrorRate => {
            push_short(out, v, 1);
            put(out, " %");
        }
    }
}

/// The short name a sentence or a table row gives a metric.
pub fn metric_name(m: Metric) -> &'static str {
    match m {
        Metric::RequestRate => "rate",
        Metric::Cpu => "CPU",
        Metric::Memory => "memory",
        Metric::Replicas => "replicas",
        Metric::ErrorRate => "error rate",
    }
}

fn rule_name(r: Rule) -> &'static str {
    match r {
        Rule::Threshold => "threshold: ",
        Rule::ThresholdNaive => "naive threshold: ",
        Rule::Hpa => "HPA: ",
        Rule::Vertical => "vertical: ",
        Rule::Hybrid => "hybrid: ",
    }
}

impl fmt::Display for ScalingDecision {
    /// The reason in one line, after the rule's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::with_capacity(96);
        self.push_why(&mut out);
        f.write_str(&out)
    }
}

impl ScalingDecision {
    /// Pushes the one-line reason its `Display` writes.
    pub fn push_why(&self, out: &mut String) {
        put(out, rule_name(self.rule));
        match &self.basis {
            DecisionBasis::Threshold(why) => self.threshold(out, why),
            DecisionBasis::Hpa(why) => self.hpa(out, why),
        }
    }

    fn unit(&self) -> &'static str {
        if self.rule.counts_cores() {
            " cores"
        } else {
            " instances"
        }
    }

    fn threshold(&self, out: &mut String, why: &ThresholdWhy) {
        match why.trigger {
            Some(t) if t.metric == Metric::Replicas => {
                push_count(out, u64::from(self.current));
                put(out, self.unit());
                put(
                    out,
                    if t.reason == Reason::BelowMin {
                        " below the minimum "
                    } else {
                        " above the maximum "
                    },
                );
                push_short(out, t.threshold, 0);
            }
            Some(t) if t.reason == Reason::AllLow => push_all_low(out, &why.checks),
            Some(t) => {
                put(out, metric_name(t.metric));
                out.push(' ');
                push_reading(out, t.metric, t.value);
                put(out, " > ");
                push_reading(out, t.metric, t.threshold);
            }
            None => {
                for (i, c) in why.checks.iter().enumerate() {
                    if i > 0 {
                        put(out, ", ");
                    }
                    put(out, metric_name(c.metric));
                    out.push(' ');
                    push_reading(out, c.metric, c.value);
                }
            }
        }
        put(out, " → ");
        if let Some(h) = why.hybrid {
            if push_hybrid(out, why.verdict, &h) {
                return;
            }
        }
        match why.verdict {
            Verdict::Out | Verdict::In => {
                if self.rule == Rule::Vertical {
                    push_count(out, u64::from(self.current));
                    put(out, " → ");
                    push_count(out, u64::from(self.desired));
                    put(out, " cores");
                } else if why.verdict == Verdict::Out {
                    put(out, "add 1");
                } else {
                    put(out, "remove 1");
                }
                put(out, " (cooldown over)");
            }
            Verdict::Hold(hold) => {
                put(out, "hold (");
                match hold {
                    Hold::WithinBand => put(out, "within band"),
                    Hold::AtMax | Hold::AtMin => {
                        let (words, bound) = if hold == Hold::AtMax {
                            ("at the maximum, ", why.max)
                        } else {
                            ("at the minimum, ", why.min)
                        };
                        put(out, words);
                        push_count(out, u64::from(bound));
                        put(out, self.unit());
                    }
                    Hold::Cooldown { .. } => {
                        put(out, "cooldown: ");
                        push_secs(out, why.cooldown_left(self.at));
                        put(out, " left");
                    }
                }
                out.push(')');
            }
        }
    }

    fn hpa(&self, out: &mut String, why: &HpaWhy) {
        let early = match why.reason {
            Reason::BelowMin => Some((" replicas below the minimum ", why.min)),
            Reason::AboveMax => Some((" replicas above the maximum ", why.max)),
            _ => None,
        };
        if let Some((words, bound)) = early {
            push_count(out, u64::from(self.current));
            put(out, words);
            push_count(out, u64::from(bound));
            put(out, " → ");
            push_count(out, u64::from(self.desired));
            return;
        }
        if why.reason == Reason::NoReadyPods {
            put(out, "no replica is ready to measure → keeps ");
            push_count(out, u64::from(self.current));
            return;
        }
        push_count(out, u64::from(why.ready));
        put(out, " × ");
        push_short(out, why.utilisation, 1);
        put(out, " % / ");
        push_short(out, why.target, 1);
        put(out, " % = ");
        push_short(out, why.raw(), 2);
        if let Some(adjusted) = why.adjusted_ratio {
            put(out, ", with ");
            push_count(out, u64::from(why.booting));
            put(out, " booting at 0 %: ratio ");
            push_short(out, adjusted, 2);
            if why.within_tolerance || why.direction_flipped {
                push_kept(out, why, " → ", self.current);
                return;
            }
        } else if why.within_tolerance {
            put(out, ", ratio ");
            push_short(out, why.ratio(), 2);
            put(out, " within tolerance ");
            push_short(out, why.tolerance, 2);
            put(out, " → keeps ");
            push_count(out, u64::from(self.current));
            return;
        }
        put(out, " → ");
        push_count(out, u64::from(why.recommended));
        if why.stabilised != why.recommended {
            put(
                out,
                if why.stabilised > why.recommended {
                    "; holds the window's highest, "
                } else {
                    "; holds the scale-up window's lowest, "
                },
            );
            push_count(out, u64::from(why.stabilised));
        }
        if let Some(rate) = why.rate.filter(|r| r.binding) {
            put(
                out,
                match rate.direction {
                    Direction::Up => "; scale-up policy (",
                    Direction::Down => "; scale-down policy (",
                },
            );
            push_policy(out, rate.policy);
            put(out, ") allows ");
            push_count(out, u64::from(rate.limit));
        }
        match why.reason {
            Reason::AtMax => {
                put(out, "; maximum ");
                push_count(out, u64::from(why.max));
            }
            Reason::AtMin => {
                put(out, "; minimum ");
                push_count(out, u64::from(why.min));
            }
            _ => {}
        }
        if self.desired != why.stabilised {
            put(out, " → ");
            push_count(out, u64::from(self.desired));
        }
    }

    /// Pushes the HPA's formula with its numbers, for an inspector's formula line:
    /// "ceil(3 × 90 % / 60 %) = ceil(4.5) = 5", or, within the tolerance,
    /// "|1 − 31.5 % / 30 %| = 0.05 ≤ 0.1: keeps 3". Pushes nothing for the threshold rules,
    /// or for a reconcile that read no metric (out of bounds, or nothing ready); returns
    /// whether it pushed.
    pub fn push_formula(&self, out: &mut String) -> bool {
        let DecisionBasis::Hpa(why) = &self.basis else {
            return false;
        };
        if matches!(
            why.reason,
            Reason::BelowMin | Reason::AboveMax | Reason::NoReadyPods
        ) {
            return false;
        }
        let ratio = |out: &mut String| {
            push_short(out, why.utilisation, 1);
            put(out, " % / ");
            push_short(out, why.target, 1);
            put(out, " %");
        };
        if let Some(adjusted) = why.adjusted_ratio {
            // The booting instances counted at 0 %: "(4 × 80 % + 4 × 0 %) / 8 = 40 % / 50 %
            // = 0.8, the other way: keeps 8".
            let counted = why.ready.saturating_add(why.booting);
            put(out, "(");
            push_count(out, u64::from(why.ready));
            put(out, " × ");
            push_short(out, why.utilisation, 1);
            put(out, " % + ");
            push_count(out, u64::from(why.booting));
            put(out, " × 0 %) / ");
            push_count(out, u64::from(counted));
            put(out, " = ");
            push_short(out, adjusted * why.target, 1);
            put(out, " % / ");
            push_short(out, why.target, 1);
            put(out, " % = ");
            push_short(out, adjusted, 2);
            if why.within_tolerance || why.direction_flipped {
                push_kept(out, why, ": ", self.current);
            } else {
                put(out, "; ceil(");
                push_count(out, u64::from(counted));
                put(out, " × ");
                push_short(out, adjusted, 2);
                put(out, ") = ");
                push_count(out, u64::from(why.recommended));
            }
        } else if why.within_tolerance {
            put(out, "|1 − ");
            ratio(out);
            put(out, "| = ");
            push_short(out, (1.0 - why.ratio()).abs(), 2);
            put(out, " ≤ ");
            push_short(out, why.tolerance, 2);
            put(out, ": keeps ");
            push_count(out, u64::from(self.current));
        } else {
            put(out, "ceil(");
            push_count(out, u64::from(why.ready));
            put(out, " × ");
            ratio(out);
            put(out, ") = ceil(");
            push_short(out, why.raw(), 2);
            put(out, ") = ");
            push_count(out, u64::from(why.recommended));
        }
        true
    }

    /// The HPA's formula line with its numbers (see [`ScalingDecision::push_formula`]).
    pub fn formula(&self) -> Option<String> {
        let mut out = String::new();
        self.push_formula(&mut out).then_some(out)
    }
}

/// Pushes why a rule scaled in: every watched reading below its line. The guide's three
/// readings share one sentence, "CPU 20 %, memory 25 % < 30 % and rate 100/s < 300/s"; any
/// other set lists each, "error rate 0 % < 1 %".
fn push_all_low(out: &mut String, checks: &[MetricCheck]) {
    if let [cpu, memory, rate] = checks {
        if rate.metric == Metric::RequestRate {
            put(out, "CPU ");
            push_reading(out, Metric::Cpu, cpu.value);
            put(out, ", memory ");
            push_reading(out, Metric::Memory, memory.value);
            put(out, " < ");
            push_reading(out, Metric::Cpu, cpu.down);
            put(out, " and rate ");
            push_reading(out, Metric::RequestRate, rate.value);
            put(out, " < ");
            push_reading(out, Metric::RequestRate, rate.down);
            return;
        }
    }
    for (i, c) in checks.iter().enumerate() {
        if i > 0 {
            put(out, if i + 1 == checks.len() { " and " } else { ", " });
        }
        put(out, metric_name(c.metric));
        out.push(' ');
        push_reading(out, c.metric, c.value);
        put(out, " < ");
        push_reading(out, c.metric, c.down);
    }
}

/// Pushes what the hybrid rule did with an out or in verdict, or at a bound: which phase it
/// is in and so whether it resized the machine or changed the number of machines, e.g.
/// "scale up 2 → 4 cores, below the 4-core ceiling (cooldown over)". Returns false for the
/// verdicts the threshold wording already says (within band, cooldown).
fn push_hybrid(out: &mut String, verdict: Verdict, h: &HybridWhy) -> bool {
    let size = u64::from(h.machine_cores);
    let machines = u64::from(h.machines);
    let ceiling = |out: &mut String| {
        push_count(out, u64::from(h.ceiling_cores));
        put(out, "-core ceiling");
    };
    match verdict {
        Verdict::Out if h.phase == HybridPhase::Up => {
            put(out, "scale up ");
            push_count(out, size);
            put(out, " → ");
            push_count(out, size * 2);
            put(out, " cores, below the ");
            ceiling(out);
        }
        Verdict::Out => {
            put(out, "scale out ");
            push_count(out, machines);
            put(out, " → ");
            push_count(out, machines + 1);
            put(out, " machines of ");
            push_count(out, size);
            put(out, " cores, at the ");
            ceiling(out);
        }
        Verdict::In if machines > 1 => {
            put(out, "scale in ");
            push_count(out, machines);
            put(out, " → ");
            push_count(out, machines - 1);
            put(out, " machines, before any machine shrinks");
        }
        Verdict::In => {
            put(out, "scale down ");
            push_count(out, size);
            put(out, " → ");
            push_count(out, size / 2);
            put(out, " cores, one machine left");
        }
        Verdict::Hold(Hold::AtMax) => {
            put(out, "hold (at the maximum, ");
            push_count(out, machines);
            put(out, " machines of ");
            push_count(out, size);
            put(out, " cores)");
            return true;
        }
        Verdict::Hold(Hold::AtMin) => {
            put(out, "hold (at the minimum, one machine of ");
            push_count(out, size);
            put(out, " cores)");
            return true;
        }
        Verdict::Hold(_) => return false,
    }
    put(out, " (cooldown over)");
    true
}

/// Why the HPA kept `current` once the booting instances counted: ", within tolerance" or ",
/// the other way", then `arrow` (" → " in the sentence, ": " in the formula) and "keeps N".
fn push_kept(out: &mut String, why: &HpaWhy, arrow: &str, current: u32) {
    put(
        out,
        if why.within_tolerance {
            ", within tolerance"
        } else {
            ", the other way"
        },
    );
    put(out, arrow);
    put(out, "keeps ");
    push_count(out, u64::from(current));
}
