//! A client population with real IPv4 addresses.
//!
//! IP-hash balancing only teaches something if clients have distinct addresses: hashing one
//! constant string instead, as the naive IP-hash variant does (after the well-known tutorial
//! code), sends every request to one server. Addresses are drawn from 198.18.0.0/15, the range
//! reserved for benchmarking (RFC 2544), so they look real but belong to nobody.

use super::{check_count, limits, SimError, SimRng, Zipf};
use serde::{Deserialize, Serialize};

/// An IPv4 address as its 32-bit big-endian value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Ipv4(pub u32);

impl Ipv4 {
    /// The four octets, most significant first: `198.18.0.1` is `[198, 18, 0, 1]`.
    pub fn octets(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }
}

/// Dotted decimal: `198.18.0.1`.
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
    Zipf {
        /// The skew, above 0 and at most 10: 1 is the classic law where a few clients send
        /// most requests.
        exponent: f64,
    },
}

/// Who sends the requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// Distinct clients, each with its own address (1 to
    /// [`MAX_CLIENTS`](limits::MAX_CLIENTS)).
    pub count: u32,
    /// How often each client sends (uniform when absent).
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
    /// Draws `config.count` distinct addresses from 198.18.0.0/15 with `rng` (none ending in
    /// `.0` or `.255`), in client order.
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
        // The drawn ones are a bit per address of the /15 (16 KB): no set type to link.
        let mut seen = vec![0u64; (BENCHMARK_SIZE / 64) as usize];
        let mut addresses = Vec::with_capacity(count as usize);
        while (addresses.len() as u64) < count {
            let offset = rng.next_u32() % BENCHMARK_SIZE;
            let ip = BENCHMARK_NET | offset;
            let last = ip & 0xff;
            let Some(word) = seen.get_mut((offset / 64) as usize) else {
                continue;
            };
            let bit = 1u64 << (offset % 64);
            if last == 0 || last == 255 || *word & bit != 0 {
                continue;
            }
            *word |= bit;
            addresses.push(Ipv4(ip));
        }
        Ok(ClientPopulation { addresses, zipf })
    }

    /// The number of clients.
    pub fn len(&self) -> u32 {
        self.addresses.len() as u32
    }

    /// True when there are no clients, which [`ClientPopulation::new`] never builds.
    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty()
    }

    /// Every client's address, by client index.
    pub fn addresses(&self) -> &[Ipv4] {
        &self.addresses
    }

    /// The address of client `client`; `0.0.0.0` for an index past the population.
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
