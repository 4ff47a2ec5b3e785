//! Stable, platform-independent hashes for routing.
//!
//! Every hash here returns a `u64` (never `usize`, which is 32-bit in wasm32) and reads bytes in
//! little-endian order explicitly, so a key lands on the same shard natively and in the browser.
//! Two families are used on purpose:
//! - [`stable_hash64`], a small multiply-mix hash in the style of wyhash, fast enough for the
//!   lookup path (the ring, jump and rendezvous routers);
//! - [`md5_u128`], the MD5 digest as one big-endian integer, and [`guide_int`], the well-known
//!   tutorial's fold of that digest into a Go `int`, which its "consistent hashing" takes
//!   modulo the shard count.

use md5::{Digest, Md5};

const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;
const P2: u64 = 0x8ebc_6af0_9c88_c6e3;
const P3: u64 = 0x5899_65cc_7537_4cc3;

/// 64×64→128 multiply folded back to 64 bits: the mixing step of wyhash.
#[inline(always)]
fn mum(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// Up to eight bytes as a little-endian integer, zero-padded (the length is mixed in
/// separately, so `"a"` and `"a\0"` still differ).
#[inline(always)]
fn le_u64(bytes: &[u8]) -> u64 {
    // Whole words (every 16-byte round, and 8-byte tails like `user:123`) are one load.
    if let Ok(word) = <[u8; 8]>::try_from(bytes) {
        return u64::from_le_bytes(word);
    }
    let mut word = [0u8; 8];
    for (dst, src) in word.iter_mut().zip(bytes) {
        *dst = *src;
    }
    u64::from_le_bytes(word)
}

/// A fast, well-mixed, stable 64-bit hash of a byte string.
///
/// Sixteen bytes per round through a folded multiply; keys such as `"user:123"` take a single
/// round plus the finaliser, which is what makes ring lookups cheaper than SipHash-based peers.
#[inline]
pub fn stable_hash64(bytes: &[u8]) -> u64 {
    let len = bytes.len() as u64;
    let mut h = P0 ^ len.wrapping_mul(P1);
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        let (a, b) = chunk.split_at(8);
        h = mum(le_u64(a) ^ P1, le_u64(b) ^ h);
    }
    let rest = chunks.remainder();
    let (a, b) = rest.split_at(rest.len().min(8));
    h = mum(le_u64(a) ^ P1, le_u64(b) ^ h);
    mum(h ^ P2, len ^ P3)
}

/// The hash of a string key.
#[inline]
pub fn key_hash(key: &str) -> u64 {
    stable_hash64(key.as_bytes())
}

/// MurmurHash3's 64-bit finaliser: a bijection with full avalanche, used to turn
/// `key_hash ^ shard_seed` into a rendezvous score.
#[inline]
pub fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}

/// The 16-byte MD5 digest of the key as one big-endian 128-bit integer (the hex string MD5
/// tools print).
pub fn md5_u128(key: &str) -> u128 {
    let digest = Md5::digest(key.as_bytes());
    let mut bytes = [0u8; 16];
    for (dst, src) in bytes.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    u128::from_be_bytes(bytes)
}

/// The tutorial's fold of an MD5 digest into a Go `int`: `h = h*256 + int(b)` over the 16
/// bytes, in a 64-bit integer that wraps. Everything but the last eight bytes is shifted out,
/// so `h` is the digest's low 64 bits (bytes 8..16, big-endian) read as a signed integer;
/// about half of all keys fold to a negative `h`, which the tutorial then makes positive.
pub fn guide_int(digest: u128) -> i64 {
    let mut h: i64 = 0;
    for b in digest.to_be_bytes() {
        h = h.wrapping_mul(256).wrapping_add(i64::from(b));
    }
    h
}

