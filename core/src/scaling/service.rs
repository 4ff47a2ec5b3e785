//! `Service`: a fleet (or one machine) under load, stepped one tick at a time.
//!
//! Each step is one tick `[t, t + tick)`:
//! 1. instances whose warm-up (or resize) has ended become ready;
//! 2. every instance that exists is billed for the tick;
//! 3. arrivals are drawn and served (see `traffic`), emptied draining instances leave;
//! 4. a `Tick` event reports the traffic, then the autoscaler of the current mode reads the
//!    metrics (optionally some ticks late) and acts at the tick's end.
//!
//! Conservation holds per tick: `offered = served + dropped + (backlog − previous backlog)`,
//! because nothing queued is ever discarded silently — scale-in drains, and the requests a
//! resize kills are counted as dropped in the next tick.

use super::config::ServiceConfig;
use super::cost::{CostMeter, CostSnapshot};
use super::decision::ScalingDecision;
use super::error::ScalingError;
use super::events::{Direction, Reason, RemovalReason, ServiceEvent};
use super::horizontal::{DrainOutcome, HorizontalScaler, Instance, InstanceState};
use super::hpa::Hpa;
use super::latency::RecentWindow;
use super::load::LoadSource;
use super::mode::ScalingMode;
use super::threshold::Observation;
use super::threshold::ThresholdRule;
use super::vertical::VerticalScaler;

mod autoscale;
mod hybrid;
mod recording;
mod tick;
use crate::sim::{ArrivalProcess, Percentiles, SimDuration, SimTime};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Running totals and the current state, for a dashboard or a comparison table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceStats {
    /// Simulated time.
    pub t: SimTime,
    /// The scaling mode now.
    pub mode: ScalingMode,
    /// Requests that arrived so far.
    pub offered: u64,
    /// Requests served so far.
    pub served: u64,
    /// Requests dropped so far.
    pub dropped: u64,
    /// Requests waiting now.
    pub backlog: u64,
    /// Instances taking traffic.
    pub ready: u32,
    /// Instances warming up (or the machine, while resized).
    pub warming: u32,
    /// Instances working off their queue before they leave.
    pub draining: u32,
    /// Requests per second of ready instances.
    pub capacity_rps: u64,
    /// Cores currently billed.
    pub cores: u32,
    /// What the capacity has cost so far.
    pub cost: CostSnapshot,
    /// Over every request served so far.
    pub latency: Percentiles,
    /// Over the recent window.
    pub recent_latency: Percentiles,
    /// Scaling actions taken by the autoscaler.
    pub scale_actions: u32,
}

/// A fleet or one machine under load, scaled by its mode's rule: see the module
/// documentation. One step is one tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    config: ServiceConfig,
    mode: ScalingMode,
    now: SimTime,
    load: LoadSource,
    fleet: HorizontalScaler,
    /// The vertical machine's size (its single fleet instance carries the traffic state).
    machine: VerticalScaler,
    threshold: ThresholdRule,
    hpa: Hpa,
    /// The last `metric_delay_ticks + 1` readings, oldest first.
    observations: VecDeque<Observation>,
    rr_cursor: u64,
    /// Queued requests a resize killed, reported as dropped in the next tick.
    lost_pending: u64,
    /// Why each draining instance is going. A short list (a fleet has at most `MAX_SERVERS`
    /// instances) that is only ever searched by id: a `Vec` rather than a `BTreeMap`, whose
    /// instantiation would cost ~5 KB of wasm.
    drain_reasons: Vec<(u32, RemovalReason)>,
    offered_total: u64,
    served_total: u64,
    dropped_total: u64,
    cost: CostMeter,
    latency: crate::sim::LatencyHistogram,
    recent: RecentWindow,
    /// Events from operations between steps, emitted by the next step.
    pending: Vec<ServiceEvent>,
    /// The last "can't go further" note and the count it was made at, so it is said once.
    last_note: Option<(Reason, u32)>,
    scale_actions: u32,
    /// The autoscaler's last evaluation, kept on the event path only.
    #[serde(skip)]
    decision: Option<ScalingDecision>,
}

