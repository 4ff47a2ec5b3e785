//! The caching scene: an L1 in front of a shared L2 in front of the origin, drawn slot by
//! slot. Hits, misses and promotions flash where they happen, evicted entries leave with their
//! reason, origin loads travel to the database and back; switch the eviction policy or the
//! workload live, warm the cache, set off a stampede with and without coalescing, and crash a
//! write-behind buffer.
//!
//! The model, its actions and its readouts are the core's [`CachingModel`] and
//! [`CachingAction`]; this module reads links into them, narrates and draws.

mod actions;
mod build;
mod charts;
mod counters;
mod drawings;
mod focus;
mod geometry;
mod ghost;
mod inspect;
mod l1_slot;
mod l1_strip;
mod l2_grid;
mod legend;
mod marks;
mod nodes;
mod origin_box;
mod page;
mod promotions;
mod race;
mod stats;
mod status;
mod style;
mod traffic;

use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::caching::{
    CachingAction, CachingEvent, CachingRace, EvictionReason, Key, Level, WorkloadKind, WritePolicy,
};
use scalelab_core::Model;
use yew::prelude::*;

pub use build::{cache_config, parse_policy, race_config, POLICIES, SPECS};

/// Most reads one stampede may inject, and most keys one warm-up may name.
pub const MAX_STAMPEDE: u64 = 1_000;
pub const MAX_WARM: u64 = build::MAX_KEYS as u64;
/// Keys an action may name (the key space is at most 10 000; scan bursts number beyond it).
const MAX_KEY: Key = 10_000_000;

fn encode(a: &CachingAction) -> String {
    match a {
        CachingAction::Warm { count } => format!("warm.{count}"),
        CachingAction::Stampede { key, count } => format!("stampede.{key}.{count}"),
        CachingAction::FlushL2 => "flush".into(),
        CachingAction::Clear => "clear".into(),
        CachingAction::Crash => "crash".into(),
        CachingAction::Policy(p) => format!("policy.{}", p.name()),
        CachingAction::Workload(w) => format!("workload.{}", w.name()),
        CachingAction::Write(WritePolicy::WriteBehind { delay }) => {
            format!("write.write-behind.{}", delay.as_millis())
        }
        CachingAction::Write(p) => format!("write.{}", p.name()),
        CachingAction::Coalescing(on) => format!("coalesce.{}", if *on { "on" } else { "off" }),
        CachingAction::Resize(c) => format!("resize.{c}"),
    }
}

fn decode(text: &str) -> Option<CachingAction> {
    let mut parts = text.trim().split('.');
    let op = parts.next()?;
    let a = parts.next();
    let b = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let num = |s: Option<&str>, min: u64, max: u64| {
        s.and_then(|s| s.parse::<u64>().ok())
            .filter(|v| (min..=max).contains(v))
    };
    let action = match (op, b) {
        ("warm", None) => CachingAction::Warm {
            count: num(a, 1, MAX_WARM)?,
        },
        ("stampede", Some(_)) => CachingAction::Stampede {
            key: num(a, 0, MAX_KEY)?,
            count: num(b, 1, MAX_STAMPEDE)?,
        },
        ("flush", None) if a.is_none() => CachingAction::FlushL2,
        ("clear", None) if a.is_none() => CachingAction::Clear,
        ("crash", None) if a.is_none() => CachingAction::Crash,
        ("policy", None) => CachingAction::Policy(build::parse_policy(a?)?),
        ("workload", None) => CachingAction::Workload(WorkloadKind::from_name(a?)?),
        ("write", None) if a != Some("write-behind") => {
            CachingAction::Write(build::write_policy(a?, 0)?)
        }
        ("write", Some(ms)) if a == Some("write-behind") => {
            let ms = num(
                Some(ms),
                build::MIN_DELAY_MS as u64,
                build::MAX_DELAY_MS as u64,
            )?;
            CachingAction::Write(build::write_policy("write-behind", ms as i64)?)
        }
        ("coalesce", None) => CachingAction::Coalescing(match a? {
            "on" => true,
            "off" => false,
            _ => return None,
        }),
        ("resize", None) => CachingAction::Resize(num(a, 1, build::MAX_CAPACITY as u64)?),
        _ => return None,
    };
    Some(action)
}

