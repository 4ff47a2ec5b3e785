//! Consistent hashing keyed by the client address, as Envoy's `RING_HASH` and `MAGLEV` load
//! balancers do: when a server leaves, only the clients it served move (about 1 in N), where
//! IP hash modulo the eligible count moves most of them.
//!
//! Servers are placed by their stable identity (the balancer's backend id), not by their
//! position in the list, so a server leaving does not move the others. Weights are ignored:
//! every server owns the same number of ring points or table slots, so what moves when the set
//! of servers changes is the only difference a student sees from IP hash.

use crate::balancing::candidate::{same_ids, Candidate};
use crate::balancing::decision::{NoTrace, PickTrace, Rule};
use crate::sim::Ipv4;
use serde::{Deserialize, Serialize};

/// Ring points per server. Ketama (libketama, memcached clients) places 160 points per server
/// (40 MD5 digests × 4); Envoy instead fills a ring of at least `minimum_ring_size` 1 024
/// points shared among the hosts. A fixed count per server keeps each server's points
/// independent of how many others there are, so removing one deletes exactly its points and
/// moves exactly the clients that sat on them; 160 points keep each server's share within
/// about ±10 % of an equal share.
pub const RING_POINTS_PER_SERVER: u32 = 160;

/// Maglev's lookup table size: a prime (each server's preference list is then a permutation
/// of the slots). Envoy's default is 65 537; 1 021 is the prime below 1 024, ample for the page's
/// 32 servers (each owns 31 or 32 slots) and the core's 256, and small enough to rebuild at
/// every change of the eligible set.
pub const MAGLEV_TABLE_SIZE: u32 = 1_021;

const CLIENT_SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const POINT_SEED: u64 = 0xc2b2_ae3d_27d4_eb4f;
const OFFSET_SEED: u64 = 0x1656_67b1_9e37_79f9;
const SKIP_SEED: u64 = 0x85eb_ca77_c2b2_ae63;

/// MurmurHash3's 64-bit finaliser: a bijection with full avalanche, so neighbouring client
/// addresses and neighbouring point numbers land far apart.
fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}

/// The client address's 64-bit hash (what both consistent hashes look up).
pub fn client_hash(ip: Ipv4) -> u64 {
    fmix64(u64::from(ip.0) ^ CLIENT_SEED)
}

/// The client's position on the 32-bit ring (Ketama's ring is 32-bit).
pub fn ring_position(ip: Ipv4) -> u32 {
    (client_hash(ip) >> 32) as u32
}

/// Where point `number` of server `id` sits on the ring.
pub fn ring_point(id: u32, number: u32) -> u32 {
    (fmix64(((u64::from(id) << 32) | u64::from(number)) ^ POINT_SEED) >> 32) as u32
}

/// Ketama-style ring hash: each server owns [`RING_POINTS_PER_SERVER`] points; a client goes to
/// the owner of the first point at or after its position, wrapping to the lowest point.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingHash {
    /// The backend ids the ring holds, in candidate order.
    #[serde(skip)]
    members: Vec<u32>,
    /// `point << 32 | id`, ascending: one sorted list of integers, ties by id.
    #[serde(skip)]
    ring: Vec<u64>,
}

impl RingHash {
    /// The owner of the first point at or after the client's position.
    pub fn pick(&mut self, candidates: &[Candidate], client: Ipv4) -> Option<u32> {
        self.pick_traced(candidates, client, &mut NoTrace)
    }

    /// Points on the ring now (servers × points per server).
    pub fn points(&self) -> u32 {
        self.ring.len() as u32
    }

    fn rebuild(&mut self, candidates: &[Candidate]) {
        if same_ids(&self.members, candidates) {
            return;
        }
        self.members = candidates.iter().map(|c| c.id).collect();
        self.ring.clear();
        for c in candidates {
            for number in 0..RING_POINTS_PER_SERVER {
                self.ring
                    .push((u64::from(ring_point(c.id, number)) << 32) | u64::from(c.id));
            }
        }
        crate::heapsort::heapsort(&mut self.ring);
    }

