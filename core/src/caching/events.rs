//! What the caching model reports, one event per thing that happened, each with enough to
//! draw (key, level, slot, region) and a one-line narration (`Display`).
//!
//! All events returned by one step happen at the model's `now()` after that step.

use super::why::{Eviction, L2Eviction, Recorder};
use super::{
    CacheEffect, EffectSink, EvictionPolicy, EvictionReason, Key, KeyName, KeyWorkload, L2Policy,
    Region, WritePolicy,
};
use crate::sim::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// A tier of the read path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The in-process cache.
    L1,
    /// The shared cache.
    L2,
    /// The database behind both.
    Origin,
}

impl Level {
    /// How the narration names the level: "L1", "L2", "the origin".
    pub fn name(self) -> &'static str {
        match self {
            Level::L1 => "L1",
            Level::L2 => "L2",
            Level::Origin => "the origin",
        }
    }
}

/// What a request does with its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    /// Reads the key's value.
    Read,
    /// Writes a new version of the key.
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

/// One thing that happened in the caching model, in the order it happened.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CachingEvent {
    /// A request arrived and checks L1 (a read) or starts its write.
    RequestArrived {
        /// The request's id.
        request: u64,
        /// Its key.
        key: Key,
        /// Read or write.
        op: Op,
    },
    /// A lookup found a live entry at `level`.
    Hit {
        /// The request that looked (`None` when no request asked).
        request: Option<u64>,
        /// The key found.
        key: Key,
        /// Where it was found.
        level: Level,
        /// Its slot there.
        slot: u32,
        /// Its region there.
        region: Region,
        /// The app node whose L1 it is (0 = app-1; L2 and origin effects: 0).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
    },
    /// A lookup at `level` found nothing (or only an expired entry).
    Miss {
        /// The request that looked (`None` when no request asked).
        request: Option<u64>,
        /// The key missed.
        key: Key,
        /// Where it was missed.
        level: Level,
        /// The app node whose L1 it is (0 = app-1; L2 and origin effects: 0).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
    },
    /// A new entry at `level`.
    Inserted {
        /// The key stored.
        key: Key,
        /// Where.
        level: Level,
        /// The slot it took.
        slot: u32,
        /// Its region.
        region: Region,
        /// When it expires (`None`: never).
        expires_at: Option<SimTime>,
        /// The app node whose L1 it is (0 = app-1; L2 and origin effects: 0).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
    },
    /// An existing entry at `level` got a new value (and TTL).
    Updated {
        /// The key updated.
        key: Key,
        /// Where.
        level: Level,
        /// Its slot.
        slot: u32,
        /// Its region.
        region: Region,
        /// When it now expires (`None`: never).
        expires_at: Option<SimTime>,
        /// The app node whose L1 it is (0 = app-1; L2 and origin effects: 0).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
    },
    /// An entry left `level`.
    Evicted {
        /// The key that left.
        key: Key,
        /// Where from.
        level: Level,
        /// The slot it freed.
        slot: u32,
        /// The region it left.
        region: Region,
        /// Why it left.
        reason: EvictionReason,
        /// The app node whose L1 it is (0 = app-1; L2 and origin effects: 0).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
    },
    /// An entry moved to a better place: into L1 after an L2 hit, or up a W-TinyLFU segment.
    Promoted {
        /// The key moved.
        key: Key,
        /// The entry's L1 slot after the move.
        slot: u32,
        /// Which move.
        promotion: PromotionKind,
        /// The app node whose L1 it is (0 = app-1; L2 and origin effects: 0).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
    },
    /// W-TinyLFU: protected overflowed, its least recent entry goes back to probation.
    Demoted {
        /// The key moved.
        key: Key,
        /// Its slot (unchanged by the move).
        slot: u32,
        /// The app node whose L1 it is (0 = app-1; L2 and origin effects: 0).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
    },
    /// W-TinyLFU's admission filter: the window's victim against probation's victim.
    AdmissionContest {
        /// The window's victim, asking to enter main.
        candidate: Key,
        /// Its frequency estimate.
        candidate_frequency: u8,
        /// Probation's victim, which leaves if the candidate is admitted.
        victim: Key,
        /// Its frequency estimate.
        victim_frequency: u8,
        /// Whether the candidate won.
        admitted: bool,
    },
    /// Every entry of `level` was removed at once.
    Cleared {
        /// Which level.
        level: Level,
        /// How many entries there were.
        entries: u64,
        /// The app node whose L1 it is (0 = app-1; L2 and origin effects: 0).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
    },
    /// A read missed both levels and loads the key from the origin.
    OriginLoadStarted {
        /// The load's id.
        load: u64,
        /// The key loaded.
        key: Key,
        /// The request that missed (`None` when no request asked).
        request: Option<u64>,
    },
    /// A miss that joined an origin load already in flight (coalescing).
    CoalescedWait {
        /// The waiting request.
        request: u64,
        /// Its key.
        key: Key,
        /// The load it waits on.
        load: u64,
    },
    /// An origin load answered: both levels are filled and every waiting read completes.
    OriginLoadFinished {
        /// The load's id.
        load: u64,
        /// The key loaded.
        key: Key,
        /// The version the origin returned.
        version: u64,
        /// Requests answered by this load.
        waiters: u32,
        /// The origin was behind a write-behind buffer: this value is already outdated.
        stale: bool,
    },
    /// A request got its answer.
    RequestCompleted {
        /// The request's id.
        request: u64,
        /// Its key.
        key: Key,
        /// Read or write.
        op: Op,
        /// The level that answered it (a write: the origin, or L2 when write-behind buffers it).
        served_by: Level,
        /// Time from its arrival to its answer.
        latency: SimDuration,
        /// The version read or written.
        version: u64,
        /// The app node that handled it (0 = app-1).
        #[serde(default, skip_serializing_if = "is_first_node")]
        node: u8,
        /// A read that returned an older version than the origin held: the origin's version.
        /// Derived from versions the log already holds (the origin's writes), so it is not
        /// serialized: a serialized log reads the same with or without it.
        #[serde(skip)]
        stale: Option<u64>,
    },
    /// A write (cache-aside or write-through) went to the origin.
    OriginWriteStarted {
        /// The writing request.
        request: u64,
        /// The key written.
        key: Key,
        /// The version being written.
        version: u64,
    },
    /// The origin stored a version.
    OriginWritten {
        /// The key written.
        key: Key,
        /// The version it now holds.
        version: u64,
    },
    /// Write-behind: a write is in both cache levels and waits in the buffer for the origin.
    WriteBuffered {
        /// The writing request.
        request: u64,
        /// The key written.
        key: Key,
        /// The version buffered.
        version: u64,
        /// When the buffer writes the key to the origin.
        flush_at: SimTime,
    },
    /// Write-behind: a buffered write reached the origin.
    WriteBehindFlushed {
        /// The key written.
        key: Key,
        /// The version written.
        version: u64,
        /// How long it waited in the buffer.
        waited: SimDuration,
    },
    /// A write-behind crash lost a buffered write: the origin never gets it.
    DataLost {
        /// The key.
        key: Key,
        /// The version lost.
        version: u64,
        /// The version the origin still holds.
        origin_version: u64,
    },
    /// A warm-up began.
    WarmingStarted {
        /// Keys asked for.
        keys: u64,
        /// Duplicates and keys already cached, not loaded.
        skipped: u64,
        /// Fetches in flight at once.
        concurrency: u32,
    },
    /// A warm-up fetch began.
    WarmFetchStarted {
        /// The key fetched.
        key: Key,
    },
    /// A warm-up fetch loaded its key into both levels.
    WarmFetchFinished {
        /// The key loaded.
        key: Key,
    },
    /// A warm-up's last fetch finished.
    WarmingFinished {
        /// Keys loaded.
        loaded: u64,
        /// Keys skipped.
        skipped: u64,
        /// Time from the warm-up's start.
        elapsed: SimDuration,
    },
    /// L1 was rebuilt under another policy or size.
    PolicySwitched {
        /// The policy before.
        from: EvictionPolicy,
        /// The policy now.
        to: EvictionPolicy,
        /// Entries carried over.
        kept: u64,
        /// Entries dropped (those that did not fit, or had expired).
        dropped: u64,
    },
    /// Requests ask for keys another way from now on.
    WorkloadSwitched {
        /// The new workload.
        workload: KeyWorkload,
    },
    /// Later writes are handled another way.
    WritePolicyChanged {
        /// The new write policy.
        policy: WritePolicy,
    },
    /// Request coalescing was turned on or off.
    CoalescingChanged {
        /// Whether it is on now.
        enabled: bool,
    },
    /// The L2 refused a write that needed room its memory policy would not make (Redis's
    /// OOM error); a read that missed is still answered from the origin.
    WriteRefused {
        /// The key written.
        key: Key,
        /// The L2 policy that refused.
        policy: L2Policy,
    },
    /// A node wrote a key and publishes its invalidation to the other nodes.
    InvalidationSent {
        /// The key written.
        key: Key,
        /// The writing node (0 = app-1).
        node: u8,
        /// The version written.
        version: u64,
    },
    /// An invalidation reached a node, one L2 round trip after it was sent.
    InvalidationDelivered {
        /// The key invalidated.
        key: Key,
        /// The receiving node (0 = app-1).
        node: u8,
        /// Whether its L1 held the key (then dropped).
        dropped: bool,
    },
}

