//! Pluggable key → shard routing.

use super::hash::key_hash;
use super::shard::{check_weight, sorted_ids};
use super::{
    JumpRouter, ModuloRouter, RendezvousRouter, RingRouter, RouteTrace, ShardId, ShardingError,
};
use crate::sim::limits::{MAX_SHARDS, MAX_VIRTUAL_NODES};
use serde::{Deserialize, Serialize};

/// Which router to use. Serialized with kebab-case names:
/// `{"kind":"modulo-md5"}`, `{"kind":"ring","virtual_nodes":100}`, `{"kind":"jump"}`,
/// `{"kind":"rendezvous"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RouterKind {
    /// What the well-known tutorial calls "consistent hashing": MD5 → the digest's low 64
    /// bits as a signed int → its absolute value modulo the shard count.
    ModuloMd5,
    /// Consistent-hash ring with `virtual_nodes` points per shard.
    Ring {
        /// Points each shard places on the ring.
        virtual_nodes: u32,
    },
    /// Jump consistent hash (Lamping & Veach).
    Jump,
    /// Rendezvous / highest-random-weight hashing (weights honoured).
    Rendezvous,
}

impl RouterKind {
    /// Checks a ring's virtual nodes (1 to the simulation's limit).
    pub fn validate(&self) -> Result<(), ShardingError> {
        if let RouterKind::Ring { virtual_nodes } = *self {
            if virtual_nodes == 0 {
                return Err(ShardingError::NoVirtualNodes);
            }
            if u64::from(virtual_nodes) > MAX_VIRTUAL_NODES {
                return Err(ShardingError::TooManyVirtualNodes {
                    requested: u64::from(virtual_nodes),
                    max: MAX_VIRTUAL_NODES,
                });
            }
        }
        Ok(())
    }

    /// A short label for charts and narration.
    pub fn label(&self) -> String {
        match self {
            RouterKind::ModuloMd5 => "modulo-md5".to_string(),
            RouterKind::Ring { virtual_nodes } => format!("ring ({virtual_nodes} vnodes)"),
            RouterKind::Jump => "jump".to_string(),
            RouterKind::Rendezvous => "rendezvous".to_string(),
        }
    }
}

impl Default for RouterKind {
    fn default() -> Self {
        RouterKind::Ring { virtual_nodes: 100 }
    }
}

/// A router's state: which shards it knows and how it maps a key to one of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Router {
    /// MD5 modulo the shard count.
    ModuloMd5(ModuloRouter),
    /// A consistent-hash ring.
    Ring(RingRouter),
    /// Jump consistent hash.
    Jump(JumpRouter),
    /// Rendezvous hashing.
    Rendezvous(RendezvousRouter),
}

impl Router {
    /// An empty router of the given kind.
    pub fn new(kind: RouterKind) -> Result<Self, ShardingError> {
        kind.validate()?;
        Ok(match kind {
            RouterKind::ModuloMd5 => Router::ModuloMd5(ModuloRouter::new()),
            RouterKind::Ring { virtual_nodes } => Router::Ring(RingRouter::new(virtual_nodes)),
            RouterKind::Jump => Router::Jump(JumpRouter::new()),
            RouterKind::Rendezvous => Router::Rendezvous(RendezvousRouter::new()),
        })
    }

    /// A router over shards `0..n`, each of weight 1.
    pub fn with_shards(kind: RouterKind, n: u32) -> Result<Self, ShardingError> {
        if n == 0 {
            return Err(ShardingError::NoShards { field: "shards" });
        }
        let mut router = Router::new(kind)?;
        for id in 0..n {
            router.add(ShardId(id), 1.0)?;
        }
        Ok(router)
    }

    /// Which router this is (with its virtual nodes for a ring).
    pub fn kind(&self) -> RouterKind {
        match self {
            Router::ModuloMd5(_) => RouterKind::ModuloMd5,
            Router::Ring(r) => RouterKind::Ring {
                virtual_nodes: r.virtual_nodes(),
            },
            Router::Jump(_) => RouterKind::Jump,
            Router::Rendezvous(_) => RouterKind::Rendezvous,
        }
    }