    /// [`RingHash::pick`], reporting the client's position and the point that chose.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        client: Ipv4,
        trace: &mut T,
    ) -> Option<u32> {
        self.rebuild(candidates);
        let position = ring_position(client);
        let at = self
            .ring
            .partition_point(|&p| p < u64::from(position) << 32);
        let wrapped = at == self.ring.len();
        let packed = *self.ring.get(if wrapped { 0 } else { at })?;
        let (point, id) = ((packed >> 32) as u32, packed as u32);
        let chosen = candidates.iter().find(|c| c.id == id)?;
        if T::ON {
            let number = (0..RING_POINTS_PER_SERVER)
                .find(|&n| ring_point(id, n) == point)
                .unwrap_or(0);
            trace.rule(Rule::RingPoint {
                client,
                position,
                point,
                number,
                wrapped,
            });
        }
        Some(chosen.server)
    }
}

/// Maglev's lookup table (Eisenbud et al., NSDI 2016, "Pseudocode 1"), as Envoy builds it:
/// server `i` prefers slots `(offset_i + j × skip_i) mod M` for j = 0, 1, 2…; the servers take
/// turns, each filling its next preferred slot that is still empty, until every slot is
/// filled. Returns, per slot, the index of the server in `permutations` that owns it; `None`
/// when a pair is not a permutation of the slots (an offset not below `size`, a skip of 0 or
/// not below `size`, or a size that is not prime) or there are no servers.
pub fn maglev_table(permutations: &[(u32, u32)], size: u32) -> Option<Vec<u32>> {
    let valid = |&(offset, skip): &(u32, u32)| offset < size && skip >= 1 && skip < size;
    if permutations.is_empty() || !permutations.iter().all(valid) {
        return None;
    }
    let m = u64::from(size);
    let mut entry = vec![u32::MAX; size as usize];
    let mut next = vec![0u64; permutations.len()];
    let mut filled = 0u64;
    loop {
        for (i, (&(offset, skip), next)) in permutations.iter().zip(next.iter_mut()).enumerate() {
            // A server's preferences are a permutation when the size is prime, so an empty
            // slot turns up within `size` tries; more means they are not one.
            loop {
                if *next >= m {
                    return None;
                }
                let slot = (u64::from(offset) + *next * u64::from(skip)) % m;
                *next += 1;
                let cell = entry.get_mut(slot as usize)?;
                if *cell == u32::MAX {
                    *cell = i as u32;
                    break;
                }
            }
            filled += 1;
            if filled == m {
                return Some(entry);
            }
        }
    }
}

/// Server `id`'s Maglev preference list: its first slot and its step, from two independent
/// hashes of its identity (Envoy hashes the host address with seeds 0 and 1).
pub fn maglev_permutation(id: u32, size: u32) -> (u32, u32) {
    let m = u64::from(size.max(2));
    let offset = fmix64(u64::from(id) ^ OFFSET_SEED) % m;
    let skip = fmix64(u64::from(id) ^ SKIP_SEED) % (m - 1) + 1;
    (offset as u32, skip as u32)
}

/// Maglev: a client goes to the server owning slot `hash mod M` of the lookup table, rebuilt
/// whenever the eligible servers change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Maglev {
    /// The backend ids the table was built for, in candidate order.
    #[serde(skip)]
    members: Vec<u32>,
    /// Per slot, the owner's index in `members`.
    #[serde(skip)]
    table: Vec<u32>,
}

impl Maglev {
    /// The owner of the client's slot.
    pub fn pick(&mut self, candidates: &[Candidate], client: Ipv4) -> Option<u32> {
        self.pick_traced(candidates, client, &mut NoTrace)
    }

    fn rebuild(&mut self, candidates: &[Candidate]) {
        if same_ids(&self.members, candidates) && !self.table.is_empty() {
            return;
        }
        self.members = candidates.iter().map(|c| c.id).collect();
        let permutations: Vec<(u32, u32)> = self
            .members
            .iter()
            .map(|&id| maglev_permutation(id, MAGLEV_TABLE_SIZE))
            .collect();
        self.table = maglev_table(&permutations, MAGLEV_TABLE_SIZE).unwrap_or_default();
    }

    /// [`Maglev::pick`], reporting the client's hash and the slot that chose.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        client: Ipv4,
        trace: &mut T,
    ) -> Option<u32> {
        self.rebuild(candidates);
        let hash = client_hash(client);
        let slot = (hash % u64::from(MAGLEV_TABLE_SIZE)) as u32;
        // The table was built for exactly these candidates, so an owner's index is theirs.
        let owner = *self.table.get(slot as usize)?;
        let chosen = candidates.get(owner as usize)?;
        trace.rule(Rule::TableSlot {
            client,
            hash,
            slot,
            size: MAGLEV_TABLE_SIZE,
        });
        Some(chosen.server)
    }
}
