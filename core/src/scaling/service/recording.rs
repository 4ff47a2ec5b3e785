//! Keeping an autoscaler's evaluation as the service's [`ScalingDecision`]: called on the
//! event path only, it changes nothing the simulation reads and draws nothing at random.
//! The HPA's window list reuses the previous decision's buffer, so recording allocates
//! nothing once the window has filled.

use super::Service;
use crate::scaling::decision::{
    DecisionBasis, HpaWhy, Recommendation, ScalingDecision, ThresholdWhy, Verdict,
};
use crate::scaling::events::Rule;
use crate::scaling::hpa::HpaOutcome;
use crate::scaling::threshold::{Observation, Trigger};

impl Service {
    /// Keeps a threshold (or vertical) evaluation of `reading`.
    pub(super) fn record_threshold(
        &mut self,
        rule: Rule,
        reading: &Observation,
        trigger: Option<Trigger>,
        verdict: Verdict,
        current: u32,
        desired: u32,
    ) {
        let lines = &self.config.threshold;
        let (min, max) = if rule == Rule::Vertical {
            (self.machine.min_cores(), self.machine.max_cores())
        } else if rule == Rule::Hybrid {
            (self.machine.min_cores(), self.config.max_replicas)
        } else {
            (self.config.min_replicas, self.config.max_replicas)
        };
        let why = ThresholdWhy {
            reading: *reading,
            delay_ticks: self.config.metric_delay_ticks,
            checks: ThresholdWhy::checks(lines, reading),
            trigger,
            verdict,
            cooldown: lines.cooldown,
            cooldown_until: self.threshold.cooldown_until(lines.cooldown),
            min,
            max,
            hybrid: None,
        };
        self.keep(rule, current, desired, DecisionBasis::Threshold(why));
    }

    /// Keeps an HPA reconcile, with the recommendations its windows held.
    pub(super) fn record_hpa(&mut self, outcome: &HpaOutcome, current: u32, ready: u32) {
        let mut window = match self.decision.take() {
            Some(ScalingDecision {
                basis: DecisionBasis::Hpa(previous),
                ..
            }) => previous.window,
            _ => Vec::new(),
        };
        window.clear();
        let cfg = &self.config.hpa;
        let (up_window, down_window) = (
            cfg.scale_up.stabilization_window,
            cfg.scale_down.stabilization_window,
        );
        let now = self.now;
        let inside = |t: crate::sim::SimTime, len: crate::sim::SimDuration| {
            now.0.checked_sub(len.0).is_none_or(|cutoff| t.0 > cutoff)
        };
        window.extend(
            self.hpa
                .recommendations()
                .map(|&(at, replicas)| Recommendation {
                    at,
                    replicas,
                    in_down_window: inside(at, down_window),
                    in_up_window: inside(at, up_window),
                }),
        );
        let why = HpaWhy {
            ready,
            utilisation: outcome.utilisation,
            target: outcome.target,
            tolerance: cfg.tolerance,
            within_tolerance: outcome.within_tolerance,
            booting: outcome.calculation.map_or(0, |c| c.not_ready),
            adjusted_ratio: outcome.calculation.and_then(|c| c.adjusted_ratio),
            direction_flipped: outcome.calculation.is_some_and(|c| c.direction_flipped),
            recommended: outcome.recommended,
            window,
            down_window,
            up_window,
            up_lowest: outcome.up_lowest,
            down_highest: outcome.down_highest,
            stabilised: outcome.stabilised,
            rate: outcome.rate,
            min: self.config.min_replicas,
            max: self.config.max_replicas,
            reason: outcome.reason,
        };
        self.keep(Rule::Hpa, current, outcome.desired, DecisionBasis::Hpa(why));
    }

    fn keep(&mut self, rule: Rule, current: u32, desired: u32, basis: DecisionBasis) {
        let at = self.now;
        self.decision = Some(ScalingDecision {
            at,
            tick: at.0.checked_div(self.config.tick.0).unwrap_or(0),
            rule,
            current,
            desired,
            basis,
        });
    }
}
