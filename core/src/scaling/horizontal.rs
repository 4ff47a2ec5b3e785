//! Horizontal scaling: a fleet of identical instances.
//!
//! An instance is launched *warming* and takes traffic only once *ready*: a fleet's capacity
//! counts ready instances, never ones still booting (the common tutorial counts every instance it
//! has asked for, so a scale-out looks instant). Scale-in *drains* an instance — no new
//! traffic, it finishes its queue — and removes it once empty, so no accepted request vanishes.

use super::error::{check_duration, ScalingError};
use crate::sim::{check_count, limits, SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// Where an instance is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstanceState {
    /// Launched (or being resized), not yet serving.
    Warming,
    /// Serving traffic.
    Ready,
    /// Finishing its queue before removal; receives no new requests.
    Draining,
}

/// One instance and its traffic state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// Its id, from 1, never reused.
    pub id: u32,
    /// `instance_<id>`.
    pub name: String,
    /// Warming, ready or draining.
    pub state: InstanceState,
    /// When it was launched.
    pub launched_at: SimTime,
    /// When it becomes (or became) ready.
    pub ready_at: SimTime,
    /// Cores it is billed for.
    pub cores: u32,
    /// Requests per second it serves when ready.
    pub capacity_rps: u64,
    /// Requests it may hold waiting; more are dropped.
    pub queue_limit: u64,
    /// Requests waiting at the end of the last tick.
    pub backlog: u64,
    /// Requests it was sent in the last tick.
    pub arrivals_last: u64,
    /// Requests it served in the last tick.
    pub served_last: u64,
    /// Fractional service credit carried between ticks, in request·µs (below one request).
    pub(crate) credit: u64,
}

impl Instance {
    /// A load figure for "least loaded": what is waiting plus what it just served.
    pub fn load(&self) -> u64 {
        self.backlog.saturating_add(self.served_last)
    }

    /// Warming or ready: counted as a replica (draining ones are on their way out).
    pub fn is_active(&self) -> bool {
        self.state != InstanceState::Draining
    }

    /// The share of its capacity it served in the last tick of length `tick`, 0–1.
    pub fn utilisation(&self, tick: SimDuration) -> f64 {
        let per_tick = self.capacity_rps as f64 * tick.as_secs_f64();
        if per_tick > 0.0 {
            (self.served_last as f64 / per_tick).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// How full its queue is, 0–1.
    pub fn queue_share(&self) -> f64 {
        (self.backlog as f64 / self.queue_limit.max(1) as f64).clamp(0.0, 1.0)
    }

    /// How far through its warm-up it is at `now`, 0–1 (1 once ready or draining).
    pub fn warm_progress(&self, now: SimTime) -> f64 {
        if self.state != InstanceState::Warming {
            return 1.0;
        }
        let total = self.ready_at.0.saturating_sub(self.launched_at.0).max(1) as f64;
        (now.0.saturating_sub(self.launched_at.0) as f64 / total).clamp(0.0, 1.0)
    }

    /// Warm-up time left at `now` (zero once ready).
    pub fn warm_left(&self, now: SimTime) -> SimDuration {
        SimDuration(self.ready_at.0.saturating_sub(now.0))
    }
}

/// What every new instance of a fleet looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceTemplate {
    /// Requests per second one ready instance serves.
    pub capacity_rps: u64,
    /// Cores each is billed for.
    pub cores: u32,
    /// Requests that may wait on each; more are dropped.
    pub queue_limit: u64,
    /// From launch to taking traffic.
    pub warmup: SimDuration,
}

impl Default for InstanceTemplate {
    fn default() -> Self {
        InstanceTemplate {
            capacity_rps: 500,
            cores: 1,
            queue_limit: 1_000,
            warmup: SimDuration::from_secs(30),
        }
    }
}

impl InstanceTemplate {
    /// Checks each figure against its range.
    pub fn validate(&self) -> Result<(), ScalingError> {
        check_count(
            "instance capacity (req/s)",
            self.capacity_rps,
            1,
            limits::MAX_RATE_PER_SEC as u64,
        )?;
        check_count("instance cores", u64::from(self.cores), 1, 1_024)?;
        check_count(
            "instance queue limit",
            self.queue_limit,
            0,
            limits::MAX_SERVER_SLOTS,
        )?;
        check_duration(
            "instance warm-up",
            self.warmup,
            SimDuration::ZERO,
            SimDuration(limits::MAX_DURATION_MICROS),
        )?;
        Ok(())
    }
}

/// What became of an instance asked to leave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DrainOutcome {
    /// It had nothing queued and is gone.
    Removed(Instance),
    /// It is finishing `backlog` queued requests first.
    Draining { backlog: u64 },
}

/// A fleet of instances with sequential ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HorizontalScaler {
    template: InstanceTemplate,
    instances: Vec<Instance>,
    next_id: u32,
}

/// Most instances alive at once, draining ones included (each was once one of the
/// `MAX_SERVERS` active ones, so this only bounds pathological churn).
const MAX_TOTAL: u64 = 2 * limits::MAX_SERVERS;

