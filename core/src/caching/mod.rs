//! caching (placeholder module header; being built).

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum CachingError {
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
}
