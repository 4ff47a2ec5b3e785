//! One tick of traffic through a fleet.
//!
//! Arrivals are spread evenly over *ready* instances (a round-robin balancer; the remainder
//! rotates so no instance is always the one with an extra request). Each instance serves up
//! to its capacity, keeps up to its queue limit waiting and drops the rest; draining
//! instances only work off their queue.
//!
//! Latency is read off the simulated backlog: a request served while `q` requests wait ahead
//! of it on an instance serving `r` per second takes `q / r + service time`. The backlog moves
//! linearly from its value at the start of the tick to its value at the end, and requests are
//! served evenly through the tick, so a tick's latencies are spread evenly between those two
//! ends; a few points per instance capture that.

use super::config::MemoryModel;
use super::horizontal::{Instance, InstanceState};

/// Latency points recorded per instance per tick.
const POINTS_PER_INSTANCE: u64 = 4;

/// Fixed parameters of the service model.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServiceModel {
    pub tick_us: u64,
    pub service_us: u64,
    pub memory: MemoryModel,
    /// Capacity of one standard instance: a bigger machine has proportionally more memory.
    pub base_capacity_rps: u64,
}

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TickTraffic {
    pub served: u64,
    pub dropped: u64,
    /// Served by ready instances (draining ones excluded): the CPU numerator.
    pub served_by_ready: u64,
    /// Requests ready instances could serve this tick: the CPU denominator.
    pub ready_capacity: u64,
    /// Mean memory utilisation of ready instances, %.
    pub memory_pct: f64,
    /// `(latency µs, requests)` of everything served.
    pub samples: Vec<(u64, u64)>,
}

/// Runs one tick: `arrivals` offered to `instances`.
pub(crate) fn serve_tick(
    instances: &mut [Instance],
    arrivals: u64,
    model: &ServiceModel,
    rr_cursor: &mut u64,
) -> TickTraffic {
    let mut out = TickTraffic::default();
    let ready = instances
        .iter()
        .filter(|i| i.state == InstanceState::Ready)
        .count() as u64;
    let (share, extra) = match (arrivals.checked_div(ready), arrivals.checked_rem(ready)) {
        (Some(share), Some(extra)) => (share, extra),
        _ => {
            // Nowhere to send anything: the whole tick's arrivals are turned away.
            out.dropped = arrivals;
            (0, 0)
        }
    };
    let start = if ready == 0 { 0 } else { *rr_cursor % ready };
    let mut memory_sum = 0.0;
    let mut ready_pos = 0u64;
    for inst in instances.iter_mut() {
        let incoming = match inst.state {
            InstanceState::Ready => {
                // Position relative to the rotating start decides who gets a remainder request.
                let rel = (ready_pos + ready - start) % ready;
                ready_pos += 1;
                share + u64::from(rel < extra)
            }
            InstanceState::Draining => 0,
            InstanceState::Warming => {
                inst.arrivals_last = 0;
                inst.served_last = 0;
                continue;
            }
        };
        let credit = inst
            .credit
            .saturating_add(inst.capacity_rps.saturating_mul(model.tick_us));
        let can = credit / 1_000_000;
        inst.credit = credit % 1_000_000;

        let q0 = inst.backlog;
        let available = q0.saturating_add(incoming);
        let served = available.min(can);
        let rest = available - served;
        let q1 = rest.min(inst.queue_limit);
        out.dropped = out.dropped.saturating_add(rest - q1);
        out.served = out.served.saturating_add(served);
        inst.backlog = q1;
        inst.arrivals_last = incoming;
        inst.served_last = served;
        push_latency(&mut out.samples, q0, q1, served, inst.capacity_rps, model);

        if inst.state == InstanceState::Ready {
            out.served_by_ready = out.served_by_ready.saturating_add(served);
            out.ready_capacity = out.ready_capacity.saturating_add(can);
            memory_sum += memory_pct(inst, served, model);
        }
    }
    if ready > 0 {
        out.memory_pct = memory_sum / ready as f64;
        *rr_cursor = (start + extra) % ready;
    } else {
        out.memory_pct = model.memory.baseline_pct;
    }
    out
}

