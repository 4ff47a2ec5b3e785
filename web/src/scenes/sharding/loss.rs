//! Unreadable and stale key counts, from the core's exact scans, remembered between calls.
//!
//! `unreadable_keys`/`stale_keys` read every written key (milliseconds at 5 000 keys), and the
//! player asks for metrics after every step. Most steps are reads or queries, which change
//! nothing, or writes, which can only make the written key *fresh* (a write goes where reads
//! look and becomes the latest version). So the last answer is kept — the unreadable and stale
//! keys themselves — with a fingerprint of everything else a step can change (migration
//! batches, shards added or removed, keys in flight, the directory, the config):
//!
//! - same fingerprint, same writes: the same counts;
//! - same fingerprint, more writes: re-read only the remembered keys (writes only remove keys
//!   from these sets);
//! - anything else (a batch, a shard change, a step back, another model): a full scan.
//!
//! The player asks after every change of position (step, seek, act), so consecutive calls
//! follow the model's own path.

use scalelab_core::sharding::{ShardConfig, ShardId, ShardSim};
use std::cell::RefCell;

/// Everything but writes that can change which keys are unreadable or stale.
#[derive(Debug, Clone, PartialEq)]
struct Fingerprint {
    config: ShardConfig,
    batches: u64,
    keys_moved: u64,
    in_flight: u64,
    directory: u64,
    /// (shard, draining) for every shard: adding or removing one changes routing.
    shards: Vec<(ShardId, bool)>,
}

impl Fingerprint {
    fn of(sim: &ShardSim) -> Fingerprint {
        let m = sim.manager();
        let s = sim.stats();
        Fingerprint {
            config: sim.config().clone(),
            batches: s.batches,
            keys_moved: s.keys_moved,
            in_flight: m.keys_in_flight(),
            directory: m.directory_len(),
            shards: m.shards().map(|s| (s.id, s.draining)).collect(),
        }
    }
}

/// Written keys a read cannot find, and keys a read finds only in an older version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loss {
    pub unreadable: u64,
    pub stale: u64,
}

struct Remembered {
    fingerprint: Fingerprint,
    writes: u64,
    unreadable: Vec<String>,
    stale: Vec<String>,
}

impl Remembered {
    fn loss(&self) -> Loss {
        Loss {
            unreadable: self.unreadable.len() as u64,
            stale: self.stale.len() as u64,
        }
    }
}

thread_local! {
    static LAST: RefCell<Option<Remembered>> = const { RefCell::new(None) };
}

pub fn loss(sim: &ShardSim) -> Loss {
    let fingerprint = Fingerprint::of(sim);
    let writes = sim.stats().writes;
    let m = sim.manager();
    LAST.with(|cell| {
        let mut last = cell.borrow_mut();
        match last.as_mut() {
            Some(r) if r.fingerprint == fingerprint && r.writes == writes => {}
            Some(r) if r.fingerprint == fingerprint && r.writes < writes => {
                r.unreadable.retain(|k| m.read(k).is_unreadable());
                r.stale.retain(|k| m.read(k).is_stale());
                r.writes = writes;
            }
            _ => {
                *last = Some(Remembered {
                    fingerprint,
                    writes,
                    unreadable: m.unreadable_keys(),
                    stale: m.stale_keys(),
                });
            }
        }
        last.as_ref().map(Remembered::loss).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::sharding::ShardId;
    use scalelab_core::sharding::{MigrationMode, RouterKind};
    use scalelab_core::Model;

    /// The remembered counts always equal a fresh scan, step by step, through a naive
    /// migration, a load rebalance and a removal.
    #[test]
    fn remembered_counts_match_a_fresh_scan() {
        let mut sim = ShardSim::new(ShardConfig {
            mode: MigrationMode::Naive,
            router: RouterKind::Ring { virtual_nodes: 3 },
            keys: 300,
            batch_interval_micros: 2_000,
            ..ShardConfig::default()
        })
        .unwrap();
        let mut seen = Loss::default();
        let mut check = |sim: &ShardSim| {
            let m = sim.manager();
            let fresh = Loss {
                unreadable: m.unreadable_keys().len() as u64,
                stale: m.stale_keys().len() as u64,
            };
            assert_eq!(loss(sim), fresh, "at {}", sim.now());
            seen.unreadable = seen.unreadable.max(fresh.unreadable);
            seen.stale = seen.stale.max(fresh.stale);
        };
        let mut out = Vec::new();
        let mut earlier = None;
        for round in 0..3 {
            match round {
                0 => {
                    sim.add_shard().unwrap();
                }
                1 => {
                    let _ = sim.start_rebalance();
                }
                _ => sim.remove_shard(ShardId(1)).unwrap(),
            }
            for i in 0..300u32 {
                out.clear();
                sim.step_into(&mut out);
                // Sometimes every step, sometimes every few (the player thins its samples).
                if round == 1 || i % (1 + round) == 0 {
                    check(&sim);
                }
                if round == 0 && i == 100 {
                    earlier = Some(sim.clone());
                }
            }
        }
        // A step back: an earlier model after a later one.
        if let Some(e) = &earlier {
            check(e);
        }
        check(&sim);
        assert!(
            seen.unreadable > 0 && seen.stale > 0,
            "the naive run should lose keys: {seen:?}"
        );
    }
}
