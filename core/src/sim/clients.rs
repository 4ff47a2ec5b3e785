//! A client population with real IPv4 addresses.
//!
//! IP-hash balancing only teaches something if clients have distinct addresses; the seed
//! guide hashed one constant string, so every request landed on one server. Addresses are
//! drawn from 198.18.0.0/15, the range reserved for benchmarking (RFC 2544), so they look real
//! but belong to nobody.

use super::{check_count, limits, SimError, SimRng, Zipf};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// An IPv4 address as its 32-bit big-endian value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Ipv4(pub u32);

impl Ipv4 {
    pub fn octets(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }
}

impl core::fmt::Display for Ipv4 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let [a, b, c, d] = self.octets();
        write!(f, "{a}.{b}.{c}.{d}")
    }
}

/// How often each client sends.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ClientMix {
    /// Every client equally likely.
    #[default]
    Uniform,
    /// A few heavy clients: client rank i sends with weight 1 / (i+1)^exponent.
    Zipf { exponent: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientConfig {
    pub count: u32,
    #[serde(default)]
    pub mix: ClientMix,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            count: 64,
            mix: ClientMix::Uniform,
        }
    }
}

/// The clients, each with a distinct address, and the law choosing who sends next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientPopulation {
    addresses: Vec<Ipv4>,
    zipf: Option<Zipf>,
}

const BENCHMARK_NET: u32 = 0xC612_0000; // 198.18.0.0
const BENCHMARK_SIZE: u32 = 1 << 17; // /15

impl ClientPopulation {
    pub fn new(config: &ClientConfig, rng: &mut SimRng) -> Result<Self, SimError> {
        let count = check_count(
            "client count",
            u64::from(config.count),
            1,
            limits::MAX_CLIENTS,
        )?;
        let zipf = match config.mix {
            ClientMix::Uniform => None,
            ClientMix::Zipf { exponent } => Some(Zipf::new(count, exponent, limits::MAX_CLIENTS)?),
        };
        // Distinct addresses, in draw order; skip .0 and .255 host parts, as a real network would.
        let mut seen = BTreeSet::new();
        let mut addresses = Vec::with_capacity(count as usize);
        while (addresses.len() as u64) < count {
            let ip = BENCHMARK_NET | (rng.next_u32() % BENCHMARK_SIZE);
            let last = ip & 0xff;
            if last == 0 || last == 255 || !seen.insert(ip) {
                continue;
            }
            addresses.push(Ipv4(ip));
        }
        Ok(ClientPopulation { addresses, zipf })
    }

    pub fn len(&self) -> u32 {
        self.addresses.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty()
    }

    pub fn addresses(&self) -> &[Ipv4] {
        &self.addresses
    }

    pub fn address(&self, client: u32) -> Ipv4 {
        self.addresses
            .get(client as usize)
            .copied()
            .unwrap_or_default()
    }

    /// Picks who sends the next request.
    pub fn pick(&self, rng: &mut SimRng) -> u32 {
        match &self.zipf {
            Some(z) => z.sample(rng) as u32,
            None => rng.below(u64::from(self.len())) as u32,
        }
    }
}
