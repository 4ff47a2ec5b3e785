//! What the caching model reports, one event per thing that happened, each with enough to
//! draw (key, level, slot, region) and a one-line narration (`Display`).
//!
//! All events returned by one step happen at the model's `now()` after that step.

use super::{
    CacheEffect, EffectSink, EvictionPolicy, EvictionReason, Key, KeyName, KeyWorkload, Region,
    WritePolicy,
};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// A tier of the read path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    L1,
    L2,
    Origin,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::L1 => "L1",
            Level::L2 => "L2",
            Level::Origin => "the origin",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    Read,
    Write,
}

/// An entry moving to a better place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PromotionKind {
    /// An L2 hit copied into L1.
    L2ToL1,
    /// W-TinyLFU: out of the window into main's probation segment.
    WindowToProbation,
    /// W-TinyLFU: a second hit, into the protected segment.
    ProbationToProtected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CachingEvent {
    RequestArrived {
        request: u64,
        key: Key,
        op: Op,
    },
    Hit {
        request: Option<u64>,
        key: Key,
        level: Level,
        slot: u32,
        region: Region,
    },
    Miss {
        request: Option<u64>,
        key: Key,
        level: Level,
    },
    Inserted {
        key: Key,
        level: Level,
        slot: u32,
        region: Region,
        expires_at: Option<SimTime>,
    },
    Updated {
        key: Key,
        level: Level,
        slot: u32,
        region: Region,
        expires_at: Option<SimTime>,
    },
    Evicted {
        key: Key,
        level: Level,
        slot: u32,
        region: Region,
        reason: EvictionReason,
    },
    Promoted {
        key: Key,
        /// The entry's L1 slot after the move.
        slot: u32,
        promotion: PromotionKind,
    },
    /// W-TinyLFU: protected overflowed, its least recent entry goes back to probation.
    Demoted {
        key: Key,
        slot: u32,
    },
    AdmissionContest {
        candidate: Key,
        candidate_frequency: u8,
        victim: Key,
        victim_frequency: u8,
        admitted: bool,
    },
    Cleared {
        level: Level,
        entries: u64,
    },
    OriginLoadStarted {
        load: u64,
        key: Key,
        request: Option<u64>,
    },
    /// A miss that joined an origin load already in flight (coalescing).
    CoalescedWait {
        request: u64,
        key: Key,
        load: u64,
    },
    OriginLoadFinished {
        load: u64,
        key: Key,
        version: u64,
        /// Requests answered by this load.
        waiters: u32,
        /// The origin was behind a write-behind buffer: this value is already outdated.
        stale: bool,
    },
    RequestCompleted {
        request: u64,
        key: Key,
        op: Op,
        served_by: Level,
        latency: SimDuration,
        version: u64,
    },
    OriginWriteStarted {
        request: u64,
        key: Key,
        version: u64,
    },
    OriginWritten {
        key: Key,
        version: u64,
    },
    WriteBuffered {
        request: u64,
        key: Key,
        version: u64,
        flush_at: SimTime,
    },
    WriteBehindFlushed {
        key: Key,
        version: u64,
        waited: SimDuration,
    },
    DataLost {
        key: Key,
        version: u64,
        origin_version: u64,
    },
    WarmingStarted {
        keys: u64,
        skipped: u64,
        concurrency: u32,
    },
    WarmFetchStarted {
        key: Key,
    },
    WarmFetchFinished {
        key: Key,
    },
    WarmingFinished {
        loaded: u64,
        skipped: u64,
        elapsed: SimDuration,
    },
    PolicySwitched {
        from: EvictionPolicy,
        to: EvictionPolicy,
        kept: u64,
        dropped: u64,
    },
    WorkloadSwitched {
        workload: KeyWorkload,
    },
    WritePolicyChanged {
        policy: WritePolicy,
    },
    CoalescingChanged {
        enabled: bool,
    },
}

