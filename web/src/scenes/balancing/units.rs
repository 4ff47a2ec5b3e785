//! Figures as the balancing panels write them.

use crate::fixed::fixed;

/// Microseconds as milliseconds with one decimal: "12.5 ms".
pub fn ms(us: u64) -> String {
    format!("{} ms", fixed(us as f64 / 1_000.0, 1))
}
