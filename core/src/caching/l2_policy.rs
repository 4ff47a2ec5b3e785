//! Redis's `maxmemory-policy` for the L2: which key goes when a write needs room, and Redis's
//! LFU counter (`evict.c`'s `LFULogIncr` and `LFUDecrAndReturn`).
//!
//! The LFU counter is 8 bits. A new key starts at [`LFU_INIT_VAL`] (5), so it can collect a
//! few hits before it looks unpopular. Each access first takes off one per whole
//! `lfu-decay-time` elapsed since the key's last decrement time, then adds one with
//! probability `1 / ((counter − 5) × lfu-log-factor + 1)` (certain at 5 or below), saturating
//! at 255: with the default factor 10 a counter reaches about 10 after 100 hits, 18 after
//! 1 000, 142 after 100 000 and 255 after a million (redis.conf's table). Redis counts decay
//! time in whole minutes; here it is any duration, counted in whole periods the same way.

use crate::sim::{SimDuration, SimRng, SimTime};
use serde::{Deserialize, Serialize};

/// Redis's `LFU_INIT_VAL`: the counter of a new key.
pub const LFU_INIT_VAL: u8 = 5;

/// Redis's OOM reply to a write that needs memory it may not take.
pub const OOM_ERROR: &str = "OOM command not allowed when used memory > 'maxmemory'.";

/// Redis's `maxmemory-policy`, as far as the L2 implements it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum L2Policy {
    /// Evicts the sampled key idle the longest, among all keys.
    #[default]
    AllkeysLru,
    /// Evicts the sampled key with the lowest (decayed) logarithmic access counter.
    AllkeysLfu,
    /// Evicts the sampled key with the nearest expiry, among keys with a TTL only; with none,
    /// nothing is evictable and the write fails.
    VolatileTtl,
    /// Never evicts: a write that needs room fails with Redis's OOM error.
    Noeviction,
}

impl L2Policy {
    /// Every policy, in the order a page lists them.
    pub const ALL: [L2Policy; 4] = [
        L2Policy::AllkeysLru,
        L2Policy::AllkeysLfu,
        L2Policy::VolatileTtl,
        L2Policy::Noeviction,
    ];

    /// Redis's name, e.g. `allkeys-lfu`.
    pub fn name(self) -> &'static str {
        match self {
            L2Policy::AllkeysLru => "allkeys-lru",
            L2Policy::AllkeysLfu => "allkeys-lfu",
            L2Policy::VolatileTtl => "volatile-ttl",
            L2Policy::Noeviction => "noeviction",
        }
    }

    /// The policy named `name`, if any.
    pub fn from_name(name: &str) -> Option<L2Policy> {
        L2Policy::ALL.into_iter().find(|p| p.name() == name)
    }
}

impl core::fmt::Display for L2Policy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// `LFULogIncr`: one access's increment, drawn from `rng` (one draw unless saturated).
pub fn lfu_log_incr(counter: u8, log_factor: u32, rng: &mut SimRng) -> u8 {
    if counter == u8::MAX {
        return counter;
    }
    let base = f64::from(counter.saturating_sub(LFU_INIT_VAL));
    let p = 1.0 / (base * f64::from(log_factor) + 1.0);
    if rng.unit() < p {
        counter + 1
    } else {
        counter
    }
}

/// `LFUDecrAndReturn`: the counter less one per whole `decay` period since `last_decrement`
/// (never below 0); a zero `decay` never decays.
pub fn lfu_decayed(counter: u8, last_decrement: SimTime, now: SimTime, decay: SimDuration) -> u8 {
    if decay.0 == 0 {
        return counter;
    }
    let periods = now.0.saturating_sub(last_decrement.0) / decay.0;
    counter.saturating_sub(u8::try_from(periods).unwrap_or(u8::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in L2Policy::ALL {
            assert_eq!(L2Policy::from_name(p.name()), Some(p));
        }
        assert_eq!(L2Policy::from_name("allkeys-random"), None);
    }

    #[test]
    fn a_counter_at_or_below_the_initial_value_always_grows() {
        let mut rng = SimRng::seed_from(1);
        for c in 0..=LFU_INIT_VAL {
            assert_eq!(lfu_log_incr(c, 10, &mut rng), c + 1);
        }
        assert_eq!(lfu_log_incr(255, 0, &mut rng), 255);
    }

    #[test]
    fn decay_takes_one_per_whole_period() {
        let minute = SimDuration::from_secs(60);
        let t = |s: u64| SimTime(s * 1_000_000);
        assert_eq!(lfu_decayed(10, t(0), t(59), minute), 10);
        assert_eq!(lfu_decayed(10, t(0), t(60), minute), 9);
        assert_eq!(lfu_decayed(10, t(0), t(185), minute), 7);
        assert_eq!(lfu_decayed(3, t(0), t(6_000), minute), 0);
        assert_eq!(lfu_decayed(10, t(0), t(6_000), SimDuration::ZERO), 10);
    }
}
