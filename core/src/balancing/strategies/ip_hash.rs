//! IP hash: the client's address picks the server, so a client sticks to one server.

use crate::balancing::candidate::Candidate;
use crate::balancing::decision::{HashKey, NoTrace, PickTrace, Rule};
use crate::sim::{fnv1a64, Ipv4};
use serde::{Deserialize, Serialize};

/// HAProxy `balance source`: the XOR of the address's 32-bit big-endian words. An IPv4 address
/// is a single word, so the hash is the address itself; HAProxy then takes it modulo the running
/// servers. Stable, and cheap to reason about on a whiteboard.
pub fn ip_hash(ip: Ipv4) -> u32 {
    ip.0
}

/// Hash of the client address modulo the number of *eligible* servers. Because the modulus is
/// the eligible count, a server going down or being removed remaps most clients, not just the
/// ones it served: the teaching point that motivates consistent hashing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpHash {}

impl IpHash {
    /// The eligible server at the client's hash modulo the eligible count.
    pub fn pick(&mut self, candidates: &[Candidate], client: Ipv4) -> Option<u32> {
        self.pick_traced(candidates, client, &mut NoTrace)
    }

    /// [`IpHash::pick`], reporting the hash, the modulus and the index.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        client: Ipv4,
        trace: &mut T,
    ) -> Option<u32> {
        let n = candidates.len() as u32;
        if n == 0 {
            return None;
        }
        let hash = ip_hash(client);
        let index = hash % n;
        trace.rule(Rule::HashModulo {
            key: HashKey::Client(client),
            hash: u64::from(hash),
            eligible: n,
            index,
        });
        candidates.get(index as usize).map(|c| c.server)
    }
}

/// The key the well-known tutorial's IP hash hashes instead of the client address.
pub const NAIVE_HASH_KEY: &str = "client-ip";

/// IP hash as the well-known tutorial code writes it: it hashes one constant string rather than the
/// client's address, so every request from every client lands on the same server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpHashNaive {}

impl IpHashNaive {
    /// Always the same server (see [`NAIVE_HASH_KEY`]).
    pub fn pick(&mut self, candidates: &[Candidate]) -> Option<u32> {
        self.pick_traced(candidates, &mut NoTrace)
    }

    /// [`IpHashNaive::pick`], reporting the constant key's hash, the modulus and the index.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        trace: &mut T,
    ) -> Option<u32> {
        let n = candidates.len() as u64;
        if n == 0 {
            return None;
        }
        let h = fnv1a64(NAIVE_HASH_KEY.as_bytes());
        trace.rule(Rule::HashModulo {
            key: HashKey::Constant,
            hash: h,
            eligible: n as u32,
            index: (h % n) as u32,
        });
        candidates.get((h % n) as usize).map(|c| c.server)
    }
}
