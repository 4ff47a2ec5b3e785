//! What capacity costs: instance-seconds, core-seconds and a price.
//!
//! Every instance that exists is billed — warming (you pay to boot), ready and draining — and
//! a machine's price is proportional to its cores, so one 8-core machine and eight 1-core
//! instances cost the same per second and vertical vs horizontal differ only by how long
//! each holds how much capacity.

use serde::{Deserialize, Serialize};

/// Integer accumulators (µs), so totals are exact and platform-independent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostMeter {
    instance_us: u64,
    core_us: u64,
}

/// Totals for display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CostSnapshot {
    /// Seconds of instances existing, summed over instances.
    pub instance_seconds: f64,
    /// Seconds of cores billed, summed over instances.
    pub core_seconds: f64,
    /// `core_seconds × price per core-second`, in abstract units.
    pub price: f64,
}

impl CostMeter {
    /// A meter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bills one instance with `cores` for `micros`.
    pub fn bill(&mut self, cores: u32, micros: u64) {
        self.instance_us = self.instance_us.saturating_add(micros);
        self.core_us = self
            .core_us
            .saturating_add(u64::from(cores).saturating_mul(micros));
    }

    /// Instance-microseconds billed so far.
    pub fn instance_micros(&self) -> u64 {
        self.instance_us
    }

    /// Core-microseconds billed so far.
    pub fn core_micros(&self) -> u64 {
        self.core_us
    }

    /// The totals in seconds, priced at `price_per_core_second`.
    pub fn snapshot(&self, price_per_core_second: f64) -> CostSnapshot {
        let core_seconds = self.core_us as f64 / 1e6;
        CostSnapshot {
            instance_seconds: self.instance_us as f64 / 1e6,
            core_seconds,
            price: core_seconds * price_per_core_second,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_big_machine_costs_as_much_as_many_small_ones() {
        let mut big = CostMeter::new();
        big.bill(8, 10_000_000);
        let mut small = CostMeter::new();
        for _ in 0..8 {
            small.bill(1, 10_000_000);
        }
        assert_eq!(big.core_micros(), small.core_micros());
        assert_eq!(big.snapshot(0.5).price, 40.0);
        assert_eq!(small.snapshot(0.5).instance_seconds, 80.0);
        assert_eq!(big.snapshot(0.5).instance_seconds, 10.0);
    }
}
