//! Which keys requests ask for.
//!
//! The workloads that tell policies apart: Zipf (a few hot keys, a long tail), a looping
//! sequential scan (defeats LRU and FIFO alike once the loop exceeds capacity), a hot set that
//! moves (rewards recency over frequency), and Zipf with one-off scan bursts mixed in (flushes
//! LRU; W-TinyLFU's admission filter keeps the hot set).

use super::error::{check_between, check_exponent, check_keys, check_ratio};
use super::{CachingError, Key};
use crate::sim::{limits, SimRng, Zipf};
use serde::{Deserialize, Serialize};

/// Which keys requests ask for: each tells eviction policies apart in its own way.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum KeyWorkload {
    /// Every key in `0..keys` equally likely.
    Uniform {
        /// Size of the key space.
        keys: u64,
    },
    /// Key `r` has popularity ∝ 1 / (r + 1)^exponent.
    Zipf {
        /// Size of the key space.
        keys: u64,
        /// The skew: higher means fewer, hotter keys (1.0 is the classic).
        exponent: f64,
    },
    /// `0, 1, …, keys − 1, 0, 1, …` — a loop over a key range.
    Scan {
        /// Length of the loop.
        keys: u64,
    },
    /// With probability `hot_fraction` a key from a hot set of `hot_keys`, else any key; the
    /// hot set moves on by `hot_keys` every `shift_every` requests.
    ShiftingHotSet {
        /// Size of the key space.
        keys: u64,
        /// Size of the hot set.
        hot_keys: u64,
        /// Share of requests that go to the hot set, in [0, 1].
        hot_fraction: f64,
        /// Requests between two moves of the hot set.
        shift_every: u64,
    },
    /// Zipf, interrupted after every `scan_every` requests by `scan_length` requests for
    /// never-seen keys (numbered from `keys` up) — a one-off scan.
    ZipfWithScan {
        /// Size of the Zipf key space.
        keys: u64,
        /// The Zipf skew.
        exponent: f64,
        /// Zipf requests between two scan bursts.
        scan_every: u64,
        /// Fresh keys in each burst.
        scan_length: u64,
    },
}

impl Default for KeyWorkload {
    fn default() -> Self {
        KeyWorkload::Zipf {
            keys: 200,
            exponent: 1.0,
        }
    }
}

impl KeyWorkload {
    /// Checks every field, naming the first out of range.
    pub fn validate(&self) -> Result<(), CachingError> {
        match *self {
            KeyWorkload::Uniform { keys } | KeyWorkload::Scan { keys } => {
                check_keys(keys)?;
            }
            KeyWorkload::Zipf { keys, exponent } => {
                check_keys(keys)?;
                check_exponent(exponent)?;
            }
            KeyWorkload::ShiftingHotSet {
                keys,
                hot_keys,
                hot_fraction,
                shift_every,
            } => {
                check_keys(keys)?;
                check_between("hot set size", hot_keys, 1, keys)?;
                check_ratio("hot fraction", hot_fraction)?;
                check_between("hot set shift interval", shift_every, 1, u64::MAX)?;
            }
            KeyWorkload::ZipfWithScan {
                keys,
                exponent,
                scan_every,
                scan_length,
            } => {
                check_keys(keys)?;
                check_exponent(exponent)?;
                check_between("requests between scans", scan_every, 1, u64::MAX)?;
                check_between("scan length", scan_length, 1, limits::MAX_KEYS)?;
            }
        }
        Ok(())
    }

    /// The kebab-case name of its kind (its serde `kind` tag), e.g. `zipf-with-scan`.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Which kind of workload this is.
    pub fn kind(&self) -> WorkloadKind {
        match self {
            KeyWorkload::Uniform { .. } => WorkloadKind::Uniform,
            KeyWorkload::Zipf { .. } => WorkloadKind::Zipf,
            KeyWorkload::Scan { .. } => WorkloadKind::Scan,
            KeyWorkload::ShiftingHotSet { .. } => WorkloadKind::ShiftingHotSet,
            KeyWorkload::ZipfWithScan { .. } => WorkloadKind::ZipfWithScan,
        }
    }

