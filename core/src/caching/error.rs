//! What can be wrong with a caching config or operation, in words a student can act on.

use crate::num_text::Num;
use crate::sim::{limits, SimError};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum CachingError {
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error("{field} must hold at least one entry, but it is 0")]
    ZeroCapacity { field: &'static str },
    #[error("{field} must be at most {max} entries, but it is {value}")]
    CapacityTooLarge {
        field: &'static str,
        value: u64,
        max: u64,
    },
    #[error("the Zipf exponent must be a number greater than 0 (1.0 is the classic skew) and at most 10, but it is {}", Num(*.value))]
    BadZipfExponent { value: f64 },
    #[error("the key space must contain at least one key, but it is 0")]
    ZeroKeySpace,
    #[error("the key space must be at most {max} keys, but it is {value}")]
    KeySpaceTooLarge { value: u64, max: u64 },
    #[error("{field} must be a fraction between 0 and 1, but it is {}", Num(*.value))]
    BadRatio { field: &'static str, value: f64 },
    #[error("{field} must be between {min} and {max}, but it is {value}")]
    OutOfRange {
        field: &'static str,
        value: u64,
        min: u64,
        max: u64,
    },
    #[error("{field} must be at most {max} µs (one simulated week), but it is {value} µs")]
    DurationTooLong {
        field: &'static str,
        value: u64,
        max: u64,
    },
    #[error(
        "the L2 memory limit must be at least {min} bytes (room for one entry), but it is {value}"
    )]
    MemoryLimitTooSmall { value: u64, min: u64 },
    #[error("a warm-up is already running; wait for it to finish")]
    WarmingInProgress,
    #[error(
        "write-behind is not the current write policy, so there is nothing to lose in a crash"
    )]
    NotWriteBehind,
}

/// Entry capacity of a cache level: 1 ..= `MAX_CACHE_CAPACITY` (so it also fits a `u32` slot).
pub(crate) fn check_capacity(field: &'static str, capacity: u64) -> Result<u32, CachingError> {
    if capacity == 0 {
        return Err(CachingError::ZeroCapacity { field });
    }
    if capacity > limits::MAX_CACHE_CAPACITY {
        return Err(CachingError::CapacityTooLarge {
            field,
            value: capacity,
            max: limits::MAX_CACHE_CAPACITY,
        });
    }
    u32::try_from(capacity).map_err(|_| CachingError::CapacityTooLarge {
        field,
        value: capacity,
        max: limits::MAX_CACHE_CAPACITY,
    })
}

/// A fraction in [0, 1] (NaN and infinities rejected).
pub(crate) fn check_ratio(field: &'static str, value: f64) -> Result<f64, CachingError> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(CachingError::BadRatio { field, value })
    }
}

/// A key-space size: 1 ..= `MAX_KEYS`.
pub(crate) fn check_keys(value: u64) -> Result<u64, CachingError> {
    if value == 0 {
        return Err(CachingError::ZeroKeySpace);
    }
    if value > limits::MAX_KEYS {
        return Err(CachingError::KeySpaceTooLarge {
            value,
            max: limits::MAX_KEYS,
        });
    }
    Ok(value)
}

/// A Zipf exponent: finite, > 0, ≤ 10 (what `sim::Zipf` accepts).
pub(crate) fn check_exponent(value: f64) -> Result<f64, CachingError> {
    if value.is_finite() && value > 0.0 && value <= 10.0 {
        Ok(value)
    } else {
        Err(CachingError::BadZipfExponent { value })
    }
}

/// A configured duration: at most `MAX_DURATION_MICROS`.
pub(crate) fn check_duration(
    field: &'static str,
    d: crate::sim::SimDuration,
) -> Result<crate::sim::SimDuration, CachingError> {
    if d.0 > limits::MAX_DURATION_MICROS {
        return Err(CachingError::DurationTooLong {
            field,
            value: d.0,
            max: limits::MAX_DURATION_MICROS,
        });
    }
    Ok(d)
}

/// An integer within `[min, max]`.
pub(crate) fn check_between(
    field: &'static str,
    value: u64,
    min: u64,
    max: u64,
) -> Result<u64, CachingError> {
    if value < min || value > max {
        return Err(CachingError::OutOfRange {
            field,
            value,
            min,
            max,
        });
    }
    Ok(value)
}
