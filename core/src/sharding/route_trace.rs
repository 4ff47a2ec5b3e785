//! How a router got from a key to a shard, as data: the inputs each router decides from and
//! the steps it takes, so a page can show the hash, the ring walk, the jumps or the scores
//! behind a route, and say why in one sentence.
//!
//! Tracing runs the same arithmetic as the lookup (the ring's binary search, jump hash's loop
//! through one shared function, rendezvous's scores), so a trace always ends at the shard
//! [`super::Router::route`] returns.

use super::{RendezvousRouter, RingRouter, ShardId};
use crate::num_text::Fixed;
use core::fmt;

/// One virtual node on the ring: a point `shard` placed at `position`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vnode {
    /// The shard that owns the point.
    pub shard: ShardId,
    /// Where it sits on the ring (0 at the top, clockwise up to `u64::MAX`).
    pub position: u64,
    /// Its index in the ring's sorted points.
    pub slot: u32,
    /// Points each shard places on the ring.
    pub replicas: u32,
}

impl Vnode {
    /// Which of its shard's points it is: the `i` with `position = point_of(shard, i)`
    /// ([`RingRouter::point_of`]). Found by hashing the shard's point names until one
    /// matches, up to `replicas` hashes, so it is worked out when asked rather than on every
    /// route. `None` only if no index below `replicas` gives the position.
    pub fn replica(&self) -> Option<u32> {
        (0..self.replicas).find(|&i| RingRouter::point_of(self.shard, i) == self.position)
    }
}

/// One step of jump consistent hash: from bucket `from` the key jumps to `to`. The walk ends
/// with the first `to` at or past the bucket count, and the last `from` is the key's bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JumpStep {
    /// The bucket the key is in before the jump.
    pub from: u32,
    /// The bucket it jumps to.
    pub to: u64,
}

/// One shard's rendezvous score for a key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RendezvousScore {
    /// The shard scoring.
    pub shard: ShardId,
    /// `fmix64(key_hash ^ shard_seed)`: with equal weights the highest raw score wins.
    pub raw: u64,
    /// The shard's weight.
    pub weight: f64,
    /// `−w / ln(u)`, `u` the raw score mapped into (0, 1): what is compared when weights differ.
    pub weighted: f64,
}

impl RendezvousScore {
    /// The raw score as a fraction of 2^64, in [0, 1): the number a table shows.
    pub fn fraction(&self) -> f64 {
        self.raw as f64 / 18_446_744_073_709_551_616.0
    }
}

/// The route of one key through one router.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteTrace {
    /// MD5 of the key modulo the shard count: what the tutorial calls "consistent hashing",
    /// which changing the shard count shows to be plain modulo.
    Modulo {
        /// MD5 of the key as a big-endian integer; the tutorial's `h` is its low 64 bits read
        /// as a signed integer ([`guide_int`](super::guide_int)).
        hash: u128,
        /// Shards in the router: the modulus.
        shards: u32,
        /// `|h| % shards`: the position in the router's shard list.
        slot: u32,
        /// The shard at that position.
        shard: ShardId,
    },
    /// A consistent-hash ring: the first virtual node at or after the key's hash, wrapping to
    /// the first one past the last.
    Ring {
        /// `stable_hash64(key)`: the key's place on the ring.
        hash: u64,
        /// The vnode the key lands on.
        vnode: Vnode,
        /// The vnode before it (counter-clockwise): the key's hash lies after it, so the arc
        /// from it to `vnode` is the stretch of ring `vnode` owns.
        before: Vnode,
        /// The hash is past the last vnode, so the walk wrapped to the first.
        wrapped: bool,
    },
    /// Jump consistent hash.
    Jump {
        /// `stable_hash64(key)`: the jump sequence's seed.
        hash: u64,
        /// Buckets (shards) in the router.
        buckets: u32,
        /// Every jump, in order; the last one lands at or past `buckets`.
        jumps: Vec<JumpStep>,
        /// The key's bucket: the last jump's `from`.
        bucket: u32,
        /// The shard owning that bucket.
        shard: ShardId,
    },
    /// Rendezvous (highest random weight): every shard scores the key.
    Rendezvous {
        /// `stable_hash64(key)`, mixed with each shard's seed.
        hash: u64,
        /// Weights differ, so `weighted` is compared rather than `raw`.
        weighted: bool,
        /// Every shard's score, in id order.
        scores: Vec<RendezvousScore>,
    },
}

impl RouteTrace {
    /// The shard the route ends at (`None` only for rendezvous without shards).
    pub fn shard(&self) -> Option<ShardId> {
        match self {
            RouteTrace::Modulo { shard, .. } | RouteTrace::Jump { shard, .. } => Some(*shard),
            RouteTrace::Ring { vnode, .. } => Some(vnode.shard),
            RouteTrace::Rendezvous {
                weighted, scores, ..
            } => best(scores, *weighted).map(|s| s.shard),
        }
    }

