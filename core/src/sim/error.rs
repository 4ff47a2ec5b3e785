//! Errors for the simulation kernel's configs (workloads, servers, clients).

use crate::num_text::Num;
use thiserror::Error;

/// A kernel config that cannot run, with the field at fault and what is accepted.
///
/// The messages are written for a student reading them on the page: they name the setting and
/// the accepted values, and print numbers in their shortest exact form ([`Num`]).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SimError {
    /// A number setting is `NaN` or infinite.
    #[error("{field} must be a finite number, but it is {}", Num(*.value))]
    NotFinite {
        /// The setting at fault, as the message names it (`"arrival rate"`).
        field: &'static str,
        /// The value given.
        value: f64,
    },
    /// A number setting that must be above zero is zero or negative.
    #[error("{field} must be greater than zero, but it is {}", Num(*.value))]
    NotPositive {
        /// The setting at fault, as the message names it (`"arrival rate"`).
        field: &'static str,
        /// The value given, in the setting's unit (requests per second for a rate,
        /// microseconds for a cost).
        value: f64,
    },
    /// A number setting lies outside its accepted range.
    #[error("{field} must be between {} and {}, but it is {}", Num(*.min), Num(*.max), Num(*.value))]
    OutOfRange {
        /// The setting at fault, as the message names it (`"arrival rate"`).
        field: &'static str,
        /// The value given, in the setting's unit (requests per second for a rate,
        /// microseconds for a cost).
        value: f64,
        /// The lower end of the accepted range, in the setting's unit.
        min: f64,
        /// The upper end of the accepted range (inclusive), in the setting's unit.
        max: f64,
    },
    /// A count is below its minimum.
    #[error("{field} must be at least {min}, but it is {value}")]
    TooSmall {
        /// The setting at fault, as the message names it (`"arrival rate"`).
        field: &'static str,
        /// The count given (durations are counted in microseconds).
        value: u64,
        /// The smallest count accepted.
        min: u64,
    },
    /// A count is above its maximum (usually one of the [`limits`](super::limits)).
    #[error("{field} must be at most {max}, but it is {value}")]
    TooLarge {
        /// The setting at fault, as the message names it (`"arrival rate"`).
        field: &'static str,
        /// The count given (durations are counted in microseconds).
        value: u64,
        /// The largest count accepted.
        max: u64,
    },
    /// Two bounds in the wrong order: a minimum cost above the maximum, a spike longer than
    /// its period.
    #[error("{field}: the lower bound {} is above the upper bound {}", Num(*.lo), Num(*.hi))]
    InvertedRange {
        /// The pair at fault, as the message names it (`"spike length vs period"`).
        field: &'static str,
        /// The bound that should be the lower one, in the setting's unit (seconds for
        /// durations).
        lo: f64,
        /// The bound that should be the upper one, in the same unit.
        hi: f64,
    },
    /// A config whose text could not be read, with the reader's message.
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