fn is_first_node(node: &u8) -> bool {
    *node == 0
}

/// How the narration names a level on a node: "L1" on app-1, "app-2 L1" on another.
struct OnNode(Level, u8);

impl core::fmt::Display for OnNode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.1 > 0 {
            write!(f, "app-{} ", u32::from(self.1) + 1)?;
        }
        f.write_str(self.0.name())
    }
}

impl CachingEvent {
    /// The event for a cache level's effect.
    pub fn from_effect(effect: CacheEffect, level: Level, request: Option<u64>) -> CachingEvent {
        Self::from_effect_on(effect, level, request, 0)
    }

    /// The event for an effect of app node `node`'s L1 (0 = app-1, the only node by default).
    pub fn from_effect_on(
        effect: CacheEffect,
        level: Level,
        request: Option<u64>,
        node: u8,
    ) -> CachingEvent {
        match effect {
            CacheEffect::Hit { key, slot, region } => CachingEvent::Hit {
                request,
                key,
                level,
                slot,
                region,
                node,
            },
            CacheEffect::Miss { key } => CachingEvent::Miss {
                request,
                key,
                level,
                node,
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
                node,
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
                node,
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
                node,
            },
            CacheEffect::Moved {
                key,
                slot,
                from,
                to,
            } => match (from, to) {
                (Region::Protected, _) => CachingEvent::Demoted { key, slot, node },
                (_, Region::Protected) => CachingEvent::Promoted {
                    key,
                    slot,
                    promotion: PromotionKind::ProbationToProtected,
                    node,
                },
                _ => CachingEvent::Promoted {
                    key,
                    slot,
                    promotion: PromotionKind::WindowToProbation,
                    node,
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
            CacheEffect::Cleared { entries } => CachingEvent::Cleared {
                level,
                entries,
                node,
            },
            CacheEffect::Refused { key, policy } => CachingEvent::WriteRefused { key, policy },
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
    /// The app node whose L1 this is (0 = app-1).
    pub node: u8,
    /// The L1's eviction recorder (`None` for the L2, and where nothing records).
    pub why: Option<&'a mut Recorder>,
}

impl EffectSink for LevelSink<'_> {
    fn push(&mut self, effect: CacheEffect) {
        self.out.push(CachingEvent::from_effect_on(
            effect,
            self.level,
            self.request,
            self.node,
        ));
    }

    #[inline]
    fn eviction(&mut self) -> Option<&mut Eviction> {
        self.why.as_deref_mut().and_then(Recorder::slot)
    }

    #[inline]
    fn l2_eviction(&mut self) -> Option<&mut Option<L2Eviction>> {
        self.why.as_deref_mut().and_then(Recorder::l2_slot)
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
                key,
                level,
                slot,
                region,
                node,
                ..
            } => write!(
                f,
                "{} hit: {} found in slot {slot}{}.",
                OnNode(*level, *node),
                KeyName(*key),
                region_note(*region)
            ),
            Miss {
                key, level, node, ..
            } => write!(
                f,
                "{} miss: {} is not there.",
                OnNode(*level, *node),
                KeyName(*key)
            ),
            Inserted {
                key,
                level,
                slot,
                region,
                node,
                ..
            } => write!(
                f,
                "{} stored {} in slot {slot}{}.",
                OnNode(*level, *node),
                KeyName(*key),
                region_note(*region)
            ),
            Updated {
                key, level, node, ..
            } => write!(f, "{} updated {}.", OnNode(*level, *node), KeyName(*key)),
            Evicted {
                key,
                level,
                reason,
                node,
                ..
            } => write!(
                f,
                "{} evicted {} {}.",
                OnNode(*level, *node),
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
            Cleared {
                level,
                entries,
                node,
            } => write!(
                f,
                "{} cleared: {entries} entries removed.",
                OnNode(*level, *node)
            ),
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
                node,
                ..
            } => {
                let what = if *op == Op::Read { "read" } else { "write" };
                write!(
                    f,
                    "Request {request} ({what} {}) done in {latency}, served by {}.",
                    KeyName(*key),
                    OnNode(*served_by, if *served_by == Level::L1 { *node } else { 0 })
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
            WriteRefused { key, policy } => {
                write!(f, "L2 refused to store {} under {policy}", KeyName(*key))?;
                if *policy == L2Policy::VolatileTtl {
                    f.write_str(", as no key with a TTL was left to evict")?;
                }
                write!(f, ": {}", super::l2_policy::OOM_ERROR)
            }
            InvalidationSent { key, node, version } => write!(
                f,
                "app-{} wrote {} version {version} and tells the other nodes to drop it.",
                u32::from(*node) + 1,
                KeyName(*key)
            ),
            InvalidationDelivered { key, node, .. } => write!(
                f,
                "app-{} got the invalidation of {}.",
                u32::from(*node) + 1,
                KeyName(*key)
            ),
        }
    }
}
