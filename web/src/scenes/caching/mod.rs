//! The caching scene: an L1 in front of a shared L2 in front of the origin, drawn slot by
//! slot. Hits, misses and promotions flash where they happen, evicted entries leave with their
//! reason, origin loads travel to the database and back; switch the eviction policy or the
//! workload live, warm the cache, set off a stampede with and without coalescing, and crash a
//! write-behind buffer.
//!
//! The model is a core `CacheSim` wrapped in [`model::CachingModel`], which only records a
//! readout from the core's events; the actions call the core's operations.

mod build;
mod drawing;
mod model;
mod panels;

use crate::params::{ParamSpec, ParamValues};
use crate::scenes::{Scene, SceneId, SceneView};
use scalelab_core::caching::{
    CacheEvent, CacheSim, CachingError, EvictionPolicy, Key, Op, WritePolicy,
};
use scalelab_core::timeline::Action;
use yew::prelude::*;

pub use build::{cache_config, SPECS};
pub use model::CachingModel;

/// Most reads one stampede may inject, and most keys one warm-up may name.
pub const MAX_STAMPEDE: u64 = 1_000;
pub const MAX_WARM: u64 = build::MAX_KEYS as u64;
/// Keys an action may name (the key space is at most 10 000; scan bursts number beyond it).
const MAX_KEY: Key = 10_000_000;

