//! Errors for the simulation kernel's configs (workloads, servers, clients).

use crate::num_text::Num;
use thiserror::Error;

/// A kernel config that cannot run, with the field at fault and what is accepted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SimError {
    #[error("{field} must be a finite number, but it is {}", Num(*.value))]
    NotFinite { field: &'static str, value: f64 },
    #[error("{field} must be greater than zero, but it is {}", Num(*.value))]
    NotPositive { field: &'static str, value: f64 },
    #[error("{field} must be between {} and {}, but it is {}", Num(*.min), Num(*.max), Num(*.value))]
    OutOfRange {
        field: &'static str,
        value: f64,
        min: f64,
        max: f64,
    },
    #[error("{field} must be at least {min}, but it is {value}")]
    TooSmall {
        field: &'static str,
        value: u64,
        min: u64,
    },
    #[error("{field} must be at most {max}, but it is {value}")]
    TooLarge {
        field: &'static str,
        value: u64,
        max: u64,
    },
    #[error("{field}: the lower bound {} is above the upper bound {}", Num(*.lo), Num(*.hi))]
    InvertedRange {
        field: &'static str,
        lo: f64,
        hi: f64,
    },
    #[error("could not read the config: {0}")]
    Parse(String),
}

/// Checks a float input: finite and within `[min, max]`.
pub fn check_range(field: &'static str, value: f64, min: f64, max: f64) -> Result<f64, SimError> {
    if !value.is_finite() {
        return Err(SimError::NotFinite { field, value });
    }
    if value < min || value > max {
        return Err(SimError::OutOfRange {
            field,
            value,
            min,
            max,
        });
    }
    Ok(value)
}

/// Checks a float input: finite and strictly positive, at most `max`.
pub fn check_positive(field: &'static str, value: f64, max: f64) -> Result<f64, SimError> {
    if !value.is_finite() {
        return Err(SimError::NotFinite { field, value });
    }
    if value <= 0.0 {
        return Err(SimError::NotPositive { field, value });
    }
    if value > max {
        return Err(SimError::OutOfRange {
            field,
            value,
            min: 0.0,
            max,
        });
    }
    Ok(value)
}

/// Checks an integer input against `[min, max]`.
pub fn check_count(field: &'static str, value: u64, min: u64, max: u64) -> Result<u64, SimError> {
    if value < min {
        return Err(SimError::TooSmall { field, value, min });
    }
    if value > max {
        return Err(SimError::TooLarge { field, value, max });
    }
    Ok(value)
}