impl CachingEvent {
    /// The event for a cache level's effect.
    pub fn from_effect(effect: CacheEffect, level: Level, request: Option<u64>) -> CachingEvent {
        match effect {
            CacheEffect::Hit { key, slot, region } => CachingEvent::Hit {
                request,
                key,
                level,
                slot,
                region,
            },
            CacheEffect::Miss { key } => CachingEvent::Miss {
                request,
                key,
                level,
            },
            CacheEffect::Inserted {
                key,
                slot,
                region,
                expires_at,
            } => CachingEvent::Inserted {
                key,
                level,
                slot,
                region,
                expires_at,
            },
            CacheEffect::Updated {
                key,
                slot,
                region,
                expires_at,
            } => CachingEvent::Updated {
                key,
                level,
                slot,
                region,
                expires_at,
            },
            CacheEffect::Evicted {
                key,
                slot,
                region,
                reason,
            } => CachingEvent::Evicted {
                key,
                level,
                slot,
                region,
                reason,
            },
            CacheEffect::Moved {
                key,
                slot,
                from,
                to,
            } => match (from, to) {
                (Region::Protected, _) => CachingEvent::Demoted { key, slot },
                (_, Region::Protected) => CachingEvent::Promoted {
                    key,
                    slot,
                    promotion: PromotionKind::ProbationToProtected,
                },
                _ => CachingEvent::Promoted {
                    key,
                    slot,
                    promotion: PromotionKind::WindowToProbation,
                },
            },
            CacheEffect::AdmissionContest {
                candidate,
                candidate_frequency,
                victim,
                victim_frequency,
                admitted,
            } => CachingEvent::AdmissionContest {
                candidate,
                candidate_frequency,
                victim,
                victim_frequency,
                admitted,
            },
            CacheEffect::Cleared { entries } => CachingEvent::Cleared { level, entries },
        }
    }

    /// The one-line narration (same as `Display`).
    pub fn narrate(&self) -> String {
        self.to_string()
    }
}

/// Turns a level's effects into events as they happen.
pub(crate) struct LevelSink<'a> {
    pub out: &'a mut Vec<CachingEvent>,
    pub level: Level,
    pub request: Option<u64>,
}

impl EffectSink for LevelSink<'_> {
    fn push(&mut self, effect: CacheEffect) {
        self.out
            .push(CachingEvent::from_effect(effect, self.level, self.request));
    }
}

fn region_note(region: Region) -> &'static str {
    match region {
        Region::Main => "",
        Region::Window => " (window)",
        Region::Probation => " (probation)",
        Region::Protected => " (protected)",
    }
}

