//! The hybrid autoscaler: the threshold rule's verdict, turned into a resize while one machine
//! can still double under the ceiling, and into one more machine of the ceiling's size after
//! that. Shrinking goes the other way: machines leave first, then the last one is halved.

use super::{machine_queue_limit, push_launched, Service};
use crate::scaling::decision::{DecisionBasis, Hold, Verdict};
use crate::scaling::events::{Direction, RemovalReason, Rule, ServiceEvent};
use crate::scaling::horizontal::InstanceState;
use crate::scaling::hybrid::{HybridPhase, HybridWhy};
use crate::scaling::threshold::{Observation, ThresholdVerdict, Trigger};

/// What the hybrid rule does with a verdict, from where the lane is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HybridStep {
    /// One machine below the ceiling: double it (down while resized).
    Double,
    /// At the ceiling: launch one more machine of that size (it boots while the others serve).
    AddMachine,
    /// Several machines: drain the least loaded.
    RemoveMachine,
    /// One machine left: halve it (down while resized).
    Halve,
}

impl Service {
    /// Cores of every machine that is running or booting (draining ones are leaving).
    fn active_cores(&self) -> u32 {
        self.fleet
            .instances()
            .iter()
            .filter(|i| i.is_active())
            .fold(0u32, |a, i| a.saturating_add(i.cores))
    }

    /// Where the lane stands: up while one machine can still double, out after.
    pub fn hybrid_why(&self) -> HybridWhy {
        let machines = self.fleet.active_count();
        HybridWhy {
            phase: if machines <= 1 && self.machine.can_scale_up() {
                HybridPhase::Up
            } else {
                HybridPhase::Out
            },
            machine_cores: self.machine.cores(),
            ceiling_cores: reachable_ceiling(self.machine.cores(), self.machine.max_cores()),
            machines,
            max_machines: self.config.max_replicas,
        }
    }

    fn record_hybrid(
        &mut self,
        o: &Observation,
        trigger: Option<Trigger>,
        verdict: Verdict,
        cores: u32,
        desired: u32,
    ) {
        let position = self.hybrid_why();
        self.record_threshold(Rule::Hybrid, o, trigger, verdict, cores, desired);
        if let Some(DecisionBasis::Threshold(why)) = self.decision.as_mut().map(|d| &mut d.basis) {
            why.hybrid = Some(position);
        }
    }

    pub(super) fn hybrid_step(
        &mut self,
        o: Observation,
        out: &mut Vec<ServiceEvent>,
        record: bool,
    ) {
        let machines = self.fleet.active_count();
        // The last machine mid-resize has nothing to read until it is back.
        let resizing = machines <= 1
            && self
                .fleet
                .instances()
                .iter()
                .find(|i| i.is_active())
                .is_none_or(|i| i.state != InstanceState::Ready);
        if resizing {
            return;
        }
        let cores = self.active_cores();
        let (dir, trig) = match self.config.threshold.wish(&o) {
            ThresholdVerdict::Up(t) => (Direction::Up, t),
            ThresholdVerdict::Down(t) => (Direction::Down, t),
            _ => {
                if record {
                    let hold = Verdict::Hold(Hold::WithinBand);
                    self.record_hybrid(&o, None, hold, cores, cores);
                }
                return;
            }
        };
        let size = self.machine.cores();
        let step = match dir {
            Direction::Up if machines <= 1 && self.machine.can_scale_up() => {
                Some(HybridStep::Double)
            }
            Direction::Up if machines < self.config.max_replicas => Some(HybridStep::AddMachine),
            Direction::Down if machines > 1 => Some(HybridStep::RemoveMachine),
            Direction::Down if self.machine.can_scale_down() => Some(HybridStep::Halve),
            _ => None,
        };
        let Some(step) = step else {
            if record {
                let hold = match dir {
                    Direction::Up => Hold::AtMax,
                    Direction::Down => Hold::AtMin,
                };
                self.record_hybrid(&o, Some(trig), Verdict::Hold(hold), cores, cores);
            }
            if dir == Direction::Up {
                self.note_at_max(Rule::Hybrid, &trig, cores, out);
            }
            return;
        };
        if let Some(until) = self.cooling_down(Rule::Hybrid, dir, out) {
            if record {
                let hold = Verdict::Hold(Hold::Cooldown { until });
                self.record_hybrid(&o, Some(trig), hold, cores, cores);
            }
            return;
        }
        let (desired, verdict) = match step {
            HybridStep::Double => (cores.saturating_add(size), Verdict::Out),
            HybridStep::AddMachine => (cores.saturating_add(size), Verdict::Out),
            HybridStep::RemoveMachine => (cores.saturating_sub(size), Verdict::In),
            HybridStep::Halve => (cores.saturating_sub(size / 2), Verdict::In),
        };
        if record {
            self.record_hybrid(&o, Some(trig), verdict, cores, desired);
        }
        out.push(ServiceEvent::Decision {
            t: self.now,
            rule: Rule::Hybrid,
            metric: trig.metric,
            value: trig.value,
            threshold: trig.threshold,
            current: cores,
            desired,
            reason: trig.reason,
        });
        let done = match step {
            HybridStep::Double => self.resize(Direction::Up, out).is_ok(),
            HybridStep::Halve => self.resize(Direction::Down, out).is_ok(),
            HybridStep::AddMachine => self.launch_machine(out),
            HybridStep::RemoveMachine => match self.fleet.least_loaded() {
                Some(id) => self.drain(id, RemovalReason::ScaleIn, out).is_ok(),
                None => false,
            },
        };
        if done {
            self.threshold.record_action(self.now);
            self.scale_actions = self.scale_actions.saturating_add(1);
            self.last_note = None;
        }
    }

    /// Launches one more machine of the current size; it boots for the instance warm-up.
    fn launch_machine(&mut self, out: &mut Vec<ServiceEvent>) -> bool {
        let now = self.now;
        let capacity = self.machine.capacity_rps();
        let queue_limit = machine_queue_limit(&self.config, capacity);
        let ready_at = now.after(self.config.instance.warmup);
        let Ok(inst) =
            self.fleet
                .launch_spec(now, ready_at, capacity, self.machine.cores(), queue_limit)
        else {
            return false;
        };
        push_launched(now, inst, out);
        true
    }
}

/// The largest size doubling reaches from `cores` without passing `ceiling`.
fn reachable_ceiling(cores: u32, ceiling: u32) -> u32 {
    let mut c = cores.max(1);
    while c.saturating_mul(2) <= ceiling && c < c.saturating_mul(2) {
        c = c.saturating_mul(2);
    }
    c
}