    /// The Zipf exponent of a Zipf-skewed workload; `None` for the others.
    pub fn exponent(&self) -> Option<f64> {
        match *self {
            KeyWorkload::Zipf { exponent, .. } | KeyWorkload::ZipfWithScan { exponent, .. } => {
                Some(exponent)
            }
            _ => None,
        }
    }

    /// Size of the regular key space (scan bursts add fresh keys beyond it).
    pub fn keys(&self) -> u64 {
        match *self {
            KeyWorkload::Uniform { keys }
            | KeyWorkload::Scan { keys }
            | KeyWorkload::Zipf { keys, .. }
            | KeyWorkload::ShiftingHotSet { keys, .. }
            | KeyWorkload::ZipfWithScan { keys, .. } => keys,
        }
    }
}

/// A workload by kind alone: what a link or a button names when it switches the workload
/// live. [`WorkloadKind::workload`] gives it the teaching shape over a key space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkloadKind {
    /// [`KeyWorkload::Uniform`].
    Uniform,
    /// [`KeyWorkload::Zipf`].
    Zipf,
    /// [`KeyWorkload::Scan`].
    Scan,
    /// [`KeyWorkload::ShiftingHotSet`].
    ShiftingHotSet,
    /// [`KeyWorkload::ZipfWithScan`].
    ZipfWithScan,
}

impl WorkloadKind {
    /// Every kind, in the order a page lists them.
    pub const ALL: [WorkloadKind; 5] = [
        WorkloadKind::Uniform,
        WorkloadKind::Zipf,
        WorkloadKind::Scan,
        WorkloadKind::ShiftingHotSet,
        WorkloadKind::ZipfWithScan,
    ];

    /// The kebab-case name links use (the same as [`KeyWorkload::name`]), e.g. `zipf-with-scan`.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Uniform => "uniform",
            WorkloadKind::Zipf => "zipf",
            WorkloadKind::Scan => "scan",
            WorkloadKind::ShiftingHotSet => "shifting-hot-set",
            WorkloadKind::ZipfWithScan => "zipf-with-scan",
        }
    }

    /// The kind named `name` ([`WorkloadKind::name`]), if any.
    pub fn from_name(name: &str) -> Option<WorkloadKind> {
        WorkloadKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// This kind over `keys` keys, Zipf-skewed by `exponent` where it has a skew. The shapes of
    /// the moving hot set and of the scan bursts are fixed teaching choices: a hot set of 5 %
    /// of the keys that takes 90 % of the requests and moves every 1 000 requests, and a one-off
    /// scan of 100 new keys after every 500 Zipf requests.
    pub fn workload(self, keys: u64, exponent: f64) -> KeyWorkload {
        match self {
            WorkloadKind::Uniform => KeyWorkload::Uniform { keys },
            WorkloadKind::Zipf => KeyWorkload::Zipf { keys, exponent },
            WorkloadKind::Scan => KeyWorkload::Scan { keys },
            WorkloadKind::ShiftingHotSet => KeyWorkload::ShiftingHotSet {
                keys,
                hot_keys: (keys / 20).max(1),
                hot_fraction: 0.9,
                shift_every: 1_000,
            },
            WorkloadKind::ZipfWithScan => KeyWorkload::ZipfWithScan {
                keys,
                exponent,
                scan_every: 500,
                scan_length: 100,
            },
        }
    }
}

/// Draws keys for a [`KeyWorkload`] from its own RNG stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyGenerator {
    workload: KeyWorkload,
    zipf: Option<Zipf>,
    rng: SimRng,
    issued: u64,
    /// Fresh scan keys handed out so far.
    scanned: u64,
}