impl HorizontalScaler {
    /// An empty fleet.
    pub fn new(template: InstanceTemplate) -> Result<Self, ScalingError> {
        template.validate()?;
        Ok(HorizontalScaler {
            template,
            instances: Vec::new(),
            next_id: 1,
        })
    }

    /// A fleet of `count` instances already ready at time zero (a warm starting fleet).
    pub fn with_ready(template: InstanceTemplate, count: u32) -> Result<Self, ScalingError> {
        let mut fleet = Self::new(template)?;
        if u64::from(count) > limits::MAX_SERVERS {
            return Err(ScalingError::TooManyInstances {
                field: "initial instances",
                value: u64::from(count),
                max: limits::MAX_SERVERS,
            });
        }
        for _ in 0..count {
            fleet.launch_spec(
                SimTime::ZERO,
                SimTime::ZERO,
                template.capacity_rps,
                template.cores,
                template.queue_limit,
            )?;
        }
        Ok(fleet)
    }

    /// What new instances are launched from.
    pub fn template(&self) -> InstanceTemplate {
        self.template
    }

    /// Every instance, warming, ready or draining, in launch order.
    pub fn instances(&self) -> &[Instance] {
        &self.instances
    }

    pub(crate) fn instances_mut(&mut self) -> &mut [Instance] {
        &mut self.instances
    }

    /// The instance with this id, if it is still in the fleet.
    pub fn get(&self, id: u32) -> Option<&Instance> {
        self.instances.iter().find(|i| i.id == id)
    }

