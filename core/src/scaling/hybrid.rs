//! Hybrid scaling: scale up until a ceiling, then scale out.
//!
//! A hybrid lane starts as one machine, like the vertical mode, and grows by doubling it (down
//! while it is resized) as long as the doubled size fits under the ceiling. Once it cannot
//! double any more, it adds instances of that size, which boot while the others keep serving.
//! It shrinks the other way round: it removes instances until one machine is left, then halves
//! that machine. Cloud teams do this when one bigger machine is the cheaper first step (no
//! load balancer, no cross-machine state) but a single machine cannot be the last one.

use super::error::ScalingError;
use super::vertical::VerticalConfig;
use crate::sim::check_count;
use serde::{Deserialize, Serialize};

/// The hybrid mode's ceiling: the largest machine it scales up to before it scales out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HybridConfig {
    /// Cores a machine may reach by doubling. Doubling stops at the largest size that fits,
    /// so with a 2-core start a ceiling of 6 stops at 4.
    pub ceiling_cores: u32,
}

impl Default for HybridConfig {
    /// 4 cores: from the default 2-core machine, one resize, then instances of 4 cores.
    fn default() -> Self {
        HybridConfig { ceiling_cores: 4 }
    }
}

impl HybridConfig {
    /// Checks the ceiling against the machine it starts from and the largest on offer.
    pub fn validate(&self, machine: &VerticalConfig) -> Result<(), ScalingError> {
        check_count(
            "hybrid ceiling (cores)",
            u64::from(self.ceiling_cores),
            u64::from(machine.initial.cores.max(machine.min_cores)),
            u64::from(machine.max_cores),
        )?;
        Ok(())
    }
}

/// Which way a hybrid lane grows from where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HybridPhase {
    /// One machine that can still double under the ceiling: it grows by scaling up.
    Up,
    /// At the ceiling (or already several machines): it grows by adding machines.
    Out,
}

/// A hybrid evaluation's position: the phase and the sizes it was decided from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HybridWhy {
    /// Up or out.
    pub phase: HybridPhase,
    /// Cores of each machine now.
    pub machine_cores: u32,
    /// The largest size doubling may reach (the configured ceiling, rounded down to a size
    /// doubling can reach).
    pub ceiling_cores: u32,
    /// Machines running (not draining).
    pub machines: u32,
    /// The most machines it may run.
    pub max_machines: u32,
}