/// Jump consistent hash (Lamping & Veach 2014), exactly as in the reference: the bucket in
/// `[0, buckets)` for a 64-bit key. Returns 0 when `buckets == 0` (no router ever asks).
///
/// The float arithmetic is IEEE-754 multiply/divide, exactly rounded on every platform, so the
/// result is the same natively and in wasm32.
#[inline]
pub fn jump_hash(key: u64, buckets: u32) -> u32 {
    jump_walk(key, buckets, |_, _| {})
}

/// [`jump_hash`], reporting each jump `b → j` to `on_jump` (the last one has `j ≥ buckets`, and
/// its `b` is the bucket returned). One loop serves both, so the jumps a page shows are the
/// ones the router takes; with a closure that does nothing the compiler drops the reporting.
#[inline(always)]
pub(crate) fn jump_walk(mut key: u64, buckets: u32, mut on_jump: impl FnMut(u32, u64)) -> u32 {
    let n = i64::from(buckets);
    let mut b: i64 = -1;
    let mut j: i64 = 0;
    while j < n {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
        // 0 ≤ b < buckets ≤ u32::MAX, and j > b ≥ 0.
        on_jump(b as u32, j as u64);
    }
    if b < 0 {
        0
    } else {
        b as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jump_reference_vector() {
        let got: Vec<u32> = (1..=19).map(|n| jump_hash(1, n)).collect();
        assert_eq!(
            got,
            vec![0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17]
        );
    }

    #[test]
    fn jump_zero_buckets_is_zero() {
        assert_eq!(jump_hash(12345, 0), 0);
    }

    #[test]
    fn stable_hash_is_pinned() {
        // Pinned so a change to the hash (which would silently move every key) fails a test.
        // The same values must come out in wasm32.
        assert_eq!(stable_hash64(b""), 0x2afa_3043_c0fb_b4d2);
        assert_eq!(stable_hash64(b"user:1"), 0xd58b_5d86_0ece_145b);
        assert_eq!(
            stable_hash64(b"shard-0_0 and more than 16 bytes"),
            0xf8a4_7eea_c689_f487
        );
        assert_ne!(stable_hash64(b"a"), stable_hash64(b"a\0"));
        assert_ne!(stable_hash64(b"user:1"), stable_hash64(b"user:2"));
        let long = b"a key that is longer than sixteen bytes, twice over";
        assert_ne!(stable_hash64(long), stable_hash64(&long[1..]));
    }

    #[test]
    fn stable_hash_spreads_top_bits() {
        // Ring points are "shard-N_i": near-identical strings must still spread over the
        // whole u64 range, or the ring would be lopsided. Count top-4-bit buckets.
        let mut buckets = [0u32; 16];
        for i in 0..1600u32 {
            let h = stable_hash64(format!("shard-{}_{}", i % 16, i / 16).as_bytes());
            buckets[(h >> 60) as usize] += 1;
        }
        for &b in &buckets {
            assert!(
                (60..=140).contains(&b),
                "top bits badly spread: {buckets:?}"
            );
        }
    }

    #[test]
    fn md5_matches_known_digest() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e
        assert_eq!(md5_u128(""), 0xd41d8cd98f00b204e9800998ecf8427e);
    }

    #[test]
    fn guide_int_is_the_low_64_bits_signed() {
        // md5("") ends e9800998ecf8427e: the top bit is set, so Go's int is negative.
        assert_eq!(guide_int(md5_u128("")), 0xe980_0998_ecf8_427e_u64 as i64);
        assert_eq!(guide_int(md5_u128("")), -1_621_285_313_438_006_658);
        // md5("user:2") = fbb798c2524102012e7bd22eef00e52d: low half 0x2e7b… is positive.
        assert_eq!(guide_int(md5_u128("user:2")), 3_349_501_846_900_237_613);
        for key in ["a", "user:1", "user:42", "shard-3_17"] {
            let d = md5_u128(key);
            assert_eq!(guide_int(d), d as u64 as i64, "{key}");
        }
        assert_eq!(guide_int(1 << 63), i64::MIN);
        assert_eq!(guide_int(u128::MAX), -1);
    }
}
