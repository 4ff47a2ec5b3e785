//! A stable fingerprint of an event stream, for determinism tests.
//!
//! Each event is serialized to JSON (serde_json's float formatting is deterministic) and
//! folded into a 64-bit FNV-1a hash, so a digest computed natively can be compared with one
//! computed in wasm32.

use serde::Serialize;

/// FNV-1a's 64-bit offset basis and prime (Fowler, Noll and Vo).
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Running FNV-1a digest over serialized values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest {
    state: u64,
    count: u64,
}

impl Default for Digest {
    fn default() -> Self {
        Self::new()
    }
}

impl Digest {
    /// An empty digest: FNV-1a's offset basis, nothing folded in.
    pub const fn new() -> Self {
        Digest {
            state: FNV_OFFSET,
            count: 0,
        }
    }

    /// Folds raw bytes in, one FNV-1a round each, with no separator and without counting a
    /// value.
    pub fn update_bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state ^= u64::from(b);
            self.state = self.state.wrapping_mul(FNV_PRIME);
        }
    }

    /// Folds one value in. Serialization of our own event types cannot fail; if a foreign
    /// type ever does, its error text is folded in instead so the digest still differs.
    pub fn update<T: Serialize>(&mut self, value: &T) {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.update_bytes(&bytes),
            Err(e) => self.update_bytes(e.to_string().as_bytes()),
        }
        // A separator, so `["a","b"]` and `["ab"]` digest differently.
        self.update_bytes(&[0xff]);
        self.count += 1;
    }

    /// The hash of everything folded in so far.
    pub fn value(&self) -> u64 {
        self.state
    }

    /// Values folded in by [`Digest::update`] (raw bytes are not counted).
    pub fn count(&self) -> u64 {
        self.count
    }
}

/// FNV-1a of a byte string: a stable, platform-independent hash for names and keys.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut d = Digest::new();
    d.update_bytes(bytes);
    d.value()
}
