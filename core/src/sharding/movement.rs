//! Exact movement accounting: which keys change shard when the router changes.
//!
//! Pure functions over a key set and two routers, so the playground can show *counted* moves
//! (not a formula) for modulo, ring, jump and rendezvous on the same keys.

use super::{key_name, Router, RouterKind, ShardId, ShardingError};
use crate::sim::limits::MAX_SHARDS;
use serde::{Deserialize, Serialize};

/// One key that changes shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyMove {
    /// The key.
    pub key: String,
    /// The shard before the change.
    pub from: ShardId,
    /// The shard after the change.
    pub to: ShardId,
}

/// How many keys go from one shard to another (for drawing flows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairCount {
    /// The shard keys leave.
    pub from: ShardId,
    /// The shard keys go to.
    pub to: ShardId,
    /// Keys moving between the two.
    pub keys: u64,
}

/// The result of comparing two routers on one key set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    /// Keys examined.
    pub keys: u64,
    /// Keys whose shard changed.
    pub moved: u64,
    /// Every moved key, in the order given.
    pub moves: Vec<KeyMove>,
    /// Moved keys per (from, to), sorted by (from, to).
    pub pairs: Vec<PairCount>,
}

impl Movement {
    /// Moved keys as a fraction of all keys (0 for an empty key set).
    pub fn fraction(&self) -> f64 {
        share(self.moved, self.keys)
    }

    /// Moved keys that arrive at `shard`.
    pub fn moved_into(&self, shard: ShardId) -> u64 {
        self.pairs
            .iter()
            .filter(|p| p.to == shard)
            .map(|p| p.keys)
            .sum()
    }
}

/// Which keys move, and where, when routing switches from `before` to `after`.
/// Keys that either router cannot place (an empty router) are not counted as moved.
pub fn movement<S: AsRef<str>>(keys: &[S], before: &Router, after: &Router) -> Movement {
    let mut moves = Vec::new();
    // Sorted by (from, to); at most shards² pairs, so a sorted `Vec` rather than a B-tree
    // instantiation of its own in the wasm bundle.
    let mut pairs: Vec<PairCount> = Vec::new();
    for key in keys {
        let key = key.as_ref();
        if let (Some(from), Some(to)) = (before.route(key), after.route(key)) {
            if from != to {
                moves.push(KeyMove {
                    key: key.to_string(),
                    from,
                    to,
                });
                match pairs.binary_search_by(|p| (p.from, p.to).cmp(&(from, to))) {
                    Ok(at) => {
                        if let Some(p) = pairs.get_mut(at) {
                            p.keys += 1;
                        }
                    }
                    Err(at) => pairs.insert(at, PairCount { from, to, keys: 1 }),
                }
            }
        }
    }
    Movement {
        keys: keys.len() as u64,
        moved: moves.len() as u64,
        moves,
        pairs,
    }
}

/// One router's movement in a side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouterComparison {
    /// The router compared.
    pub router: RouterKind,
    /// What theory predicts for this change, as a fraction of keys: |Δn|/max(n) for the
    /// consistent schemes, 1 − gcd/max for modulo (N/(N+1) when adding one shard to N).
    pub expected_fraction: f64,
    /// The keys it moves, counted.
    pub movement: Movement,
}

/// Builds each router over shards `0..n_before` and `0..n_after` (shards are added or removed
/// at the end) and counts the moves on the same keys. `virtual_nodes` is used by the ring.
pub fn compare_routers<S: AsRef<str>>(
    keys: &[S],
    n_before: u32,
    n_after: u32,
    virtual_nodes: u32,
) -> Result<Vec<RouterComparison>, ShardingError> {
    for (field, n) in [("n_before", n_before), ("n_after", n_after)] {
        if n == 0 {
            return Err(ShardingError::NoShards { field });
        }
        if u64::from(n) > MAX_SHARDS {
            return Err(ShardingError::TooManyShards {
                requested: u64::from(n),
                max: MAX_SHARDS,
            });
        }
    }
    router_kinds(virtual_nodes)
        .iter()
        .map(|&kind| {
            let before = Router::with_shards(kind, n_before)?;
            let after = Router::with_shards(kind, n_after)?;
            Ok(RouterComparison {
                router: kind,
                expected_fraction: expected_fraction(kind, n_before, n_after),
                movement: movement(keys, &before, &after),
            })
        })
        .collect()
}

/// The routers a comparison counts, in table order: modulo, ring, jump, rendezvous.
fn router_kinds(virtual_nodes: u32) -> [RouterKind; 4] {
    [
        RouterKind::ModuloMd5,
        RouterKind::Ring { virtual_nodes },
        RouterKind::Jump,
        RouterKind::Rendezvous,
    ]
}

/// What theory predicts moves when `kind` goes from `n_before` to `n_after` shards (both at
/// least 1), as a fraction of keys: see [`RouterComparison::expected_fraction`].
fn expected_fraction(kind: RouterKind, n_before: u32, n_after: u32) -> f64 {
    let lo = f64::from(n_before.min(n_after));
    let hi = f64::from(n_before.max(n_after));
    match kind {
        // Modulo keeps a key only when h mod a == h mod b: exactly min(a, b) of the lcm(a, b)
        // residues, a fraction gcd/max — so adding one shard to N keeps only 1/(N+1) in place.
        RouterKind::ModuloMd5 if n_before == n_after => 0.0,
        RouterKind::ModuloMd5 => 1.0 - f64::from(gcd(n_before, n_after)) / hi,
        _ => (hi - lo) / hi,
    }
}

