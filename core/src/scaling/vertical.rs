//! Vertical scaling: one machine made bigger or smaller.
//!
//! The common tutorial's `VerticalScaler` doubles cores, memory and disk on each scale-up and
//! rates the machine at `cores × 1000` requests per second, with no upper bound and no way
//! back down; here both bounds are explicit and hitting one is a typed error, not a silent
//! no-op.

use super::error::{check_duration, ScalingError};
use crate::sim::{check_count, limits, SimDuration};
use serde::{Deserialize, Serialize};

/// The largest machine the playground offers (cores).
pub const MAX_CORES: u32 = 1_024;
/// Memory cap for a configured machine, so doubling cannot overflow (16 TiB in MiB).
const MAX_MEMORY_MB: u64 = 16 * 1024 * 1024;
/// Disk cap for a configured machine (1 PiB in GiB).
const MAX_DISK_GB: u64 = 1024 * 1024;

/// The size of a machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineSpec {
    /// Cores.
    pub cores: u32,
    /// Memory, MiB.
    pub memory_mb: u64,
    /// Disk, GiB.
    pub disk_gb: u64,
}

impl Default for MachineSpec {
    /// The tutorials' starting machine: 2 cores, 4 GiB memory, 50 GiB disk.
    fn default() -> Self {
        MachineSpec {
            cores: 2,
            memory_mb: 4_096,
            disk_gb: 50,
        }
    }
}

impl MachineSpec {
    /// Checks each size against its range.
    pub fn validate(&self) -> Result<(), ScalingError> {
        check_count(
            "machine cores",
            u64::from(self.cores),
            1,
            u64::from(MAX_CORES),
        )?;
        check_count("machine memory (MiB)", self.memory_mb, 1, MAX_MEMORY_MB)?;
        check_count("machine disk (GiB)", self.disk_gb, 1, MAX_DISK_GB)?;
        Ok(())
    }

    fn doubled(self) -> MachineSpec {
        MachineSpec {
            cores: self.cores.saturating_mul(2),
            memory_mb: self.memory_mb.saturating_mul(2),
            disk_gb: self.disk_gb.saturating_mul(2),
        }
    }

    fn halved(self) -> MachineSpec {
        MachineSpec {
            cores: (self.cores / 2).max(1),
            memory_mb: (self.memory_mb / 2).max(1),
            disk_gb: (self.disk_gb / 2).max(1),
        }
    }
}

/// One machine that scales up by doubling and down by halving, within `[min_cores, max_cores]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerticalScaler {
    spec: MachineSpec,
    min_cores: u32,
    max_cores: u32,
    rps_per_core: u64,
}

impl Default for VerticalScaler {
    /// The tutorials' machine: 2 cores at 1000 req/s per core, allowed from 1 to 64 cores.
    fn default() -> Self {
        VerticalScaler {
            spec: MachineSpec::default(),
            min_cores: 1,
            max_cores: 64,
            rps_per_core: 1_000,
        }
    }
}

impl VerticalScaler {
    /// A machine of `spec` that may be resized within `[min_cores, max_cores]`, serving
    /// `rps_per_core` requests per second per core.
    pub fn new(
        spec: MachineSpec,
        min_cores: u32,
        max_cores: u32,
        rps_per_core: u64,
    ) -> Result<Self, ScalingError> {
        spec.validate()?;
        check_count(
            "minimum cores",
            u64::from(min_cores),
            1,
            u64::from(MAX_CORES),
        )?;
        check_count(
            "maximum cores",
            u64::from(max_cores),
            1,
            u64::from(MAX_CORES),
        )?;
        check_count(
            "requests per second per core",
            rps_per_core,
            1,
            limits::MAX_RATE_PER_SEC as u64,
        )?;
        if min_cores > max_cores {
            return Err(crate::sim::SimError::InvertedRange {
                field: "machine cores (minimum vs maximum)",
                lo: f64::from(min_cores),
                hi: f64::from(max_cores),
            }
            .into());
        }
        if spec.cores < min_cores || spec.cores > max_cores {
            return Err(crate::sim::SimError::OutOfRange {
                field: "initial machine cores",
                value: f64::from(spec.cores),
                min: f64::from(min_cores),
                max: f64::from(max_cores),
            }
            .into());
        }
        Ok(VerticalScaler {
            spec,
            min_cores,
            max_cores,
            rps_per_core,
        })
    }

    /// Its size now.
    pub fn spec(&self) -> MachineSpec {
        self.spec
    }

    /// Its cores now.
    pub fn cores(&self) -> u32 {
        self.spec.cores
    }

    /// The fewest cores it may have.
    pub fn min_cores(&self) -> u32 {
        self.min_cores
    }

    /// The most cores it may have.
    pub fn max_cores(&self) -> u32 {
        self.max_cores
    }