pub struct CachingScene;

impl Scene for CachingScene {
    /// A cache key, selected in L1 or L2.
    type Focus = Key;

    fn inspect(m: &CachingRace, focus: Option<Key>) -> crate::components::inspector::Inspection {
        m.lead()
            .map(|lead| inspect::inspect(lead, focus))
            .unwrap_or_default()
    }

    /// One lane per L1 policy; the first is the one drawn, narrated and inspected.
    type Model = CachingRace;
    type Event = CachingEvent;
    type Action = CachingAction;
    const ID: SceneId = SceneId::Caching;
    const TITLE: &'static str = "Caching";
    /// About 390 lookups and writes per simulated second: 39 a second on screen, a whole simulated second in the first ten.
    const SPEED: f64 = 0.1;
    /// The origin's latency: a miss's trip to the origin and back stands for it (at 1/10×, 200 ms).
    const MOTION_SIM_MS: f64 = 20.0;
    const BLURB: &'static str =
        "An L1 cache in front of a shared L2 and the origin. See hits, misses and evictions \
        with their reasons; compare true LRU with the FIFO that tutorials call LRU, and watch \
        W-TinyLFU survive a scan.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<CachingRace, scalelab_core::Error> {
        Ok(CachingRace::new(race_config(params, seed))?)
    }

    fn narrate(race: &Self::Model, e: &CachingEvent) -> Option<String> {
        let model = race.lead()?;
        // The deciding events say why: an L1 eviction by the policy's choice gives its
        // order's reason (W-TinyLFU's duel among it), an L2 eviction its pool's, a read
        // answered past L1 its path.
        let eviction = model.last_eviction().filter(|d| d.at == model.now());
        let read = model.last_read().filter(|r| r.at == model.now());
        let l2 = model.last_l2_eviction().filter(|d| d.at == model.now());
        match e {
            CachingEvent::Evicted {
                key,
                level: Level::L2,
                reason: EvictionReason::Capacity,
                ..
            } if l2.is_some_and(|d| d.victim == *key) => {
                return l2.map(ToString::to_string);
            }
            CachingEvent::Evicted {
                key,
                level: Level::L1,
                reason,
                ..
            } if eviction.is_some_and(|d| d.victim == *key && d.reason == *reason) => {
                return eviction.map(ToString::to_string);
            }
            CachingEvent::AdmissionContest { .. } if eviction.is_some() => return None,
            CachingEvent::RequestCompleted {
                request,
                served_by: Level::L2 | Level::Origin,
                ..
            }
            | CachingEvent::RequestCompleted {
                request,
                stale: Some(_),
                ..
            } if read.is_some_and(|r| r.request == *request) => {
                return read.map(ToString::to_string);
            }
            _ => {}
        }
        // Arrivals, completions and the bookkeeping of writes and warm fetches happen on
        // nearly every step; the rest is what the scene teaches.
        match e {
            CachingEvent::RequestArrived { .. }
            | CachingEvent::RequestCompleted { .. }
            | CachingEvent::Inserted { .. }
            | CachingEvent::Updated { .. }
            | CachingEvent::OriginWriteStarted { .. }
            | CachingEvent::OriginWritten { .. }
            | CachingEvent::WarmFetchStarted { .. }
            | CachingEvent::WarmFetchFinished { .. }
            | CachingEvent::InvalidationDelivered { dropped: false, .. } => None,
            other => Some(other.narrate()),
        }
    }

    fn encode_action(a: &CachingAction) -> String {
        encode(a)
    }

    fn decode_action(text: &str) -> Option<CachingAction> {
        decode(text)
    }

    fn describe_action(a: &CachingAction) -> String {
        match a {
            CachingAction::Warm { count } => format!("you warmed the {count} hottest keys"),
            CachingAction::Stampede { key, count } => {
                format!("you sent {count} concurrent reads of key:{key}")
            }
            CachingAction::FlushL2 => "you flushed L2".into(),
            CachingAction::Clear => "you cleared both caches".into(),
            CachingAction::Crash => "you crashed the write-behind buffer".into(),
            CachingAction::Policy(p) => format!("you switched L1 to {}", p.name()),
            CachingAction::Workload(w) => format!("you switched the workload to {}", w.name()),
            CachingAction::Write(w) => format!("you switched the write policy to {}", w.name()),
            CachingAction::Coalescing(on) => {
                format!(
                    "you turned request coalescing {}",
                    if *on { "on" } else { "off" }
                )
            }
            CachingAction::Resize(n) => format!("you resized L1 to {n} entries"),
        }
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        let recent = v.aged();
        let Some(lead) = v.model.lead() else {
            return Html::default();
        };
        page::view(page::Frame {
            model: lead,
            race: v.model,
            recent: &recent,
            reduced_motion: v.reduced_motion,
            params: v.params,
            act: &v.act,
            series: v.series,
            focus: focus::Focus {
                key: v.focus,
                on: &v.on_focus,
            },
            keep: v.keep,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::caching::EvictionPolicy;
    use scalelab_core::sim::SimDuration;
    use scalelab_core::timeline::Action;

    fn all_actions() -> Vec<CachingAction> {
        let mut v = vec![
            CachingAction::Warm { count: 1 },
            CachingAction::Warm { count: MAX_WARM },
            CachingAction::Stampede { key: 7, count: 50 },
            CachingAction::Stampede {
                key: 0,
                count: MAX_STAMPEDE,
            },
            CachingAction::FlushL2,
            CachingAction::Clear,
            CachingAction::Crash,
            CachingAction::Coalescing(true),
            CachingAction::Coalescing(false),
            CachingAction::Resize(1),
            CachingAction::Resize(64),
            CachingAction::Write(WritePolicy::WriteBehind {
                delay: SimDuration::from_millis(2_000),
            }),
        ];
        v.extend(EvictionPolicy::ALL.into_iter().map(CachingAction::Policy));
        v.extend(WorkloadKind::ALL.into_iter().map(CachingAction::Workload));
        v.extend(
            ["cache-aside", "write-through"]
                .into_iter()
                .map(|n| CachingAction::Write(build::write_policy(n, 0).unwrap())),
        );
        v
    }

    #[test]
    fn actions_round_trip_through_the_url() {
        for a in all_actions() {
            let text = encode(&a);
            assert!(!text.contains(',') && !text.contains(':'), "{text}");
            assert_eq!(decode(&text), Some(a), "{text}");
        }
        assert_eq!(encode(&CachingAction::Warm { count: 20 }), "warm.20");
        assert_eq!(
            encode(&CachingAction::Stampede { key: 7, count: 50 }),
            "stampede.7.50"
        );
        assert_eq!(encode(&CachingAction::FlushL2), "flush");
        assert_eq!(
            encode(&CachingAction::Policy(EvictionPolicy::Lfu)),
            "policy.lfu"
        );
    }

    #[test]
    fn bad_action_text_is_refused() {
        for text in [
            "",
            "warm",
            "warm.0",
            "warm.x",
            "warm.99999999",
            "stampede.7",
            "stampede.7.0",
            "stampede.7.1001",
            "stampede.-1.5",
            "flush.now",
            "policy.lru-ish",
            "workload.random",
            "write.write-behind",
            "write.write-behind.1",
            "write.cache-aside.5",
            "coalesce.maybe",
            "resize.0",
            "resize.65",
            "crash.1.2.3",
        ] {
            assert_eq!(decode(text), None, "{text}");
        }
    }

    /// The scene's own error text is what the core's `Display` says.
    #[test]
    fn errors_read_as_the_core_writes_them() {
        let mut m = CachingScene::build(&ParamValues::defaults(SPECS), 5).unwrap();
        for a in [
            CachingAction::Crash,
            CachingAction::Stampede { key: 1, count: 0 },
        ] {
            let e = a.apply(&mut m).unwrap_err();
            assert_eq!(crate::scenes::error_text::<CachingScene>(&e), e.to_string());
        }
    }
}
