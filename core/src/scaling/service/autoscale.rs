//! The autoscalers a [`Service`] runs at the end of each tick: the threshold rule (and its
//! naive variant), the HPA and the vertical machine's rule. Each reads one observation and
//! scales the fleet or the machine through the service's own fleet operations.
//!
//! `record` is set on the event path: it keeps each evaluation as the lane's
//! [`ScalingDecision`](crate::scaling::ScalingDecision); the quiet path (fast-forward)
//! evaluates exactly the same and keeps nothing.

use super::Service;
use crate::scaling::decision::{Hold, Verdict};
use crate::scaling::events::{Direction, Metric, Reason, RemovalReason, Rule, ServiceEvent};
use crate::scaling::horizontal::InstanceState;
use crate::scaling::mode::ScalingMode;
use crate::scaling::replica_calc::PodReading;
use crate::scaling::threshold::{Observation, ThresholdVerdict, Trigger};
use crate::sim::SimTime;

impl Service {
    /// Says a "can't go further" decision once per (reason, count).
    pub(super) fn note_once(&mut self, reason: Reason, count: u32) -> bool {
        if self.last_note == Some((reason, count)) {
            return false;
        }
        self.last_note = Some((reason, count));
        true
    }

    /// Says once, at `cores`, that a single machine cannot grow past its largest size: the
    /// rule asked for more under `trig`.
    pub(super) fn note_at_max(
        &mut self,
        rule: Rule,
        trig: &Trigger,
        cores: u32,
        out: &mut Vec<ServiceEvent>,
    ) {
        if self.note_once(Reason::AtMax, cores) {
            out.push(ServiceEvent::Decision {
                t: self.now,
                rule,
                metric: trig.metric,
                value: trig.value,
                threshold: trig.threshold,
                current: cores,
                desired: cores,
                reason: Reason::AtMax,
            });
        }
    }

    /// The threshold rule's cooldown, shared by the horizontal and vertical modes: its end
    /// while it blocks an action, reporting the block once per cooldown window.
    pub(super) fn cooling_down(
        &mut self,
        rule: Rule,
        dir: Direction,
        out: &mut Vec<ServiceEvent>,
    ) -> Option<SimTime> {
        let until = self
            .threshold
            .blocked(self.now, self.config.threshold.cooldown)?;
        if self.threshold.first_block(until) {
            out.push(ServiceEvent::CooldownBlocked {
                t: self.now,
                rule,
                until,
                wanted: dir,
            });
        }
        Some(until)
    }

    pub(super) fn threshold_step(
        &mut self,
        o: Observation,
        out: &mut Vec<ServiceEvent>,
        record: bool,
    ) {
        let naive = self.mode == ScalingMode::ThresholdNaive;
        let rule = if naive {
            Rule::ThresholdNaive
        } else {
            Rule::Threshold
        };
        let replicas = if naive {
            self.threshold.believed()
        } else {
            self.fleet.active_count()
        };
        let (min, max) = (self.config.min_replicas, self.config.max_replicas);
        let (dir, trig) = match self.config.threshold.evaluate(&o, replicas, min, max) {
            ThresholdVerdict::Hold => {
                if record {
                    // A wish to shrink at the minimum is a hold too: tell the two apart.
                    let (hold, trigger) = match self.config.threshold.wish(&o) {
                        ThresholdVerdict::Down(t) => (Hold::AtMin, Some(t)),
                        _ => (Hold::WithinBand, None),
                    };
                    self.record_threshold(
                        rule,
                        &o,
                        trigger,
                        Verdict::Hold(hold),
                        replicas,
                        replicas,
                    );
                }
                return;
            }
            ThresholdVerdict::AtLimit(t) => {
                if record {
                    self.record_threshold(
                        rule,
                        &o,
                        Some(t),
                        Verdict::Hold(Hold::AtMax),
                        replicas,
                        replicas,
                    );
                }
                if self.note_once(Reason::AtMax, replicas) {
                    out.push(ServiceEvent::Decision {
                        t: self.now,
                        rule,
                        metric: t.metric,
                        value: t.value,
                        threshold: t.threshold,
                        current: replicas,
                        desired: replicas,
                        reason: Reason::AtMax,
                    });
                }
                return;
            }
            ThresholdVerdict::Up(t) => (Direction::Up, t),
            ThresholdVerdict::Down(t) => (Direction::Down, t),
        };
        if let Some(until) = self.cooling_down(rule, dir, out) {
            if record {
                let hold = Verdict::Hold(Hold::Cooldown { until });
                self.record_threshold(rule, &o, Some(trig), hold, replicas, replicas);
            }
            return;
        }
        let (desired, verdict) = match dir {
            Direction::Up => (replicas.saturating_add(1), Verdict::Out),
            Direction::Down => (replicas.saturating_sub(1), Verdict::In),
        };
        if record {
            self.record_threshold(rule, &o, Some(trig), verdict, replicas, desired);
        }
        out.push(ServiceEvent::Decision {
            t: self.now,
            rule,
            metric: trig.metric,
            value: trig.value,
            threshold: trig.threshold,
            current: replicas,
            desired,
            reason: trig.reason,
        });
        self.threshold.record_action(self.now);
        self.scale_actions = self.scale_actions.saturating_add(1);
        self.last_note = None;
        match dir {
            Direction::Up => {
                if self.launch(out).is_ok() && naive {
                    self.threshold.set_believed(desired);
                }
            }
            Direction::Down if naive => {
                // The tutorial's rule: `delete(instances, fmt.Sprintf("instance_%d", count)); count--`.
                let name = self.threshold.naive_victim();
                self.threshold.set_believed(desired);
                let victim = self
                    .fleet
                    .find_by_name(&name)
                    .filter(|i| i.is_active())
                    .map(|i| i.id);
                match victim {
                    Some(id) => {
                        let _ = self.drain(id, RemovalReason::ScaleIn, out);
                    }
                    None => out.push(ServiceEvent::ScaleInMissed {
                        t: self.now,
                        name,
                        believed: desired,
                        actual: self.fleet.active_count(),
                    }),
                }
            }
            Direction::Down => {
                if let Some(id) = self.fleet.least_loaded() {
                    let _ = self.drain(id, RemovalReason::ScaleIn, out);
                }
            }
        }
    }

