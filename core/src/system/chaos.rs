//! Chaos switches taking effect and wearing off.

use super::event::SystemEvent;
use super::model::{later, Pending, SystemModel};
use super::{SystemAction, SystemError};
use crate::caching::{Discard, L1Policy};
use crate::sim::ArrivalProcess;

impl SystemModel {
    /// Applies a checked action. The one step that can be refused (a spike's rate past the
    /// limit) runs first, so a refusal changes nothing.
    pub(super) fn start_chaos(&mut self, action: &SystemAction) -> Result<(), SystemError> {
        let now = self.now;
        match *action {
            SystemAction::Spike { multiplier, .. } => {
                let spiked = scaled(&self.config.workload.arrivals, multiplier);
                self.workload.set_arrivals(spiked, now)?;
            }
            SystemAction::KillInstance { instance } => {
                self.remove_instance(instance, true);
                self.pending_report.push(SystemEvent::InstanceRemoved {
                    at: now,
                    instance,
                    killed: true,
                });
            }
            SystemAction::SlowInstance {
                instance, factor, ..
            } => {
                if let Some(i) = self.tier.instances.iter_mut().find(|i| i.id == instance) {
                    i.slow = factor;
                }
            }
            SystemAction::FlushL2 => {
                self.l2.flush_with(&mut Discard);
            }
            SystemAction::CrashL2 { .. } => {
                self.l2.flush_with(&mut Discard);
                self.l2_down = true;
            }
            SystemAction::HotKey { key, share, .. } => self.hot = Some((key, share)),
            SystemAction::ShardDown { shard, .. } => {
                if let Some(s) = self.shards.get_mut(shard as usize) {
                    s.down = true;
                }
            }
            SystemAction::SlowShard { shard, factor, .. } => {
                if let Some(s) = self.shards.get_mut(shard as usize) {
                    s.slow = factor;
                }
            }
            SystemAction::Stampede { key, requests } => {
                self.l2.delete_with(key, &mut Discard);
                for i in &mut self.tier.instances {
                    i.l1.delete_with(key, &mut Discard);
                }
                for _ in 0..requests {
                    self.queue.schedule(now, Pending::Injected { key });
                }
            }
            SystemAction::SetCoalescing { on } => self.coalescing = on,
        }
        if action.is_timed() {
            let until = later(now, action.duration().0);
            self.queue
                .schedule(until, Pending::ChaosEnd(action.clone()));
        }
        self.pending_report.push(SystemEvent::ChaosStarted {
            at: now,
            chaos: action.clone(),
        });
        Ok(())
    }

    /// A timed switch wears off: its tier goes back to normal.
    pub(super) fn end_chaos(
        &mut self,
        action: &SystemAction,
        out: &mut Vec<SystemEvent>,
        report: bool,
    ) {
        let now = self.now;
        match *action {
            SystemAction::SlowInstance { instance, .. } => {
                if let Some(i) = self.tier.instances.iter_mut().find(|i| i.id == instance) {
                    i.slow = 1;
                }
            }
            SystemAction::CrashL2 { .. } => self.l2_down = false,
            SystemAction::HotKey { .. } => self.hot = None,
            SystemAction::ShardDown { shard, .. } => {
                if let Some(s) = self.shards.get_mut(shard as usize) {
                    s.down = false;
                }
            }
            SystemAction::SlowShard { shard, .. } => {
                if let Some(s) = self.shards.get_mut(shard as usize) {
                    s.slow = 1;
                }
            }
            SystemAction::Spike { .. } => {
                // The normal process validated when the model was built.
                let _ = self
                    .workload
                    .set_arrivals(self.config.workload.arrivals.clone(), now);
            }
            SystemAction::KillInstance { .. }
            | SystemAction::FlushL2
            | SystemAction::Stampede { .. }
            | SystemAction::SetCoalescing { .. } => {}
        }
        if report {
            out.push(SystemEvent::ChaosEnded {
                at: now,
                chaos: action.clone(),
            });
        }
    }
}

/// `process` with every rate multiplied by `k`.
pub(super) fn scaled(process: &ArrivalProcess, k: f64) -> ArrivalProcess {
    match *process {
        ArrivalProcess::Constant { rate } => ArrivalProcess::Constant { rate: rate * k },
        ArrivalProcess::Poisson { rate } => ArrivalProcess::Poisson { rate: rate * k },
        ArrivalProcess::Spike {
            base,
            peak,
            period,
            spike_len,
        } => ArrivalProcess::Spike {
            base: base * k,
            peak: peak * k,
            period,
            spike_len,
        },
        ArrivalProcess::Ramp { from, to, over } => ArrivalProcess::Ramp {
            from: from * k,
            to: to * k,
            over,
        },
        ArrivalProcess::Diurnal {
            mean,
            amplitude,
            period,
        } => ArrivalProcess::Diurnal {
            mean: mean * k,
            amplitude,
            period,
        },
    }
}