    /// Requests per second one core serves.
    pub fn rps_per_core(&self) -> u64 {
        self.rps_per_core
    }

    /// Requests per second the machine serves: cores × rate per core.
    pub fn capacity_rps(&self) -> u64 {
        u64::from(self.spec.cores).saturating_mul(self.rps_per_core)
    }

    /// Whether one more doubling fits under the maximum.
    pub fn can_scale_up(&self) -> bool {
        u64::from(self.spec.cores) * 2 <= u64::from(self.max_cores)
    }

    /// Whether one halving stays at or above the minimum.
    pub fn can_scale_down(&self) -> bool {
        self.spec.cores >= 2 && self.spec.cores / 2 >= self.min_cores
    }

    /// Doubles cores, memory and disk; returns the new spec. At the bound the machine is
    /// unchanged and the error says why.
    pub fn scale_up(&mut self) -> Result<MachineSpec, ScalingError> {
        if !self.can_scale_up() {
            return Err(ScalingError::AtMaxCores {
                cores: self.spec.cores,
                max: self.max_cores,
            });
        }
        self.spec = self.spec.doubled();
        Ok(self.spec)
    }

    /// Halves cores, memory and disk; returns the new spec.
    pub fn scale_down(&mut self) -> Result<MachineSpec, ScalingError> {
        if !self.can_scale_down() {
            return Err(ScalingError::AtMinCores {
                cores: self.spec.cores,
                min: self.min_cores,
            });
        }
        self.spec = self.spec.halved();
        Ok(self.spec)
    }
}

/// The vertical mode of a [`super::Service`]: one machine, resized by the threshold rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerticalConfig {
    /// The machine at the start.
    pub initial: MachineSpec,
    /// The fewest cores a resize may leave.
    pub min_cores: u32,
    /// The most cores a resize may give.
    pub max_cores: u32,
    /// Requests per second one core serves. The default (500) matches one default horizontal
    /// instance per core, so a cost comparison is like for like; the tutorials'
    /// standalone scaler uses 1000.
    pub rps_per_core: u64,
    /// How long the machine is down while it is resized (stopped, re-provisioned, booted):
    /// the vertical pitfall — capacity is zero meanwhile and queued requests are lost.
    pub resize_downtime: SimDuration,
}

impl Default for VerticalConfig {
    fn default() -> Self {
        VerticalConfig {
            initial: MachineSpec::default(),
            min_cores: 1,
            max_cores: 32,
            rps_per_core: 500,
            resize_downtime: SimDuration::from_secs(30),
        }
    }
}

impl VerticalConfig {
    /// Checks the machine, its bounds and the downtime.
    pub fn validate(&self) -> Result<(), ScalingError> {
        self.scaler()?;
        check_duration(
            "resize downtime",
            self.resize_downtime,
            SimDuration::ZERO,
            SimDuration(limits::MAX_DURATION_MICROS),
        )?;
        Ok(())
    }

    /// The machine this config starts with.
    pub fn scaler(&self) -> Result<VerticalScaler, ScalingError> {
        VerticalScaler::new(
            self.initial,
            self.min_cores,
            self.max_cores,
            self.rps_per_core,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guide_vector_doubles_everything() {
        let mut v = VerticalScaler::default();
        assert_eq!(v.capacity_rps(), 2_000);
        let s = v.scale_up().unwrap();
        assert_eq!((s.cores, s.memory_mb, s.disk_gb), (4, 8_192, 100));
        assert_eq!(v.capacity_rps(), 4_000);
        v.scale_up().unwrap();
        assert_eq!(v.capacity_rps(), 8_000);
    }

    #[test]
    fn bounds_are_typed_errors_and_leave_the_machine_unchanged() {
        let mut v = VerticalScaler::new(MachineSpec::default(), 2, 4, 1_000).unwrap();
        v.scale_up().unwrap();
        assert_eq!(
            v.scale_up(),
            Err(ScalingError::AtMaxCores { cores: 4, max: 4 })
        );
        assert_eq!(v.cores(), 4);
        v.scale_down().unwrap();
        assert_eq!(
            v.scale_down(),
            Err(ScalingError::AtMinCores { cores: 2, min: 2 })
        );
        assert_eq!(v.spec(), MachineSpec::default());
    }

    #[test]
    fn invalid_machines_are_rejected() {
        assert!(VerticalScaler::new(MachineSpec::default(), 4, 2, 1_000).is_err());
        assert!(VerticalScaler::new(MachineSpec::default(), 4, 8, 1_000).is_err());
        assert!(VerticalScaler::new(MachineSpec::default(), 1, 8, 0).is_err());
        let zero = MachineSpec {
            cores: 0,
            ..MachineSpec::default()
        };
        assert!(VerticalScaler::new(zero, 1, 8, 1_000).is_err());
    }
}