impl Service {
    /// The service at time zero, after checking `config`: the initial fleet all ready, or
    /// the initial machine.
    pub fn new(config: ServiceConfig) -> Result<Self, ScalingError> {
        config.validate()?;
        let load = LoadSource::new(config.load.clone(), config.seed)?;
        let machine = config.vertical_scaler()?;
        let template = config.instance.template();
        let fleet = if config.mode.resizes() {
            let mut f = HorizontalScaler::new(template)?;
            let cap = machine.capacity_rps();
            f.launch_spec(
                SimTime::ZERO,
                SimTime::ZERO,
                cap,
                machine.cores(),
                machine_queue_limit(&config, cap),
            )?;
            f
        } else {
            HorizontalScaler::with_ready(template, config.initial_instances)?
        };
        let threshold = ThresholdRule::new(fleet.active_count());
        Ok(Service {
            mode: config.mode,
            now: SimTime::ZERO,
            load,
            fleet,
            machine,
            threshold,
            hpa: Hpa::starting_at(SimTime::ZERO),
            observations: VecDeque::new(),
            rr_cursor: 0,
            lost_pending: 0,
            drain_reasons: Vec::new(),
            offered_total: 0,
            served_total: 0,
            dropped_total: 0,
            cost: CostMeter::new(),
            latency: crate::sim::LatencyHistogram::new(),
            recent: RecentWindow::new(config.latency_window_ticks),
            pending: Vec::new(),
            last_note: None,
            scale_actions: 0,
            decision: None,
            config,
        })
    }