impl KeyGenerator {
    /// A generator for `workload` drawing from `rng`; refuses a workload out of range.
    pub fn new(workload: KeyWorkload, rng: SimRng) -> Result<Self, CachingError> {
        workload.validate()?;
        let zipf = match workload {
            KeyWorkload::Zipf { keys, exponent }
            | KeyWorkload::ZipfWithScan { keys, exponent, .. } => {
                Some(Zipf::new(keys, exponent, limits::MAX_KEYS)?)
            }
            _ => None,
        };
        Ok(KeyGenerator {
            workload,
            zipf,
            rng,
            issued: 0,
            scanned: 0,
        })
    }

    /// The workload it draws from.
    pub fn workload(&self) -> &KeyWorkload {
        &self.workload
    }

    /// Whether the next key will come from a scan burst.
    fn in_scan_burst(&self) -> bool {
        match self.workload {
            KeyWorkload::ZipfWithScan {
                scan_every,
                scan_length,
                ..
            } => self.issued % scan_every.saturating_add(scan_length) >= scan_every,
            _ => false,
        }
    }

    /// The key the next request asks for.
    pub fn next_key(&mut self) -> Key {
        let scan = self.in_scan_burst();
        let key = match self.workload {
            KeyWorkload::Uniform { keys } => self.rng.below(keys),
            KeyWorkload::Scan { keys } => self.issued % keys,
            KeyWorkload::Zipf { .. } => self.zipf_key(),
            KeyWorkload::ShiftingHotSet {
                keys,
                hot_keys,
                hot_fraction,
                shift_every,
            } => {
                let shift = self.issued / shift_every;
                let start = shift.wrapping_mul(hot_keys) % keys;
                if self.rng.chance(hot_fraction) {
                    (start + self.rng.below(hot_keys)) % keys
                } else {
                    self.rng.below(keys)
                }
            }
            KeyWorkload::ZipfWithScan { keys, .. } => {
                if scan {
                    self.scanned += 1;
                    keys.saturating_add(self.scanned - 1)
                } else {
                    self.zipf_key()
                }
            }
        };
        self.issued += 1;
        key
    }

    fn zipf_key(&mut self) -> Key {
        match &self.zipf {
            Some(z) => z.sample(&mut self.rng),
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(w: KeyWorkload, n: usize) -> Vec<Key> {
        let mut g = KeyGenerator::new(w, SimRng::seed_from(1)).unwrap();
        (0..n).map(|_| g.next_key()).collect()
    }

    #[test]
    fn scan_loops_over_the_range() {
        assert_eq!(
            keys(KeyWorkload::Scan { keys: 3 }, 7),
            vec![0, 1, 2, 0, 1, 2, 0]
        );
    }

    #[test]
    fn zipf_with_scan_inserts_fresh_keys_after_each_period() {
        let ks = keys(
            KeyWorkload::ZipfWithScan {
                keys: 10,
                exponent: 1.0,
                scan_every: 4,
                scan_length: 3,
            },
            14,
        );
        assert!(ks[..4].iter().all(|&k| k < 10));
        assert_eq!(&ks[4..7], &[10, 11, 12]);
        assert!(ks[7..11].iter().all(|&k| k < 10));
        assert_eq!(&ks[11..14], &[13, 14, 15]);
    }

    #[test]
    fn hot_set_moves() {
        let w = KeyWorkload::ShiftingHotSet {
            keys: 100,
            hot_keys: 10,
            hot_fraction: 1.0,
            shift_every: 50,
        };
        let ks = keys(w, 100);
        assert!(ks[..50].iter().all(|&k| k < 10));
        assert!(ks[50..].iter().all(|&k| (10..20).contains(&k)));
    }

    #[test]
    fn rejects_bad_workloads() {
        assert_eq!(
            KeyWorkload::Zipf {
                keys: 10,
                exponent: f64::NAN
            }
            .validate()
            .map_err(|e| matches!(e, CachingError::BadZipfExponent { .. })),
            Err(true)
        );
        assert_eq!(
            KeyWorkload::Uniform { keys: 0 }.validate(),
            Err(CachingError::ZeroKeySpace)
        );
    }
}
