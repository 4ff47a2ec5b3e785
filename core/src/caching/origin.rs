//! The origin: the database behind the caches, slow and always right.
//!
//! Every key starts at version 0; a value is a deterministic function of (key, version), so
//! a test or a student can tell a fresh value from a stale one just by its version.

use super::Key;
use crate::sim::SimDuration;
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// What the caches hold: a version and a payload derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Value {
    /// The key's version: 0 until its first write, then one more per write.
    pub version: u64,
    /// A payload derived from key and version, so a stale copy differs from a fresh one.
    pub payload: u64,
}

/// Bytes of the shortest JSON a [`Value`] has, `{"version":0,"payload":0}`: the least room an
/// L2 entry's value takes.
pub const SHORTEST_VALUE_JSON_BYTES: u64 = 25;

/// The L2 stores `{"version":…,"payload":…}` (serde_json's writing of a `Value`).
impl super::l2::StoredJson for Value {
    fn from_json(bytes: &[u8]) -> Option<Value> {
        let [version, payload] = super::l2::read_u64_fields(bytes, ["version", "payload"])?;
        Some(Value { version, payload })
    }
}

impl Value {
    /// The value the origin holds for `key` at `version`.
    pub fn of(key: Key, version: u64) -> Value {
        let mut z = key ^ version.rotate_left(32) ^ 0x9e37_79b9_7f4a_7c15;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Value {
            version,
            payload: z ^ (z >> 31),
        }
    }
}

/// What the origin has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginStats {
    /// Reads that reached the origin (cache misses that were not coalesced).
    pub loads: u64,
    /// Writes applied to the origin.
    pub writes: u64,
    /// Origin reads that returned an older version than a write-behind buffer held.
    pub stale_reads: u64,
    /// Fetches made by cache warming.
    pub warm_loads: u64,
}

/// The database behind the caches: one version per key, a fixed latency per read or write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// Only keys written at least once; the rest are at version 0.
    versions: Table<Key, u64>,
    latency: SimDuration,
    stats: OriginStats,
}

impl Origin {
    /// An origin where every key is at version 0.
    pub fn new(latency: SimDuration) -> Self {
        Origin {
            versions: Table::new(),
            latency,
            stats: OriginStats::default(),
        }
    }

    /// The time one read or write takes.
    pub fn latency(&self) -> SimDuration {
        self.latency
    }

    /// The version `key` has now (0 if never written).
    pub fn version(&self, key: Key) -> u64 {
        self.versions.get(&key).copied().unwrap_or(0)
    }

    /// The current value without counting a load.
    pub fn peek(&self, key: Key) -> Value {
        Value::of(key, self.version(key))
    }

    /// A counted read (a cache miss reaching the database).
    pub fn load(&mut self, key: Key) -> Value {
        self.stats.loads += 1;
        self.peek(key)
    }

    /// A counted read made by cache warming.
    pub fn warm_load(&mut self, key: Key) -> Value {
        self.stats.warm_loads += 1;
        self.peek(key)
    }

    pub(crate) fn count_stale_read(&mut self) {
        self.stats.stale_reads += 1;
    }

    /// Stores `version` of `key` (a write reaching the database).
    pub fn write(&mut self, key: Key, version: u64) -> Value {
        self.stats.writes += 1;
        self.versions.insert(key, version);
        Value::of(key, version)
    }

    /// The counters so far.
    pub fn stats(&self) -> OriginStats {
        self.stats
    }
}

#[cfg(test)]
mod stored_json_tests {
    use super::super::l2::StoredJson;
    use super::Value;

    proptest::proptest! {
        /// Whatever serde_json writes for a value, the L2 reads back as that value.
        #[test]
        fn reads_back_what_serde_json_writes(version: u64, payload: u64) {
            let v = Value { version, payload };
            let bytes = serde_json::to_vec(&v).unwrap();
            proptest::prop_assert_eq!(Value::from_json(&bytes), Some(v));
        }

        /// No value's JSON is shorter than the shortest one's.
        #[test]
        fn no_value_is_shorter_than_the_shortest(version: u64, payload: u64) {
            let bytes = serde_json::to_vec(&Value { version, payload }).unwrap();
            proptest::prop_assert!(bytes.len() as u64 >= super::SHORTEST_VALUE_JSON_BYTES);
        }
    }

    #[test]
    fn the_shortest_value_is_version_and_payload_zero() {
        let zero = serde_json::to_vec(&Value {
            version: 0,
            payload: 0,
        })
        .unwrap();
        assert_eq!(zero.len() as u64, super::SHORTEST_VALUE_JSON_BYTES);
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "",
            "{}",
            r#"{"version":1}"#,
            r#"{"version":1,"payload":2,"x":3}"#,
            r#"{"payload":2,"version":1}"#,
            r#"{ "version":1,"payload":2}"#,
            r#"{"version":01,"payload":2}"#,
            r#"{"version":-1,"payload":2}"#,
            r#"{"version":1.0,"payload":2}"#,
            r#"{"version":18446744073709551616,"payload":2}"#,
            r#"{"version":1,"payload":2}x"#,
        ] {
            assert_eq!(Value::from_json(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(
            Value::from_json(br#"{"version":0,"payload":18446744073709551615}"#),
            Some(Value {
                version: 0,
                payload: u64::MAX
            })
        );
    }
}