    /// The instance with this name, if it is still in the fleet.
    pub fn find_by_name(&self, name: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.name == name)
    }

    /// Launches one instance from the template at `now`; it is ready at `now + warmup`
    /// (immediately if the warm-up is zero).
    pub fn launch(&mut self, now: SimTime) -> Result<&Instance, ScalingError> {
        let t = self.template;
        self.launch_spec(
            now,
            now.after(t.warmup),
            t.capacity_rps,
            t.cores,
            t.queue_limit,
        )
    }

    /// Launches an instance with an explicit size (the vertical machine uses this).
    pub(crate) fn launch_spec(
        &mut self,
        now: SimTime,
        ready_at: SimTime,
        capacity_rps: u64,
        cores: u32,
        queue_limit: u64,
    ) -> Result<&Instance, ScalingError> {
        if self.active_count() as u64 >= limits::MAX_SERVERS
            || self.instances.len() as u64 >= MAX_TOTAL
        {
            return Err(ScalingError::FleetFull {
                max: limits::MAX_SERVERS,
            });
        }
        let id = self.next_id;
        self.next_id = id.checked_add(1).ok_or(ScalingError::FleetFull {
            max: limits::MAX_SERVERS,
        })?;
        let state = if ready_at <= now {
            InstanceState::Ready
        } else {
            InstanceState::Warming
        };
        self.instances.push(Instance {
            id,
            name: format!("instance_{id}"),
            state,
            launched_at: now,
            ready_at,
            cores,
            capacity_rps,
            queue_limit,
            backlog: 0,
            arrivals_last: 0,
            served_last: 0,
            credit: 0,
        });
        self.instances
            .last()
            .ok_or(ScalingError::UnknownInstance { id })
    }

    /// Marks warming instances whose warm-up has ended as ready; returns their ids.
    pub fn promote_ready(&mut self, now: SimTime) -> Vec<u32> {
        let mut promoted = Vec::new();
        for inst in &mut self.instances {
            if inst.state == InstanceState::Warming && inst.ready_at <= now {
                inst.state = InstanceState::Ready;
                promoted.push(inst.id);
            }
        }
        promoted
    }

    /// Takes an instance out of rotation: removed at once if nothing is queued, otherwise
    /// draining until its queue is empty.
    pub fn drain(&mut self, id: u32) -> Result<DrainOutcome, ScalingError> {
        let pos = self
            .instances
            .iter()
            .position(|i| i.id == id)
            .ok_or(ScalingError::UnknownInstance { id })?;
        let inst = self
            .instances
            .get_mut(pos)
            .ok_or(ScalingError::UnknownInstance { id })?;
        if inst.state == InstanceState::Draining {
            return Err(ScalingError::AlreadyDraining {
                id,
                name: inst.name.clone(),
            });
        }
        if inst.backlog == 0 {
            return Ok(DrainOutcome::Removed(self.instances.remove(pos)));
        }
        inst.state = InstanceState::Draining;
        Ok(DrainOutcome::Draining {
            backlog: inst.backlog,
        })
    }

    /// Removes draining instances whose queue has emptied, in id order.
    pub fn remove_drained(&mut self) -> Vec<Instance> {
        let (gone, kept) = std::mem::take(&mut self.instances)
            .into_iter()
            .partition(|i| i.state == InstanceState::Draining && i.backlog == 0);
        self.instances = kept;
        gone
    }

    /// Requests per second the fleet serves now: ready instances only.
    pub fn capacity_rps(&self) -> u64 {
        self.instances
            .iter()
            .filter(|i| i.state == InstanceState::Ready)
            .fold(0u64, |acc, i| acc.saturating_add(i.capacity_rps))
    }

    /// Instances taking traffic.
    pub fn ready_count(&self) -> u32 {
        self.count(InstanceState::Ready)
    }

    /// Instances warming up.
    pub fn warming_count(&self) -> u32 {
        self.count(InstanceState::Warming)
    }

    /// Instances working off their queue before they leave.
    pub fn draining_count(&self) -> u32 {
        self.count(InstanceState::Draining)
    }

    /// Warming + ready: the replicas an autoscaler counts.
    pub fn active_count(&self) -> u32 {
        self.ready_count() + self.warming_count()
    }

    fn count(&self, state: InstanceState) -> u32 {
        self.instances.iter().filter(|i| i.state == state).count() as u32
    }

    /// Requests waiting across the fleet (draining instances included).
    pub fn backlog(&self) -> u64 {
        self.instances
            .iter()
            .fold(0u64, |acc, i| acc.saturating_add(i.backlog))
    }

    /// The active instance with the least load; ties go to the newest (highest id), so a
    /// still-warming instance, which has no load, is the first to go.
    pub fn least_loaded(&self) -> Option<u32> {
        self.instances
            .iter()
            .filter(|i| i.is_active())
            .min_by(|a, b| a.load().cmp(&b.load()).then(b.id.cmp(&a.id)))
            .map(|i| i.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> InstanceTemplate {
        InstanceTemplate {
            capacity_rps: 500,
            cores: 1,
            queue_limit: 100,
            warmup: SimDuration::from_secs(30),
        }
    }

    /// What an instance's box on the page shows: its load, queue and warm-up progress.
    #[test]
    fn an_instance_reports_its_load_queue_and_warm_up() {
        let mut f = HorizontalScaler::with_ready(template(), 1).unwrap();
        let inst = f.launch(SimTime::from_secs(10)).unwrap().clone();
        assert_eq!(inst.warm_progress(SimTime::from_secs(10)), 0.0);
        assert_eq!(inst.warm_progress(SimTime::from_secs(25)), 0.5);
        assert_eq!(inst.warm_progress(SimTime::from_secs(99)), 1.0);
        assert_eq!(
            inst.warm_left(SimTime::from_secs(25)),
            SimDuration::from_secs(15)
        );
        assert_eq!(inst.warm_left(SimTime::from_secs(99)), SimDuration::ZERO);
        let mut ready = inst;
        ready.state = InstanceState::Ready;
        assert_eq!(ready.warm_progress(SimTime::from_secs(10)), 1.0);
        // 500 req/s for a 1 s tick: 250 served is half its capacity; 25 waiting of 100.
        ready.served_last = 250;
        ready.backlog = 25;
        assert_eq!(ready.utilisation(SimDuration::from_secs(1)), 0.5);
        assert_eq!(ready.utilisation(SimDuration::from_millis(100)), 1.0);
        assert_eq!(ready.queue_share(), 0.25);
    }

    #[test]
    fn capacity_counts_ready_instances_only() {
        let mut f = HorizontalScaler::with_ready(template(), 2).unwrap();
        assert_eq!(f.capacity_rps(), 1_000);
        let t = SimTime::from_secs(10);
        let inst = f.launch(t).unwrap();
        assert_eq!(inst.name, "instance_3");
        assert_eq!(inst.ready_at, SimTime::from_secs(40));
        assert_eq!(f.capacity_rps(), 1_000);
        assert!(f.promote_ready(SimTime::from_secs(39)).is_empty());
        assert_eq!(f.capacity_rps(), 1_000);
        assert_eq!(f.promote_ready(SimTime::from_secs(40)), vec![3]);
        assert_eq!(f.capacity_rps(), 1_500);
    }

    #[test]
    fn drain_removes_empty_instances_at_once_and_waits_for_busy_ones() {
        let mut f = HorizontalScaler::with_ready(template(), 3).unwrap();
        f.instances_mut()[1].backlog = 7;
        assert!(matches!(f.drain(1), Ok(DrainOutcome::Removed(_))));
        assert_eq!(f.drain(2), Ok(DrainOutcome::Draining { backlog: 7 }));
        assert!(matches!(
            f.drain(2),
            Err(ScalingError::AlreadyDraining { .. })
        ));
        assert_eq!(f.drain(9), Err(ScalingError::UnknownInstance { id: 9 }));
        assert_eq!(f.active_count(), 1);
        assert!(f.remove_drained().is_empty());
        f.instances_mut()[0].backlog = 0;
        assert_eq!(f.remove_drained().len(), 1);
        assert_eq!(f.instances().len(), 1);
    }

    #[test]
    fn least_loaded_prefers_idle_then_newest() {
        let mut f = HorizontalScaler::with_ready(template(), 3).unwrap();
        for (i, load) in [5u64, 2, 9].iter().enumerate() {
            f.instances_mut()[i].served_last = *load;
        }
        assert_eq!(f.least_loaded(), Some(2));
        f.launch(SimTime::ZERO).unwrap();
        assert_eq!(f.least_loaded(), Some(4));
    }
}