impl core::fmt::Display for CachingEvent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use CachingEvent::*;
        match self {
            RequestArrived { request, key, op } => {
                let verb = if *op == Op::Read { "read" } else { "write" };
                write!(f, "Request {request} wants to {verb} {}.", KeyName(*key))
            }
            Hit {
                key, level, slot, region, ..
            } => write!(
                f,
                "{} hit: {} found in slot {slot}{}.",
                level.name(),
                KeyName(*key),
                region_note(*region)
            ),
            Miss { key, level, .. } => {
                write!(f, "{} miss: {} is not there.", level.name(), KeyName(*key))
            }
            Inserted {
                key, level, slot, region, ..
            } => write!(
                f,
                "{} stored {} in slot {slot}{}.",
                level.name(),
                KeyName(*key),
                region_note(*region)
            ),
            Updated { key, level, .. } => {
                write!(f, "{} updated {}.", level.name(), KeyName(*key))
            }
            Evicted {
                key, level, reason, ..
            } => write!(
                f,
                "{} evicted {} {}.",
                level.name(),
                KeyName(*key),
                reason.describe()
            ),
            Promoted {
                key, promotion, ..
            } => match promotion {
                PromotionKind::L2ToL1 => {
                    write!(f, "{} copied from L2 into L1.", KeyName(*key))
                }
                PromotionKind::WindowToProbation => write!(
                    f,
                    "{} left the window for the probation segment.",
                    KeyName(*key)
                ),
                PromotionKind::ProbationToProtected => write!(
                    f,
                    "{} was hit again and moved to the protected segment.",
                    KeyName(*key)
                ),
            },
            Demoted { key, .. } => write!(
                f,
                "The protected segment is full, so {} went back to probation.",
                KeyName(*key)
            ),
            AdmissionContest {
                candidate,
                candidate_frequency,
                victim,
                victim_frequency,
                admitted,
            } => {
                if *admitted {
                    write!(
                        f,
                        "Admission: {} (seen {candidate_frequency}×) beats {} (seen {victim_frequency}×) and gets in.",
                        KeyName(*candidate),
                        KeyName(*victim)
                    )
                } else {
                    write!(
                        f,
                        "Admission: {} (seen {candidate_frequency}×) does not beat {} (seen {victim_frequency}×) and is dropped.",
                        KeyName(*candidate),
                        KeyName(*victim)
                    )
                }
            }
            Cleared { level, entries } => {
                write!(f, "{} cleared: {entries} entries removed.", level.name())
            }
            OriginLoadStarted { key, .. } => {
                write!(f, "Loading {} from the origin.", KeyName(*key))
            }
            CoalescedWait { request, key, .. } => write!(
                f,
                "Request {request} waits for the load of {} already in flight instead of starting another.",
                KeyName(*key)
            ),
            OriginLoadFinished {
                key,
                version,
                waiters,
                stale,
                ..
            } => {
                write!(
                    f,
                    "The origin returned {} version {version} to {waiters} waiting request(s)",
                    KeyName(*key)
                )?;
                if *stale {
                    write!(f, " — stale: a newer write is still in the write-behind buffer")?;
                }
                f.write_str(".")
            }
            RequestCompleted {
                request,
                key,
                served_by,
                latency,
                op,
                ..
            } => {
                let what = if *op == Op::Read { "read" } else { "write" };
                write!(
                    f,
                    "Request {request} ({what} {}) done in {latency}, served by {}.",
                    KeyName(*key),
                    served_by.name()
                )
            }
            OriginWriteStarted { key, version, .. } => write!(
                f,
                "Writing {} version {version} to the origin.",
                KeyName(*key)
            ),
            OriginWritten { key, version } => {
                write!(f, "The origin now holds {} version {version}.", KeyName(*key))
            }
            WriteBuffered {
                key,
                version,
                flush_at,
                ..
            } => write!(
                f,
                "{} version {version} written to the caches only; the origin gets it at {flush_at}.",
                KeyName(*key)
            ),
            WriteBehindFlushed {
                key,
                version,
                waited,
            } => write!(
                f,
                "Write-behind flushed {} version {version} to the origin after {waited}.",
                KeyName(*key)
            ),
            DataLost {
                key,
                version,
                origin_version,
            } => write!(
                f,
                "Crash: {} version {version} was never written to the origin, which still has version {origin_version}.",
                KeyName(*key)
            ),
            WarmingStarted {
                keys,
                skipped,
                concurrency,
            } => write!(
                f,
                "Warming {keys} keys, {concurrency} at a time ({skipped} already cached, skipped)."
            ),
            WarmFetchStarted { key } => write!(f, "Warming fetches {}.", KeyName(*key)),
            WarmFetchFinished { key } => write!(f, "Warming cached {}.", KeyName(*key)),
            WarmingFinished {
                loaded,
                skipped,
                elapsed,
            } => write!(
                f,
                "Warming done: {loaded} keys loaded, {skipped} skipped, in {elapsed}."
            ),
            PolicySwitched {
                from,
                to,
                kept,
                dropped,
            } => write!(
                f,
                "L1 switched from {from} to {to}: {kept} entries kept, {dropped} dropped."
            ),
            WorkloadSwitched { workload } => {
                write!(f, "The workload is now {}.", workload.name())
            }
            WritePolicyChanged { policy } => {
                write!(f, "Writes now use {}.", policy.name())
            }
            CoalescingChanged { enabled } => {
                if *enabled {
                    f.write_str("Request coalescing is on: concurrent misses share one load.")
                } else {
                    f.write_str("Request coalescing is off: every miss loads from the origin.")
                }
            }
        }
    }
}
