//! One tick of a [`Service`]: the steps the module documentation of `service` lists, in
//! that order, ending with the autoscaler of the current mode.

use super::Service;
use crate::model::Model;
use crate::scaling::events::RemovalReason;
use crate::scaling::events::ServiceEvent;
use crate::scaling::latency::{merge_samples, weighted_percentiles};
use crate::scaling::mode::ScalingMode;
use crate::scaling::threshold::Observation;
use crate::scaling::traffic::{serve_tick, ServiceModel};
use crate::sim::SimTime;

impl Model for Service {
    type Event = ServiceEvent;

    fn now(&self) -> SimTime {
        self.now
    }

    fn step_into(&mut self, out: &mut Vec<ServiceEvent>) {
        self.step_with(out, true);
    }

    /// The same state change as `step_into`, without recording the autoscaler's decision.
    fn step_quiet(&mut self, scratch: &mut Vec<ServiceEvent>) {
        scratch.clear();
        self.step_with(scratch, false);
        scratch.clear();
    }
}

impl Service {
    /// One tick (see [`Model::step_into`]); with `record` the autoscaler's evaluation is kept
    /// as [`Service::last_decision`].
    pub(crate) fn step_with(&mut self, out: &mut Vec<ServiceEvent>, record: bool) {
        out.append(&mut self.pending);
        let start = self.now;
        let len = self.config.tick;
        let end = start.after(len);

        for id in self.fleet.promote_ready(start) {
            if let Some(inst) = self.fleet.get(id) {
                out.push(ServiceEvent::InstanceReady {
                    t: start,
                    id,
                    name: inst.name.clone(),
                });
            }
        }
        for inst in self.fleet.instances() {
            self.cost.bill(inst.cores, len.0);
        }
        let cores = self.billed_cores();

        let offered = self.load.draw(start, len);
        let model = ServiceModel {
            tick_us: len.0,
            service_us: self.config.instance.service_time.0,
            memory: self.config.memory,
            base_capacity_rps: self.config.instance.capacity_rps,
        };
        let mut traffic = serve_tick(
            self.fleet.instances_mut(),
            offered,
            &model,
            &mut self.rr_cursor,
        );
        traffic.dropped = traffic
            .dropped
            .saturating_add(core::mem::take(&mut self.lost_pending));

        for inst in self.fleet.remove_drained() {
            let reason = match self.drain_reasons.iter().position(|&(d, _)| d == inst.id) {
                Some(at) => self.drain_reasons.swap_remove(at).1,
                None => RemovalReason::ScaleIn,
            };
            out.push(ServiceEvent::InstanceRemoved {
                t: end,
                id: inst.id,
                name: inst.name,
                reason,
            });
        }

        merge_samples(&mut traffic.samples);
        let tick_latency = weighted_percentiles(&traffic.samples);
        for &(lat, n) in &traffic.samples {
            self.latency.record_n(lat, n);
        }
        self.recent.push(traffic.samples);

        self.offered_total = self.offered_total.saturating_add(offered);
        self.served_total = self.served_total.saturating_add(traffic.served);
        self.dropped_total = self.dropped_total.saturating_add(traffic.dropped);

        let utilisation_pct = if traffic.ready_capacity == 0 {
            0.0
        } else {
            traffic.served_by_ready as f64 * 100.0 / traffic.ready_capacity as f64
        };
        let capacity_rps = self.fleet.capacity_rps();
        out.push(ServiceEvent::Tick {
            t: end,
            len,
            offered,
            served: traffic.served,
            dropped: traffic.dropped,
            capacity_rps,
            utilisation_pct,
            memory_pct: traffic.memory_pct,
            backlog: self.fleet.backlog(),
            ready: self.fleet.ready_count(),
            warming: self.fleet.warming_count(),
            draining: self.fleet.draining_count(),
            cores,
            p95_us: tick_latency.p95,
        });

        self.observations.push_back(Observation {
            cpu_pct: utilisation_pct,
            memory_pct: traffic.memory_pct,
            rate_rps: offered as f64 / len.as_secs_f64(),
            capacity_rps: capacity_rps as f64,
            error_pct: if offered == 0 {
                0.0
            } else {
                // A resize's lost queue joins the tick's drops, so cap at every request.
                (traffic.dropped as f64 * 100.0 / offered as f64).min(100.0)
            },
        });
        let keep = self.config.metric_delay_ticks as usize + 1;
        while self.observations.len() > keep {
            self.observations.pop_front();
        }
        self.now = end;

        // The reading `metric_delay_ticks` ticks old; until there is one, the autoscaler
        // has nothing to read and waits.
        if self.observations.len() < keep {
            return;
        }
        let Some(seen) = self.observations.front().copied() else {
            return;
        };
        match self.mode {
            ScalingMode::Manual => {}
            ScalingMode::Threshold | ScalingMode::ThresholdNaive => {
                self.threshold_step(seen, out, record)
            }
            ScalingMode::Hpa => self.hpa_step(seen, out, record),
            ScalingMode::Vertical => self.vertical_step(seen, out, record),
            ScalingMode::Hybrid => self.hybrid_step(seen, out, record),
        }
    }
}