    /// Its config, with the mode and load it runs now.
    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }

    /// The scaling mode now.
    pub fn mode(&self) -> ScalingMode {
        self.mode
    }

    /// The most instances the rule that sizes the fleet runs at once: the autoscaler's
    /// maximum, or the hybrid rule's most machines; `None` when the user sizes the fleet
    /// (manual) or it is one machine (vertical).
    pub fn rule_max_instances(&self) -> Option<u32> {
        (self.mode.is_autoscaled() || self.mode == ScalingMode::Hybrid)
            .then_some(self.config.max_replicas)
    }

    /// The offered load now.
    pub fn load(&self) -> &ArrivalProcess {
        self.load.process()
    }

    /// Every instance (in vertical mode, the one machine), in launch order.
    pub fn instances(&self) -> &[Instance] {
        self.fleet.instances()
    }

    /// The fleet: counts, capacity, the least-loaded instance.
    pub fn fleet(&self) -> &HorizontalScaler {
        &self.fleet
    }

    /// The vertical machine's size (meaningful in vertical mode).
    pub fn machine(&self) -> &VerticalScaler {
        &self.machine
    }

    /// The replica count the naive rule believes in (equals the fleet unless a scale-in missed).
    pub fn believed_replicas(&self) -> u32 {
        self.threshold.believed()
    }

    /// The reading the autoscaler last acted on (after the metric delay).
    pub fn last_observation(&self) -> Option<Observation> {
        self.observations.front().copied()
    }

    /// The autoscaler's last evaluation on the event path (`step_into`): what it read, the
    /// lines, windows and limits it applied, and the count it set. Fast-forward
    /// (`step_quiet`) evaluates without recording, so this may be older than the last step;
    /// its `at` says when it was made. `None` before the first one, and in manual mode.
    pub fn last_decision(&self) -> Option<&ScalingDecision> {
        self.decision.as_ref()
    }

    /// What the capacity has cost so far.
    pub fn cost(&self) -> CostSnapshot {
        self.cost
            .snapshot(self.config.price_per_core_hour / 3_600.0)
    }

    /// Latency percentiles over every request served so far.
    pub fn latency(&self) -> Percentiles {
        self.latency.percentiles()
    }

    /// Latency percentiles over the recent window (`latency_window_ticks`).
    pub fn recent_latency(&self) -> Percentiles {
        self.recent.percentiles()
    }

    /// Running totals and the current state.
    pub fn stats(&self) -> ServiceStats {
        ServiceStats {
            t: self.now,
            mode: self.mode,
            offered: self.offered_total,
            served: self.served_total,
            // A resize's lost queue counts as dropped at once, though it joins the drops of
            // the tick that follows it: every offered request is always accounted for.
            dropped: self.dropped_total.saturating_add(self.lost_pending),
            backlog: self.fleet.backlog(),
            ready: self.fleet.ready_count(),
            warming: self.fleet.warming_count(),
            draining: self.fleet.draining_count(),
            capacity_rps: self.fleet.capacity_rps(),
            cores: self.billed_cores(),
            cost: self.cost(),
            latency: self.latency(),
            recent_latency: self.recent_latency(),
            scale_actions: self.scale_actions,
        }
    }

    fn billed_cores(&self) -> u32 {
        self.fleet
            .instances()
            .iter()
            .fold(0u32, |a, i| a.saturating_add(i.cores))
    }

    // ---- operations -------------------------------------------------------------------

    /// Replaces the load from the next tick on.
    pub fn set_load(&mut self, load: ArrivalProcess) -> Result<(), ScalingError> {
        self.load.set_process(load.clone())?;
        self.config.load = load.clone();
        self.pending
            .push(ServiceEvent::LoadChanged { t: self.now, load });
        Ok(())
    }

    /// Switches between horizontal modes (manual, threshold, naive threshold, HPA); a vertical
    /// or hybrid lane keeps its mode until it is rebuilt. The new
    /// autoscaler starts fresh: no cooldown, no HPA history.
    pub fn set_mode(&mut self, mode: ScalingMode) -> Result<(), ScalingError> {
        if mode == self.mode {
            return Ok(());
        }
        if !(mode.is_horizontal() && self.mode.is_horizontal()) {
            return Err(ScalingError::ModeSwitchNeedsRestart {
                from: self.mode,
                to: mode,
            });
        }
        let from = self.mode;
        self.mode = mode;
        self.config.mode = mode;
        self.threshold = ThresholdRule::new(self.fleet.active_count());
        self.hpa = Hpa::starting_at(self.now);
        self.last_note = None;
        self.pending.push(ServiceEvent::ModeChanged {
            t: self.now,
            from,
            to: mode,
        });
        Ok(())
    }

    /// Launches one instance by hand; returns its id.
    pub fn add_instance(&mut self) -> Result<u32, ScalingError> {
        self.require_horizontal("adding an instance")?;
        let mut out = core::mem::take(&mut self.pending);
        let launched = self.launch(&mut out);
        self.pending = out;
        let id = launched?;
        self.threshold.set_believed(self.fleet.active_count());
        Ok(id)
    }

    /// Takes an instance out by hand: it drains its queue, then leaves.
    pub fn remove_instance(&mut self, id: u32) -> Result<(), ScalingError> {
        self.require_horizontal("removing an instance")?;
        let inst = self
            .fleet
            .get(id)
            .ok_or(ScalingError::UnknownInstance { id })?;
        if inst.state == InstanceState::Draining {
            return Err(ScalingError::AlreadyDraining {
                id,
                name: inst.name.clone(),
            });
        }
        if self.fleet.active_count() <= 1 {
            return Err(ScalingError::LastInstance {
                name: inst.name.clone(),
            });
        }
        let mut out = core::mem::take(&mut self.pending);
        let result = self.drain(id, RemovalReason::Manual, &mut out);
        self.pending = out;
        result?;
        self.threshold.set_believed(self.fleet.active_count());
        Ok(())
    }

    /// Doubles the vertical machine by hand (it goes down for the resize downtime).
    pub fn resize_up(&mut self) -> Result<(), ScalingError> {
        self.resize_by_hand(Direction::Up)
    }

    /// Halves the vertical machine by hand.
    pub fn resize_down(&mut self) -> Result<(), ScalingError> {
        self.resize_by_hand(Direction::Down)
    }

    fn resize_by_hand(&mut self, dir: Direction) -> Result<(), ScalingError> {
        if self.mode != ScalingMode::Vertical {
            return Err(ScalingError::NotVertical {
                operation: "resizing the machine",
                mode: self.mode,
            });
        }
        if let Some(inst) = self.fleet.instances().first() {
            if inst.state != InstanceState::Ready {
                return Err(ScalingError::MachineResizing {
                    until: inst.ready_at,
                });
            }
        }
        let mut out = core::mem::take(&mut self.pending);
        let result = self.resize(dir, &mut out);
        self.pending = out;
        result
    }

    fn require_horizontal(&self, operation: &'static str) -> Result<(), ScalingError> {
        if self.mode.is_horizontal() {
            Ok(())
        } else {
            Err(ScalingError::NotHorizontal {
                operation,
                mode: self.mode,
            })
        }
    }

    // ---- fleet changes -----------------------------------------------------------------

    fn launch(&mut self, out: &mut Vec<ServiceEvent>) -> Result<u32, ScalingError> {
        let now = self.now;
        let inst = self.fleet.launch(now)?;
        push_launched(now, inst, out);
        Ok(inst.id)
    }

    fn drain(
        &mut self,
        id: u32,
        reason: RemovalReason,
        out: &mut Vec<ServiceEvent>,
    ) -> Result<(), ScalingError> {
        let name = self
            .fleet
            .get(id)
            .map(|i| i.name.clone())
            .ok_or(ScalingError::UnknownInstance { id })?;
        let t = self.now;
        match self.fleet.drain(id)? {
            DrainOutcome::Removed(_) => {
                out.push(ServiceEvent::InstanceRemoved {
                    t,
                    id,
                    name,
                    reason,
                });
            }
            DrainOutcome::Draining { backlog } => {
                self.drain_reasons.retain(|&(d, _)| d != id);
                self.drain_reasons.push((id, reason));
                out.push(ServiceEvent::InstanceDraining {
                    t,
                    id,
                    name,
                    backlog,
                    reason,
                });
            }
        }
        Ok(())
    }

    /// Resizes the vertical machine: its queue is lost and it is down for the downtime.
    fn resize(&mut self, dir: Direction, out: &mut Vec<ServiceEvent>) -> Result<(), ScalingError> {
        let from = self.machine.cores();
        let spec = match dir {
            Direction::Up => self.machine.scale_up()?,
            Direction::Down => self.machine.scale_down()?,
        };
        let downtime = self.config.vertical.resize_downtime;
        let now = self.now;
        let ready_at = now.after(downtime);
        let capacity = self.machine.capacity_rps();
        let queue_limit = machine_queue_limit(&self.config, capacity);
        let mut lost = 0;
        // The machine is the first instance still running: in hybrid mode the first machine
        // may have been scaled in, and only one is left when it is resized.
        let machine = self
            .fleet
            .instances_mut()
            .iter_mut()
            .find(|i| i.is_active());
        if let Some(inst) = machine {
            if downtime > SimDuration::ZERO {
                lost = inst.backlog;
                inst.backlog = 0;
                inst.credit = 0;
                inst.state = InstanceState::Warming;
            }
            inst.ready_at = ready_at;
            inst.cores = spec.cores;
            inst.capacity_rps = capacity;
            inst.queue_limit = queue_limit;
        }
        self.lost_pending = self.lost_pending.saturating_add(lost);
        out.push(ServiceEvent::Resized {
            t: now,
            from_cores: from,
            to_cores: spec.cores,
            downtime,
            ready_at,
            lost,
        });
        Ok(())
    }
}

/// What launching `inst` at `now` shows: its launch, and its readiness at once when it needs
/// no warm-up.
fn push_launched(now: SimTime, inst: &Instance, out: &mut Vec<ServiceEvent>) {
    out.push(ServiceEvent::InstanceLaunched {
        t: now,
        id: inst.id,
        name: inst.name.clone(),
        ready_at: inst.ready_at,
    });
    if inst.state == InstanceState::Ready {
        out.push(ServiceEvent::InstanceReady {
            t: now,
            id: inst.id,
            name: inst.name.clone(),
        });
    }
}

/// The vertical machine's queue: as many seconds of waiting as a standard instance allows.
pub(super) fn machine_queue_limit(config: &ServiceConfig, capacity_rps: u64) -> u64 {
    let q = u128::from(config.instance.queue_limit) * u128::from(capacity_rps)
        / u128::from(config.instance.capacity_rps.max(1));
    u64::try_from(q).unwrap_or(u64::MAX)
}
