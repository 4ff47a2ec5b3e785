//! The simulation kernel every pattern builds on: integer time, a portable seeded RNG,
//! workload generators (arrivals, clients, request costs), servers with slots and queues,
//! latency statistics, an ordered event queue and a digest for determinism tests.

mod arrivals;
mod clients;
mod cost;
mod digest;
mod error;
mod latency;
pub mod limits;
mod queue;
mod rng;
mod run;
mod server;
mod time;
pub mod turn;
mod workload;
mod zipf;

pub use arrivals::{ArrivalGenerator, ArrivalProcess};
pub use clients::{ClientConfig, ClientMix, ClientPopulation, Ipv4};
pub use cost::{CostDistribution, LONG_LIVED_FACTOR, LONG_LIVED_FRACTION};
pub use digest::{fnv1a64, Digest};
pub use error::{check_count, check_positive, check_range, SimError};
pub use latency::{LatencyHistogram, Percentiles, RecentLatencies};
pub use queue::EventQueue;
pub use rng::SimRng;
pub use run::digest_run;
pub use server::{
    Admission, Completion, Request, Server, ServerConfig, ServerCounters, MAX_SPEED, MAX_WEIGHT,
};
pub use time::{SimDuration, SimTime};
pub use workload::{Workload, WorkloadConfig};
pub use zipf::Zipf;
