//! The app tier's autoscaler: the scaling scene's threshold rule on CPU, read every interval,
//! one instance per cooldown, new instances serving after their boot time.

use super::event::{AutoscaleWhy, SystemEvent};
use super::model::{later, new_instance, Pending, SystemModel};
use crate::scaling::{Observation, ThresholdVerdict};

impl SystemModel {
    /// One reading: CPU of the ready instances over the interval, the rule's wish, the
    /// cooldown, and the scale-out or scale-in it allows. Also closes the shards' window.
    pub(super) fn autoscale(&mut self, out: &mut Vec<SystemEvent>, report: bool) {
        let now = self.now;
        let interval = self.config.app.interval.0;
        let mut busy = 0u64;
        let mut ready = 0u32;
        for i in &mut self.tier.instances {
            if i.ready(now) {
                busy += i.busy_in_window.min(interval);
                ready += 1;
            }
            i.busy_in_window = 0;
        }
        let cpu_pct = if ready == 0 {
            0.0
        } else {
            100.0 * busy as f64 / (interval as f64 * f64::from(ready))
        };
        let window_secs = interval as f64 / 1e6;
        for s in &mut self.shards {
            s.rate = s.served_in_window as f64 / window_secs;
            s.served_in_window = 0;
        }
        let app = &self.config.app;
        let rule = &app.threshold;
        let observation = Observation {
            cpu_pct,
            ..Observation::default()
        };
        let fleet = self.tier.instances.len() as u32;
        let verdict = rule.evaluate(&observation, fleet, app.min, app.max);
        let acts = matches!(verdict, ThresholdVerdict::Up(_) | ThresholdVerdict::Down(_));
        let cooldown_until = if acts {
            self.rule.blocked(now, rule.cooldown)
        } else {
            None
        };
        let why = AutoscaleWhy {
            cpu_pct,
            up_pct: rule.up_pct,
            down_pct: rule.down_pct,
            ready,
            booting: fleet - ready,
            min: app.min,
            max: app.max,
            verdict,
            cooldown_until,
        };
        if report {
            out.push(SystemEvent::Autoscale { at: now, why });
        }
        self.last_autoscale = Some(why);
        let next = later(now, interval);
        self.queue.schedule(next, Pending::Autoscale);
        if cooldown_until.is_some() {
            return;
        }
        match verdict {
            ThresholdVerdict::Up(_) => self.scale_out(out, report),
            ThresholdVerdict::Down(_) => self.scale_in(out, report),
            ThresholdVerdict::Hold | ThresholdVerdict::AtLimit(_) => {}
        }
    }

    fn scale_out(&mut self, out: &mut Vec<SystemEvent>, report: bool) {
        let now = self.now;
        let ready_at = now.after(self.config.app.boot);
        let Ok(instance) = new_instance(&self.config, &mut self.tier, ready_at) else {
            return;
        };
        let id = instance.id;
        self.tier.instances.push(instance);
        self.strategy.on_server_added(1);
        self.rule.record_action(now);
        self.queue
            .schedule(ready_at, Pending::Ready { instance: id });
        if report {
            out.push(SystemEvent::InstanceBooting {
                at: now,
                instance: id,
                ready_at,
            });
        }
    }

    /// Removes the newest ready instance; the requests it holds still finish (a drain).
    fn scale_in(&mut self, out: &mut Vec<SystemEvent>, report: bool) {
        let now = self.now;
        let Some(victim) = self
            .tier
            .instances
            .iter()
            .rev()
            .find(|i| i.ready(now))
            .map(|i| i.id)
        else {
            return;
        };
        self.remove_instance(victim, false);
        self.rule.record_action(now);
        if report {
            out.push(SystemEvent::InstanceRemoved {
                at: now,
                instance: victim,
                killed: false,
            });
        }
    }

    /// Takes instance `id` out of server order; when `killed`, the requests it holds fail.
    pub(super) fn remove_instance(&mut self, id: u32, killed: bool) {
        let Some(position) = self.tier.position(id) else {
            return;
        };
        self.tier.instances.remove(position);
        self.strategy.on_server_removed(position as u32);
        if killed {
            self.tier.killed.push(id);
        }
    }
}