/// `moved` keys as a fraction of `keys` (0 for no keys).
fn share(moved: u64, keys: u64) -> f64 {
    if keys == 0 {
        0.0
    } else {
        moved as f64 / keys as f64
    }
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Keys a [`resize_movement`] table counts at most: a table over more keys says nothing
/// new and costs a page noticeably more time to count.
pub const MAX_TABLE_KEYS: u64 = 5_000;

/// One router's moved keys for one change of shard count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouterMoves {
    /// The router counted.
    pub router: RouterKind,
    /// Keys whose shard changed.
    pub moved: u64,
    /// Keys counted.
    pub keys: u64,
    /// `moved / keys` (0 for no keys).
    pub fraction: f64,
    /// What theory predicts, as a fraction of keys (see [`RouterComparison::expected_fraction`]).
    pub expected: f64,
}

/// Every router's moved keys when one shard is added to, or the last one removed from, a store
/// of `shards` shards: counted on the keys `user:0` … `user:<keys-1>` (at most
/// [`MAX_TABLE_KEYS`]), shards numbered `0…shards-1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResizeMovement {
    /// `shards → shards + 1`, one row per router (modulo, ring, jump, rendezvous).
    pub add: Vec<RouterMoves>,
    /// `shards → shards − 1`; empty for a single shard, which cannot be removed.
    pub remove: Vec<RouterMoves>,
}

/// Counts [`ResizeMovement`] for `keys` keys on `shards` shards (taken as 1 when 0), the ring
/// with `virtual_nodes` points per shard (at least 1). Pure and deterministic: a host may
/// remember the answer for the same arguments.
pub fn resize_movement(keys: u64, shards: u32, virtual_nodes: u32) -> ResizeMovement {
    let names: Vec<String> = (0..keys.min(MAX_TABLE_KEYS)).map(key_name).collect();
    let n = shards.max(1);
    let fits = |m: u32| m >= 1 && u64::from(m) <= MAX_SHARDS;
    let (up, down) = (n.saturating_add(1), n - 1);
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    for kind in router_kinds(virtual_nodes.max(1)) {
        let router = |m: u32| fits(m).then(|| Router::with_shards(kind, m).ok()).flatten();
        let Some(before) = router(n) else {
            continue;
        };
        let (to_up, to_down) = (router(up), router(down));
        // Each key is routed once before, and once under each count after: the counts of
        // `compare_routers`, without its list of every key that moved.
        let (mut moved_up, mut moved_down) = (0, 0);
        for key in &names {
            let Some(from) = before.route(key) else {
                continue;
            };
            let moved = |after: &Option<Router>| {
                after
                    .as_ref()
                    .and_then(|r| r.route(key))
                    .is_some_and(|to| to != from)
            };
            moved_up += u64::from(moved(&to_up));
            moved_down += u64::from(moved(&to_down));
        }
        let row = |moved: u64, n_after: u32| RouterMoves {
            router: kind,
            moved,
            keys: names.len() as u64,
            fraction: share(moved, names.len() as u64),
            expected: expected_fraction(kind, n, n_after),
        };
        if to_up.is_some() {
            add.push(row(moved_up, up));
        }
        if to_down.is_some() {
            remove.push(row(moved_down, down));
        }
    }
    ResizeMovement { add, remove }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_routers_move_nothing() {
        let keys: Vec<String> = (0..100).map(|i| format!("k{i}")).collect();
        let r = Router::with_shards(RouterKind::Jump, 3).unwrap();
        let m = movement(&keys, &r, &r.clone());
        assert_eq!(m.moved, 0);
        assert!(m.pairs.is_empty());
    }

    #[test]
    fn pair_counts_sum_to_moved() {
        let keys: Vec<String> = (0..1000).map(|i| format!("k{i}")).collect();
        let cmp = compare_routers(&keys, 4, 5, 50).unwrap();
        for c in &cmp {
            let sum: u64 = c.movement.pairs.iter().map(|p| p.keys).sum();
            assert_eq!(sum, c.movement.moved);
            assert_eq!(c.movement.moves.len() as u64, c.movement.moved);
        }
    }

    #[test]
    fn zero_shards_is_an_error() {
        let keys = ["a"];
        assert_eq!(
            compare_routers(&keys, 0, 3, 10),
            Err(ShardingError::NoShards { field: "n_before" })
        );
    }

    #[test]
    fn modulo_expectation_for_four_to_five() {
        let keys: Vec<String> = (0..10).map(|i| format!("k{i}")).collect();
        let cmp = compare_routers(&keys, 4, 5, 10).unwrap();
        assert!((cmp[0].expected_fraction - 0.8).abs() < 1e-12);
        assert!((cmp[1].expected_fraction - 0.2).abs() < 1e-12);
    }
}
