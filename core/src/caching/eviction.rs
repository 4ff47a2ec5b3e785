//! Which entry an L1 cache gives up when it is full: the policies by name, for configs,
//! links and narration.

use serde::{Deserialize, Serialize};

/// Which entry an L1 cache gives up when it is full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvictionPolicy {
    /// True LRU: least recently *accessed* goes first.
    #[default]
    Lru,
    /// The tutorial's "LRU": evicts the oldest *created* entry (FIFO), reads change nothing.
    FifoNaive,
    /// Least frequently used; ties go to the least recently used.
    Lfu,
    /// The entry closest to expiry goes first.
    Ttl,
    /// Caffeine's W-TinyLFU: window LRU + segmented main, frequency-gated admission.
    #[serde(rename = "w-tinylfu")]
    WTinyLfu,
}

impl EvictionPolicy {
    /// Every policy, in the order a page lists them.
    pub const ALL: [EvictionPolicy; 5] = [
        EvictionPolicy::Lru,
        EvictionPolicy::FifoNaive,
        EvictionPolicy::Lfu,
        EvictionPolicy::Ttl,
        EvictionPolicy::WTinyLfu,
    ];

    /// The serde name, e.g. `fifo-naive`.
    pub fn name(self) -> &'static str {
        match self {
            EvictionPolicy::Lru => "lru",
            EvictionPolicy::FifoNaive => "fifo-naive",
            EvictionPolicy::Lfu => "lfu",
            EvictionPolicy::Ttl => "ttl",
            EvictionPolicy::WTinyLfu => "w-tinylfu",
        }
    }

    /// A one-line description for narration, e.g. "LRU (evicts the least recently used entry)".
    pub fn describe(self) -> &'static str {
        match self {
            EvictionPolicy::Lru => "LRU (evicts the least recently used entry)",
            EvictionPolicy::FifoNaive => {
                "the guide's \"LRU\", really FIFO (evicts the oldest created entry)"
            }
            EvictionPolicy::Lfu => "LFU (evicts the least frequently used entry)",
            EvictionPolicy::Ttl => "TTL (evicts the entry closest to expiry)",
            EvictionPolicy::WTinyLfu => "W-TinyLFU (admits only keys more popular than the victim)",
        }
    }
}

impl core::fmt::Display for EvictionPolicy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
