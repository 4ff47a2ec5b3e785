//! What can be wrong with a caching config or operation, in words a student can act on.

use crate::num_text::Num;
use crate::sim::{limits, SimError};
use thiserror::Error;

/// A caching config or operation that cannot be carried out, with what is accepted instead.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CachingError {
    /// A shared simulation setting (arrivals, a duration) is out of range.
    #[error(transparent)]
    Sim(#[from] SimError),
    /// A cache level with no room at all.
    #[error("{field} must hold at least one entry, but it is 0")]
    ZeroCapacity {
        /// Which capacity.
        field: &'static str,
    },
    /// A cache level larger than the model supports.
    #[error("{field} must be at most {max} entries, but it is {value}")]
    CapacityTooLarge {
        /// Which capacity.
        field: &'static str,
        /// The capacity asked for.
        value: u64,
        /// The largest accepted.
        max: u64,
    },
    /// A Zipf exponent that is not a number in (0, 10].
    #[error("the Zipf exponent must be a number greater than 0 (1.0 is the classic skew) and at most 10, but it is {}", Num(*.value))]
    BadZipfExponent {
        /// The exponent asked for.
        value: f64,
    },
    /// A workload over no keys.
    #[error("the key space must contain at least one key, but it is 0")]
    ZeroKeySpace,
    /// A workload over more keys than the model supports.
    #[error("the key space must be at most {max} keys, but it is {value}")]
    KeySpaceTooLarge {
        /// The key space asked for.
        value: u64,
        /// The largest accepted.
        max: u64,
    },
    /// A fraction outside [0, 1], or not a number.
    #[error("{field} must be a fraction between 0 and 1, but it is {}", Num(*.value))]
    BadRatio {
        /// Which fraction.
        field: &'static str,
        /// The value asked for.
        value: f64,
    },
    /// A count outside its accepted range.
    #[error("{field} must be between {min} and {max}, but it is {value}")]
    OutOfRange {
        /// Which count.
        field: &'static str,
        /// The value asked for.
        value: u64,
        /// The smallest accepted.
        min: u64,
        /// The largest accepted.
        max: u64,
    },
    /// A configured duration longer than a simulated week.
    #[error("{field} must be at most {max} µs (one simulated week), but it is {value} µs")]
    DurationTooLong {
        /// Which duration.
        field: &'static str,
        /// The duration asked for, in µs.
        value: u64,
        /// The longest accepted, in µs.
        max: u64,
    },
    /// An L2 memory limit too small to hold one entry.
    #[error(
        "the L2 memory limit must be at least {min} bytes (room for one entry), but it is {value}"
    )]
    MemoryLimitTooSmall {
        /// The limit asked for, in bytes.
        value: u64,
        /// The smallest accepted, in bytes.
        min: u64,
    },
    /// A warm-up asked for while another runs.
    #[error("a warm-up is already running; wait for it to finish")]
    WarmingInProgress,
    /// A crash asked for when there is no write-behind buffer to lose.
    #[error(
        "write-behind is not the current write policy, so there is nothing to lose in a crash"
    )]
    NotWriteBehind,
    /// A [`super::CachingRaceConfig`] without lanes.
    #[error("a race needs at least one lane (one L1 policy to run)")]
    NoRaceLanes,
    /// More lanes than [`super::MAX_RACE_LANES`].
    #[error("a race can have at most {max} lanes, but {count} were given")]
    TooManyRaceLanes {
        /// Lanes given.
        count: u64,
        /// Lanes allowed.
        max: u64,
    },
    /// A policy named twice among a race's lanes: two lanes would show the same figures.
    #[error("the L1 policy {policy} is already a lane of this race; name each policy once")]
    DuplicateRaceLane {
        /// The policy named twice.
        policy: super::EvictionPolicy,
    },
    /// A race refuses to switch its L1 policy: its lanes' policies are what it compares.
    #[error("a race lane's L1 policy is fixed: it is what the race compares")]
    PolicyFixedInRace,
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