/// What a user can do mid-run; each calls one core operation.
#[derive(Debug, Clone, PartialEq)]
pub enum CachingAction {
    /// Warm the `count` hottest keys (`0 .. count`: for Zipf, key 0 is the most popular).
    Warm {
        count: u64,
    },
    /// `count` concurrent reads of one key, arriving now.
    Stampede {
        key: Key,
        count: u64,
    },
    /// FLUSHALL on the L2.
    FlushL2,
    /// Clear both levels.
    Clear,
    /// The process holding the write-behind buffer crashes.
    Crash,
    Policy(EvictionPolicy),
    /// Switch to the named workload (a name from [`build::WORKLOADS`]).
    Workload(&'static str),
    Write(WritePolicy),
    Coalescing(bool),
    /// Rebuild L1 with this many slots (1 ..= 64, the most the drawing shows).
    Resize(u64),
}

impl Action<CachingModel> for CachingAction {
    fn apply(&self, m: &mut CachingModel) -> Result<(), scalelab_core::Error> {
        let result: Result<(), CachingError> = match *self {
            CachingAction::Warm { count } => m.sim_mut().warm_range(0, count).map(|_| ()),
            CachingAction::Stampede { key, count } => {
                let r = m.sim_mut().inject(key, Op::Read, count).map(|_| ());
                if r.is_ok() {
                    m.watch_stampede(key, count);
                }
                r
            }
            CachingAction::FlushL2 => {
                m.sim_mut().flush_l2();
                Ok(())
            }
            CachingAction::Clear => {
                m.sim_mut().clear_caches();
                Ok(())
            }
            CachingAction::Crash => {
                // The losses arrive as events at the next step; forget the last crash's only
                // if this one is accepted (a refused crash changes nothing).
                let r = m.sim_mut().crash_write_behind().map(|_| ());
                if r.is_ok() {
                    m.start_crash();
                }
                r
            }
            CachingAction::Policy(p) => m.sim_mut().switch_policy(p).map(|_| ()),
            CachingAction::Workload(name) => {
                let sim = m.sim();
                let keys = sim.config().workload.keys();
                let exponent = match sim.config().workload {
                    scalelab_core::caching::KeyWorkload::Zipf { exponent, .. }
                    | scalelab_core::caching::KeyWorkload::ZipfWithScan { exponent, .. } => {
                        exponent
                    }
                    _ => m.exponent(),
                };
                match build::workload(name, keys, exponent) {
                    Some(w) => m.sim_mut().switch_workload(w),
                    None => Ok(()),
                }
            }
            CachingAction::Write(p) => m.sim_mut().set_write_policy(p),
            CachingAction::Coalescing(on) => {
                m.sim_mut().set_coalescing(on);
                Ok(())
            }
            CachingAction::Resize(capacity) => m
                .sim_mut()
                .resize_l1(capacity.clamp(1, build::MAX_CAPACITY as u64))
                .map(|_| ()),
        };
        Ok(result?)
    }
}

fn encode(a: &CachingAction) -> String {
    match a {
        CachingAction::Warm { count } => format!("warm.{count}"),
        CachingAction::Stampede { key, count } => format!("stampede.{key}.{count}"),
        CachingAction::FlushL2 => "flush".into(),
        CachingAction::Clear => "clear".into(),
        CachingAction::Crash => "crash".into(),
        CachingAction::Policy(p) => format!("policy.{}", p.name()),
        CachingAction::Workload(w) => format!("workload.{w}"),
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
        ("workload", None) => {
            let name = a?;
            let (name, _) = build::WORKLOADS.iter().find(|(n, _)| *n == name)?;
            CachingAction::Workload(name)
        }
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

const METRICS: &[&str] = &[
    "l1_hit_rate",
    "l2_hit_rate",
    "overall_hit_rate",
    "origin_loads",
    "evictions_capacity",
    "evictions_expired",
    "evictions_explicit",
    "l1_len",
    "l2_bytes",
    "coalesced_waits",
    "l1_hit_rate_total",
    "l2_hit_rate_total",
];

/// Column indices, for the charts.
pub mod col {
    pub const L1: usize = 0;
    pub const L2: usize = 1;
    pub const OVERALL: usize = 2;
    pub const ORIGIN_LOADS: usize = 3;
    pub const EVICT_CAPACITY: usize = 4;
    pub const EVICT_EXPIRED: usize = 5;
    pub const EVICT_EXPLICIT: usize = 6;
    pub const L1_LEN: usize = 7;
}

pub struct CachingScene;

impl Scene for CachingScene {
    type Model = CachingModel;
    type Event = CacheEvent;
    type Action = CachingAction;
    const ID: SceneId = SceneId::Caching;
    const TITLE: &'static str = "Caching";
    const BLURB: &'static str = "An L1 cache in front of a shared L2 and the origin. See hits, misses and evictions \
        with their reasons; compare true LRU with the FIFO that tutorials call LRU, and watch \
        W-TinyLFU survive a scan.";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn build(params: &ParamValues, seed: u64) -> Result<CachingModel, scalelab_core::Error> {
        let sim = CacheSim::new(cache_config(params, seed))?;
        Ok(CachingModel::new(sim, build::exponent(params)))
    }

    fn narrate(_model: &Self::Model, e: &CacheEvent) -> Option<String> {
        // Arrivals, completions and the bookkeeping of writes and warm fetches happen on
        // nearly every step; the rest is what the scene teaches.
        match e {
            CacheEvent::RequestArrived { .. }
            | CacheEvent::RequestCompleted { .. }
            | CacheEvent::Inserted { .. }
            | CacheEvent::Updated { .. }
            | CacheEvent::OriginWriteStarted { .. }
            | CacheEvent::OriginWritten { .. }
            | CacheEvent::WarmFetchStarted { .. }
            | CacheEvent::WarmFetchFinished { .. } => None,
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
            CachingAction::Workload(w) => format!("you switched the workload to {w}"),
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

    fn metric_names() -> &'static [&'static str] {
        METRICS
    }

    fn metrics(m: &CachingModel) -> Vec<f64> {
        let s = m.sim().stats();
        let r = m.readout();
        let l2 = s.l2.cache;
        let rate = |w: &model::HitWindow| w.rate().unwrap_or(f64::NAN);
        vec![
            rate(&r.l1),
            rate(&r.l2),
            rate(&r.overall),
            s.origin.loads as f64,
            (s.l1.evictions.capacity + l2.evictions.capacity) as f64,
            (s.l1.evictions.expired + l2.evictions.expired) as f64,
            (s.l1.evictions.explicit + l2.evictions.explicit) as f64,
            s.l1.len as f64,
            s.l2.used_bytes as f64,
            s.requests.coalesced as f64,
            s.l1.hit_rate,
            l2.hit_rate,
        ]
    }

    fn view(v: SceneView<'_, Self>) -> Html {
        drawing::view(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_core::sim::SimDuration;
    use scalelab_core::Model;

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
        v.extend(
            build::WORKLOADS
                .iter()
                .map(|(n, _)| CachingAction::Workload(n)),
        );
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
            assert_eq!(decode(&text), Some(a.clone()), "{text}");
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

    #[test]
    fn every_action_applies_or_refuses_without_panicking() {
        let p = ParamValues::defaults(SPECS);
        for a in all_actions() {
            let mut m = CachingScene::build(&p, 3).unwrap();
            for _ in 0..20 {
                m.step();
            }
            let before = m.sim().stats();
            match a.apply(&mut m) {
                Ok(()) => {
                    for _ in 0..20 {
                        m.step();
                    }
                }
                // Refused: the model is unchanged.
                Err(_) => assert_eq!(m.sim().stats(), before, "{a:?}"),
            }
        }
    }

    fn origin_loads_for_stampede(coalescing: bool) -> (u64, u64) {
        let mut p = ParamValues::defaults(SPECS);
        if coalescing {
            p.set("coalescing", SPECS[9].parse("on").unwrap());
        }
        let mut m = CachingScene::build(&p, 42).unwrap();
        // A key outside the Zipf key space: certainly cold.
        CachingAction::Stampede {
            key: 9_999,
            count: 50,
        }
        .apply(&mut m)
        .unwrap();
        for _ in 0..2_000 {
            m.step();
        }
        let s = m.readout().stampede.clone().unwrap();
        assert_eq!(s.answered, 50);
        (s.loads, s.waits)
    }

    #[test]
    fn a_stampede_costs_fifty_loads_without_coalescing_and_one_with() {
        assert_eq!(origin_loads_for_stampede(false), (50, 0));
        assert_eq!(origin_loads_for_stampede(true), (1, 49));
    }

    #[test]
    fn a_crash_under_write_behind_reports_lost_keys() {
        let mut p = ParamValues::defaults(SPECS);
        p.set("write", SPECS[7].parse("write-behind").unwrap());
        p.set("reads", SPECS[5].parse("50").unwrap());
        let mut m = CachingScene::build(&p, 5).unwrap();
        for _ in 0..300 {
            m.step();
        }
        assert!(!m.sim().buffered_keys().is_empty());
        let buffered = m.sim().buffered_keys();
        CachingAction::Crash.apply(&mut m).unwrap();
        m.step();
        let lost: Vec<Key> = m.readout().lost.iter().map(|l| l.key).collect();
        assert_eq!(lost, buffered);
        // Cache-aside has no buffer: a crash is refused and nothing changes.
        let mut m = CachingScene::build(&ParamValues::defaults(SPECS), 5).unwrap();
        assert!(CachingAction::Crash.apply(&mut m).is_err());
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

    #[test]
    fn warming_reports_progress_and_its_time() {
        let mut m = CachingScene::build(&ParamValues::defaults(SPECS), 1).unwrap();
        CachingAction::Warm { count: 20 }.apply(&mut m).unwrap();
        for _ in 0..2_000 {
            m.step();
        }
        let w = m.readout().warming.clone().unwrap();
        assert_eq!(w.requested, 20);
        assert_eq!(w.loaded, w.to_load());
        // 20 keys, 10 at a time, 100 ms each: 200 ms (fewer if some were already cached).
        assert!(w
            .elapsed
            .is_some_and(|e| e <= SimDuration::from_millis(200)));
    }
}
