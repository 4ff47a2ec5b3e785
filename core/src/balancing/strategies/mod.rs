//! The pick algorithms, one file per family. Each reference algorithm sits beside the naive
//! version the well-known tutorial code uses, kept on purpose so the race can show the difference.

mod consistent;
mod ip_hash;
mod least_connections;
mod positions;
mod random;
mod response_time;
mod round_robin;
mod weighted;

pub use consistent::{
    client_hash, maglev_permutation, maglev_table, ring_point, ring_position, Maglev, RingHash,
    MAGLEV_TABLE_SIZE, RING_POINTS_PER_SERVER,
};
pub use ip_hash::{ip_hash, IpHash, IpHashNaive, NAIVE_HASH_KEY};
pub use least_connections::{LeastConnections, LeastConnectionsNaive};
pub use random::{PowerOfTwoChoices, RandomChoice};
pub use response_time::{EwmaResponseTime, LeastResponseTime, ResponseWindow};
pub use round_robin::RoundRobin;
pub use weighted::{NaiveWeighted, SmoothWeighted, SwrrPeer};