/// Baseline plus a share per request in flight (waiting, or in service for `service_us` of
/// the tick), scaled down on a bigger machine.
fn memory_pct(inst: &Instance, served: u64, model: &ServiceModel) -> f64 {
    let in_service = served as f64 * model.service_us as f64 / model.tick_us.max(1) as f64;
    let in_flight = inst.backlog as f64 + in_service;
    let size = inst.capacity_rps as f64 / model.base_capacity_rps.max(1) as f64;
    let pct = model.memory.baseline_pct + model.memory.per_inflight_pct * in_flight / size;
    pct.clamp(0.0, 100.0)
}

fn push_latency(
    samples: &mut Vec<(u64, u64)>,
    q0: u64,
    q1: u64,
    served: u64,
    rate_rps: u64,
    model: &ServiceModel,
) {
    if served == 0 || rate_rps == 0 {
        return;
    }
    let k = served.min(POINTS_PER_INSTANCE);
    let (each, rem) = (served / k, served % k);
    for j in 0..k {
        let frac = (j as f64 + 0.5) / k as f64;
        let waiting = q0 as f64 + (q1 as f64 - q0 as f64) * frac;
        let wait_us = waiting * 1e6 / rate_rps as f64;
        let latency = libm::round(wait_us) as u64 + model.service_us;
        samples.push((latency, each + u64::from(j < rem)));
    }
}

#[cfg(test)]
mod tests {
    use super::super::horizontal::{HorizontalScaler, InstanceTemplate};
    use super::*;
    use crate::sim::SimTime;

    fn model() -> ServiceModel {
        ServiceModel {
            tick_us: 1_000_000,
            service_us: 20_000,
            memory: MemoryModel::default(),
            base_capacity_rps: 500,
        }
    }

    fn fleet(n: u32, queue: u64) -> HorizontalScaler {
        HorizontalScaler::with_ready(
            InstanceTemplate {
                capacity_rps: 500,
                cores: 1,
                queue_limit: queue,
                warmup: crate::sim::SimDuration::from_secs(30),
            },
            n,
        )
        .unwrap()
    }

    #[test]
    fn underload_is_served_at_service_time() {
        let mut f = fleet(2, 100);
        let mut rr = 0;
        let t = serve_tick(f.instances_mut(), 801, &model(), &mut rr);
        assert_eq!((t.served, t.dropped), (801, 0));
        assert_eq!(f.backlog(), 0);
        assert!(t.samples.iter().all(|s| s.0 == 20_000));
        // The odd request went to one instance, and the next odd one goes to the other.
        let first: Vec<u64> = f.instances().iter().map(|i| i.arrivals_last).collect();
        serve_tick(f.instances_mut(), 801, &model(), &mut rr);
        let second: Vec<u64> = f.instances().iter().map(|i| i.arrivals_last).collect();
        assert_ne!(first, second);
    }

    #[test]
    fn overload_queues_then_drops_and_latency_grows() {
        let mut f = fleet(1, 300);
        let mut rr = 0;
        let a = serve_tick(f.instances_mut(), 700, &model(), &mut rr);
        assert_eq!((a.served, a.dropped, f.backlog()), (500, 0, 200));
        let b = serve_tick(f.instances_mut(), 700, &model(), &mut rr);
        // 200 + 700 available, 500 served, 300 kept, 100 dropped.
        assert_eq!((b.served, b.dropped, f.backlog()), (500, 100, 300));
        let worst = b.samples.iter().map(|s| s.0).max().unwrap();
        assert!(
            worst > 400_000,
            "queue of ~300 at 500/s waits ~0.6 s, got {worst}"
        );
        assert_eq!(b.samples.iter().map(|s| s.1).sum::<u64>(), 500);
    }

    #[test]
    fn warming_instances_get_nothing_and_no_ready_drops_everything() {
        let mut f = fleet(0, 100);
        f.launch(SimTime::ZERO).unwrap();
        let mut rr = 0;
        let t = serve_tick(f.instances_mut(), 50, &model(), &mut rr);
        assert_eq!((t.served, t.dropped), (0, 50));
    }
}
