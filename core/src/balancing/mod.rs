//! balancing (placeholder module header; being built).

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum BalancingError {
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
}