    /// The highest rendezvous score, then the runner-up (`None` for other routers).
    pub fn rendezvous_top(&self) -> Option<(RendezvousScore, Option<RendezvousScore>)> {
        let RouteTrace::Rendezvous {
            weighted, scores, ..
        } = self
        else {
            return None;
        };
        let first = best(scores, *weighted)?;
        let rest = scores.iter().filter(|s| s.shard != first.shard);
        let second = rest.fold(None::<RendezvousScore>, |b, s| match b {
            Some(b) if !beats(s, &b, *weighted) => Some(b),
            _ => Some(*s),
        });
        Some((first, second))
    }

    /// The sentence for `key`: the router, its inputs and where they lead.
    pub fn why<'a>(&'a self, key: &'a str) -> TraceWhy<'a> {
        TraceWhy { trace: self, key }
    }
}

/// `a` beats `b` under the router's comparison (the lookup keeps the first of equal scores,
/// and scores are in id order, so equal scores go to the lower id).
fn beats(a: &RendezvousScore, b: &RendezvousScore, weighted: bool) -> bool {
    if weighted {
        a.weighted > b.weighted
    } else {
        a.raw > b.raw
    }
}

fn best(scores: &[RendezvousScore], weighted: bool) -> Option<RendezvousScore> {
    scores.iter().fold(None, |b, s| match b {
        Some(b) if !beats(s, &b, weighted) => Some(b),
        _ => Some(*s),
    })
}

/// Fills `scores` with every member's score for `hash`, reusing its buffer.
pub(crate) fn score_all(
    members: impl Iterator<Item = (ShardId, u64, f64)>,
    hash: u64,
    scores: &mut Vec<RendezvousScore>,
) {
    scores.clear();
    for (shard, seed, weight) in members {
        let raw = RendezvousRouter::score(hash, seed);
        scores.push(RendezvousScore {
            shard,
            raw,
            weight,
            weighted: RendezvousRouter::weighted_score(raw, weight),
        });
    }
}

/// The top 16 bits of a ring position or hash: `0x3f2a…`.
pub struct ShortHex(pub u64);

impl fmt::Display for ShortHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:04x}…", self.0 >> 48)
    }
}

/// A vnode as `shard-2#17` (its shard and replica index).
pub struct VnodeName(pub Vnode);

impl fmt::Display for VnodeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.replica() {
            Some(i) => write!(f, "{}#{i}", self.0.shard),
            None => write!(f, "{}", self.0.shard),
        }
    }
}

/// A trace's sentence for one key (see [`RouteTrace::why`]).
pub struct TraceWhy<'a> {
    trace: &'a RouteTrace,
    key: &'a str,
}

impl fmt::Display for TraceWhy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = self.key;
        match self.trace {
            RouteTrace::Modulo {
                hash,
                shards,
                slot,
                shard,
            } => write!(
                f,
                "modulo: MD5({key}) = 0x{:04x}…{:016x}, whose low 64 bits as a signed int are \
                 h = {}; |h| mod {shards} = {slot}, which is {shard} (plain modulo, which the \
                 tutorial calls consistent hashing: changing the shard count moves most keys)",
                (hash >> 112) as u64,
                *hash as u64,
                super::guide_int(*hash)
            ),
            RouteTrace::Ring {
                hash,
                vnode,
                wrapped,
                ..
            } => {
                write!(
                    f,
                    "ring: {key} hashes to {}, the first vnode clockwise is {} at {}",
                    ShortHex(*hash),
                    VnodeName(*vnode),
                    ShortHex(vnode.position)
                )?;
                if *wrapped {
                    f.write_str(" (past the last vnode, wrapping round to the first)")?;
                }
                Ok(())
            }
            RouteTrace::Jump {
                hash,
                buckets,
                jumps,
                bucket,
                shard,
            } => {
                write!(f, "jump: {key} hashes to {}, jumps ", ShortHex(*hash))?;
                for step in jumps {
                    write!(f, "{} → ", step.from)?;
                }
                let last = jumps.last().map_or(0, |s| s.to);
                write!(
                    f,
                    "{last}, and {last} ≥ {buckets} buckets ends the walk: bucket {bucket}, {shard}"
                )
            }
            RouteTrace::Rendezvous { weighted, .. } => {
                let Some((first, second)) = self.trace.rendezvous_top() else {
                    return write!(f, "rendezvous: no shard scores {key}");
                };
                let score = |s: &RendezvousScore| {
                    if *weighted {
                        Fixed(s.weighted, 3)
                    } else {
                        Fixed(s.fraction(), 3)
                    }
                };
                write!(
                    f,
                    "rendezvous: {} scores {key} highest, {}",
                    first.shard,
                    score(&first)
                )?;
                match second {
                    Some(s) => write!(f, " (next {}, {})", s.shard, score(&s)),
                    None => f.write_str(" (the only shard)"),
                }
            }
        }
    }
}
