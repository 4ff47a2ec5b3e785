//! Cache warming, as the well-known caching tutorial's: fetch a list of keys before traffic arrives, at most
//! `concurrency` at a time, skipping keys already cached.

use super::Key;
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// How long warming `keys` takes: ⌈keys / concurrency⌉ rounds of one fetch latency each
/// (100 keys, 10 at a time, 100 ms each → 1 s).
pub fn warming_duration(keys: u64, concurrency: u32, fetch_latency: SimDuration) -> SimDuration {
    let c = u64::from(concurrency.max(1));
    fetch_latency.saturating_mul(keys.div_ceil(c))
}

/// A warm-up in progress inside [`super::CachingModel`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Warming {
    /// Keys still to fetch, the next one last (so taking it is a `pop`, and the page links no
    /// queue type for it).
    pub waiting: Vec<Key>,
    pub in_flight: u32,
    pub started_at: SimTime,
    pub loaded: u64,
    pub skipped: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_numbers() {
        let d = warming_duration(100, 10, SimDuration::from_millis(100));
        assert_eq!(d, SimDuration::from_secs(1));
        let d = warming_duration(101, 10, SimDuration::from_millis(100));
        assert_eq!(d, SimDuration::from_millis(1_100));
        assert_eq!(
            warming_duration(0, 10, SimDuration::from_millis(100)),
            SimDuration::ZERO
        );
    }
}