    /// The shards the router can send keys to, in id order.
    pub fn shards(&self) -> Vec<ShardId> {
        match self {
            Router::ModuloMd5(r) => sorted_ids(r.shards().iter().copied()),
            Router::Ring(r) => r.shards(),
            Router::Jump(r) => sorted_ids(r.buckets().iter().copied()),
            Router::Rendezvous(r) => sorted_ids(r.shards().into_iter()),
        }
    }

    /// Shards the router knows.
    pub fn len(&self) -> u32 {
        self.shards().len() as u32
    }

    /// Knows no shard: routes nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `id` is one of its shards.
    pub fn contains(&self, id: ShardId) -> bool {
        self.shards().binary_search(&id).is_ok()
    }

    /// Adds a shard. Rejects duplicates, bad weights and more than `MAX_SHARDS`.
    pub fn add(&mut self, id: ShardId, weight: f64) -> Result<(), ShardingError> {
        let weight = check_weight(weight)?;
        let shards = self.shards();
        if shards.binary_search(&id).is_ok() {
            return Err(ShardingError::DuplicateShard { shard: id.0 });
        }
        let count = shards.len() as u64 + 1;
        if count > MAX_SHARDS {
            return Err(ShardingError::TooManyShards {
                requested: count,
                max: MAX_SHARDS,
            });
        }
        match self {
            Router::ModuloMd5(r) => r.add(id),
            Router::Ring(r) => r.add(id),
            Router::Jump(r) => r.add(id),
            Router::Rendezvous(r) => r.add(id, weight),
        }
        Ok(())
    }

    /// Removes a shard. Rejects unknown ids and removing the last shard.
    pub fn remove(&mut self, id: ShardId) -> Result<(), ShardingError> {
        let shards = self.shards();
        if shards.binary_search(&id).is_err() {
            return Err(ShardingError::UnknownShard { shard: id.0 });
        }
        if shards.len() <= 1 {
            return Err(ShardingError::LastShard { shard: id.0 });
        }
        match self {
            Router::ModuloMd5(r) => r.remove(id),
            Router::Ring(r) => r.remove(id),
            Router::Jump(r) => r.remove(id),
            Router::Rendezvous(r) => r.remove(id),
        }
        Ok(())
    }

    /// The shard a key hashes to (`None` only for an empty router).
    #[inline]
    pub fn route(&self, key: &str) -> Option<ShardId> {
        match self {
            Router::ModuloMd5(r) => r.route(key),
            Router::Ring(r) => r.route(key),
            Router::Jump(r) => r.route(key),
            Router::Rendezvous(r) => r.route(key),
        }
    }
}

impl Router {
    /// How `key` is routed, step by step; `None` only for an empty router.
    pub fn trace(&self, key: &str) -> Option<RouteTrace> {
        let mut trace = RouteTrace::Modulo {
            hash: 0,
            shards: 0,
            slot: 0,
            shard: ShardId(0),
        };
        self.trace_into(key, &mut trace).map(|_| trace)
    }