    pub(super) fn hpa_step(&mut self, o: Observation, out: &mut Vec<ServiceEvent>, record: bool) {
        let cfg = &self.config.hpa;
        if !self.hpa.due(cfg, self.now) {
            return;
        }
        let current = self.fleet.active_count();
        let ready = self.fleet.ready_count();
        // Every active instance is a pod: the ready ones at the observed CPU, the booting ones
        // not ready (a draining one is being deleted, which the controller ignores).
        let pods = PodReading::fleet(ready, self.fleet.warming_count(), o.cpu_pct);
        let outcome = self.hpa.reconcile(
            cfg,
            self.config.min_replicas,
            self.config.max_replicas,
            self.now,
            current,
            &pods,
        );
        let window = cfg.scale_down.stabilization_window;
        if record {
            self.record_hpa(&outcome, current, ready);
        }
        out.push(ServiceEvent::Decision {
            t: self.now,
            rule: Rule::Hpa,
            metric: Metric::Cpu,
            value: outcome.utilisation,
            threshold: outcome.target,
            current,
            desired: outcome.desired,
            reason: outcome.reason,
        });
        if outcome.recommended < current && outcome.stabilised > outcome.recommended {
            out.push(ServiceEvent::StabilisationHeld {
                t: self.now,
                recommended: outcome.recommended,
                held_at: outcome.stabilised,
                window,
            });
        }
        if outcome.rate_limited.is_some() {
            out.push(ServiceEvent::RateLimited {
                t: self.now,
                wanted: outcome.stabilised,
                allowed: outcome.desired,
                direction: if outcome.desired > current {
                    Direction::Up
                } else {
                    Direction::Down
                },
            });
        }
        if outcome.desired == current {
            return;
        }
        for _ in current..outcome.desired {
            if self.launch(out).is_err() {
                break;
            }
        }
        for _ in outcome.desired..current {
            match self.fleet.least_loaded() {
                Some(id) => {
                    let _ = self.drain(id, RemovalReason::ScaleIn, out);
                }
                None => break,
            }
        }
        let now_count = self.fleet.active_count();
        self.hpa.record_scale(self.now, current, now_count);
        self.scale_actions = self.scale_actions.saturating_add(1);
    }

    pub(super) fn vertical_step(
        &mut self,
        o: Observation,
        out: &mut Vec<ServiceEvent>,
        record: bool,
    ) {
        let rule = Rule::Vertical;
        let resizing = self
            .fleet
            .instances()
            .first()
            .is_none_or(|i| i.state != InstanceState::Ready);
        if resizing {
            return;
        }
        let cores = self.machine.cores();
        let (dir, trig) = match self.config.threshold.wish(&o) {
            ThresholdVerdict::Up(t) => (Direction::Up, t),
            ThresholdVerdict::Down(t) => (Direction::Down, t),
            _ => {
                if record {
                    let hold = Verdict::Hold(Hold::WithinBand);
                    self.record_threshold(rule, &o, None, hold, cores, cores);
                }
                return;
            }
        };
        let possible = match dir {
            Direction::Up => self.machine.can_scale_up(),
            Direction::Down => self.machine.can_scale_down(),
        };
        if !possible {
            if record {
                let hold = match dir {
                    Direction::Up => Hold::AtMax,
                    Direction::Down => Hold::AtMin,
                };
                self.record_threshold(rule, &o, Some(trig), Verdict::Hold(hold), cores, cores);
            }
            if dir == Direction::Up {
                self.note_at_max(Rule::Vertical, &trig, cores, out);
            }
            return;
        }
        if let Some(until) = self.cooling_down(rule, dir, out) {
            if record {
                let hold = Verdict::Hold(Hold::Cooldown { until });
                self.record_threshold(rule, &o, Some(trig), hold, cores, cores);
            }
            return;
        }
        let (desired, verdict) = match dir {
            Direction::Up => (cores.saturating_mul(2), Verdict::Out),
            Direction::Down => (cores / 2, Verdict::In),
        };
        if record {
            self.record_threshold(rule, &o, Some(trig), verdict, cores, desired);
        }
        out.push(ServiceEvent::Decision {
            t: self.now,
            rule: Rule::Vertical,
            metric: trig.metric,
            value: trig.value,
            threshold: trig.threshold,
            current: cores,
            desired,
            reason: trig.reason,
        });
        if self.resize(dir, out).is_ok() {
            self.threshold.record_action(self.now);
            self.scale_actions = self.scale_actions.saturating_add(1);
            self.last_note = None;
        }
    }
}