    /// [`Router::trace`] into `out`, reusing the buffers a trace of the same router left
    /// there (so tracing allocates nothing once warm); returns the shard the route ends at,
    /// the one [`Router::route`] returns. On `None` (an empty router) `out` is no trace of `key`.
    pub fn trace_into(&self, key: &str, out: &mut RouteTrace) -> Option<ShardId> {
        match self {
            Router::ModuloMd5(r) => {
                let (hash, shards, slot, shard) = r.trace(key)?;
                *out = RouteTrace::Modulo {
                    hash,
                    shards,
                    slot,
                    shard,
                };
                Some(shard)
            }
            Router::Ring(r) => {
                let hash = key_hash(key);
                let (vnode, before, wrapped) = r.trace_hash(hash)?;
                *out = RouteTrace::Ring {
                    hash,
                    vnode,
                    before,
                    wrapped,
                };
                Some(vnode.shard)
            }
            Router::Jump(r) => {
                let hash = key_hash(key);
                let mut jumps = match out {
                    RouteTrace::Jump { jumps, .. } => core::mem::take(jumps),
                    _ => Vec::new(),
                };
                let (bucket, shard) = r.trace_hash(hash, &mut jumps)?;
                *out = RouteTrace::Jump {
                    hash,
                    buckets: r.buckets().len() as u32,
                    jumps,
                    bucket,
                    shard,
                };
                Some(shard)
            }
            Router::Rendezvous(r) => {
                let hash = key_hash(key);
                let mut scores = match out {
                    RouteTrace::Rendezvous { scores, .. } => core::mem::take(scores),
                    _ => Vec::new(),
                };
                let weighted = r.trace_hash(hash, &mut scores);
                let next = RouteTrace::Rendezvous {
                    hash,
                    weighted,
                    scores,
                };
                let shard = next.shard()?;
                *out = next;
                Some(shard)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialize_kebab_case() {
        let json = serde_json::to_string(&RouterKind::ModuloMd5).unwrap();
        assert_eq!(json, r#"{"kind":"modulo-md5"}"#);
        let json = serde_json::to_string(&RouterKind::Ring { virtual_nodes: 7 }).unwrap();
        assert_eq!(json, r#"{"kind":"ring","virtual_nodes":7}"#);
        let back: RouterKind = serde_json::from_str(r#"{"kind":"rendezvous"}"#).unwrap();
        assert_eq!(back, RouterKind::Rendezvous);
    }

    #[test]
    fn vnode_bounds_are_typed_errors() {
        assert_eq!(
            Router::new(RouterKind::Ring { virtual_nodes: 0 }),
            Err(ShardingError::NoVirtualNodes)
        );
        assert!(matches!(
            Router::new(RouterKind::Ring {
                virtual_nodes: 1_001
            }),
            Err(ShardingError::TooManyVirtualNodes { .. })
        ));
    }

    #[test]
    fn add_remove_errors() {
        let mut r = Router::with_shards(RouterKind::Jump, 2).unwrap();
        assert_eq!(
            r.add(ShardId(1), 1.0),
            Err(ShardingError::DuplicateShard { shard: 1 })
        );
        assert_eq!(
            r.remove(ShardId(9)),
            Err(ShardingError::UnknownShard { shard: 9 })
        );
        assert!(matches!(
            r.add(ShardId(5), f64::NAN),
            Err(ShardingError::BadWeight { .. })
        ));
        r.remove(ShardId(0)).unwrap();
        assert_eq!(
            r.remove(ShardId(1)),
            Err(ShardingError::LastShard { shard: 1 })
        );
        assert_eq!(
            Router::with_shards(RouterKind::Jump, 0),
            Err(ShardingError::NoShards { field: "shards" })
        );
    }

    #[test]
    fn too_many_shards() {
        let mut r = Router::with_shards(RouterKind::Jump, MAX_SHARDS as u32).unwrap();
        assert!(matches!(
            r.add(ShardId(5_000), 1.0),
            Err(ShardingError::TooManyShards { .. })
        ));
    }

    #[test]
    fn every_router_routes_to_a_member() {
        for kind in [
            RouterKind::ModuloMd5,
            RouterKind::Ring { virtual_nodes: 10 },
            RouterKind::Jump,
            RouterKind::Rendezvous,
        ] {
            let mut r = Router::with_shards(kind, 5).unwrap();
            r.remove(ShardId(2)).unwrap();
            for i in 0..200 {
                let s = r.route(&format!("user:{i}")).unwrap();
                assert!(r.contains(s), "{kind:?} routed to {s}");
                assert_ne!(s, ShardId(2));
            }
        }
    }

    #[test]
    fn jump_middle_removal_swaps_last_bucket_in() {
        let mut r = Router::with_shards(RouterKind::Jump, 4).unwrap();
        r.remove(ShardId(1)).unwrap();
        match r {
            Router::Jump(j) => assert_eq!(j.buckets(), &[ShardId(0), ShardId(3), ShardId(2)]),
            other => panic!("expected a jump router, got {other:?}"),
        }
    }

    #[test]
    fn weighted_rendezvous_follows_weights() {
        let mut r = Router::new(RouterKind::Rendezvous).unwrap();
        r.add(ShardId(0), 1.0).unwrap();
        r.add(ShardId(1), 3.0).unwrap();
        let heavy = (0..4000)
            .filter(|i| r.route(&format!("k{i}")) == Some(ShardId(1)))
            .count();
        // Expected share 3/4 = 3000.
        assert!((2800..=3200).contains(&heavy), "heavy shard got {heavy}");
    }
}
